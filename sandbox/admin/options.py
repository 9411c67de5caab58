"""Every run-time option the twins read, with the values it may take (POST /admin/options checks them all).

`null` for any option resets it to the twin's default. A twin that reads a new option registers it here, so no
value a twin cannot use is ever stored (e.g. `token_lifetime_s="abc"` would make every token request fail).
"""

from __future__ import annotations

from typing import Any

from sandbox.admin.validation import Check, boolean, json_type, number, one_of
from sandbox.azure_portal.variants import HOSTILE as PORTAL_HOSTILE
from sandbox.azure_portal.variants import OPTION_CHECKS as PORTAL_VARIANTS
from sandbox.bc_web.variants import OPTION_CHECKS as BC_WEB_VARIANTS
from sandbox.entra.signin_variants import OPTION_CHECKS as SIGNIN_VARIANTS

HTTP_ERROR = (400, 599)


def _fault_seed(value: Any) -> str | None:
    ok = (isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63) or \
         (isinstance(value, str) and len(value) <= 200)
    return None if ok else "a whole number or a string of at most 200 characters"


def _aadsts_status(value: Any) -> str | None:
    """{"<AADSTS code>": <HTTP status>}: the status the token endpoint answers for that code."""
    expected = 'an object {"<AADSTS code digits>": <HTTP status 400..599>} of at most 50 entries'
    if not isinstance(value, dict) or len(value) > 50:
        return expected
    for code, status in value.items():
        if not (code.isascii() and code.isdigit() and len(code) <= 10) or number(*HTTP_ERROR, whole=True)(status):
            return expected
    return None


def _configured_error(value: Any) -> str | None:
    """{"status": <HTTP status>, "code": "<BC error code>"} for the BC API's unverified not-found answers."""
    expected = 'an object {"status": <HTTP status 400..599>, "code": "<error code>"} (both optional)'
    if not isinstance(value, dict) or set(value) - {"status", "code"}:
        return expected
    if "status" in value and number(*HTTP_ERROR, whole=True)(value["status"]):
        return expected
    code = value.get("code", "x")
    return None if isinstance(code, str) and 0 < len(code) <= 100 else expected


OPTIONS: dict[str, Check] = {
    # profiles (sandbox.profiles) and faults (sandbox.faults)
    "replication_lag_s": number(0, 3600, unit="seconds"),
    "fault_rate": number(0, 1),
    "fault_status": one_of(429, 503),
    "fault_burst": number(0, 1_000_000, whole=True),
    "fault_seed": _fault_seed,
    "retry_after_s": number(0, 86400, whole=True, unit="seconds"),
    "page_delay_ms": number(0, 60_000, unit="milliseconds"),
    # web twins' UI generations and layouts
    "portal_layout": one_of("top", "iframe"),
    "account_types_ui": one_of("dropdown", "radios"),
    "bc_caption": one_of("current", "legacy"),
    "dm_buttons": one_of("modern", "classic"),
    **PORTAL_VARIANTS,  # the Azure portal's variants (table in sandbox.azure_portal.variants)
    # renames one control, as a UI update would (the drift check must name it); never in a preset
    "drift_rename": one_of("new_registration"),
    # Entra token service and sign-in
    "token_version": one_of("1.0", "2.0"),
    "token_lifetime_s": number(60, 86400 * 366, whole=True, unit="seconds"),
    "aud_trailing_slash": boolean,
    "aadsts_status": _aadsts_status,
    "lockout_threshold": number(1, 10**9 - 1, whole=True, unit="wrong passwords"),
    "lockout_duration_s": number(1, 10**9 - 1, whole=True, unit="seconds"),
    **SIGNIN_VARIANTS,  # the sign-in pages' variants (table in sandbox.entra.signin_variants)
    **BC_WEB_VARIANTS,  # the BC web client's variants (table in sandbox.bc_web.variants)
    # BC API
    "bc_environment_not_found": _configured_error,
    "bc_company_not_found": _configured_error,
}


def register_option(name: str, check: Check) -> None:
    """For a twin that reads a new option: the admin API accepts it only with values `check` passes."""
    OPTIONS[name] = check


def problem(name: str, value: Any) -> str | None:
    """None when `name` may be set to `value` (null resets it), else the reason for the 400."""
    if name not in OPTIONS:
        return f"unknown option '{name[:100]}'; known: {', '.join(sorted(OPTIONS))}"
    if value is None:
        return None
    expected = OPTIONS[name](value)
    if expected:
        return f"option '{name}' must be {expected} (got {json_type(value)})"
    return None


# Named sets of options: "hostile" turns on every UI variant the real services are known to show (FIDELITY §h),
# so one run proves the page objects handle all of them together. Each twin adds its variants here.
PRESETS: dict[str, dict[str, Any]] = {
    "hostile": {"portal_layout": "iframe", "account_types_ui": "radios", "bc_caption": "legacy",
                "dm_buttons": "classic",
                **PORTAL_HOSTILE,  # Azure portal: every variant of sandbox.azure_portal.variants
                # BC web client (sandbox.bc_web.variants; bc_tell_me_finds_entra and bc_environment_type are
                # faults/guards, not UI variants)
                "bc_create_user_confirm": False, "bc_tell_me_results": "listbox", "bc_new_action": "button",
                "bc_back_buttons": "several",
                "signin_variants": "hostile"},  # Microsoft sign-in: sandbox.entra.signin_variants
}
