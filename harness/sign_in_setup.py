"""What a browser sign-in needs besides the pages: a state saved by `bcoauth login azure --save-state`, loaded
into a context, and TOTP codes for accounts with MFA (pyotp). The pages are driven by `flows.sign_in`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyotp
from playwright.sync_api import BrowserContext

from harness.evidence import tracing_paused
from harness.secrets import Secret


class SignInSetupError(RuntimeError):
    """A sign-in cannot go ahead; the message names the setting to fix."""


def totp_source(seed: Secret | None) -> Callable[[], str] | None:
    """A callable returning the current code for the seed, or None without a seed."""
    if seed is None:
        return None
    return lambda: pyotp.TOTP(seed.reveal()).now()  # revealed only when the sign-in page asks for a code


def apply_storage_state(context: BrowserContext, path: Path) -> None:
    """Load a saved state into an existing context (cookies and the localStorage of each origin), since
    pytest-playwright owns context creation."""
    try:
        state = json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise SignInSetupError(f"cannot read the storage state {path}: {exc}; save a new one with "
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
