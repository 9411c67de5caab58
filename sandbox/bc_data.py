"""Business Central data: environments, companies, and the Microsoft Entra Applications (table 9012).

Shared by the BC web client twin (which edits it) and the BC API twin (which authorises tokens with it).
Rules from BCApps `AADApplication.Table.al`: the record starts Disabled; Description max 50 characters.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sandbox.store import Store

# This domain's tables (`sandbox.tables` hands them to the store).
SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS bc_environments (
        tenant_id TEXT NOT NULL, name TEXT NOT NULL COLLATE NOCASE, type TEXT NOT NULL,
        PRIMARY KEY (tenant_id, name));
    CREATE TABLE IF NOT EXISTS bc_companies (
        id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, environment TEXT NOT NULL COLLATE NOCASE,
        name TEXT NOT NULL, display_name TEXT NOT NULL, business_profile_id TEXT NOT NULL DEFAULT '',
        system_version TEXT NOT NULL, timestamp INTEGER NOT NULL, created_at TEXT NOT NULL,
        modified_at TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS bc_entra_apps (
        tenant_id TEXT NOT NULL, environment TEXT NOT NULL COLLATE NOCASE, client_id TEXT NOT NULL COLLATE NOCASE,
        description TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT 'Disabled',
        contact_information TEXT NOT NULL DEFAULT '', app_id TEXT NOT NULL DEFAULT '',
        app_name TEXT NOT NULL DEFAULT '', user_id TEXT NOT NULL DEFAULT '', user_name TEXT NOT NULL DEFAULT '',
        permission_granted INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, environment, client_id));
    CREATE TABLE IF NOT EXISTS bc_app_permission_sets (
        tenant_id TEXT NOT NULL, environment TEXT NOT NULL COLLATE NOCASE, client_id TEXT NOT NULL COLLATE NOCASE,
        role_id TEXT NOT NULL, company TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (tenant_id, environment, client_id, role_id, company));
    """
)

SYSTEM_VERSION = "27.0.38460.40394"

# Permission sets the lookup offers (subset of a real BC environment's).
PERMISSION_SETS: dict[str, str] = {
    "D365 AUTOMATION": "Dyn. 365 Automation",
    "D365 BUS FULL ACCESS": "Dynamics 365 Full business access",
    "D365 BASIC": "Dynamics 365 Basic access",
    "D365 READ": "Dynamics 365 read access",
    "EXTEN. MGT. - ADMIN": "Extension Management - Admin",
    "LOGIN": "Login",
    "SECURITY": "Assign permissions to users",
    "SUPER": "This role has all permissions.",
}


@dataclass(frozen=True)
class EntraApp:
    tenant_id: str
    environment: str
    client_id: str
    description: str
    state: str
    contact_information: str
    app_id: str
    app_name: str
    user_id: str
    user_name: str
    permission_granted: int

    @property
    def enabled(self) -> bool:
        return self.state == "Enabled"


