"""Typed, validated settings from environment variables and `.env` (the environment wins).

`load_settings()` reports every problem at once, one line per variable naming the fix, and never echoes a
secret; a `.env` that cannot be read, is not UTF-8 or has lines python-dotenv would drop (or swallow into an
unclosed quote) is reported by line number, never by content. Values are checked for what would break later:
finite timeouts, room for the twins' six ports, a CA file that really holds certificates, a TOTP seed that is
base32, a secret lifetime the Azure portal offers, permission sets Business Central accepts for an application.
A misspelt variable is not silently ignored: an unknown name in `.env` with one of the harness's prefixes, or in
the environment close to a known name, is reported with the nearest known name.

The `.env` read is `ENV_FILE` if set, else the one in the project root (the folder with this harness's
`pyproject.toml`) whatever the working directory. Callers turn `SettingsError` into exit code 2 (see
`harness.fixtures` and `harness.cli`).
"""

from __future__ import annotations

import difflib
import io
import math
import os
import re
import ssl
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from dotenv import dotenv_values
from dotenv.parser import parse_stream

from harness.secrets import Secret

TARGETS = ("sandbox", "live")
PROFILES = ("fast", "realistic", "chaos")
# on-failure+golden: every step of the @golden scenarios, the failing step of others (a report to e-mail).
SCREENSHOT_MODES = ("off", "on-failure", "on-failure+golden", "every-step")
TRACING_MODES = ("off", "on-failure", "on")
TRACING_ALIASES = {"retain-on-failure": "on-failure"}  # pytest-playwright's word for on-failure
PORTAL_LAYOUTS = ("top", "iframe")
ACCOUNT_TYPE_UIS = ("dropdown", "radios")
BC_CAPTIONS = ("current", "legacy")
UI_VARIANT_SETS = ("default", "hostile")  # the admin API's option presets (sandbox.admin.options.PRESETS)
BC_APP_PERMISSIONS = ("API.ReadWrite.All", "Automation.ReadWrite.All", "AdminCenter.ReadWrite.All", "app_access")

# The twins listen on SANDBOX_PORT .. SANDBOX_PORT+5 (one port per service), so the first port is at most 65530.
SANDBOX_PORT_COUNT = 6
MAX_FIRST_PORT = 65535 - (SANDBOX_PORT_COUNT - 1)
# Longest accepted timeout: beyond a day is a typo, and huge values overflow Playwright's and threading's limits.
MAX_TIMEOUT_S = 86_400.0
PEM_CERTIFICATE = b"-----BEGIN CERTIFICATE-----"
# The Azure portal's Expires choices for a client secret (FIDELITY.md §c.5). Custom is left out on purpose: it asks
# for Start and End dates, which the run does not enter.
SECRET_EXPIRY_OPTIONS = ("Recommended: 180 days (6 months)", "90 days (3 months)", "365 days (12 months)",
                         "545 days (18 months)", "730 days (24 months)")
# Authenticator apps take a base32 key of at least 80 bits; a shorter one is a truncated copy.
MIN_TOTP_SEED_CHARS = 16

GUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
GUID_RE = re.compile(f"^{GUID_PATTERN}$")
AREA_RE = re.compile(r"^[A-Za-z0-9]+$")
BASE32_RE = re.compile(r"^[A-Z2-7]+$")
EXPIRY_RE = re.compile(r"^(?:recommended:\s*)?(?:(\d+)\s*days?)?\s*\(?\s*(?:(\d+)\s*months?)?\s*\)?$", re.IGNORECASE)
OPTION_RE = re.compile(r"(\d+) days \((\d+) months\)")


