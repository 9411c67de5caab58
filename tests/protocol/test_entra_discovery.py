"""Entra twin: OIDC discovery (v2, v1, /common template), unknown tenant, and the JWKS shape (FIDELITY §b.2, §b.3)."""

from __future__ import annotations

import base64
import re

from cryptography import x509

V2_FIELDS = {"token_endpoint", "token_endpoint_auth_methods_supported", "jwks_uri", "response_modes_supported",
             "subject_types_supported", "id_token_signing_alg_values_supported", "response_types_supported",
             "scopes_supported", "issuer", "request_uri_parameter_supported", "userinfo_endpoint",
             "authorization_endpoint", "device_authorization_endpoint", "http_logout_supported",
             "frontchannel_logout_supported", "end_session_endpoint", "claims_supported", "kerberos_endpoint",
             "tenant_region_scope", "cloud_instance_name", "cloud_graph_host_name", "msgraph_host", "rbac_url"}
TRACE_LINES = re.compile(r"^AADSTS(\d+): .+\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\n"
                         r"Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", re.S)


def test_v2_discovery_by_guid(twin_http, sandbox_endpoints):
    login, tid = sandbox_endpoints["login"], sandbox_endpoints["tenant_id"]
    response = twin_http.get(f"{login}/{tid}/v2.0/.well-known/openid-configuration")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "max-age=86400, private"
    assert response.headers["access-control-allow-origin"] == "*"
    doc = response.json()
    assert set(doc) >= V2_FIELDS, V2_FIELDS - set(doc)
    assert doc["token_endpoint"] == f"{login}/{tid}/oauth2/v2.0/token"
    assert doc["authorization_endpoint"] == f"{login}/{tid}/oauth2/v2.0/authorize"
    assert doc["jwks_uri"] == f"{login}/{tid}/discovery/v2.0/keys"
    assert doc["issuer"] == f"{login}/{tid}/v2.0"
    assert doc["token_endpoint_auth_methods_supported"] == ["client_secret_post", "private_key_jwt",
                                                            "client_secret_basic"]
    assert doc["subject_types_supported"] == ["pairwise"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert doc["request_uri_parameter_supported"] is False


def test_v2_discovery_by_domain_names_the_tenant_guid(twin_http, sandbox_endpoints):
    login, tid = sandbox_endpoints["login"], sandbox_endpoints["tenant_id"]
    doc = twin_http.get(f"{login}/{sandbox_endpoints['tenant_domain']}/v2.0/.well-known/openid-configuration").json()
    assert doc["issuer"] == f"{login}/{tid}/v2.0"
    assert doc["token_endpoint"] == f"{login}/{tid}/oauth2/v2.0/token"


def test_v1_discovery_uses_sts_issuer_and_common_keys(twin_http, sandbox_endpoints):
    login, tid = sandbox_endpoints["login"], sandbox_endpoints["tenant_id"]
    response = twin_http.get(f"{login}/{tid}/.well-known/openid-configuration")
    assert response.status_code == 200
    doc = response.json()
    assert doc["issuer"] == f"https://sts.windows.net/{tid}/"
    assert doc["jwks_uri"] == f"{login}/common/discovery/keys"
    assert doc["token_endpoint"] == f"{login}/{tid}/oauth2/token"


def test_common_discovery_has_tenant_template(twin_http, sandbox_endpoints):
    login = sandbox_endpoints["login"]
    doc = twin_http.get(f"{login}/common/v2.0/.well-known/openid-configuration").json()
    assert doc["issuer"] == f"{login}/{{tenantid}}/v2.0"
    assert doc["token_endpoint"] == f"{login}/common/oauth2/v2.0/token"
    assert doc["jwks_uri"] == f"{login}/common/discovery/v2.0/keys"


def test_unknown_tenant_is_invalid_tenant_90002(twin_http, sandbox_endpoints):
    response = twin_http.get(f"{sandbox_endpoints['login']}/no-such-tenant.example/v2.0/"
                             ".well-known/openid-configuration")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_tenant"
    assert body["error_codes"] == [90002]
    assert TRACE_LINES.match(body["error_description"])
    assert body["error_description"].startswith("AADSTS90002: Tenant 'no-such-tenant.example' not found.")


def _check_key(key, signing_kid):
    assert key["kty"] == "RSA" and key["use"] == "sig" and key["e"] == "AQAB"
    assert key["kid"] == key["x5t"] == signing_kid
    assert len(key["x5c"]) == 1
    cert = x509.load_der_x509_certificate(base64.b64decode(key["x5c"][0]))
    n = int.from_bytes(base64.urlsafe_b64decode(key["n"] + "=" * (-len(key["n"]) % 4)), "big")
    assert cert.public_key().public_numbers().n == n


def test_jwks_shapes(twin_http, sandbox_endpoints, signing_key):
    login, tid = sandbox_endpoints["login"], sandbox_endpoints["tenant_id"]
    v2 = twin_http.get(f"{login}/{tid}/discovery/v2.0/keys").json()["keys"]
    v1 = twin_http.get(f"{login}/{tid}/discovery/keys").json()["keys"]
    common = twin_http.get(f"{login}/common/discovery/keys").json()["keys"]
    for keys in (v2, v1, common):
        assert len(keys) == 1
        _check_key(keys[0], signing_key.kid)
    assert v2[0]["issuer"] == f"{login}/{tid}/v2.0"
    assert "issuer" not in v1[0]
