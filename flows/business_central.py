"""Journeys in the Business Central web client: its URLs, the Microsoft Entra Applications list by deep link,
and a new Microsoft Entra Application together with its undo (the list's own Delete)."""

from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import Page

from harness.cleanup import CleanupLedger
from harness.settings import Settings
from pages.business_central import BusinessCentralShell, EntraApplicationCard, EntraApplicationsList

ENTRA_APPLICATIONS_PAGE = "9860"


def client_url(settings: Settings, **query: str) -> str:
    """`<bc web>/<tenant>/<environment>/?company=…` (BC-URL); query values such as page=9860 are appended."""
    base = f"{settings.bc_web_url.rstrip('/')}/{settings.tenant_id}/{settings.bc_environment}/"
    return base + "?" + urlencode({"company": settings.bc_company, **query})


def open_entra_applications(page: Page, settings: Settings) -> EntraApplicationsList:
    """The list by its page=9860 deep link, as bookmarked by people who know it."""
    shell = BusinessCentralShell(page)
    shell.open(client_url(settings, page=ENTRA_APPLICATIONS_PAGE))
    apps = EntraApplicationsList(shell)
    apps.wait()
    return apps


def new_entra_application(page: Page, settings: Settings, client_id: str,
                          cleanup: CleanupLedger) -> EntraApplicationCard:
    """New on the open list, then the Client ID; its deletion through the list is registered first, so a card
    that broke half-way is still removed."""
    cleanup.add(f"Business Central record {client_id}", lambda: delete_entra_application(page, settings, client_id))
    card = EntraApplicationsList(BusinessCentralShell(page)).new()
    card.set_client_id(client_id)
    return card


def delete_entra_application(page: Page, settings: Settings, client_id: str) -> None:
    """Undo through the UI, as a user would (the list's Delete); nothing to do when it is already gone."""
    apps = open_entra_applications(page, settings)
    if apps.has(client_id):
        apps.delete(client_id)


def back_to_entra_applications(page: Page) -> EntraApplicationsList:
    """From the card back to the list, once it shows."""
    shell = BusinessCentralShell(page)
    EntraApplicationCard(shell).back()
    apps = EntraApplicationsList(shell)
    apps.wait()
    return apps
