"""BC API twin: companies over OData (both URL forms, $filter, companies({id}), headers) and every way the bearer
token or the app can be refused (FIDELITY §e). Forged tokens change exactly one thing at a time."""

from __future__ import annotations

import re
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sandbox.keys import SigningKey
from tests.protocol.conftest import token_for

INVALID_CREDENTIALS = re.compile(r"^The server has rejected the client credentials\.  CorrelationId:  "
                                 r"[0-9a-f-]{36}\.$")
ROW_FIELDS = {"id", "systemVersion", "timestamp", "name", "displayName", "businessProfileId", "systemCreatedAt",
              "systemCreatedBy", "systemModifiedAt", "systemModifiedBy"}


def _companies_url(endpoints, tenant="default", environment=None):
    tenant = endpoints["tenant_id"] if tenant == "default" else tenant
    env = environment or endpoints["environment"]
    return f"{endpoints['bc_api']}/v2.0/{tenant + '/' if tenant else ''}{env}/api/v2.0/companies"


def _get(client, url, token, **kwargs):
    return client.get(url, headers={"Authorization": f"Bearer {token}"}, **kwargs)


def assert_401(response):
    assert response.status_code == 401, response.text
    error = response.json()["error"]
    assert error["code"] == "Authentication_InvalidCredentials"
    assert INVALID_CREDENTIALS.match(error["message"]), error["message"]


@pytest.fixture
def ready_app(new_app):
    return new_app()


@pytest.fixture
def good_token(twin_http, sandbox_endpoints, ready_app):
    return token_for(twin_http, sandbox_endpoints, ready_app)


def test_lists_companies_with_odata_headers(twin_http, sandbox_endpoints, good_token):
    url = _companies_url(sandbox_endpoints)
    response = _get(twin_http, url, good_token)
    assert response.status_code == 200, response.text
    assert response.headers["odata-version"] == "4.0"
    assert response.headers["content-type"] == "application/json; odata.metadata=minimal; odata.streaming=true"
    body = response.json()
    assert body["@odata.context"] == url.removesuffix("/companies") + "/$metadata#companies"
    names = [row["name"] for row in body["value"]]
    assert sandbox_endpoints["company"] in names
    for row in body["value"]:
        assert set(row) == ROW_FIELDS
        uuid.UUID(row["id"])
        assert isinstance(row["timestamp"], int)


def test_tenantless_url_takes_tenant_from_token(twin_http, sandbox_endpoints, good_token):
    response = _get(twin_http, _companies_url(sandbox_endpoints, tenant=None), good_token)
    assert response.status_code == 200, response.text
    assert response.json()["@odata.context"].endswith(f"/v2.0/{sandbox_endpoints['environment']}/api/v2.0/"
                                                      "$metadata#companies")


def test_tenant_domain_in_url(twin_http, sandbox_endpoints, good_token):
    response = _get(twin_http, _companies_url(sandbox_endpoints, tenant=sandbox_endpoints["tenant_domain"]),
                    good_token)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("expression, expected", [
    ("name eq '{company}'", 1),
    ("displayName eq '{company}'", 1),
    ("name eq 'No Such Company'", 0),
    ("name eq 'O''Brien Ltd.'", 0),
    ("name eq '{company}' and displayName eq '{company}'", 1),
])
def test_filter(twin_http, sandbox_endpoints, good_token, expression, expected):
    company = sandbox_endpoints["company"].replace("'", "''")
    response = _get(twin_http, _companies_url(sandbox_endpoints), good_token,
                    params={"$filter": expression.format(company=company)})
    assert response.status_code == 200, response.text
    rows = response.json()["value"]
    assert len(rows) == expected
    assert all(row["name"] == sandbox_endpoints["company"] for row in rows)


@pytest.mark.parametrize("expression", ["name ne 'x'", "name eq x", "nome eq 'x'", "name eq 'x' or name eq 'y'",
                                        "name eq 'unterminated"])
def test_bad_filter_is_400(twin_http, sandbox_endpoints, good_token, expression):
    response = _get(twin_http, _companies_url(sandbox_endpoints), good_token, params={"$filter": expression})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"].startswith("BadRequest_")


def test_company_by_id(twin_http, sandbox_endpoints, good_token):
    url = _companies_url(sandbox_endpoints)
    company = _get(twin_http, url, good_token).json()["value"][0]
    response = _get(twin_http, f"{url}({company['id']})", good_token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["@odata.context"].endswith("/$metadata#companies/$entity")
    assert body["id"] == company["id"] and body["name"] == company["name"]


def test_unknown_company_id_is_404(twin_http, sandbox_endpoints, good_token):
    response = _get(twin_http, f"{_companies_url(sandbox_endpoints)}({uuid.uuid4()})", good_token)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "Internal_CompanyNotFound"


def test_unknown_environment_is_404(twin_http, sandbox_endpoints, good_token):
    response = _get(twin_http, _companies_url(sandbox_endpoints, environment="NoSuchEnv"), good_token)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "BadRequest_NotFound"


def test_unknown_environment_answer_is_configurable(twin_http, sandbox_endpoints, good_token, options):
    options(bc_environment_not_found={"status": 400, "code": "Internal_TenantUnavailable"})
    response = _get(twin_http, _companies_url(sandbox_endpoints, environment="NoSuchEnv"), good_token)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "Internal_TenantUnavailable")


def test_post_is_405(twin_http, sandbox_endpoints, good_token):
    response = twin_http.post(_companies_url(sandbox_endpoints), json={"name": "x"},
                              headers={"Authorization": f"Bearer {good_token}"})
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "BadRequest_MethodNotAllowed"


