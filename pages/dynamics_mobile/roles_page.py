"""ADM › Roles: the roles list (New at the top) and the new-role form (Role Id, Name, CREATE on top)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.dynamics_mobile.controls import alert_messages, button, field, status_message
from pages.dynamics_mobile.errors import PortalValidationError
from pages.dynamics_mobile.labels import pattern, text_pattern
from pages.dynamics_mobile.role_settings_page import RoleSettingsPage


class RolesListPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        name = pattern("roles")
        self.table = page.get_by_role("table", name=name).or_(page.get_by_role("grid", name=name)).first
        self.new_button = button(page, "new")

    def landmarks(self) -> dict[str, Locator]:
        """What must resolve on the roles list (the drift check counts each)."""
        return {"Roles table": self.table, "New button": self.new_button}

    def role_ids(self) -> list[str]:
        """First-column values of the roles list."""
        self.table.wait_for()
        ids: list[str] = []
        for row in self.table.get_by_role("row").all():
            cells = row.get_by_role("cell")
            if cells.count():
                ids.append(cells.first.inner_text().strip())
        return ids

    def has_role(self, role_id: str) -> bool:
        return any(existing.lower() == role_id.lower() for existing in self.role_ids())

    def start_new(self) -> RoleCreateForm:
        self.new_button.click()
        form = RoleCreateForm(self.page)
        form.role_id.wait_for()
        return form

    def ensure_role(self, role_id: str, name: str) -> bool:
        """Create the role unless the list already has it; True when this call created it."""
        if self.has_role(role_id):
            return False
        self.start_new().create(role_id, name)
        return True

    def open_role(self, role_id: str) -> RoleSettingsPage:
        self.table.get_by_role("link", name=text_pattern(role_id)).click()
        role_page = RoleSettingsPage(self.page)
        role_page.wait_until_ready()
        return role_page

    def status(self) -> str:
        return status_message(self.page)


class RoleCreateForm:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.role_id = field(page, "role_id")  # "Role Id"; the procedure says "Code"
        self.name = field(page, "name")
        self.create_button = button(page, "create")

    def landmarks(self) -> dict[str, Locator]:
        """What must resolve on the new-role form (the drift check counts each)."""
        return {"Role Id field": self.role_id, "Name field": self.name, "CREATE button": self.create_button}

    def create(self, role_id: str, name: str) -> None:
        """Fill Role Id and Name and press CREATE; raises PortalValidationError with the Portal's messages."""
        self.role_id.fill(role_id)
        self.name.fill(name)
        with self.page.expect_navigation():
            self.create_button.click()
        problems = alert_messages(self.page)
        if problems:
            raise PortalValidationError(problems, "new role")
