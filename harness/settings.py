"""Typed, validated settings from environment variables and `.env` (the environment wins).

`load_settings()` reports every problem at once, one line per variable naming the fix, and never echoes a
secret. Callers turn `SettingsError` into exit code 2 (see `conftest.py` and `harness.cli`).
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from dotenv import dotenv_values

from harness.secrets import Secret

TARGETS = ("sandbox", "live")
PROFILES = ("fast", "realistic", "chaos")
SCREENSHOT_MODES = ("off", "on-failure", "every-step")
TRACING_MODES = ("off", "on-failure", "on")
PORTAL_LAYOUTS = ("top", "iframe")
ACCOUNT_TYPE_UIS = ("dropdown", "radios")
BC_CAPTIONS = ("current", "legacy")
BC_APP_PERMISSIONS = ("API.ReadWrite.All", "Automation.ReadWrite.All", "AdminCenter.ReadWrite.All", "app_access")

GUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
GUID_RE = re.compile(f"^{GUID_PATTERN}$")
AREA_RE = re.compile(r"^[A-Za-z0-9]+$")


class SettingsError(Exception):
    """Raised with one line per problem; `str()` is what the user sees."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Settings:
    target: str = "sandbox"
    # Service base URLs (live: from settings; sandbox: from the running twins' endpoints file).
    login_url: str = "https://login.microsoftonline.com"
    azure_portal_url: str = "https://portal.azure.com"
    bc_web_url: str = "https://businesscentral.dynamics.com"
    bc_api_url: str = "https://api.businesscentral.dynamics.com"
    dm_portal_url: str = ""
    ca_cert: Path | None = None
    # Entra tenant and the administrator who runs the procedure.
    tenant_id: str = ""
    tenant_name: str = ""
    admin_user: str = ""
    admin_password: Secret | None = None
    admin_totp_seed: Secret | None = None
    azure_storage_state: Path | None = None
    # What the procedure creates.
    app_name: str = "Dynamics Mobile"
    bc_app_permissions: tuple[str, ...] = BC_APP_PERMISSIONS
    secret_expiry: str = "730 days (24 months)"
    # Business Central.
    bc_environment: str = ""
    bc_company: str = "CRONUS USA, Inc."
    bc_permission_sets: tuple[str, ...] = ("D365 AUTOMATION",)
    bc_grant_consent: bool = False
    # Dynamics Mobile Portal.
    dm_application_area: str = ""
    dm_user: str = ""
    dm_password: Secret | None = None
    dm_role_id: str = "DMSAGENT"
    dm_role_name: str = "DMSAGENT"
    # Run behaviour.
    headed: bool = False
    browser_path: str = ""
    screenshots: str = "every-step"
    tracing: str = "on-failure"
    ui_timeout_s: float = 30.0
    http_timeout_s: float = 30.0
    propagation_timeout_s: float = 120.0
    cleanup: bool = True
    reports_dir: Path = Path("reports")
    # Sandbox only.
    sandbox_profile: str = "fast"
    sandbox_port: int = 0
    sandbox_state_dir: Path | None = None
    sandbox_portal_layout: str = "top"
    sandbox_account_types_ui: str = "dropdown"
    sandbox_bc_caption: str = "current"
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_sandbox(self) -> bool:
        return self.target == "sandbox"

    @property
    def authority(self) -> str:
        return f"{self.login_url.rstrip('/')}/{self.tenant_id}"

    def with_sandbox(self, endpoints: Mapping[str, Any]) -> Settings:
        """Fill what the running twins decide (URLs, tenant, seeded users) into sandbox settings."""
        return replace(
            self,
            login_url=endpoints["login"],
            azure_portal_url=endpoints["azure_portal"],
            bc_web_url=endpoints["business_central"],
            bc_api_url=endpoints["bc_api"],
            dm_portal_url=endpoints["dynamics_mobile"],
            ca_cert=Path(endpoints["ca_cert"]),
            tenant_id=endpoints["tenant_id"],
            tenant_name=endpoints["tenant_name"],
            admin_user=endpoints["admin_user"],
            admin_password=Secret(endpoints["admin_password"], "admin_password"),
            admin_totp_seed=None,
            bc_environment=self.bc_environment or endpoints["environment"],
            bc_company=endpoints["company"] if self.bc_company == Settings.bc_company else self.bc_company,
            dm_application_area=endpoints["dm_application_area"],
            dm_user=endpoints["dm_user"],
            dm_password=Secret(endpoints["dm_password"], "dm_password"),
        )


@dataclass(frozen=True)
class Spec:
    """One setting: its variable, the field it fills, how to parse it and how to explain a bad value."""

    env: str
    attr: str
    parse: Callable[[str], Any]
    fix: str
    required_live: bool = False
    secret: bool = False


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in options:
            raise ValueError
        return value

    return parse


