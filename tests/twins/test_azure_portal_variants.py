"""The Azure portal's real-world variants (FIDELITY.md §h "Azure portal"): each twin option on, the twin shows what
the recordings show (asserted with the selectors and words FIDELITY quotes) and the page objects still work; then
the Azure feature with every portal variant on at once (the "hostile" preset's portal options)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page
from pytest_bdd import scenario

from flows.sign_in import to_azure_portal
from harness.sandbox_control import AdminClient
from harness.settings import Settings
from pages.azure_portal import (
    ApiPermissions,
    AppOverview,
    AppRegistrations,
    AzurePortal,
    CertificatesAndSecrets,
    RegisterApplication,
)
from pages.azure_portal.portal import app_fragment
from sandbox.admin.options import PRESETS, problem

pytestmark = [pytest.mark.ui, pytest.mark.sandbox_only]

SetOptions = Callable[..., None]
BC_LANDING = "https://businesscentral.dynamics.com/OAuthLanding.htm"
BC_APPLICATION_PERMISSIONS = {"API.ReadWrite.All", "Automation.ReadWrite.All"}
# FIDELITY §c.4 / §h, word for word
CONSENT_QUESTION = "Do you want to grant consent for the requested permissions for all accounts in {tenant}?"
CONSENT_DONE = "Successfully granted admin consent for the requested permissions."


@pytest.fixture
def app(admin: AdminClient) -> Iterator[dict[str, Any]]:
    """An app registration with Business Central application permissions (consented) and one secret."""
    info = admin.provision_app(name="Portal variant test", bc_state="absent")
    yield info
    if info["client_id"] in {a["client_id"] for a in admin.apps()}:
        admin.remove_app(info["client_id"])


def open_section(page: Page, settings: Settings, client_id: str, section: str, title: str) -> AzurePortal:
    to_azure_portal(page, settings)
    portal = AzurePortal(page)
    portal.open_fragment(settings.azure_portal_url, app_fragment(client_id, section))
    portal.wait_for_blade(title)
    return portal


def stored(admin: AdminClient, client_id: str) -> dict[str, Any]:
    return next(a for a in admin.apps() if a["client_id"] == client_id)


# --- (1) pre-warmed hidden frames that carry the active class ------------------------------------


def test_prewarmed_hidden_frames_with_the_active_class(page: Page, settings: Settings, admin: AdminClient,
                                                       twin_options: SetOptions) -> None:
    twin_options(portal_layout="iframe", portal_frames="prewarmed")
    to_azure_portal(page, settings)
    apps = AppRegistrations(page)
    apps.open(settings.azure_portal_url)
    active = page.locator("iframe.fxs-reactview-frame-active")
    assert active.count() >= 2, "the twin should show more than one 'active' frame"
    assert page.locator("iframe.fxs-reactview-frame-active.fxs-display-none").count() >= 1
    assert active.filter(visible=True).count() == 1
    form = apps.new_registration()  # a navigation: the frame that held the list is now hidden and still "active"
    name = "Prewarmed frames 3c1d"
    form.enter_name(name)
    form.choose_first_account_type()
    form.set_redirect_uri("Web", BC_LANDING)
    client_id = form.register(timeout_ms=settings.ui_timeout_s * 1000)
    try:
        assert active.count() >= 2
        essentials = AppOverview(page).essentials()
        assert (essentials.display_name, essentials.client_id) == (name, client_id)
        assert name in apps_after_reopen(apps, settings, name)
    finally:
        admin.remove_app(client_id)


def apps_after_reopen(apps: AppRegistrations, settings: Settings, name: str) -> list[str]:
    apps.open(settings.azure_portal_url)
    return apps.display_names(name)


# --- (2) React Essentials without fxc-essentials-* classes ---------------------------------------


def test_react_essentials_are_read_by_their_labels(page: Page, settings: Settings, twin_options: SetOptions,
                                                  app: dict[str, Any]) -> None:
    twin_options(portal_essentials="react")
    portal = open_section(page, settings, app["client_id"], "Overview", "Overview")
    scope = portal.content()
    assert scope.locator("[class*=fxc-essentials]").count() == 0
    assert scope.locator("[class^=essentialsValue-]").count() >= 4
    essentials = AppOverview(page).essentials()
    assert essentials.client_id == app["client_id"]
    assert essentials.object_id == app["object_id"]
    assert essentials.tenant_id == app["tenant_id"]
    assert essentials.display_name == "Portal variant test"


# --- (3) the older drop-downs: "Select a platform" with treeitems, div[aria-label=Expires] -------


def test_older_drop_downs_with_tree_items(page: Page, settings: Settings, admin: AdminClient,
                                          twin_options: SetOptions) -> None:
    twin_options(portal_dropdowns="treeitem", account_types_ui="radios")
    to_azure_portal(page, settings)
    form = RegisterApplication(page)
    form.open(settings.azure_portal_url)
    scope = form.portal.content()
    assert scope.get_by_role("combobox", name=re.compile("platform|Supported account types", re.I)).count() == 0
    assert scope.locator("div[role=treeitem]").filter(has_text=re.compile(r"^Web$")).count() == 1
    name = "Older drop-downs 9e2b"
    form.enter_name(name)
    assert form.choose_first_account_type().startswith("Accounts in this organizational directory only")
    form.set_redirect_uri("Web", BC_LANDING)
    client_id = form.register(timeout_ms=settings.ui_timeout_s * 1000)
    try:
        assert stored(admin, client_id)["redirect_uris"] == [{"platform": "Web", "uri": BC_LANDING}]
        portal = AzurePortal(page)
        portal.open_section("Certificates & secrets")
        secrets_page = CertificatesAndSecrets(page)
        assert portal.content().locator("div[aria-label=Expires]").count() == 1
        new = secrets_page.add_client_secret("two years", "730 days (24 months)")
        secret = next(s for s in stored(admin, client_id)["secrets"] if s["key_id"] == new.secret_id)
        assert round((secret["end_at"] - secret["start_at"]) / 86400) == 730
    finally:
        admin.remove_app(client_id)


# --- (4) div grids for the configured permissions and the client secrets ------------------------


def test_div_grids_for_permissions_and_secrets(page: Page, settings: Settings, twin_options: SetOptions,
                                               app: dict[str, Any]) -> None:
    twin_options(portal_grids="div")
    portal = open_section(page, settings, app["client_id"], "CallAnAPI", "API permissions")
    scope = portal.content()
    assert scope.get_by_role("table", name="Configured permissions").count() == 0
    assert scope.get_by_role("grid", name="Configured permissions").count() == 1
    rows = {r.name: r for r in ApiPermissions(page).rows() if r.api == "Dynamics 365 Business Central"}
    assert set(rows) >= BC_APPLICATION_PERMISSIONS
    assert all(rows[n].type == "Application" and rows[n].granted for n in BC_APPLICATION_PERMISSIONS)
    assert rows["API.ReadWrite.All"].status == f"Granted for {settings.tenant_name}"

    portal.open_section("Certificates & secrets")
    secrets_page = CertificatesAndSecrets(page)
    scope = secrets_page.show_client_secrets()
    assert scope.get_by_role("table", name="Client secrets").count() == 0
    assert scope.get_by_role("grid", name="Client secrets").count() == 1
    assert [r.secret_id for r in secrets_page.secret_rows()] == [app["secret_id"]]
    new = secrets_page.add_client_secret("div grid", "90 days (3 months)")
    assert new.value.reveal() and new.secret_id != app["secret_id"]
    secrets_page.delete_secret(new.secret_id)
    assert [r.secret_id for r in secrets_page.secret_rows()] == [app["secret_id"]]


# --- (5) the first-login "Maybe later" dialog -----------------------------------------------------


def test_the_first_login_dialog_is_dismissed(page: Page, settings: Settings, twin_options: SetOptions) -> None:
    twin_options(portal_welcome_dialog=True)
    to_azure_portal(page, settings)  # a sign-in may already have dismissed it: this tab's first login again
    page.evaluate("sessionStorage.clear()")
    page.reload()
    # Watched from the page itself: Playwright's own waits would already run the page object's dismiss handler.
    page.wait_for_function(COVERING_DIALOG_JS)  # it comes once the first blade is up, over the search box
    portal = AzurePortal(page)
    portal.search_and_open("App registrations")  # blocked by the dialog until "Maybe later"
    assert not page.evaluate(COVERING_DIALOG_JS)
    AppRegistrations(page).new_registration()


COVERING_DIALOG_JS = """() => {
  const dialog = document.querySelector("[role=alertdialog]");
  const search = document.querySelector("input[placeholder^='Search resources, services, and docs']");
  if (!dialog || !search || dialog.getClientRects().length === 0 || !dialog.innerText.includes("Maybe later")) {
    return false;
  }
  const box = search.getBoundingClientRect();
  return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) !== search;
}"""


# --- (6) the consent dialog's words ---------------------------------------------------------------


def test_the_consent_dialog_asks_and_confirms_in_the_portals_words(page: Page, settings: Settings, admin: AdminClient,
                                                                   ) -> None:
    info = admin.provision_app(name="Consent words test", consent=False, bc_state="absent")
    try:
        portal = open_section(page, settings, info["client_id"], "CallAnAPI", "API permissions")
        scope = portal.content()
        scope.get_by_role("button", name=f"Grant admin consent for {settings.tenant_name}").click()
        question = CONSENT_QUESTION.format(tenant=settings.tenant_name)
        dialog = scope.get_by_role("dialog").filter(has_text=question)
        dialog.wait_for()
        dialog.get_by_role("button", name="No", exact=True).click()
        permissions = ApiPermissions(page)
        assert not any(r.granted for r in permissions.rows())
        permissions.grant_admin_consent(settings.tenant_name)
        assert permissions.confirmation().inner_text().strip() == CONSENT_DONE
        assert all(r.status == f"Granted for {settings.tenant_name}" for r in permissions.rows())
    finally:
        admin.remove_app(info["client_id"])


# --- (7) the older Delete: toolbar li[title=Delete], docked div[role=button][title=Delete] --------


def test_older_delete_with_a_docked_confirm(page: Page, settings: Settings, admin: AdminClient,
                                            twin_options: SetOptions, app: dict[str, Any]) -> None:
    twin_options(portal_delete_ui="docked")
    portal = open_section(page, settings, app["client_id"], "Overview", "Overview")
    scope = portal.content()
    assert scope.locator('li[title="Delete"]').count() == 1
    assert scope.get_by_role("toolbar").get_by_role("button", name="Delete").count() == 0
    assert scope.locator('div[role="button"][title="Delete"]').count() == 1  # the docked confirm, hidden until asked
    assert scope.locator("input[type=checkbox]").count() == 0  # no "I understand the implications" to tick
    AppOverview(page).delete()
    assert app["client_id"] not in {a["client_id"] for a in admin.apps()}


# --- landmarks of every page object, without and with every variant ----------------------------------------


@pytest.mark.parametrize("every_variant", [False, True], ids=["default", "every-variant"])
def test_landmarks_resolve_once(page: Page, settings: Settings, twin_options: SetOptions, app: dict[str, Any],
                                every_variant: bool) -> None:
    if every_variant:
        twin_options(**portal_variants_of_the_hostile_preset())
    to_azure_portal(page, settings)
    apps = AppRegistrations(page)
    apps.open(settings.azure_portal_url)
    counts = {f"AppRegistrations {k}": v.count() for k, v in apps.landmarks().items()}
    counts.update({f"AzurePortal {k}": v.count() for k, v in apps.portal.landmarks().items()})
    form = apps.new_registration()
    counts.update({f"RegisterApplication {k}": v.count() for k, v in form.landmarks().items()})
    portal = AzurePortal(page)
    portal.open_fragment(settings.azure_portal_url, app_fragment(app["client_id"]))
    portal.wait_for_blade("Overview")
    counts.update({f"AppOverview {k}": v.count() for k, v in AppOverview(page).landmarks().items()})
    portal.open_section("API permissions")
    permissions = ApiPermissions(page)
    counts.update({f"ApiPermissions {k}": v.count() for k, v in permissions.landmarks().items()})
    pane = permissions.open_request_pane()
    counts.update({f"RequestApiPermissions {k}": v.count() for k, v in pane.landmarks().items()})
    page.reload()
    portal.wait_for_blade("API permissions")
    portal.open_section("Certificates & secrets")
    counts.update({f"CertificatesAndSecrets {k}": v.count()
                   for k, v in CertificatesAndSecrets(page).landmarks().items()})
    assert {k: v for k, v in counts.items() if v != 1} == {}
    assert len(counts) >= 20


# --- the Azure feature with every portal variant on at once ---------------------------------------


def portal_variants_of_the_hostile_preset() -> dict[str, Any]:
    """The hostile preset's Azure portal options (its other options belong to other twins)."""
    wanted = {k: v for k, v in PRESETS["hostile"].items() if k.startswith("portal_") or k == "account_types_ui"}
    assert {"portal_layout", "portal_frames", "portal_essentials", "portal_dropdowns", "portal_grids",
            "portal_welcome_dialog", "portal_delete_ui", "account_types_ui"} <= set(wanted)
    return wanted


@pytest.fixture
def every_portal_variant(twin_options: SetOptions) -> None:
    twin_options(**portal_variants_of_the_hostile_preset())


@pytest.mark.azure_portal
@pytest.mark.ui_cleanup  # the app is deleted through the older toolbar and docked confirm
@pytest.mark.usefixtures("every_portal_variant")
@scenario("azure_app_registration.feature",
          "An administrator registers the Dynamics Mobile app with consented permissions and a client secret")
def test_the_azure_feature_with_every_portal_variant_on() -> None:
    """Steps 1-15 of the procedure against the portal twin showing every §h variant together."""


def test_the_admin_api_takes_each_variant_and_refuses_what_the_portal_cannot_show() -> None:
    for name, value in portal_variants_of_the_hostile_preset().items():
        assert problem(name, value) is None
        assert problem(name, None) is None  # back to the default
        assert (problem(name, "sideways") or "").startswith(f"option '{name}' must be ")