@pytest.mark.parametrize("path", ["/v2.0/x/Sandbox/api/v2.0/customers", "/nothing", "/v2.0/Sandbox/api/v1.0/companies"])
def test_unknown_paths_are_404(twin_http, sandbox_endpoints, good_token, path):
    response = _get(twin_http, sandbox_endpoints["bc_api"] + path, good_token)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "BadRequest_NotFound"


# --- refusals ----------------------------------------------------------------------------------------


def test_no_authorization_header(twin_http, sandbox_endpoints):
    assert_401(twin_http.get(_companies_url(sandbox_endpoints)))


def test_minted_token_is_accepted(twin_http, sandbox_endpoints, ready_app, mint):
    """The forging helper itself works, so each refusal below is caused by its one defect."""
    response = _get(twin_http, _companies_url(sandbox_endpoints), mint(ready_app["client_id"]))
    assert response.status_code == 200, response.text


def test_alg_none_is_refused(twin_http, sandbox_endpoints, ready_app, mint):
    claims = jwt.decode(mint(ready_app["client_id"]), options={"verify_signature": False})
    token = jwt.encode(claims, None, algorithm="none")
    assert_401(_get(twin_http, _companies_url(sandbox_endpoints), token))


def test_tampered_signature_is_refused(twin_http, sandbox_endpoints, ready_app, mint):
    head, payload, signature = mint(ready_app["client_id"]).split(".")
    tampered = signature[:-4] + ("AAAA" if not signature.endswith("AAAA") else "BBBB")
    assert_401(_get(twin_http, _companies_url(sandbox_endpoints), f"{head}.{payload}.{tampered}"))


def test_tampered_payload_is_refused(twin_http, sandbox_endpoints, ready_app, mint):
    good = mint(ready_app["client_id"])
    other = mint(ready_app["client_id"], roles=["API.ReadWrite.All", "Automation.ReadWrite.All"])
    head, _, signature = good.split(".")
    assert_401(_get(twin_http, _companies_url(sandbox_endpoints), f"{head}.{other.split('.')[1]}.{signature}"))


def test_foreign_key_with_same_kid_is_refused(twin_http, sandbox_endpoints, ready_app, mint, signing_key):
    foreign = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = foreign.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    token = mint(ready_app["client_id"], key=SigningKey(pem, signing_key.cert_der))
    assert_401(_get(twin_http, _companies_url(sandbox_endpoints), token))


def test_unknown_kid_is_refused(twin_http, sandbox_endpoints, ready_app, mint):
    token = mint(ready_app["client_id"], header={"kid": "unknown-kid", "x5t": "unknown-kid"})
    assert_401(_get(twin_http, _companies_url(sandbox_endpoints), token))


@pytest.mark.parametrize("claims", [
    {"exp": 1_000_000_000},  # long expired
    {"nbf": 4_000_000_000},  # not yet valid
    {"aud": "https://graph.microsoft.com"},
    {"iss": "https://sts.windows.net/00000000-0000-0000-0000-000000000000/"},
    {"roles": None},
    {"roles": ["Automation.ReadWrite.All"]},
], ids=["expired", "not-yet-valid", "wrong-aud", "wrong-iss", "no-roles", "roles-without-api"])
def test_bad_claims_are_refused(twin_http, sandbox_endpoints, ready_app, mint, claims):
    assert_401(_get(twin_http, _companies_url(sandbox_endpoints), mint(ready_app["client_id"], **claims)))


@pytest.mark.parametrize("aud", ["https://api.businesscentral.dynamics.com/", "996def3d-b36c-4153-8607-a6fd3c01b89f"])
def test_audience_variants_are_accepted(twin_http, sandbox_endpoints, ready_app, mint, aud):
    response = _get(twin_http, _companies_url(sandbox_endpoints), mint(ready_app["client_id"], aud=aud))
    assert response.status_code == 200, response.text


def test_v2_issuer_is_accepted(twin_http, sandbox_endpoints, ready_app, mint):
    iss = f"{sandbox_endpoints['login']}/{sandbox_endpoints['tenant_id']}/v2.0"
    response = _get(twin_http, _companies_url(sandbox_endpoints), mint(ready_app["client_id"], iss=iss))
    assert response.status_code == 200, response.text


def test_url_tenant_must_match_tid(twin_http, sandbox_endpoints, good_token):
    assert_401(_get(twin_http, _companies_url(sandbox_endpoints, tenant=str(uuid.uuid4())), good_token))


def test_token_expired_by_the_sandbox_clock(twin_http, sandbox_endpoints, good_token, admin):
    try:
        admin.advance_clock(3599 + 301 + 60)
        assert_401(_get(twin_http, _companies_url(sandbox_endpoints), good_token))
    finally:
        admin.reset_clock()
    assert _get(twin_http, _companies_url(sandbox_endpoints), good_token).status_code == 200


@pytest.mark.parametrize("options_", [{"consent": False}, {"bc_state": "absent"}, {"bc_state": "disabled"}],
                         ids=["no-consent", "absent-from-bc", "disabled-in-bc"])
def test_app_not_allowed_in_bc(twin_http, sandbox_endpoints, new_app, options_):
    app = new_app(**options_)
    assert_401(_get(twin_http, _companies_url(sandbox_endpoints), token_for(twin_http, sandbox_endpoints, app)))


def test_app_unknown_to_bc_is_refused(twin_http, sandbox_endpoints, mint):
    assert_401(_get(twin_http, _companies_url(sandbox_endpoints), mint(str(uuid.uuid4()))))
