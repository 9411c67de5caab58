"""Steps for the Dynamics Mobile Portal backend connection (features/dynamics_mobile_backend_connection.feature).

Values travel through `run_context`, the role's read-back through the `portal_read_back` target fixture; page
objects own every locator; the backstage decides where a ready app comes from and how role changes are undone.
"""

from __future__ import annotations

from playwright.sync_api import Page
from pytest_bdd import given, parsers, then, when

from flows import sign_in
from flows.dynamics_mobile import agent_check, create_or_keep_role
from harness import fix_hints
from harness.backstage import Backstage
from harness.bc_api import list_companies_as_agent
from harness.oauth import REPLICATION_CODES
from harness.run_context import RunContext
from harness.settings import Settings
from pages.dynamics_mobile import (
    BackendConnection,
    PortalShell,
    PortalValidationError,
    RoleSettingsPage,
    RolesListPage,
)
from pages.dynamics_mobile.role_settings_page import end_secret_pauses


def pytest_bdd_after_scenario() -> None:
    """A scenario that typed the client secret but stopped before UPDATE: end the trace pause, so the trace of
    the failure can be saved."""
    end_secret_pauses()


# --- Given ------------------------------------------------------------------------------------------------


@given("an app registration whose client secret Business Central accepts")
def app_for_portal(backstage: Backstage, settings: Settings, run_context: RunContext) -> None:
    run_context.use_app(backstage.provision_app(name=f"{settings.app_name} {run_context.run_id}"))


@given("the administrator is signed in to the Dynamics Mobile Portal application area")
def signed_in_to_portal(page: Page, settings: Settings) -> None:
    sign_in.to_dynamics_mobile_portal(page, settings)


# --- When -------------------------------------------------------------------------------------------------


@when(parsers.parse('the administrator opens the application "{app_id}" from the Application Selector'))
def open_application(page: Page, app_id: str) -> None:
    PortalShell(page).open_application(app_id)


@when("the administrator opens the roles list from the left menu")
def open_roles(page: Page) -> None:
    PortalShell(page).open_roles()


@when("the administrator creates the agent role, or keeps it when it already exists")
def create_agent_role(page: Page, settings: Settings, run_context: RunContext, backstage: Backstage) -> None:
    run_context.note("Portal: the procedure says 'role with code'; the Portal's field is 'Role Id' "
                     "(docs/discrepancies.md D16)")
    note = create_or_keep_role(page, settings.dm_application_area, settings.dm_role_id, settings.dm_role_name,
                               backstage)
    if note:
        run_context.note(note)


@when("the administrator opens the agent role again")
def open_agent_role(page: Page, settings: Settings) -> None:
    RolesListPage(page).open_role(settings.dm_role_id)


@when("the administrator opens the role's Settings and its AGENT section")
def open_agent_settings(page: Page) -> None:
    RoleSettingsPage(page).open_agent_settings()


@when(parsers.parse('the administrator selects "{caption}" as Agent Deployment Type'))
def select_agent_deployment(page: Page, caption: str) -> None:
    RoleSettingsPage(page).select_agent_deployment_type(caption)


@when("the administrator opens the Backend Connection section")
def open_backend_connection(page: Page) -> None:
    RoleSettingsPage(page).open_backend_connection()


@when(parsers.parse('the administrator selects "{caption}" as Connection Type'))
def select_connection_type(page: Page, caption: str) -> None:
    RoleSettingsPage(page).select_connection_type(caption)


@when(parsers.parse('the administrator selects "{caption}" as Business Central Deployment Type'))
def select_bc_deployment(page: Page, caption: str) -> None:
    RoleSettingsPage(page).select_bc_deployment_type(caption)


@when("the administrator enters the Tenant Id and the Environment Id")
def enter_tenant_and_environment(page: Page, run_context: RunContext) -> None:
    RoleSettingsPage(page).enter_tenant_and_environment(run_context.tenant_id, run_context.environment)
    run_context.note("Portal 'Environment Id': Business Central identifies environments by name; entered the "
                     f"environment name {run_context.environment!r} (docs/discrepancies.md D12)")


@when("the administrator enters the Client Id")
def enter_client_id(page: Page, run_context: RunContext) -> None:
    RoleSettingsPage(page).enter_client_id(run_context.client_id)


