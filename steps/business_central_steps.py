"""Steps of features/business_central_entra_app.feature: Microsoft Entra Applications in the BC web client.

The app registration comes from run_context (the golden path fills it from the Azure portal steps) or, for this
feature alone, from the backstage (sandbox). Each sentence is one flow or page-object call, or one check;
values travel through run_context, and what Business Central says back through the step's target fixture.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page
from pytest_bdd import given, parsers, then, when

from flows import business_central, sign_in
from flows.tokens import companies_once_accepted
from harness.backstage import Backstage
from harness.bc_api import BcApiError, list_companies_as_agent
from harness.cleanup import CleanupLedger
from harness.oauth import REPLICATION_CODES
from harness.run_context import RunContext
from harness.settings import Settings
from pages.business_central import (
    BusinessCentralError,
    BusinessCentralShell,
    EntraApplicationCard,
    EntraApplicationsList,
)

UNAUTHORISED_CODE = "Authentication_InvalidCredentials"
CURRENT_CAPTION = "Microsoft Entra Applications"


def _card(page: Page) -> EntraApplicationCard:
    return EntraApplicationCard(BusinessCentralShell(page))


def _list(page: Page) -> EntraApplicationsList:
    return EntraApplicationsList(BusinessCentralShell(page))


def _description(run_context: RunContext) -> str:
    """The Description this run gives the application (BC allows 50 characters)."""
    return f"Dynamics Mobile {run_context.run_id}"[:50]


# --- Given ---------------------------------------------------------------------------------------


@given("the administrator is signed in to Business Central")
def signed_in(page: Page, settings: Settings, run_context: RunContext) -> None:
    sign_in.to_business_central(page, settings)
    refusal = ""
    try:
        business_central.check_environment(page, settings, run_context)  # before anything in BC changes
    except business_central.ProductionEnvironmentError as refused:
        refusal = str(refused)
    if refusal:
        pytest.fail(refusal, pytrace=False)  # one line, no traceback


@given("an app registered in Entra that Business Central does not know yet")
def app_registered(backstage: Backstage, run_context: RunContext) -> None:
    run_context.use_app(backstage.provision_app(bc_state="absent", consent=True))


@given("an app registered in Entra without admin consent that Business Central does not know yet")
def app_registered_without_consent(backstage: Backstage, run_context: RunContext) -> None:
    run_context.use_app(backstage.provision_app(bc_state="absent", consent=False))


@given("the app registration has no redirect URIs")
def no_redirect_uris(backstage: Backstage, run_context: RunContext) -> None:
    backstage.set_redirect_uris(run_context.client_id, [])


@given("the Business Central API rejects the app's token")
def api_rejects(settings: Settings, run_context: RunContext) -> None:
    assert run_context.client_secret is not None, "no client secret in the run context"
    with pytest.raises(BcApiError) as refused:
        list_companies_as_agent(settings, run_context.client_id, run_context.client_secret,
                                tenant_id=run_context.tenant_id or None, environment=run_context.environment,
                                retry_codes=REPLICATION_CODES)
    assert refused.value.status == 401, f"expected HTTP 401 before the BC step, got {refused.value}"
    assert refused.value.code == UNAUTHORISED_CODE, f"expected {UNAUTHORISED_CODE}, got {refused.value.code}"


# --- When ----------------------------------------------------------------------------------------


@when("the administrator opens Microsoft Entra Applications through Tell Me")
def open_through_tell_me(page: Page, settings: Settings, run_context: RunContext) -> None:
    query, caption = business_central.open_entra_applications_through_tell_me(page, settings, run_context)
    if query.startswith("?page="):
        run_context.note(f"Tell Me did not list {caption!r}: opened by the {query} deep link instead.")
    elif caption != CURRENT_CAPTION:
        run_context.note(f"Business Central shows the older caption {caption!r} (procedure step 16 wording; "
                         "docs/discrepancies.md D7).")
    else:
        run_context.note("Procedure step 16 says search 'Azure' for 'Azure Active Directory Applications'; the page "
                         f"is now {CURRENT_CAPTION!r} and was found by searching {query!r} (docs/discrepancies.md D7).")


@when("the administrator opens Microsoft Entra Applications from its address")
def open_by_deep_link(page: Page, settings: Settings, run_context: RunContext) -> None:
    business_central.open_entra_applications(page, settings, run_context)


@when("the administrator creates a new Microsoft Entra Application for the app")
def create_record(page: Page, settings: Settings, run_context: RunContext, cleanup: CleanupLedger,
                  backstage: Backstage) -> None:
    business_central.new_entra_application(page, settings, run_context.client_id, cleanup, backstage)


@when("the administrator gives the application a Description for this run")
def give_description(page: Page, run_context: RunContext) -> None:
    _card(page).set_description(_description(run_context))


@when("the administrator creates the application user from the card")
def create_user(page: Page) -> None:
    _card(page).create_user()


@when("the administrator adds the configured permission sets to the application")
def add_permission_sets(page: Page, settings: Settings) -> None:
    part = _card(page).permission_sets
    for permission_set in settings.bc_permission_sets:
        part.add(permission_set)


@when("the administrator enables the application, confirming the user creation")
def enable(page: Page) -> None:
    _card(page).set_state("Enabled", confirm=True)


@when("the administrator grants consent from Business Central when configured", target_fixture="bc_report")
def grant_consent_if_configured(page: Page, settings: Settings, run_context: RunContext) -> str:
    if settings.bc_grant_consent:
        return _card(page).grant_consent()
    run_context.note("Grant Consent in Business Central skipped (BC_GRANT_CONSENT=false): consent was given in "
                     "the Azure portal, which makes it unnecessary (docs/discrepancies.md D9).")
    return ""


@when("the administrator grants consent from Business Central", target_fixture="bc_report")
def grant_consent(page: Page) -> str:
    return _card(page).grant_consent()


@when("the administrator goes back to the list of Microsoft Entra Applications")
def back_to_list(page: Page) -> None:
    business_central.back_to_entra_applications(page)


@when(parsers.parse('the administrator tries to add the permission set "{permission_set}" to the application'),
      target_fixture="bc_refusal")
def try_permission_set(page: Page, permission_set: str) -> str:
    with pytest.raises(BusinessCentralError) as refused:
        _card(page).permission_sets.add(permission_set)
    return str(refused.value)


@when(parsers.parse("the administrator tries to change the application's Description to \"{description}\""),
      target_fixture="bc_refusal")
def try_description(page: Page, description: str) -> str:
    with pytest.raises(BusinessCentralError) as refused:
        _card(page).set_description(description)
    return str(refused.value)


@when("the administrator tries to grant consent from Business Central", target_fixture="bc_refusal")
def try_grant_consent(page: Page) -> str:
    with pytest.raises(BusinessCentralError) as refused:
        _card(page).grant_consent()
    return str(refused.value)


# --- Then ----------------------------------------------------------------------------------------


@then(parsers.parse('the app is listed with State "{state}"'))
def listed_with_state(page: Page, run_context: RunContext, state: str) -> None:
    shown = _list(page).state_of(run_context.client_id)
    assert shown == state, f"the row of {run_context.client_id} shows State {shown!r}, expected {state!r}"


@then("the Business Central API accepts the app's token")
def api_accepts(settings: Settings, run_context: RunContext) -> None:
    assert run_context.client_secret is not None, "no client secret in the run context"
    companies = companies_once_accepted(settings, run_context.client_id, run_context.client_secret,
                                        tenant_id=run_context.tenant_id or None, environment=run_context.environment)
    assert companies, "the BC API accepted the token but listed no companies"


@then(parsers.parse('Business Central refuses with a message containing "{text}"'))
def refused_with(bc_refusal: str, text: str) -> None:
    assert text.lower() in bc_refusal.lower(), f"Business Central said {bc_refusal!r}, expected it to contain {text!r}"


@then(parsers.parse('the refusal mentions "{text}"'))
def refusal_mentions(bc_refusal: str, text: str) -> None:
    assert re.search(re.escape(text), bc_refusal), f"the refusal {bc_refusal!r} does not mention {text!r}"


@then(parsers.parse('Business Central reports "{message}"'))
def reports(bc_report: str, message: str) -> None:
    assert bc_report == message, f"Business Central reported {bc_report!r}, expected {message!r}"


@then("the application has no permission sets")
def no_permission_sets(page: Page) -> None:
    entries = _card(page).permission_sets.entries()
    assert entries == [], f"expected no permission sets, the card lists {entries}"


@then("the application keeps the Description for this run")
def keeps_description(page: Page, run_context: RunContext) -> None:
    shown = _card(page).description()
    assert shown == _description(run_context), f"the Description changed to {shown!r}"
