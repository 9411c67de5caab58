"""Evidence without leaks: which parts of a page screenshots must mask, and pausing the trace while a secret
is typed or shown.

Page objects call `mask(page, locator)` for every field that shows a secret or token, and wrap secret entry or
display in `with secret_on_screen(page):`. The reporting plugin takes screenshots with `masks(page)`.
"""

from __future__ import annotations

import json
import tempfile
import weakref
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote, quote_plus

from playwright.sync_api import BrowserContext, Locator, Page
from playwright.sync_api import Error as PlaywrightError

from harness.secrets import MASK

MASK_COLOR = "#1f1f1f"
_masks: weakref.WeakKeyDictionary[Page, list[Locator]] = weakref.WeakKeyDictionary()


def mask(page: Page, *locators: Locator) -> None:
    """Mask these locators in every later screenshot of this page."""
    registered = _masks.setdefault(page, [])
    known = {repr(locator) for locator in registered}
    registered.extend(locator for locator in locators if repr(locator) not in known)


def masks(page: Page) -> list[Locator]:
    return list(_masks.get(page, []))


_trace_parts: list[Path] = []


@contextmanager
def secret_on_screen(page: Page) -> Iterator[None]:
    """Close the trace chunk while a secret is typed or displayed; a new chunk starts afterwards.

    DOM snapshots record input values (password fields included), so pausing is the only safe way
    (ECOSYSTEM.md §5). The closed chunk is saved as a part (pytest-playwright keeps only the last chunk), and the
    reporting plugin attaches the parts with the final trace. Without tracing this is a no-op.
    """
    with tracing_paused(page.context):
        yield
        # A form POST that carried the secret is still written to trace.network if its request finishes after
        # the new chunk starts (observed with route-fulfilled navigations): let the network settle first.
        with suppress(PlaywrightError):
            page.wait_for_load_state("networkidle", timeout=10_000)


@contextmanager
def tracing_paused(context: BrowserContext) -> Iterator[None]:
    """No trace recording inside (e.g. while typing a secret or loading saved session cookies)."""
    part = Path(tempfile.mkdtemp(prefix="bcoauth-trace-")) / f"part-{len(_trace_parts) + 1}.zip"
    with suppress(PlaywrightError):  # tracing not started
        context.tracing.stop_chunk(path=str(part))
    paused = part.exists()
    if paused:
        _trace_parts.append(part)
    try:
        yield
    finally:
        if paused:
            with suppress(PlaywrightError):
                context.tracing.start_chunk()


def take_trace_parts() -> list[Path]:
    """The chunks saved by pauses since the last call, oldest first (the reporting plugin attaches or drops them)."""
    parts = [p for p in _trace_parts if p.exists()]
    _trace_parts.clear()
    return parts


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
    replaced = 0
    temporary = path.with_suffix(".scrubbing")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.endswith(".network"):
                data = _redact_network(data)
            for form in forms:
                needle = form.encode()
                if needle in data:
                    replaced += data.count(needle)
                    data = data.replace(needle, MASK.encode())
            target.writestr(member, data)
    temporary.replace(path)
    return replaced


CREDENTIAL_HEADERS = {"authorization", "cookie", "set-cookie", "proxy-authorization"}


def _redact_network(data: bytes) -> bytes:
    """Mask credential headers and cookies in trace.network (one JSON event per line): live session cookies
    (ESTSAUTH…) and bearer tokens are never revealed through `Secret`, so value scrubbing cannot find them."""
    lines = []
    for line in data.split(b"\n"):
        try:
            event = json.loads(line)
        except ValueError:
            lines.append(line)
            continue
        _redact(event)
        lines.append(json.dumps(event, separators=(",", ":")).encode())
    return b"\n".join(lines)


def _redact(node: object) -> None:
    if isinstance(node, dict):
        name = str(node.get("name", "")).lower()
        if "value" in node and name in CREDENTIAL_HEADERS:
            node["value"] = MASK
        for key, child in node.items():
            if key in ("cookies",) and isinstance(child, list):
                for cookie in child:
                    if isinstance(cookie, dict) and "value" in cookie:
                        cookie["value"] = MASK
            else:
                _redact(child)
    elif isinstance(node, list):
        for child in node:
            _redact(child)
