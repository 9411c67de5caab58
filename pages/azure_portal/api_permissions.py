"""API permissions: the Configured permissions grid (a table, or a `div` grid in React blades), the "Request API
permissions" pane, and admin consent."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from playwright.sync_api import Locator, Page

from pages.azure_portal import grids
from pages.azure_portal.portal import AzurePortal, Scope

CONSENTED = "Successfully granted admin consent for the requested permissions."
CONSENT_QUESTION = "Do you want to grant consent for the requested permissions"
PERMISSIONS_COLUMN = "API / Permissions name"
GROUP_COUNT = re.compile(r"\s*\(\d+\)\s*$")  # "Dynamics 365 Business Central (2)"
GRANT_CONSENT = re.compile(r"^Grant admin consent for ", re.IGNORECASE)
ADD_A_PERMISSION = re.compile(r"Add a permission$")


@dataclass(frozen=True)
class PermissionRow:
    api: str
    name: str
    type: str
    description: str
    admin_consent_required: str
    status: str

    @property
    def granted(self) -> bool:
        return self.status.lower().startswith("granted for")


def normalise(name: str) -> str:
    """Permission names compare without dots and case (the procedure writes "Financials.ReadWriteAll")."""
    return re.sub(r"[^a-z0-9_]", "", name.lower())


@dataclass
class ApiPermissions:
    page: Page
    title: str = "API permissions"

    def __post_init__(self) -> None:
        self.portal = AzurePortal(self.page)

    def landmarks(self) -> dict[str, Locator]:
        scope = self.portal.content()
        return {"Add a permission button": scope.get_by_role("button", name=ADD_A_PERMISSION),
                "Grant admin consent button": scope.get_by_role("button", name=GRANT_CONSENT),
                "Configured permissions grid": grids.grid_headed(scope, PERMISSIONS_COLUMN)}

    def rows(self) -> list[PermissionRow]:
        """The configured permissions, each with the API of the group it is listed under."""
        grid = grids.grid_headed(self.portal.content(), PERMISSIONS_COLUMN)
        grid.wait_for()
        out = []
        api = ""
        for cells in grids.read(grid)[1]:
            if len(cells) == 1:  # a group header: "<API> (<count>)"
                api = GROUP_COUNT.sub("", cells[0]).strip()
                continue
            name, kind, description, required, status = (cells + [""] * 5)[:5]
            out.append(PermissionRow(api, name, kind, description, required, re.sub(r"^[^\w]+", "", status).strip()))
        return out

    def open_request_pane(self) -> RequestApiPermissions:
        """"+ Add a permission": the "Request API permissions" pane, on its API cards."""
        scope = self.portal.content()
        scope.get_by_role("button", name=ADD_A_PERMISSION).click()
        pane = RequestApiPermissions(self.page, scope)
        pane.pane.wait_for()
        return pane

    def request_permissions(self, api: str) -> RequestApiPermissions:
        """"+ Add a permission", then the API's card under Microsoft APIs."""
        pane = self.open_request_pane()
        pane.choose_api(api)
        return pane

    def grant_admin_consent(self, tenant_name: str = "") -> None:
        """"Grant admin consent for <tenant>" → Yes; waits until the portal confirms."""
        scope = self.portal.content()
        name = (re.compile(rf"^Grant admin consent for {re.escape(tenant_name)}$", re.IGNORECASE) if tenant_name
                else GRANT_CONSENT)
        scope.get_by_role("button", name=name).click()
        dialog = scope.get_by_role("dialog").or_(scope.get_by_role("alertdialog")).filter(has_text=CONSENT_QUESTION)
        dialog.get_by_role("button", name="Yes", exact=True).click()
        self.confirmation().wait_for()

    def confirmation(self) -> Locator:
        """The success message in the blade (the same words also come as a toast)."""
        return self.portal.content().get_by_role("status").filter(has_text=CONSENTED).first


@dataclass
class RequestApiPermissions:
    page: Page
    scope: Scope

    def __post_init__(self) -> None:
        self.pane = self.scope.get_by_role("dialog", name="Request API permissions")

    def landmarks(self) -> dict[str, Locator]:
        """With the pane just opened (`ApiPermissions.open_request_pane`), on its API cards."""
        return {"Request API permissions pane": self.pane,
                "Microsoft APIs tab": self.pane.get_by_role("tab", name="Microsoft APIs"),
                "Business Central API card": self.pane.get_by_role(
                    "button", name=re.compile(r"^Dynamics 365 Business Central"))}

    def choose_api(self, api: str) -> None:
        self.pane.get_by_role("tab", name="Microsoft APIs").click()
        self.pane.get_by_role("button", name=re.compile("^" + re.escape(api))).first.click()

    def choose_kind(self, kind: str) -> None:
        """"Delegated" or "Application" permissions (cards shown as buttons, or radios)."""
        name = re.compile(rf"^{re.escape(kind)} permissions", re.IGNORECASE)
        self.pane.get_by_role("button", name=name).or_(self.pane.get_by_role("radio", name=name)).first.click()
        self.pane.get_by_role("checkbox").first.wait_for()

    def listed(self) -> list[str]:
        """Names of the permissions offered for the chosen kind."""
        boxes = self.pane.get_by_role("checkbox")  # one round trip for all of them (a list can be long)
        names = boxes.evaluate_all("els => els.map(e => e.labels && e.labels[0] ? e.labels[0].innerText "
                                   ": e.ariaLabel || '')")
        return [name.strip() for name in names]

    def check_if_listed(self, name: str) -> str | None:
        """Check the permission whose name matches `name` loosely; returns the listed name, or None if absent."""
        found = next((n for n in self.listed() if normalise(n) == normalise(name)), None)
        if found is not None:
            self.pane.get_by_role("checkbox", name=found, exact=True).check()
        return found

    def check(self, names: Iterable[str]) -> list[str]:
        """Check every named permission; returns those that are not offered."""
        listed = {normalise(n): n for n in self.listed()}
        missing = []
        for name in names:
            found = listed.get(normalise(name))
            if found is None:
                missing.append(name)
            else:
                self.pane.get_by_role("checkbox", name=found, exact=True).check()
        return missing

    def add_permissions(self) -> None:
        self.pane.get_by_role("button", name="Add permissions", exact=True).click()
        self.pane.wait_for(state="hidden")
