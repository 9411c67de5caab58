"""Every Dynamics Mobile Portal caption the page objects look for, in one table. The twin keeps its own captions
(`sandbox/dynamics_mobile/captions.py`, written from the procedure), so the two are independent.

Most of these captions are known only from the procedure (FIDELITY.md §f, §g row 15): when the real Portal says
something else, change it here once. `ALTERNATES` holds spellings page objects also accept (older UI generation,
the procedure's wording); page objects match every spelling case-insensitively.
"""

from __future__ import annotations

import re

LABELS: dict[str, str] = {
    # Login (DM-USER; e-mail label UNVERIFIED).
    "area": "Application Area",
    "email": "Email",
    "password": "Password",
    "login": "Login",
    # Shell (DM-ROLES, DM-USER).
    "apps": "APPS",
    "menu": "Application menu",
    "users": "Users",
    "roles": "Roles",
    # Roles list and card.
    "new": "New",
    "role_id": "Role Id",
    "name": "Name",
    "settings": "Settings",
    # Role settings (procedure-only captions).
    "agent": "AGENT",
    "agent_deployment_type": "Agent Deployment Type",
    "backend_connection": "Backend Connection",
    "connection_type": "Connection Type",
    "bc_deployment_type": "Business Central Deployment Type",
    "tenant_id": "Tenant Id",
    "environment_id": "Environment Id",
    "client_id": "Client Id",
    "client_secret": "Client Secret",
    "company": "Company",
    # Messages.
    "secret_saved": "•••••• (saved)",
}

# Buttons per UI generation (FIDELITY §f "Buttons"): the procedure's CREATE/UPDATE on top is the twin default.
BUTTONS: dict[str, dict[str, str]] = {
    "modern": {"create": "CREATE", "update": "UPDATE"},
    "classic": {"create": "Save", "update": "Save", "edit": "Edit"},
}

# Other spellings page objects accept for the same control.
ALTERNATES: dict[str, tuple[str, ...]] = {
    "role_id": ("Code",),
    "email": ("E-mail", "Email address"),
    "new": ("+",),
    "apps": ("Application Selector",),
}


def label(key: str) -> str:
    return LABELS[key]


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
