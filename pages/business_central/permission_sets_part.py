"""The "User Permission Sets" part of the app card (page 9801 columns: Permission Set, Description, Company,
Extension Name, Permission Scope). New lines go on the empty last row; blank Company = all companies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import FrameLocator, Locator

PART = "User Permission Sets"


@dataclass
class UserPermissionSetsPart:
    frame: FrameLocator
    settle: Callable[[], str]  # the card's "wait for save or dialog" (raises on BC errors)

    def __post_init__(self) -> None:
        self.grid = self.frame.get_by_role("grid", name=PART)
        self.rows = self.grid.locator("tbody tr[rowkey]")
        self.new_permission_set = self.grid.get_by_role("combobox", name="Permission Set").last
        self.new_company = self.grid.get_by_role("textbox", name="Company").last

    def landmarks(self) -> dict[str, Locator]:
        """On the card of an existing record (a new card has no part yet)."""
        return {"User Permission Sets grid": self.grid, "new line's Permission Set": self.new_permission_set}

    def add(self, permission_set: str, company: str = "") -> None:
        """Fill the new line and commit it (BC inserts the line when the Permission Set is entered)."""
        if company:
            self.new_company.fill(company)
        self.new_permission_set.fill(permission_set)
        self.new_permission_set.press("Enter")
        self.settle()

    def entries(self) -> list[tuple[str, str]]:
        """(permission set, company) of every line."""
        out = []
        for row in self.rows.all():
            cells = row.locator("td")
            company = cells.nth(2).get_by_role("textbox")
            out.append((cells.nth(0).inner_text().strip(),
                        company.input_value() if company.count() else cells.nth(2).inner_text().strip()))
        return out
