"""Role forms of the Portal twin: validation and the mapping between form fields and the role settings JSON.

The settings JSON follows the agent's naming loosely (DM-AGENT: `backend.type` = d365bc|d365fo|navsql):
{"agent": {"deploymentType": "SaaS", "backend": {"type": "d365bc", "deployment": "cloud", "tenantId": …,
"environment": …, "clientId": …, "clientSecret": …, "company": …}}}.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sandbox.dynamics_mobile.captions import APPLICATIONS, caption, option_codes

ROLE_ID_RE = re.compile(r"^[A-Za-z0-9]+$")
GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
ROLE_ID_MAX = 20
NAME_MAX = 50

# form field name -> captions key; the order is the order of the form.
SETTINGS_FIELDS: dict[str, str] = {
    "agentDeploymentType": "agent_deployment_type",
    "connectionType": "connection_type",
    "bcDeploymentType": "bc_deployment_type",
    "tenantId": "tenant_id",
    "environmentId": "environment_id",
    "clientId": "client_id",
    "clientSecret": "client_secret",
    "company": "company",
}
SELECT_FIELDS = {"agentDeploymentType": "agent_deployment_type", "connectionType": "connection_type",
                 "bcDeploymentType": "bc_deployment_type"}
BACKEND_KEYS = {"bcDeploymentType": "deployment", "tenantId": "tenantId", "environmentId": "environment",
                "clientId": "clientId", "company": "company"}


@dataclass
class FormErrors:
    """Problems per form field; `summary()` is what the alert lists ("<Label>: <problem>")."""

    by_field: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, caption: str, problem: str) -> None:
        self.by_field.setdefault(name, problem)
        self.labels.setdefault(name, caption)

    def extend(self, other: FormErrors) -> None:
        for name, problem in other.by_field.items():
            self.add(name, other.labels[name], problem)

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def summary(self) -> list[str]:
        return [f"{self.labels[name]}: {problem}" for name, problem in self.by_field.items()]


def validate_new_role(role_id: str, name: str, default_application: str,
                      existing: list[dict[str, Any]]) -> FormErrors:
    errors = FormErrors()
    if not role_id:
        errors.add("roleId", caption("role_id"), "is required")
    elif not ROLE_ID_RE.match(role_id):
        errors.add("roleId", caption("role_id"), "may contain letters and digits only")
    elif len(role_id) > ROLE_ID_MAX:
        errors.add("roleId", caption("role_id"), f"may be at most {ROLE_ID_MAX} characters long")
    elif any(r["role_id"].lower() == role_id.lower() for r in existing):
        errors.add("roleId", caption("role_id"), f"a role with Role Id '{role_id}' already exists")
    check_name(errors, name, existing, exclude=None)
    if default_application and default_application not in APPLICATIONS:
        errors.add("defaultApplication", caption("default_app"), "choose a value from the list")
    return errors


def check_name(errors: FormErrors, name: str, existing: list[dict[str, Any]], exclude: str | None) -> None:
    if not name:
        errors.add("name", caption("name"), "is required")
    elif len(name) > NAME_MAX:
        errors.add("name", caption("name"), f"may be at most {NAME_MAX} characters long")
    elif any(r["name"].lower() == name.lower() and r["role_id"].lower() != (exclude or "").lower()
             for r in existing):
        errors.add("name", caption("name"), f"a role named '{name}' already exists")


def form_values(form: dict[str, str]) -> dict[str, str]:
    """The submitted settings fields, trimmed (the secret is kept as typed)."""
    values = {name: (form.get(name) or "") for name in SETTINGS_FIELDS}
    return {k: (v if k == "clientSecret" else v.strip()) for k, v in values.items()}


def validate_settings(values: dict[str, str], secret_saved: bool) -> FormErrors:
    errors = FormErrors()
    for name, list_key in SELECT_FIELDS.items():
        if values[name] not in option_codes(list_key):
            errors.add(name, caption(list_key), "choose a value from the list")
    if values["connectionType"] != "d365bc":
        return errors
    for name in ("tenantId", "clientId"):
        if not values[name]:
            errors.add(name, caption(SETTINGS_FIELDS[name]), "is required")
        elif not GUID_RE.match(values[name]):
            errors.add(name, caption(SETTINGS_FIELDS[name]),
                       "must be a GUID such as 00000000-0000-0000-0000-000000000000")
    for name in ("environmentId", "company"):
        if not values[name]:
            errors.add(name, caption(SETTINGS_FIELDS[name]), "is required")
    if not values["clientSecret"] and not secret_saved:
        errors.add("clientSecret", caption("client_secret"), "is required")
    # Keep the form order in the summary.
    errors.by_field = {k: errors.by_field[k] for k in SETTINGS_FIELDS if k in errors.by_field}
    return errors


def merge_settings(previous: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """New settings JSON: an empty secret field keeps the saved secret; other sections are left alone."""
    settings = dict(previous)
    agent = dict(settings.get("agent") or {})
    old_backend = agent.get("backend") or {}
    agent["deploymentType"] = values["agentDeploymentType"]
    backend: dict[str, Any] = {"type": values["connectionType"]}
    for name, key in BACKEND_KEYS.items():
        backend[key] = values[name]
    backend["clientSecret"] = values["clientSecret"] or old_backend.get("clientSecret", "")
    agent["backend"] = backend
    settings["agent"] = agent
    return settings


def settings_values(settings: dict[str, Any]) -> dict[str, str]:
    """Form values shown for saved settings: never the secret (only whether one is saved)."""
    agent = settings.get("agent") or {}
    backend = agent.get("backend") or {}
    values = {"agentDeploymentType": agent.get("deploymentType", option_codes("agent_deployment_type")[0]),
              "connectionType": backend.get("type", option_codes("connection_type")[0]),
              "clientSecret": ""}
    for name, key in BACKEND_KEYS.items():
        values[name] = str(backend.get(key, ""))
    if not values["bcDeploymentType"]:
        values["bcDeploymentType"] = option_codes("bc_deployment_type")[0]
    return values


def secret_saved(settings: dict[str, Any]) -> bool:
    return bool(((settings.get("agent") or {}).get("backend") or {}).get("clientSecret"))


def redacted(settings: dict[str, Any]) -> dict[str, Any]:
    """Settings safe to return from the admin API: the secret replaced by a marker."""
    agent = dict(settings.get("agent") or {})
    backend = dict(agent.get("backend") or {})
    if backend.get("clientSecret"):
        backend["clientSecret"] = "(saved)"
    if backend:
        agent["backend"] = backend
    return {**settings, **({"agent": agent} if agent else {})}
