"""Signing the browser in to the Azure portal: a saved storage state, or the Microsoft sign-in pages with a
password and, when the account asks, a TOTP code (pyotp). One place decides which, for sandbox and live alike."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyotp
from playwright.sync_api import BrowserContext, Page

from harness.evidence import tracing_paused
from harness.secrets import Secret
from harness.settings import Settings
from pages.azure_portal.portal import AzurePortal
from pages.microsoft_login import MicrosoftLogin, SignInError


class AzureLoginError(RuntimeError):
    """The portal could not be reached signed in; the message says what to fix."""


def totp_source(seed: Secret | None) -> Callable[[], str] | None:
    """A callable returning the current code for the seed, or None without a seed."""
    if seed is None:
        return None
    return lambda: pyotp.TOTP(seed.reveal()).now()  # revealed only when the sign-in page asks for a code


def apply_storage_state(context: BrowserContext, path: Path) -> None:
    """Load a state saved by `bcoauth login azure --save-state` into an existing context (cookies and the
    localStorage of each origin), since pytest-playwright owns context creation."""
    try:
        state = json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise AzureLoginError(f"cannot read the storage state {path}: {exc}; save a new one with "
                              "`bcoauth login azure --save-state FILE`") from exc
    with tracing_paused(context):  # live session cookies and tokens must not be recorded in the trace
        _load_state(context, state)


def _load_state(context: BrowserContext, state: dict) -> None:
    if state.get("cookies"):
        context.add_cookies(state["cookies"])
    for origin in state.get("origins", []):
        items = {i["name"]: i["value"] for i in origin.get("localStorage", [])}
        if items:
            context.add_init_script(
                f"if (location.origin === {json.dumps(origin['origin'])}) {{ const items = {json.dumps(items)};"
                " for (const k in items) { if (localStorage.getItem(k) === null) localStorage.setItem(k, items[k]); }"
                " }")


def sign_in_to_portal(page: Page, settings: Settings, *, user: str | None = None, password: Secret | None = None,
                      totp_seed: Secret | None = None, use_storage_state: bool = True) -> None:
    """Open the portal and end on its shell, signed in; raises SignInError/AzureLoginError with a clear reason.

    Defaults come from settings (AZURE_ADMIN_USER, AZURE_ADMIN_PASSWORD, AZURE_ADMIN_TOTP_SEED,
    AZURE_STORAGE_STATE); explicit arguments sign in someone else (e.g. the MFA test user)."""
    page.set_default_timeout(settings.ui_timeout_s * 1000)
    if use_storage_state and settings.azure_storage_state and user is None:
        apply_storage_state(page.context, settings.azure_storage_state)
    portal = AzurePortal(page)
    login = MicrosoftLogin(page)
    page.goto(settings.azure_portal_url.rstrip("/") + "/")
    portal.search_box.or_(login.email).or_(login.password).first.wait_for()
    if portal.is_shell_visible():
        return
    user = user or settings.admin_user
    password = password or settings.admin_password
    if not user or password is None:
        raise AzureLoginError("the portal asks for a sign-in: set AZURE_ADMIN_USER and AZURE_ADMIN_PASSWORD, or "
                              "AZURE_STORAGE_STATE (the saved state may have expired)")
    seed = totp_seed if totp_seed is not None else (settings.admin_totp_seed if user == settings.admin_user else None)
    login.sign_in(user, password, totp=totp_source(seed), stay_signed_in=False)
    portal.wait_for_shell()


__all__ = ["AzureLoginError", "SignInError", "apply_storage_state", "sign_in_to_portal", "totp_source"]
