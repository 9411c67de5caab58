"""Procedure discrepancies (vendor guide vs. real services, docs/discrepancies.md): the notes a scenario's
`run_context` collected are attached to its result and listed once at the end of the console output, with where
they were seen. Under pytest-xdist each worker sends its notes to the controller, which prints them."""

from __future__ import annotations

from typing import Any

import allure
import pytest
from allure_commons.types import AttachmentType

from harness.reporting.outputs import alluredir, is_xdist_worker
from harness.reporting.titles import name_of

WORKER_OUTPUT_KEY = "harness_discrepancies"
_NOTES = pytest.StashKey[dict[str, list[str]]]()  # scenario title → its notes


def notes_of(config: pytest.Config) -> dict[str, list[str]]:
    return config.stash.setdefault(_NOTES, {})


@pytest.hookimpl(tryfirst=True)  # before the listener closes the scenario
def pytest_bdd_after_scenario(request: pytest.FixtureRequest) -> None:
    if "run_context" not in request.fixturenames:
        return
    notes = list(request.getfixturevalue("run_context").notes)
    if not notes:
        return
    name = name_of(request.node)
    notes_of(request.config)[name.title if name else request.node.name] = notes
    if alluredir(request.config) is not None:
        allure.attach("\n".join(f"- {n}" for n in notes), name="Procedure discrepancies",
                      attachment_type=AttachmentType.TEXT)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if is_xdist_worker(session.config):
        session.config.workeroutput[WORKER_OUTPUT_KEY] = notes_of(session.config)  # type: ignore[attr-defined]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist controller: the notes each worker's scenarios collected."""
    notes_of(node.config).update(getattr(node, "workeroutput", {}).get(WORKER_OUTPUT_KEY, {}))


def summary_lines(notes: dict[str, list[str]]) -> list[str]:
    by_note: dict[str, list[str]] = {}
    for scenario, scenario_notes in notes.items():
        for note in scenario_notes:
            by_note.setdefault(note, []).append(scenario)
    lines = []
    for note, tests in by_note.items():
        seen = sorted(set(tests))
        where = seen[0] if len(seen) == 1 else f"{len(seen)} scenarios, e.g. {seen[0]}"
        lines += [f"- {note}", f"    seen in: {where}"]
    return lines


@pytest.hookimpl(tryfirst=True)
def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    lines = summary_lines(notes_of(config))
    if lines:
        terminalreporter.section("Procedure discrepancies (vendor guide vs. real services)")
        for line in lines:
            terminalreporter.write_line(line)
