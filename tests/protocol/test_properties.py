"""Property tests (Hypothesis) of what an outsider can send: the token endpoint never answers 5xx and always answers
Entra's error JSON (`error`, `error_codes`); the BC API's bearer check never answers 5xx and always answers BC's
`Authentication_InvalidCredentials` envelope, for any Authorization header and any validly signed claim set.

Example counts are bounded (a few seconds in all); no example database is written."""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jwt
import pytest
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from sandbox import tokens
from sandbox.keys import ensure_signing_key
from tests.protocol.conftest import BC_SCOPE

PROPERTY_SETTINGS = settings(max_examples=100, deadline=None, database=None,
                             suppress_health_check=[HealthCheck.too_slow])
INVALID_CREDENTIALS = re.compile(r"^The server has rejected the client credentials\.  CorrelationId:  "
                                 r"[0-9a-f-]{36}\.$")
# Bytes h11 lets a client put in a header value: visible ASCII, obs-text, and inner spaces.
HEADER_BYTES = st.binary(max_size=120).map(
    lambda raw: bytes(b for b in raw if b == 0x20 or 0x21 <= b <= 0x7E or b >= 0x80).strip(b" "))


@pytest.fixture(scope="module")
def urls(sandbox_endpoints: dict[str, Any]) -> dict[str, str]:
    """Only what the requests need: Hypothesis prints a failing example's arguments, and the endpoints hold
    passwords."""
    return {name: sandbox_endpoints[name] for name in ("login", "bc_api", "tenant_id", "environment")}


@pytest.fixture(scope="module", autouse=True)
def no_faults(admin) -> Iterator[None]:
    """Injected 503s are 5xx by design: these properties are about what the request itself provokes."""
    before = admin.options()
    admin.set_options(fault_rate=0.0, fault_burst=0)
    yield
    admin.set_options(fault_rate=before.get("fault_rate"), fault_burst=before.get("fault_burst"))


# --- token endpoint --------------------------------------------------------------------------------

PARAMETER_NAMES = st.sampled_from(["grant_type", "client_id", "client_secret", "scope", "resource",
                                   "client_assertion", "client_assertion_type", "client_info"]) | st.text(max_size=12)
PARAMETER_VALUES = st.sampled_from(["client_credentials", "password", "authorization_code", BC_SCOPE,
                                    "https://api.businesscentral.dynamics.com", "", str(uuid.uuid4()),
                                    "abc8Q~" + "x" * 34]) | st.text(max_size=60)
FORM_BODIES = st.lists(st.tuples(PARAMETER_NAMES, PARAMETER_VALUES), max_size=8).map(
    lambda pairs: urlencode(pairs).encode())
BODIES = FORM_BODIES | st.binary(max_size=400) | st.text(max_size=200).map(lambda text: text.encode("utf-16"))
CONTENT_TYPES = st.sampled_from(["application/x-www-form-urlencoded",
                                 "application/x-www-form-urlencoded; charset=utf-8",
                                 "APPLICATION/X-WWW-FORM-URLENCODED", "application/json", "text/plain",
                                 "multipart/form-data; boundary=x", None])
AUTHORIZATIONS = st.none() | HEADER_BYTES | HEADER_BYTES.map(lambda raw: (b"Basic " + raw).strip()) | st.binary(
    max_size=60).map(lambda raw: (b"Basic " + base64.b64encode(raw)).strip())
METHODS = st.sampled_from(["POST", "POST", "POST", "GET", "PUT", "PATCH", "DELETE", "OPTIONS"])
TENANT_SEGMENTS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._", min_size=1, max_size=40)


def assert_entra_error(response) -> None:
    assert response.status_code < 500, response.text
    assert response.status_code != 200, response.text  # nothing generated holds a live secret
    body = response.json()
    assert isinstance(body["error"], str) and body["error"]
    assert body["error_codes"] and all(isinstance(code, int) for code in body["error_codes"])
    assert body["error_description"].startswith(f"AADSTS{body['error_codes'][0]}: ")