def _https_url(raw: str) -> str:
    parsed = urlparse(raw.strip())
    if parsed.scheme != "https" or not parsed.hostname:
        raise ValueError
    return raw.strip().rstrip("/")


def _guid(raw: str) -> str:
    if not GUID_RE.match(raw.strip()):
        raise ValueError
    return str(uuid.UUID(raw.strip()))


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError


def _positive(raw: str) -> float:
    value = float(raw)
    if value <= 0:
        raise ValueError
    return value


def _port(raw: str) -> int:
    value = int(raw)
    if not 0 <= value <= 65535:
        raise ValueError
    return value


def _existing_file(raw: str) -> Path:
    path = Path(raw).expanduser()
    if not path.is_file():
        raise ValueError
    return path


def _text(raw: str) -> str:
    if not raw.strip():
        raise ValueError
    return raw.strip()


def _area(raw: str) -> str:
    if not AREA_RE.match(raw.strip()):
        raise ValueError
    return raw.strip()


def _list(raw: str) -> tuple[str, ...]:
    items = tuple(item.strip() for item in raw.split(",") if item.strip())
    if not items:
        raise ValueError
    return items


def _app_permissions(raw: str) -> tuple[str, ...]:
    items = _list(raw)
    if any(item not in BC_APP_PERMISSIONS for item in items):
        raise ValueError
    return items


def _secret(name: str) -> Callable[[str], Secret]:
    def parse(raw: str) -> Secret:
        if not raw:
            raise ValueError
        return Secret(raw, name)

    return parse


SPECS: tuple[Spec, ...] = (
    Spec("TARGET", "target", _choice(TARGETS), "sandbox (local twins) or live (real tenants)"),
    Spec("LOGIN_URL", "login_url", _https_url, "an https URL such as https://login.microsoftonline.com"),
    Spec("AZURE_PORTAL_URL", "azure_portal_url", _https_url, "an https URL such as https://portal.azure.com"),
    Spec("BC_WEB_URL", "bc_web_url", _https_url, "an https URL such as https://businesscentral.dynamics.com"),
    Spec("BC_API_URL", "bc_api_url", _https_url, "an https URL such as https://api.businesscentral.dynamics.com"),
    Spec("DM_PORTAL_URL", "dm_portal_url", _https_url, "the https URL of your Dynamics Mobile Portal",
         required_live=True),
    Spec("CA_CERT", "ca_cert", _existing_file, "the path of an existing PEM file with extra CA certificates"),
    Spec("AZURE_TENANT_ID", "tenant_id", _guid, "the Directory (tenant) ID GUID from Entra ID > Overview",
         required_live=True),
    Spec("AZURE_TENANT_NAME", "tenant_name", _text, "the tenant display name shown in 'Grant admin consent for …'",
         required_live=True),
    Spec("AZURE_ADMIN_USER", "admin_user", _text, "the UPN of an administrator, e.g. admin@contoso.onmicrosoft.com",
         required_live=True),
    Spec("AZURE_ADMIN_PASSWORD", "admin_password", _secret("admin_password"), "the administrator's password",
         secret=True),
    Spec("AZURE_ADMIN_TOTP_SEED", "admin_totp_seed", _secret("admin_totp_seed"),
         "the base32 TOTP seed of the administrator's authenticator", secret=True),
    Spec("AZURE_STORAGE_STATE", "azure_storage_state", _existing_file,
         "a file saved by `bcoauth login azure --save-state FILE`"),
    Spec("APP_NAME", "app_name", _text, "the display name of the app registration, e.g. Dynamics Mobile"),
    Spec("BC_APP_PERMISSIONS", "bc_app_permissions", _app_permissions,
         "a comma list of " + ", ".join(BC_APP_PERMISSIONS)),
    Spec("SECRET_EXPIRY", "secret_expiry", _text, "an Expires option, e.g. 730 days (24 months)"),
    Spec("BC_ENVIRONMENT", "bc_environment", _text, "the Business Central environment name, e.g. Production",
         required_live=True),
    Spec("BC_COMPANY", "bc_company", _text, "the company name, e.g. CRONUS USA, Inc."),
    Spec("BC_PERMISSION_SETS", "bc_permission_sets", _list, "a comma list of permission sets, e.g. D365 AUTOMATION"),
    Spec("BC_GRANT_CONSENT", "bc_grant_consent", _bool, "true or false"),
    Spec("DM_APPLICATION_AREA", "dm_application_area", _area, "letters and digits only, e.g. DEMO01",
         required_live=True),
    Spec("DM_USER", "dm_user", _text, "the e-mail of a Dynamics Mobile Portal administrator", required_live=True),
    Spec("DM_PASSWORD", "dm_password", _secret("dm_password"), "the Portal user's password", required_live=True,
         secret=True),
    Spec("DM_ROLE_ID", "dm_role_id", _area, "letters and digits only, e.g. DMSAGENT"),
    Spec("DM_ROLE_NAME", "dm_role_name", _text, "a role name, e.g. DMSAGENT"),
    Spec("HEADED", "headed", _bool, "true or false"),
    Spec("BROWSER_PATH", "browser_path", _existing_file, "the path of a Chromium executable"),
    Spec("SCREENSHOTS", "screenshots", _choice(SCREENSHOT_MODES), "one of " + ", ".join(SCREENSHOT_MODES)),
    Spec("TRACING", "tracing", _choice(TRACING_MODES), "one of " + ", ".join(TRACING_MODES)),
    Spec("UI_TIMEOUT_S", "ui_timeout_s", _positive, "a number of seconds greater than 0"),
    Spec("HTTP_TIMEOUT_S", "http_timeout_s", _positive, "a number of seconds greater than 0"),
    Spec("PROPAGATION_TIMEOUT_S", "propagation_timeout_s", _positive, "a number of seconds greater than 0"),
    Spec("CLEANUP", "cleanup", _bool, "true or false"),
    Spec("REPORTS_DIR", "reports_dir", Path, "a folder path"),
    Spec("SANDBOX_PROFILE", "sandbox_profile", _choice(PROFILES), "one of " + ", ".join(PROFILES)),
    Spec("SANDBOX_PORT", "sandbox_port", _port, "a port number 0-65535 (0 = any free ports)"),
    Spec("SANDBOX_STATE_DIR", "sandbox_state_dir", Path, "a folder path"),
    Spec("SANDBOX_PORTAL_LAYOUT", "sandbox_portal_layout", _choice(PORTAL_LAYOUTS),
         "one of " + ", ".join(PORTAL_LAYOUTS)),
    Spec("SANDBOX_ACCOUNT_TYPES_UI", "sandbox_account_types_ui", _choice(ACCOUNT_TYPE_UIS),
         "one of " + ", ".join(ACCOUNT_TYPE_UIS)),
    Spec("SANDBOX_BC_CAPTION", "sandbox_bc_caption", _choice(BC_CAPTIONS), "one of " + ", ".join(BC_CAPTIONS)),
)


