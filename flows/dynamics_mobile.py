"""Journeys in the Dynamics Mobile Portal: the agent role, created or kept, with what undoes the change."""

from __future__ import annotations

from playwright.sync_api import Page

from harness.backstage import AgentCheck, Backstage
from harness.polling import poll
from pages.dynamics_mobile import RolesListPage


def create_or_keep_role(page: Page, area: str, role_id: str, name: str, backstage: Backstage) -> str | None:
    """On the open roles list: keep the role when it exists (its settings are restored at teardown where the
    target allows), else create it (deleted at teardown where it allows). Returns a note for the report."""
    roles = RolesListPage(page)
    if roles.has_role(role_id):
        return backstage.restore_role_at_teardown(area, role_id)
    roles.start_new().create(role_id, name)
    return backstage.delete_role_at_teardown(area, role_id)


def agent_check(backstage: Backstage, area: str, role_id: str, timeout_s: float) -> AgentCheck:
    """The agent's check of the role's saved settings, tried again after a transient outage or throttling (as the
    agent's next sync would) until `timeout_s` (PROPAGATION_TIMEOUT_S); any other answer is final."""
    return poll(lambda: backstage.agent_check(area, role_id), what="the Dynamics Mobile agent check",
                timeout_s=timeout_s, done=lambda check: not check.transient)
