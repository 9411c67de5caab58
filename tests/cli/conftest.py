"""Running the real `bcoauth` entry point as a user would, and judging what it says when the input is bad."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import redirect_stderr, redirect_stdout, suppress
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from harness.sandbox_control import AdminClient, SandboxError, SandboxProcess
from harness.settings import KNOWN_VARIABLES, Settings

BCOAUTH = Path(sys.executable).with_name("bcoauth")  # the console script pip installed, not `python -m`
# Seeded credentials in the endpoints file: no message may show them.
ENDPOINT_SECRETS = ("admin_token", "admin_password", "mfa_password", "mfa_totp_seed", "dm_password")

Run = Callable[..., subprocess.CompletedProcess[str]]


def clean_environment(**overrides: str) -> dict[str, str]:
    """The test process's environment without any harness setting (an outer `SANDBOX_PROFILE=chaos` or
    `TRACING=on` must not change what a test sees) and reading no `.env` (ENV_FILE=/dev/null: not the project's),
    plus `overrides`."""
    return {**{k: v for k, v in os.environ.items() if k not in KNOWN_VARIABLES}, "ENV_FILE": os.devnull,
            **overrides}


@pytest.fixture
def bcoauth(tmp_path: Path, request: pytest.FixtureRequest) -> Run:
    """`bcoauth ARGS…` in an empty working folder (so no `.env` is read unless the test writes one).

    Commands that only read settings and files and answer (most of these tests) run in this process through the
    console script's own `main` (~0.5 s of interpreter start-up less each); `sandbox serve`, anything that starts
    a browser, and tests marked `real_process` run the installed console script. `test_in_process_runs_match`
    holds the two ways to the same output."""
    assert BCOAUTH.is_file(), f"{BCOAUTH} is missing: run `make setup` (pip install -e .)"
    real = request.node.get_closest_marker("real_process") is not None

    def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
        folder = cwd or tmp_path
        dotenv = folder / ".env"  # the test's own .env if it wrote one
        own = {"ENV_FILE": str(dotenv)} if dotenv.exists() or dotenv.is_symlink() else {}
        environment = clean_environment(**{**own, **(env or {})})
        if real or not in_process_safe(args) or "PYTHONPATH" in (env or {}):
            return subprocess.run([str(BCOAUTH), *args], capture_output=True, text=True, timeout=timeout,
                                  cwd=folder, env=environment)
        return run_in_process(args, environment, folder)

    return run


# Commands that start servers, browsers or the sandbox's own event loop need a process of their own.
NEEDS_A_PROCESS = {("sandbox", "serve"), ("doctor",), ("sweep",), ("login",)}


def in_process_safe(args: Iterable[str]) -> bool:
    words = tuple(args)
    return not any(words[:len(prefix)] == prefix for prefix in NEEDS_A_PROCESS)


def run_in_process(args: Iterable[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`flows.cli.main(args)` as the console script runs it, with this environment and working folder and its
    output captured; the exit status as the process would have it (argparse's SystemExit included)."""
    from flows.cli import main  # the console script's target (pyproject: bcoauth = "flows.cli:main")

    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_cwd = dict(os.environ), Path.cwd()
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                if isinstance(exc.code, str):
                    print(exc.code, file=sys.stderr)
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
    return subprocess.CompletedProcess([str(BCOAUTH), *args], code, out.getvalue(), err.getvalue())


def assert_refused(result: subprocess.CompletedProcess[str], *needles: str, lines: int = 1,
                   secrets: Iterable[str] = ()) -> list[str]:
    """Exit code 2, `lines` lines on stderr and nothing on stdout, no traceback, every needle said, no secret."""
    said = result.stderr.splitlines()
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert len(said) == lines, said
    assert result.stdout == "", result.stdout
    for needle in needles:
        assert needle in result.stderr, (needle, said)
    for secret in secrets:
        assert secret and secret not in result.stderr + result.stdout, "a secret was echoed"
    return said


@pytest.fixture
def shared_endpoints(sandbox_process: SandboxProcess | None) -> dict[str, Any]:
    """The session's running sandbox (shared with the other tests): CLI tests that are not about start-up use it."""
    if sandbox_process is None:
        pytest.skip("needs the local twins (TARGET=sandbox)")
    return json.loads(sandbox_process.endpoints_file.read_text())


@pytest.fixture
def endpoint_secrets(shared_endpoints: dict[str, Any]) -> list[str]:
    return [shared_endpoints[key] for key in ENDPOINT_SECRETS if shared_endpoints.get(key)]


@pytest.fixture
def lent_sandbox(sandbox_process: SandboxProcess | None, admin: AdminClient,
                 settings: Settings) -> Iterator[dict[str, Any]]:
    """The session's running sandbox, lent to a nested run that drives it as TARGET=live (no start-up of its own).

    Such a run changes what a live run leaves behind: the Portal's agent role in the seeded application area (on
    live it stays). That role is put back afterwards, so later tests in this worker find the sandbox as before;
    what the run created and deleted is for the test to compare (e.g. `admin.apps()` before and after)."""
    assert sandbox_process is not None  # `admin` has skipped on TARGET=live already
    role = f"/admin/dm/roles/{quote(settings.dm_application_area, safe='')}/{quote(settings.dm_role_id, safe='')}"
    snapshot = None
    with suppress(SandboxError):  # no such role yet: it is deleted afterwards instead
        admin.call("GET", role)
        snapshot = admin.call("POST", role + "/snapshot")["snapshot"]
    yield sandbox_process.endpoints
    if snapshot is not None:
        admin.call("POST", role + "/restore", json={"snapshot": snapshot})
    else:
        with suppress(SandboxError):  # the run never got as far as creating it
            admin.call("DELETE", role)
