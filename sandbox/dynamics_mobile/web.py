"""Request plumbing shared by the Portal twin's handlers: the running sandbox, the Portal session, the UI
generation and page delay options, and the ADM guard.

The sandbox travels on the app (`app.state.sandbox`, set by `app.create_app`), so every handler is a plain
module-level `async def handler(request)`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from sandbox.context import Sandbox
from sandbox.dynamics_mobile import views
from sandbox.dynamics_mobile.captions import ADMIN_APP, BUTTONS, DEFAULT_GENERATION

SESSION_COOKIE = "dmportal_session"  # cookies on 127.0.0.1 are shared across the twins' ports
SERVICE = "dynamics_mobile"

Session = dict[str, Any]
Endpoint = Callable[[Request], Awaitable[Response]]
AdmHandler = Callable[[Request, Session], Awaitable[Response]]


def sandbox_of(request: Request) -> Sandbox:
    return request.app.state.sandbox


def session_of(request: Request) -> Session | None:
    return sandbox_of(request).store.session(SERVICE, request.cookies.get(SESSION_COOKIE))


def generation(request: Request) -> str:
    """The UI generation option `dm_buttons`: "modern" (CREATE/UPDATE) or "classic" (New/Save/Edit)."""
    value = sandbox_of(request).option("dm_buttons", DEFAULT_GENERATION)
    return value if value in BUTTONS else DEFAULT_GENERATION


async def page_delay(request: Request) -> None:
    delay_ms = float(sandbox_of(request).option("page_delay_ms", 0) or 0)
    if delay_ms > 0:
        await asyncio.sleep(delay_ms / 1000)  # models a slow Portal (profile option)


def html(body: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status_code, headers={"Cache-Control": "no-store"})


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def to_login() -> RedirectResponse:
    return redirect("/login")


def landing_path(landing: str) -> str:
    """Where a signed-in user lands: the role's Default Application, or the bare shell."""
    return f"/app/{quote(landing)}" if landing else "/app"


def adm_page(handler: AdmHandler) -> Endpoint:
    """An ADM page: the profile's page delay, then the handler with the session; sign-in or 403 instead."""

    @wraps(handler)
    async def endpoint(request: Request) -> Response:
        await page_delay(request)
        session = session_of(request)
        if session is None:
            return to_login()
        if session["role"].upper() != ADMIN_APP:
            return html(views.forbidden(session, ADMIN_APP), 403)
        return await handler(request, session)

    return endpoint
