"""`bcoauth sweep`: what crashed runs left (named `APP_NAME <run id>` / `Dynamics Mobile <run id>`) is deleted
once older than --older-than; fresh runs' apps and anything not named by a run stay; --dry-run deletes nothing.
On the sandbox through the admin API (the session's twins), on live through the portals' lists and Delete
actions (TARGET=live against twins started on the side)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from harness.sandbox_control import AdminClient, SandboxProcess, start_sandbox
from tests.cli.conftest import Run, assert_refused
from tests.cli.twins_as_live import live_environment, trusting_home

BCOAUTH = Path(sys.executable).with_name("bcoauth")


def run_id(age: timedelta) -> str:
    """The id a run that started `age` ago had (harness.run_context.new_run_id's format)."""
    return (datetime.now(UTC) - age).strftime("%m%d%H%M") + "-" + "beef"


def plant(admin: AdminClient) -> dict[str, str]:
    """A crashed run's app (2 days old), a fresh run's (1 hour), and someone else's app; name -> client id."""
    names = [f"Dynamics Mobile {run_id(timedelta(days=2))}", f"Dynamics Mobile {run_id(timedelta(hours=1))}",
             "Contoso Payroll"]
    return {name: admin.provision_app(name=name)["client_id"] for name in names}


def listed(admin: AdminClient) -> tuple[set[str], set[str]]:
    """Display names of the app registrations, Descriptions of the BC records."""
    return {a["display_name"] for a in admin.apps()}, {a["description"] for a in admin.bc_apps()}


@pytest.fixture
def planted(admin: AdminClient) -> Iterator[dict[str, str]]:
    apps = plant(admin)
    yield apps
    left = {a["client_id"] for a in admin.apps()}
    for client_id in apps.values():
        if client_id in left:
            admin.remove_app(client_id)


@pytest.fixture
def endpoints_file(sandbox_process: SandboxProcess | None) -> str:
    if sandbox_process is None:
        pytest.skip("needs the local twins (TARGET=sandbox)")
    return str(sandbox_process.endpoints_file)


def test_a_dry_run_lists_the_stale_and_the_fresh_and_deletes_nothing(bcoauth: Run, endpoints_file: str,
                                                                      admin: AdminClient,
                                                                      planted: dict[str, str]) -> None:
    before = listed(admin)
    result = bcoauth("sweep", "--older-than", "24h", "--dry-run", "--endpoints-file", endpoints_file)
    assert result.returncode == 0, result.stderr
    stale, fresh, foreign = planted
    rows = result.stdout.splitlines()
    assert sum(stale in r and r.rstrip().endswith("would delete") for r in rows) == 2, rows  # app and BC record
    assert sum(fresh in r and r.rstrip().endswith("kept (younger)") for r in rows) == 2, rows
    assert not any(foreign in r for r in rows), "an app not named by a run was listed"
    assert "role DMSAGENT" in result.stdout and "left as found" in result.stdout
    assert rows[-1] == "sweep: 4 named by a run, 2 older than 24h, would delete 2", rows[-1]
    assert listed(admin) == before, "a dry run deleted something"


def test_the_sweep_deletes_only_what_is_older_than_asked(bcoauth: Run, endpoints_file: str, admin: AdminClient,
                                                         planted: dict[str, str]) -> None:
    stale, fresh, foreign = planted
    result = bcoauth("sweep", "--older-than", "24h", "--endpoints-file", endpoints_file)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "sweep: 4 named by a run, 2 older than 24h, deleted 2"
    apps, records = listed(admin)
    assert stale not in apps and stale not in records, "the stale app or its BC record is still there"
    assert {fresh, foreign} <= apps and {fresh, foreign} <= records, "the sweep deleted a fresh or foreign app"
    # A shorter age makes the fresh one stale too.
    again = bcoauth("sweep", "--older-than", "30m", "--endpoints-file", endpoints_file)
    assert again.returncode == 0 and again.stdout.splitlines()[-1].endswith("older than 30m, deleted 2")
    assert fresh not in listed(admin)[0] and foreign in listed(admin)[0]


@pytest.mark.parametrize("age", ["yesterday", "0h", "-5m", "24", "1e400d", "99999999999d"])
def test_a_bad_age_is_refused_in_one_line(bcoauth: Run, age: str) -> None:
    assert_refused(bcoauth("sweep", f"--older-than={age}"), "--older-than", "e.g. 24h")


@pytest.mark.skipif(shutil.which("certutil") is None, reason="needs certutil (Debian libnss3-tools)")
def test_on_live_the_sweep_goes_through_the_portals(tmp_path: Path) -> None:
    sandbox = start_sandbox(tmp_path / "state", tmp_path / "endpoints.json")
    try:
        admin = AdminClient(sandbox.endpoints)
        stale, fresh, foreign = plant(admin)
        env = live_environment(sandbox.endpoints, trusting_home(tmp_path / "home", sandbox.endpoints["ca_cert"]))
        dry = _live_sweep(env, tmp_path, "--dry-run")
        assert dry.returncode == 0 and dry.stdout.splitlines()[-1].endswith("would delete 2"), dry.stdout + dry.stderr
        assert len(admin.apps()) == 3 and len(admin.bc_apps()) == 3
        run = _live_sweep(env, tmp_path)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
        assert run.stdout.splitlines()[-1] == "sweep: 4 named by a run, 2 older than 24h, deleted 2", run.stdout
        apps, records = listed(admin)
        assert apps == {fresh, foreign} and records == {fresh, foreign}, (apps, records)
        admin.close()
    finally:
        sandbox.stop()


def _live_sweep(env: dict[str, Any], cwd: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BCOAUTH), "sweep", "--older-than", "24h", *extra], capture_output=True, text=True,
                          timeout=300, cwd=cwd, env=env)