@PROPERTY_SETTINGS
@given(method=METHODS, tenant=st.none() | TENANT_SEGMENTS, v1=st.booleans(), body=BODIES,
       content_type=CONTENT_TYPES, authorization=AUTHORIZATIONS, extra=HEADER_BYTES)
def test_token_endpoint_answers_every_request_with_error_json(twin_http, urls, method, tenant, v1, body,
                                                              content_type, authorization, extra):
    path = "oauth2/token" if v1 else "oauth2/v2.0/token"
    url = f"{urls['login']}/{tenant or urls['tenant_id']}/{path}"
    headers: dict[str, bytes | str] = {"X-Anything": extra}
    if content_type:
        headers["Content-Type"] = content_type
    if authorization is not None:
        headers["Authorization"] = authorization
    assert_entra_error(twin_http.request(method, url, content=body, headers=headers))


# --- BC API bearer check ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def signer(sandbox_endpoints: dict[str, Any], admin) -> tuple[Any, str, float]:
    """The Entra twin's private key, parsed once (parsing validates the RSA key, which is slow), and the clock."""
    key = ensure_signing_key(Path(sandbox_endpoints["ca_cert"]).parent)
    now = admin.call("GET", "/admin/health")["now"]
    return load_pem_private_key(key.private_pem, password=None), key.kid, now


def _companies_url(endpoints: dict[str, str]) -> str:
    return f"{endpoints['bc_api']}/v2.0/{endpoints['tenant_id']}/{endpoints['environment']}/api/v2.0/companies"


def assert_invalid_credentials(response) -> None:
    assert response.status_code == 401, response.text
    error = response.json()["error"]
    assert error["code"] == "Authentication_InvalidCredentials"
    assert INVALID_CREDENTIALS.match(error["message"]), error["message"]


@PROPERTY_SETTINGS
@given(authorization=HEADER_BYTES | HEADER_BYTES.map(lambda raw: (b"Bearer " + raw).strip()))
def test_bc_refuses_any_authorization_header_with_its_envelope(twin_http, urls, authorization):
    assert_invalid_credentials(twin_http.get(_companies_url(urls),
                                             headers={"Authorization": authorization}))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8)
CLAIM_NAMES = st.sampled_from(["aud", "iss", "tid", "exp", "nbf", "iat", "roles", "appid", "azp", "ver", "sub",
                               "oid", "idtyp"])
HEADER_OVERRIDES = st.dictionaries(st.sampled_from(["alg", "kid", "typ", "x5t", "crit", "b64"]), JSON_VALUES,
                                   max_size=2)


@PROPERTY_SETTINGS
@given(changes=st.dictionaries(CLAIM_NAMES, JSON_VALUES | st.just("<remove>"), max_size=4),
       header=HEADER_OVERRIDES, now_offset=st.integers(min_value=-10**6, max_value=10**6))
def test_bc_refuses_any_signed_claim_set_with_its_envelope(twin_http, urls, signer, changes, header, now_offset):
    key, kid, now = signer
    claims = tokens.app_token_claims(tenant_id=urls["tenant_id"], client_id=str(uuid.uuid4()),
                                     sp_object_id=str(uuid.uuid4()), roles=["API.ReadWrite.All"],
                                     now=now + now_offset)
    for name, value in changes.items():  # the app is never registered, so every answer must be the 401
        if value == "<remove>":
            claims.pop(name, None)
        else:
            claims[name] = value
    try:
        token = jwt.encode(claims, key, algorithm="RS256", headers={"typ": "JWT", "kid": kid, "x5t": kid, **header})
    except (TypeError, ValueError, NotImplementedError, jwt.PyJWTError):
        reject()  # not a JWT PyJWT can write (e.g. a non-string alg); nothing to send
    assert_invalid_credentials(twin_http.get(_companies_url(urls), headers={"Authorization": f"Bearer {token}"}))
