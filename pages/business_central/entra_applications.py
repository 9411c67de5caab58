"""Page 9860 "Microsoft Entra Applications" (formerly "Azure Active Directory Applications"): a read-only list
with New and Delete in the action bar, rows `tr[rowkey]`, columns Client ID, Description, State."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from pages.business_central.dialogs import Dialogs
from pages.business_central.entra_application_card import EntraApplicationCard
from pages.business_central.errors import BusinessCentralError
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
        self.new_action = frame.get_by_role("menuitem", name="New", exact=True)
        self.delete_action = frame.get_by_role("menuitem", name="Delete", exact=True)
        self.grid = frame.get_by_role("grid", name=CAPTION)
        self.rows = self.grid.locator("tr[rowkey]")
        self.empty = self.grid.get_by_text(EMPTY)
        self.dialogs = Dialogs(frame)

    def wait(self) -> str:
        """Wait for the list to show; returns its caption (either generation)."""
        self.heading.wait_for()
        self.rows.first.or_(self.empty).first.wait_for()
        return self.heading.inner_text().strip()

    def open_through_tell_me(self) -> tuple[str, str]:
        """Search Tell Me with each known caption until one is found; open it. Returns (query, caption)."""
        tell_me = self.shell.tell_me
        seen: list[str] = []
        for query in SEARCHES:
            tell_me.open()
            found = [c for c in tell_me.search(query) if CAPTION.match(c)]
            if found:
                tell_me.choose(CAPTION)
                return query, self.wait()
            seen.append(f"{query!r} found nothing matching")
            tell_me.close()
        raise BusinessCentralError("Tell Me did not find the Microsoft Entra Applications page: " + "; ".join(seen))

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
