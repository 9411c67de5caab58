"""The Microsoft admin-consent window that BC's Grant Consent opens (`/common/adminconsent`)."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

from pages.business_central.errors import BusinessCentralError
from pages.microsoft_login import MicrosoftLogin


@dataclass
class AdminConsentPrompt:
    page: Page

    def __post_init__(self) -> None:
        p = self.page
        self.accept_button = p.get_by_role("button", name="Accept", exact=True)
        self.cancel_button = p.get_by_role("button", name="Cancel", exact=True)
        self.error = p.locator("#idTD_Error").or_(p.get_by_role("alert")).first
        self.sign_in = MicrosoftLogin(p)

    def decide(self, accept: bool) -> str:
        """Accept (or Cancel) the prompt; if the window shows an error instead, read it, close the window and
        return the text (BC then reports the failure). Returns "" when a decision was made."""
        self.accept_button.or_(self.error).or_(self.sign_in.email).first.wait_for()
        if self.error.is_visible():
            text = self.error.inner_text().strip()
            self.page.close()
            return text
        if self.sign_in.email.is_visible():
            self.page.close()
            raise BusinessCentralError("the consent window asks to sign in again; sign in to Business Central "
                                       "with the administrator in the same browser first")
        (self.accept_button if accept else self.cancel_button).click()
        return ""
