"""Microsoft sign-in (login.microsoftonline.com): e-mail, password, optional TOTP, "Stay signed in?".

Locators prefer `name`/`type` and fall back to the long-lived ids (FIDELITY.md §a); the password is typed with
tracing paused. Used by every portal that signs in through Microsoft (Azure portal, Business Central).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from harness.evidence import secret_on_screen
from harness.secrets import Secret

PROMPT_TIMEOUT_S = 30
PROMPT_POLL_MS = 500  # each wait is on a condition; the loop only re-checks the URL between waits


class SignInError(Exception):
    """The sign-in page refused the credentials; the message is the page's own text."""


@dataclass
class MicrosoftLogin:
    page: Page

    def __post_init__(self) -> None:
        p = self.page
        self.email = p.locator('input[name="loginfmt"]:not(.moveOffScreen), #i0116').first
        self.password = p.locator('input[name="passwd"]:not(.moveOffScreen), #i0118').first
        self.code = p.locator('input[name="otc"], #idTxtBx_SAOTCC_OTC').first
        self.submit = p.locator("#idSIButton9")
        self.verify = p.locator("#idSubmit_SAOTCC_Continue")
        self.stay_signed_in_no = p.locator("#idBtn_Back")
        self.stay_signed_in_title = p.get_by_role("heading", name="Stay signed in?")
        self.errors = p.locator("#usernameError, #passwordError, #idSpan_SAOTCC_Error_OTC, #idTD_Error")

    def is_showing(self) -> bool:
        return self.email.or_(self.password).first.is_visible()

    def sign_in(self, user: str, password: Secret, totp: Callable[[], str] | None = None,
                stay_signed_in: bool = False) -> None:
        """Go through every prompt until the browser leaves the sign-in pages; raise SignInError on refusal."""
        login_host = urlparse(self.page.url).netloc
        self.email.fill(user)
        self.submit.click()
        self._raise_on_error(lambda: self.password.wait_for())
        with secret_on_screen(self.page):
            self.password.fill(password.reveal())
            self.submit.click()
            self._wait_for_next_prompt(login_host)
        self._raise_if_error_shown()
        if self.code.is_visible():
            if totp is None:
                raise SignInError("the account asks for a verification code: set AZURE_ADMIN_TOTP_SEED")
            with secret_on_screen(self.page):
                self.code.fill(totp())
                self.verify.click()
                self._wait_for_next_prompt(login_host)
            self._raise_if_error_shown()
        if self.stay_signed_in_title.is_visible():
            (self.submit if stay_signed_in else self.stay_signed_in_no).click()

    def _wait_for_next_prompt(self, login_host: str) -> None:
        """After a submit: wait until an error, the code prompt or "Stay signed in?" shows, or the browser has
        left the sign-in host (no prompt at all) — whichever the service does, on its own timing."""
        prompt = self.errors.or_(self.code).or_(self.stay_signed_in_title).first
        deadline = time.monotonic() + PROMPT_TIMEOUT_S
        while urlparse(self.page.url).netloc == login_host:
            try:
                prompt.wait_for(timeout=PROMPT_POLL_MS)
                return
            except PlaywrightTimeoutError:
                if time.monotonic() > deadline:
                    raise SignInError("the sign-in page showed no next prompt and did not redirect") from None

    def _raise_on_error(self, wait: Callable[[], None]) -> None:
        either = self.errors.or_(self.password).or_(self.code)
        either.first.wait_for()
        self._raise_if_error_shown()
        wait()

    def _raise_if_error_shown(self) -> None:
        if self.errors.first.is_visible():
            raise SignInError(self.errors.first.inner_text().strip())
