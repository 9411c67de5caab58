"""The Portal twin's own captions, written from the procedure [DM-OAUTH] (`shared/seed/business-central-oauth.txt`)
and FIDELITY.md §f, so the twin is a witness independent of the page objects' table (`pages/dynamics_mobile/labels.py`).

Where the procedure names a control, its spelling is used ("Agent Deployment Type", "Backend Connection",
"CREATE"/"UPDATE" "on top"); where only the Portal's user guide does (DM-USER, DM-ROLES: Application Area, Login,
APPS, Users, Roles, Role Id, Name, Default Application, Enabled) that spelling; the rest is UNVERIFIED and neutral.
"""

from __future__ import annotations

CAPTIONS: dict[str, str] = {
    "portal": "Dynamics Mobile Portal",
    # Login [DM-USER]; the e-mail label is UNVERIFIED.
    "area": "Application Area",
    "email": "Email",
    "password": "Password",
    "login": "Login",
    "logout": "Log out",
    "login_failed": "The application area, email or password is incorrect.",
    # Shell: APPS → ADM → left menu [DM-USER, DM-ROLES]; "Roles" is procedure step 3.
    "apps": "APPS",
    "app_selector": "Application Selector",
    "menu": "Application menu",
    "users": "Users",
    "roles": "Roles",
    # Roles list and card [DM-ROLES]; "New" is the older UI's button, also the accessible name of the newer [+].
    "new": "New",
    "role_id": "Role Id",
    "name": "Name",
    "default_app": "Default Application",
    "enabled": "Enabled",
    "general": "General",
    "settings": "Settings",
    "role_tabs": "Role sections",
    # Role Settings, procedure steps 6-14 (procedure-only captions, in the procedure's order).
    "agent": "AGENT",
    "sync": "SYNC",
    "live_link": "LIVE LINK",
    "agent_deployment_type": "Agent Deployment Type",
    "backend_connection": "Backend Connection",
    "connection_type": "Connection Type",
    "bc_deployment_type": "Business Central Deployment Type",
    "tenant_id": "Tenant Id",
    "environment_id": "Environment Id",
    "client_id": "Client Id",
    "client_secret": "Client Secret",
    "company": "Company",
    # Messages: the real save texts are UNVERIFIED, so these stay neutral (FIDELITY §f "Twin (form)").
    "secret_saved": "•••••• (saved)",
    "role_created": "Role {role_id} created.",
    "settings_saved": "Role settings saved.",
    "errors_heading": "Please correct the following:",
}

# Buttons at the top per UI generation (FIDELITY §f "Buttons"): the procedure's CREATE/UPDATE (steps 5 and 15) with
# the newer [+] is the twin default; the older New/Save/Edit set is the `dm_buttons=classic` option.
BUTTONS: dict[str, dict[str, str]] = {
    "modern": {"new": "+", "create": "CREATE", "update": "UPDATE"},
    "classic": {"new": "New", "create": "Save", "update": "Save", "edit": "Edit"},
}
DEFAULT_GENERATION = "modern"

# Option lists: (settings-JSON code, caption). The first is the procedure's choice (steps 7, 9, 10); the others are
# UNVERIFIED (FIDELITY §f table; agent backend types d365bc/d365fo/navsql from DM-AGENT).
OPTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "agent_deployment_type": (("SaaS", "SaaS"), ("OnPremise", "On-Premise"), ("Disconnected", "Disconnected")),
    "connection_type": (("d365bc", "Microsoft Dynamics 365 Business Central"),
                        ("d365fo", "Microsoft Dynamics 365 Finance & Operations"),
                        ("navsql", "Microsoft Dynamics NAV")),
    "bc_deployment_type": (("cloud", "Microsoft Cloud"), ("onprem", "On-Premise")),
}

# The Application Selector: (id, title). ADM is the administration app (procedure step 2); the others are mobile
# apps whose Portal screen stays empty [DM-ROLES].
APPLICATIONS: dict[str, str] = {"ADM": "Administration", "SFA": "Sales Force Automation", "DMSALES": "Mobile Sales"}
ADMIN_APP = "ADM"


def caption(key: str, **values: str) -> str:
    return CAPTIONS[key].format(**values) if values else CAPTIONS[key]


def option_codes(list_key: str) -> list[str]:
    return [code for code, _ in OPTIONS[list_key]]


def buttons(generation: str) -> dict[str, str]:
    """The top buttons of one UI generation (an unknown generation falls back to the default)."""
    return BUTTONS.get(generation, BUTTONS[DEFAULT_GENERATION])