def read_environment(env: Mapping[str, str] | None = None, dotenv_path: str | Path | None = ".env") -> dict[str, str]:
    """`.env` values overlaid by the process environment (the environment wins)."""
    merged: dict[str, str] = {}
    if dotenv_path and Path(dotenv_path).is_file():
        merged.update({k: v for k, v in dotenv_values(dotenv_path).items() if v is not None})
    merged.update(os.environ if env is None else env)
    return merged


def load_settings(env: Mapping[str, str] | None = None, dotenv_path: str | Path | None = ".env", *,
                  require_login: bool = True) -> Settings:
    """`require_login=False` for `bcoauth login azure`, which exists to create the signed-in state."""
    raw = read_environment(env, dotenv_path)
    values: dict[str, Any] = {}
    problems: list[str] = []
    for spec in SPECS:
        text = raw.get(spec.env, "")
        if text == "":
            continue
        try:
            values[spec.attr] = spec.parse(text)
        except (ValueError, TypeError):
            shown = "(hidden)" if spec.secret else repr(text)
            problems.append(f"{spec.env}={shown} is not valid; expected {spec.fix}.")
    target = values.get("target", "sandbox")
    if target == "live":
        for spec in SPECS:
            reported = any(p.startswith(spec.env + "=") for p in problems)
            if spec.required_live and spec.attr not in values and not reported:
                problems.append(f"{spec.env} is required when TARGET=live; expected {spec.fix}.")
        has_login = "admin_password" in values or "azure_storage_state" in values
        if require_login and not has_login:
            problems.append("AZURE_ADMIN_PASSWORD or AZURE_STORAGE_STATE is required when TARGET=live: "
                            "set the password, or save a signed-in state with `bcoauth login azure --save-state F`.")
    if problems:
        raise SettingsError(problems)
    return Settings(**values)


def describe(settings: Settings) -> dict[str, str]:
    """Every setting as text for run metadata, secrets masked."""
    out: dict[str, str] = {}
    for f in fields(settings):
        if f.name == "extra":
            continue
        value = getattr(settings, f.name)
        if isinstance(value, tuple):
            value = ",".join(value)
        out[f.name] = "" if value is None else str(value)
    return out
