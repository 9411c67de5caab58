"""The `login` host: Entra protocol routes (discovery, keys, token) plus the interactive sign-in pages."""

from __future__ import annotations

from starlette.applications import Starlette

from sandbox.context import Sandbox
from sandbox.entra import protocol, signin


def create_app(sandbox: Sandbox) -> Starlette:
    app = Starlette(routes=[*protocol.routes(sandbox), *signin.ROUTES])
    app.state.sandbox = sandbox  # the sign-in handlers reach it through signin_flow.sandbox_of(request)
    return app
