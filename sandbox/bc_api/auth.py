"""Bearer-token checks of the BC API twin: what Business Central verifies before it serves a request.

Signature (RS256 with the Entra twin's key only: no `none`, no foreign key), lifetime against the sandbox clock,
issuer (v1 form of the token's tid, v2 form accepted), audience (BC, with or without trailing slash, or its app
id), tid == URL tenant, the `API.ReadWrite.All` role, then the Microsoft Entra Applications record (registered,
Enabled, with a permission set). Every failure is the same 401 to the caller; `reason` says why for tests/logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt
from cryptography import x509

from sandbox import bc_data, catalog, tokens
from sandbox.context import Sandbox

CLOCK_SKEW_S = 300  # validators allow five minutes of skew
REQUIRED_ROLE = "API.ReadWrite.All"
AUDIENCES = {catalog.BC_RESOURCE_URI, catalog.BC_RESOURCE_URI + "/", catalog.BC_RESOURCE_APP_ID}


class Rejected(Exception):
    """The token or the app is not accepted; `str()` is the reason (never sent to the client)."""


@dataclass(frozen=True)
class Caller:
    tenant_id: str
    client_id: str
    claims: dict[str, Any]


def _bearer(authorization: str) -> str:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Rejected("no bearer token")
    return token.strip()


def verify_token(sandbox: Sandbox, authorization: str) -> dict[str, Any]:
    """Verified claims of the bearer token, or Rejected."""
    token = _bearer(authorization)
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise Rejected(f"malformed token: {exc}") from exc
    if header.get("alg") != "RS256":
        raise Rejected(f"algorithm {header.get('alg')!r} is not accepted")
    if header.get("kid") != sandbox.signing_key.kid:
        raise Rejected("unknown signing key")
    public_key = x509.load_der_x509_certificate(sandbox.signing_key.cert_der).public_key()
    try:
        claims = jwt.decode(token, public_key, algorithms=["RS256"],  # type: ignore[arg-type]
                            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False,
                                     "verify_aud": False, "verify_iss": False})
    except jwt.PyJWTError as exc:
        raise Rejected(f"signature check failed: {exc}") from exc
    now = sandbox.store.now()
    if float(claims.get("exp", 0)) + CLOCK_SKEW_S < now:
        raise Rejected("token expired")
    if float(claims.get("nbf", 0)) - CLOCK_SKEW_S > now:
        raise Rejected("token not yet valid")
    tid = str(claims.get("tid", ""))
    if claims.get("iss") not in (tokens.v1_issuer(tid), tokens.v2_issuer(sandbox.urls["login"], tid)):
        raise Rejected(f"issuer {claims.get('iss')!r} is not the tenant's")
    if claims.get("aud") not in AUDIENCES:
        raise Rejected(f"audience {claims.get('aud')!r} is not Business Central")
    return claims


def authenticate(sandbox: Sandbox, authorization: str, tenant_id: str | None) -> Caller:
    """A verified token for this URL tenant (None: the tenant-less URL form takes the token's tid)."""
    claims = verify_token(sandbox, authorization)
    tid = str(claims["tid"])
    if tenant_id is not None and tenant_id.lower() != tid.lower():
        raise Rejected("token tenant differs from the URL tenant")
    return Caller(tid, str(claims.get("appid") or claims.get("azp") or ""), claims)


def authorise(sandbox: Sandbox, caller: Caller, environment: str) -> None:
    """The API role and the app's record in the environment's Microsoft Entra Applications."""
    if REQUIRED_ROLE not in (caller.claims.get("roles") or []):
        raise Rejected(f"roles claim lacks {REQUIRED_ROLE}")
    if not bc_data.authorised(sandbox.store, caller.tenant_id, environment, caller.client_id):
        raise Rejected("app not registered, not Enabled, or without permission set in Microsoft Entra Applications")
