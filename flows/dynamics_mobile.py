"""Journeys in the Dynamics Mobile Portal: the agent role, created or kept, with what undoes the change."""

from __future__ import annotations

from playwright.sync_api import Page

from harness.backstage import Backstage
from pages.dynamics_mobile import RolesListPage


def create_or_keep_role(page: Page, area: str, role_id: str, name: str, backstage: Backstage) -> str | None:
    """On the open roles list: keep the role when it exists (its settings are restored at teardown where the
    target allows), else create it (deleted at teardown where it allows). Returns a note for the report."""
    roles = RolesListPage(page)
    if roles.has_role(role_id):
        return backstage.restore_role_at_teardown(area, role_id)
    roles.start_new().create(role_id, name)
    return backstage.delete_role_at_teardown(area, role_id)
