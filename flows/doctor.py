"""The UI drift check (`bcoauth doctor`, `pytest -m drift`): sign in to each UI and, read-only, visit every page
the procedure touches, counting each key element the page object looks for (its `landmarks()`): exactly one is
"found", none is "missing", more than one is "ambiguous" (a strict locator would refuse it).

Read-only means: forms are opened, never submitted; cards are opened, never edited; nothing is created. Pages are
reached by their deep links where the UI has them, so one missing button does not hide the pages behind it; a
page that does not open at all is reported as missing, with the reason. Run it before a nightly live run: a
missing element names the page object and the element to fix before the run fails on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from flows import business_central, sign_in
from flows.standalone_browser import browser_page
from harness.settings import Settings
from pages.azure_portal import (
    ApiPermissions,
    AppOverview,
    AppRegistrations,
    AzurePortal,
    CertificatesAndSecrets,
    RegisterApplication,
)
from pages.business_central import BusinessCentralShell, EntraApplicationCard
from pages.dynamics_mobile import PortalLoginPage, PortalShell, RolesListPage

AZURE, BC, DM = "Azure portal", "Business Central", "Dynamics Mobile Portal"
FOUND, MISSING, AMBIGUOUS = "found", "missing", "ambiguous"
# How long one element may take to appear once its page has loaded: a missing one costs this much, once.
LANDMARK_WAIT_S = 10.0
NOT_OPENED = "(the page itself)"

# Called after each page is checked, with the page at rest (pytest attaches a screenshot to the report).
OnPage = Callable[[str, str, Page], None]


@dataclass(frozen=True)
class Row:
    ui: str
    page_object: str
    element: str
    count: int
    detail: str = ""  # why a page did not open

    @property
    def result(self) -> str:
        return FOUND if self.count == 1 else MISSING if self.count == 0 else f"{AMBIGUOUS} ({self.count})"


@dataclass
class DriftReport:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # pages not visited, and why

    @property
    def missing(self) -> list[Row]:
        return [r for r in self.rows if r.count == 0]

    @property
    def ok(self) -> bool:
        return not self.missing

    def table(self) -> str:
        """One table: UI, page object, element, result (and, for a page that did not open, why)."""
        header = ("UI", "page object", "element", "result")
        lines = [(r.ui, r.page_object, r.element, r.result + (f": {r.detail}" if r.detail else ""))
                 for r in self.rows]
        widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=False)]

        def row(cells: Iterable[str]) -> str:
            return " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False)).rstrip()

        out = [row(header), "-+-".join("-" * w for w in widths), *(row(line) for line in lines)]
        out += [f"note: {note}" for note in self.notes]
        return "\n".join(out)

    def summary(self) -> str:
        counts = {result: sum(1 for r in self.rows if r.result.startswith(result))
                  for result in (FOUND, MISSING, AMBIGUOUS)}
        line = ", ".join(f"{n} {result}" for result, n in counts.items())
        if self.missing:
            line += "; missing: " + "; ".join(f"{r.ui} › {r.page_object} › {r.element}" for r in self.missing)
        return f"UI drift check: {len(self.rows)} elements, {line}"


def count(locator: Locator, wait_s: float = LANDMARK_WAIT_S) -> int:
    """How many elements match, once the first has had `wait_s` to appear (0 if it never does)."""
    try:
        locator.first.wait_for(state="attached", timeout=wait_s * 1000)
    except PlaywrightError:
        return 0
    return locator.count()


class Doctor:
    """Visits one UI at a time into `report`; each visit survives the failures of the pages before it."""

    def __init__(self, page: Page, settings: Settings, report: DriftReport | None = None,
                 on_page: OnPage | None = None, wait_s: float = LANDMARK_WAIT_S) -> None:
        self.page = page
        self.settings = settings
        self.report = report or DriftReport()
        self._on_page = on_page
        self._wait_s = wait_s

    def check(self, ui: str, page_object: object) -> None:
        name = type(page_object).__name__
        landmarks: dict[str, Locator] = page_object.landmarks()  # type: ignore[attr-defined]
        for element, locator in landmarks.items():
            try:
                found = count(locator, self._wait_s)
            except PlaywrightError:  # e.g. the frame it lives in never settled
                found = 0
            self.report.rows.append(Row(ui, name, element, found))
        if self._on_page is not None:
            self._on_page(ui, name, self.page)

    def visit(self, ui: str, page_object_name: str, open_and_check: Callable[[], None]) -> bool:
        """Run one page's visit; a page that cannot be opened is one missing row saying why. True if it opened."""
        try:
            open_and_check()
            return True
        except Exception as exc:  # noqa: BLE001 - every page is visited whatever the one before did
            first_line = (str(exc).strip().splitlines() or [""])[0]  # Playwright appends its call log
            detail = " ".join(f"{type(exc).__name__}: {first_line}".split())[:160]
            self.report.rows.append(Row(ui, page_object_name, NOT_OPENED, 0, detail))
            if self._on_page is not None and not self.page.is_closed():
                self._on_page(ui, page_object_name, self.page)
            return False

    # --- Azure portal ----------------------------------------------------------------------------------

    def azure_portal(self) -> None:
        page, settings = self.page, self.settings
        portal = AzurePortal(page)

        def shell() -> None:
            sign_in.to_azure_portal(page, settings)
            self.check(AZURE, portal)

        if not self.visit(AZURE, "AzurePortal", shell):
            self.report.notes.append(f"{AZURE}: sign-in failed, its other pages were not visited")
            return
        registrations = AppRegistrations(page)

        def app_list() -> None:
            registrations.open(settings.azure_portal_url)
            self.check(AZURE, registrations)

        self.visit(AZURE, "AppRegistrations", app_list)

        def register_form() -> None:  # opened by its deep link, never submitted
            form = RegisterApplication(page)
            form.open(settings.azure_portal_url)
            self.check(AZURE, form)

        self.visit(AZURE, "RegisterApplication", register_form)
        names: list[str] = []

        def first_app() -> None:
            registrations.open(settings.azure_portal_url)
            names.extend(registrations.display_names())

        if not self.visit(AZURE, "AppRegistrations", first_app) or not names:
            self.report.notes.append(f"{AZURE}: no app to visit (Overview, API permissions and Certificates & "
                                     "secrets not checked)")
            return
        self._app_sections(portal, registrations, self._pick(names))

    def _pick(self, names: list[str]) -> str:
        """One of this harness's apps when there is one (its pages are the procedure's), else the first."""
        prefix = self.settings.app_name + " "
        return next((n for n in names if n.startswith(prefix)), names[0])

    def _app_sections(self, portal: AzurePortal, registrations: AppRegistrations, name: str) -> None:
        page = self.page

        def overview() -> None:
            registrations.open_app(name)
            self.check(AZURE, AppOverview(page))

        if not self.visit(AZURE, "AppOverview", overview):
            return
        def api_permissions() -> None:
            portal.open_section("API permissions")
            self.check(AZURE, ApiPermissions(page))

        self.visit(AZURE, "ApiPermissions", api_permissions)

        def certificates_and_secrets() -> None:  # the Client secrets tab, where the procedure adds its secret
            portal.open_section("Certificates & secrets")
            secrets = CertificatesAndSecrets(page)
            secrets.show_client_secrets()
            self.check(AZURE, secrets)

        self.visit(AZURE, "CertificatesAndSecrets", certificates_and_secrets)

    # --- Business Central ------------------------------------------------------------------------------

    def business_central(self) -> None:
        page, settings = self.page, self.settings
        shell = BusinessCentralShell(page)

        def role_centre() -> None:
            sign_in.to_business_central(page, settings)
            self.check(BC, shell)

        if not self.visit(BC, "BusinessCentralShell", role_centre):
            self.report.notes.append(f"{BC}: sign-in failed, its other pages were not visited")
            return

        def tell_me() -> None:  # opened and closed, nothing searched
            shell.tell_me.open()
            self.check(BC, shell.tell_me)
            shell.tell_me.close()

        self.visit(BC, "TellMe", tell_me)
        client_ids: list[str] = []

        def entra_applications() -> None:
            apps = business_central.open_entra_applications(page, settings)
            self.check(BC, apps)
            client_ids.extend(apps.client_ids())

        if not self.visit(BC, "EntraApplicationsList", entra_applications):
            return
        if not client_ids:
            self.report.notes.append(f"{BC}: no Microsoft Entra Application to open (its card was not checked)")
            return

        def card() -> None:  # opened from the list, never edited
            apps = business_central.open_entra_applications(page, settings)
            apps.open_card(client_ids[0])
            self.check(BC, EntraApplicationCard(shell))

        self.visit(BC, "EntraApplicationCard", card)

    # --- Dynamics Mobile Portal ------------------------------------------------------------------------

    def dynamics_mobile(self) -> None:
        page, settings = self.page, self.settings
        login = PortalLoginPage(page, settings.dm_portal_url)
        shell = PortalShell(page)

        def login_form() -> None:
            page.goto(settings.dm_portal_url)
            login.area.or_(shell.apps_button).first.wait_for()
            if login.area.is_visible():
                self.check(DM, login)
            else:  # a session from earlier in this browser: the Portal goes straight in
                self.report.notes.append(f"{DM}: already signed in, the sign-in form was not shown (not checked)")

        self.visit(DM, "PortalLoginPage", login_form)

        def adm() -> None:
            sign_in.to_dynamics_mobile_portal(page, settings)
            shell.open_application("ADM")
            self.check(DM, shell)

        if not self.visit(DM, "PortalShell", adm):
            self.report.notes.append(f"{DM}: sign-in or ADM failed, its other pages were not visited")
            return
        roles = RolesListPage(page)
        role_exists: list[bool] = []

        def roles_list() -> None:
            shell.open_roles()
            self.check(DM, roles)
            role_exists.append(roles.has_role(settings.dm_role_id))

        if not self.visit(DM, "RolesListPage", roles_list):
            return

        def new_role_form() -> None:  # opened, never submitted; back to the list by its menu link
            self.check(DM, roles.start_new())
            shell.open_roles()

        self.visit(DM, "RoleCreateForm", new_role_form)
        if not role_exists[0]:
            self.report.notes.append(f"{DM}: no role {settings.dm_role_id} yet (its Settings › AGENT › Backend "
                                     "Connection was not checked; the first run creates it)")
            return

        def backend_connection() -> None:  # sections expanded, nothing edited
            role = roles.open_role(settings.dm_role_id)
            role.open_agent_settings()
            role.open_backend_connection()
            self.check(DM, role)

        self.visit(DM, "RoleSettingsPage", backend_connection)

    def run_all(self) -> DriftReport:
        self.azure_portal()
        self.business_central()
        self.dynamics_mobile()
        return self.report


def run_doctor(settings: Settings, spki_sha256: str | None = None) -> DriftReport:
    """`bcoauth doctor`: every UI in a browser of its own."""
    with browser_page(settings, spki_sha256) as page:
        return Doctor(page, settings).run_all()
