"""The admin API's route table: the admin app and the twins (e.g. the Dynamics Mobile agent check) add handlers
with `@admin_route`; `sandbox.admin.app.create_app` serves them behind its loopback and token guard.

A module of its own so a twin can contribute routes without importing the admin app (which imports the twins).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from sandbox.context import Sandbox

Handler = Callable[[Sandbox, Request], Awaitable[Response]]
# (method, path, handler), in registration order.
ADMIN_ROUTES: list[tuple[str, str, Handler]] = []


def admin_route(method: str, path: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        ADMIN_ROUTES.append((method, path, handler))
        return handler

    return register
