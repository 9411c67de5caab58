"""Business Central API client: list companies with an app token, as the Dynamics Mobile agent does.

Errors become `BcApiError` with BC's `error.code` and a one-line hint; 429/503 are retried honouring
Retry-After until settings.propagation_timeout_s. The token is revealed only into the Authorization header.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from urllib.parse import quote

import httpx

from harness import fix_hints, http
from harness.oauth import TokenError, acquire_app_token
from harness.polling import PollTimeout, poll
from harness.secrets import Secret
from harness.service_error import ServiceError, gave_up, retry_after_s
from harness.settings import Settings


class BcApiError(ServiceError):
    """A Business Central API call failed: `.status`, `.code` (BC error code), `.message`, `.hint`."""

    def __init__(self, status: int, code: str, message: str, hint: str, retry_after: float | None = None) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.hint = hint
        self.retry_after = retry_after
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"HTTP {self.status} {self.code}: {self.message} — hint: {self.hint}"


def odata_string(value: str) -> str:
    """An OData string literal: single quotes, inner quotes doubled."""
    return "'" + value.replace("'", "''") + "'"


def _error(response: httpx.Response, environment: str, company: str) -> BcApiError:
    code, message = f"HTTP_{response.status_code}", response.text[:200]
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        code = str(body["error"].get("code") or code)
        message = str(body["error"].get("message") or "")
    return BcApiError(response.status_code, code, message,
                      fix_hints.bc_hint(response.status_code, code, environment=environment, company=company),
                      retry_after_s(response))


class BcApiClient:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._http = http.client(settings.ca_cert, settings.http_timeout_s)

    def companies_url(self, environment: str, tenant_id: str | None = None) -> str:
        tenant = tenant_id or self._settings.tenant_id
        if not environment:
            raise ValueError("no environment: set BC_ENVIRONMENT to the Business Central environment name")
        if not tenant:
            raise ValueError("no tenant id: set AZURE_TENANT_ID (Directory (tenant) ID)")
        return (f"{self._settings.bc_api_url.rstrip('/')}/v2.0/{quote(tenant, safe='')}/"
                f"{quote(environment, safe='')}/api/v2.0/companies")

    def companies(self, token: Secret, environment: str, *, tenant_id: str | None = None,
                  name: str | None = None) -> list[dict[str, Any]]:
        """Companies of the environment (only the one named `name` when given)."""
        if not isinstance(token, Secret):
            raise TypeError("token must be a harness.secrets.Secret")
        url = self.companies_url(environment, tenant_id)
        params = {"$filter": f"name eq {odata_string(name)}"} if name is not None else None

        def attempt() -> list[dict[str, Any]]:
            response = self._http.get(url, params=params, headers={"Authorization": f"Bearer {token.reveal()}",
                                                                   "Accept": "application/json"})
            if response.status_code >= 400:
                raise _error(response, environment, name or "")
            return list(response.json()["value"])

        try:
            return poll(attempt, what=f"the companies of environment {environment!r}",
                        retry_if=lambda exc: isinstance(exc, BcApiError) and exc.transient,
                        timeout_s=self._settings.propagation_timeout_s)
        except PollTimeout as exc:
            if isinstance(exc.last, BcApiError):
                raise gave_up(exc, exc.last) from exc
            raise

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> BcApiClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def list_companies_as_agent(settings: Settings, client_id: str, client_secret: Secret, *,
                            tenant_id: str | None = None, environment: str | None = None,
                            retry_codes: Collection[int] = ()) -> list[dict[str, Any]]:
    """What the Dynamics Mobile agent does with the Portal's settings: get a token, list the companies.

    Raises TokenError (identity provider) or BcApiError (Business Central); a BC 401 gets the hint that the
    token's claims point to (e.g. no roles → admin consent missing). `retry_codes` (e.g. oauth.REPLICATION_CODES)
    are waited out right after the app or its secret was created.
    """
    token = acquire_app_token(settings, client_id, client_secret, tenant_id=tenant_id, retry_codes=retry_codes)
    with BcApiClient(settings) as client:
        try:
            return client.companies(token.access_token, environment or settings.bc_environment,
                                    tenant_id=tenant_id)
        except BcApiError as exc:
            if exc.status == 401:
                exc.hint = fix_hints.bc_401_hint(token.claims, client_id=client_id,
                                                 tenant_id=tenant_id or settings.tenant_id)
            raise


__all__ = ["BcApiClient", "BcApiError", "TokenError", "list_companies_as_agent", "odata_string"]
