"""Mint access tokens the way Entra issues them for Business Central (v1 form by default), and the
issuer/audience facts both the token service and the BC API twin rely on (FIDELITY.md §b.9)."""

from __future__ import annotations

import base64
import functools
import os
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from sandbox.catalog import BC_RESOURCE_URI
from sandbox.keys import SigningKey


def v1_issuer(tenant_id: str) -> str:
    return f"https://sts.windows.net/{tenant_id}/"


def v2_issuer(login_url: str, tenant_id: str) -> str:
    return f"{login_url}/{tenant_id}/v2.0"


def _opaque() -> str:
    return base64.urlsafe_b64encode(os.urandom(48)).rstrip(b"=").decode()


def app_token_claims(*, tenant_id: str, client_id: str, sp_object_id: str, roles: list[str], now: float,
                     lifetime_s: int = 3599, audience: str = BC_RESOURCE_URI, version: str = "1.0",
                     login_url: str = "") -> dict[str, Any]:
    """Claims of an app-only token; `roles` only when something was consented (as Entra does)."""
    iat = int(now)
    claims: dict[str, Any] = {"aud": audience, "iat": iat, "nbf": iat, "exp": iat + lifetime_s, "aio": _opaque(),
                              "idp": v1_issuer(tenant_id), "idtyp": "app", "oid": sp_object_id,
                              "rh": "0." + _opaque()[:40] + ".", "sub": sp_object_id, "tid": tenant_id,
                              "uti": _opaque()[:22], "ver": version}
    if version == "2.0":
        claims.update(iss=v2_issuer(login_url, tenant_id), azp=client_id, azpacr="1")
    else:
        claims.update(iss=v1_issuer(tenant_id), appid=client_id, appidacr="1")
    if roles:
        claims["roles"] = roles
    return claims


@functools.lru_cache(maxsize=4)
def _private_key(pem: bytes) -> Any:
    """Parsed once: loading a PEM RSA key validates it (~100 ms), which capped the token endpoint at a few req/s."""
    return load_pem_private_key(pem, password=None)


def sign(key: SigningKey, claims: dict[str, Any]) -> str:
    return jwt.encode(claims, _private_key(key.private_pem), algorithm="RS256",
                      headers={"typ": "JWT", "x5t": key.kid, "kid": key.kid})


def new_guid() -> str:
    return str(uuid.uuid4())
