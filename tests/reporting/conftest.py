"""The sample runs the reporting tests read, each made once per session (a run takes seconds: a browser starts)."""

from __future__ import annotations

import pytest

from tests.reporting.runs import Run, run_sample


@pytest.fixture(scope="session")
def evidence_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """A golden UI + token scenario, a failing UI check, an outline with two rows; the default report profile."""
    return run_sample("scenarios_evidence.py", tmp_path_factory.mktemp("evidence"))


@pytest.fixture(scope="session")
def leak_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_sample("scenarios_leak.py", tmp_path_factory.mktemp("leak"))
