"""Steps of features/business_central_entra_app.feature: Microsoft Entra Applications in the BC web client.

The app registration comes from run_context (the golden path fills it from the Azure portal steps) or, for this
feature alone, from the sandbox admin API. Each sentence is one page-object call or one check; values travel
only through run_context; the client secret stays a Secret.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page
from pytest_bdd import given, parsers, then, when

from harness.azure_login import apply_storage_state, totp_source
from harness.bc_api import BcApiError, check_connection
from harness.cleanup import CleanupLedger
from harness.oauth import REPLICATION_CODES
from harness.polling import poll
from harness.run_context import RunContext
from harness.settings import Settings
from pages.business_central import (
    BusinessCentralError,
    BusinessCentralShell,
    EntraApplicationCard,
    EntraApplicationsList,
)
from pages.microsoft_login import MicrosoftLogin

UNAUTHORISED_CODE = "Authentication_InvalidCredentials"
CURRENT_CAPTION = "Microsoft Entra Applications"
DESCRIPTION_KEY = "bc_description"
ERROR_KEY = "bc_refusal"


def client_url(settings: Settings, **query: str) -> str:
    """`<bc web>/<tenant>/<environment>/?company=…` (BC-URL); query values such as page=9860 are appended."""
    base = f"{settings.bc_web_url.rstrip('/')}/{settings.tenant_id}/{settings.bc_environment}/"
    return base + "?" + urlencode({"company": settings.bc_company, **query})


def _card(page: Page) -> EntraApplicationCard:
    return EntraApplicationCard(BusinessCentralShell(page))


def _list(page: Page) -> EntraApplicationsList:
    return EntraApplicationsList(BusinessCentralShell(page))


# --- Given ---------------------------------------------------------------------------------------


@given("I am signed in to Business Central as the administrator")
def signed_in(page: Page, settings: Settings) -> None:
    if settings.azure_storage_state:
        apply_storage_state(page.context, settings.azure_storage_state)
    shell = BusinessCentralShell(page)
    if shell.open(client_url(settings)) == "sign-in":
        if settings.admin_password is None:
            raise ValueError("AZURE_ADMIN_PASSWORD is not set and the saved sign-in (AZURE_STORAGE_STATE) expired")
        MicrosoftLogin(page).sign_in(settings.admin_user, settings.admin_password,
                                     totp=totp_source(settings.admin_totp_seed))
        shell.wait_for_client_or_sign_in()
    shell.wait_until_ready()


def _provision(request: pytest.FixtureRequest, run_context: RunContext, consent: bool) -> None:
    if run_context.client_id:
        return  # an earlier step (the Azure portal part of the golden path) registered it
    request.getfixturevalue("app_provisioner").provision(run_context, bc_state="absent", consent=consent)


@given("an app registered in Entra that Business Central does not know yet")
def app_registered(request: pytest.FixtureRequest, run_context: RunContext) -> None:
    _provision(request, run_context, consent=True)


@given("an app registered in Entra without admin consent that Business Central does not know yet")
def app_registered_without_consent(request: pytest.FixtureRequest, run_context: RunContext) -> None:
    _provision(request, run_context, consent=False)


@given("the app registration has no redirect URIs")
def no_redirect_uris(request: pytest.FixtureRequest, run_context: RunContext) -> None:
    request.getfixturevalue("admin").set_redirect_uris(run_context.client_id, [])


def _companies(settings: Settings, run_context: RunContext) -> list[dict]:
    assert run_context.client_secret is not None, "no client secret in the run context"
    return check_connection(settings, run_context.client_id, run_context.client_secret,
                            tenant_id=run_context.tenant_id or None,
                            environment=run_context.environment or settings.bc_environment,
                            retry_codes=REPLICATION_CODES)


@given("the Business Central API rejects the app's token")
def api_rejects(settings: Settings, run_context: RunContext) -> None:
    with pytest.raises(BcApiError) as refused:
        _companies(settings, run_context)
    assert refused.value.status == 401, f"expected HTTP 401 before the BC step, got {refused.value}"
    assert refused.value.code == UNAUTHORISED_CODE, f"expected {UNAUTHORISED_CODE}, got {refused.value.code}"


# --- When ----------------------------------------------------------------------------------------


@when("I open Microsoft Entra Applications through Tell Me")
def open_through_tell_me(page: Page, run_context: RunContext) -> None:
    query, caption = _list(page).open_through_tell_me()
    if caption != CURRENT_CAPTION:
        run_context.note(f"Business Central shows the older caption {caption!r} (procedure step 16 wording).")
    else:
        run_context.note("Procedure step 16 says search 'Azure' for 'Azure Active Directory Applications'; the page "
                         f"is now {CURRENT_CAPTION!r} and was found by searching {query!r} (FIDELITY §g row 7).")


@when("I open Microsoft Entra Applications through the page=9860 deep link")
def open_by_deep_link(page: Page, settings: Settings) -> None:
    BusinessCentralShell(page).open(client_url(settings, page="9860"))
    _list(page).wait()


@when("I create a new Microsoft Entra Application for the app")
def create_record(page: Page, settings: Settings, run_context: RunContext, cleanup: CleanupLedger) -> None:
    card = _list(page).new()
    card.set_client_id(run_context.client_id)
    client_id = run_context.client_id
    cleanup.add(f"Business Central record {client_id}", lambda: _delete_record(page, settings, client_id))


def _delete_record(page: Page, settings: Settings, client_id: str) -> None:
    """Undo through the UI, as a user would (the list's Delete); nothing to do when it is already gone."""
    shell = BusinessCentralShell(page)
    shell.open(client_url(settings, page="9860"))
    apps = EntraApplicationsList(shell)
    if apps.has(client_id):
        apps.delete(client_id)


@when("I give the application a Description for this run")
def give_description(page: Page, run_context: RunContext) -> None:
    description = f"Dynamics Mobile {run_context.run_id}"[:50]
    _card(page).set_description(description)
    run_context.values[DESCRIPTION_KEY] = description


@when("I create the application user from the card")
def create_user(page: Page) -> None:
    _card(page).create_user()


@when("I add the configured permission sets to the application")
def add_permission_sets(page: Page, settings: Settings) -> None:
    part = _card(page).permission_sets
    for permission_set in settings.bc_permission_sets:
        part.add(permission_set)


@when("I enable the application, confirming the user creation")
def enable(page: Page) -> None:
    _card(page).set_state("Enabled", confirm=True)


@when("I grant consent from Business Central when configured")
def grant_consent_if_configured(page: Page, settings: Settings, run_context: RunContext) -> None:
    if settings.bc_grant_consent:
        run_context.values["bc_consent_message"] = _card(page).grant_consent()
    else:
        run_context.note("Grant Consent in Business Central skipped (BC_GRANT_CONSENT=false): consent was given in "
                         "the Azure portal, which makes it unnecessary (MS-S2S).")


@when("I grant consent from Business Central")
def grant_consent(page: Page, run_context: RunContext) -> None:
    run_context.values["bc_consent_message"] = _card(page).grant_consent()


@when("I go back to the list of Microsoft Entra Applications")
def back_to_list(page: Page) -> None:
    _card(page).back()
    _list(page).wait()


@when(parsers.parse('I try to add the permission set "{permission_set}" to the application'))
def try_permission_set(page: Page, run_context: RunContext, permission_set: str) -> None:
    with pytest.raises(BusinessCentralError) as refused:
        _card(page).permission_sets.add(permission_set)
    run_context.values[ERROR_KEY] = str(refused.value)


@when(parsers.parse("I try to change the application's Description to \"{description}\""))
def try_description(page: Page, run_context: RunContext, description: str) -> None:
    with pytest.raises(BusinessCentralError) as refused:
        _card(page).set_description(description)
    run_context.values[ERROR_KEY] = str(refused.value)


@when("I try to grant consent from Business Central")
def try_grant_consent(page: Page, run_context: RunContext) -> None:
    with pytest.raises(BusinessCentralError) as refused:
        _card(page).grant_consent()
    run_context.values[ERROR_KEY] = str(refused.value)


# --- Then ----------------------------------------------------------------------------------------


@then(parsers.parse('the app is listed with State "{state}"'))
def listed_with_state(page: Page, run_context: RunContext, state: str) -> None:
    shown = _list(page).state_of(run_context.client_id)
    assert shown == state, f"the row of {run_context.client_id} shows State {shown!r}, expected {state!r}"


@then("the Business Central API accepts the app's token")
def api_accepts(settings: Settings, run_context: RunContext) -> None:
    # BC may take a moment to see the new record; retry only its 401, within the propagation timeout.
    companies = poll(lambda: _companies(settings, run_context), what="the BC API to accept the app",
                     timeout_s=settings.propagation_timeout_s,
                     retry_if=lambda exc: isinstance(exc, BcApiError) and exc.status == 401)
    assert companies, "the BC API accepted the token but listed no companies"


@then(parsers.parse('Business Central refuses with a message containing "{text}"'))
def refused_with(run_context: RunContext, text: str) -> None:
    refusal = run_context.values.get(ERROR_KEY, "")
    assert text.lower() in refusal.lower(), f"Business Central said {refusal!r}, expected it to contain {text!r}"


@then(parsers.parse('the refusal mentions "{text}"'))
def refusal_mentions(run_context: RunContext, text: str) -> None:
    refusal = run_context.values.get(ERROR_KEY, "")
    assert re.search(re.escape(text), refusal), f"the refusal {refusal!r} does not mention {text!r}"


@then(parsers.parse('Business Central reports "{message}"'))
def reports(run_context: RunContext, message: str) -> None:
    shown = run_context.values.get("bc_consent_message", "")
    assert shown == message, f"Business Central reported {shown!r}, expected {message!r}"


@then("the application has no permission sets")
def no_permission_sets(page: Page) -> None:
    entries = _card(page).permission_sets.entries()
    assert entries == [], f"expected no permission sets, the card lists {entries}"


@then("the application keeps the Description for this run")
def keeps_description(page: Page, run_context: RunContext) -> None:
    shown = _card(page).description()
    assert shown == run_context.values[DESCRIPTION_KEY], f"the Description changed to {shown!r}"
