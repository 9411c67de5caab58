"""Poll with a deadline: exponential backoff, Retry-After honoured, and a timeout error that says what was
awaited and the last answer seen. The clock and the wait are injectable so the harness's own tests run instantly.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class PollTimeout(TimeoutError):
    """The deadline passed; `.last` is the last value or exception seen (None if nothing came back)."""

    def __init__(self, what: str, waited_s: float, attempts: int, last: Any) -> None:
        self.what = what
        self.waited_s = waited_s
        self.attempts = attempts
        self.last = last
        shown = f"{type(last).__name__}: {last}" if isinstance(last, BaseException) else repr(last)
        super().__init__(f"gave up waiting for {what} after {waited_s:.1f} s and {attempts} attempt(s); "
                         f"last answer: {shown}")


def wait(seconds: float) -> None:
    threading.Event().wait(seconds)  # wait-ok: polling with deadline


def retry_after_of(answer: Any) -> float | None:
    """The server's Retry-After (seconds) if the answer carries one (`.retry_after` on values or errors)."""
    value = getattr(answer, "retry_after", None)
    return float(value) if isinstance(value, int | float) and value >= 0 else None


def poll(attempt: Callable[[], T], *, what: str, timeout_s: float,
         done: Callable[[T], bool] = lambda _: True,
         retry_if: Callable[[Exception], bool] = lambda _: False,
         retry_after: Callable[[Any], float | None] = retry_after_of,
         initial_delay_s: float = 0.25, max_delay_s: float = 8.0, backoff: float = 2.0,
         clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = wait) -> T:
    """Call `attempt` until `done(value)`; exceptions for which `retry_if` holds count as "not yet", others
    propagate. Between attempts wait the larger of the backoff delay and the answer's Retry-After, never past
    the deadline; one last attempt is made at the deadline."""
    if timeout_s < 0:
        raise ValueError("timeout_s must be >= 0")
    start = clock()
    deadline = start + timeout_s
    delay = initial_delay_s
    attempts = 0
    last: Any = None
    while True:
        attempts += 1
        try:
            value = attempt()
        except Exception as exc:
            if not retry_if(exc):
                raise
            last = exc
        else:
            if done(value):
                return value
            last = value
        remaining = deadline - clock()
        if remaining <= 0:
            raise PollTimeout(what, clock() - start, attempts, last) from (
                last if isinstance(last, Exception) else None)
        server_hint = retry_after(last)
        pause = max(delay, server_hint) if server_hint is not None else delay
        sleep(min(pause, remaining))
        delay = min(delay * backoff, max_delay_s)
