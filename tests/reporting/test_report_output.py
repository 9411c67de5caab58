"""The reporting plugin end to end: run the sample feature in a subprocess pytest and inspect what it wrote.

The sample (tests/reporting/sample/) has a passing `@golden` UI + token scenario, a failing UI check, an outline
with two rows and, separately, steps that leak the client secret on purpose (one the scrubbers must mask, one
written behind the harness's back that the gate must catch). Runs use the default report profile
(SCREENSHOTS=on-failure+golden, TRACING=on-failure).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from harness import leak_scan
from harness.reporting.exit_codes import SECRET_LEAK
from harness.reporting.traces import TRACE_MIME, TRACE_NAME
from harness.secrets import MASK
from tests.reporting.runs import ADMIN_UPN, AUTH_CODE, CLIENT_SECRET, DM_PASSWORD, DM_USER, Run, report_sh

# One worker makes the session's sample runs (evidence_run, leak_run) for every test that reads them.
pytestmark = pytest.mark.xdist_group("reporting-sample-runs")


def _all_text(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_the_failing_scenario_fails_the_run_but_nothing_leaks(evidence_run: Run) -> None:
    assert evidence_run.returncode == 1, evidence_run.output
    assert "1 failed, 3 passed" in evidence_run.output
    assert "SECRET LEAK" not in evidence_run.output
    assert "Given the sign-in callback page is open" in evidence_run.output  # Gherkin progress in the console


def test_tags_become_labels_and_links(evidence_run: Run) -> None:
    result = evidence_run.result("A page step, a token call and a discrepancy")
    labels = {(label["name"], label["value"]) for label in result["labels"]}
    assert {("severity", "critical"), ("epic", "Reporting sample"), ("story", "Evidence"),
            ("feature", "Reporting sample")} <= labels
    links = {(link["type"], link["url"]) for link in result["links"]}
    assert ("issue", "https://tracker.example.test/issues/42") in links
    assert ("tms", "TC-7") in links  # no ALLURE_TMS_URL: the id itself


def test_every_golden_step_has_a_screenshot_and_the_token_step_a_masked_transcript(evidence_run: Run) -> None:
    result = evidence_run.result("A page step, a token call and a discrepancy")
    steps = {step["name"]: step for step in result["steps"]}
    assert len(steps) == 5
    shots = [next(a for a in step.get("attachments", []) if a["type"] == "image/png") for step in steps.values()]
    # The steps after the secret is saved change nothing on the page: they show its picture again (SCREENSHOT_REUSE).
    reused = "Screenshot (unchanged since the previous step)"
    assert [shot["name"] for shot in shots] == ["Screenshot", "Screenshot", reused, reused, reused]
    assert len({evidence_run.attachment(shot["source"]) for shot in shots[1:]}) == 1
    token_step = steps["When the app asks the token service for a token"]
    transcript = next(a for a in token_step["attachments"] if a["name"].startswith("HTTP transcript"))
    text = evidence_run.attachment(transcript["source"]).decode()
    assert "client_secret=••••••" in text and "decoded access_token claims:" in text
    assert "Authorization: Bearer" not in text and "authorization: Bearer ••••••" in text
    assert evidence_run.attachment(steps["Given the sign-in callback page is open"]["attachments"][0]["source"])[:4] \
        == b"\x89PNG"


def test_a_failure_has_one_screenshot_on_the_failing_step_and_one_trace(evidence_run: Run) -> None:
    result = evidence_run.result("A failing UI check")
    assert result["status"] == "failed"
    *passed, failing = result["steps"]
    assert failing["status"] == "failed"
    assert [a["name"] for a in failing["attachments"]] == ["Screenshot at failure"]
    assert all(not step.get("attachments") for step in passed)  # not @golden: no screenshot per step
    traces = [a for a in result.get("attachments", []) if a["type"] == TRACE_MIME]
    assert [t["name"] for t in traces] == [TRACE_NAME]  # the chunks around the secret entry merged into one
    with zipfile.ZipFile(evidence_run.results / traces[0]["source"]) as trace:
        assert {"0-trace.trace", "0-trace.network", "1-trace.trace", "1-trace.network"} <= set(trace.namelist())
    kept = list((evidence_run.reports / "test-results").rglob("*.zip"))
    assert [p.name for p in kept] == ["trace.zip"]  # pytest-playwright's file now holds the merged trace


def test_a_passing_scenario_keeps_no_trace(evidence_run: Run) -> None:
    result = evidence_run.result("A page step, a token call and a discrepancy")
    assert not [a for a in result.get("attachments", []) if a["type"] == TRACE_MIME]


def test_discrepancies_are_attached_and_printed(evidence_run: Run) -> None:
    result = evidence_run.result("A page step, a token call and a discrepancy")
    notes = next(a for a in result["attachments"] if a["name"] == "Procedure discrepancies")
    assert "Financials.ReadWriteAll is a delegated permission" in evidence_run.attachment(notes["source"]).decode()
    assert "Procedure discrepancies (vendor guide vs. real services)" in evidence_run.output
    assert "- Financials.ReadWriteAll is a delegated permission" in evidence_run.output


def test_steps_show_only_their_own_arguments(evidence_run: Run) -> None:
    """allure-pytest-bdd writes every step-function argument; fixtures (page, settings, secrets) are left out."""
    golden = evidence_run.result("A page step, a token call and a discrepancy")
    assert [step.get("parameters", []) for step in golden["steps"]] == [[]] * 5  # page, client_secret, settings …
    failing = evidence_run.result("A failing UI check")["steps"][-1]
    assert failing["parameters"] == [{"name": "text", "value": "'Something the page does not show'"}]
    outline = evidence_run.result("A number from an Examples row [2]")
    assert outline["steps"][0]["parameters"] == [{"name": "n", "value": "2"}]  # parsed; run_context left out


def test_no_secret_auth_code_or_personal_data_reaches_results_traces_or_junit(evidence_run: Run) -> None:
    everything = _all_text(evidence_run.reports)
    for value in (CLIENT_SECRET, DM_PASSWORD, AUTH_CODE, DM_USER, ADMIN_UPN):
        assert value.encode() not in everything, value
    # The same, decoded: zip members, percent-encoding (the form POST writes '~' as %7E), base64, JSON, HTML.
    # (Not the OAuth code: the traces keep page URLs, and the sample's own source, which spells it out.)
    found = leak_scan.search([evidence_run.reports], [CLIENT_SECRET, DM_PASSWORD], leak_scan.SHAPES)
    assert found.hits == [] and found.stats.files > 10
    assert "secret gate: clean — searched " in evidence_run.output


def test_the_secret_form_post_in_the_trace_is_masked_where_it_was(evidence_run: Run) -> None:
    """The form POST the failing scenario's trace holds: the body stays, the secret in it is masked in place."""
    result = evidence_run.result("A failing UI check")
    traces = [a["source"] for a in result["attachments"] if a["type"] == "application/vnd.allure.playwright-trace"]
    bodies = []
    for source in traces:
        with zipfile.ZipFile(evidence_run.results / source) as trace:
            bodies += [trace.read(n) for n in trace.namelist() if n.startswith("resources/") and n.endswith(".dat")]
    assert b"secret=" + MASK.encode() in bodies


