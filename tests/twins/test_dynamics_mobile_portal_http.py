"""The Dynamics Mobile Portal twin over HTTP: login, role forms, secret handling, admin routes, agent check."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from html import unescape
from typing import Any

import httpx
import pytest

from harness.http import ssl_context
from harness.sandbox_control import AdminClient, SandboxError


def _alerts(html: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", item)) for block in re.findall(r'<div role="alert".*?</div>', html, re.S)
            for item in re.findall(r"<li>(.*?)</li>", block, re.S)]


def _new_role_id() -> str:
    return "T" + secrets.token_hex(4).upper()


@pytest.fixture
def portal(sandbox_endpoints: dict[str, Any]) -> Iterator[httpx.Client]:
    """A signed-in Portal session (the seeded administrator of DEMO01)."""
    client = httpx.Client(base_url=sandbox_endpoints["dynamics_mobile"], follow_redirects=True,
                          verify=ssl_context(sandbox_endpoints["ca_cert"]))
    response = client.post("/login", data={"area": sandbox_endpoints["dm_application_area"],
                                           "email": sandbox_endpoints["dm_user"],
                                           "password": sandbox_endpoints["dm_password"]})
    assert response.status_code == 200 and response.url.path.startswith("/app")
    yield client
    client.close()


@pytest.fixture
def role_id(portal: httpx.Client, admin: AdminClient, sandbox_endpoints: dict[str, Any]) -> Iterator[str]:
    """A fresh role created through the Portal form, deleted afterwards."""
    new_id = _new_role_id()
    response = portal.post("/app/ADM/roles/new", data={"roleId": new_id, "name": new_id, "enabled": "1"})
    assert response.status_code == 200 and f"Role {new_id} created." in response.text
    yield new_id
    admin.call("DELETE", f"/admin/dm/roles/{sandbox_endpoints['dm_application_area']}/{new_id}")


def _settings(tenant: str, client_id: str, secret: str, company: str = "CRONUS USA, Inc.",
              environment: str = "Sandbox") -> dict[str, str]:
    return {"name": "x", "enabled": "1", "agentDeploymentType": "SaaS", "connectionType": "d365bc",
            "bcDeploymentType": "cloud", "tenantId": tenant, "environmentId": environment, "clientId": client_id,
            "clientSecret": secret, "company": company}


def _save(portal: httpx.Client, role: str, form: dict[str, str]) -> httpx.Response:
    return portal.post(f"/app/ADM/roles/{role}", data={**form, "name": role})


# --- login -------------------------------------------------------------------------------------------------


def test_login_rejects_a_malformed_area_and_missing_password(sandbox_endpoints: dict[str, Any]) -> None:
    with httpx.Client(base_url=sandbox_endpoints["dynamics_mobile"],
                      verify=ssl_context(sandbox_endpoints["ca_cert"])) as client:
        response = client.post("/login", data={"area": "DEMO-01", "email": "a@b.c", "password": ""})
    assert response.status_code == 422
    assert _alerts(response.text) == ["Application Area: may contain letters and digits only",
                                      "Password: is required"]
    assert 'aria-invalid="true" aria-describedby="area-error"' in response.text


def test_login_with_a_wrong_password_shows_an_alert_and_sets_no_session(sandbox_endpoints: dict[str, Any]) -> None:
    with httpx.Client(base_url=sandbox_endpoints["dynamics_mobile"],
                      verify=ssl_context(sandbox_endpoints["ca_cert"])) as client:
        response = client.post("/login", data={"area": sandbox_endpoints["dm_application_area"],
                                               "email": sandbox_endpoints["dm_user"], "password": "wrong-password"})
        assert response.status_code == 401
        assert _alerts(response.text) == ["The application area, email or password is incorrect."]
        assert "dmportal_session" not in client.cookies
        assert client.get("/app/ADM/roles").headers["location"] == "/login"


def test_login_opens_the_default_application_with_the_selector_and_menu(portal: httpx.Client) -> None:
    page = portal.get("/app/ADM").text
    assert 'aria-haspopup="menu"' in page and 'role="menu" aria-label="Application Selector"' in page
    assert '<nav aria-label="Application menu">' in page and ">Roles</a>" in page and ">Users</a>" in page


# --- roles ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("form", "expected"), [
    ({"roleId": "DMS-AGENT", "name": "n1"}, "Role Id: may contain letters and digits only"),
    ({"roleId": "ADM", "name": "n2"}, "Role Id: a role with Role Id 'ADM' already exists"),
    ({"roleId": "NEWROLE1", "name": ""}, "Name: is required"),
    ({"roleId": "NEWROLE2", "name": "Administrators"}, "Name: a role named 'Administrators' already exists"),
])
def test_new_role_validation(portal: httpx.Client, form: dict[str, str], expected: str) -> None:
    response = portal.post("/app/ADM/roles/new", data=form)
    assert response.status_code == 422
    assert expected in _alerts(response.text)


def test_role_id_is_immutable(portal: httpx.Client, role_id: str, sandbox_endpoints: dict[str, Any],
                              admin: AdminClient) -> None:
    portal.post(f"/app/ADM/roles/{role_id}", data={"roleId": "OTHER", "name": role_id + "x",
                                                    "agentDeploymentType": "SaaS", "connectionType": "d365fo",
                                                    "bcDeploymentType": "cloud"})
    role = admin.call("GET", f"/admin/dm/roles/{sandbox_endpoints['dm_application_area']}/{role_id}")
    assert role["role_id"] == role_id and role["name"] == role_id + "x"


# --- settings and the secret -----------------------------------------------------------------------------------


def test_settings_validation_marks_fields_and_never_echoes_the_secret(portal: httpx.Client, role_id: str) -> None:
    typed_secret = "Typed~" + secrets.token_urlsafe(16)
    response = _save(portal, role_id, _settings("not-a-guid", "", typed_secret, company=""))
    assert response.status_code == 422
    assert _alerts(response.text) == [
        "Tenant Id: must be a GUID such as 00000000-0000-0000-0000-000000000000",
        "Client Id: is required", "Company: is required"]
    for name in ("tenantId", "clientId", "company"):
        assert f'id="{name}" name="{name}"' in response.text
        assert f'aria-describedby="{name}-error"' in response.text
    assert typed_secret not in response.text


def test_blank_secret_without_a_saved_one_is_refused(portal: httpx.Client, role_id: str,
                                                     sandbox_endpoints: dict[str, Any]) -> None:
    tenant = sandbox_endpoints["tenant_id"]
    response = _save(portal, role_id, _settings(tenant, tenant, ""))
    assert _alerts(response.text) == ["Client Secret: is required"]


def test_saved_secret_is_never_in_the_page_and_a_blank_field_keeps_it(
        portal: httpx.Client, role_id: str, admin: AdminClient, sandbox_endpoints: dict[str, Any]) -> None:
    app = admin.provision_app(name="dm twin test")
    try:
        secret = app["client_secret"]
        response = _save(portal, role_id, _settings(app["tenant_id"], app["client_id"], secret))
        assert response.status_code == 200 and "Role settings saved." in response.text
        assert secret not in response.text
        assert 'placeholder="•••••• (saved)"' in response.text
        # Saving again with the field empty keeps the secret: the agent still connects.
        response = _save(portal, role_id, _settings(app["tenant_id"], app["client_id"], ""))
        assert "Role settings saved." in response.text and secret not in response.text
        area = sandbox_endpoints["dm_application_area"]
        check = admin.call("POST", "/admin/dm/agent-check", json={"area": area, "role": role_id})
        assert check == {"ok": True, "stage": "done", "error": None,
                         "message": "connected to 'CRONUS USA, Inc.' in 'Sandbox'"}
        assert secret not in str(admin.call("GET", f"/admin/dm/roles/{area}/{role_id}"))
    finally:
        admin.remove_app(app["client_id"])


def test_classic_buttons_option(portal: httpx.Client, role_id: str, admin: AdminClient) -> None:
    """FIDELITY §f: the older Portal has New/Save/Edit at the top (the twin's `dm_buttons=classic`)."""
    admin.set_options(dm_buttons="classic")
    try:
        page = portal.get(f"/app/ADM/roles/{role_id}").text
        assert ">Edit</button>" in page and ">Save</button>" in page and ">UPDATE<" not in page
        assert '<input disabled id="tenantId"' in page
        assert ">New</a>" in portal.get("/app/ADM/roles").text
        new_role = portal.get("/app/ADM/roles/new").text
        assert ">Save</button>" in new_role and ">CREATE<" not in new_role
    finally:
        admin.set_options(dm_buttons="modern")


# --- captions: literal strings from the procedure (shared/seed/business-central-oauth.txt) and FIDELITY §f ---------

# Procedure steps 6-15 in order: the Settings section, AGENT, then each Backend Connection control.
PROCEDURE_FIELDS = ["Agent Deployment Type", "Connection Type", "Business Central Deployment Type", "Tenant Id",
                    "Environment Id", "Client Id", "Client Secret", "Company"]
PROCEDURE_CHOICES = ["SaaS", "Microsoft Dynamics 365 Business Central", "Microsoft Cloud"]


def _labels(html: str) -> list[str]:
    return [unescape(text) for text in re.findall(r'<label for="[^"]+">([^<]*)</label>', html)]


def _buttons(html: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", text)).strip() for text in re.findall(r"<button[^>]*>(.*?)</button>",
                                                                                   html, re.S)]


