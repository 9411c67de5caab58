"""The Dynamics Mobile Portal twin (FIDELITY.md §f): login to an application area, the Application Selector,
the ADM app's Users and Roles, and a role's Settings → AGENT → Backend Connection form.

Run-time options: `dm_buttons` ("modern" CREATE/UPDATE on top, or "classic" New/Edit/Save) and the profile's
`page_delay_ms` (server-side delay on page loads). The client secret is stored for the agent and never rendered.
Its admin routes (role inspection, the agent check) live in `admin_api` and `agent`, served by the admin app.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from sandbox.context import Sandbox
from sandbox.dynamics_mobile import adm, login, shell

STATIC = Path(__file__).parent / "static"


def create_app(sandbox: Sandbox) -> Starlette:
    routes = [*login.ROUTES, *adm.ROUTES, *shell.ROUTES,
              Mount("/static", StaticFiles(directory=STATIC), name="static")]
    app = Starlette(routes=routes)
    app.state.sandbox = sandbox  # handlers reach it through `web.sandbox_of(request)`
    return app