class BadValue(ValueError):
    """A parser's reason for rejecting a value, shown to the user: it must never contain the value itself."""


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
    allow_production: str = "no"  # "yes": the run may change a Production BC environment
    # Dynamics Mobile Portal.
    dm_application_area: str = ""
    dm_user: str = ""
    dm_password: Secret | None = None
    dm_role_id: str = "DMSAGENT"
    dm_role_name: str = "DMSAGENT"
    # Run behaviour.
    headed: bool = False
    browser_path: str = ""
    screenshots: str = "on-failure+golden"
    screenshot_reuse: bool = True  # a step that changed nothing on the page shows the previous step's picture
    tracing: str = "on-failure"
    trace_filmstrip: bool = False  # the trace's screencast (film strip): ~20 % of a UI test's time on 2 cores
    pw_connect_ws_endpoint: Secret | None = None  # a remote browser (Playwright server, cloud browser service)
    allow_unmasked_video: str = "no"  # "yes": pytest-playwright's --video may record (frames are never masked)
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
    sandbox_ui_variants: str = "default"
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


def _seconds(raw: str) -> float:
    value = float(raw)
    if not math.isfinite(value) or not 0 < value <= MAX_TIMEOUT_S:
        raise ValueError
    return value


def _port(raw: str) -> int:
    value = int(raw)
    if not 0 <= value <= MAX_FIRST_PORT:
        raise ValueError
    return value


def _path(raw: str) -> Path:
    try:
        return Path(raw.strip()).expanduser()
    except RuntimeError as exc:  # `~nosuchuser/…`: no such user, or no home folder
        raise BadValue("~ names no known user's home folder") from exc


def _existing_file(raw: str) -> Path:
    path = _path(raw)
    try:
        found = path.is_file()
    except OSError as exc:  # is_file() swallows "not found" but not e.g. a folder we may not enter
        raise BadValue(f"cannot look at it: {exc.strerror}") from exc
    if not found:
        raise BadValue("no such file")
    return path


def _pem_certificates(raw: str) -> Path:
    """A CA file that httpx/ssl can load: checked now, not at the first HTTPS call in the middle of a run."""
    path = _existing_file(raw)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadValue(f"cannot read it: {exc.strerror}") from exc
    if PEM_CERTIFICATE not in data:
        raise BadValue("no -----BEGIN CERTIFICATE----- block in it")
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=str(path))
    except (ssl.SSLError, ValueError) as exc:
        raise BadValue("its certificates do not load") from exc
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


def _permission_sets(raw: str) -> tuple[str, ...]:
    items = tuple(item.strip() for item in raw.split(","))
    reasons = []
    if not all(items):
        reasons.append("an entry is empty: two commas in a row, or a comma at an end")
    if any(item.upper() == "SUPER" for item in items):
        reasons.append("Business Central refuses SUPER for an application")
    if reasons:
        raise BadValue("; ".join(reasons))
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


def _totp_seed(raw: str) -> Secret:
    """The authenticator key as pyotp needs it: spaces (apps show it in groups) and `=` padding removed, upper case.
    Reasons never quote the value."""
    seed = "".join(raw.split()).upper().rstrip("=")
    if not seed:
        raise ValueError
    if seed.startswith("OTPAUTH:"):
        raise BadValue("it is an otpauth:// link, not the key; use only the value of its secret= parameter")
    if not BASE32_RE.match(seed):
        raise BadValue("it has characters other than the base32 letters A-Z and digits 2-7")
    if len(seed) % 8 in (1, 3, 6):  # no whole number of bytes: part of the key was lost or added in copying
        raise BadValue("its length is not one a base32 key can have, so part of it is missing")
    if len(seed) < MIN_TOTP_SEED_CHARS:
        raise BadValue(f"it is shorter than {MIN_TOTP_SEED_CHARS} characters")
    return Secret(seed, "admin_totp_seed")


def _secret_expiry(raw: str) -> str:
    """One of the portal's Expires options, by its label or the short forms the page object matches ("24 months",
    "730 days"): stored as the full label, so the page object never picks "(18 months)" for "8 months"."""
    text = " ".join(raw.split())
    if text.lower() == "custom":
        raise BadValue("Custom asks for Start and End dates, which the run does not enter")
    match = EXPIRY_RE.match(text)
    if not match or not any(match.groups()):
        raise ValueError
    days, months = (int(group) if group else None for group in match.groups())
    for option in SECRET_EXPIRY_OPTIONS:
        option_days, option_months = (int(group) for group in OPTION_RE.search(option).groups())
        if days in (None, option_days) and months in (None, option_months):
            return option
    raise ValueError


