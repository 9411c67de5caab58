"""The `azure_portal` host: a recognisable Azure portal for App registrations, over the shared Entra directory
(FIDELITY.md §c).

Pages need a session from the sign-in twin. The shell routes on `location.hash` by asking `/api/blade` (`pages`);
forms post to `/api/...` and get back JSON (`actions`). Blades are Jinja2 templates (`blades`, `templates/`).
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from sandbox.azure_portal import actions, pages
from sandbox.context import Sandbox

STATIC = Path(__file__).parent / "static"


def create_app(sandbox: Sandbox) -> Starlette:
    app = Starlette(routes=[*pages.ROUTES, *actions.ROUTES, Mount("/static", StaticFiles(directory=STATIC))])
    app.state.sandbox = sandbox  # handlers reach it through `web.sandbox_of(request)`
    return app
