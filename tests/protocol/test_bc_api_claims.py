"""BC API twin: strict claim types in validly signed tokens and malformed Authorization headers. Each forged token
changes one claim of an otherwise accepted token; every refusal is BC's one 401 envelope
(`Authentication_InvalidCredentials`, FIDELITY §e), never a 500.

`aud` follows RFC 7519 §4.1.3: a string, or an array of strings of which one must be BC's audience."""

from __future__ import annotations

import base64
import json
import re

import jwt
import pytest

from tests.protocol.conftest import token_for

INVALID_CREDENTIALS = re.compile(r"^The server has rejected the client credentials\.  CorrelationId:  "
                                 r"[0-9a-f-]{36}\.$")
BC = "https://api.businesscentral.dynamics.com"


def _url(endpoints):
    return f"{endpoints['bc_api']}/v2.0/{endpoints['tenant_id']}/{endpoints['environment']}/api/v2.0/companies"


def assert_401(response):
    assert response.status_code == 401, response.text
    assert response.headers["odata-version"] == "4.0"
    error = response.json()["error"]
    assert error["code"] == "Authentication_InvalidCredentials"
    assert INVALID_CREDENTIALS.match(error["message"]), error["message"]


@pytest.fixture
def app(new_app, twin_http, sandbox_endpoints):
    made = new_app()
    assert twin_http.get(_url(sandbox_endpoints), headers={
        "Authorization": "Bearer " + token_for(twin_http, sandbox_endpoints, made)}).status_code == 200
    return made


def _call(twin_http, endpoints, token):
    return twin_http.get(_url(endpoints), headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize("aud", [[BC], ["https://graph.microsoft.com", BC], [BC + "/"],
                                 ["996def3d-b36c-4153-8607-a6fd3c01b89f"]])
def test_audience_list_holding_bc_is_accepted(twin_http, sandbox_endpoints, app, mint, aud):
    assert _call(twin_http, sandbox_endpoints, mint(app["client_id"], aud=aud)).status_code == 200


@pytest.mark.parametrize("aud", [[], ["https://graph.microsoft.com"], [BC, 7], [[BC]], {"aud": BC}, 42, True,
                                 BC.upper(), BC + "/x"])
def test_other_audiences_are_401(twin_http, sandbox_endpoints, app, mint, aud):
    assert_401(_call(twin_http, sandbox_endpoints, mint(app["client_id"], aud=aud)))


@pytest.mark.parametrize("claim", ["exp", "nbf", "iat"])
@pytest.mark.parametrize("value", ["abc", "9999999999", True, [1], {"t": 1}, float("nan"), float("inf"), 10**400,
                                   -(10**400), 253402300800])
def test_non_numeric_or_absurd_dates_are_401(twin_http, sandbox_endpoints, app, mint, claim, value):
    assert_401(_call(twin_http, sandbox_endpoints, mint(app["client_id"], **{claim: value})))


def test_float_dates_are_numbers_too(twin_http, sandbox_endpoints, app, mint, admin):
    now = admin.call("GET", "/admin/health")["now"]
    token = mint(app["client_id"], exp=now + 600.5, nbf=now - 0.25, iat=now - 0.25)
    assert _call(twin_http, sandbox_endpoints, token).status_code == 200


def test_missing_exp_is_401(twin_http, sandbox_endpoints, app, mint):
    assert_401(_call(twin_http, sandbox_endpoints, mint(app["client_id"], exp=None)))


def test_dates_before_1970_are_dates(twin_http, sandbox_endpoints, app, mint):
    assert _call(twin_http, sandbox_endpoints, mint(app["client_id"], nbf=-1, iat=-1)).status_code == 200
    assert_401(_call(twin_http, sandbox_endpoints, mint(app["client_id"], exp=-1)))


def test_without_nbf_and_iat_the_token_is_still_good(twin_http, sandbox_endpoints, app, mint):
    assert _call(twin_http, sandbox_endpoints, mint(app["client_id"], nbf=None, iat=None)).status_code == 200


def test_missing_tid_is_401_even_with_a_matching_empty_issuer(twin_http, sandbox_endpoints, app, mint):
    assert_401(_call(twin_http, sandbox_endpoints, mint(app["client_id"], tid=None, iss="https://sts.windows.net//")))


@pytest.mark.parametrize("tid", [123, ["x"], "", None])
def test_tid_must_be_a_string(twin_http, sandbox_endpoints, app, mint, tid):
    assert_401(_call(twin_http, sandbox_endpoints, mint(app["client_id"], tid=tid)))


@pytest.mark.parametrize("roles", ["API.ReadWrite.All", "xAPI.ReadWrite.Allx", "API.ReadWrite.All API.Other",
                                   [["API.ReadWrite.All"]], ["api.readwrite.all"], {"API.ReadWrite.All": 1}, 1])
def test_roles_must_be_a_list_holding_the_role(twin_http, sandbox_endpoints, app, mint, roles):
    assert_401(_call(twin_http, sandbox_endpoints, mint(app["client_id"], roles=roles)))


@pytest.mark.parametrize("appid", [None, 5, ["x"]])  # None: no appid claim
def test_appid_must_be_a_string(twin_http, sandbox_endpoints, app, mint, appid):
    assert_401(_call(twin_http, sandbox_endpoints, mint(app["client_id"], appid=appid)))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.mark.parametrize("header", [b"Bearer \xe9", b"", b"Bearer", b"Bearerabc", b"bearer\tabc", b"Basic abc",
                                    b"Bearer a.b.c", b"Bearer ...", b"Bearer " + b"a" * 8000,
                                    ("Bearer " + _b64(b"[]") + "." + _b64(b"{}") + ".x").encode(),
                                    ("Bearer " + _b64(json.dumps({"alg": "none"}).encode()) + "."
                                     + _b64(b'{"tid":"x"}') + ".").encode(),
                                    b"Bearer \xff\xfe.\xc3\xa9.x"])
def test_malformed_authorization_headers_are_401(twin_http, sandbox_endpoints, header):
    response = twin_http.get(_url(sandbox_endpoints), headers={"Authorization": header})
    assert_401(response)


def test_no_authorization_header_is_401(twin_http, sandbox_endpoints):
    assert_401(twin_http.get(_url(sandbox_endpoints)))


def test_claims_that_are_not_an_object_are_401(twin_http, sandbox_endpoints, signing_key):
    token = jwt.PyJWS().encode(b"[1, 2]", signing_key.private_pem, algorithm="RS256",
                               headers={"kid": signing_key.kid, "x5t": signing_key.kid, "typ": "JWT"})
    assert_401(_call(twin_http, sandbox_endpoints, token))
