"""Entra ID protocol surface of the `login` twin: OIDC discovery (v2, v1), JWKS and the client-credentials token
endpoint (v2 `scope=…/.default` and v1 `resource=`), per FIDELITY.md §b.

Every URL inside a document is built from the twin's own base URL, so clients follow the twin, not Microsoft.
The token service sees only what has replicated (`visible_only`), models expiry with the sandbox clock, and puts
the consented application permissions of the resource into `roles` (none consented → no claim).

Whatever an outsider sends, the token endpoint answers with Entra's error JSON, never a 5xx: another method than
POST (AADSTS900561), a body over MAX_BODY_BYTES or with more than MAX_PARAMETERS fields, an undecodable Basic
header (AADSTS9002313), a parameter sent twice (AADSTS9000411).
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, request_response
from starlette.types import Receive, Scope, Send

from sandbox import catalog, directory, tokens
from sandbox.context import Sandbox
from sandbox.entra import errors
from sandbox.faults import with_faults

MULTI_TENANT_ALIASES = ("common", "organizations", "consumers")
AUTH_METHODS = ["client_secret_post", "private_key_jwt", "client_secret_basic"]
DISCOVERY_HEADERS = {"Cache-Control": "max-age=86400, private", "Access-Control-Allow-Origin": "*"}
CLAIMS_SUPPORTED = ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name",
                    "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name",
                    "tid", "ver", "at_hash", "c_hash", "email"]
CLOUD_FIELDS = {"cloud_instance_name": "microsoftonline.com", "cloud_graph_host_name": "graph.windows.net",
                "msgraph_host": "graph.microsoft.com", "rbac_url": "https://pas.windows.net"}
# Entra's own limits are not public. A client-credentials request is well under 4 KiB (a client assertion ~2 KiB).
MAX_BODY_BYTES = 64 * 1024
MAX_PARAMETERS = 100
DRAIN_LIMIT_BYTES = 32 * 1024 * 1024  # read and drop this much of an oversized body so the client sees the answer
DEFAULT_LIFETIME_S = 3599


class TokenRequestError(Exception):
    """One AADSTS failure of a token request (rendered by `errors.response`)."""

    def __init__(self, code: int, status: int | None = None, **values: str) -> None:
        super().__init__(code)
        self.code = code
        self.status = status
        self.values = values


# --- discovery and keys ----------------------------------------------------------------------------


def _tenant_or_error(sandbox: Sandbox, key: str) -> tuple[str | None, Response | None]:
    """(tenant id or None for a multi-tenant alias, error response for an unknown tenant)."""
    if key.lower() in MULTI_TENANT_ALIASES:
        return None, None
    tenant = directory.tenant(sandbox.store, key)
    if tenant is None:
        return None, errors.response(sandbox, 90002, error="invalid_tenant", status=400, tenant=key)
    return tenant.id, None


def v2_document(login: str, path_tenant: str, issuer_tenant: str) -> dict[str, Any]:
    base = f"{login}/{path_tenant}"
    return {
        "token_endpoint": f"{base}/oauth2/v2.0/token",
        "token_endpoint_auth_methods_supported": AUTH_METHODS,
        "jwks_uri": f"{base}/discovery/v2.0/keys",
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": f"{login}/{issuer_tenant}/v2.0",
        "request_uri_parameter_supported": False,
        "userinfo_endpoint": "https://graph.microsoft.com/oidc/userinfo",
        "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
        "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
        "http_logout_supported": True,
        "frontchannel_logout_supported": True,
        "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
        "claims_supported": CLAIMS_SUPPORTED,
        "kerberos_endpoint": f"{base}/kerberos",
        "tenant_region_scope": None if issuer_tenant == "{tenantid}" else "EU",
        **CLOUD_FIELDS,
    }


def v1_document(login: str, path_tenant: str, issuer_tenant: str) -> dict[str, Any]:
    base = f"{login}/{path_tenant}"
    return {
        "token_endpoint": f"{base}/oauth2/token",
        "token_endpoint_auth_methods_supported": AUTH_METHODS,
        "jwks_uri": f"{login}/common/discovery/keys",
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "token id_token", "token"],
        "scopes_supported": ["openid"],
        "issuer": tokens.v1_issuer(issuer_tenant),
        "microsoft_multi_refresh_token": True,
        "authorization_endpoint": f"{base}/oauth2/authorize",
        "device_authorization_endpoint": f"{base}/oauth2/devicecode",
        "http_logout_supported": True,
        "frontchannel_logout_supported": True,
        "end_session_endpoint": f"{base}/oauth2/logout",
        "claims_supported": CLAIMS_SUPPORTED,
        "check_session_iframe": f"{base}/oauth2/checksession",
        "userinfo_endpoint": f"{base}/openid/userinfo",
        "kerberos_endpoint": f"{base}/kerberos",
        "tenant_region_scope": None if issuer_tenant == "{tenantid}" else "EU",
        **CLOUD_FIELDS,
    }


def _discovery(sandbox: Sandbox, version: str):
    async def endpoint(request: Request) -> Response:
        key = request.path_params["tenant"]
        tenant_id, error = _tenant_or_error(sandbox, key)
        if error:
            return error
        login = sandbox.urls["login"]
        path_tenant = tenant_id or key.lower()
        issuer_tenant = tenant_id or "{tenantid}"
        build = v2_document if version == "2.0" else v1_document
        return JSONResponse(build(login, path_tenant, issuer_tenant), headers=DISCOVERY_HEADERS)

    return endpoint


def _keys(sandbox: Sandbox, version: str):
    async def endpoint(request: Request) -> Response:
        key = request.path_params.get("tenant", "common")
        tenant_id, error = _tenant_or_error(sandbox, key)
        if error:
            return error
        issuer = None
        if version == "2.0":
            issuer = tokens.v2_issuer(sandbox.urls["login"], tenant_id or "{tenantid}")
        return JSONResponse({"keys": [sandbox.signing_key.jwk(issuer)]}, headers=DISCOVERY_HEADERS)

    return endpoint


# --- token endpoint --------------------------------------------------------------------------------


async def _body(request: Request) -> bytes | None:
    """The body, or None when it is over MAX_BODY_BYTES (the rest is read and dropped, up to DRAIN_LIMIT_BYTES)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > DRAIN_LIMIT_BYTES:
            break
        if size <= MAX_BODY_BYTES:
            chunks.append(chunk)
    return b"".join(chunks) if size <= MAX_BODY_BYTES else None


