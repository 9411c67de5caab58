"""The Business Central web client's real-world variants (FIDELITY.md §h "Business Central web client") and the
production guard: each twin option on, the twin shows what the sources show (asserted with the words and hooks
FIDELITY quotes) and the page objects and flows still work; then the BC feature with every BC variant on."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from bc_web_in_process import TestClient, client_base, offline_sandbox, post_card, signed_in_client
from playwright.sync_api import Page, Request
from pytest_bdd import scenario

from flows import business_central, sign_in
from harness.cleanup import CleanupLedger
from harness.run_context import RunContext
from harness.sandbox_control import AdminClient, SandboxError
from harness.settings import Settings
from pages.business_central import BusinessCentralShell, EntraApplicationCard
from sandbox.admin.options import PRESETS
from sandbox.context import Sandbox
from steps.business_central_steps import signed_in

SetOptions = Callable[..., None]
# Word for word from FIDELITY §d "Strings" / §h [BCAPPS], not the twin's constants.
CONFIRM_USER = "A user named {name} will be created. Do you want to continue?"
USER_CREATED = "User has been created. You can now add permission sets."
NEED_USER = "Register a user before enabling the Microsoft Entra Application"
MUST_DISABLE = "You must set the State field to Disabled before you can make changes to this app."
CONSENT_OK = "Consent was given successfully."
ENTRA_APPS = "Microsoft Entra Applications"
TELL_ME = "Tell me what you want to do"
BC_VARIANTS = ("bc_create_user_confirm", "bc_tell_me_results", "bc_new_action", "bc_back_buttons")


# --- over HTTP, in process ------------------------------------------------------------------------------------


@pytest.fixture
def box(tmp_path: Path) -> Sandbox:
    return offline_sandbox(tmp_path / "state", 40300)


def new_record(client: TestClient, sandbox: Sandbox, description: str = "") -> str:
    client_id = post_card(client, sandbox, op="field", field="client_id", value=str(uuid.uuid4()))["client_id"]
    if description:
        post_card(client, sandbox, op="field", field="description", value=description, client_id=client_id)
    return client_id


def test_the_warning_link_checks_then_asks_before_it_creates_the_user(box: Sandbox) -> None:
    client = signed_in_client(box)
    client_id = new_record(client, box)
    assert post_card(client, box, op="create-user", client_id=client_id)["error"] == NEED_USER  # checked before asking
    post_card(client, box, op="field", field="description", value="Dynamics Mobile", client_id=client_id)
    asked = post_card(client, box, op="create-user", client_id=client_id)
    assert asked["confirm"] == CONFIRM_USER.format(name="Dynamics Mobile")
    assert "message" not in asked and 'data-action="create-user"' in asked["html"]  # No: nothing created
    done = post_card(client, box, op="create-user", client_id=client_id, confirmed=True)
    assert done["message"] == USER_CREATED
    assert 'data-action="create-user"' not in done["html"]


def test_without_the_confirm_the_link_creates_the_user_at_once(box: Sandbox) -> None:
    box.set_option("bc_create_user_confirm", False)
    client = signed_in_client(box)
    client_id = new_record(client, box, "Agent")
    assert post_card(client, box, op="create-user", client_id=client_id)["message"] == USER_CREATED


@pytest.mark.parametrize(("option", "shown"), [(None, "Sandbox"), ("sandbox", "Sandbox"),
                                               ("production", "Production")])
def test_the_top_bar_shows_the_environment_name_and_type(box: Sandbox, option: str | None, shown: str) -> None:
    if option:
        box.set_option("bc_environment_type", option)
    environment = box.seed["environment"]
    html = signed_in_client(box).get(f"/{box.seed['tenant_id']}/{environment}/").text
    badge = re.search(r'<div class="environment-badge"[^>]*>(.*?)</div>', html, re.S)
    assert badge is not None and 'aria-label="Environment"' in html
    assert f'title="Environment name">{environment}<' in badge.group(1)
    assert f'title="Environment type">{shown}<' in badge.group(1)


@pytest.mark.parametrize(("option", "role"), [(None, 'role="menuitem"'), ("button", 'role="button"')])
def test_the_lists_new_action_is_a_menuitem_or_a_button(box: Sandbox, option: str | None, role: str) -> None:
    if option:
        box.set_option("bc_new_action", option)
    html = signed_in_client(box).get(client_base(box) + "/?page=9860").text
    assert re.search(rf'<a {role} href="[^"]*page=9861[^"]*">New</a>', html)


def test_tell_me_renders_grouped_sections_unless_asked_for_a_listbox(box: Sandbox) -> None:
    client = signed_in_client(box)
    assert 'data-tell-me="grouped"' in client.get(client_base(box) + "/").text
    box.set_option("bc_tell_me_results", "listbox")
    assert 'role="listbox" aria-label="Search results"' in client.get(client_base(box) + "/").text
    box.store.put("opt:bc_tell_me_results", 7)  # stored around the admin API's checks: the default
    assert 'data-tell-me="grouped"' in client.get(client_base(box) + "/").text


def test_tell_me_can_miss_page_9860(box: Sandbox) -> None:
    client = signed_in_client(box)

    def captions(query: str) -> list[str]:
        groups = client.get(client_base(box) + "/api/search", params={"q": query}).json()["groups"]
        return [hit["caption"] for group in groups for hit in group["results"]]

    assert captions(ENTRA_APPS) == [ENTRA_APPS]
    box.set_option("bc_tell_me_finds_entra", False)
    assert captions(ENTRA_APPS) == [] and captions("customers") == ["Customers"]


# --- through the page objects, against the running twins --------------------------------------------------------

ui = pytest.mark.ui


@pytest.fixture
def app(admin: AdminClient) -> Iterator[dict[str, Any]]:
    """An app registration without admin consent that Business Central does not know yet."""
    info = admin.provision_app(name="BC variant test", bc_state="absent", consent=False)
    yield info
    admin.remove_app(info["client_id"])


def new_card(page: Page, settings: Settings, client_id: str, description: str = "BC variant test"
             ) -> EntraApplicationCard:
    business_central.open_entra_applications(page, settings)
    card = business_central.new_entra_application(page, settings, client_id, CleanupLedger(enabled=False))
    if description:
        card.set_description(description)
    return card


def bc_user_of(admin: AdminClient, client_id: str) -> str:
    return next(str(a.get("user_id") or "") for a in admin.bc_apps() if a["client_id"] == client_id)


@ui
@pytest.mark.parametrize("confirm", [True, False], ids=["asks (BCApps today)", "older twin: no question"])
def test_create_user_answers_the_question_and_reads_the_message(page: Page, settings: Settings, admin: AdminClient,
                                                                twin_options: SetOptions, app: dict[str, Any],
                                                                confirm: bool) -> None:
    twin_options(bc_create_user_confirm=confirm)
    sign_in.to_business_central(page, settings)
    card = new_card(page, settings, app["client_id"], "Variant Agent")
    if confirm:
        card.init_user_link.click()
        card.dialogs.open.first.wait_for()
        assert card.dialogs.text() == CONFIRM_USER.format(name="Variant Agent")
        card.dialogs.answer("No")
        card.saved.wait_for()
        assert bc_user_of(admin, app["client_id"]) == ""  # No creates nothing
    assert card.create_user() == USER_CREATED
    assert bc_user_of(admin, app["client_id"]) != ""


@ui
@pytest.mark.parametrize("results", ["grouped", "listbox"])
def test_tell_me_finds_the_page_by_its_exact_text(page: Page, settings: Settings, twin_options: SetOptions,
                                                  results: str) -> None:
    twin_options(bc_tell_me_results=results)
    sign_in.to_business_central(page, settings)
    tell_me = BusinessCentralShell(page).tell_me
    found = tell_me.find(ENTRA_APPS, ENTRA_APPS)
    assert found is not None
    sections = tell_me.dialog.locator("[id^=GroupedListSection]")
    if results == "grouped":  # recordings: text items in sections, no options
        assert sections.count() >= 1 and tell_me.dialog.get_by_role("option").count() == 0
        assert sections.get_by_text("Go to Pages and Tasks", exact=True).count() == 1
    else:
        assert sections.count() == 0 and tell_me.dialog.get_by_role("option", name=ENTRA_APPS).count() == 1
    tell_me.close()
    query, caption = business_central.open_entra_applications_through_tell_me(page, settings)
    assert (query, caption) == (ENTRA_APPS, ENTRA_APPS)


@ui
def test_when_tell_me_lists_no_such_page_the_deep_link_opens_it(page: Page, settings: Settings,
                                                                twin_options: SetOptions) -> None:
    twin_options(bc_tell_me_finds_entra=False)
    sign_in.to_business_central(page, settings)
    tell_me = BusinessCentralShell(page).tell_me
    assert tell_me.find(ENTRA_APPS, ENTRA_APPS) is None
    assert tell_me.no_results.is_visible()  # a definite answer, not a wait that ran out
    tell_me.close()
    run_context = RunContext()
    query, caption = business_central.open_entra_applications_through_tell_me(page, settings, run_context)
    assert (query, caption) == ("?page=9860", ENTRA_APPS)
    assert "page=9860" in page.url


@ui
def test_new_as_a_button_and_several_back_buttons(page: Page, settings: Settings, twin_options: SetOptions,
                                                  app: dict[str, Any]) -> None:
    twin_options(bc_new_action="button", bc_back_buttons="several")
    sign_in.to_business_central(page, settings)
    frame = page.frame_locator("iframe.designer-client-frame")
    apps = business_central.open_entra_applications(page, settings)
    assert frame.get_by_role("button", name="New", exact=True).count() == 1
    assert frame.get_by_role("menuitem", name="New", exact=True).count() == 0
    card = new_card(page, settings, app["client_id"])
    assert frame.get_by_role("button", name="Back", exact=True).count() == 3  # like the recordings' .nth(2)
    assert card.back_button.count() == 1
    listed = business_central.back_to_entra_applications(page)
    assert listed.has(app["client_id"]) and apps.heading.is_visible()


@ui
def test_grant_consent_starts_with_the_account_picker(page: Page, settings: Settings, admin: AdminClient,
                                                      twin_options: SetOptions, app: dict[str, Any]) -> None:
    sign_in.to_business_central(page, settings)
    twin_options(signin_account_picker=True)
    steps_posted: list[str] = []

    def watch(popup: Page) -> None:
        def record(request: Request) -> None:
            if request.method == "POST" and request.url.endswith("/common/login"):
                steps_posted.extend(re.findall(r"(?:^|&)step=([a-z_]+)", request.post_data or ""))

        popup.on("request", record)

    page.on("popup", watch)
    card = new_card(page, settings, app["client_id"])
    assert card.grant_consent() == CONSENT_OK
    assert steps_posted == ["pick"], "the consent window should have started with 'Pick an account'"
    assert next(a for a in admin.bc_apps() if a["client_id"] == app["client_id"])["permission_granted"] == 1


# --- the production guard ---------------------------------------------------------------------------------------


@ui
def test_a_production_environment_is_refused_in_one_line(page: Page, settings: Settings, admin: AdminClient,
                                                         twin_options: SetOptions) -> None:
    twin_options(bc_environment_type="production")
    before = admin.bc_apps()
    with pytest.raises(pytest.fail.Exception) as refused:
        signed_in(page, settings, RunContext())
    message = str(refused.value)
    assert message.startswith(f"Business Central environment '{settings.bc_environment}' is a Production "
                              "environment")
    assert "ALLOW_PRODUCTION=yes" in message and "\n" not in message
    with pytest.raises(business_central.ProductionEnvironmentError, match="ALLOW_PRODUCTION=yes"):
        business_central.open_entra_applications(page, settings)
    assert admin.bc_apps() == before


@ui
def test_with_allow_production_the_run_goes_on_and_the_report_says_so(page: Page, settings: Settings,
                                                                      twin_options: SetOptions) -> None:
    twin_options(bc_environment_type="production")
    allowed = replace(settings, allow_production="yes")
    run_context = RunContext()
    signed_in(page, allowed, run_context)
    assert business_central.open_entra_applications_through_tell_me(page, allowed, run_context)[1] == ENTRA_APPS
    assert run_context.notes == [f"ALLOW_PRODUCTION=yes: the run changed Business Central environment "
                                 f"'{settings.bc_environment}', a Production environment."]


@ui
def test_a_sandbox_environment_goes_on_without_a_note(page: Page, settings: Settings) -> None:
    run_context = RunContext()
    signed_in(page, settings, run_context)
    badge = business_central.check_environment(page, settings, run_context)
    assert (badge.name, badge.type, run_context.notes) == (settings.bc_environment, "Sandbox", [])


# --- landmarks, and unusable option values ---------------------------------------------------------------------


@ui
@pytest.mark.parametrize("variants", ["default", "every BC variant"])
def test_landmarks_resolve_once(page: Page, settings: Settings, twin_options: SetOptions, app: dict[str, Any],
                                variants: str) -> None:
    if variants != "default":
        twin_options(**bc_variants_of_the_hostile_preset())
    sign_in.to_business_central(page, settings)
    shell = BusinessCentralShell(page)
    counts = {f"BusinessCentralShell {k}": v.count() for k, v in shell.landmarks().items()}
    counts.update({f"TellMe {k}": v.count() for k, v in shell.tell_me.landmarks().items()})
    apps = business_central.open_entra_applications(page, settings)
    counts.update({f"EntraApplicationsList {k}": v.count() for k, v in apps.landmarks().items()})
    card = apps.new()
    counts.update({f"EntraApplicationCard (new) {k}": v.count() for k, v in card.landmarks().items()})
    card.set_client_id(app["client_id"])
    card.set_description("Landmarks")
    counts.update({f"EntraApplicationCard {k}": v.count() for k, v in card.landmarks().items()})
    counts.update({f"UserPermissionSetsPart {k}": v.count() for k, v in card.permission_sets.landmarks().items()})
    assert card.dialogs.landmarks() == {}
    assert {k: v for k, v in counts.items() if v != 1} == {}
    assert len(counts) >= 20


@pytest.mark.parametrize(("name", "value"), [
    ("bc_create_user_confirm", "yes"), ("bc_tell_me_results", "options"), ("bc_tell_me_finds_entra", 0),
    ("bc_new_action", "link"), ("bc_back_buttons", 3), ("bc_environment_type", "Production"),
])
def test_unusable_option_values_are_refused(admin: AdminClient, name: str, value: Any) -> None:
    with pytest.raises(SandboxError, match=rf"→ 400: .*option '{name}' must be"):
        admin.set_options(**{name: value})


# --- the BC feature with every BC variant on, and Grant Consent's account picker ---------------------------------


def bc_variants_of_the_hostile_preset() -> dict[str, Any]:
    """The hostile preset's BC web client options (its other options belong to other twins)."""
    wanted = {k: v for k, v in PRESETS["hostile"].items() if k in BC_VARIANTS}
    assert set(wanted) == set(BC_VARIANTS)
    return wanted


@pytest.fixture
def every_bc_variant(twin_options: SetOptions) -> None:
    twin_options(**bc_variants_of_the_hostile_preset(), bc_caption="legacy", signin_account_picker=True)


@pytest.mark.business_central
@pytest.mark.sandbox_only
@pytest.mark.usefixtures("every_bc_variant")
@scenario("business_central_entra_app.feature",
          "The administrator registers and enables the app, and the BC API then accepts its token")
def test_the_bc_feature_with_every_variant_on() -> None:
    """Steps 16-18 against the web client twin showing every §h variant together (Tell Me, user, New, Back)."""


@pytest.mark.business_central
@pytest.mark.sandbox_only
@pytest.mark.usefixtures("every_bc_variant")
@scenario("business_central_entra_app.feature", "Grant Consent from Business Central gives the app its roles")
def test_grant_consent_with_every_variant_on() -> None:
    """Grant Consent's window starting with "Pick an account", on a card with every BC variant."""
