"""Binds features/ui_drift.feature (`pytest -m drift`; steps in steps/drift_steps.py).

On the sandbox there is something behind every page first: an app registration (with its Business Central
record) and the agent role, so every row of the table is visited. On live the check visits what the tenant has
and says which pages had nothing to open.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from pytest_bdd import scenarios

from flows import dynamics_mobile, sign_in
from harness.backstage import Backstage
from harness.run_context import new_run_id
from harness.settings import Settings
from pages.dynamics_mobile import PortalShell

pytestmark = pytest.mark.drift


@pytest.fixture(autouse=True)
def something_behind_every_page(settings: Settings, backstage: Backstage, page: Page) -> None:
    if not settings.is_sandbox:
        return
    backstage.provision_app(name=f"{settings.app_name} {new_run_id()}")
    sign_in.to_dynamics_mobile_portal(page, settings)
    shell = PortalShell(page)
    shell.open_application("ADM")
    shell.open_roles()
    dynamics_mobile.create_or_keep_role(page, settings.dm_application_area, settings.dm_role_id,
                                        settings.dm_role_name, backstage)


scenarios("ui_drift.feature")
