"""Request plumbing shared by the web client twin's handlers: the running sandbox, where a request points
(tenant, environment, company) after the per-tenant sign-in check, error pages, and the JSON-route wrapper.

The sandbox travels on the app (`app.state.sandbox`, set by `app.create_app`), so every handler is a plain
module-level `async def handler(request)`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from sandbox import bc_data, directory
from sandbox.bc_web import views
from sandbox.bc_web.variants import environment_type, variant
from sandbox.context import Sandbox
from sandbox.web_auth import current_user, sign_in_redirect

SERVICE = "business_central"

User = dict[str, Any]
Body = dict[str, Any]
Endpoint = Callable[[Request], Awaitable[Response]]
ApiHandler = Callable[[Request, "Where", User, Body], Awaitable[Response]]


@dataclass(frozen=True)
class Ui:
    """How this client draws what varies between builds (sandbox.bc_web.variants)."""

    tell_me_results: str = "grouped"
    new_action: str = "menuitem"
    back_buttons: str = "one"
    environment_type: str = "Sandbox"

    @classmethod
    def of(cls, sandbox: Sandbox) -> Ui:
        return cls(tell_me_results=variant(sandbox, "bc_tell_me_results"),
                   new_action=variant(sandbox, "bc_new_action"), back_buttons=variant(sandbox, "bc_back_buttons"),
                   environment_type=environment_type(sandbox))


@dataclass(frozen=True)
class Where:
    """The tenant/environment/company a page belongs to, its caption generation, the build's UI variants, and how
    to link within it."""

    tenant_id: str
    environment: str
    company: str
    generation: str
    ui: Ui = Ui()

    @property
    def client_base(self) -> str:
        return f"/_client/{self.tenant_id}/{self.environment}"

    def client_url(self, page: int | None = None, **extra: str) -> str:
        query = {"company": self.company, **({"page": str(page)} if page else {}), **extra}
        return f"{self.client_base}/?{urlencode(query)}"


class Refused(Exception):
    """The request cannot be served; carries the response to send instead."""

    def __init__(self, response: Response) -> None:
        self.response = response


def sandbox_of(request: Request) -> Sandbox:
    return request.app.state.sandbox


def generation(sandbox: Sandbox) -> str:
    """The caption generation option `bc_caption`: "current" (Microsoft Entra …) or "legacy" (Azure AD …)."""
    return "legacy" if sandbox.option("bc_caption", "current") == "legacy" else "current"


def error_page(title: str, message: str, status: int = 404) -> HTMLResponse:
    return HTMLResponse(views.error_page(title, message), status_code=status)


def _signed_in_tenant(request: Request, sandbox: Sandbox, tenant_key: str | None) -> tuple[str, User]:
    """The tenant the URL names (or the user's), once the user holds a session for that very tenant."""
    user = current_user(request, sandbox, SERVICE)
    tenant = directory.tenant(sandbox.store, tenant_key) if tenant_key else None
    if tenant_key and tenant is None:
        # The real client sends an unknown tenant to sign-in, which answers AADSTS90002.
        raise Refused(sign_in_redirect(request, sandbox, SERVICE, tenant=tenant_key))
    tenant_id = tenant.id if tenant else (user or {}).get("tenant_id") or sandbox.seed["tenant_id"]
    if user is None or user.get("tenant_id", "").lower() != tenant_id.lower():
        raise Refused(sign_in_redirect(request, sandbox, SERVICE, tenant=tenant_id))
    return tenant_id, user


def _environment(sandbox: Sandbox, tenant_id: str, name: str | None) -> str:
    """The environment the URL names, or the tenant's first one."""
    if name is None:
        envs = bc_data.environments(sandbox.store, tenant_id)
        if not envs:
            raise Refused(error_page("No environment", "This tenant has no Business Central environment."))
        name = envs[0]["name"]
    env = bc_data.environment(sandbox.store, tenant_id, name)
    if env is None:
        raise Refused(error_page("Environment not found", f"The environment '{name}' does not exist or you do "
                                 "not have access to it. Check the URL, or select another environment."))
    return env["name"]


def _company(request: Request, sandbox: Sandbox, tenant_id: str, environment: str) -> str:
    """`?company=` (a company Name), or the environment's first company."""
    names = [c["name"] for c in bc_data.companies(sandbox.store, tenant_id, environment)]
    company = request.query_params.get("company") or (names[0] if names else "")
    if company not in names:
        raise Refused(error_page("Company not found", f"The company '{company}' does not exist."))
    return company


def resolve(request: Request, tenant_key: str | None, environment: str | None) -> tuple[Where, User]:
    """Tenant, environment and company of a request, after the per-tenant sign-in check (Refused otherwise)."""
    sandbox = sandbox_of(request)
    tenant_id, user = _signed_in_tenant(request, sandbox, tenant_key)
    env = _environment(sandbox, tenant_id, environment)
    company = _company(request, sandbox, tenant_id, env)
    return Where(tenant_id, env, company, generation(sandbox), Ui.of(sandbox)), user


def client_where(request: Request) -> tuple[Where, User]:
    """`resolve` for the client frame's URLs `/_client/{tenant}/{environment}/…`."""
    return resolve(request, request.path_params["tenant"], request.path_params["environment"])


def acting_admin(sandbox: Sandbox, user: User) -> bool:
    record = directory.user(sandbox.store, user["upn"])
    return bool(record and record["is_admin"])  # the seeded administrator holds SUPER


async def _json_body(request: Request) -> Body | None:
    """The POSTed JSON object ({} for other methods or no body); None when it is not a JSON object."""
    if request.method != "POST":
        return {}
    try:
        body = json.loads(await request.body() or b"{}")
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deep
        return None
    return body if isinstance(body, dict) else None


def client_api(handler: ApiHandler) -> Endpoint:
    """A JSON route of the client frame: 401 without a session, 400 for a body that is not a JSON object;
    the handler gets the request, where, the user and the body."""

    @wraps(handler)
    async def endpoint(request: Request) -> Response:
        try:
            where, user = client_where(request)
        except Refused:
            return JSONResponse({"error": "not signed in"}, status_code=401)
        body = await _json_body(request)
        if body is None:
            return JSONResponse({"error": "The request body must be a JSON object."}, status_code=400)
        return await handler(request, where, user, body)

    return endpoint
