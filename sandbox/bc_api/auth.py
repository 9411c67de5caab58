"""Bearer-token checks of the BC API twin: what Business Central verifies before it serves a request.

Signature (RS256 with the Entra twin's key only: no `none`, no foreign key), lifetime against the sandbox clock,
issuer (v1 form of the token's tid, v2 form accepted), audience (BC, with or without trailing slash, or its app
id), tid == URL tenant, the `API.ReadWrite.All` role, then the Microsoft Entra Applications record (registered,
Enabled, with a permission set). Every failure is the same 401 to the caller; `reason` says why for tests/logs.

Claim types are checked strictly, so no token an outsider can sign or forge reaches a type error: `exp` (required),
`nbf` and `iat` are JSON numbers (RFC 7519 NumericDate; not booleans, not NaN/Infinity); `aud` is a string or, as
RFC 7519 §4.1.3 allows, a list of strings that must contain BC's audience; `iss`, `tid`, `appid`/`azp` are strings;
`roles` is a list holding exactly `API.ReadWrite.All` (a string `roles` never passes by substring).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography import x509

from sandbox import bc_data, catalog, tokens
from sandbox.context import Sandbox

CLOCK_SKEW_S = 300  # validators allow five minutes of skew
LATEST_NUMERIC_DATE = 253402300799  # 9999-12-31T23:59:59Z, the last instant .NET's DateTime (BC's runtime) holds
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
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Rejected("no bearer token")
    if not token.isascii():  # a JWT is base64url and dots; anything else cannot be one
        raise Rejected("malformed token: not ASCII")
    return token


def _numeric_date(claims: dict[str, Any], name: str, required: bool) -> int | float | None:
    """A NumericDate claim: a finite JSON number (int or float), or None when absent and optional."""
    if name not in claims:
        if required:
            raise Rejected(f"no {name} claim")
        return None
    value = claims[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Rejected(f"{name} is not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise Rejected(f"{name} is not finite")
    if not -LATEST_NUMERIC_DATE <= value <= LATEST_NUMERIC_DATE:  # exact for ints of any size: no float overflow
        raise Rejected(f"{name} is out of range")
    return value


def _string_claim(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name)
    if not isinstance(value, str) or not value:
        raise Rejected(f"{name} claim missing or not a string")
    return value


def _audience_ok(aud: Any) -> bool:
    """RFC 7519 §4.1.3: a string, or an array of strings of which one must identify BC."""
    if isinstance(aud, str):
        return aud in AUDIENCES
    if isinstance(aud, list) and aud and all(isinstance(item, str) for item in aud):
        return any(item in AUDIENCES for item in aud)
    return False


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
    if not isinstance(claims, dict):
        raise Rejected("claims are not a JSON object")
    now = sandbox.store.now()
    exp = _numeric_date(claims, "exp", required=True)
    nbf = _numeric_date(claims, "nbf", required=False)
    _numeric_date(claims, "iat", required=False)
    if exp is not None and exp + CLOCK_SKEW_S < now:
        raise Rejected("token expired")
    if nbf is not None and nbf - CLOCK_SKEW_S > now:
        raise Rejected("token not yet valid")
    tid = _string_claim(claims, "tid")
    iss = _string_claim(claims, "iss")
    if iss not in (tokens.v1_issuer(tid), tokens.v2_issuer(sandbox.urls["login"], tid)):
        raise Rejected(f"issuer {iss!r} is not the tenant's")
    if not _audience_ok(claims.get("aud")):
        raise Rejected(f"audience {claims.get('aud')!r} is not Business Central")
    for name in ("appid", "azp"):
        if name in claims and not isinstance(claims[name], str):
            raise Rejected(f"{name} is not a string")
    return claims


def authenticate(sandbox: Sandbox, authorization: str, tenant_id: str | None) -> Caller:
    """A verified token for this URL tenant (None: the tenant-less URL form takes the token's tid)."""
    claims = verify_token(sandbox, authorization)
    tid = claims["tid"]
    if tenant_id is not None and tenant_id.lower() != tid.lower():
        raise Rejected("token tenant differs from the URL tenant")
    return Caller(tid, str(claims.get("appid") or claims.get("azp") or ""), claims)


def authorise(sandbox: Sandbox, caller: Caller, environment: str) -> None:
    """The API role and the app's record in the environment's Microsoft Entra Applications."""
    roles = caller.claims.get("roles")
    if not isinstance(roles, list) or REQUIRED_ROLE not in roles:
        raise Rejected(f"roles claim is not a list holding {REQUIRED_ROLE}")
    if not bc_data.authorised(sandbox.store, caller.tenant_id, environment, caller.client_id):
        raise Rejected("app not registered, not Enabled, or without permission set in Microsoft Entra Applications")