def test_login_and_shell_use_the_portal_guide_captions(sandbox_endpoints: dict[str, Any],
                                                       portal: httpx.Client) -> None:
    with httpx.Client(base_url=sandbox_endpoints["dynamics_mobile"],
                      verify=ssl_context(sandbox_endpoints["ca_cert"])) as anonymous:
        login = anonymous.get("/login").text
    assert _labels(login)[:1] == ["Application Area"] and "Login" in _buttons(login)  # DM-USER
    shell = portal.get("/app/ADM").text
    assert "APPS" in _buttons(shell) and '<a role="menuitem" href="/app/ADM"' in shell  # APPS → ADM (DM-USER)


def test_role_card_shows_the_procedure_captions_in_order(portal: httpx.Client, role_id: str) -> None:
    page = portal.get(f"/app/ADM/roles/{role_id}").text
    steps = ["Settings", "AGENT", "Backend Connection"]  # steps 6 and 8
    assert [button for button in _buttons(page) if button in steps] == steps
    assert [label for label in _labels(page) if label in PROCEDURE_FIELDS] == PROCEDURE_FIELDS
    # "Click the UPDATE button on top" (step 15): the toolbar precedes the role's heading.
    assert page.index(">UPDATE</button>") < page.index(f"<h1>Role {role_id}</h1>")
    for choice in PROCEDURE_CHOICES:  # the procedure's values are the form's defaults (FIDELITY §f "Twin (form)")
        assert re.search(rf'<option value="[^"]*" selected>{re.escape(choice)}</option>', page), choice
    assert 'type="password"' in page.split('<label for="clientSecret">Client Secret</label>', 1)[1][:200]


