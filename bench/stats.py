"""Timing helpers: bounded sequential loops, bounded thread-pool load, and percentiles."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass


def percentile(samples: list[float], pct: float) -> float:
    """Linear-interpolated percentile (pct in 0..100) of a non-empty sample."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Latencies:
    samples_s: list[float]
    truncated: bool  # the time budget ran out before the wanted count

    @property
    def count(self) -> int:
        return len(self.samples_s)

    def ms(self, pct: float) -> float:
        return percentile(self.samples_s, pct) * 1000

    @property
    def max_ms(self) -> float:
        return max(self.samples_s) * 1000

    @property
    def median_s(self) -> float:
        return statistics.median(self.samples_s)

    def note(self) -> str:
        return f"n={self.count}" + (" (time budget hit)" if self.truncated else "")


def time_calls(call: Callable[[], object], count: int, budget_s: float) -> Latencies:
    """Run `call` up to `count` times, one after another, stopping early when `budget_s` is spent."""
    samples: list[float] = []
    deadline = time.monotonic() + budget_s
    while len(samples) < count and time.monotonic() < deadline:
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    if not samples:
        raise RuntimeError("the time budget was spent before the first call")
    return Latencies(samples, truncated=len(samples) < count)


@dataclass(frozen=True)
class Load:
    ok: int
    errors: int
    wall_s: float
    first_error: str

    @property
    def ok_per_s(self) -> float:
        """Good answers per second: fast failures must not look like throughput."""
        return self.ok / self.wall_s if self.wall_s else 0.0


def run_load(make_worker: Callable[[ExitStack], Callable[[], object]], threads: int, per_thread: int,
             budget_s: float) -> Load:
    """`threads` workers each call their own request function up to `per_thread` times (until `budget_s`).

    `make_worker(stack)` builds one worker's request function; it enters its clients into `stack`, which closes
    them when the worker is done. A request function raises on a bad answer (wrong status, refused connection):
    that counts as an error.
    """
    deadline = time.monotonic() + budget_s

    def worker() -> tuple[int, int, str]:
        ok = errors = 0
        first_error = ""
        with ExitStack() as stack:
            request = make_worker(stack)
            for _ in range(per_thread):
                if time.monotonic() >= deadline:
                    break
                try:
                    request()
                except Exception as exc:  # a failed request is a data point, not a crash
                    errors += 1
                    first_error = first_error or f"{type(exc).__name__}: {exc}"[:160]
                else:
                    ok += 1
        return ok, errors, first_error

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(lambda _: worker(), range(threads)))
    wall = time.perf_counter() - started
    return Load(ok=sum(r[0] for r in results), errors=sum(r[1] for r in results), wall_s=wall,
                first_error=next((r[2] for r in results if r[2]), ""))
