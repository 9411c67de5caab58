"""Entra twin token endpoint: success shape and claims, every AADSTS failure the procedure can hit, malformed
bodies, Basic auth, status overrides, the v1 endpoint, and token version 2.0 (FIDELITY §b.4–§b.9)."""

from __future__ import annotations

import base64
import re
from urllib.parse import quote

import jwt
import pytest

from tests.protocol.conftest import BC_SCOPE

DESCRIPTION = re.compile(r"^AADSTS(\d+): (.+)\r\nTrace ID: ([0-9a-f-]{36})\r\nCorrelation ID: ([0-9a-f-]{36})\r\n"
                         r"Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", re.S)


def _url(endpoints, tenant=None, v1=False):
    return f"{endpoints['login']}/{tenant or endpoints['tenant_id']}/oauth2/{'token' if v1 else 'v2.0/token'}"


def _form(app, **overrides):
    data = {"grant_type": "client_credentials", "client_id": app["client_id"], "client_secret": app["client_secret"],
            "scope": BC_SCOPE}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def assert_aadsts(response, status, error, code, message_start):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error
    assert body["error_codes"] == [code]
    match = DESCRIPTION.match(body["error_description"])
    assert match, body["error_description"]
    assert int(match.group(1)) == code
    assert match.group(2).startswith(message_start), match.group(2)
    assert match.group(3) == body["trace_id"] and match.group(4) == body["correlation_id"]
    assert body["error_uri"].endswith(f"/error?code={code}")
    assert re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", body["timestamp"])
    assert response.headers["cache-control"] == "no-store, no-cache"


def test_success_shape_and_v1_claims(twin_http, sandbox_endpoints, new_app, signing_key):
    app = new_app()
    response = twin_http.post(_url(sandbox_endpoints), data=_form(app))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store, no-cache"
    assert response.headers["x-ms-request-id"] and response.headers["x-ms-ests-server"]
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3599 and body["ext_expires_in"] == 3599
    header = jwt.get_unverified_header(body["access_token"])
    assert header["alg"] == "RS256" and header["kid"] == header["x5t"] == signing_key.kid
    claims = jwt.decode(body["access_token"], _public(signing_key), algorithms=["RS256"],
                        audience="https://api.businesscentral.dynamics.com")
    tid = sandbox_endpoints["tenant_id"]
    assert claims["iss"] == f"https://sts.windows.net/{tid}/"
    assert claims["tid"] == tid and claims["appid"] == app["client_id"] and claims["ver"] == "1.0"
    assert claims["appidacr"] == "1"
    assert set(claims["roles"]) == {"API.ReadWrite.All", "Automation.ReadWrite.All"}
    assert claims["exp"] - claims["iat"] == 3599


def _public(signing_key):
    from cryptography import x509

    return x509.load_der_x509_certificate(signing_key.cert_der).public_key()


def test_basic_auth_is_accepted(twin_http, sandbox_endpoints, new_app):
    app = new_app()
    credentials = base64.b64encode(f"{quote(app['client_id'])}:{quote(app['client_secret'], safe='')}".encode())
    response = twin_http.post(_url(sandbox_endpoints), data=_form(app, client_id=None, client_secret=None),
                              headers={"Authorization": "Basic " + credentials.decode()})
    assert response.status_code == 200, response.text


def test_without_consent_the_token_has_no_roles_claim(twin_http, sandbox_endpoints, new_app):
    app = new_app(consent=False)
    token = twin_http.post(_url(sandbox_endpoints), data=_form(app)).json()["access_token"]
    assert "roles" not in jwt.decode(token, options={"verify_signature": False})


