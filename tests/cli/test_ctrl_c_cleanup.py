"""Ctrl-C in the middle of a run still runs the cleanup ledger: a nested pytest run of the golden path gets
SIGINT, as a terminal sends it to the whole foreground process group (pytest, the Playwright driver, the sandbox
child), once the app registration and its Business Central record exist. pytest turns it into KeyboardInterrupt
and still tears the fixtures down; the browser and the twins must survive the signal so the portals' Delete
actions can run (the nested run undoes through the UIs, not the admin API). Afterwards the sandbox (restarted on
the same state folder) holds no app and no BC record, and the interrupted test's trace holds no secret."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from harness.polling import poll
from harness.sandbox_control import AdminClient, start_sandbox
from harness.settings import KNOWN_VARIABLES

PROJECT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _endpoints(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def test_ctrl_c_after_the_app_exists_still_deletes_it(tmp_path: Path) -> None:
    root = tmp_path / "sandbox"
    env = {**{k: v for k, v in os.environ.items() if k not in KNOWN_VARIABLES and not k.startswith("PYTEST_")},
           "ENV_FILE": os.devnull, "SANDBOX_STATE_DIR": str(root)}
    run = subprocess.Popen([sys.executable, "-m", "pytest", "tests/e2e/test_full_setup.py", "-q",
                            "-p", "tests.cli.ui_cleanup_everywhere", "-p", "no:cacheprovider",
                            "--basetemp", str(tmp_path / "run"), "--output", str(tmp_path / "test-results")],
                           cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           start_new_session=True)  # its own process group, like a job in a terminal
    try:
        endpoints = poll(lambda: _endpoints(root / "endpoints.json"), what="the nested run's sandbox",
                         done=lambda e: e is not None, timeout_s=120)
        admin = AdminClient(endpoints)

        def bc_records() -> list[dict[str, Any]]:
            if run.poll() is not None:  # the scenario ended before the record was seen: say how
                raise AssertionError("the nested run ended first:\n" + (run.stdout.read() if run.stdout else ""))
            return admin.bc_apps()

        # Polled closely: the record lives only from its creation to the scenario's end (a few seconds).
        poll(bc_records, what="the golden path's Business Central record", done=bool, timeout_s=300,
             initial_delay_s=0.1, max_delay_s=0.2)
        assert admin.apps(), "the app registration is not there"
        admin.close()
        os.killpg(run.pid, signal.SIGINT)  # Ctrl-C
        output, _ = run.communicate(timeout=300)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    assert "KeyboardInterrupt" in output, output[-3000:]
    assert run.returncode == pytest.ExitCode.INTERRUPTED, (run.returncode, output[-3000:])
    assert "cleanup left things behind" not in output, output[-3000:]
    assert "secret gate: clean" in output, output[-3000:]
    look = start_sandbox(root / "state", tmp_path / "look.json")  # the nested sandbox stopped with its session
    try:
        admin = AdminClient(look.endpoints)
        assert admin.apps() == [], "Ctrl-C left the app registration behind"
        assert admin.bc_apps() == [], "Ctrl-C left the Business Central record behind"
        admin.close()
    finally:
        look.stop()
