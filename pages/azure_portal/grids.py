"""Data grids in the portal's blades: a `<table>`, or in React blades a `div` grid with ARIA roles (grid, row,
columnheader, gridcell, rowheader for a group; FIDELITY.md §h). Both read the same way here."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator

from pages.azure_portal.portal import Scope

# Body rows: a table's `tbody` rows, or a div grid's rows that hold no column header.
ROWS = "xpath=.//tbody/tr | .//*[@role='row'][not(.//*[@role='columnheader'])]"
# The cells of one row, in column order.
CELLS = "xpath=./td | ./th | ./*[@role='gridcell' or @role='rowheader']"
_READ_JS = """grid => {
  const isCell = c => ["TD", "TH"].includes(c.tagName) || ["gridcell", "rowheader"].includes(c.getAttribute("role"));
  const bodyRows = Array.from(grid.querySelectorAll("tbody > tr, [role=row]"))
    .filter(r => !r.querySelector("th[scope=col], [role=columnheader]"));
  return {
    columns: Array.from(grid.querySelectorAll("thead th, [role=columnheader]")).map(c => c.innerText.trim()),
    rows: bodyRows.map(r => Array.from(r.children).filter(isCell).map(c => c.innerText.trim())),
  };
}"""


def grid_headed(scope: Scope, column: str) -> Locator:
    """The grid (table or div grid) with a column headed `column` (unique on its blade)."""
    return scope.get_by_role("table").or_(scope.get_by_role("grid")).filter(has_text=column)


def read(grid: Locator) -> tuple[list[str], list[list[str]]]:
    """(column captions, the texts of each body row's cells); a group header or "nothing here" row has one cell."""
    data: dict[str, Any] = grid.evaluate(_READ_JS)
    return list(data["columns"]), [list(row) for row in data["rows"]]


def body_rows(grid: Locator) -> Locator:
    return grid.locator(ROWS)


def cells(row: Locator) -> Locator:
    return row.locator(CELLS)


def column_cells(grid: Locator, index: int) -> Locator:
    """Every body cell of the column at 0-based `index`."""
    n = index + 1
    return grid.locator(f"xpath=.//tbody/tr/td[{n}] | .//*[@role='row']/*[@role='gridcell'][{n}]")