def test_v1_endpoint_with_resource(twin_http, sandbox_endpoints, new_app):
    app = new_app()
    response = twin_http.post(_url(sandbox_endpoints, v1=True),
                              data=_form(app, scope=None, resource="https://api.businesscentral.dynamics.com"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["expires_in"] == "3599" and body["resource"] == "https://api.businesscentral.dynamics.com"
    assert jwt.decode(body["access_token"], options={"verify_signature": False})["ver"] == "1.0"


def test_token_version_2_option(twin_http, sandbox_endpoints, new_app, options):
    options(token_version="2.0")
    app = new_app()
    token = twin_http.post(_url(sandbox_endpoints), data=_form(app)).json()["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["ver"] == "2.0" and claims["azp"] == app["client_id"]
    assert claims["iss"] == f"{sandbox_endpoints['login']}/{sandbox_endpoints['tenant_id']}/v2.0"


CASES = {
    "wrong secret": (dict(client_secret="abc8" "Q~not-the-secret-value-at-all-000000"), 401, "invalid_client", 7000215,
                     "Invalid client secret provided. Ensure the secret being sent in the request is the client "
                     "secret value, not the client secret ID"),
    "no secret": (dict(client_secret=None), 401, "invalid_client", 7000218,
                  "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
    "unknown client": (dict(client_id="6a0b7f43-97c3-4a36-8f58-0123456789ab"), 400, "unauthorized_client", 700016,
                       "Application with identifier '6a0b7f43-97c3-4a36-8f58-0123456789ab' was not found in the "
                       "directory"),
    "unknown resource": (dict(scope="https://unknown.example.com/.default"), 400, "invalid_resource", 500011,
                         "The resource principal named https://unknown.example.com was not found in the tenant"),
    "scope without .default": (dict(scope="https://api.businesscentral.dynamics.com/API.ReadWrite.All"), 400,
                               "invalid_scope", 70011, "The provided value for the input parameter 'scope' is not "
                               "valid."),
    "two resources": (dict(scope=BC_SCOPE + " https://graph.microsoft.com/.default"), 400, "invalid_scope", 70011,
                      "The provided value for the input parameter 'scope' is not valid."),
    "no grant_type": (dict(grant_type=None), 400, "invalid_request", 900144,
                      "The request body must contain the following parameter: 'grant_type'."),
    "no client_id": (dict(client_id=None), 400, "invalid_request", 900144,
                     "The request body must contain the following parameter: 'client_id'."),
    "no scope": (dict(scope=None), 400, "invalid_request", 900144,
                 "The request body must contain the following parameter: 'scope'."),
    "password grant": (dict(grant_type="password"), 400, "unsupported_grant_type", 70003,
                       "The app requested an unsupported grant type 'password'."),
}


@pytest.mark.parametrize("case", list(CASES))
def test_token_errors(twin_http, sandbox_endpoints, new_app, case):
    overrides, status, error, code, message = CASES[case]
    app = new_app()
    response = twin_http.post(_url(sandbox_endpoints), data=_form(app, **overrides))
    assert_aadsts(response, status, error, code, message)


def test_secret_id_pasted_is_7000215(twin_http, sandbox_endpoints, new_app):
    app = new_app()
    response = twin_http.post(_url(sandbox_endpoints), data=_form(app, client_secret=app["secret_id"]))
    assert_aadsts(response, 401, "invalid_client", 7000215, "Invalid client secret provided.")


def test_expired_secret_is_7000222(twin_http, sandbox_endpoints, new_app):
    app = new_app(secret_expired=True)
    response = twin_http.post(_url(sandbox_endpoints), data=_form(app))
    assert_aadsts(response, 401, "invalid_client", 7000222,
                  f"The provided client secret keys for app '{app['client_id']}' are expired.")


def test_unknown_tenant_is_90002(twin_http, sandbox_endpoints, new_app):
    app = new_app()
    response = twin_http.post(_url(sandbox_endpoints, tenant="0f0f0f0f-0000-4000-8000-000000000000"), data=_form(app))
    assert_aadsts(response, 400, "invalid_request", 90002, "Tenant '0f0f0f0f-0000-4000-8000-000000000000' not found.")


@pytest.mark.parametrize("alias", ["common", "organizations"])
def test_multi_tenant_aliases_reject_client_credentials(twin_http, sandbox_endpoints, new_app, alias):
    app = new_app()
    response = twin_http.post(_url(sandbox_endpoints, tenant=alias), data=_form(app))
    assert_aadsts(response, 400, "invalid_request", 9001023, "The grant type isn't supported over the /common")


def test_json_body_reads_as_missing_grant_type(twin_http, sandbox_endpoints, new_app):
    app = new_app()
    response = twin_http.post(_url(sandbox_endpoints), json=_form(app))
    assert_aadsts(response, 400, "invalid_request", 900144, "The request body must contain the following parameter: "
                  "'grant_type'.")


def test_badly_encoded_form_reads_as_missing_grant_type(twin_http, sandbox_endpoints):
    response = twin_http.post(_url(sandbox_endpoints), content=b"grant_type=client_credentials&scope=\xff\xfe",
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_aadsts(response, 400, "invalid_request", 900144, "The request body must contain the following parameter")


def test_status_per_code_is_configurable(twin_http, sandbox_endpoints, new_app, options):
    options(aadsts_status={"7000215": 400})
    app = new_app()
    response = twin_http.post(_url(sandbox_endpoints), data=_form(app, client_secret="wrong-wrong-wrong"))
    assert_aadsts(response, 400, "invalid_client", 7000215, "Invalid client secret provided.")


def test_ids_are_fresh_per_response(twin_http, sandbox_endpoints, new_app):
    app = new_app()
    first, second = (twin_http.post(_url(sandbox_endpoints), data=_form(app, client_secret="nope-nope-nope")).json()
                     for _ in range(2))
    assert first["trace_id"] != second["trace_id"] and first["correlation_id"] != second["correlation_id"]
