"""Ready (or deliberately broken) app registrations without the UIs, for scenarios that test one part of the
procedure on its own. Sandbox only: the `app_provisioner` fixture needs the admin API and skips on live, where
the app comes from the Azure portal feature (the golden path)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from harness import oauth
from harness.cleanup import CleanupLedger
from harness.run_context import RunContext
from harness.secrets import Secret
from harness.settings import Settings


@dataclass
class AppProvisioner:
    admin: Any
    cleanup: CleanupLedger
    settings: Settings

    def provision(self, run_context: RunContext, **options: Any) -> None:
        """Create the app (options as the admin API's provision_app), register its removal, fill the run
        context, and wait until the token service knows it (replication lag in the realistic/chaos profiles)."""
        app = self.admin.provision_app(**options)
        client_id = app["client_id"]
        self.cleanup.add(f"app registration {client_id}", lambda: self.admin.remove_app(client_id))
        run_context.client_id = client_id
        run_context.tenant_id = app["tenant_id"]
        run_context.object_id = app["object_id"]
        run_context.secret_id = app["secret_id"]
        run_context.client_secret = Secret(app["client_secret"], "client_secret")
        oauth.wait_until_replicated(self.settings, client_id, run_context.client_secret, tenant_id=app["tenant_id"])

    def __repr__(self) -> str:
        return "AppProvisioner()"


@pytest.fixture
def app_provisioner(request: pytest.FixtureRequest, cleanup: CleanupLedger, settings: Settings) -> AppProvisioner:
    return AppProvisioner(request.getfixturevalue("admin"), cleanup, settings)
