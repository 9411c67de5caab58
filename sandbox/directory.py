"""The Entra directory: tenants, users, app registrations, client secrets, permissions and consents.

Shared by the Entra token service, the sign-in pages and the Azure portal twin. What a real tenant replicates
with a delay (new apps, secrets, consents) carries a `visible_at`; the token service only sees what is visible.
Client secret values are never stored: only a SHA-256 and the three-character hint the portal shows.
Also the sign-in state: pending sign-ins (expiring, capped), authorization codes and smart-lockout counters.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import string
import uuid
from dataclasses import dataclass
from typing import Any

from sandbox import catalog
from sandbox.store import Store

# This domain's tables (`sandbox.tables` hands them to the store).
SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS tenants (
        id TEXT PRIMARY KEY, display_name TEXT NOT NULL, initial_domain TEXT NOT NULL UNIQUE);
    CREATE TABLE IF NOT EXISTS users (
        upn TEXT PRIMARY KEY COLLATE NOCASE, tenant_id TEXT NOT NULL REFERENCES tenants(id),
        object_id TEXT NOT NULL, display_name TEXT NOT NULL, password TEXT NOT NULL,
        totp_seed TEXT, is_admin INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS apps (
        object_id TEXT PRIMARY KEY, app_id TEXT NOT NULL UNIQUE, sp_object_id TEXT NOT NULL,
        tenant_id TEXT NOT NULL REFERENCES tenants(id), display_name TEXT NOT NULL,
        sign_in_audience TEXT NOT NULL, redirect_uris TEXT NOT NULL DEFAULT '[]',
        created_at REAL NOT NULL, visible_at REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS app_secrets (
        key_id TEXT PRIMARY KEY, app_object_id TEXT NOT NULL REFERENCES apps(object_id) ON DELETE CASCADE,
        description TEXT NOT NULL, hint TEXT NOT NULL, value_sha256 TEXT NOT NULL,
        start_at REAL NOT NULL, end_at REAL NOT NULL, visible_at REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS required_permissions (
        app_object_id TEXT NOT NULL REFERENCES apps(object_id) ON DELETE CASCADE,
        resource_app_id TEXT NOT NULL, permission_id TEXT NOT NULL,
        PRIMARY KEY (app_object_id, resource_app_id, permission_id));
    CREATE TABLE IF NOT EXISTS role_assignments (
        app_object_id TEXT NOT NULL REFERENCES apps(object_id) ON DELETE CASCADE,
        resource_app_id TEXT NOT NULL, permission_id TEXT NOT NULL, granted_at REAL NOT NULL,
        visible_at REAL NOT NULL, PRIMARY KEY (app_object_id, resource_app_id, permission_id));
    CREATE TABLE IF NOT EXISTS auth_codes (
        code TEXT PRIMARY KEY, upn TEXT NOT NULL, client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL,
        nonce TEXT, expires_at REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS pending_signins (
        token TEXT PRIMARY KEY, kind TEXT NOT NULL, data TEXT NOT NULL, expires_at REAL NOT NULL);
    CREATE INDEX IF NOT EXISTS pending_signins_expiry ON pending_signins(expires_at);
    CREATE TABLE IF NOT EXISTS signin_lockouts (
        upn TEXT PRIMARY KEY COLLATE NOCASE, failures INTEGER NOT NULL DEFAULT 0, locked_until REAL);
    """
)

SECRET_ALPHABET = string.ascii_letters + string.digits + "~._-"
# A sign-in that was started but not finished lives this long on the sandbox clock (the real flowToken is a
# short-lived client-side blob, so outsiders cannot make the service grow); the cap bounds a burst within that time.
PENDING_SIGNIN_TTL_S = 600
MAX_PENDING_SIGNINS = 5000


@dataclass(frozen=True)
class Tenant:
    id: str
    display_name: str
    initial_domain: str


@dataclass(frozen=True)
class App:
    object_id: str
    app_id: str
    sp_object_id: str
    tenant_id: str
    display_name: str
    sign_in_audience: str
    redirect_uris: list[dict[str, str]]
    created_at: float
    visible_at: float


def lag_s(store: Store) -> float:
    """Replication lag of the current profile (0 in `fast`)."""
    return float(store.get("replication_lag_s", 0.0))


# --- tenants and users -----------------------------------------------------------------------------


def create_tenant(store: Store, display_name: str, initial_domain: str, tenant_id: str | None = None) -> Tenant:
    tenant = Tenant(tenant_id or str(uuid.uuid4()), display_name, initial_domain)
    store.run("INSERT INTO tenants(id, display_name, initial_domain) VALUES(?,?,?)", *vars(tenant).values())
    return tenant


