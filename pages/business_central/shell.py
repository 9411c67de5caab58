"""The Business Central web client shell: the top document, the client frame, sign-in detection, the environment
badge, Tell Me.

Hooks (FIDELITY.md §d, §h): the UI lives in `iframe.designer-client-frame`; `.splash` shows while it loads; the
Search button (magnifier) sits in the top document and the Tell Me dialog inside the frame, so both are searched.
The top bar shows the environment's name and type ("Sandbox" / "Production"); its hooks are UNVERIFIED, so a badge
that cannot be read reads as no type at all (the caller decides what that means) and `bcoauth doctor` names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page

from pages.business_central.errors import BusinessCentralError
from pages.business_central.tell_me import TellMe
from pages.microsoft_login import MicrosoftLogin

FRAME = "iframe.designer-client-frame"
SEARCH_NAME = re.compile(r"^(Search|Tell me what you want to do.*)$", re.I)
ENVIRONMENT_TYPES = {"sandbox": "Sandbox", "production": "Production"}


@dataclass(frozen=True)
class EnvironmentBadge:
    """What the top bar says about the environment: its name and type ("Sandbox", "Production", "" unknown)."""

    name: str
    type: str

    @property
    def is_sandbox(self) -> bool:
        return self.type == "Sandbox"


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
        self.environment_badge = p.get_by_role("group", name="Environment", exact=True)
        self.environment_name = self.environment_badge.get_by_title("Environment name", exact=True)
        self.environment_type = self.environment_badge.get_by_title("Environment type", exact=True)
        self.error_text = p.get_by_role("alert")
        self.tell_me = TellMe(p, self.frame, self.search_buttons)

    def landmarks(self) -> dict[str, Locator]:
        return {"client frame": self.frame_element, "page title": self.page_title,
                "Search button": self.search_buttons[0], "environment badge": self.environment_badge,
                "environment type": self.environment_type}

    def open(self, url: str) -> str:
        """Go to a client URL; returns "client", or "sign-in" when Microsoft sign-in shows first."""
        self.page.goto(url)
        return self.wait_for_client_or_sign_in()

    def wait_for_client_or_sign_in(self) -> str:
        login = MicrosoftLogin(self.page)
        self.frame_element.or_(login.any_prompt).or_(self.error_text).first.wait_for()
        if self.frame_element.count():
            return "client"
        if self.error_text.count() and not login.any_prompt.is_visible():
            raise BusinessCentralError(self.error_text.first.inner_text().strip())
        return "sign-in"

    def wait_until_ready(self) -> str:
        """Wait for the splash to go and a page title to show; returns the title."""
        self.page_title.first.wait_for()
        return self.page_title.first.inner_text().strip()

    def environment(self) -> EnvironmentBadge:
        """The badge as shown now (the top bar is drawn with the shell, before the client frame is ready)."""
        self.frame_element.wait_for()
        name = self.environment_name.inner_text().strip() if self.environment_name.count() == 1 else ""
        shown = self.environment_type.inner_text().strip() if self.environment_type.count() == 1 else ""
        return EnvironmentBadge(name, ENVIRONMENT_TYPES.get(shown.lower(), ""))