def _tracing(raw: str) -> str:
    value = raw.strip().lower()
    return _choice(TRACING_MODES)(TRACING_ALIASES.get(value, value))


def _ws_endpoint(raw: str) -> Secret:
    """A cloud browser service's URL may carry its access key: kept as a Secret, never shown."""
    parsed = urlparse(raw.strip())
    if parsed.scheme not in ("ws", "wss") or not parsed.hostname:
        raise ValueError
    return Secret(raw.strip(), "pw_connect_ws_endpoint")


SECONDS_FIX = f"a finite number of seconds greater than 0 and at most {MAX_TIMEOUT_S:.0f}"

SPECS: tuple[Spec, ...] = (
    Spec("TARGET", "target", _choice(TARGETS), "sandbox (local twins) or live (real tenants)"),
    Spec("LOGIN_URL", "login_url", _https_url, "an https URL such as https://login.microsoftonline.com"),
    Spec("AZURE_PORTAL_URL", "azure_portal_url", _https_url, "an https URL such as https://portal.azure.com"),
    Spec("BC_WEB_URL", "bc_web_url", _https_url, "an https URL such as https://businesscentral.dynamics.com"),
    Spec("BC_API_URL", "bc_api_url", _https_url, "an https URL such as https://api.businesscentral.dynamics.com"),
    Spec("DM_PORTAL_URL", "dm_portal_url", _https_url, "the https URL of your Dynamics Mobile Portal",
         required_live=True),
    Spec("CA_CERT", "ca_cert", _pem_certificates,
         "the path of a readable PEM file with extra CA certificates (-----BEGIN CERTIFICATE----- blocks)"),
    Spec("AZURE_TENANT_ID", "tenant_id", _guid, "the Directory (tenant) ID GUID from Entra ID > Overview",
         required_live=True),
    Spec("AZURE_TENANT_NAME", "tenant_name", _text, "the tenant display name shown in 'Grant admin consent for …'",
         required_live=True),
    Spec("AZURE_ADMIN_USER", "admin_user", _text, "the UPN of an administrator, e.g. admin@contoso.onmicrosoft.com",
         required_live=True),
    Spec("AZURE_ADMIN_PASSWORD", "admin_password", _secret("admin_password"), "the administrator's password",
         secret=True),
    Spec("AZURE_ADMIN_TOTP_SEED", "admin_totp_seed", _totp_seed,
         f"the administrator's authenticator-app secret key: base32 (letters A-Z, digits 2-7), at least "
         f"{MIN_TOTP_SEED_CHARS} characters, spaces allowed", secret=True),
    Spec("AZURE_STORAGE_STATE", "azure_storage_state", _existing_file,
         "a file saved by `bcoauth login azure --save-state FILE`"),
    Spec("APP_NAME", "app_name", _text, "the display name of the app registration, e.g. Dynamics Mobile"),
    Spec("BC_APP_PERMISSIONS", "bc_app_permissions", _app_permissions,
         "a comma list of " + ", ".join(BC_APP_PERMISSIONS)),
    Spec("SECRET_EXPIRY", "secret_expiry", _secret_expiry,
         "one of the Azure portal's Expires options: " + ", ".join(SECRET_EXPIRY_OPTIONS)
         + " (or the months alone, e.g. 24 months); Custom is not supported"),
    Spec("BC_ENVIRONMENT", "bc_environment", _text, "the Business Central environment name, e.g. Sandbox",
         required_live=True),
    Spec("BC_COMPANY", "bc_company", _text, "the company name, e.g. CRONUS USA, Inc."),
    Spec("BC_PERMISSION_SETS", "bc_permission_sets", _permission_sets,
         "a comma list of permission set IDs, e.g. D365 AUTOMATION or D365 AUTOMATION,EXTEN. MGT. - ADMIN "
         "(not SUPER)"),
    Spec("BC_GRANT_CONSENT", "bc_grant_consent", _bool, "true or false"),
    Spec("ALLOW_PRODUCTION", "allow_production", _choice(("yes", "no")),
         "yes (let the run change a Production Business Central environment) or no"),
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
    Spec("SCREENSHOT_REUSE", "screenshot_reuse", _bool, "true or false"),
    Spec("TRACING", "tracing", _tracing,
         "one of " + ", ".join(TRACING_MODES) + " (retain-on-failure, pytest-playwright's word, = on-failure)"),
    Spec("TRACE_FILMSTRIP", "trace_filmstrip", _bool, "true or false"),
    Spec("PW_CONNECT_WS_ENDPOINT", "pw_connect_ws_endpoint", _ws_endpoint,
         "the ws:// or wss:// URL of a Playwright server (`playwright run-server`) or a cloud browser service",
         secret=True),
    Spec("ALLOW_UNMASKED_VIDEO", "allow_unmasked_video", _choice(("yes", "no")),
         "yes (let --video record: secrets may show in the frames, which cannot be masked) or no"),
    Spec("UI_TIMEOUT_S", "ui_timeout_s", _seconds, SECONDS_FIX),
    Spec("HTTP_TIMEOUT_S", "http_timeout_s", _seconds, SECONDS_FIX),
    Spec("PROPAGATION_TIMEOUT_S", "propagation_timeout_s", _seconds, SECONDS_FIX),
    Spec("CLEANUP", "cleanup", _bool, "true or false"),
    Spec("REPORTS_DIR", "reports_dir", _path, "a folder path"),
    Spec("SANDBOX_PROFILE", "sandbox_profile", _choice(PROFILES), "one of " + ", ".join(PROFILES)),
    Spec("SANDBOX_PORT", "sandbox_port", _port,
         f"0 (any free ports) or a first port from 1 to {MAX_FIRST_PORT}: the twins use {SANDBOX_PORT_COUNT} "
         "consecutive ports"),
    Spec("SANDBOX_STATE_DIR", "sandbox_state_dir", _path, "a folder path"),
    Spec("SANDBOX_PORTAL_LAYOUT", "sandbox_portal_layout", _choice(PORTAL_LAYOUTS),
         "one of " + ", ".join(PORTAL_LAYOUTS)),
    Spec("SANDBOX_ACCOUNT_TYPES_UI", "sandbox_account_types_ui", _choice(ACCOUNT_TYPE_UIS),
         "one of " + ", ".join(ACCOUNT_TYPE_UIS)),
    Spec("SANDBOX_BC_CAPTION", "sandbox_bc_caption", _choice(BC_CAPTIONS), "one of " + ", ".join(BC_CAPTIONS)),
    Spec("SANDBOX_UI_VARIANTS", "sandbox_ui_variants", _choice(UI_VARIANT_SETS),
         "one of " + ", ".join(UI_VARIANT_SETS) + " (hostile: every UI variant the real services show, at once)"),
)


