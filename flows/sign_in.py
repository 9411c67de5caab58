"""Signing in to each UI, for sandbox and live alike: the Azure portal and Business Central through a saved
storage state or the Microsoft sign-in pages (password, TOTP when the account asks, "Stay signed in?"), and the
Dynamics Mobile Portal through its own form.

Each UI is signed in to once per pytest worker: after a sign-in the context's cookies are kept
(`harness.signed_in`), later scenarios' contexts start from them and find the UI signed in. A saved session that
no longer works (expired, sandbox clock moved) just leads to the sign-in pages again.
"""

from __future__ import annotations

from playwright.sync_api import Page

from flows.business_central import client_url
from harness import signed_in
from harness.secrets import Secret
from harness.settings import Settings
from harness.sign_in_setup import SignInSetupError, apply_storage_state, totp_source
from pages.azure_portal.portal import AzurePortal
from pages.business_central import BusinessCentralShell
from pages.dynamics_mobile import PortalLoginPage, PortalShell
from pages.microsoft_login import MicrosoftLogin


def _microsoft_login(page: Page, settings: Settings) -> MicrosoftLogin:
    """The sign-in pages; a person at a headed browser gets UI_TIMEOUT_S to answer a phone prompt."""
    return MicrosoftLogin(page, headed=settings.headed, timeout_s=settings.ui_timeout_s)


def to_azure_portal(page: Page, settings: Settings, *, user: str | None = None, password: Secret | None = None,
                    totp_seed: Secret | None = None) -> None:
    """Open the portal and end on its shell, signed in; raises SignInError/SignInSetupError with a clear reason.

    Defaults come from settings (AZURE_ADMIN_USER, AZURE_ADMIN_PASSWORD, AZURE_ADMIN_TOTP_SEED,
    AZURE_STORAGE_STATE); an explicit `user` signs in someone else (e.g. the MFA test user), never from a saved
    state: the context's cookies are cleared first."""
    page.set_default_timeout(settings.ui_timeout_s * 1000)
    kept = signed_in.current() if user is None else None
    if user is not None:
        page.context.clear_cookies()
    elif settings.azure_storage_state and kept is None:
        apply_storage_state(page.context, settings.azure_storage_state)
    portal = AzurePortal(page)
    login = _microsoft_login(page, settings)
    page.goto(settings.azure_portal_url.rstrip("/") + "/")
    portal.search_box.or_(login.any_prompt).first.wait_for()
    if not portal.is_shell_visible():
        if user is None:
            user, password, totp_seed = settings.admin_user, settings.admin_password, settings.admin_totp_seed
        if not user or password is None:
            raise SignInSetupError("the portal asks for a sign-in: set AZURE_ADMIN_USER and AZURE_ADMIN_PASSWORD, "
                                   "or AZURE_STORAGE_STATE (the saved state may have expired)")
        login.sign_in(user, password, totp=totp_source(totp_seed), stay_signed_in=False)
        portal.wait_for_shell()
    elif kept is not None and kept.has(signed_in.MICROSOFT):
        return  # the context started signed in: nothing new to keep
    if kept is not None:
        kept.save(signed_in.MICROSOFT, page.context)


def to_business_central(page: Page, settings: Settings) -> None:
    """Open the BC web client for the configured environment and company, signed in as the administrator."""
    page.set_default_timeout(settings.ui_timeout_s * 1000)
    kept = signed_in.current()
    if settings.azure_storage_state and kept is None:
        apply_storage_state(page.context, settings.azure_storage_state)
    shell = BusinessCentralShell(page)
    signed = False
    if shell.open(client_url(settings)) == "sign-in":
        if settings.admin_password is None:
            raise SignInSetupError("AZURE_ADMIN_PASSWORD is not set and the saved sign-in (AZURE_STORAGE_STATE) "
                                   "expired")
        _microsoft_login(page, settings).sign_in(settings.admin_user, settings.admin_password,
                                     totp=totp_source(settings.admin_totp_seed))
        shell.wait_for_client_or_sign_in()
        signed = True
    shell.wait_until_ready()
    if kept is not None and (signed or not kept.has(signed_in.BUSINESS_CENTRAL)):
        kept.save(signed_in.BUSINESS_CENTRAL, page.context)


def to_dynamics_mobile_portal(page: Page, settings: Settings) -> None:
    """Sign in to the configured application area of the Dynamics Mobile Portal (or find it signed in)."""
    page.set_default_timeout(settings.ui_timeout_s * 1000)
    kept = signed_in.current()
    login = PortalLoginPage(page, settings.dm_portal_url)
    if kept is not None and kept.has(signed_in.DYNAMICS_MOBILE):
        shell = PortalShell(page)
        page.goto(settings.dm_portal_url)  # signed in: the Portal lands on the role's default application
        shell.apps_button.or_(login.area).first.wait_for()
        if shell.apps_button.is_visible():
            shell.wait_until_ready()
            return
    login.sign_in(settings.dm_application_area, settings.dm_user, settings.dm_password)
    if kept is not None:
        kept.save(signed_in.DYNAMICS_MOBILE, page.context)
