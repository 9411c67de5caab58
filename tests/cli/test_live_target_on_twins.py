"""TARGET=live, pointed at the twins: the golden path must pass through the live code path alone (settings from
the environment, no sandbox fixture, no admin API, cleanup through the portals' own Delete actions), and leave
nothing behind. This keeps pages/ and steps/ honest about knowing nothing of the target.

The twins are the session's own (`lent_sandbox`: no second sandbox starts). Chromium trusts their CA the way it
would trust a corporate CA: through the NSS database under $HOME (a throwaway HOME here), never through a
sandbox-only switch.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from harness.sandbox_control import AdminClient
from tests.cli.twins_as_live import live_environment, trusting_home

PROJECT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("certutil") is None,
                                reason="needs certutil (Debian libnss3-tools; `make setup` installs it as root)")


def test_the_golden_path_passes_as_a_live_run_and_cleans_up(tmp_path: Path, lent_sandbox: dict[str, Any],
                                                             admin: AdminClient) -> None:
    e = lent_sandbox
    apps_before = {a["client_id"] for a in admin.apps()}
    records_before = {a["client_id"] for a in admin.bc_apps()}
    env = live_environment(e, trusting_home(tmp_path / "home", e["ca_cert"]), REPORTS_DIR=str(tmp_path / "reports"))
    run = subprocess.run([sys.executable, "-m", "pytest", "tests/e2e/test_full_setup.py", "-q",
                          "-p", "no:cacheprovider", "--basetemp", str(tmp_path / "run"),
                          "--output", str(tmp_path / "test-results")],
                         cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout
    left = {a["client_id"] for a in admin.apps()} - apps_before
    assert not left, f"the Azure portal's Delete left the app registration(s) {left} behind"
    left = {a["client_id"] for a in admin.bc_apps()} - records_before
    assert not left, f"the BC list's Delete left the Microsoft Entra Application(s) {left} behind"
