"""Request plumbing shared by the portal twin's handlers: the running sandbox, who is looking (the portal session
from the sign-in twin) and the run-time options that shape what they see.

The sandbox travels on the app (`app.state.sandbox`, set by `app.create_app`), so every handler is a plain
module-level `async def handler(request)`. Options are read per request: `portal_layout` (top|iframe),
`account_types_ui` (dropdown|radios), `page_delay_ms`, and the UI variants of `variants`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from sandbox import directory
from sandbox.azure_portal import variants
from sandbox.azure_portal.variants import Variants
from sandbox.context import Sandbox
from sandbox.directory import App, Tenant
from sandbox.store import Store
from sandbox.web_auth import current_user

SERVICE = "azure_portal"
NO_STORE = {"Cache-Control": "no-store"}
LAYOUTS = ("top", "iframe")
ACCOUNT_TYPE_UIS = ("dropdown", "radios")


@dataclass
class View:
    """Who is looking, in which tenant, and the account-types generation and UI variants they see."""

    sandbox: Sandbox
    user: dict[str, Any]
    tenant: Tenant
    is_admin: bool
    account_types_ui: str = "dropdown"
    ui: Variants = field(default_factory=Variants)

    @property
    def store(self) -> Store:
        return self.sandbox.store

    def own_app(self, app_id: str) -> App | None:
        """The app with this client id, if it belongs to the viewer's tenant (others' apps do not exist here)."""
        app = directory.app_by_client_id(self.store, app_id)
        return app if app is not None and app.tenant_id == self.tenant.id else None


def sandbox_of(request: Request) -> Sandbox:
    return request.app.state.sandbox


def view_for(request: Request) -> View | None:
    """The signed-in viewer, or None without a live session (or when its user or tenant is gone)."""
    sandbox = sandbox_of(request)
    user = current_user(request, sandbox, SERVICE)
    if user is None:
        return None
    tenant = directory.tenant(sandbox.store, user["tenant_id"])
    row = directory.user(sandbox.store, user["upn"])
    if tenant is None or row is None:
        return None
    ui = sandbox.option("account_types_ui", "dropdown")
    return View(sandbox, user, tenant, bool(row["is_admin"]), ui if ui in ACCOUNT_TYPE_UIS else "dropdown",
                variants.current(sandbox))


def layout(request: Request) -> str:
    value = sandbox_of(request).option("portal_layout", "top")
    return value if value in LAYOUTS else "top"


async def page_delay(request: Request) -> None:
    delay_ms = float(sandbox_of(request).option("page_delay_ms", 0) or 0)
    if delay_ms > 0:
        await asyncio.sleep(delay_ms / 1000)  # models a slow portal; the page shows a progress bar meanwhile


def error(message: str, status_code: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status_code)


def unauthorised() -> JSONResponse:
    """Without a session the shell's script bounces to sign-in."""
    return JSONResponse({"error": "signin_required"}, status_code=401, headers=NO_STORE)