def test_run_metadata_is_written(evidence_run: Run) -> None:
    props = (evidence_run.results / "environment.properties").read_text()
    for key in ("Target=sandbox", "Browser=chromium ", "pytest-bdd=9.0.1", "allure-pytest-bdd=2.16.2", "msal=",
                "httpx=", "playwright=", "Python="):
        assert key in props
    executor = json.loads((evidence_run.results / "executor.json").read_text())
    assert executor["name"]
    categories = json.loads((evidence_run.results / "categories.json").read_text())
    names = [c["name"] for c in categories]
    assert "Token service rejected the credentials" in names and "Waited too long for propagation" in names
    assert names[0] == "Waited too long for propagation"  # most specific first: its messages also carry AADSTS


def test_html_report_is_single_file_and_does_not_phone_home(evidence_run: Run) -> None:
    done = report_sh(evidence_run.reports)
    assert done.returncode == 0, done.stdout + done.stderr
    html = (evidence_run.reports / "allure-report" / "index.html").read_text()
    assert "googletagmanager" not in html and "gtag(" not in html
    assert (evidence_run.reports / "allure-history.jsonl").stat().st_size > 0
    assert "leak scan: clean" in done.stdout


def test_a_planted_leak_fails_the_run_with_its_own_exit_code_and_names_the_file(leak_run: Run) -> None:
    assert leak_run.returncode == SECRET_LEAK == 10, leak_run.output  # not 1: a test failed too, the leak wins
    assert "SECRET LEAK" in leak_run.output
    leak_lines = [line for line in leak_run.output.splitlines() if "secret found" in line]
    assert len(leak_lines) == 1, leak_lines
    assert leak_lines[0].endswith("careless.log: secret found (percent-decoded)")
    assert CLIENT_SECRET not in leak_run.output


def test_a_careless_attachment_is_masked_before_it_is_written(leak_run: Run) -> None:
    result = leak_run.result("A careless step attaches the client secret")
    dump = next(a for a in result["steps"][0]["attachments"] if a["name"] == "careless debug dump")
    assert leak_run.attachment(dump["source"]).decode() == f"debug dump: secret={MASK}"


def test_failure_messages_are_scrubbed_in_console_junit_and_results(leak_run: Run) -> None:
    assert "1 failed, 2 passed" in leak_run.output
    assert "assert '••••••" in leak_run.output  # pytest's truncated repr 'aXy8Q~sample...789abc', masked
    assert CLIENT_SECRET[:12] not in leak_run.output and CLIENT_SECRET[-12:] not in leak_run.output
    junit = (leak_run.reports / "junit.xml").read_text()
    assert "a wrong value" in junit and CLIENT_SECRET[:12] not in junit and CLIENT_SECRET[-12:] not in junit
    result = leak_run.result("A careless check puts the client secret in its failure message")
    assert CLIENT_SECRET not in json.dumps(result)


def test_the_report_script_refuses_artifacts_with_a_secret_shape(leak_run: Run) -> None:
    done = report_sh(leak_run.reports)
    assert done.returncode == SECRET_LEAK
    assert "careless.log: secret found (percent-decoded) [entra-secret]" in done.stderr
    assert "index.html" not in done.stderr  # the report itself: built from scrubbed results
    assert CLIENT_SECRET not in done.stdout + done.stderr


def test_under_xdist_the_gate_says_the_workers_searched_not_zero_values() -> None:
    from harness.reporting.secret_gate import GateState, gate_summary

    state = GateState(searched=leak_scan.Stats(values=0, shapes=1, files=5, bytes=1000), workers=2,
                      workers_searched=leak_scan.Stats(values=12, shapes=1, files=40, bytes=5_000_000))
    line = gate_summary(state)
    assert line.startswith("secret gate: clean — 2 worker(s) searched 12 value(s) and 1 shape(s) in 40 file(s)")
    assert "the controller re-checked 5 file(s) by shape" in line and "0 value(s)" not in line
    state.workers = 0
    assert gate_summary(state).startswith("secret gate: clean — searched 0 value(s) and 1 shape(s)")
