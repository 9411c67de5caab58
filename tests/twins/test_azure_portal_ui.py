"""Azure portal twin through its page objects: TOTP sign-in, deep links, validation, the one-time secret Value,
and the react-frame layout."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from flows.azure_portal import delete_app_registration
from flows.sign_in import to_azure_portal
from harness.backstage import Backstage
from harness.sandbox_control import AdminClient
from harness.secrets import Secret
from harness.settings import Settings
from pages.azure_portal import AppRegistrations, AzurePortal, CertificatesAndSecrets, PortalError, RegisterApplication
from pages.azure_portal.portal import ACTIVE_FRAME, LIST_FRAGMENT, app_fragment
from pages.microsoft_login import MicrosoftLogin, SignInError

pytestmark = [pytest.mark.ui, pytest.mark.sandbox_only, pytest.mark.reuse_sign_in]


@pytest.fixture
def layout(request: pytest.FixtureRequest, admin: AdminClient) -> Iterator[str]:
    """Portal layout for one test (default "top"); restored afterwards."""
    wanted = getattr(request, "param", "top")
    before = admin.options().get("portal_layout", "top")
    admin.set_options(portal_layout=wanted)
    yield wanted
    admin.set_options(portal_layout=before)


@pytest.fixture
def provisioned(admin: AdminClient) -> Iterator[dict]:
    info = admin.provision_app(name="Portal twin test", bc_state="absent")
    yield info
    admin.remove_app(info["client_id"])


def test_mfa_user_signs_in_with_a_totp_code(page: Page, settings: Settings, sandbox_endpoints: dict) -> None:
    to_azure_portal(page, settings, user=sandbox_endpoints["mfa_user"],
                      password=Secret(sandbox_endpoints["mfa_password"], "mfa_password"),
                      totp_seed=Secret(sandbox_endpoints["mfa_totp_seed"], "mfa_totp_seed"))
    assert AzurePortal(page).signed_in_user() == sandbox_endpoints["mfa_user"]


def test_mfa_user_without_a_seed_gets_a_clear_error(page: Page, settings: Settings, sandbox_endpoints: dict) -> None:
    with pytest.raises(SignInError, match="verification code"):
        to_azure_portal(page, settings, user=sandbox_endpoints["mfa_user"],
                          password=Secret(sandbox_endpoints["mfa_password"], "mfa_password"))


@pytest.mark.signs_in
def test_a_deep_link_survives_the_sign_in(page: Page, settings: Settings) -> None:
    portal = AzurePortal(page)
    portal.open_fragment(settings.azure_portal_url, LIST_FRAGMENT)
    assert settings.admin_password is not None
    MicrosoftLogin(page).sign_in(settings.admin_user, settings.admin_password)
    portal.wait_for_blade("App registrations")


@pytest.mark.parametrize("layout", ["top", pytest.param("iframe", marks=pytest.mark.slow)], indirect=True)
def test_registration_validation(page: Page, settings: Settings, admin: AdminClient, layout: str) -> None:
    to_azure_portal(page, settings)
    form = RegisterApplication(page)
    form.open(settings.azure_portal_url)
    form.submit()
    assert any("name" in error.lower() for error in form.validation_errors())
    name = f"Invalid redirect {layout}"
    form.enter_name(name)
    form.set_redirect_uri("Web", "http://example.com/auth")
    with pytest.raises(PortalError, match="redirect URI"):
        form.register(timeout_ms=10_000)
    assert name not in [a["display_name"] for a in admin.apps()]


@pytest.mark.parametrize("layout", ["top", pytest.param("iframe", marks=pytest.mark.slow)], indirect=True)
def test_the_secret_value_is_shown_once(page: Page, settings: Settings, admin: AdminClient, provisioned: dict,
                                        layout: str) -> None:
    to_azure_portal(page, settings)
    portal = AzurePortal(page)
    portal.open_fragment(settings.azure_portal_url, app_fragment(provisioned["client_id"], "Credentials"))
    secrets_page = CertificatesAndSecrets(page)
    portal.wait_for_blade(secrets_page.title)
    new = secrets_page.add_client_secret("twin test", "90 days (3 months)")
    stored = next(a for a in admin.apps() if a["client_id"] == provisioned["client_id"])["secrets"]
    assert new.secret_id in [s["key_id"] for s in stored]
    assert new.value.hint()[:3] in [s["hint"] for s in stored]
    # After the page was left, neither the page nor the blade's own JSON carries the Value.
    assert not secrets_page.page_contains(new.value)
    blade = page.evaluate("route => fetch('/api/blade?route=' + encodeURIComponent(route)).then(r => r.json())",
                          app_fragment(provisioned["client_id"], "Credentials"))
    assert blade["title"].endswith("Certificates & secrets")
    in_blade = new.value.reveal() in json.dumps(blade)
    assert not in_blade
    secrets_page.delete_secret(new.secret_id)
    assert new.secret_id not in [r.secret_id for r in secrets_page.secret_rows()]


@pytest.mark.parametrize("layout", ["iframe"], indirect=True)
def test_iframe_layout_puts_content_in_the_active_frame_only(page: Page, settings: Settings, layout: str) -> None:
    to_azure_portal(page, settings)
    apps = AppRegistrations(page)
    apps.open(settings.azure_portal_url)
    assert page.locator(ACTIVE_FRAME).count() == 1
    assert page.locator("iframe.fxs-reactview-frame.fxs-display-none").count() == 1
    assert page.get_by_role("button", name="New registration").count() == 0  # not in the top document
    apps.new_registration()
    assert page.locator(ACTIVE_FRAME).count() == 1
    # the frame that held the list is now the hidden sibling: stale content the page objects must ignore
    hidden = page.frame_locator("iframe.fxs-display-none")
    assert hidden.get_by_text("New registration").count() == 1


def test_the_register_undo_finds_the_app_by_name_when_register_gave_no_client_id(
        page: Page, settings: Settings, admin: AdminClient, backstage: Backstage, layout: str) -> None:
    name = "Register broke 7f3a"
    created = admin.provision_app(name=name, bc_state="absent")
    to_azure_portal(page, settings)
    delete_app_registration(page, settings, name, "", backstage)
    assert created["client_id"] not in {a["client_id"] for a in admin.apps()}
    delete_app_registration(page, settings, name, "", backstage)  # idempotent: nothing left to delete is fine
