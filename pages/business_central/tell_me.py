"""Tell Me (Search, Alt+Q): a dialog with the textbox "Tell me what you want to do" and grouped results.

The button is in the top document, the dialog in the client frame (AsierAF); Alt+Q is the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import FrameLocator, Locator, Page

TELL_ME = "Tell me what you want to do"
OPEN_TIMEOUT_MS = 5_000


@dataclass
class TellMe:
    page: Page
    frame: FrameLocator
    search_buttons: tuple[Locator, ...]  # top document first, then the client frame

    def __post_init__(self) -> None:
        self.dialog = self.frame.get_by_role("dialog", name=TELL_ME)
        self.query = self.dialog.get_by_role("textbox", name=TELL_ME)
        self.results = self.dialog.get_by_role("option")
        self.no_results = self.dialog.get_by_text(re.compile(r"^No results", re.I))

    def open(self) -> None:
        button = next((b for b in self.search_buttons if b.count()), self.search_buttons[0])
        button.click()
        try:
            self.dialog.wait_for(timeout=OPEN_TIMEOUT_MS)
        except PlaywrightError:
            self.page.keyboard.press("Alt+Q")  # older builds: the shortcut works where the button did not
            self.dialog.wait_for()

    def search(self, text: str) -> list[str]:
        """Type the query and return the result captions (empty when nothing matches)."""
        if not self.dialog.is_visible():
            self.open()
        self.query.fill(text)
        self.results.first.or_(self.no_results).first.wait_for()
        return [name for name in (r.get_attribute("aria-label") or r.inner_text() for r in self.results.all())
                if name]

    def close(self) -> None:
        self.query.press("Escape")
        self.dialog.wait_for(state="hidden")

    def choose(self, caption: re.Pattern[str]) -> None:
        self.dialog.get_by_role("option", name=caption).first.click()
