"""Serve every twin over TLS on loopback, one port per service, from one process and one store.

Ports are bound first (0 = any free port) so each twin knows every other twin's base URL before it is built;
then one uvicorn server per service runs on the same event loop. The endpoints file tells clients where
everything is; it is written only once all servers accept connections.

Secrets at rest: the state folder is created 0700; the database (and its -wal/-shm), the private keys and the
endpoints file are 0600. Every start-up problem (port, state folder, key files, endpoints file) is a
`StartupError`: one line naming the problem and the fix, which the CLI prints with exit code 2.
"""

from __future__ import annotations

import asyncio
import errno
import json
import math
import os
import secrets
import signal
import socket
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.types import ASGIApp

from sandbox.admin import app as admin_app
from sandbox.admin.app import MAX_CLOCK_OFFSET_S
from sandbox.admin.options import problem as option_problem
from sandbox.azure_portal import app as azure_portal_app
from sandbox.bc_api import app as bc_api_app
from sandbox.bc_web import app as bc_web_app
from sandbox.context import SERVICES, Sandbox
from sandbox.dynamics_mobile import app as dynamics_mobile_app
from sandbox.entra import app as entra_app
from sandbox.errors import BadStateFile, StartupError, one_line
from sandbox.keys import ensure_signing_key
from sandbox.private_files import make_parents, make_private_dir, write_private
from sandbox.profiles import PROFILES, apply_profile
from sandbox.same_origin import guard_browser_twin
from sandbox.seed import ensure_seed
from sandbox.store import Store
from sandbox.tables import open_store
from sandbox.tls import ensure_tls

HOST = "127.0.0.1"
DATABASE = "sandbox.sqlite3"
PORT_FIX = "choose another --port (0 = any free)"
STATE_FIX = "choose another --state"
PORTS_NEEDED = ("six" if len(SERVICES) == 6 else str(len(SERVICES))) + " consecutive ports"

# service -> the create_app(sandbox) that builds its Starlette app
APP_FACTORIES: dict[str, Callable[[Sandbox], Starlette]] = {
    "login": entra_app.create_app,
    "azure_portal": azure_portal_app.create_app,
    "business_central": bc_web_app.create_app,
    "bc_api": bc_api_app.create_app,
    "dynamics_mobile": dynamics_mobile_app.create_app,
    "admin": admin_app.create_app,
}


def build_app(service: str, sandbox: Sandbox) -> ASGIApp:
    """The twin's app; browser-facing twins behind the same-origin guard (token endpoint, BC API and admin API
    are server-to-server and stay outside it)."""
    app = APP_FACTORIES[service](sandbox)
    return guard_browser_twin(app, sandbox, service)


def _prepare_state_dir(state_dir: Path) -> None:
    """Create the state folder 0700 and prove it is writable, or say which folder and why not."""
    try:
        make_private_dir(state_dir)
        with tempfile.TemporaryFile(dir=state_dir):
            pass
    except OSError as exc:
        raise StartupError(f"cannot write the state folder {state_dir}: {one_line(exc)}; {STATE_FIX}") from exc


def _corrupted(state_dir: Path, reason: str) -> StartupError:
    return StartupError(f"state folder {state_dir} is corrupted ({reason}): delete {state_dir} or {STATE_FIX}")


def _open_store(state_dir: Path) -> Store:
    try:
        store = open_store(state_dir / DATABASE)
        store.check_integrity()
        ensure_seed(store)
        return store
    except sqlite3.OperationalError as exc:  # cannot open or write, or busy: not damage
        reason = one_line(exc)
        if "locked" in reason:
            raise StartupError(f"state folder {state_dir} is in use by another sandbox ({DATABASE}: {reason}); "
                               f"stop it or {STATE_FIX}") from exc
        raise StartupError(f"cannot write the state folder {state_dir}: {DATABASE}: {reason}; {STATE_FIX}") from exc
    except sqlite3.DatabaseError as exc:
        raise _corrupted(state_dir, f"{DATABASE}: {one_line(exc)}") from exc
    except json.JSONDecodeError as exc:
        raise _corrupted(state_dir, f"{DATABASE}: a stored value is not JSON") from exc
    except OSError as exc:
        raise StartupError(f"cannot write the state folder {state_dir}: {DATABASE}: {one_line(exc)}; "
                           f"{STATE_FIX}") from exc


def _forget_unusable_settings(store: Store) -> None:
    """State written before the admin API checked its bodies may hold a NaN clock or an option no twin can use
    (e.g. token_lifetime_s="abc"): back to the defaults rather than a 500 on every request."""
    offset = store.get("clock_offset_s", 0.0)
    if isinstance(offset, bool) or not isinstance(offset, int | float) or not math.isfinite(offset) \
            or abs(offset) > MAX_CLOCK_OFFSET_S:
        store.reset_clock()
    for row in store.all("SELECT key, value FROM kv WHERE key LIKE 'opt:%'"):
        if option_problem(row["key"][4:], json.loads(row["value"])):
            store.run("DELETE FROM kv WHERE key = ?", row["key"])


