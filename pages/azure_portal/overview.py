"""An app registration's Overview: the Essentials and the Delete command."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Page

from harness.settings import GUID_PATTERN
from pages.azure_portal.portal import AzurePortal

GUID = re.compile(GUID_PATTERN)


@dataclass(frozen=True)
class Essentials:
    display_name: str
    client_id: str
    object_id: str
    tenant_id: str
    managed_application: str


@dataclass
class AppOverview:
    page: Page

    def __post_init__(self) -> None:
        self.portal = AzurePortal(self.page)

    def _value(self, label: str) -> str:
        scope = self.portal.content()
        item = scope.locator(".fxc-essentials-item").filter(has_text=re.compile("^" + re.escape(label)))
        return item.locator(".fxc-essentials-value").first.inner_text().strip()

    def _guid(self, label: str) -> str:
        text = self._value(label)
        match = GUID.search(text)
        return match.group(0).lower() if match else text

    def essentials(self) -> Essentials:
        self.portal.wait_for_blade("Overview")
        return Essentials(display_name=self._value("Display name"),
                          client_id=self._guid("Application (client) ID"),
                          object_id=self._guid("Object ID"),
                          tenant_id=self._guid("Directory (tenant) ID"),
                          managed_application=self._value("Managed application in local directory"))

    def delete(self) -> None:
        """Delete the registration (command bar → acknowledge → Delete); back on App registrations afterwards."""
        scope = self.portal.content()
        scope.get_by_role("toolbar").get_by_role("button", name="Delete", exact=True).click()
        dialog = scope.get_by_role("dialog", name="Delete app registration")
        dialog.get_by_role("checkbox").check()
        dialog.get_by_role("button", name="Delete", exact=True).click()
        self.portal.wait_for_blade("App registrations")
