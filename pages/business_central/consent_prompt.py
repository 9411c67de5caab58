"""The Microsoft admin-consent window that BC's Grant Consent opens (`/common/adminconsent`).

It may start with "Pick an account" (BCApps OAuth2ControlAddIn: "A sign in window is open. To continue, pick the
account you want to use and accept the conditions."): the tile of the account given, else the one this browser is
signed in with, is picked; the tiles are the sign-in page object's (`MicrosoftLogin.account_tiles`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page

from pages.business_central.errors import BusinessCentralError
from pages.microsoft_login import MicrosoftLogin

SIGNED_IN = re.compile(r"Signed in(?!\w)", re.I)  # text content runs the tile's lines together


@dataclass
class AdminConsentPrompt:
    page: Page
    account: str = ""  # the account to pick in "Pick an account"; "" = the one signed in in this browser

    def __post_init__(self) -> None:
        p = self.page
        self.accept_button = p.get_by_role("button", name="Accept", exact=True)
        self.cancel_button = p.get_by_role("button", name="Cancel", exact=True)
        self.error = p.locator("#idTD_Error").or_(p.get_by_role("alert")).first
        self.sign_in = MicrosoftLogin(p)
        self.account_tiles = self.sign_in.account_tiles
        self.prompt = self.accept_button.or_(self.error).or_(self.sign_in.any_prompt).first

    def landmarks(self) -> dict[str, Locator]:
        return {"Accept button": self.accept_button, "Cancel button": self.cancel_button}

    def decide(self, accept: bool) -> str:
        """Accept (or Cancel) the prompt, after picking the account if asked; if the window shows an error
        instead, read it, close the window and return the text (BC then reports the failure). Returns "" when a
        decision was made."""
        self.prompt.wait_for()
        if self.account_tiles.is_visible():
            self._pick_account()
            self.account_tiles.wait_for(state="hidden")
            self.prompt.wait_for()
        if self.error.is_visible():
            text = self.error.inner_text().strip()
            self.page.close()
            return text
        if not self.accept_button.is_visible():
            self.page.close()
            raise BusinessCentralError("the consent window asks to sign in again; sign in to Business Central "
                                       "with the administrator in the same browser first")
        (self.accept_button if accept else self.cancel_button).click()
        return ""

    def _pick_account(self) -> None:
        if self.account:
            tile = self.account_tiles.locator(f"[role=button][data-test-id={json.dumps(self.account)} i]")
        else:
            tile = self.account_tiles.get_by_role("button").filter(has_text=SIGNED_IN)
        if not tile.count():
            self.page.close()
            who = self.account or "an account signed in in this browser"
            raise BusinessCentralError(f"the consent window asks to pick an account and does not offer {who}")
        tile.first.click()
