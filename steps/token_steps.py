"""Steps of features/oauth_token_acquisition.feature: the agent's token and its first BC API call.

Apps come from the backstage (sandbox: the admin API, removed at teardown; live: the session's apps made once
through the UIs, an expired secret skips).
Secrets travel only inside `run_context` as `Secret`; wrong values are made here, never in Examples.
"""

from __future__ import annotations

import secrets
import string
import uuid
from collections.abc import Callable
from typing import Any

from pytest_bdd import given, parsers, then, when

from harness import fix_hints, oauth
from harness.backstage import Backstage
from harness.bc_api import BcApiClient, BcApiError, list_companies_as_agent
from harness.run_context import RunContext
from harness.secrets import Secret
from harness.settings import Settings

SOURCES = {"identity provider": "identity_provider", "token cache": "cache"}
STAGES = {"identity provider": oauth.TokenError, "Business Central API": BcApiError}


def _secret_shaped_value() -> Secret:
    """A fresh value shaped like an Entra secret Value (40 chars with `Q~`), matching no real secret."""
    alphabet = string.ascii_letters + string.digits
    value = ("".join(secrets.choice(alphabet) for _ in range(3)) + secrets.choice(string.digits) + "Q~"
             + "".join(secrets.choice(alphabet + "~._-") for _ in range(34)))
    return Secret(value, "client_secret")


def _wrong_secret(run_context: RunContext) -> None:
    run_context.client_secret = _secret_shaped_value()


def _unknown_client_id(run_context: RunContext) -> None:
    run_context.client_id = str(uuid.uuid4())


def _unknown_tenant_id(run_context: RunContext) -> None:
    run_context.tenant_id = str(uuid.uuid4())


def _unknown_environment(run_context: RunContext) -> None:
    run_context.environment = "NoSuchEnvironment" + secrets.token_hex(3)


def _as_provisioned(run_context: RunContext) -> None:
    """The app as provisioned: the misconfiguration, if any, is in the provisioning options."""


# misconfiguration -> (provisioning options, what the agent then gets wrong in its own settings)
MISCONFIGURATIONS: dict[str, tuple[dict[str, Any], Callable[[RunContext], None]]] = {
    "the procedure followed": ({}, _as_provisioned),
    "a wrong client secret": ({}, _wrong_secret),
    "an expired client secret": ({"secret_expired": True}, _as_provisioned),
    "an unknown client id": ({}, _unknown_client_id),
    "an unknown tenant id": ({}, _unknown_tenant_id),
    "no admin consent": ({"consent": False}, _as_provisioned),
    "no Business Central registration": ({"bc_state": "absent"}, _as_provisioned),
    "a disabled Business Central registration": ({"bc_state": "disabled"}, _as_provisioned),
    "an unknown environment": ({}, _unknown_environment),
}


@given("an app registration provisioned for Business Central")
def provisioned_app(backstage: Backstage, run_context: RunContext) -> None:
    run_context.use_app(backstage.provision_app())


@given(parsers.parse("an app registration provisioned for Business Central with {misconfiguration}"))
def misconfigured_app(backstage: Backstage, run_context: RunContext, misconfiguration: str) -> None:
    if misconfiguration not in MISCONFIGURATIONS:
        raise ValueError(f"unknown misconfiguration {misconfiguration!r}; known: {', '.join(MISCONFIGURATIONS)}")
    options, get_wrong = MISCONFIGURATIONS[misconfiguration]
    run_context.use_app(backstage.provision_app(**options))
    get_wrong(run_context)


@given("the agent requests a Business Central token")
@when("the agent requests a Business Central token")
def request_token(settings: Settings, run_context: RunContext) -> None:
    assert run_context.client_secret is not None, "no client secret in the run context"
    run_context.msal_app = oauth.new_app(settings, run_context.client_id, run_context.client_secret,
                                         tenant_id=run_context.tenant_id)
    run_context.token = oauth.acquire_app_token(settings, run_context.client_id, run_context.client_secret,
                                                tenant_id=run_context.tenant_id, app=run_context.msal_app)


@when("the agent requests a Business Central token again with the same client")
def request_token_again(settings: Settings, run_context: RunContext) -> None:
    assert run_context.client_secret is not None, "no client secret in the run context"
    assert run_context.msal_app is not None, "no earlier token request made an msal client"
    run_context.token = oauth.acquire_app_token(settings, run_context.client_id, run_context.client_secret,
                                                tenant_id=run_context.tenant_id, app=run_context.msal_app)


@when("the agent lists the companies of the configured environment")
def list_companies(settings: Settings, run_context: RunContext) -> None:
    token = _token(run_context)
    with BcApiClient(settings) as client:
        run_context.companies = client.companies(token.access_token, run_context.environment,
                                                 tenant_id=run_context.tenant_id)


@when("the agent checks its connection to Business Central")
def check_agent_connection(settings: Settings, run_context: RunContext) -> None:
    assert run_context.client_secret is not None, "no client secret in the run context"
    try:
        run_context.companies = list_companies_as_agent(settings, run_context.client_id, run_context.client_secret,
                                                        tenant_id=run_context.tenant_id,
                                                        environment=run_context.environment)
    except (oauth.TokenError, BcApiError) as exc:
        run_context.last_error = exc


def _token(run_context: RunContext) -> oauth.TokenResult:
    assert run_context.token is not None, "no token has been requested yet"
    return run_context.token


@then(parsers.parse("the token came from the {source}"))
def token_source(run_context: RunContext, source: str) -> None:
    shown = _token(run_context).source
    assert shown == SOURCES[source], f"expected a token from the {source}, got source {shown!r}"


def _problems(run_context: RunContext, roles: list[str]) -> list[str]:
    return oauth.check_claims(_token(run_context), client_id=run_context.client_id, tenant_id=run_context.tenant_id,
                              required_roles=roles)


@then("the token is for Business Central, the app and the tenant")
def token_identity(run_context: RunContext) -> None:
    problems = _problems(run_context, [])
    assert not problems, "; ".join(problems)


@then(parsers.parse('the token carries the role "{role}"'))
def token_role(run_context: RunContext, role: str) -> None:
    problems = _problems(run_context, [role])
    assert not problems, "; ".join(problems)


@then("the configured company is listed")
def company_listed(run_context: RunContext) -> None:
    names = [c["name"] for c in run_context.companies]
    assert run_context.company in names, fix_hints.company_missing_hint(run_context.company, names)


@then(parsers.parse('the connection fails at the {stage} with HTTP {status:d} and code "{code}"'))
def connection_fails(run_context: RunContext, stage: str, status: int, code: str) -> None:
    error = run_context.last_error
    assert error is not None, f"the connection succeeded, expected {code} from the {stage}"
    assert isinstance(error, STAGES[stage]), f"expected a failure at the {stage}, got: {error}"
    surfaced = f"AADSTS{error.code}" if isinstance(error, oauth.TokenError) else error.code
    assert (error.status, surfaced) == (status, code), f"expected HTTP {status} {code}, got: {error}"


@then("the failure names a fix")
def failure_hint(run_context: RunContext) -> None:
    error = run_context.last_error
    assert error is not None and getattr(error, "hint", ""), f"no hint for: {error}"
