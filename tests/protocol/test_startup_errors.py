"""The sandbox refuses to start with one line naming the problem and its fix (`sandbox.errors.StartupError`),
never a traceback or a sandbox whose every request is a 500: bad ports, an unwritable or corrupted state folder,
unusable key or TLS files, an unwritable endpoints file. The last tests go through the real `bcoauth` entry point.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sandbox.errors import StartupError
from sandbox.server import open_sandbox, serve
from sandbox.tls import ensure_tls

PORT_FIX = "choose another --port (0 = any free)"


def start(state: Path, port: int = 0, endpoints: Path | None = None, profile: str | None = None) -> str:
    """The StartupError's message (the test fails if the sandbox would have started)."""
    with pytest.raises(StartupError) as caught, ThreadPoolExecutor(1) as thread:
        # A thread of its own: in a worker that already drove a browser, Playwright's sync API holds this
        # thread's event loop, and asyncio.run refuses to start another here (pytest-xdist mixes the tests).
        thread.submit(asyncio.run, serve(state, port, endpoints, profile)).result()
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


@pytest.fixture(scope="module")
def good_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete state folder, made once; tests that damage state work on a copy."""
    state = tmp_path_factory.mktemp("startup") / "state"
    open_sandbox(state).store.put("probe", 1)
    return state


@pytest.fixture
def state(good_state: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "state"
    shutil.copytree(good_state, copy)
    return copy


def corrupted(state: Path, reason: str) -> str:
    return f"state folder {state} is corrupted ({reason}): delete {state} or choose another --state"


# --- ports ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("port", [70000, -1, 65533, 65531])
def test_a_port_range_that_does_not_fit_six_ports_is_refused(good_state, port):
    message = start(good_state, port)
    assert message.startswith(f"--port {port} is out of range: the sandbox needs six consecutive ports")
    assert message.endswith(PORT_FIX)


def _free_run_of_ports() -> tuple[int, socket.socket]:
    """(first, blocker): first..first+1 free and first+2 held by `blocker`."""
    for _ in range(50):
        blocker = socket.socket()
        blocker.bind(("127.0.0.1", 0))
        blocker.listen(1)
        taken = blocker.getsockname()[1]
        first = taken - 2
        try:
            for port in (first, first + 1):
                probe = socket.socket()
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind(("127.0.0.1", port))
                probe.close()
        except OSError:
            blocker.close()
            continue
        return first, blocker
    pytest.skip("no run of three free ports found")


def test_a_port_in_use_is_named_and_the_ports_bound_before_it_are_released(good_state):
    first, blocker = _free_run_of_ports()
    with blocker:
        message = start(good_state, first)
        assert message == (f"port {first + 2} is in use; the sandbox needs six consecutive ports free from "
                           f"--port {first}; {PORT_FIX}")
    for port in (first, first + 1):  # the sandbox closed what it had bound
        with socket.socket() as again:
            again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            again.bind(("127.0.0.1", port))


# --- state folder -----------------------------------------------------------------------------------------

def test_a_state_folder_that_cannot_be_created_is_named(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for state in (blocker / "state", blocker):
        message = start(state)
        assert message.startswith(f"cannot write the state folder {state}: ")
        assert message.endswith("; choose another --state")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_state_folder_is_named(tmp_path):
    state = tmp_path / "state"
    state.mkdir(mode=0o500)
    assert start(state) == f"cannot write the state folder {state}: Permission denied; choose another --state"


def test_a_database_that_is_no_database_is_corruption(state):
    (state / "sandbox.sqlite3").write_bytes(b"this is not a database, just text" * 200)
    for side in ("sandbox.sqlite3-wal", "sandbox.sqlite3-shm"):
        (state / side).unlink(missing_ok=True)
    assert start(state) == corrupted(state, "sandbox.sqlite3: file is not a database")


def test_a_database_with_damaged_pages_is_corruption(state):
    db = state / "sandbox.sqlite3"
    open_sandbox(state).store.run("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    data[4096 + 8: 4096 + 64] = b"\xff" * 56  # the second page's header and cell pointers
    db.write_bytes(bytes(data))
    message = start(state)
    assert message.startswith(f"state folder {state} is corrupted (sandbox.sqlite3: ")
    assert message.endswith(f"delete {state} or choose another --state")


# --- key and TLS files ------------------------------------------------------------------------------------

def _other_key_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("signing-key.pem", b"", "signing-key.pem: it is empty"),
    ("signing-key.pem", b"-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n",
     "signing-key.pem: not an unencrypted PEM private key"),
    ("signing-key.pem", "other key", "signing-key.pem: not the RSA key of signing-cert.der"),
    ("signing-key.pem", "folder", "signing-key.pem: cannot read it (Is a directory)"),
    ("signing-cert.der", b"\x30\x03\x02\x01\x01", "signing-cert.der: not a DER certificate"),
    ("server.pem", b"garbage\n", "server.pem: not a PEM certificate"),
    ("server-key.pem", b"   \n", "server-key.pem: it is empty"),
    ("server-key.pem", "other key", "server-key.pem: not the key of server.pem"),
    ("ca.pem", "other CA", "server.pem: not issued by ca.pem"),
])
def test_unusable_key_and_tls_files_are_corruption(state, tmp_path, name, content, reason):
    path = state / name
    if content == "folder":
        path.unlink()
        path.mkdir()
    elif content == "other key":
        path.write_bytes(_other_key_pem())
    elif content == "other CA":
        path.write_bytes(ensure_tls(tmp_path / "elsewhere").ca_cert.read_bytes())
    else:
        path.write_bytes(content)
    assert start(state) == corrupted(state, reason)


def test_missing_key_files_are_made_again(state):
    (state / "signing-key.pem").unlink()
    (state / "server-key.pem").unlink()
    box = open_sandbox(state)
    assert box.signing_key.private_pem and box.tls.server_key.exists()


# --- endpoints file and profile ---------------------------------------------------------------------------

def test_an_endpoints_file_that_cannot_be_written_is_named(state, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    folder = tmp_path / "a-folder"
    folder.mkdir()
    for endpoints in (blocker / "endpoints.json", folder):
        message = start(state, endpoints=endpoints)
        assert message.startswith(f"cannot write the endpoints file {endpoints}: ")
        assert message.endswith("; choose another --endpoints-file")


def test_an_unknown_profile_is_refused(good_state):
    assert start(good_state, profile="turbo") == "unknown profile 'turbo'; choose --profile fast or realistic or chaos"


# --- through the CLI --------------------------------------------------------------------------------------

def _bcoauth(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harness.cli", "sandbox", "serve", *args], capture_output=True,
                          text=True, timeout=60, check=False)


def test_the_cli_prints_the_one_line_and_exits_2(state, tmp_path):
    (state / "signing-key.pem").write_bytes(b"")
    done = _bcoauth("--state", str(state), "--endpoints-file", str(tmp_path / "e.json"))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"bcoauth: {corrupted(state, 'signing-key.pem: it is empty')}"]
    assert not (tmp_path / "e.json").exists()


def test_settings_stored_before_the_checks_existed_are_forgotten(state):
    """A NaN clock or token_lifetime_s="abc" (the old admin API stored both) would make every request a 500."""
    box = open_sandbox(state)
    box.store.put("clock_offset_s", float("nan"))
    box.set_option("token_lifetime_s", "abc")
    box.set_option("portal_layout", "iframe")
    again = open_sandbox(state)
    assert again.store.get("clock_offset_s") == 0.0
    assert again.option("token_lifetime_s") is None
    assert again.option("portal_layout") == "iframe"  # a usable option stays
