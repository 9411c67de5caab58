"""JUnit XML for CI test tabs (Azure DevOps, GitLab, Jenkins, GitHub's JUnit reporters).

pytest's own writer (`--junitxml`) names a test case by its Python id in a suite called "pytest"
(`test_mistake[the administrator did not grant admin consent-…]`). While the run goes, each scenario's teardown
report carries `harness:*` user properties (they travel with the report, also from xdist workers); when the session
ends the file is rewritten once:
- testcase `name` = the scenario title (`harness.reporting.titles`: the example row or variant included),
  `classname` = the feature's name, the suite named after the project instead of "pytest";
- the `message` of a failure or error = one line: the exception's first line and the step it failed in;
- evidence (the failing step's screenshot, the scenario's trace) referenced in `system-out` as
  `[[ATTACHMENT|/absolute/path]]`, the form Azure DevOps, GitLab and Jenkins pick up;
- an attempt pytest-rerunfailures retried (TARGET=live) is not a test case of its own (pytest writes it as one with
  no outcome, which a test tab counts as passed): its diagnosis goes into the final attempt's `system-out`;
- the `harness:*` properties removed again.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 — the file parsed is the one this run's pytest just wrote
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from harness.reporting.outputs import is_xdist_worker, junit_file
from harness.reporting.scrubbing import scrub_text
from harness.reporting.titles import name_of

SUITE_NAME = "Business Central OAuth — Dynamics Mobile procedure"
PREFIX = "harness:"
TITLE, FEATURE, DIAGNOSIS, ATTACHMENT, RETRIED = (
    PREFIX + n for n in ("title", "feature", "diagnosis", "attachment", "retried"))
MAX_MESSAGE = 300

_ATTACHMENTS = pytest.StashKey[list[Path]]()
_FAILED_STEP = pytest.StashKey[str]()
_DIAGNOSIS = pytest.StashKey[str]()


def reference(item: pytest.Item, path: Path) -> None:
    """Reference this file (evidence of a failure) from the scenario's JUnit test case."""
    item.stash.setdefault(_ATTACHMENTS, []).append(path.absolute())


def one_line(exc: BaseException, step: str = "") -> str:
    """The diagnosis a test tab shows: the exception's first line (with its type unless it is an assertion) and
    the step it failed in, masked."""
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    text = first if isinstance(exc, AssertionError) and first else f"{type(exc).__name__}: {first}".rstrip(": ")
    if step:
        text += f" (step: {step})"
    text = scrub_text(text)
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE - 1] + "…"


def pytest_bdd_step_error(request: pytest.FixtureRequest, step: Any) -> None:
    request.node.stash[_FAILED_STEP] = f"{step.keyword} {step.name}"


def _properties(item: pytest.Item) -> list[tuple[str, str]]:
    properties = []
    name = name_of(item)
    if name is not None:
        properties += [(TITLE, name.title), (FEATURE, name.feature)]
    if _DIAGNOSIS in item.stash:
        properties.append((DIAGNOSIS, item.stash[_DIAGNOSIS]))
    properties += [(ATTACHMENT, str(path)) for path in dict.fromkeys(item.stash.get(_ATTACHMENTS, []))]
    return properties


# tryfirst: the outermost wrapper, so evidence referenced by other reporting wrappers at teardown is in
@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[
        None, pytest.TestReport, pytest.TestReport]:
    if call.when == "setup":  # a rerun starts afresh
        for key in (_ATTACHMENTS, _FAILED_STEP, _DIAGNOSIS):
            if key in item.stash:
                del item.stash[key]
    report = yield
    if report.failed and call.excinfo is not None and _DIAGNOSIS not in item.stash:
        item.stash[_DIAGNOSIS] = one_line(call.excinfo.value, item.stash.get(_FAILED_STEP, ""))
    if report.when == "teardown":
        report.user_properties.extend(_properties(item))
    return report


class RetriedAttempts:
    """Marks the teardown report of an attempt pytest-rerunfailures runs again (its failed phase is reported with
    the outcome "rerun"), before pytest's JUnit writer (or xdist, sending it to the controller) sees it."""

    def __init__(self) -> None:
        self.pending: set[str] = set()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.outcome == "rerun":
            self.pending.add(report.nodeid)
        elif report.when == "teardown" and report.nodeid in self.pending:
            self.pending.discard(report.nodeid)
            report.user_properties.append((RETRIED, "yes"))


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(RetriedAttempts(), "harness-junit-retried-attempts")


def _system_out(case: ET.Element) -> ET.Element:
    out = case.find("system-out")
    if out is None:
        out = ET.Element("system-out")
        err = case.find("system-err")
        case.insert(list(case).index(err) if err is not None else len(case), out)
    return out


def _append_out(case: ET.Element, lines: list[str]) -> None:
    out = _system_out(case)
    text = "\n".join(lines)
    out.text = f"{out.text.rstrip()}\n{text}\n" if out.text else text + "\n"


def rewrite_case(case: ET.Element) -> dict[str, list[str]]:
    """Name, group, message and attachments from the case's `harness:*` properties; returns them."""
    values: dict[str, list[str]] = {}
    properties = case.find("properties")
    if properties is None:
        return values
    for prop in [p for p in properties.findall("property") if (p.get("name") or "").startswith(PREFIX)]:
        values.setdefault(prop.get("name", ""), []).append(prop.get("value", ""))
        properties.remove(prop)
    if not len(properties):
        case.remove(properties)
    if TITLE in values:
        case.set("name", values[TITLE][0])
        case.set("classname", values[FEATURE][0])
    for outcome in ("failure", "error"):
        element = case.find(outcome)
        if element is not None and DIAGNOSIS in values:
            element.set("message", values[DIAGNOSIS][0])
    if values.get(ATTACHMENT):
        _append_out(case, [f"[[ATTACHMENT|{path}]]" for path in values[ATTACHMENT]])
    return values


def rewrite_suite(suite: ET.Element) -> None:
    """Every case rewritten; a retried attempt folded into the attempt that followed it."""
    if suite.get("name") == "pytest":  # pytest's default; an explicit junit_suite_name stays
        suite.set("name", SUITE_NAME)
    retried: dict[tuple[str, str], list[str]] = {}
    for case in suite.findall("testcase"):
        values = rewrite_case(case)
        key = (case.get("classname", ""), case.get("name", ""))
        if RETRIED in values:
            retried.setdefault(key, []).append(values.get(DIAGNOSIS, ["no diagnosis"])[0])
            suite.remove(case)
        elif key in retried:
            earlier = retried.pop(key)
            _append_out(case, [f"attempt {n} of {len(earlier) + 1} failed and was run again: {diagnosis}"
                               for n, diagnosis in enumerate(earlier, start=1)])


def rewrite(path: Path) -> None:
    tree = ET.parse(path)  # noqa: S314 — this run's own file
    for suite in tree.iter("testsuite"):
        rewrite_suite(suite)
    tree.write(path, encoding="utf-8", xml_declaration=True)


@pytest.hookimpl(trylast=True)  # after pytest's JUnit writer; before the secret gate (a wrapper) searches the file
def pytest_sessionfinish(session: pytest.Session) -> None:
    path = junit_file(session.config)
    if path is not None and path.is_file() and not is_xdist_worker(session.config):
        rewrite(path)
