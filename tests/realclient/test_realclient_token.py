"""Unchanged third-party clients against the twins: azure-identity's ClientSecretCredential obtains a BC token
from the Entra twin, and PyJWT's PyJWKClient verifies it from the jwks_uri the discovery document names."""

from __future__ import annotations

import jwt
import pytest

from harness.http import ssl_context

BC_SCOPE = "https://api.businesscentral.dynamics.com/.default"

identity = pytest.importorskip("azure.identity")


def _credential(endpoints, app, secret=None):
    return identity.ClientSecretCredential(endpoints["tenant_id"], app["client_id"], secret or app["client_secret"],
                                           authority=endpoints["login"], disable_instance_discovery=True,
                                           connection_verify=endpoints["ca_cert"])


def test_azure_identity_token_verifies_with_pyjwkclient(sandbox_endpoints, ready_app, twin_http_plain):
    token = _credential(sandbox_endpoints, ready_app).get_token(BC_SCOPE)
    assert token.expires_on > 0
    tid = sandbox_endpoints["tenant_id"]
    discovery = twin_http_plain.get(f"{sandbox_endpoints['login']}/{tid}/v2.0/.well-known/openid-configuration")
    jwks_client = jwt.PyJWKClient(discovery.json()["jwks_uri"], ssl_context=ssl_context(sandbox_endpoints["ca_cert"]))
    key = jwks_client.get_signing_key_from_jwt(token.token)
    claims = jwt.decode(token.token, key, algorithms=["RS256"], audience="https://api.businesscentral.dynamics.com",
                        issuer=f"https://sts.windows.net/{tid}/")
    assert claims["appid"] == ready_app["client_id"]
    assert "API.ReadWrite.All" in claims["roles"]


def test_azure_identity_surfaces_the_aadsts_code(sandbox_endpoints, ready_app):
    from azure.core.exceptions import ClientAuthenticationError

    credential = _credential(sandbox_endpoints, ready_app, secret="abc1" "Q~definitely-not-the-secret-value-00")
    with pytest.raises(ClientAuthenticationError) as raised:
        credential.get_token(BC_SCOPE)
    assert "AADSTS7000215" in str(raised.value)


@pytest.fixture
def twin_http_plain(sandbox_endpoints):
    import httpx

    with httpx.Client(verify=ssl_context(sandbox_endpoints["ca_cert"])) as client:
        yield client
