"""BC's message, confirmation and error dialogs inside the client frame (`role=dialog` with OK/Yes/No)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import FrameLocator, Locator

from pages.business_central.errors import BusinessCentralError

BUTTONS = re.compile(r"^(OK|Yes|No)$")


@dataclass
class Dialogs:
    frame: FrameLocator

    def __post_init__(self) -> None:
        # Tell Me is a dialog too; the answerable ones are those with OK/Yes/No buttons.
        self.open = self.frame.get_by_role("dialog").filter(has=self.frame.get_by_role("button", name=BUTTONS))

    def landmarks(self) -> dict[str, Locator]:
        """None: a dialog shows only after an action, and a page at rest has none."""
        return {}

    @property
    def current(self) -> Locator:
        return self.open.last

    def is_open(self) -> bool:
        return self.open.count() > 0 and self.current.is_visible()

    def text(self) -> str:
        content = self.current.locator(".task-dialog-content-alignbox, p").first
        return (content.inner_text() if content.count() else self.current.inner_text()).strip()

    def is_question(self) -> bool:
        return self.current.get_by_role("button", name="Yes", exact=True).count() > 0

    def answer(self, button: str) -> str:
        """Click OK/Yes/No on the open dialog; returns the text it showed."""
        text = self.text()
        self.current.get_by_role("button", name=button, exact=True).click()
        return text

    def accept_or_raise(self, expected: re.Pattern[str] | None = None) -> str:
        """Close the open dialog with OK; its text is returned when it is the expected message, else raised."""
        text = self.answer("OK")
        if expected is not None and expected.search(text):
            return text
        raise BusinessCentralError(text)
