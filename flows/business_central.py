"""Journeys in the Business Central web client: its URLs, the production guard, the Microsoft Entra Applications
list through Tell Me or by deep link, and a new Microsoft Entra Application together with its undo (the list's own
Delete).

The production guard reads the environment badge of the web client's top bar before anything in BC changes: a
Sandbox goes on; a Production environment (or one whose type the badge does not show) stops the run in one line
unless ALLOW_PRODUCTION=yes, and then the report says the run changed it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import Page

from harness.backstage import Backstage
from harness.cleanup import CleanupLedger
from harness.run_context import RunContext
from harness.settings import Settings
from pages.business_central import BusinessCentralShell, EntraApplicationCard, EntraApplicationsList
from pages.business_central.shell import EnvironmentBadge

ENTRA_APPLICATIONS_PAGE = "9860"


class ProductionEnvironmentError(RuntimeError):
    """The run was pointed at a Production Business Central environment without ALLOW_PRODUCTION=yes."""


def client_url(settings: Settings, **query: str) -> str:
    """`<bc web>/<tenant>/<environment>/?company=…` (BC-URL); query values such as page=9860 are appended."""
    base = f"{settings.bc_web_url.rstrip('/')}/{settings.tenant_id}/{settings.bc_environment}/"
    return base + "?" + urlencode({"company": settings.bc_company, **query})


def check_environment(page: Page, settings: Settings, run_context: RunContext | None = None) -> EnvironmentBadge:
    """On the open web client: go on in a Sandbox environment; otherwise raise ProductionEnvironmentError, or with
    ALLOW_PRODUCTION=yes note in the report that the run changes a production environment."""
    badge = BusinessCentralShell(page).environment()
    if badge.is_sandbox:
        return badge
    name = badge.name or settings.bc_environment
    kind = ("a Production environment" if badge.type == "Production"
            else "an environment whose type the web client's badge does not show (taken as Production)")
    if settings.allow_production != "yes":
        raise ProductionEnvironmentError(
            f"Business Central environment '{name}' is {kind}: the run changes Business Central, so it stops "
            "here; set BC_ENVIRONMENT to a sandbox environment, or ALLOW_PRODUCTION=yes to run against it anyway")
    if run_context is not None:
        run_context.note(f"ALLOW_PRODUCTION=yes: the run changed Business Central environment '{name}', {kind}.")
    return badge


def open_entra_applications(page: Page, settings: Settings,
                            run_context: RunContext | None = None) -> EntraApplicationsList:
    """The list by its page=9860 deep link, as bookmarked by people who know it (after the production guard)."""
    shell = BusinessCentralShell(page)
    shell.open(client_url(settings, page=ENTRA_APPLICATIONS_PAGE))
    check_environment(page, settings, run_context)
    apps = EntraApplicationsList(shell)
    apps.wait()
    return apps


def open_entra_applications_through_tell_me(page: Page, settings: Settings,
                                            run_context: RunContext | None = None) -> tuple[str, str]:
    """Tell Me on the open client (procedure step 16); when Tell Me lists neither caption, the page=9860 deep
    link. Returns (what found it: the Tell Me query or "?page=9860", the caption shown)."""
    check_environment(page, settings, run_context)
    found = EntraApplicationsList(BusinessCentralShell(page)).open_through_tell_me()
    if found is not None:
        return found
    apps = open_entra_applications(page, settings, run_context)
    return f"?page={ENTRA_APPLICATIONS_PAGE}", apps.wait()


def new_entra_application(page: Page, settings: Settings, client_id: str, cleanup: CleanupLedger,
                          backstage: Backstage | None = None) -> EntraApplicationCard:
    """New on the open list, then the Client ID; its deletion through the list is registered first, so a card
    that broke half-way is still removed (on the sandbox the backstage's cheaper undo stands in, see
    harness.cleanup)."""
    shortcut = (lambda: backstage.undo_bc_application(client_id)) if backstage is not None else None
    cleanup.add(f"Business Central record {client_id}", lambda: delete_entra_application(page, settings, client_id),
                shortcut=shortcut)
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
