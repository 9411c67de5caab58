"""Admin API: provision and remove apps, move the clock, switch profiles and options, inspect state.

Every request must come from loopback and carry `Authorization: Bearer <admin_token>` (from the endpoints file).
Twins add their own admin routes with `sandbox.admin.registry.admin_route` (e.g. the Dynamics Mobile agent
check). Bodies are checked field by field (`sandbox.admin.validation`): a bad one is a 400 that says why, never a 500.
"""

from __future__ import annotations

import hmac
import json
import math
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox import bc_data, catalog, directory
from sandbox.admin import options as known_options
from sandbox.admin.registry import ADMIN_ROUTES, Handler, admin_route
from sandbox.admin.validation import boolean, checked, list_of, number, objects, one_of, read_object, text
from sandbox.context import Sandbox
from sandbox.dynamics_mobile import admin_api, agent  # noqa: F401  (their @admin_route handlers register on import)
from sandbox.entra import signin_admin  # noqa: F401  (the sign-in twin's "phone")
from sandbox.profiles import PROFILES, apply_profile
from sandbox.provision import BC_STATES, provision_app, remove_app

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
# The sandbox clock may be moved at most this far from real time (beyond it dates stop being printable).
MAX_CLOCK_OFFSET_S = 100 * 365 * 86400


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _body(request: Request) -> dict[str, Any]:
    """The request's JSON object; BadBody (a ValueError, so 400) otherwise. Twins call `read_object` directly."""
    return await read_object(request)


