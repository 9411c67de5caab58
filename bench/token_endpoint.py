"""The Entra twin's token endpoint: msal acquisitions through the harness (fresh client → a real POST each time,
same client → msal's cache), and raw concurrent client-credentials POSTs for throughput."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack

import httpx

from bench.figures import Figure
from bench.sandbox_env import BenchApp, BenchSandbox
from bench.stats import run_load, time_calls
from harness import transcripts
from harness.http import ssl_context
from harness.oauth import BC_SCOPE, acquire_app_token, new_app

WARM_UP = 5


def _acquire(box: BenchSandbox, app: BenchApp, expected_source: str, msal_app: object = None) -> Callable[[], None]:
    def call() -> None:
        result = acquire_app_token(box.settings, app.client_id, app.client_secret, app=msal_app)  # type: ignore[arg-type]
        transcripts.drain()  # nobody attaches them here; keep the log from growing
        if result.source != expected_source:
            raise RuntimeError(f"token came from {result.source!r}, expected {expected_source!r}")

    return call


def sequential(box: BenchSandbox, count: int, budget_s: float) -> list[Figure]:
    app = box.new_app()
    call = _acquire(box, app, "identity_provider")
    for _ in range(WARM_UP):
        call()
    lat = time_calls(call, count, budget_s)
    notes = (f"{lat.note()}; acquire_app_token with a fresh msal client each time: tenant discovery GET + token "
             "POST + RS256 verification, new TLS connection")
    return [Figure("Token via msal (sequential), p50", lat.ms(50), "ms", notes),
            Figure("Token via msal (sequential), p95", lat.ms(95), "ms", lat.note()),
            Figure("Token via msal (sequential), max", lat.max_ms, "ms", lat.note())]


def cache_hit(box: BenchSandbox, count: int, budget_s: float) -> list[Figure]:
    app = box.new_app()
    msal_app = new_app(box.settings, app.client_id, app.client_secret)
    _acquire(box, app, "identity_provider", msal_app)()  # fills msal's cache
    lat = time_calls(_acquire(box, app, "cache", msal_app), count, budget_s)
    return [Figure("Token from msal cache, p50", lat.ms(50), "ms",
                   f"{lat.note()}; same msal client (token_source=cache), includes the harness's JWT verification")]


def concurrent(box: BenchSandbox, threads: int, per_thread: int, budget_s: float) -> list[Figure]:
    app = box.new_app()
    ca = box.endpoints["ca_cert"]

    def make_worker(stack: ExitStack) -> Callable[[], None]:
        client = stack.enter_context(httpx.Client(verify=ssl_context(ca), timeout=30))  # keep-alive per thread

        def post() -> None:
            response = client.post(box.token_url, data={"grant_type": "client_credentials", "client_id": app.client_id,
                                                        "client_secret": app.client_secret.reveal(),
                                                        "scope": BC_SCOPE})
            if response.status_code != 200 or "access_token" not in response.json():
                raise RuntimeError(f"HTTP {response.status_code}")

        return post

    load = run_load(make_worker, threads, per_thread, budget_s)
    notes = (f"{threads} threads × {per_thread} raw form POSTs (httpx, keep-alive): {load.ok + load.errors} in "
             f"{load.wall_s:.1f} s" + (f"; first error: {load.first_error}" if load.first_error else ""))
    return [Figure("Token endpoint throughput (concurrent)", load.ok_per_s, "req/s", notes),
            Figure("Token endpoint errors (concurrent)", load.errors, "count", f"of {load.ok + load.errors}")]