def tenant(store: Store, key: str) -> Tenant | None:
    """By GUID or by domain, as Entra accepts either in URLs."""
    row = store.one("SELECT * FROM tenants WHERE id = ? COLLATE NOCASE OR initial_domain = ? COLLATE NOCASE",
                    key, key)
    return None if row is None else Tenant(**dict(row))


def tenants(store: Store) -> list[Tenant]:
    return [Tenant(**dict(r)) for r in store.all("SELECT * FROM tenants")]


def create_user(store: Store, tenant_id: str, upn: str, display_name: str, password: str,
                is_admin: bool = False, totp_seed: str | None = None) -> None:
    store.run("INSERT INTO users(upn, tenant_id, object_id, display_name, password, totp_seed, is_admin) "
              "VALUES(?,?,?,?,?,?,?)", upn, tenant_id, str(uuid.uuid4()), display_name, password, totp_seed,
              int(is_admin))


def user(store: Store, upn: str) -> dict[str, Any] | None:
    row = store.one("SELECT * FROM users WHERE upn = ?", upn)
    return None if row is None else dict(row)


# --- app registrations -----------------------------------------------------------------------------


def _app(row: Any) -> App:
    data = dict(row)
    data["redirect_uris"] = json.loads(data["redirect_uris"])
    return App(**data)


def create_app(store: Store, tenant_id: str, display_name: str, sign_in_audience: str = "AzureADMyOrg",
               redirect_uris: list[dict[str, str]] | None = None) -> App:
    """Register an application; a new app starts with Microsoft Graph User.Read, as in the portal."""
    now = store.now()
    app = App(str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4()), tenant_id, display_name, sign_in_audience,
              redirect_uris or [], now, now + lag_s(store))
    with store.tx() as db:
        db.execute("INSERT INTO apps(object_id, app_id, sp_object_id, tenant_id, display_name, sign_in_audience, "
                   "redirect_uris, created_at, visible_at) VALUES(?,?,?,?,?,?,?,?,?)",
                   (app.object_id, app.app_id, app.sp_object_id, tenant_id, display_name, sign_in_audience,
                    json.dumps(app.redirect_uris), app.created_at, app.visible_at))
        user_read = catalog.permission(catalog.GRAPH_RESOURCE_APP_ID, "User.Read")
        assert user_read is not None
        db.execute("INSERT INTO required_permissions VALUES(?,?,?)",
                   (app.object_id, user_read.resource_app_id, user_read.id))
    return app


def app_by_client_id(store: Store, client_id: str, visible_only: bool = False) -> App | None:
    row = store.one("SELECT * FROM apps WHERE app_id = ? COLLATE NOCASE", client_id)
    if row is None:
        return None
    app = _app(row)
    if visible_only and app.visible_at > store.now():
        return None
    return app


def app_by_object_id(store: Store, object_id: str) -> App | None:
    row = store.one("SELECT * FROM apps WHERE object_id = ?", object_id)
    return None if row is None else _app(row)


def apps(store: Store, tenant_id: str) -> list[App]:
    return [_app(r) for r in store.all("SELECT * FROM apps WHERE tenant_id = ? ORDER BY created_at DESC",
                                       tenant_id)]


def set_redirect_uris(store: Store, object_id: str, redirect_uris: list[dict[str, str]]) -> None:
    store.run("UPDATE apps SET redirect_uris = ? WHERE object_id = ?", json.dumps(redirect_uris), object_id)


def delete_app(store: Store, object_id: str) -> bool:
    return store.run("DELETE FROM apps WHERE object_id = ?", object_id) > 0


# --- client secrets --------------------------------------------------------------------------------


def new_secret_value() -> str:
    """A value shaped like Entra's: three characters, a digit, `Q~`, then 34 characters (40 in all)."""
    head = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(3))
    return head + secrets.choice(string.digits) + "Q~" + "".join(secrets.choice(SECRET_ALPHABET) for _ in range(34))


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def add_secret(store: Store, object_id: str, description: str, days: float | None = 730,
               start_at: float | None = None, end_at: float | None = None) -> tuple[str, str]:
    """Create a client secret; returns (Value, Secret ID). The Value is not kept: only its hash and hint."""
    value = new_secret_value()
    key_id = str(uuid.uuid4())
    now = store.now()
    start = start_at if start_at is not None else now
    end = end_at if end_at is not None else start + float(days or 730) * 86400
    store.run("INSERT INTO app_secrets(key_id, app_object_id, description, hint, value_sha256, start_at, end_at, "
              "visible_at) VALUES(?,?,?,?,?,?,?,?)", key_id, object_id, description, value[:3], _sha(value), start,
              end, now + lag_s(store))
    return value, key_id


