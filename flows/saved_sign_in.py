"""`bcoauth login azure --save-state FILE`: a person signs in once in a headed browser (MFA, passkeys, whatever
the tenant asks); the signed-in storage state is saved for unattended live runs (AZURE_STORAGE_STATE).

The file holds live session cookies: keep it out of version control (it is written with mode 0600)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from harness.browser import find_browser, launch_args
from harness.settings import Settings
from pages.azure_portal.portal import AzurePortal

SIGN_IN_DEADLINE_S = 600.0


def save_azure_portal_state(settings: Settings, path: Path, deadline_s: float = SIGN_IN_DEADLINE_S) -> Path:
    """Open a headed browser at the portal, wait (up to `deadline_s`) for the portal shell, save the state."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    executable = find_browser(settings.browser_path)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(headless=False, args=launch_args(),
                                             **({"executable_path": executable} if executable else {}))
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
            page = context.new_page()
            page.goto(settings.azure_portal_url.rstrip("/") + "/")
            print(f"Sign in to the Azure portal in the opened window (waiting up to {deadline_s / 60:.0f} min)...",
                  file=sys.stderr)
            AzurePortal(page).wait_for_shell(timeout_ms=deadline_s * 1000)
            context.storage_state(path=str(path))
            os.chmod(path, 0o600)
        finally:
            browser.close()
    return path
