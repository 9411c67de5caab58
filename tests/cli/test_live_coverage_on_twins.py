"""How much of the suite runs on TARGET=live, kept honest twice:

- the count: collected with TARGET=live, the scenarios that do not need the sandbox are exactly LIVE_SCENARIOS
  of ALL_SCENARIOS (the README states these numbers; change both together);
- the proof: the scenarios made live-capable by the session's UI-made apps (token, failure modes, Business
  Central, Dynamics Mobile Portal) pass as a live run against twins started on the side — no sandbox fixture, no
  admin API, every app made through the Azure portal and Business Central — and the portals' Delete actions leave
  nothing behind. (The golden path's live run is tests/cli/test_live_target_on_twins.py.)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness.sandbox_control import AdminClient, start_sandbox
from tests.cli.twins_as_live import live_environment, trusting_home

PROJECT = Path(__file__).resolve().parents[2]
ALL_SCENARIOS = 35
LIVE_SCENARIOS = 26
# The newly live-capable features and how many of their scenarios run on live / need the sandbox.
NEWLY_LIVE = ("tests/e2e/test_token.py", "tests/e2e/test_failure_modes.py", "tests/e2e/test_business_central.py",
              "tests/e2e/test_dynamics_mobile.py")
NEWLY_LIVE_PASSED, NEWLY_LIVE_SKIPPED = 24, 5
SUMMARY = re.compile(r"(\d+)/(\d+) tests collected \((\d+) deselected\)")


def _pytest(args: list[str], env: dict[str, str], tmp_path: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", *args, "-p", "no:cacheprovider",
                           "--basetemp", str(tmp_path / "run"),
                           "--output", str(tmp_path / "test-results")],
                          cwd=PROJECT, env=env, capture_output=True, text=True, timeout=timeout)


def test_the_number_of_scenarios_that_run_on_live_is_the_stated_one(tmp_path: Path) -> None:
    """Collection only: what a live run would skip before any step is marked `sandbox_only`."""
    fake = {"login": "https://login.example.test", "azure_portal": "https://portal.example.test",
            "business_central": "https://bc.example.test", "bc_api": "https://api.bc.example.test",
            "dynamics_mobile": "https://dm.example.test", "ca_cert": "", "tenant_id": "1" * 8 + "-1111-1111-1111-"
            + "1" * 12, "tenant_name": "Contoso", "admin_user": "admin@contoso.test", "admin_password": "unused-pw1",
            "environment": "Sandbox", "dm_application_area": "DEMO01", "dm_user": "dm@contoso.test",
            "dm_password": "unused-pw2"}
    env = live_environment(fake, tmp_path)
    del env["CA_CERT"]
    run = _pytest(["tests/e2e", "--collect-only", "-q", "-m", "not sandbox_only"], env, tmp_path, 120)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    found = SUMMARY.search(run.stdout)
    assert found, run.stdout[-2000:]
    live, total, sandbox_only = (int(g) for g in found.groups())
    assert (live, total) == (LIVE_SCENARIOS, ALL_SCENARIOS), (
        f"{live} of {total} scenarios run on live ({sandbox_only} need the sandbox); the README says "
        f"{LIVE_SCENARIOS} of {ALL_SCENARIOS}: update both")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("certutil") is None,
                    reason="needs certutil (Debian libnss3-tools; `make setup` installs it as root)")
def test_the_newly_live_scenarios_pass_as_a_live_run_and_clean_up(tmp_path: Path) -> None:
    sandbox = start_sandbox(tmp_path / "state", tmp_path / "endpoints.json")
    try:
        e = sandbox.endpoints
        env = live_environment(e, trusting_home(tmp_path / "home", e["ca_cert"]))
        run = _pytest([*NEWLY_LIVE, "-q", "-rs"], env, tmp_path, 1500)
        assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
        summary = run.stdout.strip().splitlines()[-1]
        assert f"{NEWLY_LIVE_PASSED} passed, {NEWLY_LIVE_SKIPPED} skipped" in summary, summary
        skipped = [line for line in run.stdout.splitlines() if line.startswith("SKIPPED")]
        assert all("sandbox only" in line for line in skipped), skipped  # no skip from inside a scenario
        admin = AdminClient(e)
        assert admin.apps() == [], "the portals' Delete left app registrations behind"
        assert admin.bc_apps() == [], "the BC list's Delete left Microsoft Entra Applications behind"
        admin.close()
    finally:
        sandbox.stop()
