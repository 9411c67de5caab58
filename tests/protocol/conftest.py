"""Shared pieces of the protocol tests: raw HTTP clients for the twins, apps with cleanup, token minting with
the twin's own key (to forge exactly one defect at a time) and option restore."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest

from harness.http import ssl_context
from harness.sandbox_control import AdminClient
from sandbox import tokens
from sandbox.catalog import BC_RESOURCE_URI
from sandbox.keys import SigningKey, ensure_signing_key

BC_SCOPE = BC_RESOURCE_URI + "/.default"


@pytest.fixture(scope="session")
def twin_http(sandbox_endpoints: dict[str, Any]) -> Iterator[httpx.Client]:
    with httpx.Client(verify=ssl_context(sandbox_endpoints["ca_cert"]), timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def signing_key(sandbox_endpoints: dict[str, Any]) -> SigningKey:
    """The Entra twin's key, read from the state folder (next to its CA)."""
    return ensure_signing_key(Path(sandbox_endpoints["ca_cert"]).parent)


@pytest.fixture
def new_app(admin: AdminClient) -> Iterator[Callable[..., dict[str, Any]]]:
    created: list[str] = []

    def make(**options: Any) -> dict[str, Any]:
        app = admin.provision_app(**options)
        created.append(app["client_id"])
        return app

    yield make
    for client_id in created:
        admin.remove_app(client_id)


@pytest.fixture
def options(twin_options: Callable[..., None]) -> Callable[..., None]:
    return twin_options


@pytest.fixture
def mint(sandbox_endpoints: dict[str, Any], signing_key: SigningKey, admin: AdminClient) -> Callable[..., str]:
    """A BC token signed with the twin's key; keyword arguments override claims (None removes one)."""

    def make(client_id: str, *, key: SigningKey | None = None, header: dict[str, Any] | None = None,
             **overrides: Any) -> str:
        now = admin.call("GET", "/admin/health")["now"]
        claims = tokens.app_token_claims(tenant_id=sandbox_endpoints["tenant_id"], client_id=client_id,
                                         sp_object_id="00000000-0000-0000-0000-00000000beef",
                                         roles=["API.ReadWrite.All"], now=now)
        for name, value in overrides.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        signer = key or signing_key
        headers = {"typ": "JWT", "x5t": signing_key.kid, "kid": signing_key.kid, **(header or {})}
        return jwt.encode(claims, signer.private_pem, algorithm="RS256", headers=headers)

    return make


def token_for(client: httpx.Client, endpoints: dict[str, Any], app: dict[str, Any]) -> str:
    response = client.post(f"{endpoints['login']}/{endpoints['tenant_id']}/oauth2/v2.0/token",
                           data={"grant_type": "client_credentials", "client_id": app["client_id"],
                                 "client_secret": app["client_secret"], "scope": BC_SCOPE})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]

