"""Journeys in the Azure portal: registering the application together with its undo, and the undo itself
(the portal's own Delete, finding the app by its run-unique name when Register gave no client id)."""

from __future__ import annotations

from playwright.sync_api import Page

from harness.backstage import Backstage
from harness.cleanup import CleanupLedger
from harness.settings import Settings
from pages.azure_portal import AppOverview, AppRegistrations, AzurePortal, RegisterApplication
from pages.azure_portal.portal import app_fragment


def register_application(page: Page, settings: Settings, name: str, cleanup: CleanupLedger,
                         backstage: Backstage) -> str:
    """Press Register on the filled form and return the new app's client id. The undo is registered before the
    click: if Register breaks after the portal created the app, the undo still finds it by name."""
    client_id = ""

    def undo() -> None:
        delete_app_registration(page, settings, name, client_id, backstage)

    cleanup.add(f"app registration {name}", undo, shortcut=lambda: backstage.undo_app_registration(client_id, name))
    client_id = RegisterApplication(page).register(timeout_ms=settings.ui_timeout_s * 1000)
    if not client_id:
        raise AssertionError("the portal's address after Register carries no appId")
    return client_id


def delete_app_registration(page: Page, settings: Settings, name: str, client_id: str,
                            backstage: Backstage) -> None:
    """The portal's Delete on the app's Overview (by client id, else by name; nothing when it never existed).

    If the page is gone or the UI breaks, the backstage removes the app where it can (sandbox), and a broken
    UI is still raised, so a broken Delete page object shows up as a cleanup failure."""
    if page.is_closed():
        if not (client_id and backstage.remove_app(client_id)):
            raise RuntimeError(f"the browser page closed before app {name!r} could be deleted in the portal")
        return
    try:
        if client_id:
            AzurePortal(page).open_fragment(settings.azure_portal_url, app_fragment(client_id))
        else:
            registrations = AppRegistrations(page)
            registrations.open(settings.azure_portal_url)
            if name not in registrations.display_names(name):
                return  # Register never created it
            registrations.open_app(name)
        AppOverview(page).delete()
    except Exception:
        if client_id:
            backstage.remove_app(client_id)
        raise
