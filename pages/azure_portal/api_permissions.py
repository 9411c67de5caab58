"""API permissions: the Configured permissions table, "Request API permissions" pane, and admin consent."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from playwright.sync_api import Locator, Page

from pages.azure_portal.portal import AzurePortal, Scope

CONSENTED = "Successfully granted admin consent for the requested permissions."
_ROWS_JS = """table => {
  const out = []; let api = "";
  for (const tr of table.querySelectorAll("tbody tr")) {
    const cells = Array.from(tr.cells);
    if (cells.length === 1 || tr.querySelector("th[scope=rowgroup]")) {
      api = tr.innerText.replace(/\\s*\\(\\d+\\)\\s*$/, "").trim(); continue;
    }
    out.push([api, ...cells.map(c => c.innerText.trim())]);
  }
  return out;
}"""


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

    def _table(self, scope: Scope) -> Locator:
        return scope.locator("table").filter(has_text="API / Permissions name").first

    def rows(self) -> list[PermissionRow]:
        scope = self.portal.content()
        table = self._table(scope)
        table.wait_for()
        out = []
        for cells in table.evaluate(_ROWS_JS):
            api, name, kind, description, required, status = (cells + [""] * 6)[:6]
            out.append(PermissionRow(api, name, kind, description, required, re.sub(r"^[^\w]+", "", status).strip()))
        return out

    def request_permissions(self, api: str) -> RequestApiPermissions:
        """"+ Add a permission", then the API's card under Microsoft APIs."""
        scope = self.portal.content()
        scope.get_by_role("button", name=re.compile(r"Add a permission$")).click()
        pane = RequestApiPermissions(self.page, scope)
        pane.choose_api(api)
        return pane

    def grant_admin_consent(self, tenant_name: str = "") -> None:
        """"Grant admin consent for <tenant>" → Yes; waits until the portal confirms."""
        scope = self.portal.content()
        name = (re.compile(rf"^Grant admin consent for {re.escape(tenant_name)}$", re.IGNORECASE) if tenant_name
                else re.compile(r"^Grant admin consent for ", re.IGNORECASE))
        scope.get_by_role("button", name=name).click()
        dialog = scope.get_by_role("dialog").filter(has_text="Do you want to grant consent")
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
        boxes = self.pane.get_by_role("checkbox")
        return [b.evaluate("e => (e.labels && e.labels[0] ? e.labels[0].innerText : e.ariaLabel || '')").strip()
                for b in boxes.all()]

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
