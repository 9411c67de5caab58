"""The BC web client twin over HTTP (in process): URL shape, sign-in per tenant, the client frame, autosave
routes, Grant Consent's OAuthLanding.htm round trip, and the admin route that removes redirect URIs."""

from __future__ import annotations

import html
import re
import uuid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from bc_web_in_process import TestClient, client_base, offline_sandbox, post_card, signed_in_client

from sandbox import bc_data, directory
from sandbox.bc_web.app import create_app
from sandbox.context import Sandbox
from sandbox.provision import provision_app

# Literal texts from the sources (FIDELITY.md §d, [BCAPPS]; the redirect URI from [MS-S2S]), not the twin's constants.
USER_CREATED = "User has been created. You can now add permission sets."
MUST_DISABLE = "You must set the State field to Disabled before you can make changes to this app."
CONSENT_WAITING = "Waiting for a response. Do not close this page."
CONSENT_OK = "Consent was given successfully."
CONSENT_FAILED = "Failed to give consent."
LANDING = "https://businesscentral.dynamics.com/OAuthLanding.htm"


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return offline_sandbox(tmp_path / "state", 40100)


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
    client = signed_in_client(sandbox, tenant_id=other.id)
    response = client.get(f"/{sandbox.seed['tenant_id']}/Sandbox/")
    assert response.status_code == 302 and f"/{sandbox.seed['tenant_id']}/oauth2/" in response.headers["location"]


def test_the_shell_hosts_the_client_frame_and_the_search_button(sandbox: Sandbox) -> None:
    response = signed_in_client(sandbox).get(f"/{sandbox.seed['tenant_id']}/Sandbox/?company=My%20Company&page=9860")
    assert response.status_code == 200
    page = response.text
    assert '<iframe class="designer-client-frame"' in page
    assert 'aria-label="Search"' in page and 'title="Tell me what you want to do (Alt+Q)"' in page
    frame_src = re.search(r'designer-client-frame"[^>]*src="([^"]+)"', page)
    assert frame_src and "company=My+Company" in frame_src.group(1) and "page=9860" in frame_src.group(1)


@pytest.mark.parametrize("path", ["/", "/Sandbox/", "/contososandbox.onmicrosoft.com/Sandbox/"])
def test_tenant_and_environment_are_optional_in_the_url(sandbox: Sandbox, path: str) -> None:
    response = signed_in_client(sandbox).get(path)
    assert response.status_code == 200 and "designer-client-frame" in response.text
    assert "CRONUS USA, Inc." in response.text  # the first company by default


def test_unknown_environment_and_company_show_an_error_page(sandbox: Sandbox) -> None:
    client = signed_in_client(sandbox)
    missing_env = client.get(f"/{sandbox.seed['tenant_id']}/NoSuchEnv/")
    assert missing_env.status_code == 404
    assert "The environment 'NoSuchEnv' does not exist" in html.unescape(missing_env.text)
    missing_company = client.get(f"/{sandbox.seed['tenant_id']}/Sandbox/?company=Nope")
    assert missing_company.status_code == 404
    assert "The company 'Nope' does not exist" in html.unescape(missing_company.text)


def test_the_client_page_has_a_splash_honouring_page_delay(sandbox: Sandbox) -> None:
    sandbox.set_option("page_delay_ms", 400)
    page = signed_in_client(sandbox).get(client_base(sandbox) + "/?page=9860").text
    assert 'class="splash"' in page and 'data-splash-ms="400"' in page
    assert "There is nothing to show" in page and 'role="menuitem"' in page


@pytest.mark.parametrize(("generation", "query", "caption"), [
    ("current", "entra", "Microsoft Entra Applications"),
    ("legacy", "Azure", "Azure Active Directory Applications"),
])
def test_tell_me_search_route(sandbox: Sandbox, generation: str, query: str, caption: str) -> None:
    sandbox.set_option("bc_caption", generation)
    data = signed_in_client(sandbox).get(client_base(sandbox) + "/api/search", params={"q": query}).json()
    assert data["groups"][0]["name"] == "Go to Pages and Tasks"
    assert data["groups"][0]["results"][0]["caption"] == caption
    assert "page=9860" in data["groups"][0]["results"][0]["url"]


