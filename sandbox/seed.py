"""First-start seed: one tenant with an administrator (and an MFA user), a BC sandbox environment with its
company, and a Dynamics Mobile application area with an administrator. Passwords are random per state folder."""

from __future__ import annotations

import base64
import secrets
from typing import Any

from sandbox import bc_data, directory, dm_data
from sandbox.store import Store

TENANT_NAME = "Contoso Sandbox"
TENANT_DOMAIN = "contososandbox.onmicrosoft.com"
ENVIRONMENT = "Sandbox"
COMPANY = "CRONUS USA, Inc."
DM_AREA = "DEMO01"


def _password() -> str:
    return "Pw!" + secrets.token_urlsafe(12)


def ensure_seed(store: Store) -> dict[str, Any]:
    seed = store.get("seed")
    if seed:
        return seed
    tenant = directory.create_tenant(store, TENANT_NAME, TENANT_DOMAIN)
    admin_user = f"admin@{TENANT_DOMAIN}"
    admin_password = _password()
    directory.create_user(store, tenant.id, admin_user, "Sandbox Administrator", admin_password, is_admin=True)
    mfa_user = f"mfa.admin@{TENANT_DOMAIN}"
    mfa_password = _password()
    totp_seed = base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")
    directory.create_user(store, tenant.id, mfa_user, "MFA Administrator", mfa_password, is_admin=True,
                          totp_seed=totp_seed)
    bc_data.create_environment(store, tenant.id, ENVIRONMENT, "Sandbox")
    bc_data.create_company(store, tenant.id, ENVIRONMENT, COMPANY)
    bc_data.create_company(store, tenant.id, ENVIRONMENT, "My Company", "")
    dm_user = "admin@dynamicsmobile.demo"
    dm_password = _password()
    dm_data.create_area(store, DM_AREA, "Demo application area")
    dm_data.create_role(store, DM_AREA, "ADM", "Administrators", default_application="ADM")
    dm_data.create_user(store, DM_AREA, dm_user, dm_password, "ADM")
    seed = {
        "tenant_id": tenant.id, "tenant_name": tenant.display_name, "tenant_domain": tenant.initial_domain,
        "admin_user": admin_user, "admin_password": admin_password,
        "mfa_user": mfa_user, "mfa_password": mfa_password, "mfa_totp_seed": totp_seed,
        "environment": ENVIRONMENT, "company": COMPANY,
        "dm_application_area": DM_AREA, "dm_user": dm_user, "dm_password": dm_password,
    }
    store.put("seed", seed)
    return seed