def create_app(sandbox: Sandbox) -> Starlette:
    def guarded(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            if request.client is None or request.client.host not in LOOPBACK:
                return _error(403, "the admin API answers loopback clients only")
            # Bytes, not str: compare_digest refuses non-ASCII str (a 500 for `Bearer \xe9`); headers are latin-1.
            auth = request.headers.get("authorization", "").encode("latin-1")
            if not hmac.compare_digest(auth, f"Bearer {sandbox.admin_token}".encode()):
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


APP_FIELDS = {
    "name": text(256),
    "consent": boolean,
    "bc_state": one_of(*BC_STATES),
    "secret_expired": boolean,
    "permissions": list_of({p.value for p in catalog.PERMISSIONS if p.resource_app_id == catalog.BC_RESOURCE_APP_ID},
                           20),
    "permission_sets": list_of(set(bc_data.PERMISSION_SETS), 20),
    "environment": text(100),
}


@admin_route("POST", "/admin/apps")
async def post_app(sandbox: Sandbox, request: Request) -> Response:
    body = checked(await _body(request), APP_FIELDS)
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
    checked(await _body(request), {})
    directory.expire_secrets(sandbox.store, app.object_id)
    return Response(status_code=204)


REDIRECT_FIELDS = {"redirect_uris": objects({"platform": text(100), "uri": text(2048)}, ["uri"], 256)}


@admin_route("POST", "/admin/apps/{client_id}/redirect-uris")
async def set_redirect_uris(sandbox: Sandbox, request: Request) -> Response:
    """Replace an app's redirect URIs: body {"redirect_uris": [{"platform": "Web", "uri": "https://…"}, …]}."""
    app = directory.app_by_client_id(sandbox.store, request.path_params["client_id"])
    if app is None:
        raise KeyError(request.path_params["client_id"])
    uris = checked(await _body(request), REDIRECT_FIELDS, required=["redirect_uris"])["redirect_uris"]
    directory.set_redirect_uris(sandbox.store, app.object_id, [{"platform": u.get("platform", "Web"),
                                                                "uri": u["uri"]} for u in uris])
    return Response(status_code=204)


@admin_route("GET", "/admin/bc/apps")
async def bc_apps(sandbox: Sandbox, request: Request) -> Response:
    seed = sandbox.seed
    env = request.query_params.get("environment", seed["environment"])
    return JSONResponse([{**vars(a), "permission_sets": bc_data.permission_sets(sandbox.store, a.tenant_id, env,
                                                                                a.client_id)}
                         for a in bc_data.entra_apps(sandbox.store, seed["tenant_id"], env)])


@admin_route("DELETE", "/admin/bc/apps/{client_id}")
async def delete_bc_app(sandbox: Sandbox, request: Request) -> Response:
    """Remove a Microsoft Entra Application record from Business Central (every environment), app kept."""
    client_id = request.path_params["client_id"]
    rows = sandbox.store.all("SELECT DISTINCT tenant_id, environment FROM bc_entra_apps WHERE client_id = ?",
                             client_id)
    if not rows:
        raise KeyError(client_id)
    for row in rows:
        bc_data.delete_entra_app(sandbox.store, row["tenant_id"], row["environment"], client_id)
    return Response(status_code=204)


@admin_route("POST", "/admin/clock/advance")
async def advance_clock(sandbox: Sandbox, request: Request) -> Response:
    fields = {"seconds": number(-MAX_CLOCK_OFFSET_S, MAX_CLOCK_OFFSET_S, unit="seconds")}
    seconds = float(checked(await _body(request), fields, required=["seconds"])["seconds"])
    offset = float(sandbox.store.get("clock_offset_s", 0.0))
    if not (math.isfinite(offset) and abs(offset + seconds) <= MAX_CLOCK_OFFSET_S):
        raise ValueError(f"the sandbox clock may be at most {MAX_CLOCK_OFFSET_S} seconds from real time; "
                         "reset it first (POST /admin/clock/reset)")
    return JSONResponse({"now": sandbox.store.advance_clock(seconds)})


@admin_route("POST", "/admin/clock/reset")
async def reset_clock(sandbox: Sandbox, request: Request) -> Response:
    checked(await _body(request), {})
    sandbox.store.reset_clock()
    return JSONResponse({"now": sandbox.store.now()})


@admin_route("POST", "/admin/users/{upn}/unlock")
async def unlock_user(sandbox: Sandbox, request: Request) -> Response:
    """End a sign-in lockout (AADSTS50053) and forget the wrong-password count, as an admin's unblock does."""
    if not directory.reset_lockout(sandbox.store, request.path_params["upn"]):
        raise KeyError(request.path_params["upn"])
    return Response(status_code=204)


@admin_route("POST", "/admin/profile")
async def set_profile(sandbox: Sandbox, request: Request) -> Response:
    body = checked(await _body(request), {"profile": one_of(*PROFILES)}, required=["profile"])
    return JSONResponse(apply_profile(sandbox.store, body["profile"]))


@admin_route("GET", "/admin/options")
async def get_options(sandbox: Sandbox, request: Request) -> Response:
    rows = sandbox.store.all("SELECT key, value FROM kv WHERE key LIKE 'opt:%'")
    return JSONResponse({r["key"][4:]: json.loads(r["value"]) for r in rows})


@admin_route("POST", "/admin/options")
async def set_options(sandbox: Sandbox, request: Request) -> Response:
    body = await _body(request)
    problems = [p for p in (known_options.problem(key, value) for key, value in body.items()) if p]
    if problems:  # all or nothing: no option is stored when one is wrong
        raise ValueError(problems[0])
    for key, value in body.items():
        if value is None:
            sandbox.store.run("DELETE FROM kv WHERE key = ?", "opt:" + key)  # back to the twin's default
        else:
            sandbox.set_option(key, value)
        if key == "replication_lag_s":  # the directory reads the profile's copy
            sandbox.store.put("replication_lag_s", float(value or 0.0))
    return await get_options(sandbox, request)


@admin_route("POST", "/admin/options/preset/{name}")
async def apply_preset(sandbox: Sandbox, request: Request) -> Response:
    """Switch a named set of options on (`hostile`: every UI variant at once); `default` resets every option any
    preset sets. All or nothing, checked like POST /admin/options."""
    name = request.path_params["name"]
    checked(await _body(request), {})
    presets = known_options.PRESETS
    if name == "default":
        values: dict[str, Any] = {key: None for preset in presets.values() for key in preset}
    elif name in presets:
        values = dict(presets[name])
    else:
        raise ValueError(f"unknown preset '{name[:100]}'; known: default, {', '.join(sorted(presets))}")
    problems = [p for p in (known_options.problem(key, value) for key, value in values.items()) if p]
    if problems:
        raise ValueError(problems[0])
    for key, value in values.items():
        if value is None:
            sandbox.store.run("DELETE FROM kv WHERE key = ?", "opt:" + key)
        else:
            sandbox.set_option(key, value)
    return await get_options(sandbox, request)
