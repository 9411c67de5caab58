"""Page 9860 "Microsoft Entra Applications" (formerly "Azure Active Directory Applications"): a read-only list
with New and Delete in the action bar (`menuitem`s in BC 25.2, `button`s in BC 27), rows `tr[rowkey]`, columns
Client ID, Description, State."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import FrameLocator, Locator

from pages.business_central.dialogs import Dialogs
from pages.business_central.entra_application_card import EntraApplicationCard
from pages.business_central.shell import BusinessCentralShell

CAPTION = re.compile(r"^(Microsoft Entra|Azure Active Directory) Applications$", re.I)
# Current caption first; the procedure's older caption for builds that still use it (FIDELITY.md §g row 7).
SEARCHES = ("Microsoft Entra Applications", "Azure Active Directory Applications")
EMPTY = re.compile(r"There is nothing to show", re.I)


@dataclass
class EntraApplicationsList:
    shell: BusinessCentralShell

    def __post_init__(self) -> None:
        frame = self.shell.frame
        self.heading = frame.get_by_role("heading", name=CAPTION, level=1)
        self.new_action = self._action(frame, "New")
        self.delete_action = self._action(frame, "Delete")
        self.grid = frame.get_by_role("grid", name=CAPTION)
        self.rows = self.grid.locator("tr[rowkey]")
        self.empty = self.grid.get_by_text(EMPTY)
        self.dialogs = Dialogs(frame)

    @staticmethod
    def _action(frame: FrameLocator, name: str) -> Locator:
        return frame.get_by_role("menuitem", name=name, exact=True).or_(
            frame.get_by_role("button", name=name, exact=True))

    def landmarks(self) -> dict[str, Locator]:
        return {"page title": self.heading, "New action": self.new_action, "Delete action": self.delete_action,
                "list grid": self.grid}

    def wait(self) -> str:
        """Wait for the list to show; returns its caption (either generation)."""
        self.heading.wait_for()
        self.rows.first.or_(self.empty).first.wait_for()
        return self.heading.inner_text().strip()

    def open_through_tell_me(self) -> tuple[str, str] | None:
        """Search Tell Me with each known caption and open the first result found by its exact text. Returns
        (query, caption shown), or None when Tell Me lists neither caption (the caller may use `?page=9860`)."""
        tell_me = self.shell.tell_me
        for caption in SEARCHES:
            result = tell_me.find(caption, caption)
            if result is not None:
                result.click()
                return caption, self.wait()
            tell_me.close()
        return None

    def new(self) -> EntraApplicationCard:
        self.new_action.click()
        card = EntraApplicationCard(self.shell)
        card.wait()
        return card

    def _row(self, client_id: str) -> Locator:
        return self.rows.filter(has_text=re.compile(re.escape(client_id), re.I))

    def _column(self, name: str) -> int:
        headers = [h.strip().lower() for h in self.grid.locator("thead th").all_inner_texts()]
        return headers.index(name.lower())

    def has(self, client_id: str) -> bool:
        self.wait()
        return self._row(client_id).count() > 0

    def state_of(self, client_id: str) -> str | None:
        """The State column of the app's row; None when the app is not listed."""
        if not self.has(client_id):
            return None
        return self._row(client_id).first.locator("td").nth(self._column("State")).inner_text().strip()

    def entries(self) -> list[tuple[str, str, str]]:
        """(Client ID, Description, State) of every row, as listed."""
        self.wait()
        columns = [self._column(name) for name in ("Client ID", "Description", "State")]
        entries = []
        for row in self.rows.all():
            cells = [t.strip() for t in row.locator("td").all_inner_texts()]
            entries.append(tuple(cells[i] if i < len(cells) else "" for i in columns))
        return entries  # type: ignore[return-value]

    def client_ids(self) -> list[str]:
        return [client_id for client_id, _, _ in self.entries()]

    def open_card(self, client_id: str) -> EntraApplicationCard:
        """Drill down from the row's Client ID to its card (nothing is edited)."""
        self._row(client_id).first.get_by_role("link").first.click()
        card = EntraApplicationCard(self.shell)
        card.wait()
        return card

    def delete(self, client_id: str) -> None:
        """Select the app's row, Delete, confirm Yes; raises BusinessCentralError if BC refuses."""
        row = self._row(client_id).first
        row.locator("td").nth(self._column("State")).click()  # selects the row without drilling down
        self.delete_action.click()
        self.dialogs.open.first.wait_for()
        if self.dialogs.is_question():
            self.dialogs.answer("Yes")
        else:
            self.dialogs.accept_or_raise()
        try:
            row.wait_for(state="detached")
        except PlaywrightError:
            if self.dialogs.is_open():
                self.dialogs.accept_or_raise()
            raise
