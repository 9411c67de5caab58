"""Steps of features/failure_modes.feature: the administrator's mistakes, and the diagnosis of the connection
made with the values read back from the Dynamics Mobile Portal.

Each Given that names a mistake makes it: it asks the backstage for an app in the mistaken state (sandbox: the
admin API; live: the session's app in that state, made once through the Azure portal and Business Central) and,
where the mistake is in what the administrator types into the Portal, changes that value in the run context.
"""

from __future__ import annotations

import uuid

from playwright.sync_api import Page
from pytest_bdd import given, parsers, then, when

from harness.backstage import Backstage
from harness.connection_diagnosis import Diagnosis, diagnose_connection
from harness.run_context import RunContext
from harness.secrets import Secret
from harness.settings import Settings
from pages.dynamics_mobile import RoleSettingsPage

SECRET_LIFETIME_DAYS = 730
DAY_S = 86_400


@given("the administrator did not grant admin consent")
def no_consent(backstage: Backstage, run_context: RunContext) -> None:
    run_context.use_app(backstage.provision_app(consent=False))


@given("the administrator left the app Disabled in Business Central")
def left_disabled(backstage: Backstage, run_context: RunContext) -> None:
    run_context.use_app(backstage.provision_app(bc_state="disabled"))


@given("the administrator never added the app to Business Central")
def never_added(backstage: Backstage, run_context: RunContext) -> None:
    run_context.use_app(backstage.provision_app(bc_state="absent"))


@given("the administrator pasted the Secret ID instead of the Value")
def secret_id_pasted(backstage: Backstage, run_context: RunContext) -> None:
    run_context.use_app(backstage.provision_app())
    # The Secret ID is not secret, but it goes where the secret goes and is treated like one.
    run_context.client_secret = Secret(run_context.secret_id, "client_secret")


@given("the client secret has expired")
def secret_expired(backstage: Backstage, run_context: RunContext) -> None:
    """A 24-month secret, then the sandbox clock moved past its end date (moved back when the scenario ends)."""
    run_context.use_app(backstage.provision_app())
    backstage.advance_clock((SECRET_LIFETIME_DAYS + 1) * DAY_S)


@given("the administrator typed a wrong Environment Id")
def wrong_environment(backstage: Backstage, run_context: RunContext) -> None:
    run_context.use_app(backstage.provision_app())
    # The procedure says "Environment Id", which invites a GUID; Business Central wants the environment name.
    run_context.environment = str(uuid.uuid4())


@given("the administrator typed a wrong Company")
def wrong_company(backstage: Backstage, run_context: RunContext) -> None:
    run_context.use_app(backstage.provision_app())
    run_context.company = run_context.company.split()[0]  # "CRONUS USA, Inc." → "CRONUS"


@given("the administrator made a typo in the Tenant Id")
def tenant_typo(backstage: Backstage, run_context: RunContext) -> None:
    run_context.use_app(backstage.provision_app())
    tenant = run_context.tenant_id
    run_context.tenant_id = tenant[:-1] + ("1" if tenant.endswith("0") else "0")  # one wrong last digit


@when("the connection is checked with the values read back from the Portal", target_fixture="diagnosis")
def check_read_back_values(page: Page, settings: Settings, run_context: RunContext) -> Diagnosis:
    read = RoleSettingsPage(page).read_backend_connection(reload=True)
    assert run_context.client_secret is not None, "no client secret in the run context"
    diagnosis = diagnose_connection(settings, tenant_id=read.tenant_id, environment=read.environment,
                                    client_id=read.client_id, client_secret=run_context.client_secret,
                                    company=read.company)
    run_context.note("diagnosis: " + diagnosis.line())
    return diagnosis


@then(parsers.parse('the check fails at the {stage} with code "{code}"'))
def check_fails(diagnosis: Diagnosis, stage: str, code: str) -> None:
    assert not diagnosis.ok, f"the connection works, expected {code} from the {stage}"
    assert (diagnosis.stage, diagnosis.code) == (stage, code), f"expected {stage} {code}, got: {diagnosis.line()}"


@then(parsers.parse('the fix points to "{where}"'))
def fix_points_to(diagnosis: Diagnosis, where: str) -> None:
    assert where.lower() in diagnosis.fix.lower(), f"the fix does not name {where!r}: {diagnosis.fix}"