def app_secrets(store: Store, object_id: str) -> list[dict[str, Any]]:
    return [dict(r) for r in store.all("SELECT key_id, description, hint, start_at, end_at, visible_at "
                                       "FROM app_secrets WHERE app_object_id = ? ORDER BY start_at", object_id)]


def match_secret(store: Store, object_id: str, value: str) -> dict[str, Any] | None:
    """The visible secret whose Value this is (expired or not), else None."""
    row = store.one("SELECT key_id, start_at, end_at FROM app_secrets WHERE app_object_id = ? AND value_sha256 = ? "
                    "AND visible_at <= ?", object_id, _sha(value), store.now())
    return None if row is None else dict(row)


def expire_secrets(store: Store, object_id: str) -> None:
    """Move every secret's end date into the past (admin API: `--secret-expired`)."""
    store.run("UPDATE app_secrets SET end_at = ? WHERE app_object_id = ?", store.now() - 60, object_id)


def delete_secret(store: Store, key_id: str) -> None:
    store.run("DELETE FROM app_secrets WHERE key_id = ?", key_id)


# --- permissions and consent -----------------------------------------------------------------------


def add_permissions(store: Store, object_id: str, resource_app_id: str, values: list[str]) -> None:
    with store.tx() as db:
        for value in values:
            perm = catalog.permission(resource_app_id, value)
            if perm is None:
                raise ValueError(f"unknown permission {value}")
            db.execute("INSERT OR IGNORE INTO required_permissions VALUES(?,?,?)",
                       (object_id, resource_app_id, perm.id))


def remove_permission(store: Store, object_id: str, resource_app_id: str, permission_id: str) -> None:
    with store.tx() as db:
        db.execute("DELETE FROM required_permissions WHERE app_object_id=? AND resource_app_id=? AND permission_id=?",
                   (object_id, resource_app_id, permission_id))
        db.execute("DELETE FROM role_assignments WHERE app_object_id=? AND resource_app_id=? AND permission_id=?",
                   (object_id, resource_app_id, permission_id))


def configured_permissions(store: Store, object_id: str) -> list[dict[str, Any]]:
    """Configured permissions with their catalog data and consent status (granted = consent recorded)."""
    rows = store.all("SELECT r.resource_app_id, r.permission_id, a.granted_at FROM required_permissions r "
                     "LEFT JOIN role_assignments a ON a.app_object_id = r.app_object_id AND "
                     "a.resource_app_id = r.resource_app_id AND a.permission_id = r.permission_id "
                     "WHERE r.app_object_id = ?", object_id)
    out = []
    for row in rows:
        perm = next((p for p in catalog.PERMISSIONS if p.id == row["permission_id"]), None)
        if perm is None:
            continue
        out.append({"resource_app_id": perm.resource_app_id, "resource": catalog.RESOURCES[perm.resource_app_id][0],
                    "id": perm.id, "value": perm.value, "type": perm.kind, "description": perm.description,
                    "admin_consent_required": perm.admin_consent_required, "granted": row["granted_at"] is not None})
    return out


def grant_admin_consent(store: Store, object_id: str) -> int:
    """Admin consent: every configured permission becomes granted; application ones become role assignments."""
    now = store.now()
    visible = now + lag_s(store)
    rows = store.all("SELECT resource_app_id, permission_id FROM required_permissions WHERE app_object_id = ?",
                     object_id)
    with store.tx() as db:
        for row in rows:
            db.execute("INSERT OR IGNORE INTO role_assignments VALUES(?,?,?,?,?)",
                       (object_id, row["resource_app_id"], row["permission_id"], now, visible))
    return len(rows)


def revoke_admin_consent(store: Store, object_id: str) -> None:
    store.run("DELETE FROM role_assignments WHERE app_object_id = ?", object_id)


def granted_roles(store: Store, object_id: str, resource_app_id: str) -> list[str]:
    """Application permission values visible to the token service for this resource (the `roles` claim)."""
    rows = store.all("SELECT permission_id FROM role_assignments WHERE app_object_id = ? AND resource_app_id = ? "
                     "AND visible_at <= ?", object_id, resource_app_id, store.now())
    ids = {r["permission_id"] for r in rows}
    return [p.value for p in catalog.PERMISSIONS if p.id in ids and p.kind == "Application"]


# --- authorization codes (sign-in redirects back to the calling twin) ------------------------------


