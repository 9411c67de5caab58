"""Page 9861 "Microsoft Entra Application Card" (formerly "Azure Active Directory Application Card").

Fields are textbox/combobox named by caption; BC saves each field when focus leaves it, then refreshes the
card. After each commit the page object waits for "Saved" or a dialog: a confirmation is answered as asked,
an expected message is acknowledged, anything else is an error → BusinessCentralError(<dialog text>).

Several "Back" buttons may coexist (the forms under the card keep theirs; recordings pick `.nth(2)`): the card's
is the one next to the card's own title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playwright.sync_api import Locator

from pages.business_central.consent_prompt import AdminConsentPrompt
from pages.business_central.dialogs import Dialogs
from pages.business_central.errors import BusinessCentralError
from pages.business_central.permission_sets_part import UserPermissionSetsPart

if TYPE_CHECKING:
    from pages.business_central.shell import BusinessCentralShell

CAPTION = re.compile(r"^(Microsoft Entra|Azure Active Directory) Application Card$", re.I)
INIT_USER_LINK = re.compile(r"initialize the user before you can add permission sets", re.I)
CREATE_USER_QUESTION = re.compile(r"A user named .* will be created\. Do you want to continue\?", re.I | re.S)
USER_CREATED = re.compile(r"User has been created", re.I)
CONSENT_OK = re.compile(r"Consent was given successfully", re.I)
SAVED = re.compile(r"^\s*Saved\s*$", re.I)


@dataclass
class EntraApplicationCard:
    shell: BusinessCentralShell

    def __post_init__(self) -> None:
        f = self.shell.frame
        p = self.shell.page  # for inner locators only (`has=` is matched inside each element of the frame)
        self.heading = f.get_by_role("heading", name=CAPTION, level=1)
        self.client_id_field = f.get_by_role("textbox", name="Client ID", exact=True)
        self.description_field = f.get_by_role("textbox", name="Description", exact=True)
        self.state_field = f.get_by_role("combobox", name="State", exact=True)
        self.init_user_link = f.get_by_role("link", name=INIT_USER_LINK)
        self.saved = f.get_by_role("status").filter(has_text=SAVED)
        # The innermost element holding both the card's title and a Back button, then its Back button.
        back = p.get_by_role("button", name="Back", exact=True)
        self.back_button = f.locator("*", has=p.get_by_role("heading", name=CAPTION, level=1)).filter(
            has=back).last.get_by_role("button", name="Back", exact=True)
        self.grant_consent_action = f.get_by_role("menuitem", name="Grant Consent", exact=True)
        self.process_menu = f.get_by_role("menuitem", name=re.compile(r"^(Process|Actions)$"))
        self.dialogs = Dialogs(f)
        self.permission_sets = UserPermissionSetsPart(f, self._settle)

    def landmarks(self) -> dict[str, Locator]:
        return {"page title": self.heading, "Client ID field": self.client_id_field,
                "Description field": self.description_field, "State field": self.state_field,
                "Back button": self.back_button, "Process menu": self.process_menu}

    def wait(self) -> None:
        self.heading.wait_for()
        self.client_id_field.wait_for()

    # --- readings ---------------------------------------------------------------------------------

    def description(self) -> str:
        return self.description_field.input_value().strip()

    # --- actions ----------------------------------------------------------------------------------

    def _settle(self, expected: re.Pattern[str] | None = None) -> str:
        """Wait for the save to finish; acknowledge an expected message, raise on an error dialog."""
        self.saved.or_(self.dialogs.open).first.wait_for()
        if not self.dialogs.is_open():
            return ""
        if self.dialogs.is_question():
            return self.dialogs.text()
        return self.dialogs.accept_or_raise(expected)

    def _commit(self, field: Locator, value: str) -> None:
        field.fill(value)
        field.press("Tab")  # BC validates and saves when focus leaves the field
        self._settle()

    def set_client_id(self, client_id: str) -> None:
        self._commit(self.client_id_field, client_id)

    def set_description(self, description: str) -> None:
        self._commit(self.description_field, description)

    def set_state(self, state: str, confirm: bool = True) -> str:
        """Choose Enabled/Disabled; a "will be created" question is answered Yes (or No); returns its text."""
        self.state_field.select_option(label=state)
        question = self._settle()
        if question and self.dialogs.is_question():
            self.dialogs.answer("Yes" if confirm else "No")
            self._settle()
        return question

    def create_user(self) -> str:
        """Follow the warning link that creates the application user, answer "A user named … will be created. Do
        you want to continue?" Yes (BCApps asks; older builds did not) and return BC's "User has been created" """
        self.init_user_link.click()
        shown = self._settle(USER_CREATED)
        if self.dialogs.is_open() and self.dialogs.is_question():
            if not CREATE_USER_QUESTION.search(shown):
                self.dialogs.answer("No")
                raise BusinessCentralError(f"unexpected question when creating the user: {shown}")
            self.dialogs.answer("Yes")
            return self._settle(USER_CREATED)
        return shown

    def open_grant_consent(self) -> None:
        if not self.grant_consent_action.is_visible():
            self.process_menu.first.click()
        self.grant_consent_action.click()

    def grant_consent(self, accept: bool = True) -> str:
        """Grant Consent: answer the Microsoft consent popup, then return BC's success message.

        Raises BusinessCentralError with BC's failure text (plus the popup's error, e.g. AADSTS50011)."""
        with self.shell.page.expect_popup() as popup_info:
            self.open_grant_consent()
        prompt = AdminConsentPrompt(popup_info.value)
        popup_error = prompt.decide(accept)
        self.dialogs.open.first.wait_for()
        try:
            return self.dialogs.accept_or_raise(CONSENT_OK)
        except BusinessCentralError as exc:
            if popup_error:
                raise BusinessCentralError(f"{exc} (consent window: {popup_error})") from exc
            raise

    def back(self) -> None:
        self.back_button.click()
