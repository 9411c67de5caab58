"""Traces are recorded without pytest-playwright's screencast (TRACE_FILMSTRIP=false, the default): the DOM snapshots
the trace viewer replays per action stay, the JPEG per frame goes (~20 % of a UI test's time on two cores)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from harness.settings import Settings

pytestmark = pytest.mark.ui


def test_the_trace_has_dom_snapshots_and_no_screencast(context: BrowserContext, base_settings: Settings,
                                                       tmp_path: Path) -> None:
    if base_settings.tracing == "off" or base_settings.trace_filmstrip:
        pytest.skip("TRACING=off or TRACE_FILMSTRIP=true: this run records no lean trace")
    page = context.new_page()
    page.set_content("<button onclick=\"this.textContent='clicked'\">Press</button>")
    page.get_by_role("button", name="Press").click()
    chunk = tmp_path / "chunk.zip"
    context.tracing.stop_chunk(path=str(chunk))
    context.tracing.start_chunk()  # pytest-playwright stops the trace at teardown
    with zipfile.ZipFile(chunk) as trace:
        events = trace.read("trace.trace")
        images = [name for name in trace.namelist() if name.endswith((".jpeg", ".jpg", ".png"))]
    assert b'"frame-snapshot"' in events
    assert b'"screencast-frame"' not in events and images == []