def issue_code(store: Store, upn: str, client_id: str, redirect_uri: str, nonce: str | None = None) -> str:
    code = secrets.token_urlsafe(32)
    now = store.now()
    with store.tx() as db:
        db.execute("DELETE FROM auth_codes WHERE expires_at <= ?", (now,))  # never redeemed ones go too
        db.execute("INSERT INTO auth_codes VALUES(?,?,?,?,?,?)", (code, upn, client_id, redirect_uri, nonce, now + 600))
    return code


def redeem_code(store: Store, code: str, client_id: str | None = None) -> dict[str, Any] | None:
    """One-time use: returns the signed-in user's row, or None when unknown, expired or reused."""
    row = store.one("SELECT * FROM auth_codes WHERE code = ?", code)
    store.run("DELETE FROM auth_codes WHERE code = ?", code)
    if row is None or row["expires_at"] < store.now() or (client_id and row["client_id"] != client_id):
        return None
    return user(store, row["upn"])


# --- pending sign-ins (flow state of the sign-in pages, return URLs of the web twins) ---------------


def start_pending(store: Store, kind: str, data: dict[str, Any], token: str | None = None) -> str:
    """Remember an unfinished sign-in for PENDING_SIGNIN_TTL_S; expired rows and the oldest beyond the cap go."""
    token = token or secrets.token_urlsafe(24)
    now = store.now()
    with store.tx() as db:
        db.execute("DELETE FROM pending_signins WHERE expires_at <= ?", (now,))
        db.execute("INSERT OR REPLACE INTO pending_signins VALUES(?,?,?,?)",
                   (token, kind, json.dumps(data), now + PENDING_SIGNIN_TTL_S))
        db.execute("DELETE FROM pending_signins WHERE token IN (SELECT token FROM pending_signins "
                   "ORDER BY expires_at DESC LIMIT -1 OFFSET ?)", (MAX_PENDING_SIGNINS,))
    return token


def pending(store: Store, kind: str, token: str | None) -> dict[str, Any] | None:
    """The data of an unexpired pending sign-in, else None."""
    if not token:
        return None
    row = store.one("SELECT data FROM pending_signins WHERE token = ? AND kind = ? AND expires_at > ?", token, kind,
                    store.now())
    return None if row is None else json.loads(row["data"])


def update_pending(store: Store, kind: str, token: str, data: dict[str, Any]) -> None:
    store.run("UPDATE pending_signins SET data = ? WHERE token = ? AND kind = ?", json.dumps(data), token, kind)


def finish_pending(store: Store, token: str) -> None:
    store.run("DELETE FROM pending_signins WHERE token = ?", token)


def pending_count(store: Store) -> int:
    """Rows held, expired or not (what an outsider could make grow)."""
    row = store.one("SELECT COUNT(*) AS n FROM pending_signins")
    return int(row["n"]) if row else 0


def remember_return_url(store: Store, state: str, url: str) -> None:
    """Where a web twin sends the browser back after sign-in (keyed by the OAuth `state`)."""
    start_pending(store, "return_url", {"url": url}, token=state)


def return_url(store: Store, state: str) -> str | None:
    data = pending(store, "return_url", state)
    return None if data is None else str(data["url"])


# --- smart lockout ---------------------------------------------------------------------------------


def locked_until(store: Store, upn: str) -> float | None:
    """The sandbox time the account's lockout ends, or None when it is not locked now."""
    row = store.one("SELECT locked_until FROM signin_lockouts WHERE upn = ?", upn)
    if row is None or row["locked_until"] is None or row["locked_until"] <= store.now():
        return None
    return float(row["locked_until"])


def record_wrong_password(store: Store, upn: str, threshold: int, duration_s: float) -> bool:
    """Count a wrong password; the `threshold`-th locks the account for `duration_s`. True when now locked."""
    now = store.now()
    with store.tx() as db:
        row = db.execute("SELECT failures FROM signin_lockouts WHERE upn = ?", (upn,)).fetchone()
        failures = (int(row["failures"]) if row else 0) + 1
        locked = failures >= threshold
        db.execute("INSERT INTO signin_lockouts(upn, failures, locked_until) VALUES(?,?,?) ON CONFLICT(upn) DO "
                   "UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until",
                   (upn, 0 if locked else failures, now + duration_s if locked else None))
    return locked


def reset_lockout(store: Store, upn: str) -> bool:
    """Forget failures and any lock (a right password, or the admin API). False when the user is unknown."""
    if user(store, upn) is None:
        return False
    store.run("DELETE FROM signin_lockouts WHERE upn = ?", upn)
    return True
