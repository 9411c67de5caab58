"""Portal sign-in: Application Area, Email, Password, Login (FIDELITY §f, DM-USER)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from harness.evidence import mask, secret_on_screen
from harness.secrets import Secret
from pages.dynamics_mobile.controls import alert_messages, button, field
from pages.dynamics_mobile.errors import PortalLoginError
from pages.dynamics_mobile.shell import PortalShell


class PortalLoginPage:
    def __init__(self, page: Page, base_url: str) -> None:
        if not base_url:
            raise ValueError("no Dynamics Mobile Portal URL: set DM_PORTAL_URL")
        self.page = page
        self.base_url = base_url
        self.area = field(page, "area")
        self.email = field(page, "email")
        self.password = field(page, "password")
        self.login_button = button(page, "login")
        mask(page, self.password)

    def landmarks(self) -> dict[str, Locator]:
        """What must resolve on the sign-in form (the drift check counts each)."""
        return {"Application Area field": self.area, "Email field": self.email, "Password field": self.password,
                "Login button": self.login_button}

    def open(self) -> PortalLoginPage:
        self.page.goto(self.base_url)
        self.area.wait_for()
        return self

    def sign_in(self, area: str, email: str, password: Secret | None) -> PortalShell:
        """Open the Portal, sign in to `area`; raises PortalLoginError with the Portal's message when refused."""
        if password is None:
            raise ValueError("no Portal password: set DM_PASSWORD")
        self.open()
        self.area.fill(area)
        self.email.fill(email)
        with secret_on_screen(self.page):  # the typed password must not reach a trace snapshot
            self.password.fill(password.reveal())
            with self.page.expect_navigation():
                self.login_button.click()
        problems = alert_messages(self.page)
        if problems:
            raise PortalLoginError(problems)
        shell = PortalShell(self.page)
        shell.wait_until_ready()
        return shell