@when("the administrator enters the Client Secret")
def enter_client_secret(page: Page, run_context: RunContext) -> None:
    RoleSettingsPage(page).enter_client_secret(run_context.client_secret)
    run_context.note("Portal 'Client Secret': the procedure says 'from step 8'; the value is the secret's Value "
                     "from step 15 (docs/discrepancies.md D13)")


@when("the administrator enters the Company")
def enter_company(page: Page, run_context: RunContext) -> None:
    RoleSettingsPage(page).enter_company(run_context.company)
    run_context.note("Portal 'Company': the procedure says 'display company name'; entered the company name "
                     f"{run_context.company!r}, the API's key, which may differ from displayName "
                     "(docs/discrepancies.md D14)")


@when("the administrator clicks UPDATE on top")
def click_update(page: Page) -> None:
    RoleSettingsPage(page).update()


@when(parsers.re(r'the administrator enters "(?P<value>[^"]*)" as the (?P<caption>.+)'))
def enter_value(page: Page, value: str, caption: str) -> None:
    RoleSettingsPage(page).enter_value(caption, value)


@when("the administrator clicks UPDATE on top, expecting a refusal")
def click_update_expecting_refusal(page: Page, run_context: RunContext) -> None:
    try:
        RoleSettingsPage(page).update()
    except PortalValidationError as exc:
        run_context.last_error = exc
    else:
        run_context.last_error = None


# --- Then -------------------------------------------------------------------------------------------------


@then("the reopened role shows the backend connection as entered", target_fixture="portal_read_back")
def backend_connection_as_entered(page: Page, run_context: RunContext) -> BackendConnection:
    read = RoleSettingsPage(page).read_backend_connection(reload=True)
    expected = {"agent_deployment_type": "SaaS", "connection_type": "Microsoft Dynamics 365 Business Central",
                "bc_deployment_type": "Microsoft Cloud", "tenant_id": run_context.tenant_id,
                "environment": run_context.environment, "client_id": run_context.client_id,
                "company": run_context.company}
    mismatches = [f"{name}: expected {want!r}, the Portal shows {getattr(read, name)!r}"
                  for name, want in expected.items() if getattr(read, name).lower() != want.lower()]
    assert not mismatches, "the Portal did not keep what was entered:\n" + "\n".join(mismatches)
    return read


@then("the client secret is saved but never shown")
def secret_saved_not_shown(page: Page, run_context: RunContext, portal_read_back: BackendConnection) -> None:
    assert portal_read_back.secret_is_saved, "the Portal does not show the client secret as saved"
    assert run_context.client_secret is not None
    assert not RoleSettingsPage(page).shows_secret(run_context.client_secret), \
        "the Portal page contains the client secret in clear"


@then("a token acquired with the values read back from the portal is accepted by the Business Central API "
      "for the saved company")
def token_from_portal_values_works(settings: Settings, run_context: RunContext,
                                   portal_read_back: BackendConnection) -> None:
    read = portal_read_back
    assert run_context.client_secret is not None
    companies = list_companies_as_agent(settings, read.client_id, run_context.client_secret,
                                        tenant_id=read.tenant_id, environment=read.environment,
                                        retry_codes=REPLICATION_CODES)
    names = [c.get("name") for c in companies]
    assert read.company in names, fix_hints.company_missing_hint(read.company, names)


@then("the Dynamics Mobile agent check for the role succeeds")
def agent_check_succeeds(backstage: Backstage, settings: Settings) -> None:
    check = agent_check(backstage, settings.dm_application_area, settings.dm_role_id,
                        settings.propagation_timeout_s)
    assert check.ok and check.stage == "done", f"the agent check failed: {check}"


@then(parsers.parse('the Portal reports "{message}"'))
def portal_reports(run_context: RunContext, message: str) -> None:
    error = run_context.last_error
    assert isinstance(error, PortalValidationError), "the Portal accepted the form"
    assert any(m.lower().startswith(message.lower()) for m in error.messages), \
        f"expected a message starting {message!r}; the Portal said: {error.messages}"


@then(parsers.parse("the {caption} field is marked invalid"))
def field_marked_invalid(page: Page, caption: str) -> None:
    assert RoleSettingsPage(page).is_caption_invalid(caption), f"{caption} is not marked invalid (aria-invalid)"
