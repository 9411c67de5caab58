"""Dynamics Mobile Portal data: application areas, portal users and roles with their settings.

Role settings are kept as JSON, keyed like the Portal twin's form fields (`dynamics_mobile/role_forms.py`).
The client secret is stored because the real agent must use it; it is never rendered back in clear.
"""

from __future__ import annotations

import json
from typing import Any

from sandbox.store import Store

# This domain's tables (`sandbox.tables` hands them to the store).
SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS dm_areas (id TEXT PRIMARY KEY COLLATE NOCASE, name TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS dm_users (
        area TEXT NOT NULL COLLATE NOCASE REFERENCES dm_areas(id), email TEXT NOT NULL COLLATE NOCASE,
        password TEXT NOT NULL, role_id TEXT NOT NULL, PRIMARY KEY (area, email));
    CREATE TABLE IF NOT EXISTS dm_roles (
        area TEXT NOT NULL COLLATE NOCASE REFERENCES dm_areas(id), role_id TEXT NOT NULL COLLATE NOCASE,
        name TEXT NOT NULL, default_application TEXT NOT NULL DEFAULT '', enabled INTEGER NOT NULL DEFAULT 1,
        settings TEXT NOT NULL DEFAULT '{}', PRIMARY KEY (area, role_id));
    """
)


def create_area(store: Store, area_id: str, name: str) -> None:
    store.run("INSERT OR IGNORE INTO dm_areas VALUES(?,?)", area_id, name)


def create_user(store: Store, area: str, email: str, password: str, role_id: str = "ADM") -> None:
    store.run("INSERT OR IGNORE INTO dm_users VALUES(?,?,?,?)", area, email, password, role_id)


def user(store: Store, area: str, email: str) -> dict[str, Any] | None:
    row = store.one("SELECT * FROM dm_users WHERE area = ? AND email = ?", area, email)
    return None if row is None else dict(row)


def roles(store: Store, area: str) -> list[dict[str, Any]]:
    return [_role(r) for r in store.all("SELECT * FROM dm_roles WHERE area = ? ORDER BY role_id", area)]


def role(store: Store, area: str, role_id: str) -> dict[str, Any] | None:
    row = store.one("SELECT * FROM dm_roles WHERE area = ? AND role_id = ?", area, role_id)
    return None if row is None else _role(row)


def _role(row: Any) -> dict[str, Any]:
    data = dict(row)
    data["settings"] = json.loads(data["settings"])
    return data


def create_role(store: Store, area: str, role_id: str, name: str, default_application: str = "") -> None:
    store.run("INSERT INTO dm_roles(area, role_id, name, default_application) VALUES(?,?,?,?)", area, role_id, name,
              default_application)


def update_role_settings(store: Store, area: str, role_id: str, settings: dict[str, Any]) -> None:
    store.run("UPDATE dm_roles SET settings = ? WHERE area = ? AND role_id = ?", json.dumps(settings), area, role_id)


def delete_role(store: Store, area: str, role_id: str) -> None:
    store.run("DELETE FROM dm_roles WHERE area = ? AND role_id = ?", area, role_id)


def update_role(store: Store, area: str, role_id: str, name: str, default_application: str, enabled: bool) -> None:
    """General role attributes (the Role Id itself is immutable)."""
    store.run("UPDATE dm_roles SET name = ?, default_application = ?, enabled = ? WHERE area = ? AND role_id = ?",
              name, default_application, int(enabled), area, role_id)
