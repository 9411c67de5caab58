"""A browser for the CLI's journeys (`bcoauth doctor`, a live `bcoauth sweep`): pytest-playwright is not there
to make one, so this opens Chromium the way the fixtures do (same executable choice, launch arguments, viewport
and locale) and closes it when the block ends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Page, sync_playwright

from harness.browser import find_browser, launch_args
from harness.settings import Settings


@contextmanager
def browser_page(settings: Settings, spki_sha256: str | None = None) -> Iterator[Page]:
    """One page in a fresh context; `spki_sha256` pins the sandbox's server key (None on live: the system's and
    NSS's trust decide)."""
    executable = find_browser(settings.browser_path)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(headless=not settings.headed, args=launch_args(spki_sha256),
                                             **({"executable_path": executable} if executable else {}))
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
            page = context.new_page()
            page.set_default_timeout(settings.ui_timeout_s * 1000)
            yield page
        finally:
            browser.close()
