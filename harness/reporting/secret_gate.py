"""The secret gate: when the session ends, every value revealed through `Secret`, and the Entra secret shape, is
searched for in decoded views (zip members, gzip/deflate, base64, percent/form, HTML, JSON; `harness.leak_scan`)
of allure-results, test-results (Playwright artifacts), the JUnit XML and everything under the reports folder
that this run wrote.
A hit fails the run with its own exit code (`exit_codes.SECRET_LEAK`) and names the file, never the value; a clean
gate says what it searched.

Under pytest-xdist the values live in the workers: each worker searches for its own and sends its hits and what it
searched to the controller (`config.workeroutput`, read in `pytest_testnodedown`), which re-checks the files by
shape and prints one summary.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from harness import leak_scan
from harness.fixtures import settings_of
from harness.reporting.exit_codes import SECRET_LEAK
from harness.reporting.outputs import artifact_paths, is_xdist_worker
from harness.secrets import revealed_values

DECODED = "decoded: zip members, gzip/deflate, base64, percent/form, HTML, JSON"


@dataclass
class GateState:
    leaks: list[str] = field(default_factory=list)
    searched: leak_scan.Stats | None = None  # this process's own search
    workers_searched: leak_scan.Stats = field(default_factory=leak_scan.Stats)
    workers: int = 0
    started: float = 0.0  # when the run began (time.time()); the gate searches the files written since


_STATE = pytest.StashKey[GateState]()


# Files written before the run started are not this run's evidence (a report from yesterday's `make e2e`): the
# gate leaves them out, and says how many; `make report` searches the whole reports folder. The margin covers
# file systems that store coarse modification times.
MTIME_MARGIN_S = 2.0


def _scan(paths: Iterable[Path], started: float) -> leak_scan.Result:
    return leak_scan.search(paths, revealed_values(), leak_scan.SHAPES, modified_since=started - MTIME_MARGIN_S)


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    # xdist workers take the controller's start, so a file written before a worker came up still counts.
    started = getattr(config, "workerinput", {}).get("harness_run_started", time.time())
    config.stash[_STATE] = GateState(started=started)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    state = node.config.stash.get(_STATE, None)
    if state is not None:
        node.workerinput["harness_run_started"] = state.started


# The innermost wrapper: the search runs after every plain sessionfinish (the JUnit writer and its rewrite, the
# metadata) and before the terminal reporter's wrapper prints the summary.
@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> Generator[None, None, None]:
    yield
    config = session.config
    state = config.stash.get(_STATE, None)
    if state is None:
        return
    result = _scan(artifact_paths(config, settings_of(config)), state.started)
    state.searched = result.stats
    state.leaks.extend(str(hit) for hit in result.hits)
    if is_xdist_worker(config):
        config.workeroutput["harness_leaks"] = list(state.leaks)  # type: ignore[attr-defined]
        config.workeroutput["harness_searched"] = vars(result.stats)  # type: ignore[attr-defined]
    if state.leaks:
        session.exitstatus = SECRET_LEAK


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist controller: collect the leaks each worker found for its own secret values, and what it searched."""
    output = getattr(node, "workeroutput", {})
    state = node.config.stash.get(_STATE, None)
    if state is None:
        return
    state.leaks.extend(output.get("harness_leaks", []))
    if "harness_searched" in output:
        state.workers_searched.add(leak_scan.Stats(**output["harness_searched"]))
        state.workers += 1


def gate_summary(state: GateState) -> str:
    """What the gate searched, honestly: under xdist the values live in the workers, which scanned for them."""
    own = state.searched or leak_scan.Stats()
    if state.workers:
        mine = f"searched {own}" if own.values else f"re-checked {own.files} file(s) by shape"
        return (f"secret gate: clean — {state.workers} worker(s) searched {state.workers_searched} (each its own "
                f"revealed values); the controller {mine} ({DECODED})")
    return f"secret gate: clean — searched {own} ({DECODED})"


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    state = config.stash.get(_STATE, None)
    if state is None:
        return
    if state.leaks:
        terminalreporter.section("SECRET LEAK — do not share these artifacts", red=True)
        for line in sorted(set(state.leaks)):
            terminalreporter.write_line(line, red=True)
        terminalreporter.write_line(f"the run fails (exit code {SECRET_LEAK}) because a secret was found in the "
                                    "files above", red=True)
    elif state.searched is not None and (state.searched.files or state.workers):
        terminalreporter.write_line(gate_summary(state), green=True)
