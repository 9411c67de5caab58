"""App registrations: the list blade and "Register an application" (both account-type generations)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Page

from pages.azure_portal.portal import CREATE_FRAGMENT, LIST_FRAGMENT, AzurePortal, PortalError

ACCOUNT_TYPES = re.compile(r"Supported account types", re.IGNORECASE)
APP_ID_IN_URL = re.compile(r"/appId/([0-9a-fA-F-]{36})")
REQUIRED_NAME = re.compile(r"^\s*Name\s*\*?\s*$")  # a required field's name may carry its "*" marker


@dataclass
class AppRegistrations:
    page: Page
    title: str = "App registrations"

    def __post_init__(self) -> None:
        self.portal = AzurePortal(self.page)

    def open(self, portal_url: str) -> None:
        self.portal.open_fragment(portal_url, LIST_FRAGMENT)
        self.portal.wait_for_blade(self.title)

    def new_registration(self) -> RegisterApplication:
        scope = self.portal.content()
        scope.get_by_role("button", name=re.compile(r"New registration$")).click()
        form = RegisterApplication(self.page)
        self.portal.wait_for_blade(form.title)
        return form

    def display_names(self, filter_text: str = "") -> list[str]:
        """Display names in the grid, optionally after typing into its filter box."""
        scope = self.portal.content()
        grid = scope.get_by_role("grid").or_(scope.get_by_role("table")).first
        if filter_text:
            scope.get_by_role("searchbox").or_(scope.get_by_placeholder(re.compile("display name", re.I))).first \
                .fill(filter_text)
        return [t.strip() for t in grid.locator("tbody tr:visible td:first-child a").all_inner_texts()]

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

    def enter_name(self, name: str) -> None:
        scope = self.portal.content()
        scope.get_by_role("textbox", name=REQUIRED_NAME).or_(
            scope.get_by_role("textbox", name=re.compile(r"display name", re.IGNORECASE))).first.fill(name)

    def choose_first_account_type(self) -> str:
        """Select the first "Supported account types" choice (radios or drop-down); returns its label."""
        scope = self.portal.content()
        radios = scope.get_by_role("radiogroup", name=ACCOUNT_TYPES)
        dropdown = scope.get_by_role("combobox", name=ACCOUNT_TYPES)
        radios.or_(dropdown).first.wait_for()
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
        scope.get_by_role("combobox", name=re.compile(r"platform", re.IGNORECASE)).click()
        scope.get_by_role("option", name=platform, exact=True).click()
        scope.get_by_role("textbox", name=re.compile(r"^Redirect URI", re.IGNORECASE)).or_(
            scope.get_by_placeholder(re.compile(r"example\.com", re.IGNORECASE))).first.fill(uri)

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