# --- which variables are the harness's -----------------------------------------------------------------------

# Variables read outside SPECS, and by whom. A new variable must be listed here (or be a Spec): otherwise a run
# that sets it is stopped as a misspelling.
OTHER_VARIABLES: dict[str, str] = {
    "ALLURE_ISSUE_URL": "harness.reporting: link template for @issue: tags",
    "ALLURE_TMS_URL": "harness.reporting: link template for @tms: tags",
    "BCOAUTH_DEBUG": "harness.cli: show the traceback of an internal error",
    "ENV_FILE": "harness.settings: the .env file to read instead of the project's",
}
# Read before, or without, `.env`: a line in `.env` cannot set them.
ENVIRONMENT_ONLY = frozenset({"ENV_FILE", "BCOAUTH_DEBUG"})
KNOWN_VARIABLES = frozenset({spec.env for spec in SPECS} | OTHER_VARIABLES.keys())


def _families(names: Iterable[str]) -> tuple[str, ...]:
    """`AZURE_`, `BC_`, `DM_`, … : a first word that two or more known names share."""
    heads = Counter(name.split("_", 1)[0] + "_" for name in names if "_" in name)
    return tuple(sorted(head for head, count in heads.items() if count > 1))


OWNED_PREFIXES = _families(KNOWN_VARIABLES)
# How alike (difflib ratio) an unknown name must be to a known one to count as its misspelling: high, because the
# environment holds every tool's variables (AZURE_CLIENT_ID is 0.80 from AZURE_TENANT_ID; SCREENSHOT is 0.95).
MISSPELLING_CUTOFF = 0.85
# An unknown name in `.env` gets a "did you mean" only this close: below it the nearest is a guess (SANDBOX_SPEED is
# 0.73 from SANDBOX_STATE_DIR).
SUGGESTION_CUTOFF = 0.75
# Tools that set variables with our prefixes (Azure CLI, azure-identity, Azure Pipelines, Allure TestOps): never
# ours, so never "did you mean" in the environment, however close.
FOREIGN_VARIABLES = frozenset({
    "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PASSWORD",
    "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN", "AZURE_USERNAME", "AZURE_PASSWORD", "AZURE_AUTHORITY_HOST",
    "AZURE_FEDERATED_TOKEN_FILE", "AZURE_REGIONAL_AUTHORITY_NAME", "AZURE_ADDITIONALLY_ALLOWED_TENANTS",
    "AZURE_TOKEN_CREDENTIALS", "AZURE_SUBSCRIPTION_ID", "AZURE_CONFIG_DIR", "AZURE_EXTENSION_DIR",
    "AZURE_HTTP_USER_AGENT", "AZURE_DEVOPS_EXT_PAT", "AZURE_STORAGE_ACCOUNT", "AZURE_STORAGE_KEY",
    "AZURE_STORAGE_SAS_TOKEN", "AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGE_AUTH_MODE",
    "AZURE_STORAGE_SERVICE_ENDPOINT", "ALLURE_ENDPOINT", "ALLURE_TOKEN", "ALLURE_PROJECT_ID", "ALLURE_RESULTS",
    "ALLURE_TESTPLAN_PATH", "ALLURE_INDENT_OUTPUT", "ALLURE_NO_ANALYTICS", "ALLURE_JOB_RUN_ID",
})
# The Azure CLI reads any `[section] option` of its configuration as AZURE_<SECTION>_<OPTION>.
FOREIGN_PREFIXES = ("AZURE_CORE_", "AZURE_DEFAULTS_", "AZURE_LOGGING_", "AZURE_CLOUD_", "AZURE_EXTENSION_",
                    "AZURE_OUTPUT_", "ALLURE_LAUNCH_", "ALLURE_LABEL_")
