"""App registrations: the list blade and "Register an application" (both account-type generations; the platform
drop-down as a combobox with options, or the older `div` "Select a platform" with `treeitem` items)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page

from pages.azure_portal import grids
from pages.azure_portal.portal import CREATE_FRAGMENT, LIST_FRAGMENT, AzurePortal, PortalError, Scope

ACCOUNT_TYPES = re.compile(r"Supported account types", re.IGNORECASE)
APP_ID_IN_URL = re.compile(r"/appId/([0-9a-fA-F-]{36})")
REQUIRED_NAME = re.compile(r"^\s*Name\s*\*?\s*$")  # a required field's name may carry its "*" marker
NEW_REGISTRATION = re.compile(r"New registration$")
PLATFORM = re.compile(r"platform", re.IGNORECASE)
SELECT_A_PLATFORM = "Select a platform"  # the older drop-down's only hook: its placeholder text
REDIRECT_URI = re.compile(r"^Redirect URI", re.IGNORECASE)


@dataclass
class AppRegistrations:
    page: Page
    title: str = "App registrations"

    def __post_init__(self) -> None:
        self.portal = AzurePortal(self.page)

    def open(self, portal_url: str) -> None:
        self.portal.open_fragment(portal_url, LIST_FRAGMENT)
        self.portal.wait_for_blade(self.title)

    def landmarks(self) -> dict[str, Locator]:
        scope = self.portal.content()
        return {"New registration button": scope.get_by_role("button", name=NEW_REGISTRATION),
                "Applications grid": self._grid(scope),
                "Filter box": self._filter_box(scope)}

    # The "All applications" and "Owned applications" tabs each hold a grid and a filter box: the shown ones count.
    def _grid(self, scope: Scope) -> Locator:
        return grids.grid_headed(scope, "Application (client) ID").filter(visible=True)

    def _filter_box(self, scope: Scope) -> Locator:
        return scope.get_by_role("searchbox").or_(
            scope.get_by_placeholder(re.compile("display name", re.I))).filter(visible=True)

    def new_registration(self) -> RegisterApplication:
        scope = self.portal.content()
        scope.get_by_role("button", name=NEW_REGISTRATION).click()
        form = RegisterApplication(self.page)
        self.portal.wait_for_blade(form.title)
        return form

    def display_names(self, filter_text: str = "") -> list[str]:
        """Display names in the grid, optionally after typing into its filter box."""
        scope = self.portal.content()
        grid = self._grid(scope).first
        if filter_text:
            self._filter_box(scope).first.fill(filter_text)
        rows = grids.body_rows(grid).filter(visible=True)
        return [t.strip() for t in rows.locator("xpath=./*[1]//a").all_inner_texts()]

    def open_app(self, display_name: str) -> None:
        self.portal.content().get_by_role("link", name=display_name, exact=True).first.click()
        self.portal.wait_for_blade("Overview")


@dataclass
class RegisterApplication:
    page: Page
    title: str = "Register an application"

    def __post_init__(self) -> None:
        self.portal = AzurePortal(self.page)

    def open(self, portal_url: str) -> None:
        self.portal.open_fragment(portal_url, CREATE_FRAGMENT)
        self.portal.wait_for_blade(self.title)

    def landmarks(self) -> dict[str, Locator]:
        scope = self.portal.content()
        return {"Name box": self._name_box(scope),
                "Supported account types choice": self._account_types(scope),
                "platform drop-down": self._platform_dropdown(scope),
                "Redirect URI box": self._redirect_uri_box(scope),
                "Register button": scope.get_by_role("button", name="Register", exact=True)}

    def _name_box(self, scope: Scope) -> Locator:
        return scope.get_by_role("textbox", name=REQUIRED_NAME).or_(
            scope.get_by_role("textbox", name=re.compile(r"display name", re.IGNORECASE)))

    def _account_types(self, scope: Scope) -> Locator:
        return scope.get_by_role("radiogroup", name=ACCOUNT_TYPES).or_(
            scope.get_by_role("combobox", name=ACCOUNT_TYPES))

    def _platform_dropdown(self, scope: Scope) -> Locator:
        """The platform combobox, or the older div known only by its "Select a platform" text (shown text outside a
        combobox: the combobox shows the same words and its hidden name holds them too)."""
        older = scope.get_by_text(SELECT_A_PLATFORM, exact=True).filter(visible=True).locator(
            "xpath=self::*[not(ancestor::*[@role='combobox'])]")
        return scope.get_by_role("combobox", name=PLATFORM).or_(older)

    def _redirect_uri_box(self, scope: Scope) -> Locator:
        return scope.get_by_role("textbox", name=REDIRECT_URI).or_(
            scope.get_by_placeholder(re.compile(r"example\.com", re.IGNORECASE)))

    def enter_name(self, name: str) -> None:
        self._name_box(self.portal.content()).first.fill(name)

    def choose_first_account_type(self) -> str:
        """Select the first "Supported account types" choice (radios or drop-down); returns its label."""
        scope = self.portal.content()
        radios = scope.get_by_role("radiogroup", name=ACCOUNT_TYPES)
        dropdown = scope.get_by_role("combobox", name=ACCOUNT_TYPES)
        self._account_types(scope).first.wait_for()
        if radios.count():
            first = radios.get_by_role("radio").first
            first.check()
            return first.evaluate("e => (e.labels && e.labels[0] ? e.labels[0].innerText : e.ariaLabel || '')").strip()
        dropdown.click()
        option = scope.get_by_role("option").first
        label = option.inner_text().strip()
        option.click()
        return label

    def set_redirect_uri(self, platform: str, uri: str) -> None:
        scope = self.portal.content()
        self._platform_dropdown(scope).first.click()
        scope.get_by_role("option", name=platform, exact=True).or_(
            scope.get_by_role("treeitem", name=platform, exact=True)).filter(visible=True).first.click()
        self._redirect_uri_box(scope).first.fill(uri)

    def submit(self) -> None:
        self.portal.content().get_by_role("button", name="Register", exact=True).click()

    def register(self, timeout_ms: float = 30_000) -> str:
        """Register and wait for the new app's Overview; returns its client id as the portal's address shows it
        ("" if the address has none). Raises PortalError with the form's alerts if the portal refuses."""
        scope = self.portal.content()
        self.submit()
        self.portal.wait_for_title_or_alert("Overview", scope, timeout_ms)
        match = APP_ID_IN_URL.search(self.page.url)
        return match.group(1).lower() if match else ""

    def validation_errors(self) -> list[str]:
        alerts = self.portal.content().get_by_role("alert")
        alerts.first.wait_for()
        return [t.strip() for t in alerts.all_inner_texts() if t.strip()]


__all__ = ["AppRegistrations", "PortalError", "RegisterApplication"]
