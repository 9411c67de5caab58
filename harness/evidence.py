"""Evidence without leaks: which parts of a page screenshots must mask, and pausing the trace while a secret
is typed or shown.

Page objects call `mask(page, locator)` for every field that shows a secret or token, and wrap secret entry or
display in `with secret_on_screen(page):`. The reporting plugin takes screenshots with `masks(page)`.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

MASK_COLOR = "#1f1f1f"
_masks: weakref.WeakKeyDictionary[Page, list[Locator]] = weakref.WeakKeyDictionary()


def mask(page: Page, *locators: Locator) -> None:
    """Mask these locators in every later screenshot of this page."""
    _masks.setdefault(page, []).extend(locators)


def masks(page: Page) -> list[Locator]:
    return list(_masks.get(page, []))


@contextmanager
def secret_on_screen(page: Page) -> Iterator[None]:
    """Stop the trace chunk while a secret is typed or displayed; a new chunk starts afterwards.

    DOM snapshots record input values (password fields included), so pausing is the only safe way
    (ECOSYSTEM.md §5). Without tracing this is a no-op.
    """
    tracing = page.context.tracing
    try:
        tracing.stop_chunk()
        paused = True
    except PlaywrightError:
        paused = False  # tracing not started
    try:
        yield
    finally:
        if paused:
            try:
                tracing.start_chunk()
            except PlaywrightError:
                pass  # stop_chunk is silent when tracing never started; start_chunk is not
