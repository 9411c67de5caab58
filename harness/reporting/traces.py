"""One Playwright trace per scenario, secrets scrubbed, kept when the scenario fails (TRACING=on-failure, the
default) or always (TRACING=on).

While a secret is typed or shown the trace is paused (`evidence.secret_on_screen`), which closes a chunk: a
scenario ends with several parts (the chunks, oldest first, and pytest-playwright's final one). Each is scrubbed
member by member (`evidence.scrub_trace`), then they are merged into pytest-playwright's trace file as Playwright's
own test runner merges the traces of several contexts: each part's `trace.trace`/`.network`/`.stacks` renamed
`<n>-trace.*`, the resources (named by their content hash) stored once. The trace viewer shows the parts as one
timeline with gaps where the secret was on screen. Should merging fail, the parts are attached one by one,
named "part i of n". (TRACING / `--tracing` become pytest-playwright's tracing in `harness.playwright_options`.)
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Generator
from pathlib import Path

import allure
import pytest

from harness import evidence
from harness.reporting import junit
from harness.reporting.outputs import alluredir
from harness.reporting.scrubbing import note_replaced
from harness.secrets import revealed_values

TRACE_MIME = "application/vnd.allure.playwright-trace"
TRACE_NAME = "Playwright trace (open with `playwright show-trace`)"
PLAYWRIGHT_TRACE_PROPERTY = "playwright_trace"  # how pytest-playwright publishes a kept trace on the report
_TRACE_FILE = re.compile(r"^[^/]*\.(?:trace|network|stacks)$")  # one context's event files at the zip's root


def merge_traces(parts: list[Path], target: Path) -> None:
    """Write the parts as one trace zip to `target` (which may be one of the parts), atomically."""
    seen: set[str] = set()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as merged:
        for number, part in enumerate(parts):
            with zipfile.ZipFile(part) as source:
                for member in source.infolist():
                    name = f"{number}-{member.filename}" if _TRACE_FILE.match(member.filename) else member.filename
                    if name not in seen:  # a resource already stored: same name, same content
                        seen.add(name)
                        merged.writestr(name, source.read(member))
    temporary = target.with_suffix(".merging")
    temporary.write_bytes(buffer.getvalue())
    temporary.replace(target)


def _kept_traces(report: pytest.TestReport) -> list[Path]:
    return [Path(path) for key, path in report.user_properties
            if key == PLAYWRIGHT_TRACE_PROPERTY and Path(path).is_file()]


def _one_trace(report: pytest.TestReport, parts: list[Path], traces: list[Path]) -> list[Path]:
    """Merge parts and traces into the first trace file; the traces merged into it are gone from the report.
    Returns what to attach: the one file, or every piece when they cannot be merged."""
    pieces = [*parts, *traces]
    try:
        merge_traces(pieces, traces[0])
    except (zipfile.BadZipFile, OSError):
        return pieces
    for merged in traces[1:]:
        merged.unlink(missing_ok=True)
    gone = {str(path) for path in traces[1:]}
    report.user_properties = [(key, value) for key, value in report.user_properties
                              if not (key == PLAYWRIGHT_TRACE_PROPERTY and str(Path(value)) in gone)]
    return [traces[0]]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # At teardown pytest-playwright (a trylast wrapper, so inside this one) has published its kept traces on the
    # report; the allure-pytest-bdd listener (registered later, so outside) has not written the scenario yet.
    report = yield
    if report.when != "teardown":
        return report
    traces = _kept_traces(report)
    parts = evidence.take_trace_parts()  # chunks closed around secret entry, oldest first
    if traces:  # none kept (passed, TRACING=on-failure): the parts go too
        for piece in [*parts, *traces]:
            note_replaced(item.config, piece.name, evidence.scrub_trace(piece, revealed_values()).replaced)
        attach = _one_trace(report, parts, traces)
        for number, path in enumerate(attach, start=1):
            if alluredir(item.config) is not None:
                label = f" part {number} of {len(attach)}" if len(attach) > 1 else ""
                allure.attach.file(str(path), name=TRACE_NAME.replace(" (", f"{label} (", 1),
                                   attachment_type=TRACE_MIME, extension="zip")
        junit.reference(item, traces[0])
    for part in parts:  # merged, attached (a copy) or not wanted: no temp files left behind either way
        part.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            part.parent.rmdir()
    return report
