"""Every Dynamics Mobile Portal label and option list, in one table shared by the twin and the page objects.

Most of these captions are known only from the procedure (FIDELITY.md §f, §g row 15): when the real Portal says
something else, change it here once. `ALTERNATES` holds spellings page objects also accept (older UI generation,
the procedure's wording); page objects match every spelling case-insensitively.
"""

from __future__ import annotations

import re

LABELS: dict[str, str] = {
    "portal": "Dynamics Mobile Portal",
    # Login (DM-USER; e-mail label UNVERIFIED).
    "area": "Application Area",
    "email": "Email",
    "password": "Password",
    "login": "Login",
    "logout": "Log out",
    # Shell (DM-ROLES, DM-USER).
    "apps": "APPS",
    "app_selector": "Application Selector",
    "menu": "Application menu",
    "users": "Users",
    "roles": "Roles",
    # Roles list and card.
    "new": "New",
    "role_id": "Role Id",
    "name": "Name",
    "default_app": "Default Application",
    "enabled": "Enabled",
    "general": "General",
    "settings": "Settings",
    "role_tabs": "Role sections",
    # Role settings (procedure-only captions).
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
    # Messages (save texts are UNVERIFIED: neutral on purpose).
    "secret_saved": "•••••• (saved)",
    "role_created": "Role {role_id} created.",
    "settings_saved": "Role settings saved.",
    "errors_heading": "Please correct the following:",
}

# Buttons per UI generation (FIDELITY §f "Buttons"): the procedure's CREATE/UPDATE on top is the twin default.
BUTTONS: dict[str, dict[str, str]] = {
    "modern": {"create": "CREATE", "update": "UPDATE"},
    "classic": {"create": "Save", "update": "Save", "edit": "Edit"},
}
UI_GENERATIONS = tuple(BUTTONS)

# Other spellings page objects accept for the same control.
ALTERNATES: dict[str, tuple[str, ...]] = {
    "role_id": ("Code",),
    "email": ("E-mail", "Email address"),
    "new": ("+",),
    "apps": ("Application Selector",),
}

# Option lists: (settings-JSON code, caption). The first is the procedure's choice; the rest are UNVERIFIED
# (FIDELITY §f table, agent types from DM-AGENT).
OPTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "agent_deployment_type": (("SaaS", "SaaS"), ("OnPremise", "On-Premise"), ("Disconnected", "Disconnected")),
    "connection_type": (("d365bc", "Microsoft Dynamics 365 Business Central"),
                        ("d365fo", "Microsoft Dynamics 365 Finance & Operations"),
                        ("navsql", "Microsoft Dynamics NAV")),
    "bc_deployment_type": (("cloud", "Microsoft Cloud"), ("onprem", "On-Premise")),
}

# Applications in the Application Selector: (id, title). ADM is the administration app; the others are mobile
# apps whose Portal screen stays empty (DM-ROLES).
APPLICATIONS: tuple[tuple[str, str], ...] = (("ADM", "Administration"), ("SFA", "Sales Force Automation"),
                                             ("DMSALES", "Mobile Sales"))


def label(key: str, **values: str) -> str:
    return LABELS[key].format(**values) if values else LABELS[key]


def spellings(key: str) -> tuple[str, ...]:
    """Every accepted caption for a label or button key, twin default first."""
    found: list[str] = []
    if key in LABELS:
        found.append(LABELS[key])
    for generation in BUTTONS.values():
        if key in generation and generation[key] not in found:
            found.append(generation[key])
    found.extend(a for a in ALTERNATES.get(key, ()) if a not in found)
    if not found:
        raise KeyError(f"no Portal label {key!r}; known: {', '.join(sorted({*LABELS, *BUTTONS['classic']}))}")
    return tuple(found)


def pattern(key: str) -> re.Pattern[str]:
    """Case-insensitive exact match of any accepted caption (surrounding spaces allowed)."""
    return re.compile(r"^\s*(?:" + "|".join(re.escape(s) for s in spellings(key)) + r")\s*$", re.I)


def text_pattern(text: str) -> re.Pattern[str]:
    """Case-insensitive exact match for a value caption (an option, a role id)."""
    return re.compile(r"^\s*" + re.escape(text) + r"\s*$", re.I)


def option_caption(list_key: str, code: str) -> str:
    for option_code, caption in OPTIONS[list_key]:
        if option_code == code:
            return caption
    return ""


def option_code(list_key: str, caption: str) -> str | None:
    wanted = caption.strip().lower()
    for code, option_caption_ in OPTIONS[list_key]:
        if wanted in (option_caption_.lower(), code.lower()):
            return code
    return None
