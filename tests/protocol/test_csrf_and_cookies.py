"""Cross-site requests against the browser-facing twins: a form post from another origin that carries only the
victim's session cookie changes nothing (admin consent, Portal roles, BC records, sign-in), while same-origin
posts still work; every session cookie is `SameSite=Lax; Secure; HttpOnly`. Server-to-server endpoints (token,
admin API) do not look at `Origin`.

The real services' wording for a refused cross-site post is not public: the tests assert the status, that nothing
changed, and that the Entra answer is an AADSTS error page, not the twins' exact sentences.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

from harness.http import ssl_context
from harness.sandbox_control import SandboxError
from sandbox.same_origin import is_cross_site, own_origins
from tests.protocol.conftest import token_for

EVIL = "https://evil.example"
LANDING = "https://businesscentral.dynamics.com/OAuthLanding.htm"


class Visitor:
    """An httpx client that behaves like a browser for the headers that matter here: one cookie jar, and
    `Origin` on every POST (the page's origin, or whatever a test says the page was)."""

    def __init__(self, endpoints: dict[str, Any]) -> None:
        self.endpoints = endpoints
        self.http = httpx.Client(verify=ssl_context(endpoints["ca_cert"]), timeout=30, follow_redirects=False)
        self.set_cookies: list[str] = []

    def _seen(self, response: httpx.Response) -> httpx.Response:
        self.set_cookies.extend(response.headers.get_list("set-cookie"))
        return response

    def get(self, url: str) -> httpx.Response:
        """GET and follow redirects, as a top-level navigation does."""
        response = self._seen(self.http.get(url))
        while response.is_redirect:
            response = self._seen(self.http.get(urljoin(str(response.url), response.headers["location"])))
        return response

    def post(self, url: str, *, origin: str | None, headers: dict[str, str] | None = None,
             **kwargs: Any) -> httpx.Response:
        sent = {**({"Origin": origin} if origin else {}), **(headers or {})}
        return self._seen(self.http.post(url, headers=sent, **kwargs))

    def sign_in(self, start_url: str, kmsi: str = "no") -> httpx.Response:
        """Microsoft sign-in as the seeded administrator, started from a twin page; the page it lands on."""
        login = self.endpoints["login"]
        page = self.get(start_url)
        token = re.search(r'name="flowToken" value="([^"]+)"', page.text)
        assert token, page.text[:500]
        steps = [{"step": "email", "loginfmt": self.endpoints["admin_user"]},
                 {"step": "password", "passwd": self.endpoints["admin_password"]}, {"step": "kmsi", "kmsi": kmsi}]
        for fields in steps:
            response = self.post(f"{login}/common/login", origin=login, data={"flowToken": token.group(1), **fields})
        assert response.is_redirect, response.text[:500]
        return self.get(urljoin(login, response.headers["location"]))

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def visitor(sandbox_endpoints: dict[str, Any], admin: Any) -> Iterator[Visitor]:
    client = Visitor(sandbox_endpoints)
    yield client
    client.close()
    admin.call("POST", f"/admin/users/{sandbox_endpoints['admin_user']}/unlock")  # never leave it locked


def _consented(admin: Any, client_id: str) -> bool:
    app = next(a for a in admin.apps() if a["client_id"] == client_id)
    return all(p["granted"] for p in app["permissions"])


def _other_twin(endpoints: dict[str, Any], service: str) -> str:
    """Another twin's origin: same site (127.0.0.1), different port, so SameSite cookies would still go along."""
    return endpoints["dynamics_mobile" if service != "dynamics_mobile" else "azure_portal"]


# --- Azure portal -------------------------------------------------------------------------------------------


def test_cross_site_post_with_only_the_portal_cookie_cannot_grant_admin_consent(visitor, sandbox_endpoints, admin,
                                                                                new_app):
    portal = sandbox_endpoints["azure_portal"]
    app = new_app(consent=False, bc_state="absent")
    assert visitor.sign_in(f"{portal}/signin").status_code == 200
    consent = f"{portal}/api/apps/{app['client_id']}/consent"
    for origin in (EVIL, "null", _other_twin(sandbox_endpoints, "azure_portal"), portal.replace("https", "http")):
        refused = visitor.post(consent, origin=origin)
        assert refused.status_code == 403, origin
        assert refused.json()["error"]
    referer_only = visitor.post(consent, origin=None, headers={"Referer": EVIL + "/attack.html"})
    assert referer_only.status_code == 403
    assert not _consented(admin, app["client_id"])
    granted = visitor.post(consent, origin=portal)  # the same cookie, from the portal's own page
    assert granted.status_code == 200 and "error" not in granted.json()
    assert _consented(admin, app["client_id"])


def test_cross_site_post_cannot_create_an_app_registration(visitor, sandbox_endpoints, admin):
    portal = sandbox_endpoints["azure_portal"]
    visitor.sign_in(f"{portal}/signin")
    name = "csrf-" + secrets.token_hex(4)
    form = {"name": name, "signInAudience": "AzureADMyOrg", "platform": "Web", "redirectUri": ""}
    assert visitor.post(f"{portal}/api/apps", origin=EVIL, data=form).status_code == 403
    assert not [a for a in admin.apps() if a["display_name"] == name]
    created = visitor.post(f"{portal}/api/apps", origin=portal, data=form)
    assert created.status_code == 200 and "navigate" in created.json()
    for app in [a for a in admin.apps() if a["display_name"] == name]:
        admin.remove_app(app["client_id"])


# --- Microsoft sign-in (ESTSAUTH) ---------------------------------------------------------------------------


def test_cross_site_post_with_only_estsauth_cannot_accept_admin_consent(visitor, sandbox_endpoints, admin, new_app):
    login = sandbox_endpoints["login"]
    visitor.sign_in(f"{sandbox_endpoints['azure_portal']}/signin")  # leaves ESTSAUTH in the jar
    app = new_app(consent=False, bc_state="absent")
    back = f"{login}/common/adminconsent?client_id={app['client_id']}&redirect_uri={LANDING}&state=s"
    decision = f"{login}/common/adminconsent/decision"
    for origin in (EVIL, "null", _other_twin(sandbox_endpoints, "login")):
        refused = visitor.post(decision, origin=origin, data={"back": back, "accept": "yes"})
        assert refused.status_code == 403, origin
        assert re.search(r"AADSTS\d+: ", refused.text), refused.text[:300]
        assert "location" not in refused.headers
    assert not _consented(admin, app["client_id"])
    accepted = visitor.post(decision, origin=login, data={"back": back, "accept": "yes"})
    assert accepted.status_code == 302 and "admin_consent=True" in accepted.headers["location"]
    assert _consented(admin, app["client_id"])


def test_sign_in_form_posted_from_another_site_is_refused(visitor, sandbox_endpoints):
    response = visitor.post(f"{sandbox_endpoints['login']}/common/login", origin=EVIL,
                            data={"flowToken": "x", "step": "email", "loginfmt": sandbox_endpoints["admin_user"]})
    assert response.status_code == 403 and re.search(r"AADSTS\d+: ", response.text)


# --- Dynamics Mobile Portal ---------------------------------------------------------------------------------


def _dm_login(visitor: Visitor, endpoints: dict[str, Any], origin: str | None) -> httpx.Response:
    return visitor.post(endpoints["dynamics_mobile"] + "/login", origin=origin,
                        data={"area": endpoints["dm_application_area"], "email": endpoints["dm_user"],
                              "password": endpoints["dm_password"]})


def test_portal_login_and_role_posts_from_another_site_change_nothing(visitor, sandbox_endpoints, admin):
    dm = sandbox_endpoints["dynamics_mobile"]
    forged_login = _dm_login(visitor, sandbox_endpoints, EVIL)  # login CSRF: would sign the victim in as us
    assert forged_login.status_code == 403 and not forged_login.headers.get_list("set-cookie")
    assert _dm_login(visitor, sandbox_endpoints, dm).status_code == 303
    role_id = "X" + secrets.token_hex(4).upper()
    form = {"roleId": role_id, "name": role_id, "enabled": "1"}
    for origin in (EVIL, "null", _other_twin(sandbox_endpoints, "dynamics_mobile")):
        assert visitor.post(f"{dm}/app/ADM/roles/new", origin=origin, data=form).status_code == 403, origin
    area = sandbox_endpoints["dm_application_area"]
    with pytest.raises(SandboxError, match="404"):
        admin.call("GET", f"/admin/dm/roles/{area}/{role_id}")
    created = visitor.post(f"{dm}/app/ADM/roles/new", origin=dm, data=form)
    assert created.status_code == 303
    try:
        assert admin.call("GET", f"/admin/dm/roles/{area}/{role_id}")["role_id"] == role_id
    finally:
        admin.call("DELETE", f"/admin/dm/roles/{area}/{role_id}")


# --- Business Central web client ----------------------------------------------------------------------------


def test_cross_site_post_cannot_delete_a_bc_record(visitor, sandbox_endpoints, admin, new_app):
    bc = sandbox_endpoints["business_central"]
    app = new_app(consent=False, bc_state="disabled")
    assert visitor.sign_in(f"{bc}/").status_code == 200
    api = f"{bc}/_client/{sandbox_endpoints['tenant_id']}/{sandbox_endpoints['environment']}/api/delete"
    refused = visitor.post(api, origin=EVIL, json={"client_id": app["client_id"]})
    assert refused.status_code == 403
    assert any(a["client_id"] == app["client_id"] for a in admin.bc_apps())
    assert visitor.post(api, origin=bc, json={"client_id": app["client_id"]}).json() == {"deleted": True}
    assert not any(a["client_id"] == app["client_id"] for a in admin.bc_apps())


# --- cookies ------------------------------------------------------------------------------------------------


def _cookie_attributes(set_cookies: list[str], name: str) -> set[str]:
    header = next((h for h in set_cookies if h.startswith(name + "=") and "max-age=0" not in h.lower()), None)
    assert header, f"no Set-Cookie for {name} in {[h.split('=')[0] for h in set_cookies]}"
    return {part.strip().lower() for part in header.split(";")[1:]}


@pytest.mark.parametrize("cookie", ["ESTSAUTH", "ESTSAUTHPERSISTENT", "azure_portal_session",
                                    "business_central_session"])
def test_sign_in_cookies_are_lax_secure_and_http_only(visitor, sandbox_endpoints, cookie):
    start = sandbox_endpoints["business_central" if cookie.startswith("business") else "azure_portal"]
    visitor.sign_in(start + ("/" if cookie.startswith("business") else "/signin"), kmsi="yes")
    attributes = _cookie_attributes(visitor.set_cookies, cookie)
    assert {"samesite=lax", "secure", "httponly"} <= attributes, attributes


def test_portal_session_cookie_is_lax_secure_and_http_only(visitor, sandbox_endpoints):
    _dm_login(visitor, sandbox_endpoints, sandbox_endpoints["dynamics_mobile"])
    attributes = _cookie_attributes(visitor.set_cookies, "dmportal_session")
    assert {"samesite=lax", "secure", "httponly"} <= attributes, attributes


# --- server-to-server endpoints and non-visitor clients -----------------------------------------------------


def test_token_endpoint_and_admin_api_ignore_origin(sandbox_endpoints, new_app, admin):
    app = new_app()
    with httpx.Client(verify=ssl_context(sandbox_endpoints["ca_cert"]), headers={"Origin": EVIL}) as client:
        assert token_for(client, sandbox_endpoints, app)
        health = client.get(sandbox_endpoints["admin_url"] + "/admin/health",
                            headers={"Authorization": "Bearer " + sandbox_endpoints["admin_token"]})
        assert health.status_code == 200


def test_a_client_that_is_no_browser_is_not_refused(sandbox_endpoints):
    """No Origin, Referer or Sec-Fetch-Site: not a browser, so it carries no victim's cookie."""
    with httpx.Client(verify=ssl_context(sandbox_endpoints["ca_cert"])) as client:
        response = client.post(sandbox_endpoints["dynamics_mobile"] + "/login",
                               data={"area": "DEMO01", "email": "nobody@example.test", "password": "x"})
    assert response.status_code == 401  # the form was judged, not refused


# --- the rule itself ----------------------------------------------------------------------------------------

OWN = "https://127.0.0.1:40123"


@pytest.mark.parametrize(("headers", "cross"), [
    ({"origin": OWN}, False),
    ({"origin": "https://LOCALHOST:40123"}, False),
    ({"origin": OWN + "/"}, False),
    ({"origin": "https://127.0.0.1:40124"}, True),
    ({"origin": "http://127.0.0.1:40123"}, True),
    ({"origin": "null"}, True),
    ({"origin": ""}, True),
    ({"origin": "https://[::1"}, True),
    ({"origin": "https://127.0.0.1:99999"}, True),
    ({"origin": "https://127.0.0.1:40123@evil.example"}, True),
    ({"origin": EVIL, "referer": OWN + "/page"}, True),
    ({"referer": OWN + "/app?x=1"}, False),
    ({"referer": EVIL + "/"}, True),
    ({"referer": "/relative"}, True),
    ({"sec-fetch-site": "same-origin"}, False),
    ({"sec-fetch-site": "none"}, False),
    ({"sec-fetch-site": "same-site"}, True),
    ({"sec-fetch-site": "cross-site"}, True),
    ({}, False),
])
def test_which_requests_count_as_cross_site(headers, cross):
    from starlette.datastructures import Headers

    assert is_cross_site(Headers(headers), own_origins(OWN)) is cross
