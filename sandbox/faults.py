"""Injected throttling and outages: a fraction of requests answered 429 or 503 with Retry-After.

Options (profile or admin API): `fault_rate` (0..1), `retry_after_s`, `fault_seed` (makes the sequence
repeatable), `fault_status` (429 or 503 to force one kind; otherwise either), `fault_burst` (the next N requests
fail, whatever the rate: deterministic retries in tests). Each twin renders the fault in
its own error shape through a `render(status) -> Response` callback.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from sandbox.context import Sandbox

Render = Callable[[int], Response]
Endpoint = Callable[[Request], Awaitable[Response]]

_lock = threading.Lock()
_rng: random.Random = random.Random()
_rng_seed: object = None


def _random(seed: object) -> random.Random:
    """One generator per seed value: setting `fault_seed` restarts a repeatable sequence."""
    global _rng, _rng_seed
    if seed != _rng_seed:
        _rng = random.Random(seed) if seed is not None else random.Random()
        _rng_seed = seed
    return _rng


def pick_fault(sandbox: Sandbox) -> int | None:
    """429, 503 or None for this request, per the current options."""
    forced = sandbox.option("fault_status")
    forced_status = int(forced) if forced in (429, 503, "429", "503") else None
    with _lock:
        burst = int(sandbox.option("fault_burst") or 0)
        if burst > 0:
            sandbox.set_option("fault_burst", burst - 1)
            return forced_status or 429
    rate = float(sandbox.option("fault_rate", 0.0) or 0.0)
    if rate <= 0:
        return None
    with _lock:
        rng = _random(sandbox.option("fault_seed"))
        if rng.random() >= rate:
            return None
        return forced_status or rng.choice((429, 503))


def maybe_fault(sandbox: Sandbox, render: Render) -> Response | None:
    """The fault response for this request, or None to serve it normally."""
    status = pick_fault(sandbox)
    if status is None:
        return None
    with _lock:
        sandbox.store.put("faults_injected", int(sandbox.store.get("faults_injected", 0)) + 1)
    answer = render(status)
    answer.headers["Retry-After"] = str(int(sandbox.option("retry_after_s", 1) or 1))
    return answer


def with_faults(sandbox: Sandbox, render: Render, endpoint: Endpoint) -> Endpoint:
    """Wrap a Starlette endpoint so it sometimes answers with an injected fault instead."""

    async def wrapped(request: Request) -> Response:
        return maybe_fault(sandbox, render) or await endpoint(request)

    return wrapped
