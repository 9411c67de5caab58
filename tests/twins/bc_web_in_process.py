"""The BC web twin in process (Starlette's TestClient), signed in, for the twin's HTTP-level tests."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from sandbox.bc_web.app import create_app
from sandbox.context import SERVICES, Sandbox
from sandbox.server import open_sandbox

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's note about httpx in its TestClient
    from starlette.testclient import TestClient


def offline_sandbox(state: Path, first_port: int) -> Sandbox:
    """A sandbox store with URLs but no servers: the twin is called in process."""
    sandbox = open_sandbox(state)
    for index, service in enumerate(SERVICES):
        sandbox.urls[service] = f"https://127.0.0.1:{first_port + index}"
    return sandbox


def signed_in_client(sandbox: Sandbox, tenant_id: str | None = None,
                     name: str = "Sandbox Administrator") -> TestClient:
    seed = sandbox.seed
    client = TestClient(create_app(sandbox), base_url="https://testserver", follow_redirects=False)
    sid = sandbox.store.new_session("business_central", {"upn": seed["admin_user"], "name": name,
                                                         "tenant_id": tenant_id or seed["tenant_id"], "oid": "x"})
    client.cookies.set("business_central_session", sid)
    return client


def client_base(sandbox: Sandbox) -> str:
    return f"/_client/{sandbox.seed['tenant_id']}/{sandbox.seed['environment']}"


def post_card(client: TestClient, sandbox: Sandbox, **body: Any) -> dict[str, Any]:
    response = client.post(client_base(sandbox) + "/api/card", json=body)
    assert response.status_code == 200
    return response.json()
