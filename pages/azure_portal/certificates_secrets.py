"""Certificates & secrets: the Client secrets tab and grid (a table, or a `div` grid in React blades), "Add a client
secret" (its Expires control a combobox, or the older `div[aria-label=Expires]` with tree items), and deleting a
secret.

The new secret's Value is visible once: it is read with tracing paused, masked in screenshots, and handed back
as a Secret; the blade is then reloaded so no later trace snapshot or screenshot can hold it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page

from harness.evidence import mask, secret_on_screen
from harness.secrets import Secret
from pages.azure_portal import grids
from pages.azure_portal.portal import AzurePortal, Scope

CLIENT_SECRETS_TAB = re.compile(r"^Client secrets", re.IGNORECASE)
NEW_CLIENT_SECRET = re.compile(r"New client secret$")
SECRET_ID_COLUMN = "Secret ID"


@dataclass(frozen=True)
class SecretRow:
    description: str
    expires: str
    value: str  # as displayed: the hint and asterisks once the blade was left
    secret_id: str


@dataclass(frozen=True)
class NewClientSecret:
    description: str
    expires: str
    secret_id: str
    value: Secret

    def __repr__(self) -> str:
        return f"NewClientSecret(description={self.description!r}, secret_id={self.secret_id!r}, value={self.value!r})"


def expiry_pattern(expiry: str) -> re.Pattern[str]:
    """"730 days (24 months)" matches the option by its "24 months" part, case-insensitively."""
    months = re.search(r"\d+\s*months?", expiry, re.IGNORECASE)
    wanted = months.group(0) if months else expiry.strip()
    return re.compile(re.escape(wanted).replace(r"\ ", r"\s*"), re.IGNORECASE)


@dataclass
class CertificatesAndSecrets:
    page: Page
    title: str = "Certificates & secrets"

    def __post_init__(self) -> None:
        self.portal = AzurePortal(self.page)

    def landmarks(self) -> dict[str, Locator]:
        """The blade opens on Certificates: the Client secrets tab is selected first when there is exactly one (a
        read-only click), so its button and grid can be counted; without that tab they count as missing."""
        scope = self.portal.content()
        tab = scope.get_by_role("tab", name=CLIENT_SECRETS_TAB)
        if tab.count() == 1:
            tab.click()
        return {"Client secrets tab": tab,
                "New client secret button": scope.get_by_role("button", name=NEW_CLIENT_SECRET),
                "Client secrets grid": self._secrets_table(scope)}

    def _secrets_table(self, scope: Scope) -> Locator:
        return grids.grid_headed(scope, SECRET_ID_COLUMN)

    def show_client_secrets(self) -> Scope:
        scope = self.portal.content()
        scope.get_by_role("tab", name=CLIENT_SECRETS_TAB).click()
        return scope

    def _row(self, scope: Scope, description: str) -> Locator:
        return grids.body_rows(self._secrets_table(scope)).filter(has_text=description).last

    def _cells(self, scope: Scope, row: Locator) -> dict[str, Locator]:
        columns = grids.read(self._secrets_table(scope))[0]
        return {name: grids.cells(row).nth(i) for i, name in enumerate(columns) if name}

    def add_client_secret(self, description: str, expiry: str) -> NewClientSecret:
        """New client secret → Description, Expires → Add; returns the secret with its Value, then leaves the
        blade (reload) so the Value is gone from the page before any later snapshot."""
        scope = self.show_client_secrets()
        self._mask_secret_columns(scope)  # before the Value exists, so no screenshot can ever show it
        scope.get_by_role("button", name=NEW_CLIENT_SECRET).click()
        pane = scope.get_by_role("dialog", name="Add a client secret")
        pane.get_by_role("textbox", name="Description", exact=True).fill(description)
        pane.get_by_role("combobox", name="Expires").or_(pane.locator('div[aria-label="Expires"]')).first.click()
        wanted = expiry_pattern(expiry)
        option = pane.get_by_role("option", name=wanted).or_(pane.get_by_role("treeitem", name=wanted)).first
        expires_label = option.inner_text().strip()
        option.click()
        with secret_on_screen(self.page):
            pane.get_by_role("button", name="Add", exact=True).click()
            pane.wait_for(state="hidden")
            row = self._row(scope, description)
            cells = self._cells(scope, row)
            mask(self.page, cells["Value"], cells["Secret ID"])
            value = Secret(cells["Value"].inner_text().strip(), "client_secret")
            secret_id = cells["Secret ID"].inner_text().strip()
            expires = cells["Expires"].inner_text().strip()
            self.reload()
        self.show_client_secrets()  # the row again, its Value now only a hint: what the manual's screenshot shows
        return NewClientSecret(description, expires or expires_label, secret_id, value)

    def _mask_secret_columns(self, scope: Scope) -> None:
        table = self._secrets_table(scope)
        columns = grids.read(table)[0]
        mask(self.page, *(grids.column_cells(table, columns.index(name))
                          for name in ("Value", SECRET_ID_COLUMN) if name in columns))

    def reload(self) -> None:
        self.page.reload()
        self.portal.wait_for_blade(self.title)

    def secret_rows(self) -> list[SecretRow]:
        scope = self.show_client_secrets()
        table = self._secrets_table(scope)
        table.wait_for()
        columns, body = grids.read(table)
        rows = []
        for texts in body:
            if len(texts) < len(columns) - 1:
                continue  # the "no client secrets" row
            cell = dict(zip(columns, texts, strict=False))
            rows.append(SecretRow(cell.get("Description", ""), cell.get("Expires", ""), cell.get("Value", ""),
                                  cell.get(SECRET_ID_COLUMN, "")))
        return rows

    def delete_secret(self, secret_id: str) -> None:
        scope = self.show_client_secrets()
        row = grids.body_rows(self._secrets_table(scope)).filter(has_text=secret_id)
        row.get_by_role("button", name="Delete").click()
        dialog = scope.get_by_role("dialog").filter(has_text="client secret")
        dialog.get_by_role("button", name="Yes", exact=True).click()
        row.wait_for(state="detached")

    def page_contains(self, secret: Secret) -> bool:
        """Whether the top document or any frame's HTML holds the secret value (it must not, once left)."""
        value = secret.reveal()
        return any(value in frame.content() for frame in self.page.frames)
