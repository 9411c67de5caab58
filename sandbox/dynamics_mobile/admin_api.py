"""Admin routes for Portal roles: inspect (secret redacted), snapshot/restore settings, delete (test cleanup).

Snapshots stay inside the sandbox (kv "dm_snapshot:<id>") so a saved client secret never leaves it.
"""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sandbox import dm_data
from sandbox.admin.registry import admin_route
from sandbox.admin.validation import read_object
from sandbox.context import Sandbox
from sandbox.dynamics_mobile.role_forms import redacted


def _role(sandbox: Sandbox, request: Request) -> dict:
    area, role_id = request.path_params["area"], request.path_params["role_id"]
    role = dm_data.role(sandbox.store, area, role_id)
    if role is None:
        raise KeyError(f"role {role_id} in application area {area}")
    return role


@admin_route("GET", "/admin/dm/roles/{area}/{role_id}")
async def get_role(sandbox: Sandbox, request: Request) -> Response:
    role = _role(sandbox, request)
    return JSONResponse({**role, "enabled": bool(role["enabled"]), "settings": redacted(role["settings"])})


@admin_route("DELETE", "/admin/dm/roles/{area}/{role_id}")
async def delete_role(sandbox: Sandbox, request: Request) -> Response:
    role = _role(sandbox, request)
    dm_data.delete_role(sandbox.store, role["area"], role["role_id"])
    return Response(status_code=204)


@admin_route("POST", "/admin/dm/roles/{area}/{role_id}/snapshot")
async def snapshot_role(sandbox: Sandbox, request: Request) -> Response:
    role = _role(sandbox, request)
    snapshot_id = secrets.token_hex(8)
    sandbox.store.put(f"dm_snapshot:{snapshot_id}", {"area": role["area"], "role_id": role["role_id"],
                                                     "name": role["name"], "settings": role["settings"],
                                                     "default_application": role["default_application"],
                                                     "enabled": bool(role["enabled"])})
    return JSONResponse({"snapshot": snapshot_id}, status_code=201)


@admin_route("POST", "/admin/dm/roles/{area}/{role_id}/restore")
async def restore_role(sandbox: Sandbox, request: Request) -> Response:
    role = _role(sandbox, request)
    snapshot_id = (await read_object(request)).get("snapshot")
    saved = sandbox.store.get(f"dm_snapshot:{snapshot_id}") if isinstance(snapshot_id, str) else None
    if saved is None or saved["role_id"].lower() != role["role_id"].lower():
        raise ValueError(f"no snapshot {snapshot_id!r} of role {role['role_id']}")
    dm_data.update_role(sandbox.store, role["area"], role["role_id"], saved["name"], saved["default_application"],
                        saved["enabled"])
    dm_data.update_role_settings(sandbox.store, role["area"], role["role_id"], saved["settings"])
    sandbox.store.run("DELETE FROM kv WHERE key = ?", f"dm_snapshot:{snapshot_id}")
    return Response(status_code=204)
