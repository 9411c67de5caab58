"""Create a ready service-to-service app the way the procedure would, without the UIs.

Used by the admin API (tests, `bcoauth sandbox provision-app`) and by Dynamics Mobile agent developers who
want a working app in a local sandbox.
"""

from __future__ import annotations

from typing import Any

from sandbox import bc_data, catalog, directory
from sandbox.context import Sandbox

BC_STATES = ("enabled", "disabled", "absent")
LANDING = "https://businesscentral.dynamics.com/OAuthLanding.htm"


def provision_app(sandbox: Sandbox, *, name: str = "Dynamics Mobile", consent: bool = True,
                  bc_state: str = "enabled", secret_expired: bool = False,
                  permissions: list[str] | None = None, permission_sets: list[str] | None = None,
                  environment: str | None = None) -> dict[str, Any]:
    if bc_state not in BC_STATES:
        raise ValueError(f"bc_state must be one of {', '.join(BC_STATES)}")
    seed = sandbox.seed
    store = sandbox.store
    tenant_id = seed["tenant_id"]
    app = directory.create_app(store, tenant_id, name, "AzureADMyOrg", [{"platform": "Web", "uri": LANDING}])
    directory.add_permissions(store, app.object_id, catalog.BC_RESOURCE_APP_ID,
                              permissions or ["API.ReadWrite.All", "Automation.ReadWrite.All"])
    if consent:
        directory.grant_admin_consent(store, app.object_id)
    value, key_id = directory.add_secret(store, app.object_id, "provisioned", days=730)
    if secret_expired:
        directory.expire_secrets(store, app.object_id)
    env = environment or seed["environment"]
    if bc_state != "absent":
        bc_data.upsert_entra_app(store, tenant_id, env, app.app_id, description=name[:50])
        bc_data.create_app_user(store, tenant_id, env, app.app_id)
        for role in ["D365 AUTOMATION"] if permission_sets is None else permission_sets:
            bc_data.add_permission_set(store, tenant_id, env, app.app_id, role)
        if bc_state == "enabled":
            bc_data.upsert_entra_app(store, tenant_id, env, app.app_id, state="Enabled")
    return {"client_id": app.app_id, "client_secret": value, "tenant_id": tenant_id, "object_id": app.object_id,
            "secret_id": key_id}


def remove_app(sandbox: Sandbox, client_id: str) -> bool:
    """Delete the registration and its Business Central record in every environment (cleanup)."""
    store = sandbox.store
    app = directory.app_by_client_id(store, client_id)
    for env in store.all("SELECT DISTINCT tenant_id, environment FROM bc_entra_apps WHERE client_id = ?", client_id):
        bc_data.delete_entra_app(store, env["tenant_id"], env["environment"], client_id)
    return bool(app and directory.delete_app(store, app.object_id))
