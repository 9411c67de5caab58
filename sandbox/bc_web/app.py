"""The Business Central web client twin (businesscentral.dynamics.com), assembled from its route modules.

The shell (top document) and the client UI inside `iframe.designer-client-frame` are in `pages`, the card's
autosave and the list's Delete in `autosave`, Grant Consent and `/OAuthLanding.htm` in `consent`; the rules of
pages 9860/9861 in `rules`, Tell Me in `search`, the HTML in `templates/`. Signed in through the Microsoft sign-in
twin, one session per tenant (`web`).
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from sandbox.bc_web import autosave, consent, pages
from sandbox.context import Sandbox

STATIC = Path(__file__).parent / "static"


def create_app(sandbox: Sandbox) -> Starlette:
    app = Starlette(routes=[Mount("/_static", StaticFiles(directory=STATIC), name="static"), *consent.ROUTES,
                            *autosave.ROUTES, *pages.ROUTES])
    app.state.sandbox = sandbox  # handlers reach it through web.sandbox_of(request)
    return app