def open_sandbox(state_dir: Path, profile: str | None = None) -> Sandbox:
    """The store, keys and seed of `state_dir` (made on first start); StartupError names what is wrong."""
    if profile is not None and profile not in PROFILES:
        raise StartupError(f"unknown profile {profile!r}; choose --profile {' or '.join(PROFILES)}")
    _prepare_state_dir(state_dir)
    store = _open_store(state_dir)
    _forget_unusable_settings(store)
    if profile or not store.get("profile"):
        apply_profile(store, profile or "fast")
    admin_token = store.get("admin_token") or secrets.token_urlsafe(24)
    store.put("admin_token", admin_token)
    try:
        tls, signing_key = ensure_tls(state_dir), ensure_signing_key(state_dir)
    except BadStateFile as exc:
        raise _corrupted(state_dir, str(exc)) from exc
    except OSError as exc:  # making missing key files
        raise StartupError(f"cannot write the state folder {state_dir}: {one_line(exc)}; {STATE_FIX}") from exc
    return Sandbox(store=store, state_dir=state_dir, tls=tls, signing_key=signing_key, admin_token=admin_token)


def _check_port_range(port: int) -> None:
    last = port + len(SERVICES) - 1
    if port != 0 and not 1 <= port <= 65535 - (len(SERVICES) - 1):
        raise StartupError(f"--port {port} is out of range: the sandbox needs {PORTS_NEEDED} ({port}..{last}), "
                           f"all within 1..65535; {PORT_FIX}")


def _bind_all(port: int) -> dict[str, socket.socket]:
    """One listening socket per service: `port`, `port`+1, … (or any free ports for 0)."""
    sockets: dict[str, socket.socket] = {}
    for index, service in enumerate(SERVICES):
        wanted = port + index if port else 0
        try:
            sockets[service] = _bind(wanted)
        except OSError as exc:
            for sock in sockets.values():
                sock.close()
            what = "is in use" if exc.errno == errno.EADDRINUSE else f"cannot be used ({one_line(exc)})"
            raise StartupError(f"port {wanted} {what}; the sandbox needs {PORTS_NEEDED} free from --port {port}; "
                               f"{PORT_FIX}") from exc
    return sockets


def _check_endpoints_file(path: Path) -> None:
    """Fail before serving, not after, when the endpoints file cannot be written."""
    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "it is a folder")
        make_parents(path)
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as exc:
        raise StartupError(f"cannot write the endpoints file {path}: {one_line(exc)}; "
                           "choose another --endpoints-file") from exc


def _write_endpoints(path: Path, info: dict[str, Any]) -> None:
    """0600: the file holds the admin token and every seeded password."""
    try:
        write_private(path, json.dumps(info, indent=2).encode())
    except OSError as exc:
        raise StartupError(f"cannot write the endpoints file {path}: {one_line(exc)}; "
                           "choose another --endpoints-file") from exc


def _bind(port: int) -> socket.socket:
    # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY on accepted sockets only when proto says TCP; without it
    # Nagle holds each response body until the client's delayed ACK, ~40 ms per request.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def endpoints(sandbox: Sandbox) -> dict[str, Any]:
    seed = sandbox.seed
    return {
        "ca_cert": str(sandbox.tls.ca_cert.resolve()),
        "spki_sha256": sandbox.tls.spki_sha256,
        "login": sandbox.urls["login"],
        "azure_portal": sandbox.urls["azure_portal"],
        "business_central": sandbox.urls["business_central"],
        "bc_api": sandbox.urls["bc_api"],
        "dynamics_mobile": sandbox.urls["dynamics_mobile"],
        "admin_url": sandbox.urls["admin"],
        "admin_token": sandbox.admin_token,
        "profile": sandbox.store.get("profile"),
        **{k: seed[k] for k in ("tenant_id", "tenant_name", "tenant_domain", "admin_user", "admin_password",
                                "mfa_user", "mfa_password", "mfa_totp_seed", "environment", "company",
                                "dm_application_area", "dm_user", "dm_password")},
        "pid": os.getpid(),
    }


async def serve(state_dir: Path, port: int = 0, endpoints_file: Path | None = None,
                profile: str | None = None) -> None:
    """Serve until SIGINT/SIGTERM. Every start-up problem is a StartupError (one line: what, where, the fix)."""
    _check_port_range(port)
    sandbox = open_sandbox(state_dir, profile)
    if endpoints_file:
        _check_endpoints_file(endpoints_file)
    sockets = _bind_all(port)
    for service, sock in sockets.items():
        sandbox.urls[service] = f"https://{HOST}:{sock.getsockname()[1]}"
    servers = []
    for service in SERVICES:
        config = uvicorn.Config(build_app(service, sandbox), ssl_certfile=str(sandbox.tls.server_cert),
                                ssl_keyfile=str(sandbox.tls.server_key), log_level="warning", access_log=False,
                                lifespan="off", timeout_graceful_shutdown=2)
        server = uvicorn.Server(config)
        server.install_signal_handlers = lambda: None  # one handler below stops them all
        servers.append(server)
    tasks = [asyncio.create_task(s.serve(sockets=[sockets[name]])) for s, name in zip(servers, SERVICES, strict=True)]

    async def stop_all() -> None:
        for s in servers:
            s.should_exit = True
        await asyncio.gather(*tasks, return_exceptions=True)

    while not all(s.started for s in servers):
        if any(t.done() for t in tasks):
            await stop_all()
            await asyncio.gather(*tasks)  # re-raise what stopped a server
            raise StartupError("a twin stopped while starting; see the log above")
        await asyncio.sleep(0.02)  # start-up poll, not a wait for behaviour
    info = endpoints(sandbox)
    if endpoints_file:
        try:
            _write_endpoints(endpoints_file, info)
        except StartupError:
            await stop_all()
            raise
    public = {k: v for k, v in info.items() if "password" not in k and k not in ("admin_token", "mfa_totp_seed")}
    print(json.dumps(public), flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await stop_all()
    if endpoints_file and endpoints_file.exists():
        endpoints_file.unlink()
