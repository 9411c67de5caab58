"""The sign-in twin and the token endpoint against hostile input, as Entra answers it: exact redirect-URI match
(AADSTS50011), smart lockout (AADSTS50053) with the admin unlock, and no 5xx from any header, body or method on the
token endpoint (AADSTS9002313, AADSTS9000411, AADSTS900561). Literal texts come from real captures (see the sources
named in sandbox/entra/errors.py and signin_pages.py), never from the twin's constants."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from harness.http import ssl_context
from tests.protocol.conftest import BC_SCOPE
from tests.protocol.test_entra_token import assert_aadsts

AZURE_PORTAL_CLIENT = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"  # the real Azure portal's public client id
LANDING = "https://businesscentral.dynamics.com/OAuthLanding.htm"
LOCKED_TEXT = "Your account is temporarily locked to prevent unauthorized use."
LOCKED_CODE = ("AADSTS50053: The account is locked, you've tried to sign in too many times with an incorrect user ID "
               "or password.")


def mismatch_text(redirect_uri: str, client_id: str) -> str:
    return (f"AADSTS50011: The redirect URI '{redirect_uri}' specified in the request does not match the redirect "
            f"URIs configured for the application '{client_id}'. Make sure the redirect URI sent in the request "
            "matches one added to your application in the Azure portal. Navigate to "
            "https://aka.ms/redirectUriMismatchError to learn more about how to fix this.")


@pytest.fixture
def browser(sandbox_endpoints: dict[str, Any]) -> Iterator[httpx.Client]:
    """A client with its own cookie jar, so a sign-in here leaves the shared client signed out."""
    with httpx.Client(verify=ssl_context(sandbox_endpoints["ca_cert"]), timeout=30,
                      headers={"Origin": sandbox_endpoints["login"]}) as client:
        yield client


def _authorize_url(endpoints: dict[str, Any], v1: bool = False) -> str:
    return f"{endpoints['login']}/{endpoints['tenant_id']}/oauth2/{'authorize' if v1 else 'v2.0/authorize'}"


# --- redirect URIs ---------------------------------------------------------------------------------


def _evil_variants(endpoints: dict[str, Any]) -> list[str]:
    portal = endpoints["azure_portal"]
    port = portal.rsplit(":", 1)[1]
    return [f"https://127.0.0.1:{port}@evil.example/steal", f"{portal}/signin-oidc/../steal",
            f"{portal}/signin-oidc?next=https://evil.example", f"{portal}/signin-oidcx", f"{portal}/",
            endpoints["dynamics_mobile"] + "/signin-oidc", portal.upper() + "/signin-oidc"]


@pytest.mark.parametrize("v1", [False, True])
def test_first_party_sign_in_takes_only_its_own_callback(twin_http, sandbox_endpoints, v1):
    url = _authorize_url(sandbox_endpoints, v1)
    for redirect_uri in _evil_variants(sandbox_endpoints):
        response = twin_http.get(url, params={"client_id": AZURE_PORTAL_CLIENT, "response_type": "code",
                                              "redirect_uri": redirect_uri, "state": "s"})
        assert response.status_code == 400, redirect_uri
        assert mismatch_text(redirect_uri, AZURE_PORTAL_CLIENT) in html.unescape(response.text)
        assert "flowToken" not in response.text
    exact = twin_http.get(url, params={"client_id": AZURE_PORTAL_CLIENT, "response_type": "code",
                                       "redirect_uri": sandbox_endpoints["azure_portal"] + "/signin-oidc"})
    assert exact.status_code == 200 and 'id="i0116"' in exact.text


def test_signed_in_admin_gets_no_code_for_a_foreign_redirect(browser, sandbox_endpoints, unlock_admin):
    token = _start_sign_in(browser, sandbox_endpoints)
    assert 'id="kmsiTitle"' in _password(browser, sandbox_endpoints, token, sandbox_endpoints["admin_password"]).text
    done = browser.post(f"{sandbox_endpoints['login']}/common/login", data={"flowToken": token, "step": "kmsi",
                                                                            "kmsi": "no"})
    assert done.status_code == 302 and "code=" in done.headers["location"]  # signed in now
    evil = _evil_variants(sandbox_endpoints)[0]
    response = browser.get(_authorize_url(sandbox_endpoints), params={
        "client_id": AZURE_PORTAL_CLIENT, "response_type": "code", "redirect_uri": evil, "state": "s"})
    assert response.status_code == 400 and "location" not in response.headers
    assert mismatch_text(evil, AZURE_PORTAL_CLIENT) in html.unescape(response.text)


def test_admin_consent_requires_an_exact_registered_redirect_uri(twin_http, sandbox_endpoints, new_app):
    app = new_app()
    url = f"{sandbox_endpoints['login']}/common/adminconsent"
    for redirect_uri in (LANDING + "@evil.example", LANDING + "/x", LANDING.lower(), "https://evil.example/"):
        response = twin_http.get(url, params={"client_id": app["client_id"], "redirect_uri": redirect_uri})
        assert response.status_code == 400, redirect_uri
        assert mismatch_text(redirect_uri, app["client_id"]) in html.unescape(response.text)
    exact = twin_http.get(url, params={"client_id": app["client_id"], "redirect_uri": LANDING})
    assert exact.status_code == 200 and 'id="i0116"' in exact.text


# --- smart lockout ---------------------------------------------------------------------------------


@pytest.fixture
def unlock_admin(admin, sandbox_endpoints) -> Iterator[None]:
    """The admin account is shared by the whole run: leave it unlocked and the clock where it was."""
    yield
    admin.call("POST", f"/admin/users/{sandbox_endpoints['admin_user']}/unlock")
    admin.reset_clock()


def _start_sign_in(client: httpx.Client, endpoints: dict[str, Any]) -> str:
    page = client.get(_authorize_url(endpoints), params={
        "client_id": AZURE_PORTAL_CLIENT, "response_type": "code",
        "redirect_uri": endpoints["azure_portal"] + "/signin-oidc", "state": "s"})
    match = re.search(r'name="flowToken" value="([^"]+)"', page.text)
    assert match, page.text
    email = client.post(f"{endpoints['login']}/common/login",
                        data={"flowToken": match.group(1), "step": "email", "loginfmt": endpoints["admin_user"]})
    assert 'id="i0118"' in email.text
    return match.group(1)


def _password(client: httpx.Client, endpoints: dict[str, Any], token: str, password: str) -> httpx.Response:
    return client.post(f"{endpoints['login']}/common/login",
                       data={"flowToken": token, "step": "password", "passwd": password})


def _is_locked(response: httpx.Response) -> bool:
    text = html.unescape(response.text)
    return LOCKED_TEXT in text and LOCKED_CODE in text


def test_ten_wrong_passwords_lock_even_the_right_one(browser, sandbox_endpoints, unlock_admin):
    token = _start_sign_in(browser, sandbox_endpoints)
    for attempt in range(9):
        wrong = _password(browser, sandbox_endpoints, token, f"not-the-password-{attempt}")
        assert wrong.status_code == 200 and 'id="i0118"' in wrong.text and not _is_locked(wrong)
    assert _is_locked(_password(browser, sandbox_endpoints, token, "not-the-password-9"))  # the 10th
    right = _password(browser, sandbox_endpoints, token, sandbox_endpoints["admin_password"])
    assert _is_locked(right) and 'id="kmsiTitle"' not in right.text


def test_nine_wrong_then_right_signs_in_and_resets_the_count(browser, sandbox_endpoints, unlock_admin):
    token = _start_sign_in(browser, sandbox_endpoints)
    for _ in range(9):
        _password(browser, sandbox_endpoints, token, "wrong")
    assert 'id="kmsiTitle"' in _password(browser, sandbox_endpoints, token, sandbox_endpoints["admin_password"]).text
    again = _start_sign_in(browser, sandbox_endpoints)
    assert not _is_locked(_password(browser, sandbox_endpoints, again, "wrong"))  # counting starts over


def test_lock_expires_on_the_sandbox_clock(browser, sandbox_endpoints, options, admin, unlock_admin):
    options(lockout_threshold=3, lockout_duration_s=3600)
    token = _start_sign_in(browser, sandbox_endpoints)
    for _ in range(3):
        last = _password(browser, sandbox_endpoints, token, "wrong")
    assert _is_locked(last)
    admin.advance_clock(3000)  # ten minutes of margin for a slow machine; the old flow has expired by now
    token = _start_sign_in(browser, sandbox_endpoints)
    assert _is_locked(_password(browser, sandbox_endpoints, token, sandbox_endpoints["admin_password"]))
    admin.advance_clock(700)
    token = _start_sign_in(browser, sandbox_endpoints)
    assert 'id="kmsiTitle"' in _password(browser, sandbox_endpoints, token, sandbox_endpoints["admin_password"]).text


def test_admin_api_unlocks(browser, sandbox_endpoints, options, admin, unlock_admin):
    options(lockout_threshold=2)
    token = _start_sign_in(browser, sandbox_endpoints)
    _password(browser, sandbox_endpoints, token, "wrong")
    assert _is_locked(_password(browser, sandbox_endpoints, token, "wrong"))
    admin.call("POST", f"/admin/users/{sandbox_endpoints['admin_user']}/unlock")
    assert 'id="kmsiTitle"' in _password(browser, sandbox_endpoints, token, sandbox_endpoints["admin_password"]).text


def test_unlocking_an_unknown_user_is_404(sandbox_endpoints):
    response = httpx.post(f"{sandbox_endpoints['admin_url']}/admin/users/nobody@nowhere.example/unlock",
                          headers={"Authorization": f"Bearer {sandbox_endpoints['admin_token']}"},
                          verify=ssl_context(sandbox_endpoints["ca_cert"]))
    assert response.status_code == 404


# --- token endpoint: no 5xx whatever comes in ------------------------------------------------------


def _token_url(endpoints: dict[str, Any], v1: bool = False) -> str:
    return f"{endpoints['login']}/{endpoints['tenant_id']}/oauth2/{'token' if v1 else 'v2.0/token'}"


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
MALFORMED = "Invalid request. Request is malformed or invalid."


@pytest.mark.parametrize("header", [b"Basic \xe9", b"Basic !!!!", b"Basic " + base64.b64encode(b"no-colon"),
                                    b"Basic " + base64.b64encode(b"\xff\xfe:\xff"), b"basic ="])
def test_undecodable_basic_header_is_a_malformed_request(twin_http, sandbox_endpoints, header):
    response = twin_http.post(_token_url(sandbox_endpoints), headers={"Authorization": header},
                              data={"grant_type": "client_credentials", "scope": BC_SCOPE})
    assert_aadsts(response, 400, "invalid_request", 9002313, MALFORMED)


@pytest.mark.parametrize("name", ["grant_type", "client_id", "client_secret", "scope"])
def test_a_parameter_sent_twice_is_refused(twin_http, sandbox_endpoints, new_app, name):
    app = new_app()
    form = {"grant_type": "client_credentials", "client_id": app["client_id"], "client_secret": app["client_secret"],
            "scope": BC_SCOPE}
    body = httpx.QueryParams(form).add(name, "password" if name == "grant_type" else form[name])
    response = twin_http.post(_token_url(sandbox_endpoints), content=str(body), headers=FORM)
    assert_aadsts(response, 400, "invalid_request", 9000411,
                  f"The request is not properly formatted. The parameter '{name}' is duplicated.")


def test_oversized_body_is_413_without_reading_it_all(twin_http, sandbox_endpoints):
    body = b"grant_type=client_credentials&junk=" + b"a" * (10 * 1024 * 1024)
    response = twin_http.post(_token_url(sandbox_endpoints), content=body, headers=FORM)
    assert_aadsts(response, 413, "invalid_request", 9002313, MALFORMED)


def test_just_over_the_limit_is_refused_and_just_under_is_read(twin_http, sandbox_endpoints):
    head = b"grant_type=client_credentials&junk="
    over = twin_http.post(_token_url(sandbox_endpoints), content=head + b"a" * (64 * 1024 - len(head) + 1),
                          headers=FORM)
    assert_aadsts(over, 413, "invalid_request", 9002313, MALFORMED)
    under = twin_http.post(_token_url(sandbox_endpoints), content=head + b"a" * (64 * 1024 - len(head)),
                           headers=FORM)
    assert_aadsts(under, 400, "invalid_request", 900144, "The request body must contain the following parameter: "
                  "'client_id'.")


def test_more_than_a_hundred_parameters_is_malformed(twin_http, sandbox_endpoints, new_app):
    app = new_app()
    form = {"grant_type": "client_credentials", "client_id": app["client_id"], "client_secret": app["client_secret"],
            "scope": BC_SCOPE}
    hundred = httpx.QueryParams({**form, **{f"x{i}": "1" for i in range(96)}})
    assert twin_http.post(_token_url(sandbox_endpoints), content=str(hundred), headers=FORM).status_code == 200
    response = twin_http.post(_token_url(sandbox_endpoints), content=str(hundred.add("x96", "1")), headers=FORM)
    assert_aadsts(response, 400, "invalid_request", 9002313, MALFORMED)


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("v1", [False, True])
def test_other_methods_get_the_post_only_error(twin_http, sandbox_endpoints, method, v1):
    response = twin_http.request(method, _token_url(sandbox_endpoints, v1))
    assert_aadsts(response, 400, "invalid_request", 900561,
                  f"The endpoint only accepts POST requests. Received a {method} request.")
