"""Fixtures for the Dynamics Mobile Portal feature: the app whose values go into the Portal, and who undoes
changes to Portal roles. Target knowledge stays here; steps only see the fixtures.

- `backend_app`: sandbox → a ready app provisioned through the admin API (removed at teardown); live → the
  scenario is skipped (there the app comes from the Azure portal feature in the golden run).
- `dm_role_keeper`: sandbox → deletes a role the run created, or restores a pre-existing role's settings from a
  snapshot kept inside the sandbox (admin API); live → the Portal has no documented API for this, so the role
  is left in place and the step records a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import pytest

from harness.cleanup import CleanupLedger
from harness.run_context import RunContext
from harness.sandbox_control import AdminClient
from harness.secrets import Secret
from harness.settings import Settings


@dataclass(frozen=True)
class BackendApp:
    """An app registration Business Central accepts; the secret masks itself in reports."""

    client_id: str
    tenant_id: str
    client_secret: Secret


class RoleKeeper:
    """Registers how to undo what a scenario does to a Portal role; returns a note for the report (or None)."""

    def created(self, cleanup: CleanupLedger, area: str, role_id: str) -> str | None:
        return f"role {role_id} was created in {area} and is left in place (no Portal cleanup on this target)"

    def changing(self, cleanup: CleanupLedger, area: str, role_id: str) -> str:
        return f"role {role_id} already existed in {area}; its settings were overwritten and are not restored"


class AdminRoleKeeper(RoleKeeper):
    def __init__(self, admin: AdminClient) -> None:
        self._admin = admin

    @staticmethod
    def _path(area: str, role_id: str) -> str:
        return f"/admin/dm/roles/{quote(area, safe='')}/{quote(role_id, safe='')}"

    def created(self, cleanup: CleanupLedger, area: str, role_id: str) -> str | None:
        path = self._path(area, role_id)
        cleanup.add(f"delete Portal role {role_id} in {area}", lambda: self._admin.call("DELETE", path))
        return None  # nothing left behind, nothing to report

    def changing(self, cleanup: CleanupLedger, area: str, role_id: str) -> str:
        path = self._path(area, role_id)
        snapshot = self._admin.call("POST", path + "/snapshot")["snapshot"]
        cleanup.add(f"restore Portal role {role_id} in {area}",
                    lambda: self._admin.call("POST", path + "/restore", json={"snapshot": snapshot}))
        return f"role {role_id} already existed in {area}; it was updated and its settings are restored at teardown"


@pytest.fixture
def backend_app(settings: Settings, run_context: RunContext,
                request: pytest.FixtureRequest) -> BackendApp:
    if not settings.is_sandbox:
        pytest.skip("TARGET=live: the app comes from the Azure portal feature (run the golden feature)")
    context = RunContext()
    request.getfixturevalue("app_provisioner").provision(context, name=f"{settings.app_name} {run_context.run_id}")
    assert context.client_secret is not None
    return BackendApp(client_id=context.client_id, tenant_id=context.tenant_id, client_secret=context.client_secret)


@pytest.fixture
def dm_role_keeper(settings: Settings, request: pytest.FixtureRequest) -> RoleKeeper:
    if settings.is_sandbox:
        return AdminRoleKeeper(request.getfixturevalue("admin"))
    return RoleKeeper()
