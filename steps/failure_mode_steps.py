"""Steps of features/failure_modes.feature: the administrator's mistakes, and the diagnosis of the connection
made with the values read back from the Dynamics Mobile Portal."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page
from pytest_bdd import given, parsers, then, when

from harness.cleanup import CleanupLedger
from harness.connection_check import Diagnosis, diagnose_connection
from harness.run_context import RunContext
from harness.sandbox_control import AdminClient
from harness.secrets import Secret
from harness.settings import Settings
from pages.dynamics_mobile import RoleSettingsPage

DIAGNOSIS = "diagnosis"
SECRET_LIFETIME_DAYS = 730


@given("the administrator did not grant admin consent")
@given("the administrator left the app Disabled in Business Central")
@given("the administrator never added the app to Business Central")
def mistake_made_before_the_portal() -> None:
    """Made while provisioning the app (see the previous step); the Portal values are right."""


@given("the administrator pasted the Secret ID instead of the Value")
def secret_id_pasted(run_context: RunContext) -> None:
    # The Secret ID is not secret, but it goes where the secret goes and is treated like one.
    run_context.client_secret = Secret(run_context.secret_id, "client_secret")


@given("the client secret has expired")
def secret_expired(admin: AdminClient, cleanup: CleanupLedger) -> None:
    """Move the sandbox clock past the end date of a 24-month secret (and back at teardown)."""
    cleanup.add("reset the sandbox clock", admin.reset_clock)
    admin.advance_clock((SECRET_LIFETIME_DAYS + 1) * 86400)


@given("the administrator typed a wrong Environment Id")
def wrong_environment(run_context: RunContext) -> None:
    # The procedure says "Environment Id", which invites a GUID; Business Central wants the environment name.
    run_context.environment = str(uuid.uuid4())


@given("the administrator typed a wrong Company")
def wrong_company(run_context: RunContext) -> None:
    run_context.company = run_context.company.split()[0]  # "CRONUS USA, Inc." → "CRONUS"


@given("the administrator made a typo in the Tenant Id")
def tenant_typo(run_context: RunContext) -> None:
    tenant = run_context.tenant_id
    run_context.tenant_id = tenant[:-1] + ("1" if tenant.endswith("0") else "0")  # one wrong last digit


@when("the connection is checked with the values read back from the Portal")
def check_read_back_values(page: Page, settings: Settings, run_context: RunContext) -> None:
    read = RoleSettingsPage(page).read_backend_connection(reload=True)
    assert run_context.client_secret is not None, "no client secret in the run context"
    run_context.values[DIAGNOSIS] = diagnose_connection(
        settings, tenant_id=read.tenant_id, environment=read.environment, client_id=read.client_id,
        client_secret=run_context.client_secret, company=read.company)
    run_context.note("diagnosis: " + run_context.values[DIAGNOSIS].line())


def _diagnosis(run_context: RunContext) -> Diagnosis:
    diagnosis = run_context.values.get(DIAGNOSIS)
    assert isinstance(diagnosis, Diagnosis), "the connection has not been checked yet"
    return diagnosis


@then(parsers.parse('the check fails at the {stage} with code "{code}"'))
def check_fails(run_context: RunContext, stage: str, code: str) -> None:
    diagnosis = _diagnosis(run_context)
    assert not diagnosis.ok, f"the connection works, expected {code} from the {stage}"
    assert (diagnosis.stage, diagnosis.code) == (stage, code), f"expected {stage} {code}, got: {diagnosis.line()}"


@then(parsers.parse('the fix points to "{where}"'))
def fix_points_to(run_context: RunContext, where: str) -> None:
    fix = _diagnosis(run_context).fix
    assert where.lower() in fix.lower(), f"the fix does not name {where!r}: {fix}"
