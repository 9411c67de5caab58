"""Plain msal (no harness wrapper) against the Entra twin: discovery, token, cache, and the error dict."""

from __future__ import annotations

import httpx
import msal
import pytest

from harness.http import ssl_context

BC_SCOPE = "https://api.businesscentral.dynamics.com/.default"


def _msal(endpoints, app, secret=None):
    return msal.ConfidentialClientApplication(
        app["client_id"], client_credential=secret or app["client_secret"],
        authority=f"{endpoints['login']}/{endpoints['tenant_id']}", instance_discovery=False,
        http_client=httpx.Client(verify=ssl_context(endpoints["ca_cert"])))


def test_msal_token_then_cache(sandbox_endpoints, ready_app):
    client = _msal(sandbox_endpoints, ready_app)
    first = client.acquire_token_for_client(scopes=[BC_SCOPE])
    assert first.get("token_source") == "identity_provider", first
    assert first["token_type"] == "Bearer" and first["expires_in"] > 3000
    second = client.acquire_token_for_client(scopes=[BC_SCOPE])
    assert second.get("token_source") == "cache"
    assert second["access_token"] == first["access_token"]


def test_msal_returns_error_dict(sandbox_endpoints, ready_app):
    result = _msal(sandbox_endpoints, ready_app, secret="wrong-wrong-wrong").acquire_token_for_client(scopes=[BC_SCOPE])
    assert result["error"] == "invalid_client" and result["error_codes"] == [7000215]


def test_msal_unknown_tenant_fails_in_constructor(sandbox_endpoints, ready_app):
    with pytest.raises(ValueError):
        msal.ConfidentialClientApplication(
            ready_app["client_id"], client_credential=ready_app["client_secret"],
            authority=f"{sandbox_endpoints['login']}/8b8b8b8b-0000-4000-8000-000000000000", instance_discovery=False,
            http_client=httpx.Client(verify=ssl_context(sandbox_endpoints["ca_cert"])))