async def _form(request: Request) -> dict[str, str]:
    """The form body; anything that is not a UTF-8 form post reads as empty (Entra then misses grant_type).

    Too large, too many fields or a field sent twice is a malformed request (TokenRequestError)."""
    body = await _body(request)
    if body is None:
        raise TokenRequestError(9002313, status=413)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return {}
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_PARAMETERS)
    except ValueError as exc:  # more than MAX_PARAMETERS fields
        raise TokenRequestError(9002313) from exc
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            raise TokenRequestError(9000411, parameter=name)
        form[name] = value
    return form


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    """(client id, secret) from `Authorization: Basic` (RFC 6749 §2.3.1: form-encoded, then base64), or None
    without one. A Basic header that does not decode to `id:secret` is a malformed request."""
    header = request.headers.get("authorization", "")
    if header[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError) as exc:  # binascii.Error is a ValueError; non-ASCII raises ValueError
        raise TokenRequestError(9002313) from exc
    user, sep, password = decoded.partition(":")
    if not sep:
        raise TokenRequestError(9002313)
    return unquote_plus(user), unquote_plus(password)


def _lifetime(sandbox: Sandbox) -> int:
    """The `token_lifetime_s` option when it is a sensible number of seconds, else Entra's usual 3599."""
    value = sandbox.option("token_lifetime_s")
    if isinstance(value, bool) or not isinstance(value, int | float) or not 60 <= value <= 86400 * 366:
        return DEFAULT_LIFETIME_S
    return int(value)


def _resource_of_scope(scope: str, tenant_name: str) -> tuple[str, str]:
    """(resource app id, resource URI) of a `<App ID URI>/.default` scope naming exactly one resource."""
    items = scope.split()
    if len(items) != 1 or not items[0].endswith("/.default"):
        raise TokenRequestError(70011, scope=scope)
    return _resource(items[0][: -len("/.default")], tenant_name)


def _resource(uri: str, tenant_name: str) -> tuple[str, str]:
    app_id = catalog.resource_by_uri(uri)
    if app_id is None and uri.lower() in catalog.RESOURCES:
        app_id = uri.lower()
    if app_id is None:
        raise TokenRequestError(500011, resource=uri, tenant=tenant_name)
    return app_id, catalog.RESOURCES[app_id][1]