def test_autosave_walks_the_procedure_and_the_list_shows_the_row(sandbox: Sandbox) -> None:
    client = signed_in_client(sandbox)
    client_id = str(uuid.uuid4())
    refused = post_card(client, sandbox, op="field", field="client_id", value="not-a-guid")
    assert refused["error"].startswith("The value")
    inserted = post_card(client, sandbox, op="field", field="client_id", value=client_id)
    assert inserted["client_id"] == client_id and "error" not in inserted
    post_card(client, sandbox, op="field", field="description", value="Dynamics Mobile", client_id=client_id)
    asked = post_card(client, sandbox, op="create-user", client_id=client_id)
    assert asked["confirm"] == "A user named Dynamics Mobile will be created. Do you want to continue?"
    assert post_card(client, sandbox, op="create-user", client_id=client_id, confirmed=True)["message"] == USER_CREATED
    super_refused = post_card(client, sandbox, op="add-permission-set", value="SUPER", client_id=client_id)
    assert "SUPER" in super_refused["error"]  # refused in a dialog; BC's wording is not public (FIDELITY §d)
    post_card(client, sandbox, op="add-permission-set", value="D365 AUTOMATION", client_id=client_id)
    asked = post_card(client, sandbox, op="field", field="state", value="Enabled", client_id=client_id)
    assert "error" not in asked and "D365 AUTOMATION" in asked["html"]
    seed = sandbox.seed
    assert bc_data.authorised(sandbox.store, seed["tenant_id"], seed["environment"], client_id)
    refused = post_card(client, sandbox, op="field", field="description", value="Other", client_id=client_id)
    assert refused["error"] == MUST_DISABLE and 'value="Dynamics Mobile"' in refused["html"]
    listing = client.get(client_base(sandbox) + "/?page=9860").text
    assert f'rowkey="{client_id}"' in listing and "<td>Enabled</td>" in listing


def test_first_enable_without_user_asks_for_confirmation(sandbox: Sandbox) -> None:
    client = signed_in_client(sandbox)
    client_id = post_card(client, sandbox, op="field", field="client_id", value=str(uuid.uuid4()))["client_id"]
    post_card(client, sandbox, op="field", field="description", value="Agent", client_id=client_id)
    asked = post_card(client, sandbox, op="field", field="state", value="Enabled", client_id=client_id)
    assert asked["confirm"] == "A user named Agent will be created. Do you want to continue?"
    done = post_card(client, sandbox, op="field", field="state", value="Enabled", client_id=client_id, confirmed=True)
    assert '<option value="Enabled" selected>' in done["html"]


def test_delete_removes_the_record(sandbox: Sandbox) -> None:
    client = signed_in_client(sandbox)
    client_id = post_card(client, sandbox, op="field", field="client_id", value=str(uuid.uuid4()))["client_id"]
    assert client.post(client_base(sandbox) + "/api/delete", json={"client_id": client_id}).json() == {"deleted": True}
    assert "There is nothing to show" in client.get(client_base(sandbox) + "/?page=9860").text


