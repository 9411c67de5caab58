"""The BC web client twin over HTTP (in process): URL shape, sign-in per tenant, the client frame, autosave
routes, Grant Consent's OAuthLanding.htm round trip, and the admin route that removes redirect URIs."""

from __future__ import annotations

import html
import re
import uuid
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from sandbox import bc_data, directory
from sandbox.bc_web import rules
from sandbox.bc_web.app import create_app
from sandbox.context import SERVICES, Sandbox
from sandbox.provision import LANDING, provision_app
from sandbox.server import open_sandbox

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's note about httpx in its TestClient
    from starlette.testclient import TestClient


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    box = open_sandbox(tmp_path / "state")
    for index, service in enumerate(SERVICES):
        box.urls[service] = f"https://127.0.0.1:{40100 + index}"
    return box


def signed_in(sandbox: Sandbox, tenant_id: str | None = None) -> TestClient:
    seed = sandbox.seed
    client = TestClient(create_app(sandbox), base_url="https://testserver", follow_redirects=False)
    sid = sandbox.store.new_session("business_central", {"upn": seed["admin_user"], "name": "Sandbox Administrator",
                                                         "tenant_id": tenant_id or seed["tenant_id"], "oid": "x"})
    client.cookies.set("business_central_session", sid)
    return client


def base(sandbox: Sandbox) -> str:
    return f"/_client/{sandbox.seed['tenant_id']}/{sandbox.seed['environment']}"


def card(client: TestClient, sandbox: Sandbox, **body: Any) -> dict[str, Any]:
    response = client.post(base(sandbox) + "/api/card", json=body)
    assert response.status_code == 200
    return response.json()


def test_without_a_session_the_client_sends_the_browser_to_microsoft_sign_in(sandbox: Sandbox) -> None:
    client = TestClient(create_app(sandbox), base_url="https://testserver", follow_redirects=False)
    response = client.get(f"/{sandbox.seed['tenant_id']}/Sandbox/?company=CRONUS%20USA,%20Inc.&page=9860")
    assert response.status_code == 302
    target = urlparse(response.headers["location"])
    assert f"{target.scheme}://{target.netloc}" == sandbox.urls["login"]
    assert target.path == f"/{sandbox.seed['tenant_id']}/oauth2/v2.0/authorize"
    assert parse_qs(target.query)["redirect_uri"] == [sandbox.urls["business_central"] + "/signin-oidc"]


def test_a_session_of_another_tenant_signs_in_again(sandbox: Sandbox) -> None:
    other = directory.create_tenant(sandbox.store, "Fabrikam", "fabrikam.onmicrosoft.com")
    client = signed_in(sandbox, tenant_id=other.id)
    response = client.get(f"/{sandbox.seed['tenant_id']}/Sandbox/")
    assert response.status_code == 302 and f"/{sandbox.seed['tenant_id']}/oauth2/" in response.headers["location"]


def test_the_shell_hosts_the_client_frame_and_the_search_button(sandbox: Sandbox) -> None:
    response = signed_in(sandbox).get(f"/{sandbox.seed['tenant_id']}/Sandbox/?company=My%20Company&page=9860")
    assert response.status_code == 200
    page = response.text
    assert '<iframe class="designer-client-frame"' in page
    assert 'aria-label="Search"' in page and 'title="Tell me what you want to do (Alt+Q)"' in page
    frame_src = re.search(r'designer-client-frame"[^>]*src="([^"]+)"', page)
    assert frame_src and "company=My+Company" in frame_src.group(1) and "page=9860" in frame_src.group(1)


@pytest.mark.parametrize("path", ["/", "/Sandbox/", "/contososandbox.onmicrosoft.com/Sandbox/"])
def test_tenant_and_environment_are_optional_in_the_url(sandbox: Sandbox, path: str) -> None:
    response = signed_in(sandbox).get(path)
    assert response.status_code == 200 and "designer-client-frame" in response.text
    assert "CRONUS USA, Inc." in response.text  # the first company by default


def test_unknown_environment_and_company_show_an_error_page(sandbox: Sandbox) -> None:
    client = signed_in(sandbox)
    missing_env = client.get(f"/{sandbox.seed['tenant_id']}/NoSuchEnv/")
    assert missing_env.status_code == 404
    assert "The environment 'NoSuchEnv' does not exist" in html.unescape(missing_env.text)
    missing_company = client.get(f"/{sandbox.seed['tenant_id']}/Sandbox/?company=Nope")
    assert missing_company.status_code == 404
    assert "The company 'Nope' does not exist" in html.unescape(missing_company.text)


def test_the_client_page_has_a_splash_honouring_page_delay(sandbox: Sandbox) -> None:
    sandbox.set_option("page_delay_ms", 400)
    page = signed_in(sandbox).get(base(sandbox) + "/?page=9860").text
    assert 'class="splash"' in page and 'data-splash-ms="400"' in page
    assert "There is nothing to show" in page and 'role="menuitem"' in page


@pytest.mark.parametrize(("generation", "query", "caption"), [
    ("current", "entra", "Microsoft Entra Applications"),
    ("legacy", "Azure", "Azure Active Directory Applications"),
])
def test_tell_me_search_route(sandbox: Sandbox, generation: str, query: str, caption: str) -> None:
    sandbox.set_option("bc_caption", generation)
    data = signed_in(sandbox).get(base(sandbox) + "/api/search", params={"q": query}).json()
    assert data["groups"][0]["name"] == "Go to Pages and Tasks"
    assert data["groups"][0]["results"][0]["caption"] == caption
    assert "page=9860" in data["groups"][0]["results"][0]["url"]


