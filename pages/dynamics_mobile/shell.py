"""The signed-in Portal: the Application Selector (APPS menu button) and the application's left menu."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.dynamics_mobile.controls import button
from pages.dynamics_mobile.labels import pattern, text_pattern


class PortalShell:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.apps_button = button(page, "apps")
        # The left menu: by its name, or (real Portal, name unknown) the navigation that links to Users.
        self.menu = page.get_by_role("navigation", name=pattern("menu")).or_(
            page.get_by_role("navigation").filter(has=page.get_by_role("link", name=pattern("users")))).first

    def landmarks(self) -> dict[str, Locator]:
        """What must resolve once an application (ADM) is open (the drift check counts each)."""
        return {"Application Selector (APPS) button": self.apps_button, "left menu": self.menu,
                "Roles link in the left menu": self._menu_link("roles")}

    def wait_until_ready(self) -> None:
        self.apps_button.wait_for()
        self.page.wait_for_load_state()  # the Application Selector opens once the page's script has run

    def open_application(self, app_id: str) -> None:
        """Pick an application in the Application Selector (e.g. ADM) and wait for its left menu."""
        self.wait_until_ready()
        if self.apps_button.get_attribute("aria-expanded") != "true":
            self.apps_button.click()
        self.page.get_by_role("menuitem", name=text_pattern(app_id)).click()
        if app_id.upper() == "ADM":
            self.menu.wait_for()

    def _menu_link(self, key: str) -> Locator:
        return self.menu.get_by_role("link", name=pattern(key))

    def open_roles(self) -> None:
        self._menu_link("roles").click()
        self.page.get_by_role("heading", name=pattern("roles")).wait_for()

    def menu_items(self) -> list[str]:
        return [t.strip() for t in self.menu.get_by_role("link").all_inner_texts()]
