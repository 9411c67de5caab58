"""Signing in to each UI, for sandbox and live alike: the Azure portal and Business Central through a saved
storage state or the Microsoft sign-in pages (password, TOTP when the account asks, "Stay signed in?"), and the
Dynamics Mobile Portal through its own form."""

from __future__ import annotations

from playwright.sync_api import Page

from flows.business_central import client_url
from harness.secrets import Secret
from harness.settings import Settings
from harness.sign_in_setup import SignInSetupError, apply_storage_state, totp_source
from pages.azure_portal.portal import AzurePortal
from pages.business_central import BusinessCentralShell
from pages.dynamics_mobile import PortalLoginPage
from pages.microsoft_login import MicrosoftLogin


def to_azure_portal(page: Page, settings: Settings, *, user: str | None = None, password: Secret | None = None,
                    totp_seed: Secret | None = None) -> None:
    """Open the portal and end on its shell, signed in; raises SignInError/SignInSetupError with a clear reason.

    Defaults come from settings (AZURE_ADMIN_USER, AZURE_ADMIN_PASSWORD, AZURE_ADMIN_TOTP_SEED,
    AZURE_STORAGE_STATE); an explicit `user` signs in someone else (e.g. the MFA test user), never from the
    saved state."""
    page.set_default_timeout(settings.ui_timeout_s * 1000)
    if settings.azure_storage_state and user is None:
        apply_storage_state(page.context, settings.azure_storage_state)
    portal = AzurePortal(page)
    login = MicrosoftLogin(page)
    page.goto(settings.azure_portal_url.rstrip("/") + "/")
    portal.search_box.or_(login.email).or_(login.password).first.wait_for()
    if portal.is_shell_visible():
        return
    if user is None:
        user, password, totp_seed = settings.admin_user, settings.admin_password, settings.admin_totp_seed
    if not user or password is None:
        raise SignInSetupError("the portal asks for a sign-in: set AZURE_ADMIN_USER and AZURE_ADMIN_PASSWORD, or "
                               "AZURE_STORAGE_STATE (the saved state may have expired)")
    login.sign_in(user, password, totp=totp_source(totp_seed), stay_signed_in=False)
    portal.wait_for_shell()


def to_business_central(page: Page, settings: Settings) -> None:
    """Open the BC web client for the configured environment and company, signed in as the administrator."""
    if settings.azure_storage_state:
        apply_storage_state(page.context, settings.azure_storage_state)
    shell = BusinessCentralShell(page)
    if shell.open(client_url(settings)) == "sign-in":
        if settings.admin_password is None:
            raise SignInSetupError("AZURE_ADMIN_PASSWORD is not set and the saved sign-in (AZURE_STORAGE_STATE) "
                                   "expired")
        MicrosoftLogin(page).sign_in(settings.admin_user, settings.admin_password,
                                     totp=totp_source(settings.admin_totp_seed))
        shell.wait_for_client_or_sign_in()
    shell.wait_until_ready()


def to_dynamics_mobile_portal(page: Page, settings: Settings) -> None:
    """Sign in to the configured application area of the Dynamics Mobile Portal."""
    PortalLoginPage(page, settings.dm_portal_url).sign_in(settings.dm_application_area, settings.dm_user,
                                                          settings.dm_password)
