"""A sandbox for the benchmarks: started in a temp folder, stopped (and the folder removed) afterwards."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.sandbox_control import AdminClient, start_sandbox
from harness.secrets import Secret
from harness.settings import Settings


@dataclass(frozen=True)
class BenchApp:
    """A provisioned app; the secret is wrapped the moment it leaves the admin API."""

    client_id: str
    client_secret: Secret


@dataclass
class BenchSandbox:
    endpoints: dict[str, Any]
    settings: Settings
    admin: AdminClient

    @property
    def token_url(self) -> str:
        return f"{self.endpoints['login']}/{self.endpoints['tenant_id']}/oauth2/v2.0/token"

    def new_app(self) -> BenchApp:
        raw = self.admin.provision_app()
        return BenchApp(raw["client_id"], Secret(raw.pop("client_secret"), "client_secret"))


@contextmanager
def running_sandbox(profile: str = "fast") -> Iterator[BenchSandbox]:
    with tempfile.TemporaryDirectory(prefix="bcoauth-bench-") as root:
        folder = Path(root)
        process = start_sandbox(folder / "state", folder / "endpoints.json", profile=profile,
                                log_file=folder / "sandbox.log")
        admin = AdminClient(process.endpoints)
        try:
            yield BenchSandbox(process.endpoints, Settings().with_sandbox(process.endpoints), admin)
        finally:
            admin.close()
            process.stop()
