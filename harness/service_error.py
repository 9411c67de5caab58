"""What the token service and the BC API errors share: an HTTP status, a fix, and whether retrying can help."""

from __future__ import annotations

TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})


class ServiceError(Exception):
    """Base of `TokenError` and `BcApiError`; `transient` ones are retried (honouring `retry_after`)."""

    status: int | None
    hint: str
    retry_after: float | None

    @property
    def transient(self) -> bool:
        return self.status in TRANSIENT_STATUSES
