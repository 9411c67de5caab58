"""`bcoauth sandbox serve` as a user starts it: the settings it documents are validated (and used, flags winning),
and every start-up failure (port taken, state folder unwritable or corrupted, unusable key, endpoints file not
writable) is one line naming what and where, with the fix, exit code 2, no traceback."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import BCOAUTH, Run, assert_refused, clean_environment


def _serve(*args: str, cwd: Path, env: dict[str, str] | None = None,
           timeout_s: float = 60) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    """Start `bcoauth sandbox serve ARGS` and wait (with a deadline) for the endpoints file it writes."""
    endpoints = cwd / "endpoints.json"
    process = subprocess.Popen([str(BCOAUTH), "sandbox", "serve", "--endpoints-file", str(endpoints), *args],
                               cwd=cwd, env=clean_environment(**(env or {})), text=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout_s
    while not endpoints.exists():
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}: {process.stderr.read()}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"serve wrote no endpoints file within {timeout_s} s")
        time.sleep(0.05)  # wait-ok: polling for the child's endpoints file, with a deadline
    return process, json.loads(endpoints.read_text())


def _stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=15) == 0


@pytest.fixture(scope="module")
def made_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A state folder as a first start leaves it (store, CA, keys): copied, then damaged, by the tests below."""
    root = tmp_path_factory.mktemp("made-state")
    process, _ = _serve("--state", str(root / "state"), cwd=root)
    _stop(process)
    return root / "state"


@pytest.fixture
def state(made_state: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "state"
    shutil.copytree(made_state, copy)
    return copy


def _serve_refused(bcoauth: Run, tmp_path: Path, *args: str, env: dict[str, str] | None = None,
                   needles: tuple[str, ...] = (), lines: int = 1) -> list[str]:
    # A start that wrongly succeeds would serve forever: the timeout kills it and fails the test.
    result = bcoauth("sandbox", "serve", "--endpoints-file", str(tmp_path / "endpoints.json"), *args, env=env,
                     timeout=60)
    said = assert_refused(result, *needles, lines=lines)
    assert not (tmp_path / "endpoints.json").exists(), "a refused start left an endpoints file"
    return said


def test_serve_validates_the_settings_it_reads_one_line_each(bcoauth: Run, tmp_path: Path) -> None:
    env = {"TARGET": "prod", "SANDBOX_PORT": "70000", "UI_TIMEOUT_S": "abc"}
    lines = _serve_refused(bcoauth, tmp_path, "--state", str(tmp_path / "state"), env=env, lines=3)
    assert sorted(line.split("=")[0] for line in lines) == sorted(env)
    assert not (tmp_path / "state").exists()


def test_serve_refuses_a_malformed_dotenv(bcoauth: Run, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SANDBOX_PROFILE='chaos\n")
    _serve_refused(bcoauth, tmp_path, "--state", str(tmp_path / "state"), needles=(".env line 1", "quote"))


def test_serve_uses_the_settings_and_its_flags_win(tmp_path: Path) -> None:
    keep = tmp_path / "keep"
    env = {"SANDBOX_STATE_DIR": str(keep), "SANDBOX_PROFILE": "realistic"}
    process, endpoints = _serve(cwd=tmp_path, env=env)
    try:
        assert endpoints["profile"] == "realistic"
        assert Path(endpoints["ca_cert"]).parent == (keep / "state").resolve()
    finally:
        _stop(process)
    process, endpoints = _serve("--profile", "fast", cwd=tmp_path, env=env)
    try:
        assert endpoints["profile"] == "fast"
        assert Path(endpoints["ca_cert"]).parent == (keep / "state").resolve()  # same state, restarted
    finally:
        _stop(process)


def test_a_taken_port_names_port_and_the_fix(bcoauth: Run, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        if port > 65530:
            pytest.skip("the free port the OS gave is too high to be a first port")
        said, = _serve_refused(bcoauth, tmp_path, "--port", str(port), "--state", str(tmp_path / "state"),
                               needles=("--port", "in use", "0 = any free"))
    assert str(port) in said


def test_a_state_path_that_cannot_be_a_folder_names_state(bcoauth: Run, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    state = tmp_path / "a-file" / "state"
    said, = _serve_refused(bcoauth, tmp_path, "--state", str(state), needles=(str(state), "--state"))
    assert "--port" not in said


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_state_folder_names_state(bcoauth: Run, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        said, = _serve_refused(bcoauth, tmp_path, "--state", str(locked / "state"), needles=("--state",))
    finally:
        locked.chmod(0o700)
    assert "--port" not in said


def test_an_endpoints_file_that_cannot_be_written_names_it(bcoauth: Run, tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.json"
    folder.mkdir()
    result = bcoauth("sandbox", "serve", "--state", str(tmp_path / "state"), "--endpoints-file", str(folder),
                     timeout=60)
    assert_refused(result, str(folder), "--endpoints-file")


def test_a_corrupted_store_says_delete_or_choose_another_state(bcoauth: Run, tmp_path: Path, state: Path) -> None:
    for side in state.glob("sandbox.sqlite3-*"):
        side.unlink()
    (state / "sandbox.sqlite3").write_bytes(b"this is not an SQLite database\n" * 256)
    _serve_refused(bcoauth, tmp_path, "--state", str(state), needles=("corrupted", f"delete {state}", "--state"))


def test_an_empty_signing_key_is_refused_at_start_up(bcoauth: Run, tmp_path: Path, state: Path) -> None:
    """Before: the sandbox started, and every token request was a 500."""
    (state / "signing-key.pem").write_bytes(b"")
    _serve_refused(bcoauth, tmp_path, "--state", str(state), needles=("signing-key.pem", "--state"))


def test_a_garbled_tls_key_is_refused_at_start_up(bcoauth: Run, tmp_path: Path, state: Path) -> None:
    (state / "server-key.pem").write_text("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")
    _serve_refused(bcoauth, tmp_path, "--state", str(state), needles=("server-key.pem", "--state"))

