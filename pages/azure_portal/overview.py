"""An app registration's Overview: the Essentials and the Delete command.

Essentials are read by their label text: React blades replaced the `fxc-essentials-*` classes with generated ones
(`essentialsValue-NNN`) and link no label to its value (FIDELITY.md §h); the value is the element after the label.
Delete is the command bar's button and a pane with an acknowledgement checkbox, or in the older UI the toolbar's
`li[title=Delete]` and a docked confirm `div[role=button][title=Delete]` without one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page

from harness.settings import GUID_PATTERN
from pages.azure_portal.portal import AzurePortal

GUID = re.compile(GUID_PATTERN)
ESSENTIALS = ("Display name", "Application (client) ID", "Object ID", "Directory (tenant) ID",
              "Managed application in local directory")
DELETE_PANE = "Delete app registration"


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

    def landmarks(self) -> dict[str, Locator]:
        scope = self.portal.content()
        marks = {"Delete command": self._delete_command()}
        marks.update({f"{label} label": scope.get_by_text(label, exact=True) for label in ESSENTIALS})
        return marks

    def _value_of(self, label: str) -> Locator:
        """The Essentials value shown after its label (whatever the classes are called)."""
        label_element = self.portal.content().get_by_text(label, exact=True).first
        return label_element.locator("xpath=following-sibling::*[1]")

    def _value(self, label: str) -> str:
        return self._value_of(label).inner_text().strip()

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

    def _delete_command(self) -> Locator:
        scope = self.portal.content()
        return scope.get_by_role("toolbar").get_by_role("button", name="Delete", exact=True).or_(
            scope.locator('li[title="Delete"]'))

    def delete(self) -> None:
        """Delete the registration (command bar → acknowledge → Delete in the pane, or the older toolbar → the
        docked Delete); back on App registrations afterwards."""
        scope = self.portal.content()
        self._delete_command().first.click()
        pane = scope.get_by_role("dialog", name=DELETE_PANE)
        docked = scope.locator('div[role="button"][title="Delete"]')
        pane.or_(docked).first.wait_for()
        if pane.is_visible():
            pane.get_by_role("checkbox").check()
            pane.get_by_role("button", name="Delete", exact=True).click()
        else:
            docked.click()
        self.portal.wait_for_blade("App registrations")
