"""Secrets at rest: the state folder is 0700; the database and its -wal/-shm side files, the private keys and the
endpoints file are 0600, whatever the umask, also for state written 0644 by an older version."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.sandbox_control import start_sandbox
from sandbox.server import open_sandbox

SECRET_FILES = ("sandbox.sqlite3", "sandbox.sqlite3-wal", "sandbox.sqlite3-shm", "signing-key.pem", "server-key.pem")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The most common umask (022): files would be 0644 unless the sandbox says otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_served_sandbox_keeps_its_state_and_endpoints_owner_only(tmp_path, loose_umask):
    process = start_sandbox(tmp_path / "state", tmp_path / "out" / "endpoints.json", log_file=tmp_path / "log")
    try:
        state = tmp_path / "state"
        assert mode(state) == 0o700
        for name in SECRET_FILES:
            assert mode(state / name) == 0o600, name
        assert mode(tmp_path / "out" / "endpoints.json") == 0o600
        assert not [p.name for p in (tmp_path / "out").iterdir() if p.name != "endpoints.json"]  # no temp left
        assert mode(state / "ca.pem") & 0o077 == 0o044  # public: clients of other users may trust it
    finally:
        process.stop()


def test_opening_tightens_state_written_0644_and_restores_the_umask(tmp_path, loose_umask):
    state = tmp_path / "state"
    open_sandbox(state).store.put("probe", 1)
    for name in SECRET_FILES:
        if (state / name).exists():
            (state / name).chmod(0o644)
    box = open_sandbox(state)
    box.store.put("probe", 2)  # a write, so the WAL exists
    for name in SECRET_FILES:
        assert mode(state / name) == 0o600, name
    assert os.umask(0o022) == 0o022  # opening the database put the caller's umask back


def test_an_existing_state_folder_is_used_as_it_is(tmp_path, loose_umask):
    """A folder the user made keeps its mode (it may be shared); the files in it are still 0600."""
    state = tmp_path / "mine"
    state.mkdir(mode=0o755)
    open_sandbox(state)
    assert mode(state) == 0o755
    assert mode(state / "sandbox.sqlite3") == 0o600
