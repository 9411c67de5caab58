"""Waiting for what replicates with a delay: a token that carries the consented roles, and the Business
Central API accepting an app once its Microsoft Entra Application is enabled. Each wait has the propagation
deadline and, on timeout, says what it waited for and the last answer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from harness.bc_api import BcApiError, list_companies_as_agent
from harness.oauth import REPLICATION_CODES, TokenResult, acquire_app_token, check_claims
from harness.polling import PollTimeout, poll
from harness.secrets import Secret
from harness.settings import Settings


class TokenNotUsable(AssertionError):
    """No token with the wanted claims came within the deadline; the message lists the problems."""


def token_with_roles(settings: Settings, client_id: str, client_secret: Secret, *, tenant_id: str,
                     roles: Iterable[str]) -> TokenResult:
    """A token for the app that carries `roles`: consent replicates with a delay, so a fresh msal client per
    attempt until the roles show up."""
    wanted = list(roles)

    def attempt() -> tuple[TokenResult, list[str]]:
        result = acquire_app_token(settings, client_id, client_secret, tenant_id=tenant_id,
                                   retry_codes=REPLICATION_CODES)
        return result, check_claims(result, client_id=client_id, tenant_id=tenant_id, required_roles=wanted)

    try:
        result, _ = poll(attempt, what="a token carrying the consented roles", done=lambda answer: not answer[1],
                         timeout_s=settings.propagation_timeout_s)
    except PollTimeout as exc:
        problems = exc.last[1] if isinstance(exc.last, tuple) else [str(exc)]
        raise TokenNotUsable("the token is not usable: " + "; ".join(problems)) from None
    return result


def companies_once_accepted(settings: Settings, client_id: str, client_secret: Secret, *, tenant_id: str | None,
                            environment: str) -> list[dict[str, Any]]:
    """The companies, once the BC API accepts the app: BC may take a moment to see a new Microsoft Entra
    Application, so only its 401 is retried, within the propagation timeout."""
    return poll(lambda: list_companies_as_agent(settings, client_id, client_secret, tenant_id=tenant_id,
                                                environment=environment, retry_codes=REPLICATION_CODES),
                what="the BC API to accept the app", timeout_s=settings.propagation_timeout_s,
                retry_if=lambda exc: isinstance(exc, BcApiError) and exc.status == 401)
