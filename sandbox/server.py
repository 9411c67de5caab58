"""Serve every twin over TLS on loopback, one port per service, from one process and one store.

Ports are bound first (0 = any free port) so each twin knows every other twin's base URL before it is built;
then one uvicorn server per service runs on the same event loop. The endpoints file tells clients where
everything is; it is written only once all servers accept connections.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import secrets
import signal
import socket
import ssl
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from sandbox.context import SERVICES, Sandbox
from sandbox.keys import ensure_signing_key
from sandbox.profiles import apply_profile
from sandbox.seed import ensure_seed
from sandbox.store import Store
from sandbox.tls import ensure_tls

HOST = "127.0.0.1"

# service -> module whose create_app(sandbox) builds its Starlette app
APP_MODULES = {
    "login": "sandbox.entra.app",
    "azure_portal": "sandbox.azure_portal.app",
    "business_central": "sandbox.bc_web.app",
    "bc_api": "sandbox.bc_api.app",
    "dynamics_mobile": "sandbox.dynamics_mobile.app",
    "admin": "sandbox.admin.app",
}


def _not_built(service: str) -> Starlette:
    async def answer(request: Any) -> PlainTextResponse:
        return PlainTextResponse(f"The {service} twin is not part of this build.", status_code=501)

    return Starlette(routes=[Route("/{path:path}", answer, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])])


def build_app(service: str, sandbox: Sandbox) -> Starlette:
    try:
        module = importlib.import_module(APP_MODULES[service])
    except ModuleNotFoundError as exc:
        if exc.name and APP_MODULES[service].startswith(exc.name):
            return _not_built(service)
        raise
    return module.create_app(sandbox)


def open_sandbox(state_dir: Path, profile: str | None = None) -> Sandbox:
    state_dir.mkdir(parents=True, exist_ok=True)
    store = Store(state_dir / "sandbox.sqlite3")
    ensure_seed(store)
    if profile or not store.get("profile"):
        apply_profile(store, profile or "fast")
    admin_token = store.get("admin_token") or secrets.token_urlsafe(24)
    store.put("admin_token", admin_token)
    return Sandbox(store=store, state_dir=state_dir, tls=ensure_tls(state_dir),
                   signing_key=ensure_signing_key(state_dir), admin_token=admin_token)


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
    sandbox = open_sandbox(state_dir, profile)
    sockets = {}
    for index, service in enumerate(SERVICES):
        sockets[service] = _bind(port + index if port else 0)
        sandbox.urls[service] = f"https://{HOST}:{sockets[service].getsockname()[1]}"
    servers = []
    for service in SERVICES:
        config = uvicorn.Config(build_app(service, sandbox), ssl_certfile=str(sandbox.tls.server_cert),
                                ssl_keyfile=str(sandbox.tls.server_key), log_level="warning", access_log=False,
                                lifespan="off", timeout_graceful_shutdown=2)
        server = uvicorn.Server(config)
        server.install_signal_handlers = lambda: None  # one handler below stops them all
        servers.append(server)
    tasks = [asyncio.create_task(s.serve(sockets=[sockets[name]])) for s, name in zip(servers, SERVICES, strict=True)]
    while not all(s.started for s in servers):
        if any(t.done() for t in tasks):
            await asyncio.gather(*tasks)
        await asyncio.sleep(0.02)  # start-up poll, not a wait for behaviour
    info = endpoints(sandbox)
    if endpoints_file:
        endpoints_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = endpoints_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(info, indent=2))
        tmp.replace(endpoints_file)
    public = {k: v for k, v in info.items() if "password" not in k and k not in ("admin_token", "mfa_totp_seed")}
    print(json.dumps(public), flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    for s in servers:
        s.should_exit = True
    await asyncio.gather(*tasks, return_exceptions=True)
    if endpoints_file and endpoints_file.exists():
        endpoints_file.unlink()


def client_ssl_context(ca_cert: Path) -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.load_verify_locations(str(ca_cert))
    return context
