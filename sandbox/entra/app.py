"""The `login` host: Entra protocol routes (discovery, keys, token) plus the interactive sign-in pages."""

from __future__ import annotations

import importlib

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from sandbox.context import Sandbox

# Each module exposes routes(sandbox) -> list[Route]; one owner per module.
ROUTE_MODULES = ("sandbox.entra.protocol", "sandbox.entra.signin")


def create_app(sandbox: Sandbox) -> Starlette:
    routes: list[BaseRoute] = []
    for name in ROUTE_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # not built yet
            raise
        routes.extend(module.routes(sandbox))
    return Starlette(routes=routes)
