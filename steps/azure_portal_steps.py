"""Steps for the Azure portal part of the procedure (seed steps 1-15): one sentence, one flow or page-object
call, or one check.

Values travel through `run_context`; the client secret is held as a Secret from the moment it is read.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from flows import azure_portal, sign_in
from flows.tokens import token_with_roles
from harness.backstage import Backstage
from harness.cleanup import CleanupLedger
from harness.run_context import RunContext
from harness.settings import GUID_RE, Settings
from pages.azure_portal import (
    ApiPermissions,
    AppOverview,
    AppRegistrations,
    AzurePortal,
    CertificatesAndSecrets,
    RegisterApplication,
    RequestApiPermissions,
)

BC_API = "Dynamics 365 Business Central"


def _pane(page: Page) -> RequestApiPermissions:
    return RequestApiPermissions(page, AzurePortal(page).content())


# --- sign-in and registration ----------------------------------------------------------------------


@given("the administrator is signed in to the Azure portal")
def signed_in(page: Page, settings: Settings) -> None:
    sign_in.to_azure_portal(page, settings)


@when(parsers.parse('the administrator opens "{service}" from the portal search'))
def open_service(page: Page, service: str) -> None:
    AzurePortal(page).search_and_open(service)


@when("the administrator starts a new registration")
def new_registration(page: Page) -> None:
    AppRegistrations(page).new_registration()


@when("the administrator names the application after the configured app name and the run id")
def enter_name(page: Page, settings: Settings, run_context: RunContext) -> None:
    run_context.app_name = f"{settings.app_name} {run_context.run_id}"
    RegisterApplication(page).enter_name(run_context.app_name)


@when("the administrator selects the first supported account type")
def first_account_type(page: Page) -> None:
    RegisterApplication(page).choose_first_account_type()


@when(parsers.parse('the administrator adds the "{platform}" redirect URI "{uri}"'))
def redirect_uri(page: Page, platform: str, uri: str) -> None:
    RegisterApplication(page).set_redirect_uri(platform, uri)


@when("the administrator registers the application")
def register(page: Page, settings: Settings, run_context: RunContext, cleanup: CleanupLedger,
             backstage: Backstage) -> None:
    run_context.client_id = azure_portal.register_application(page, settings, run_context.app_name, cleanup,
                                                              backstage)


@then("the overview shows the new application's client ID, object ID and directory (tenant) ID")
def overview_ids(page: Page, settings: Settings, run_context: RunContext) -> None:
    essentials = AppOverview(page).essentials()
    assert essentials.display_name == run_context.app_name
    for label, value in (("client", essentials.client_id), ("object", essentials.object_id),
                         ("tenant", essentials.tenant_id)):
        assert GUID_RE.match(value), f"the {label} ID {value!r} is not a GUID"
    assert essentials.client_id == run_context.client_id, "the Overview shows another app than the one registered"
    if settings.tenant_id:
        assert essentials.tenant_id == settings.tenant_id.lower(), "the app is in another directory than configured"
    run_context.tenant_id = essentials.tenant_id
    run_context.object_id = essentials.object_id


# --- API permissions and consent -------------------------------------------------------------------


@when(parsers.parse('the administrator opens the "{section}" section'))
def open_section(page: Page, section: str) -> None:
    AzurePortal(page).open_section(section)


@when(parsers.parse('the administrator adds a permission from "{api}"'))
def add_permission_from(page: Page, api: str) -> None:
    ApiPermissions(page).request_permissions(api)


@when(parsers.parse('the administrator chooses "{kind}" permissions'))
def choose_kind(page: Page, kind: str, run_context: RunContext) -> None:
    _pane(page).choose_kind(kind)
    run_context.permission_kind = kind


@when(parsers.parse('the administrator looks for "{name}" as the procedure says'))
def procedure_permission(page: Page, name: str, run_context: RunContext) -> None:
    found = _pane(page).check_if_listed(name)
    if found is None:
        run_context.note(f"Seed step 11 says to check {name} under {run_context.permission_kind} permissions, but "
                         f"{BC_API} does not offer it there: Financials.ReadWrite.All is a Delegated permission, "
                         "which service-to-service (client credentials) tokens do not use. It was not checked "
                         "(docs/discrepancies.md D1).")


@when("the administrator checks the configured Business Central application permissions")
def check_permissions(page: Page, settings: Settings) -> None:
    missing = _pane(page).check(settings.bc_app_permissions)
    assert not missing, f"{BC_API} does not offer {', '.join(missing)} (BC_APP_PERMISSIONS)"


@when("the administrator adds the permissions")
def add_permissions(page: Page) -> None:
    _pane(page).add_permissions()


@then("the configured permissions list the chosen Business Central application permissions as not granted")
def permissions_listed(page: Page, settings: Settings) -> None:
    rows = {row.name: row for row in ApiPermissions(page).rows() if row.api == BC_API}
    for name in settings.bc_app_permissions:
        assert name in rows, f"{name} is not among the configured permissions {sorted(rows)}"
        assert rows[name].type == "Application", f"{name} was added as {rows[name].type}"
        assert not rows[name].granted, f"{name} shows {rows[name].status!r} before consent"


@when("the administrator grants admin consent for the tenant")
def grant_consent(page: Page, settings: Settings) -> None:
    ApiPermissions(page).grant_admin_consent(settings.tenant_name)


@then("the portal confirms that admin consent was granted")
def consent_confirmed(page: Page) -> None:
    expect(ApiPermissions(page).confirmation()).to_be_visible()


@then("every configured permission shows it is granted for the tenant")
def permissions_granted(page: Page, settings: Settings) -> None:
    rows = ApiPermissions(page).rows()
    assert rows, "the configured permissions table is empty"
    wanted = f"Granted for {settings.tenant_name}" if settings.tenant_name else "Granted for"
    not_granted = [f"{r.name}: {r.status}" for r in rows if not r.status.startswith(wanted)]
    assert not not_granted, "not granted after consent: " + "; ".join(not_granted)


# --- client secret ---------------------------------------------------------------------------------


@when("the administrator adds a client secret that expires after the configured period")
def add_secret(page: Page, settings: Settings, run_context: RunContext) -> None:
    new = CertificatesAndSecrets(page).add_client_secret(f"{settings.app_name} {run_context.run_id}",
                                                         settings.secret_expiry)
    run_context.client_secret = new.value
    run_context.secret_id = new.secret_id


@then("the client secret value was captured and the Secret ID is not the value")
def secret_captured(run_context: RunContext) -> None:
    secret = run_context.client_secret
    assert secret, "no client secret Value was captured"
    assert GUID_RE.match(run_context.secret_id), f"the Secret ID {run_context.secret_id!r} is not a GUID"
    value_is_id = secret.reveal() == run_context.secret_id  # compare outside the assert: no values in reports
    assert not value_is_id, "the captured Value is the Secret ID (AADSTS7000215 would follow)"


@then("after a reload the portal shows the client secret only masked")
def secret_masked(page: Page, run_context: RunContext) -> None:
    secrets_page = CertificatesAndSecrets(page)
    secrets_page.reload()
    rows = [r for r in secrets_page.secret_rows() if r.secret_id == run_context.secret_id]
    assert rows, f"the secret {run_context.secret_id} is not listed"
    secret = run_context.client_secret
    assert secret is not None
    shown_in_clear = rows[0].value == secret.reveal() or secrets_page.page_contains(secret)
    assert not shown_in_clear, "the portal still shows the client secret Value after a reload"
    assert rows[0].value.startswith(secret.hint()[:3]) and "*" in rows[0].value, \
        "the masked Value does not start with the secret's hint"


@then("the captured client id and secret obtain a token carrying the consented roles")
def token_has_roles(settings: Settings, run_context: RunContext) -> None:
    assert run_context.client_secret is not None, "no client secret was captured"
    run_context.token = token_with_roles(settings, run_context.client_id, run_context.client_secret,
                                         tenant_id=run_context.tenant_id, roles=settings.bc_app_permissions)
