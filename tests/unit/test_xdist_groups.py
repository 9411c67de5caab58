"""`--dist loadgroup` must keep an `xdist_group` on one worker: on TARGET=live the scenarios that change the Portal's
one agent role rely on it (harness/fixtures.py). pytest 9.2 with pytest-xdist 3.8 silently stops grouping
(pytest-xdist#1386), hence the pin in pyproject.toml; this run of a throwaway suite with two workers holds it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SUITE = '''
import os, pytest

@pytest.mark.xdist_group("one-role")
@pytest.mark.parametrize("n", range(6))
def test_grouped(n, tmp_path_factory):
    out = tmp_path_factory.getbasetemp().parent.parent / "workers"
    out.mkdir(exist_ok=True)
    (out / f"grouped-{n}").write_text(os.environ["PYTEST_XDIST_WORKER"])

@pytest.mark.parametrize("n", range(6))
def test_free(n):
    pass
'''


@pytest.mark.slow  # a nested run with two workers
def test_an_xdist_group_runs_on_one_worker(tmp_path: Path) -> None:
    (tmp_path / "test_sample.py").write_text(SUITE)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "base").mkdir()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", "--dist",
                           "loadgroup", "--basetemp", str(tmp_path / "base" / "tmp"), str(tmp_path)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    workers = {p.read_text() for p in (tmp_path / "base" / "workers").glob("grouped-*")}
    assert len(list((tmp_path / "base" / "workers").glob("grouped-*"))) == 6
    assert len(workers) == 1, f"the group ran on {sorted(workers)}"
