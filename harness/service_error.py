"""What the token service and the BC API errors share: an HTTP status, a fix, and whether retrying can help."""

from __future__ import annotations

import httpx

from harness.polling import PollTimeout

TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})


class ServiceError(Exception):
    """Base of `TokenError` and `BcApiError`; `transient` ones are retried (honouring `retry_after`)."""

    status: int | None
    hint: str
    retry_after: float | None

    @property
    def transient(self) -> bool:
        return self.status in TRANSIENT_STATUSES


def gave_up(timeout: PollTimeout, last: ServiceError) -> ServiceError:
    """The last error, its hint saying how long the harness waited for it to go away (replication, throttling)."""
    last.hint = f"gave up waiting after {timeout.waited_s:.0f} s and {timeout.attempts} attempts " \
                f"(PROPAGATION_TIMEOUT_S); {last.hint}"
    return last


def retry_after_s(response: httpx.Response | None) -> float | None:
    """Retry-After in seconds (the delta-seconds form both services send), None when absent or unreadable."""
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
