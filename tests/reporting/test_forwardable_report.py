"""A report a person can forward (issue 14): one title per scenario run, screenshots for the golden path and
failures only, one trace per scenario that the trace viewer opens as one, retries on live only, no story level in
the tree, discrepancies that cite the repository."""

from __future__ import annotations

import functools
import http.server
import io
import re
import shutil
import threading
import xml.etree.ElementTree as ET  # noqa: S405 — files this test's own run wrote
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import playwright
import pytest
from playwright.sync_api import Page, expect

from harness.reporting import titles
from harness.reporting.retries import LIVE_RERUNS, reruns_for
from harness.reporting.step_evidence import every_step_shot
from harness.reporting.traces import TRACE_MIME, merge_traces
from harness.settings import SCREENSHOT_MODES, Settings
from tests.reporting.runs import ROOT, Run, run_sample

TRACE_VIEWER = Path(playwright.__file__).parent / "driver" / "package" / "lib" / "vite" / "traceViewer"


# --- titles -------------------------------------------------------------------------------------------------


def test_every_scenario_run_has_its_own_title(evidence_run: Run) -> None:
    names = evidence_run.names()
    assert sorted(names) == sorted(["A page step, a token call and a discrepancy", "A failing UI check",
                                    "A number from an Examples row [1]", "A number from an Examples row [2]"])


def _scenario(name: str, line: int = 3) -> SimpleNamespace:
    return SimpleNamespace(name=name, line_number=line)


def _item(params: dict, callspec_id: str) -> SimpleNamespace:
    return SimpleNamespace(callspec=SimpleNamespace(params=params, id=callspec_id))


def test_titles_name_the_example_row_or_the_variant_only_where_the_name_does_not() -> None:
    feature = SimpleNamespace(scenarios={"<mistake>": _scenario("<mistake>"), "Codes": _scenario("Codes", 9)})
    row = {"mistake": "no consent", "code": "AADSTS65001"}
    rendered = _scenario("no consent")  # pytest-bdd filled <mistake> in: the row is in the name already
    assert titles.scenario_title(_item({"_pytest_bdd_example": row}, "no consent-AADSTS65001"), feature,
                                 rendered) == "no consent"
    assert titles.scenario_title(_item({"_pytest_bdd_example": row}, "no consent-AADSTS65001"), feature,
                                 _scenario("Codes", 9)) == "Codes [no consent | AADSTS65001]"
    portal = _item({"portal_variant": ("iframe", "radios")}, "iframe-radios")
    assert titles.scenario_title(portal, feature, _scenario("Registers", 20)) == "Registers [iframe-radios]"
    assert titles.scenario_title(SimpleNamespace(), feature, _scenario("Plain", 30)) == "Plain"


# --- screenshots --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("mode", "golden", "expected"), [
    ("on-failure+golden", True, True), ("on-failure+golden", False, False), ("every-step", False, True),
    ("on-failure", True, False), ("off", True, False)])
def test_which_steps_get_a_screenshot(mode: str, golden: bool, expected: bool) -> None:
    item = SimpleNamespace(get_closest_marker=lambda name: object() if golden and name == "golden" else None)
    assert every_step_shot(item, mode) is expected


def test_the_default_report_profile_is_the_one_to_e_mail() -> None:
    assert Settings().screenshots == "on-failure+golden" and Settings().tracing == "on-failure"
    assert "every-step" in SCREENSHOT_MODES  # the full evidence stays one setting away


# --- one trace per scenario ---------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_merging_renames_each_parts_event_files_and_keeps_resources_once(tmp_path: Path) -> None:
    first, second = tmp_path / "part-1.zip", tmp_path / "trace.zip"
    first.write_bytes(_zip({"trace.trace": b"a", "trace.network": b"n1", "resources/sha1.png": b"png"}))
    second.write_bytes(_zip({"trace.trace": b"b", "trace.stacks": b"s", "resources/sha1.png": b"png",
                             "resources/sha2.html": b"html"}))
    merge_traces([first, second], second)
    with zipfile.ZipFile(second) as merged:
        assert sorted(merged.namelist()) == ["0-trace.network", "0-trace.trace", "1-trace.stacks", "1-trace.trace",
                                             "resources/sha1.png", "resources/sha2.html"]
        assert merged.read("0-trace.trace") == b"a" and merged.read("1-trace.trace") == b"b"