def consent_state(client: TestClient, sandbox: Sandbox, client_id: str) -> str:
    started = client.post(client_base(sandbox) + "/api/consent", json={"client_id": client_id}).json()
    url = urlparse(started["url"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == sandbox.urls["login"] + "/common/adminconsent"
    assert query["redirect_uri"] == [LANDING] and query["client_id"] == [client_id]
    assert started["waiting"] == CONSENT_WAITING
    return query["state"][0]


def test_grant_consent_succeeds_through_oauth_landing(sandbox: Sandbox) -> None:
    app = provision_app(sandbox, consent=False, bc_state="disabled")
    client = signed_in_client(sandbox)
    state = consent_state(client, sandbox, app["client_id"])
    assert client.get(client_base(sandbox) + f"/api/consent/{state}").json()["done"] is False
    landing = client.get("/OAuthLanding.htm", params={"admin_consent": "True", "tenant": app["tenant_id"],
                                                      "state": state})
    assert landing.status_code == 200
    assert client.get(client_base(sandbox) + f"/api/consent/{state}").json() == {"done": True, "ok": True,
                                                                          "message": CONSENT_OK}
    seed = sandbox.seed
    record = bc_data.entra_app(sandbox.store, seed["tenant_id"], seed["environment"], app["client_id"])
    assert record is not None and record.permission_granted == 1


def test_grant_consent_reports_the_returned_error(sandbox: Sandbox) -> None:
    app = provision_app(sandbox, consent=False, bc_state="disabled")
    client = signed_in_client(sandbox)
    state = consent_state(client, sandbox, app["client_id"])
    client.get("/OAuthLanding.htm", params={"error": "access_denied", "state": state,
                                            "error_description": "AADSTS65004: User declined to consent."})
    result = client.get(client_base(sandbox) + f"/api/consent/{state}").json()
    assert result == {"done": True, "ok": False, "message": "AADSTS65004: User declined to consent."}
    assert client.get(client_base(sandbox) + "/api/consent/unknown-state").json()["message"] == CONSENT_FAILED


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


class Captions(HTMLParser):
    """Field captions (label text without aria-hidden marks), column headers and level-1/2 headings of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.labels: list[str] = []
        self.columns: list[str] = []
        self.headings: list[str] = []
        self._open: list[str] = []  # where text goes: "label", "th", "h1", "h2" or "hidden"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if ("aria-hidden", "true") in attrs:
            self._open.append("hidden")
        elif tag in ("label", "th", "h1", "h2"):
            self._open.append(tag)
            {"label": self.labels, "th": self.columns}.get(tag, self.headings).append("")
        else:
            self._open.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag not in ("input", "svg", "path", "circle"):
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if "hidden" in self._open:
            return
        for kind, texts in (("label", self.labels), ("th", self.columns), ("h1", self.headings),
                            ("h2", self.headings)):
            if kind in self._open:
                texts[-1] += data
                return


def captions(page: str) -> Captions:
    parser = Captions()
    parser.feed(page)
    return parser


@pytest.mark.parametrize(("generation", "list_caption", "card_caption"), [
    ("current", "Microsoft Entra Applications", "Microsoft Entra Application Card"),
    ("legacy", "Azure Active Directory Applications", "Azure Active Directory Application Card"),
])
def test_pages_9860_and_9861_show_the_captions_fields_and_columns_of_bcapps(
        sandbox: Sandbox, generation: str, list_caption: str, card_caption: str) -> None:
    sandbox.set_option("bc_caption", generation)
    app = provision_app(sandbox, consent=False, bc_state="disabled")
    client = signed_in_client(sandbox)
    listing = captions(client.get(client_base(sandbox) + "/?page=9860").text)
    assert listing.headings == [list_caption]
    assert listing.columns == ["Client ID", "Description", "State"]
    page = client.get(client_base(sandbox) + f"/?page=9861&bookmark={app['client_id']}").text
    card_page = captions(page)
    assert card_page.headings == [card_caption, "General", "Extension", "User information", "User Permission Sets"]
    assert card_page.labels == ["Client ID", "Description", "State", "Contact Information", "App ID", "App Name",
                                "User ID", "User Name", "User Telemetry ID"]
    assert card_page.columns == ["Permission Set", "Description", "Company", "Extension Name", "Permission Scope"]
    assert 'title="Grant consent for this application to access data from Business Central.">Grant Consent<' in page


def test_values_from_users_and_urls_are_escaped_never_markup(sandbox: Sandbox) -> None:
    hostile = '<img src=x onerror="alert(1)">'
    client = signed_in_client(sandbox, name=hostile)
    client_id = post_card(client, sandbox, op="field", field="client_id", value=str(uuid.uuid4()))["client_id"]
    saved = post_card(client, sandbox, op="field", field="contact_information", value=hostile, client_id=client_id)
    pages = [saved["html"], client.get(client_base(sandbox) + f"/?page=9861&bookmark={client_id}").text,
             client.get(f"/{sandbox.seed['tenant_id']}/Sandbox/", params={"x": hostile}).text,
             client.get(client_base(sandbox) + "/").text]
    for page in pages:
        assert "<img" not in page and "&lt;img src=x onerror=" in page


def test_the_disable_link_asks_first_then_disables(sandbox: Sandbox) -> None:
    app = provision_app(sandbox, consent=False, bc_state="enabled")
    client = signed_in_client(sandbox)
    asked = post_card(client, sandbox, op="disable", client_id=app["client_id"])
    assert asked["confirm"] == "Do you want to disable this app?"  # the warning's drill-down (FIDELITY §d)
    done = post_card(client, sandbox, op="disable", client_id=app["client_id"], confirmed=True)
    assert "error" not in done and '<option value="Disabled" selected>' in done["html"]


@pytest.mark.parametrize("body", [{"op": "create-user"}, {"op": "field", "field": "description", "value": "x"},
                                  {"op": "no-such-action", "client_id": str(uuid.uuid4())}, {}])
def test_an_edit_without_a_record_or_an_unknown_action_is_a_bc_error(sandbox: Sandbox, body: dict[str, Any]) -> None:
    answer = post_card(signed_in_client(sandbox), sandbox, **body)
    assert answer["error"] and answer["client_id"] == "" and 'data-client-id=""' in answer["html"]


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"\xff\xfe", b'"text"', b"[" * 100_000])
def test_a_body_that_is_not_a_json_object_is_refused_without_a_server_error(sandbox: Sandbox, raw: bytes) -> None:
    client = signed_in_client(sandbox)
    for route in ("card", "delete", "consent"):
        response = client.post(client_base(sandbox) + f"/api/{route}", content=raw,
                               headers={"content-type": "application/json"})
        assert response.status_code == 400 and response.json()["error"], route