VARIABLE_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _nearest(name: str) -> str | None:
    found = difflib.get_close_matches(name.upper(), KNOWN_VARIABLES, n=1, cutoff=SUGGESTION_CUTOFF)
    return found[0] if found else None


def _close_to_known(name: str) -> bool:
    return bool(difflib.get_close_matches(name.upper(), KNOWN_VARIABLES, n=1, cutoff=MISSPELLING_CUTOFF))


def _is_foreign(name: str) -> bool:
    upper = name.upper()
    return upper in FOREIGN_VARIABLES or upper.startswith(FOREIGN_PREFIXES)


def _suspect_in_environment(name: str) -> bool:
    """The environment is shared with every tool: only a name very like one of ours is a misspelling."""
    return (name not in KNOWN_VARIABLES and bool(VARIABLE_NAME_RE.match(name)) and not _is_foreign(name)
            and _close_to_known(name))


def _suspect_in_dotenv(name: str) -> bool:
    """`.env` is the harness's own file: any unknown name with one of its prefixes is a mistake."""
    if name in ENVIRONMENT_ONLY:
        return True
    return (name not in KNOWN_VARIABLES and bool(VARIABLE_NAME_RE.match(name))
            and (name.upper().startswith(OWNED_PREFIXES) or _close_to_known(name)))


def _unknown_problem(name: str, where: list[str]) -> str:
    place = " and ".join(where)
    if name in ENVIRONMENT_ONLY:
        return f"{name} is read from the environment only, not from .env ({place}); export it instead."
    nearest = None if _is_foreign(name) else _nearest(name)
    if nearest:
        return f"{name} is not a setting this harness reads; did you mean {nearest}? ({place})"
    return (f"{name} is not a setting this harness reads; remove it, or rename it to a setting .env.example lists "
            f"({place})")