def test_autosave_walks_the_procedure_and_the_list_shows_the_row(sandbox: Sandbox) -> None:
    client = signed_in(sandbox)
    client_id = str(uuid.uuid4())
    assert card(client, sandbox, op="field", field="client_id", value="not-a-guid")["error"].startswith("The value")
    inserted = card(client, sandbox, op="field", field="client_id", value=client_id)
    assert inserted["client_id"] == client_id and "error" not in inserted
    card(client, sandbox, op="field", field="description", value="Dynamics Mobile", client_id=client_id)
    assert card(client, sandbox, op="create-user", client_id=client_id)["message"] == rules.USER_CREATED
    assert card(client, sandbox, op="add-permission-set", value="SUPER", client_id=client_id)["error"] == \
        rules.SUPER_REFUSED
    card(client, sandbox, op="add-permission-set", value="D365 AUTOMATION", client_id=client_id)
    asked = card(client, sandbox, op="field", field="state", value="Enabled", client_id=client_id)
    assert "error" not in asked and "D365 AUTOMATION" in asked["html"]
    seed = sandbox.seed
    assert bc_data.authorised(sandbox.store, seed["tenant_id"], seed["environment"], client_id)
    refused = card(client, sandbox, op="field", field="description", value="Other", client_id=client_id)
    assert refused["error"] == rules.MUST_DISABLE and 'value="Dynamics Mobile"' in refused["html"]
    listing = client.get(base(sandbox) + "/?page=9860").text
    assert f'rowkey="{client_id}"' in listing and "<td>Enabled</td>" in listing


def test_first_enable_without_user_asks_for_confirmation(sandbox: Sandbox) -> None:
    client = signed_in(sandbox)
    client_id = card(client, sandbox, op="field", field="client_id", value=str(uuid.uuid4()))["client_id"]
    card(client, sandbox, op="field", field="description", value="Agent", client_id=client_id)
    asked = card(client, sandbox, op="field", field="state", value="Enabled", client_id=client_id)
    assert asked["confirm"] == "A user named Agent will be created. Do you want to continue?"
    done = card(client, sandbox, op="field", field="state", value="Enabled", client_id=client_id, confirmed=True)
    assert '<option value="Enabled" selected>' in done["html"]


def test_delete_removes_the_record(sandbox: Sandbox) -> None:
    client = signed_in(sandbox)
    client_id = card(client, sandbox, op="field", field="client_id", value=str(uuid.uuid4()))["client_id"]
    assert client.post(base(sandbox) + "/api/delete", json={"client_id": client_id}).json() == {"deleted": True}
    assert "There is nothing to show" in client.get(base(sandbox) + "/?page=9860").text


def consent_state(client: TestClient, sandbox: Sandbox, client_id: str) -> str:
    started = client.post(base(sandbox) + "/api/consent", json={"client_id": client_id}).json()
    url = urlparse(started["url"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == sandbox.urls["login"] + "/common/adminconsent"
    assert query["redirect_uri"] == [LANDING] and query["client_id"] == [client_id]
    assert started["waiting"] == rules.CONSENT_WAITING
    return query["state"][0]


def test_grant_consent_succeeds_through_oauth_landing(sandbox: Sandbox) -> None:
    app = provision_app(sandbox, consent=False, bc_state="disabled")
    client = signed_in(sandbox)
    state = consent_state(client, sandbox, app["client_id"])
    assert client.get(base(sandbox) + f"/api/consent/{state}").json()["done"] is False
    landing = client.get("/OAuthLanding.htm", params={"admin_consent": "True", "tenant": app["tenant_id"],
                                                      "state": state})
    assert landing.status_code == 200
    assert client.get(base(sandbox) + f"/api/consent/{state}").json() == {"done": True, "ok": True,
                                                                          "message": rules.CONSENT_OK}
    seed = sandbox.seed
    record = bc_data.entra_app(sandbox.store, seed["tenant_id"], seed["environment"], app["client_id"])
    assert record is not None and record.permission_granted == 1


def test_grant_consent_reports_the_returned_error(sandbox: Sandbox) -> None:
    app = provision_app(sandbox, consent=False, bc_state="disabled")
    client = signed_in(sandbox)
    state = consent_state(client, sandbox, app["client_id"])
    client.get("/OAuthLanding.htm", params={"error": "access_denied", "state": state,
                                            "error_description": "AADSTS65004: User declined to consent."})
    result = client.get(base(sandbox) + f"/api/consent/{state}").json()
    assert result == {"done": True, "ok": False, "message": "AADSTS65004: User declined to consent."}
    assert client.get(base(sandbox) + "/api/consent/unknown-state").json()["message"] == rules.CONSENT_FAILED


def test_admin_route_replaces_redirect_uris(sandbox: Sandbox) -> None:
    from sandbox.admin.app import create_app as create_admin

    app = provision_app(sandbox, bc_state="absent")
    admin = TestClient(create_admin(sandbox), base_url="https://testserver", client=("127.0.0.1", 50000),
                       headers={"Authorization": f"Bearer {sandbox.admin_token}"})
    assert admin.post(f"/admin/apps/{app['client_id']}/redirect-uris", json={"redirect_uris": []}).status_code == 204
    assert directory.app_by_client_id(sandbox.store, app["client_id"]).redirect_uris == []
    bad = admin.post(f"/admin/apps/{app['client_id']}/redirect-uris", json={"redirect_uris": "x"})
    assert bad.status_code == 400
    assert admin.post(f"/admin/apps/{uuid.uuid4()}/redirect-uris", json={"redirect_uris": []}).status_code == 404
