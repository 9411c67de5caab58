"""The sandbox CLI as a user runs it: serve writes the endpoints file, provision-app prints a ready app, state
survives a restart, SIGINT (Ctrl-C) stops it cleanly, and bad input ends with one line and exit code 2."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from harness.sandbox_control import AdminClient, start_sandbox

CLI = [sys.executable, "-m", "harness.cli"]


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


def test_state_survives_a_restart_and_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    state, endpoints = tmp_path / "state", tmp_path / "endpoints.json"
    first = start_sandbox(state, endpoints)
    try:
        provisioned = _run("sandbox", "provision-app", "--endpoints-file", str(endpoints))
        assert provisioned.returncode == 0, provisioned.stderr
        app = json.loads(provisioned.stdout)
        assert set(app) == {"client_id", "client_secret", "tenant_id", "object_id"}
        assert len(app["client_secret"]) == 40 and app["client_secret"][4:6] == "Q~"
        tenant = first.endpoints["tenant_id"]
    finally:
        first.process.send_signal(signal.SIGINT)
        assert first.process.wait(timeout=15) == 0
    assert not endpoints.exists(), "the endpoints file outlived the server"

    second = start_sandbox(state, endpoints)
    try:
        assert second.endpoints["tenant_id"] == tenant
        admin = AdminClient(second.endpoints)
        assert app["client_id"] in {a["client_id"] for a in admin.apps()}
        admin.close()
    finally:
        second.stop()


def test_provision_app_without_a_running_sandbox_says_how_to_start_one(tmp_path: Path) -> None:
    result = _run("sandbox", "provision-app", "--endpoints-file", str(tmp_path / "missing.json"))
    assert result.returncode == 2
    assert "bcoauth sandbox serve" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(("env", "variable"), [
    ({"TARGET": "staging"}, "TARGET"),
    ({"TARGET": "live", "DM_PASSWORD": "do-not-echo-me"}, "AZURE_TENANT_ID"),
    ({"UI_TIMEOUT_S": "-3"}, "UI_TIMEOUT_S"),
])
def test_bad_settings_give_one_line_per_problem_and_exit_2(tmp_path: Path, env: dict[str, str],
                                                           variable: str) -> None:
    result = subprocess.run([*CLI, "check-settings"], capture_output=True, text=True, timeout=60, cwd=tmp_path,
                            env={**{k: v for k, v in os.environ.items() if not k.isupper() or k in ("PATH", "HOME")},
                                 **env, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert any(line.startswith(variable) for line in result.stderr.splitlines())
    assert "do-not-echo-me" not in result.stderr + result.stdout