def unknown_variable_problems(environ: Mapping[str, str], dotenv_names: Mapping[str, int],
                              dotenv_where: str = ".env") -> list[str]:
    """One line per misspelt or misplaced variable, naming it, where it is set and the nearest known name; never
    its value. `dotenv_names` maps the names set in `.env` to their line numbers."""
    where: dict[str, list[str]] = {}
    for name in sorted(environ):
        if _suspect_in_environment(name):
            where.setdefault(name, []).append("set in the environment")
    for name, line in sorted(dotenv_names.items(), key=lambda item: item[1]):
        if _suspect_in_dotenv(name):
            where.setdefault(name, []).append(f"set in {dotenv_where} line {line}")
    return [_unknown_problem(name, places) for name, places in where.items()]


# --- the .env file -------------------------------------------------------------------------------------------


class DotenvLookup(Enum):
    """The default for `dotenv_path`: `ENV_FILE` if set, else the project's `.env`."""

    FIND = "find"


FIND_DOTENV = DotenvLookup.FIND


def project_root() -> Path | None:
    """The folder holding this harness's pyproject.toml (a source checkout or editable install), else None."""
    root = Path(__file__).absolute().parent.parent
    return root if (root / "pyproject.toml").is_file() else None


def find_dotenv(environ: Mapping[str, str], root: Path | None,
                cwd: Path | None = None) -> tuple[Path | None, list[str]]:
    """The `.env` to read and any problem with `ENV_FILE`: `ENV_FILE` if set (relative to the working folder), else
    ROOT/.env (the project root, whatever the working folder), else `.env` in the working folder when the harness
    is installed without its project (ROOT None). None when there is nothing to read."""
    default = (root if root is not None else (cwd or Path.cwd())) / ".env"
    raw = environ.get("ENV_FILE", "")
    if raw:
        try:
            path = _path(raw)
        except BadValue as exc:
            return None, [f"ENV_FILE={raw!r} is not valid ({exc}); expected the path of a .env file, or unset "
                          f"ENV_FILE to read {default}."]
        path = path if path.is_absolute() else (cwd or Path.cwd()) / path
        if not (path.exists() or path.is_symlink()):
            return None, [f"ENV_FILE={raw!r} is not valid (no such file); expected the path of a .env file, or "
                          f"unset ENV_FILE to read {default}."]
        return path, []
    return (default if default.exists() or default.is_symlink() else None), []


def _line_of(original_string: str, first_line: int) -> int:
    """python-dotenv marks a binding from the end of the previous one: skip the blank lines it carries."""
    skipped = original_string[:len(original_string) - len(original_string.lstrip())]
    return first_line + len(re.findall(r"\r\n|\n|\r", skipped))


@dataclass
class DotenvText:
    """The well-formed part of a `.env` text, one line per malformed statement, and where each name is set."""

    good: str = ""
    problems: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)


def _dotenv_problems(text: str, where: str) -> DotenvText:
    """python-dotenv only logs a warning for a line it cannot parse, and a quote left open swallows every line up to
    the next quote; both are errors here. Messages name the line, never its text: it may hold a password."""
    kept: list[str] = []
    result = DotenvText()
    problems = result.problems
    for binding in parse_stream(io.StringIO(text)):
        body = binding.original.string.strip()
        if binding.key is None and not binding.error:  # blank lines and comments
            kept.append(binding.original.string)
            continue
        line = _line_of(binding.original.string, binding.original.line)
        last = line + len(re.findall(r"\r\n|\n|\r", body))
        # Only known names are shown: an unknown "name" might be a pasted secret.
        of_name = f" of {binding.key}" if binding.key in KNOWN_VARIABLES else ""
        if binding.error and last > line:
            problems.append(f"{where} lines {line}-{last}: a quote opened on line {line} is not closed on that line, "
                            f"so lines {line}-{last} were not read; close the quote on line {line}.")
        elif binding.error and (body.count('"') % 2 or body.count("'") % 2):
            problems.append(f"{where} line {line}: a quote opened on this line is never closed, so the line was not "
                            "read; close the quote.")
        elif binding.error:
            problems.append(f"{where} line {line}: not a NAME=value line; write NAME=value (quote values with spaces "
                            "or #), or start the line with # to keep it as a comment.")
        elif last > line:
            problems.append(f"{where} line {line}: the quoted value{of_name} runs on to line {last}, swallowing the "
                            f"lines in between (a missing closing quote?); close the quote on line {line}.")
        elif binding.value is None:
            named = binding.key if binding.key in KNOWN_VARIABLES else "this line"
            problems.append(f"{where} line {line}: {named} has no '=' and sets nothing; write NAME=value, or delete "
                            "the line.")
        else:
            kept.append(binding.original.string)
            result.lines.setdefault(binding.key, line)
    result.good = "".join(kept)
    return result


