"""Azure portal twin without a browser: hash routes, registration validation, secret periods, sign-in gating."""

from __future__ import annotations

import httpx
import pytest

from harness.http import ssl_context
from sandbox.azure_portal import routes
from sandbox.azure_portal.rules import secret_period, validate_registration

APP_ID = "0f3c0a4e-1d0b-4f53-9b9b-3d2f8c1b6a11"
LIST_FRAGMENT = "#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade"  # FIDELITY.md §c.1


@pytest.mark.parametrize("fragment, blade, section", [
    ("#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade", "list", ""),
    ("#blade/Microsoft_AAD_RegisteredApps/ApplicationsListBlade", "list", ""),
    ("#view/Microsoft_AAD_RegisteredApps/CreateApplicationBlade", "create", ""),
    (f"#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/{APP_ID}", "app", "Overview"),
    (f"#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/CallAnAPI/appId/{APP_ID}/isMSAApp~/false", "app",
     "CallAnAPI"),
    (f"#blade/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/Credentials/appId/{APP_ID}", "app", "Credentials"),
    (f"#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Authentication/appId/{APP_ID.upper()}", "app",
     "Authentication"),
    ("", "home", ""),
    ("#view/Nothing/Here", "unknown", ""),
])
def test_documented_fragments_route_to_their_blades(fragment: str, blade: str, section: str) -> None:
    route = routes.parse(fragment)
    assert (route.blade, route.section) == (blade, section)
    if blade == "app":
        assert route.app_id == APP_ID


def test_app_hash_is_the_documented_deep_link_and_round_trips() -> None:
    fragment = routes.app_hash(APP_ID, "Credentials")
    assert fragment.startswith(f"#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/{APP_ID}")
    route = routes.parse(fragment)
    assert (route.blade, route.section, route.app_id) == ("app", "Credentials", APP_ID)


def _form(**overrides: str) -> dict[str, str]:
    return {"name": "Dynamics Mobile", "signInAudience": "AzureADMyOrg", "platform": "Web",
            "redirectUri": "https://businesscentral.dynamics.com/OAuthLanding.htm", **overrides}


def test_a_complete_registration_is_valid() -> None:
    assert validate_registration(_form()) == {}
    assert validate_registration(_form(platform="", redirectUri="")) == {}  # the redirect URI is optional


@pytest.mark.parametrize("overrides, field", [
    ({"name": ""}, "name"),
    ({"signInAudience": "Everyone"}, "audience"),
    ({"redirectUri": "http://example.com/auth"}, "redirect"),
    ({"redirectUri": "https://example.com/auth#frag"}, "redirect"),
    ({"redirectUri": "not a uri"}, "redirect"),
    ({"redirectUri": "https://[::1/auth"}, "redirect"),  # unparseable: refused, not a 500
    ({"platform": ""}, "redirect"),
])
def test_bad_registrations_are_refused_with_a_reason(overrides: dict[str, str], field: str) -> None:
    errors = validate_registration(_form(**overrides))
    assert field in errors and errors[field]


def test_localhost_redirects_may_use_http() -> None:
    assert validate_registration(_form(redirectUri="http://localhost:8400/callback")) == {}


def test_secret_periods() -> None:
    assert secret_period({"expires": "730"}, 0.0) == (730.0, None, None)
    assert secret_period({}, 0.0) == (180.0, None, None)  # Recommended: 180 days
    days, start, end = secret_period({"expires": "custom", "start": "2030-01-01", "end": "2030-06-30"}, 0.0)
    assert days is None and start is not None and end is not None and end > start
    with pytest.raises(ValueError, match="24 months"):
        secret_period({"expires": "custom", "start": "2030-01-01", "end": "2033-01-01"}, 0.0)
    with pytest.raises(ValueError, match="after the start"):
        secret_period({"expires": "custom", "start": "2030-01-01", "end": "2029-01-01"}, 0.0)
    with pytest.raises(ValueError):
        secret_period({"expires": "3650"}, 0.0)  # "Never"/10 years is not offered


@pytest.fixture
def portal_http(sandbox_endpoints: dict) -> httpx.Client:
    with httpx.Client(base_url=sandbox_endpoints["azure_portal"], verify=ssl_context(sandbox_endpoints["ca_cert"]),
                      follow_redirects=False) as client:
        yield client


def test_without_a_session_the_shell_bounces_to_sign_in(portal_http: httpx.Client, sandbox_endpoints: dict) -> None:
    root = portal_http.get("/")
    assert root.status_code == 200 and 'location.replace("/signin")' in root.text
    assert "Microsoft Azure" not in root.text.split("<body>", 1)[1]
    signin = portal_http.get("/signin")
    assert signin.status_code == 302
    assert signin.headers["location"].startswith(sandbox_endpoints["login"] + "/" + sandbox_endpoints["tenant_id"]
                                                 + "/oauth2/v2.0/authorize?")


def test_without_a_session_blades_and_actions_are_refused(portal_http: httpx.Client) -> None:
    assert portal_http.get("/api/blade", params={"route": LIST_FRAGMENT}).status_code == 401
    assert portal_http.post("/api/apps", data={"name": "x", "signInAudience": "AzureADMyOrg"}).status_code == 401
    assert portal_http.post(f"/api/apps/{APP_ID}/secrets", data={"expires": "730"}).status_code == 401
