"""The BC API twin's `companies` list: through harness.bc_api.BcApiClient one by one, and raw concurrent GETs."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack

import httpx

from bench.figures import Figure
from bench.sandbox_env import BenchSandbox
from bench.stats import run_load, time_calls
from harness import transcripts
from harness.bc_api import BcApiClient
from harness.http import ssl_context
from harness.oauth import acquire_app_token

WARM_UP = 5


def run(box: BenchSandbox, count: int, threads: int, per_thread: int, budget_s: float) -> list[Figure]:
    app = box.new_app()
    token = acquire_app_token(box.settings, app.client_id, app.client_secret).access_token
    environment = box.settings.bc_environment
    company = box.settings.bc_company
    figures: list[Figure] = []
    with BcApiClient(box.settings) as client:
        def call() -> None:
            names = [row["name"] for row in client.companies(token, environment)]
            transcripts.drain()  # nobody attaches them here; keep the log from growing
            if company not in names:
                raise RuntimeError(f"{company!r} missing from the companies {names}")

        for _ in range(WARM_UP):
            call()
        lat = time_calls(call, count, budget_s)
        notes = f"{lat.note()}; BcApiClient.companies (keep-alive, bearer check incl. RS256 verify in the twin)"
        figures += [Figure("BC API companies (sequential), p50", lat.ms(50), "ms", notes),
                    Figure("BC API companies (sequential), p95", lat.ms(95), "ms", lat.note())]
        url = client.companies_url(environment)

    def make_worker(stack: ExitStack) -> Callable[[], None]:
        http = stack.enter_context(httpx.Client(verify=ssl_context(box.endpoints["ca_cert"]), timeout=30))
        headers = {"Authorization": f"Bearer {token.reveal()}", "Accept": "application/json"}

        def get() -> None:
            response = http.get(url, headers=headers)
            if response.status_code != 200:
                raise RuntimeError(f"HTTP {response.status_code}")

        return get

    load = run_load(make_worker, threads, per_thread, budget_s)
    notes = (f"{threads} threads × {per_thread} raw GETs (httpx, keep-alive): {load.ok + load.errors} in "
             f"{load.wall_s:.1f} s, {load.errors} error(s)" + (f"; first: {load.first_error}" if load.first_error
                                                                 else ""))
    figures.append(Figure("BC API companies throughput (concurrent)", load.ok_per_s, "req/s", notes))
    return figures