@pytest.fixture
def trace_viewer(evidence_run: Run, tmp_path: Path) -> Iterator[str]:
    """Playwright's own trace viewer (shipped in the playwright package) and the failing scenario's trace as the
    report holds it, served on loopback: the viewer's address with the trace to open."""
    result = evidence_run.result("A failing UI check")
    source = next(a["source"] for a in result["attachments"] if a["type"] == TRACE_MIME)
    shutil.copytree(TRACE_VIEWER, tmp_path / "viewer")
    shutil.copy(evidence_run.results / source, tmp_path / "trace.zip")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield f"{base}/viewer/index.html?trace={base}/trace.zip"
    server.shutdown()
    server.server_close()


@pytest.mark.ui
def test_the_merged_trace_opens_as_one_timeline_in_the_trace_viewer(trace_viewer: str, page: Page) -> None:
    """The actions before the secret was typed (part 0) and after it (part 1) are in one list; the typing is not."""
    page.goto(trace_viewer)
    actions = page.locator(".action-title")
    expect(actions.filter(has_text="Expect")).to_have_count(1)  # the failing check, after the pause
    expect(actions.filter(has_text="Navigate")).to_have_count(1)  # the page opened before the pause
    assert not any("Fill" in text for text in actions.all_inner_texts())


# --- retries, tree, citations -------------------------------------------------------------------------------


def _option(reruns: int | None = None, usepdb: bool = False) -> SimpleNamespace:
    return SimpleNamespace(reruns=reruns, usepdb=usepdb)


def test_retries_are_added_on_live_only_and_never_over_an_explicit_choice() -> None:
    live, sandbox = Settings(target="live"), Settings()
    assert reruns_for(live, _option(), "") == LIVE_RERUNS == 1
    assert reruns_for(sandbox, _option(), "") is None
    assert reruns_for(live, _option(reruns=0), "") is None  # --reruns 0 on the command line
    assert reruns_for(live, _option(), "3") is None  # reruns = 3 in the ini file
    assert reruns_for(live, _option(usepdb=True), "") is None  # pytest-rerunfailures refuses it with --pdb
    assert reruns_for(live, SimpleNamespace(usepdb=False), "") is None  # -p no:rerunfailures


LIVE_SETTINGS = {  # live needs these; the sample itself talks to no service (a routed page, a mocked token service)
    "TARGET": "live", "DM_PORTAL_URL": "https://portal.example.test", "AZURE_TENANT_NAME": "Contoso",
    "AZURE_TENANT_ID": "11111111-2222-3333-4444-555555555555", "AZURE_ADMIN_PASSWORD": "not-used-by-the-sample",
    "BC_ENVIRONMENT": "Sandbox", "DM_APPLICATION_AREA": "DEMO01"}


def test_on_live_a_failed_scenario_runs_again_and_both_attempts_are_reported(tmp_path: Path) -> None:
    run = run_sample("scenarios_evidence.py", tmp_path, **LIVE_SETTINGS)
    assert run.returncode == 1, run.output
    assert "1 failed, 3 passed, 1 rerun" in run.output
    assert run.names().count("A failing UI check") == 2  # Allure: the retry under the final result
    cases = [c for c in ET.parse(run.reports / "junit.xml").iter("testcase")]  # noqa: S314
    failing = [c for c in cases if c.get("name") == "A failing UI check"]
    assert len(cases) == 4 and len(failing) == 1  # the retried attempt is no test case of its own
    assert "attempt 1 of 2 failed and was run again: Locator expected to be visible" in failing[0].findtext(
        "system-out", "")


def test_the_report_tree_has_no_story_level() -> None:
    config = (ROOT / "allurerc.mjs").read_text()
    assert re.search(r'groupBy: \["epic", "feature"\]', config)


def test_discrepancy_notes_cite_entries_of_docs_discrepancies_md() -> None:
    doc = (ROOT / "docs" / "discrepancies.md").read_text()
    sources = "".join(p.read_text() for folder in ("steps", "flows") for p in sorted((ROOT / folder).glob("*.py")))
    assert "FIDELITY" not in sources and "MS-S2S" not in sources  # documents outside the repository
    cited = set(re.findall(r"docs/discrepancies\.md (D\d+)", sources))
    assert cited >= {"D1", "D7", "D9", "D12", "D13", "D14", "D16"}
    assert all(f"| {entry} |" in doc for entry in cited)