@dataclass
class DotenvFile:
    values: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)


def _read_dotenv(path: Path) -> DotenvFile:
    """The variables of a `.env` file, one line per problem with it (unreadable, not UTF-8, malformed lines), and
    the line each name is set on."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return DotenvFile(problems=[f"{path} cannot be read ({exc.strerror}); make it readable by this user, or "
                                    "remove it."])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return DotenvFile(problems=[f"{path} is not UTF-8 text (the first bad byte is on line {line}); save it as "
                                    "UTF-8."])
    parsed = _dotenv_problems(text, str(path))
    values = dotenv_values(stream=io.StringIO(parsed.good))
    return DotenvFile({k: v for k, v in values.items() if v is not None}, parsed.problems, parsed.lines)


@dataclass
class RawSettings:
    """`.env` overlaid by the environment, with the problems found reading them."""

    values: dict[str, str]
    problems: list[str]
    unknown: list[str]


def _raw_settings(env: Mapping[str, str] | None, dotenv_path: str | Path | DotenvLookup | None) -> RawSettings:
    environ = os.environ if env is None else env
    problems: list[str] = []
    path: Path | None = None
    if dotenv_path is FIND_DOTENV:
        path, problems = find_dotenv(environ, project_root())
    elif dotenv_path and Path(dotenv_path).is_file():
        path = Path(dotenv_path)
    dotenv = _read_dotenv(path) if path is not None else DotenvFile()
    merged = {k: v for k, v in dotenv.values.items() if k not in ENVIRONMENT_ONLY}
    merged.update(environ)
    unknown = unknown_variable_problems(environ, dotenv.lines, str(path))
    return RawSettings(merged, problems + dotenv.problems, unknown)


def read_environment(env: Mapping[str, str] | None = None,
                     dotenv_path: str | Path | DotenvLookup | None = FIND_DOTENV) -> dict[str, str]:
    """`.env` values overlaid by the process environment (the environment wins); `SettingsError` if `.env` is bad.
    Unknown names are `load_settings()`'s to report."""
    raw = _raw_settings(env, dotenv_path)
    if raw.problems:
        raise SettingsError(raw.problems)
    return raw.values


def _shown(spec: Spec, text: str) -> str:
    if spec.secret:
        return "(hidden)"
    return repr(text) if len(text) <= 80 else repr(text[:77] + "...")


def load_settings(env: Mapping[str, str] | None = None,
                  dotenv_path: str | Path | DotenvLookup | None = FIND_DOTENV, *,
                  require_login: bool = True, require_live: bool = True) -> Settings:
    """Every problem at once. `require_login=False` for `bcoauth login azure`, which exists to create the signed-in
    state; `require_live=False` for `bcoauth sandbox serve`, which checks values but needs no tenant."""
    raw_settings = _raw_settings(env, dotenv_path)
    raw, problems = raw_settings.values, raw_settings.problems + raw_settings.unknown
    values: dict[str, Any] = {}
    for spec in SPECS:
        text = raw.get(spec.env, "")
        if text == "":
            continue
        try:
            values[spec.attr] = spec.parse(text)
        except BadValue as exc:
            problems.append(f"{spec.env}={_shown(spec, text)} is not valid ({exc}); expected {spec.fix}.")
        except (ValueError, TypeError):  # e.g. float()'s own message, which repeats the value
            problems.append(f"{spec.env}={_shown(spec, text)} is not valid; expected {spec.fix}.")
    target = values.get("target", "sandbox")
    if target == "live" and require_live:
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
