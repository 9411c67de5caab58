"""Evidence without leaks: which parts of a page screenshots must mask, and pausing the trace while a secret
is typed or shown.

Page objects call `mask(page, locator)` for every field that shows a secret or token, and wrap secret entry or
display in `with secret_on_screen(page):`. The reporting plugin takes screenshots with `masks(page)`.
"""

from __future__ import annotations

import json
import weakref
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote, quote_plus

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from harness.secrets import MASK

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
            # A form POST that carried the secret is still written to trace.network if its request finishes after
            # the new chunk starts (observed with route-fulfilled navigations): let the network settle first.
            with suppress(PlaywrightError):
                page.wait_for_load_state("networkidle", timeout=10_000)
            # stop_chunk is silent when tracing never started; start_chunk is not
            with suppress(PlaywrightError):
                tracing.start_chunk()


def screenshot(page: Page, timeout_ms: float = 10_000) -> bytes | None:
    """A viewport screenshot with every registered secret field painted over; None when the page can't be shot
    (closed, crashed, or a mask locator that never resolves), so evidence never turns a result into an error."""
    if page.is_closed():
        return None
    try:
        return page.screenshot(mask=masks(page), mask_color=MASK_COLOR, full_page=False, timeout=timeout_ms,
                               animations="disabled", caret="hide")
    except PlaywrightError:
        return None


def scrub_trace(path: Path, values: Iterable[str]) -> int:
    """Rewrite a Playwright trace zip with every given value (plain, JSON-escaped or URL-encoded) masked.

    Pausing the trace keeps typed values out of DOM snapshots, but not out of `trace.network`: a form POST sent
    while paused is still recorded, body included (observed with Playwright 1.65). Returns the replacements made.
    """
    forms = sorted({form for value in values if len(value) >= 8
                    for form in (value, quote(value, safe=""), quote_plus(value), json.dumps(value)[1:-1])},
                   key=len, reverse=True)
    if not forms:
        return 0
    replaced = 0
    temporary = path.with_suffix(".scrubbing")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            for form in forms:
                needle = form.encode()
                if needle in data:
                    replaced += data.count(needle)
                    data = data.replace(needle, MASK.encode())
            target.writestr(member, data)
    temporary.replace(path)
    return replaced