def test_new_role_page_has_create_on_top_and_the_roles_fields(portal: httpx.Client) -> None:
    page = portal.get("/app/ADM/roles/new").text
    assert page.index(">CREATE</button>") < page.index("<h1>")  # step 5: "Click the CREATE button on top"
    assert _labels(page)[:2] == ["Role Id", "Name"]  # DM-ROLES; the procedure's "code" is the Role Id
    assert "Default Application" in _labels(page) and "Enabled" in _labels(page)


# --- admin routes and the agent check ------------------------------------------------------------------------


def test_snapshot_and_restore_bring_back_previous_settings(portal: httpx.Client, role_id: str, admin: AdminClient,
                                                           sandbox_endpoints: dict[str, Any]) -> None:
    area, tenant = sandbox_endpoints["dm_application_area"], sandbox_endpoints["tenant_id"]
    _save(portal, role_id, _settings(tenant, tenant, "first-secret-value", environment="Before"))
    path = f"/admin/dm/roles/{area}/{role_id}"
    snapshot = admin.call("POST", path + "/snapshot")["snapshot"]
    _save(portal, role_id, _settings(tenant, tenant, "second-secret-value", environment="After"))
    admin.call("POST", path + "/restore", json={"snapshot": snapshot})
    backend = admin.call("GET", path)["settings"]["agent"]["backend"]
    assert backend["environment"] == "Before" and backend["clientSecret"] == "(saved)"
    with pytest.raises(SandboxError, match="400"):
        admin.call("POST", path + "/restore", json={"snapshot": snapshot})  # used up


@pytest.mark.parametrize(("change", "stage", "error"), [
    ({"clientSecret": "not-the-secret"}, "token", "AADSTS7000215"),
    ({"company": "No Such Company"}, "company", "company_not_found"),
    ({"connectionType": "d365fo"}, "config", "incomplete_settings"),
])
def test_agent_check_reports_the_failing_stage(portal: httpx.Client, role_id: str, admin: AdminClient,
                                               sandbox_endpoints: dict[str, Any], change: dict[str, str],
                                               stage: str, error: str) -> None:
    app = admin.provision_app(name="dm twin test")
    try:
        form = {**_settings(app["tenant_id"], app["client_id"], app["client_secret"]), **change}
        assert "Role settings saved." in _save(portal, role_id, form).text
        area = sandbox_endpoints["dm_application_area"]
        result = admin.call("POST", "/admin/dm/agent-check", json={"area": area, "role": role_id})
        assert (result["ok"], result["stage"], result["error"]) == (False, stage, error)
        assert app["client_secret"] not in str(result)
    finally:
        admin.remove_app(app["client_id"])


def test_agent_check_without_consent_fails_at_the_bc_api(portal: httpx.Client, role_id: str, admin: AdminClient,
                                                         sandbox_endpoints: dict[str, Any]) -> None:
    app = admin.provision_app(name="dm twin test", consent=False)
    try:
        _save(portal, role_id, _settings(app["tenant_id"], app["client_id"], app["client_secret"]))
        result = admin.call("POST", "/admin/dm/agent-check",
                            json={"area": sandbox_endpoints["dm_application_area"], "role": role_id})
        assert (result["ok"], result["stage"], result["error"]) == (False, "bc_api",
                                                                     "Authentication_InvalidCredentials")
    finally:
        admin.remove_app(app["client_id"])


def test_agent_check_input_errors(admin: AdminClient) -> None:
    with pytest.raises(SandboxError, match="400"):
        admin.call("POST", "/admin/dm/agent-check", json={"area": "DEMO01"})
    with pytest.raises(SandboxError, match="404"):
        admin.call("POST", "/admin/dm/agent-check", json={"area": "DEMO01", "role": "NOSUCHROLE"})


def test_page_delay_option_slows_page_loads(portal: httpx.Client, admin: AdminClient) -> None:
    before = admin.options().get("page_delay_ms", 0)
    admin.set_options(page_delay_ms=400)
    try:
        response = portal.get("/app/ADM/roles")
        assert response.status_code == 200 and response.elapsed.total_seconds() >= 0.4
    finally:
        admin.set_options(page_delay_ms=before)
