"""The Business Central web client shell: the top document, the client frame, sign-in detection, Tell Me.

Hooks (FIDELITY.md §d): the UI lives in `iframe.designer-client-frame`; `.splash` shows while it loads; the
Search button (magnifier) sits in the top document and the Tell Me dialog inside the frame, so both are searched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Page

from pages.business_central.errors import BusinessCentralError
from pages.business_central.tell_me import TellMe
from pages.microsoft_login import MicrosoftLogin

FRAME = "iframe.designer-client-frame"
SEARCH_NAME = re.compile(r"^(Search|Tell me what you want to do.*)$", re.I)


@dataclass
class BusinessCentralShell:
    page: Page

    def __post_init__(self) -> None:
        p = self.page
        self.frame = p.frame_locator(FRAME)
        self.frame_element = p.locator(FRAME)
        self.page_title = self.frame.get_by_role("heading", level=1)
        # Playwright cannot combine locators across frames, so the top document and the frame are tried in turn.
        self.search_buttons = (p.get_by_role("button", name=SEARCH_NAME).first,
                               self.frame.get_by_role("button", name=SEARCH_NAME).first)
        self.error_text = p.get_by_role("alert")
        self.tell_me = TellMe(p, self.frame, self.search_buttons)

    def open(self, url: str) -> str:
        """Go to a client URL; returns "client", or "sign-in" when Microsoft sign-in shows first."""
        self.page.goto(url)
        return self.wait_for_client_or_sign_in()

    def wait_for_client_or_sign_in(self) -> str:
        login = MicrosoftLogin(self.page)
        self.frame_element.or_(login.email).or_(self.error_text).first.wait_for()
        if self.frame_element.count():
            return "client"
        if self.error_text.count() and not login.email.is_visible():
            raise BusinessCentralError(self.error_text.first.inner_text().strip())
        return "sign-in"

    def wait_until_ready(self) -> str:
        """Wait for the splash to go and a page title to show; returns the title."""
        self.page_title.first.wait_for()
        return self.page_title.first.inner_text().strip()
