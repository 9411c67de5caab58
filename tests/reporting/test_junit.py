"""JUnit for CI test tabs: scenario titles and feature names, one-line failure messages, attachments referenced as
`[[ATTACHMENT|path]]`; and exit codes that tell a failed test, bad settings and a secret leak apart."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET  # noqa: S405 — files this test's own runs wrote
from pathlib import Path

import pytest

from harness.reporting import exit_codes, junit
from tests.reporting.runs import Run, run_sample

# One worker makes the session's sample runs (evidence_run, leak_run) for every test that reads them.
pytestmark = pytest.mark.xdist_group("reporting-sample-runs")


def _cases(run: Run) -> dict[str, ET.Element]:
    tree = ET.parse(run.reports / "junit.xml")  # noqa: S314
    return {case.get("name", ""): case for case in tree.iter("testcase")}


def test_test_cases_are_named_by_scenario_title_and_grouped_by_feature(evidence_run: Run) -> None:
    cases = _cases(evidence_run)
    assert sorted(cases) == sorted(["A page step, a token call and a discrepancy", "A failing UI check",
                                    "A number from an Examples row [1]", "A number from an Examples row [2]"])
    assert {case.get("classname") for case in cases.values()} == {"Reporting sample"}
    tree = ET.parse(evidence_run.reports / "junit.xml")  # noqa: S314
    assert [suite.get("name") for suite in tree.iter("testsuite")] == [junit.SUITE_NAME]
    assert "harness:" not in (evidence_run.reports / "junit.xml").read_text()  # the carrier properties are gone


def test_a_failure_says_in_one_line_what_and_where_and_references_its_evidence(evidence_run: Run) -> None:
    case = _cases(evidence_run)["A failing UI check"]
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == ('Locator expected to be visible (step: Then the page shows the heading '
                                      '"Something the page does not show")')
    assert "AssertionError" in (failure.text or "")  # the whole report stays in the body
    out = case.find("system-out")
    assert out is not None
    referenced = [Path(line[len("[[ATTACHMENT|"):-2]) for line in (out.text or "").splitlines()
                  if line.startswith("[[ATTACHMENT|")]
    assert [p.suffix for p in referenced] == [".png", ".zip"]  # the failing step's screenshot, the trace
    assert all(p.is_absolute() and p.is_file() for p in referenced)
    assert referenced[0].read_bytes()[:4] == b"\x89PNG"
    passed = _cases(evidence_run)["A page step, a token call and a discrepancy"]
    assert passed.find("system-out") is None  # a passing scenario references nothing


def test_one_line_diagnosis() -> None:
    assert junit.one_line(AssertionError("expected AADSTS7000215, got: connection OK\nassert False"),
                          "Then it fails") == "expected AADSTS7000215, got: connection OK (step: Then it fails)"
    assert junit.one_line(TimeoutError("Timeout 30000ms exceeded.\nCall log: …")) == \
        "TimeoutError: Timeout 30000ms exceeded."
    assert junit.one_line(RuntimeError()) == "RuntimeError"
    assert len(junit.one_line(AssertionError("x" * 1000))) == junit.MAX_MESSAGE


def test_attachments_go_into_system_out_before_system_err() -> None:
    case = ET.fromstring(  # noqa: S314
        '<testcase classname="tests.e2e.test_x" name="test_x[a-b]"><properties>'
        '<property name="harness:title" value="Scenario [a | b]"/><property name="harness:feature" value="F"/>'
        '<property name="harness:attachment" value="/r/shot.png"/><property name="other" value="kept"/>'
        '</properties><error message="failed on setup with …">trace</error><system-err>e</system-err></testcase>')
    junit.rewrite_case(case)
    assert (case.get("name"), case.get("classname")) == ("Scenario [a | b]", "F")
    assert [child.tag for child in case] == ["properties", "error", "system-out", "system-err"]
    assert [p.get("name") for p in case.iter("property")] == ["other"]
    assert case.findtext("system-out") == "[[ATTACHMENT|/r/shot.png]]\n"
    assert case.find("error").get("message") == "failed on setup with …"  # no diagnosis recorded: pytest's


# --- exit codes -----------------------------------------------------------------------------------------------


def test_exit_codes_are_distinct_from_each_other_and_from_pytests_own() -> None:
    assert (exit_codes.TESTS_FAILED, exit_codes.SETTINGS_INVALID, exit_codes.SECRET_LEAK) == (1, 2, 10)
    assert exit_codes.SECRET_LEAK not in {int(code) for code in pytest.ExitCode}
    assert exit_codes.TESTS_FAILED == pytest.ExitCode.TESTS_FAILED


def test_tests_failed_exits_1(evidence_run: Run) -> None:
    assert evidence_run.returncode == exit_codes.TESTS_FAILED, evidence_run.output


def test_invalid_settings_exit_2_with_one_line(tmp_path: Path) -> None:
    run = run_sample("scenarios_evidence.py", tmp_path, SCREENSHOTS="sometimes")
    assert run.returncode == exit_codes.SETTINGS_INVALID, run.output
    assert "SCREENSHOTS" in run.output and "Traceback" not in run.output


# --- under pytest-xdist: the controller writes JUnit from what the workers' reports carry ---------------------


@pytest.mark.skipif(importlib.util.find_spec("xdist") is None, reason="pytest-xdist is not installed")
@pytest.mark.slow  # a nested run with two workers
def test_under_xdist_the_controller_names_cases_and_prints_what_the_workers_found(tmp_path: Path) -> None:
    run = run_sample("scenarios_evidence.py", tmp_path, "-n", "2")
    assert run.returncode == exit_codes.TESTS_FAILED, run.output
    cases = _cases(run)
    assert "A number from an Examples row [2]" in cases and "A failing UI check" in cases
    assert "[[ATTACHMENT|" in (cases["A failing UI check"].findtext("system-out") or "")
    assert "- Financials.ReadWriteAll is a delegated permission" in run.output  # a worker's note, printed once
    assert "secret gate: clean — 2 worker(s) searched" in run.output
    props = (run.results / "environment.properties").read_text()
    assert "Browser=chromium " in props  # what the workers' scenarios used, not a guess