def _iso(ts: float | None = None) -> str:
    moment = datetime.now(UTC) if ts is None else datetime.fromtimestamp(ts, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def create_environment(store: Store, tenant_id: str, name: str, env_type: str = "Sandbox") -> None:
    store.run("INSERT OR IGNORE INTO bc_environments VALUES(?,?,?)", tenant_id, name, env_type)


def environment(store: Store, tenant_id: str, name: str) -> dict[str, Any] | None:
    row = store.one("SELECT * FROM bc_environments WHERE tenant_id = ? COLLATE NOCASE AND name = ?", tenant_id, name)
    return None if row is None else dict(row)


def environments(store: Store, tenant_id: str) -> list[dict[str, Any]]:
    """A tenant's environments in creation order (the first is the client's default)."""
    return [dict(r) for r in store.all("SELECT * FROM bc_environments WHERE tenant_id = ? COLLATE NOCASE "
                                       "ORDER BY rowid", tenant_id)]


def create_company(store: Store, tenant_id: str, env: str, name: str, display_name: str | None = None) -> str:
    company_id = str(uuid.uuid4())
    now = _iso()
    store.run("INSERT INTO bc_companies VALUES(?,?,?,?,?,?,?,?,?,?)", company_id, tenant_id, env, name,
              name if display_name is None else display_name, "", SYSTEM_VERSION, 30000 + len(name), now, now)
    return company_id


def companies(store: Store, tenant_id: str, env: str) -> list[dict[str, Any]]:
    return [dict(r) for r in store.all("SELECT * FROM bc_companies WHERE tenant_id = ? COLLATE NOCASE AND "
                                       "environment = ? ORDER BY name", tenant_id, env)]


# --- Microsoft Entra Applications ------------------------------------------------------------------


def entra_app(store: Store, tenant_id: str, env: str, client_id: str) -> EntraApp | None:
    row = store.one("SELECT * FROM bc_entra_apps WHERE tenant_id = ? COLLATE NOCASE AND environment = ? AND "
                    "client_id = ?", tenant_id, env, client_id)
    return None if row is None else EntraApp(**dict(row))


def entra_apps(store: Store, tenant_id: str, env: str) -> list[EntraApp]:
    return [EntraApp(**dict(r)) for r in store.all("SELECT * FROM bc_entra_apps WHERE tenant_id = ? COLLATE NOCASE "
                                                    "AND environment = ? ORDER BY client_id", tenant_id, env)]


def upsert_entra_app(store: Store, tenant_id: str, env: str, client_id: str, **fields: Any) -> EntraApp:
    client_id = str(uuid.UUID(client_id))
    with store.tx() as db:
        db.execute("INSERT OR IGNORE INTO bc_entra_apps(tenant_id, environment, client_id) VALUES(?,?,?)",
                   (tenant_id, env, client_id))
        for key, value in fields.items():
            if key not in EntraApp.__dataclass_fields__ or key in ("tenant_id", "environment", "client_id"):
                raise ValueError(f"unknown field {key}")
            db.execute(f"UPDATE bc_entra_apps SET {key} = ? WHERE tenant_id = ? AND environment = ? AND "
                       "client_id = ?", (value, tenant_id, env, client_id))
    app = entra_app(store, tenant_id, env, client_id)
    assert app is not None
    return app


def create_app_user(store: Store, tenant_id: str, env: str, client_id: str) -> EntraApp:
    """BC creates a user named after the Description when the app is first enabled (or via the warning link)."""
    app = entra_app(store, tenant_id, env, client_id)
    if app is None:
        raise KeyError(client_id)
    if app.user_id:
        return app
    return upsert_entra_app(store, tenant_id, env, client_id, user_id=str(uuid.uuid4()),
                            user_name=(app.description or client_id).upper()[:50])


def delete_entra_app(store: Store, tenant_id: str, env: str, client_id: str) -> None:
    with store.tx() as db:
        db.execute("DELETE FROM bc_app_permission_sets WHERE tenant_id = ? AND environment = ? AND client_id = ?",
                   (tenant_id, env, client_id))
        db.execute("DELETE FROM bc_entra_apps WHERE tenant_id = ? AND environment = ? AND client_id = ?",
                   (tenant_id, env, client_id))


def permission_sets(store: Store, tenant_id: str, env: str, client_id: str) -> list[dict[str, Any]]:
    return [dict(r) for r in store.all("SELECT role_id, company FROM bc_app_permission_sets WHERE tenant_id = ? "
                                       "COLLATE NOCASE AND environment = ? AND client_id = ? ORDER BY role_id",
                                       tenant_id, env, client_id)]


def add_permission_set(store: Store, tenant_id: str, env: str, client_id: str, role_id: str,
                       company: str = "") -> None:
    store.run("INSERT OR IGNORE INTO bc_app_permission_sets VALUES(?,?,?,?,?)", tenant_id, env, client_id, role_id,
              company)


def remove_permission_set(store: Store, tenant_id: str, env: str, client_id: str, role_id: str,
                          company: str = "") -> None:
    store.run("DELETE FROM bc_app_permission_sets WHERE tenant_id = ? AND environment = ? AND client_id = ? AND "
              "role_id = ? AND company = ?", tenant_id, env, client_id, role_id, company)


def authorised(store: Store, tenant_id: str, env: str, client_id: str) -> bool:
    """Registered, Enabled and holding at least one permission set: what the BC API requires."""
    app = entra_app(store, tenant_id, env, client_id)
    return bool(app and app.enabled and permission_sets(store, tenant_id, env, client_id))
