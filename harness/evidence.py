"""Evidence without leaks: which parts of a page screenshots must mask, pausing the trace while a secret is
typed or shown, and scrubbing every member of a trace before it is kept.

Page objects call `mask(page, locator)` for every field that shows a secret or token, and wrap secret entry or
display in `with secret_on_screen(page):`. The reporting plugin takes screenshots with `masks(page)` and runs
`scrub_trace` on every trace (and part) before it is attached.
"""

from __future__ import annotations

import io
import json
import tempfile
import weakref
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import BrowserContext, Locator, Page, Request
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from harness import leak_scan
from harness.polling import PollTimeout, poll
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


SETTLE_TIMEOUT_S = 10.0


@contextmanager
def secret_on_screen(page: Page, settle_timeout_s: float = SETTLE_TIMEOUT_S) -> Iterator[None]:
    """Close the trace chunk while a secret is typed or displayed; a new chunk starts afterwards.

    DOM snapshots record input values (password fields included), so pausing is the only safe way
    (ECOSYSTEM.md §5). The closed chunk is saved as a part (pytest-playwright keeps only the last chunk), and the
    reporting plugin merges the parts into the final trace (`harness.reporting.traces`).
    The block ends only once every request it sent has finished (with or without tracing): one that finishes
    later (a form POST, a fetch) is written into the new chunk's trace.network, body included (observed with
    route-fulfilled navigations). Even so trace.network records requests sent while paused: `scrub_trace` masks
    them before the trace is kept.
    """
    with tracing_paused(page.context), requests_settled(page.context, settle_timeout_s):
        yield


@contextmanager
def requests_settled(context: BrowserContext, timeout_s: float = SETTLE_TIMEOUT_S) -> Iterator[None]:
    """On leaving the block, wait until the requests it started (any page of the context: full-page posts,
    fetches, popups) have finished or failed; after `timeout_s` go on regardless (a long poll never ends)."""
    in_flight: set[Request] = set()

    def started(request: Request) -> None:
        in_flight.add(request)

    def ended(request: Request) -> None:
        in_flight.discard(request)

    handlers = {"request": started, "requestfinished": ended, "requestfailed": ended}
    for event, handler in handlers.items():
        context.on(event, handler)
    try:
        yield
        _drain(context, in_flight, timeout_s)
    finally:
        for event, handler in handlers.items():
            with suppress(PlaywrightError, ValueError, KeyError):
                context.remove_listener(event, handler)


def _drain(context: BrowserContext, in_flight: set[Request], timeout_s: float) -> None:
    closed: list[bool] = []

    def next_request_end(seconds: float) -> None:
        """Return when a request finishes (Playwright delivers events only while it is waiting), at the latest
        after `seconds` (a failed request wakes nobody: the next poll sees it gone)."""
        try:
            context.wait_for_event("requestfinished", timeout=max(1.0, seconds * 1000))
        except PlaywrightTimeoutError:
            pass
        except PlaywrightError:
            closed.append(True)  # context or browser gone: nothing left to wait for

    with suppress(PollTimeout):
        poll(lambda: len(in_flight), what="the requests sent during the pause to finish", timeout_s=timeout_s,
             done=lambda pending: pending == 0 or bool(closed), initial_delay_s=0.05, max_delay_s=0.5,
             sleep=next_request_end)


@contextmanager
def tracing_paused(context: BrowserContext) -> Iterator[None]:
    """No trace recording inside (e.g. while typing a secret or loading saved session cookies)."""
    part = Path(tempfile.mkdtemp(prefix="bcoauth-trace-")) / f"part-{len(_trace_parts) + 1}.zip"
    with suppress(PlaywrightError):  # tracing not started
        context.tracing.stop_chunk(path=str(part))
    paused = part.exists()
    if paused:
        _trace_parts.append(part)
    else:
        part.parent.rmdir()
    try:
        yield
    finally:
        if paused:
            with suppress(PlaywrightError):
                context.tracing.start_chunk()


def take_trace_parts() -> list[Path]:
    """The chunks saved by pauses since the last call, oldest first (the reporting plugin merges or drops them)."""
    parts = [p for p in _trace_parts if p.exists()]
    _trace_parts.clear()
    return parts


def screenshot(page: Page, timeout_ms: float = 10_000, full_page: bool = False) -> bytes | None:
    """A viewport (or full-page) screenshot with every registered secret field painted over; None when the page
    can't be shot (closed, crashed, or a mask locator that never resolves), so evidence never turns a result into
    an error."""
    if page.is_closed():
        return None
    try:
        return page.screenshot(mask=masks(page), mask_color=MASK_COLOR, full_page=full_page, timeout=timeout_ms,
                               animations="disabled", caret="hide")
    except PlaywrightError:
        return None


PLACEHOLDER = (b"[removed by the bc-oauth-e2e harness: this part of the trace held a secret in a form that "
               b"cannot be masked in place]")


@dataclass
class ScrubReport:
    """What scrubbing a trace did: spans masked in place, members replaced by PLACEHOLDER (their names)."""

    masked: int = 0
    replaced: list[str] = field(default_factory=list)

    def add(self, other: ScrubReport, prefix: str = "") -> None:
        self.masked += other.masked
        self.replaced.extend(prefix + name for name in other.replaced)


def scrub_zip(data: bytes, values: Iterable[str]) -> tuple[bytes, ScrubReport]:
    """A trace zip with EVERY member (trace.trace, trace.network, resources/*, nested zips) cleaned.

    Each member is decoded the way the leak gate decodes it (`harness.leak_scan`); a value or a secret shape is
    masked where it sits, in its original encoding (`%7E` in a form body, `\\u007e` in JSON, `&#126;` in HTML).
    A member the gate still finds something in afterwards (a compressed body, base64 of gzip, a binary blob) is
    replaced by PLACEHOLDER: dropped evidence is better than a leaked secret.
    """
    values = [v for v in values if len(v) >= leak_scan.MIN_VALUE_LEN]
    report = ScrubReport()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename.endswith(".network"):
                content = _redact_network(content)
            content, member_report = scrub_blob(content, values)
            report.add(member_report, prefix=member.filename)
            target.writestr(member, content)
    return out.getvalue(), report


def scrub_blob(content: bytes, values: Iterable[str]) -> tuple[bytes, ScrubReport]:
    """One blob cleaned: a zip member by member, anything else masked in place or replaced by PLACEHOLDER."""
    if content[:4] == b"PK\x03\x04":
        with suppress(zipfile.BadZipFile, ValueError):
            cleaned, report = scrub_zip(content, values)
            report.replaced = [f"!{name}" for name in report.replaced]
            return cleaned, report
    cleaned, masked, left = leak_scan.redact(content, values, MASK.encode())
    if left:
        return PLACEHOLDER, ScrubReport(masked, [""])
    return cleaned, ScrubReport(masked)


def scrub_trace(path: Path, values: Iterable[str]) -> ScrubReport:
    """Rewrite a Playwright trace zip in place with `scrub_zip` (atomically: a crash leaves the old or the new)."""
    cleaned, report = scrub_zip(path.read_bytes(), values)
    temporary = path.with_suffix(".scrubbing")
    temporary.write_bytes(cleaned)
    temporary.replace(path)
    return report


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
