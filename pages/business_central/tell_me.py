"""Tell Me (Search, Alt+Q): a dialog with the textbox "Tell me what you want to do" and grouped results.

The button is in the top document, the dialog in the client frame (AsierAF). Recorded scripts click a result by
its exact text inside `[id^=GroupedListSection]` sections (FIDELITY.md §h); builds that expose the results as a
listbox of `option`s are handled too. Every wait is the page's UI timeout (UI_TIMEOUT_S); "not found" is a
definite answer of the dialog ("No results", or results without the caption), never a timeout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import FrameLocator, Locator, Page

TELL_ME = "Tell me what you want to do"
NO_RESULTS = re.compile(r"^\s*No results", re.I)


@dataclass
class TellMe:
    page: Page
    frame: FrameLocator
    search_buttons: tuple[Locator, ...]  # top document first, then the client frame

    def __post_init__(self) -> None:
        self.dialog = self.frame.get_by_role("dialog", name=TELL_ME)
        self.query = self.dialog.get_by_role("textbox", name=TELL_ME)
        self.sections = self.dialog.locator("[id^=GroupedListSection]")
        self.options = self.dialog.get_by_role("option")
        self.no_results = self.dialog.get_by_text(NO_RESULTS)

    def landmarks(self) -> dict[str, Locator]:
        return {"Search button": self.search_buttons[0]}

    def open(self) -> None:
        """A fresh dialog: the Search button (top document, else the frame), or Alt+Q where there is none."""
        if self.dialog.is_visible():
            self.close()
        button = next((b for b in self.search_buttons if b.count()), None)
        if button is not None:
            button.click()
        else:
            self.page.keyboard.press("Alt+Q")
        self.dialog.wait_for()

    def close(self) -> None:
        self.query.press("Escape")
        self.dialog.wait_for(state="hidden")

    def result(self, caption: str) -> Locator:
        """The result whose text is exactly `caption`: in a grouped section, or an option of that name."""
        in_section = self.sections.get_by_text(caption, exact=True)
        as_option = self.dialog.get_by_role("option", name=caption, exact=True)
        return in_section.or_(as_option).first

    def find(self, query: str, caption: str) -> Locator | None:
        """Search `query` in a fresh dialog; the result `caption`, or None when Tell Me answers without it."""
        self.open()
        self.query.fill(query)
        wanted = self.result(caption)
        any_result = self.sections.or_(self.options).first
        wanted.or_(self.no_results).or_(any_result).first.wait_for()
        return wanted if wanted.count() else None