def _issue(sandbox: Sandbox, request: Request, key: str, form: dict[str, str], version: str) -> dict[str, Any]:
    store = sandbox.store
    tenant = directory.tenant(store, key) if key.lower() not in MULTI_TENANT_ALIASES else None
    if tenant is None and key.lower() not in MULTI_TENANT_ALIASES:
        raise TokenRequestError(90002, tenant=key)
    grant_type = form.get("grant_type", "")
    if not grant_type:
        raise TokenRequestError(900144, parameter="grant_type")
    if grant_type != "client_credentials":
        raise TokenRequestError(70003, grant_type=grant_type)
    if tenant is None:
        raise TokenRequestError(9001023)
    basic = _basic_credentials(request)
    client_id = form.get("client_id") or (basic[0] if basic else "")
    secret = form.get("client_secret") or (basic[1] if basic else "")
    if not client_id:
        raise TokenRequestError(900144, parameter="client_id")
    target_param = "scope" if version == "2.0" else "resource"
    if not form.get(target_param):
        raise TokenRequestError(900144, parameter=target_param)
    app = directory.app_by_client_id(store, client_id, visible_only=True)
    if app is None or app.tenant_id != tenant.id:
        raise TokenRequestError(700016, app_id=client_id, tenant=tenant.id)
    if not secret:
        raise TokenRequestError(7000218)
    match = directory.match_secret(store, app.object_id, secret)
    if match is None:
        raise TokenRequestError(7000215, app_id=app.app_id)
    if match["end_at"] < store.now():
        raise TokenRequestError(7000222, app_id=app.app_id)
    if version == "2.0":
        resource_app_id, resource_uri = _resource_of_scope(form["scope"], tenant.display_name)
    else:
        resource_app_id, resource_uri = _resource(form["resource"], tenant.display_name)
    token_version = "2.0" if str(sandbox.option("token_version") or "1.0") == "2.0" else "1.0"
    audience = resource_uri if token_version == "1.0" else resource_app_id
    if sandbox.option("aud_trailing_slash", False) and token_version == "1.0":
        audience += "/"
    lifetime = _lifetime(sandbox)
    claims = tokens.app_token_claims(tenant_id=tenant.id, client_id=app.app_id, sp_object_id=app.sp_object_id,
                                     roles=directory.granted_roles(store, app.object_id, resource_app_id),
                                     now=store.now(), lifetime_s=lifetime, audience=audience,
                                     version=token_version, login_url=sandbox.urls["login"])
    access_token = tokens.sign(sandbox.signing_key, claims)
    if version == "2.0":
        return {"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime,
                "access_token": access_token}
    return {"token_type": "Bearer", "expires_in": str(lifetime), "ext_expires_in": str(lifetime),
            "expires_on": str(claims["exp"]), "not_before": str(claims["nbf"]), "resource": form["resource"],
            "access_token": access_token}


def _token(sandbox: Sandbox, version: str):
    async def endpoint(request: Request) -> Response:
        try:
            if request.method != "POST":
                raise TokenRequestError(900561, method=request.method)
            form = await _form(request)
            payload = _issue(sandbox, request, request.path_params["tenant"], form, version)
        except TokenRequestError as exc:
            return errors.response(sandbox, exc.code, status=exc.status, **exc.values)
        return JSONResponse(payload, headers={"Cache-Control": "no-store, no-cache", "Pragma": "no-cache",
                                              "x-ms-request-id": str(uuid.uuid4()),
                                              "x-ms-ests-server": "2.1.sandbox"})

    return with_faults(sandbox, lambda status: errors.response(sandbox, 90055 if status == 429 else 90033,
                                                               status=status), endpoint)


class AnyMethod:
    """An endpoint as an ASGI app, so its Route takes every HTTP method (the endpoint answers the wrong ones)."""

    def __init__(self, endpoint: Callable[[Request], Awaitable[Response]]) -> None:
        self._app = request_response(endpoint)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app(scope, receive, send)


def routes(sandbox: Sandbox) -> list[Route]:
    return [
        Route("/{tenant}/v2.0/.well-known/openid-configuration", _discovery(sandbox, "2.0"), methods=["GET"]),
        Route("/{tenant}/.well-known/openid-configuration", _discovery(sandbox, "1.0"), methods=["GET"]),
        Route("/{tenant}/discovery/v2.0/keys", _keys(sandbox, "2.0"), methods=["GET"]),
        Route("/{tenant}/discovery/keys", _keys(sandbox, "1.0"), methods=["GET"]),
        Route("/{tenant}/oauth2/v2.0/token", AnyMethod(_token(sandbox, "2.0"))),
        Route("/{tenant}/oauth2/token", AnyMethod(_token(sandbox, "1.0"))),
    ]
