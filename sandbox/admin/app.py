"""Admin API: provision and remove apps, move the clock, switch profiles and options, inspect state.

Every request must come from loopback and carry `Authorization: Bearer <admin_token>` (from the endpoints file).
Twins add their own admin routes through `ADMIN_ROUTES` (e.g. the Dynamics Mobile agent check).
"""

from __future__ import annotations

import hmac
import importlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox import bc_data, directory
from sandbox.context import Sandbox
from sandbox.profiles import apply_profile
from sandbox.provision import provision_app, remove_app

Handler = Callable[[Sandbox, Request], Awaitable[Response]]
# (method, path, handler) contributed by twins; registered when their module is imported.
ADMIN_ROUTES: list[tuple[str, str, Handler]] = []
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def admin_route(method: str, path: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        ADMIN_ROUTES.append((method, path, handler))
        return handler

    return register


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"body is not JSON: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise ValueError("body must be a JSON object")
    return data


def create_app(sandbox: Sandbox) -> Starlette:
    importlib.import_module("sandbox.admin.routes")  # twins with admin routes register them on import

    def guarded(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            if request.client is None or request.client.host not in LOOPBACK:
                return _error(403, "the admin API answers loopback clients only")
            auth = request.headers.get("authorization", "")
            if not hmac.compare_digest(auth, f"Bearer {sandbox.admin_token}"):
                return _error(401, "missing or wrong admin token")
            try:
                return await handler(sandbox, request)
            except ValueError as exc:
                return _error(400, str(exc))
            except KeyError as exc:
                return _error(404, f"not found: {exc}")

        return endpoint

    routes = [Route(path, guarded(handler), methods=[method]) for method, path, handler in ADMIN_ROUTES]
    return Starlette(routes=routes)


@admin_route("GET", "/admin/health")
async def health(sandbox: Sandbox, request: Request) -> Response:
    return JSONResponse({"status": "ok", "profile": sandbox.store.get("profile"), "now": sandbox.store.now(),
                         "faults_injected": sandbox.store.get("faults_injected", 0)})


@admin_route("POST", "/admin/apps")
async def post_app(sandbox: Sandbox, request: Request) -> Response:
    body = await _body(request)
    allowed = {"name", "consent", "bc_state", "secret_expired", "permissions", "permission_sets", "environment"}
    unknown = set(body) - allowed
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    return JSONResponse(provision_app(sandbox, **body), status_code=201)


@admin_route("DELETE", "/admin/apps/{client_id}")
async def delete_app(sandbox: Sandbox, request: Request) -> Response:
    if not remove_app(sandbox, request.path_params["client_id"]):
        raise KeyError(request.path_params["client_id"])
    return Response(status_code=204)


@admin_route("GET", "/admin/apps")
async def list_apps(sandbox: Sandbox, request: Request) -> Response:
    tenant_id = sandbox.seed["tenant_id"]
    return JSONResponse([{"client_id": a.app_id, "object_id": a.object_id, "display_name": a.display_name,
                          "redirect_uris": a.redirect_uris,
                          "permissions": directory.configured_permissions(sandbox.store, a.object_id),
                          "secrets": directory.app_secrets(sandbox.store, a.object_id)}
                         for a in directory.apps(sandbox.store, tenant_id)])


@admin_route("POST", "/admin/apps/{client_id}/expire-secrets")
async def expire(sandbox: Sandbox, request: Request) -> Response:
    app = directory.app_by_client_id(sandbox.store, request.path_params["client_id"])
    if app is None:
        raise KeyError(request.path_params["client_id"])
    directory.expire_secrets(sandbox.store, app.object_id)
    return Response(status_code=204)


@admin_route("POST", "/admin/apps/{client_id}/redirect-uris")
async def set_redirect_uris(sandbox: Sandbox, request: Request) -> Response:
    """Replace an app's redirect URIs: body {"redirect_uris": [{"platform": "Web", "uri": "https://…"}, …]}."""
    app = directory.app_by_client_id(sandbox.store, request.path_params["client_id"])
    if app is None:
        raise KeyError(request.path_params["client_id"])
    uris = (await _body(request)).get("redirect_uris")
    if not isinstance(uris, list) or not all(isinstance(u, dict) and isinstance(u.get("uri"), str) for u in uris):
        raise ValueError("'redirect_uris' must be a list of {\"platform\": …, \"uri\": …} objects")
    directory.set_redirect_uris(sandbox.store, app.object_id, [{"platform": str(u.get("platform", "Web")),
                                                                "uri": u["uri"]} for u in uris])
    return Response(status_code=204)


@admin_route("GET", "/admin/bc/apps")
async def bc_apps(sandbox: Sandbox, request: Request) -> Response:
    seed = sandbox.seed
    env = request.query_params.get("environment", seed["environment"])
    return JSONResponse([{**vars(a), "permission_sets": bc_data.permission_sets(sandbox.store, a.tenant_id, env,
                                                                                a.client_id)}
                         for a in bc_data.entra_apps(sandbox.store, seed["tenant_id"], env)])


@admin_route("POST", "/admin/clock/advance")
async def advance_clock(sandbox: Sandbox, request: Request) -> Response:
    body = await _body(request)
    seconds = body.get("seconds")
    if not isinstance(seconds, int | float):
        raise ValueError("'seconds' must be a number")
    return JSONResponse({"now": sandbox.store.advance_clock(float(seconds))})


@admin_route("POST", "/admin/clock/reset")
async def reset_clock(sandbox: Sandbox, request: Request) -> Response:
    sandbox.store.reset_clock()
    return JSONResponse({"now": sandbox.store.now()})


@admin_route("POST", "/admin/profile")
async def set_profile(sandbox: Sandbox, request: Request) -> Response:
    body = await _body(request)
    return JSONResponse(apply_profile(sandbox.store, str(body.get("profile", ""))))


@admin_route("GET", "/admin/options")
async def get_options(sandbox: Sandbox, request: Request) -> Response:
    rows = sandbox.store.all("SELECT key, value FROM kv WHERE key LIKE 'opt:%'")
    return JSONResponse({r["key"][4:]: json.loads(r["value"]) for r in rows})


@admin_route("POST", "/admin/options")
async def set_options(sandbox: Sandbox, request: Request) -> Response:
    body = await _body(request)
    for key, value in body.items():
        sandbox.set_option(key, value)
    return await get_options(sandbox, request)
