"""The Business Central web client twin (businesscentral.dynamics.com).

URLs as the real client's: `/[<tenant>/][<environment>/]?company=<name>&page=<id>` is the shell (top document);
the client UI renders inside `iframe.designer-client-frame`, served under `/_client/<tenant>/<environment>/`,
whose small JSON routes play BC's autosave. Signed in through the Microsoft sign-in twin; one session per tenant.
Grant Consent's redirect URI https://businesscentral.dynamics.com/OAuthLanding.htm lands on `/OAuthLanding.htm`.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from sandbox import bc_data, directory
from sandbox.bc_web import rules, search, views
from sandbox.bc_web.search import ENTRA_APPS_PAGE, ENTRA_CARD_PAGE, ROLE_CENTER_PAGE
from sandbox.bc_web.views import Where
from sandbox.context import Sandbox
from sandbox.provision import LANDING
from sandbox.web_auth import current_user, handle_callback, sign_in_redirect

SERVICE = "business_central"
STATIC = Path(__file__).parent / "static"


Endpoint = Callable[[Request], Awaitable[Response]]
ApiHandler = Callable[[Request, Where, dict[str, Any], dict[str, Any]], Awaitable[Response]]


class Refused(Exception):
    """The request cannot be served; carries the response to send instead."""

    def __init__(self, response: Response) -> None:
        self.response = response


def create_app(sandbox: Sandbox) -> Starlette:
    store = sandbox.store

    def generation() -> str:
        return "legacy" if sandbox.option("bc_caption", "current") == "legacy" else "current"

    def resolve(request: Request, tenant_key: str | None, environment: str | None) -> tuple[Where, dict[str, Any]]:
        """Tenant, environment and company of a request, after the per-tenant sign-in check."""
        user = current_user(request, sandbox, SERVICE)
        tenant = directory.tenant(store, tenant_key) if tenant_key else None
        if tenant_key and tenant is None:
            # The real client sends an unknown tenant to sign-in, which answers AADSTS90002.
            raise Refused(sign_in_redirect(request, sandbox, SERVICE, tenant=tenant_key))
        tenant_id = tenant.id if tenant else (user or {}).get("tenant_id") or sandbox.seed["tenant_id"]
        if user is None or user.get("tenant_id", "").lower() != tenant_id.lower():
            raise Refused(sign_in_redirect(request, sandbox, SERVICE, tenant=tenant_id))
        envs = bc_data.environments(store, tenant_id)
        if environment is None:
            if not envs:
                raise Refused(_error_page("No environment", "This tenant has no Business Central environment.",
                                          404))
            environment = envs[0]["name"]
        env = bc_data.environment(store, tenant_id, environment)
        if env is None:
            raise Refused(_error_page("Environment not found", f"The environment '{environment}' does not exist "
                                      "or you do not have access to it. Check the URL, or select another "
                                      "environment.", 404))
        names = [c["name"] for c in bc_data.companies(store, tenant_id, env["name"])]
        company = request.query_params.get("company") or (names[0] if names else "")
        if company not in names:
            raise Refused(_error_page("Company not found", f"The company '{company}' does not exist.", 404))
        return Where(tenant_id, env["name"], company, generation()), user

    def acting_admin(user: dict[str, Any]) -> bool:
        record = directory.user(store, user["upn"])
        return bool(record and record["is_admin"])  # the seeded administrator holds SUPER

    # --- shell -----------------------------------------------------------------------------------

    def shell(request: Request, tenant_key: str | None, environment: str | None) -> Response:
        try:
            where, user = resolve(request, tenant_key, environment)
        except Refused as refused:
            return refused.response
        extra = {k: v for k, v in request.query_params.items() if k not in ("company",)}
        frame_src = f"{where.client_base}/?{urlencode({'company': where.company, **extra})}"
        return HTMLResponse(views.shell(where, frame_src, user.get("name", "")))

    async def root(request: Request) -> Response:
        return shell(request, None, None)

    async def one_segment(request: Request) -> Response:
        first = request.path_params["first"]
        if directory.tenant(store, first) is not None:
            return shell(request, first, None)
        return shell(request, None, first)

    async def two_segments(request: Request) -> Response:
        return shell(request, request.path_params["tenant"], request.path_params["environment"])

    # --- client pages (inside the frame) ---------------------------------------------------------

    def client_where(request: Request) -> tuple[Where, dict[str, Any]]:
        return resolve(request, request.path_params["tenant"], request.path_params["environment"])

    async def client(request: Request) -> Response:
        try:
            where, user = client_where(request)
        except Refused as refused:
            return refused.response
        q = request.query_params
        try:
            page_id = int(q.get("page") or ROLE_CENTER_PAGE)
        except ValueError:
            return _error_page("Page not found", f"The page '{q.get('page')}' does not exist.", 404)
        client_id = ""
        if page_id == ENTRA_APPS_PAGE:
            body = views.entra_list(where, bc_data.entra_apps(store, where.tenant_id, where.environment))
        elif page_id == ENTRA_CARD_PAGE:
            app = None
            if q.get("bookmark"):
                app = bc_data.entra_app(store, where.tenant_id, where.environment, q["bookmark"])
                if app is None:
                    return _error_page("Record not found", "The record that you tried to open no longer exists.",
                                       404)
                client_id = app.client_id
            body = views.entra_card(where, app, _sets(where, client_id))
        elif page_id == ROLE_CENTER_PAGE:
            body = views.role_center(where, user.get("name", ""))
        else:
            title = search.page_caption(page_id, where.generation)
            if title is None:
                return _error_page("Page not found", f"The page '{page_id}' does not exist.", 404)
            body = views.generic_list(where, title)
        delay = int(sandbox.option("page_delay_ms", 0) or 0)
        return HTMLResponse(views.client_page(where, page_id, body, delay))

    def _sets(where: Where, client_id: str) -> list[dict[str, Any]]:
        if not client_id:
            return []
        return bc_data.permission_sets(store, where.tenant_id, where.environment, client_id)

    def client_api(handler: ApiHandler) -> Endpoint:
        """A JSON endpoint of the client frame: 401 without a session; the handler gets where, user and body."""

        async def endpoint(request: Request) -> Response:
            try:
                where, user = client_where(request)
            except Refused:
                return JSONResponse({"error": "not signed in"}, status_code=401)
            body = json.loads(await request.body() or b"{}") if request.method == "POST" else {}
            return await handler(request, where, user, body)

        return endpoint

    async def tell_me(request: Request, where: Where, user: dict[str, Any], body: dict[str, Any]) -> Response:
        hits = search.search(request.query_params.get("q", ""), where.generation)
        return JSONResponse({"groups": [{"name": search.GROUP, "results": [
            {"caption": h.caption, "category": h.category, "url": where.client_url(h.page_id)} for h in hits]}]
            if hits else []})

    # --- autosave and actions (JSON) -------------------------------------------------------------

    def card_answer(where: Where, client_id: str, **extra: Any) -> JSONResponse:
        app = bc_data.entra_app(store, where.tenant_id, where.environment, client_id) if client_id else None
        html = views.entra_card_body(where, app, _sets(where, app.client_id if app else ""))
        return JSONResponse({"html": html, "client_id": app.client_id if app else "", **extra})

    async def card_api(request: Request, where: Where, user: dict[str, Any], body: dict[str, Any]) -> Response:
        scope = rules.Scope(store, where.tenant_id, where.environment, acting_admin(user))
        client_id = str(body.get("client_id") or "")
        op = str(body.get("op", ""))
        value = str(body.get("value", ""))
        try:
            result = _apply(scope, op, client_id, value, body)
        except rules.BcError as exc:
            return card_answer(where, client_id, error=str(exc))
        if isinstance(result, rules.Confirm):
            return card_answer(where, client_id, confirm=result.question)
        message, client_id = result
        return card_answer(where, client_id, **({"message": message} if message else {}))

    def _apply(scope: rules.Scope, op: str, client_id: str, value: str,
               body: dict[str, Any]) -> tuple[str, str] | rules.Confirm:
        """One edit; returns (message to show, the record's client id) or a question to confirm first."""
        field = str(body.get("field", ""))
        if op == "field" and field == "client_id":
            if not client_id:
                return "", rules.insert(scope, value).client_id
            return "", rules.rename(scope, client_id, value).client_id
        if not client_id:
            raise rules.BcError(rules.NO_CLIENT_ID)
        if op == "field" and field == "state":
            outcome = rules.set_state(scope, client_id, value, bool(body.get("confirmed")))
            return outcome if isinstance(outcome, rules.Confirm) else ("", client_id)
        if op == "field":
            rules.set_field(scope, client_id, field, value)
            return "", client_id
        if op == "create-user":
            rules.create_user(scope, client_id)
            return rules.USER_CREATED, client_id
        if op == "disable":
            if not body.get("confirmed"):
                return rules.Confirm("Do you want to disable this app?")
            rules.set_state(scope, client_id, "Disabled")
            return "", client_id
        if op == "add-permission-set":
            rules.add_permission_set(scope, client_id, value, str(body.get("company", "")))
            return "", client_id
        if op == "permission-set-company":
            rules.set_permission_company(scope, client_id, str(body.get("role", "")), str(body.get("old", "")),
                                         value)
            return "", client_id
        raise rules.BcError(f"Unknown action '{op}'.")

    async def delete_api(request: Request, where: Where, user: dict[str, Any], body: dict[str, Any]) -> Response:
        scope = rules.Scope(store, where.tenant_id, where.environment, True)
        try:
            rules.delete(scope, str(body.get("client_id", "")))
        except rules.BcError as exc:
            return JSONResponse({"error": str(exc)})
        return JSONResponse({"deleted": True})

    # --- Grant Consent ---------------------------------------------------------------------------

    async def consent_start(request: Request, where: Where, user: dict[str, Any],
                            body: dict[str, Any]) -> Response:
        app = bc_data.entra_app(store, where.tenant_id, where.environment, str(body.get("client_id", "")))
        if app is None:
            return JSONResponse({"error": rules.NO_CLIENT_ID})
        state = secrets.token_urlsafe(12)
        store.put(f"bc_consent:{state}", {"tenant_id": where.tenant_id, "environment": where.environment,
                                          "client_id": app.client_id, "done": False})
        query = urlencode({"client_id": app.client_id, "redirect_uri": LANDING, "state": state})
        return JSONResponse({"state": state, "url": f"{sandbox.url('login')}/common/adminconsent?{query}",
                             "waiting": rules.CONSENT_WAITING})

    async def consent_result(request: Request) -> Response:
        data = store.get(f"bc_consent:{request.path_params['state']}")
        if data is None:
            return JSONResponse({"done": True, "ok": False, "message": rules.CONSENT_FAILED})
        return JSONResponse({k: data.get(k) for k in ("done", "ok", "message")})

    async def landing(request: Request) -> Response:
        q = request.query_params
        key = f"bc_consent:{q.get('state', '')}"
        data = store.get(key)
        ok = q.get("admin_consent", "").lower() == "true" and not q.get("error")
        message = rules.CONSENT_OK if ok else (q.get("error_description") or rules.CONSENT_FAILED)
        if data is not None and not data.get("done"):
            if ok:
                scope = rules.Scope(store, data["tenant_id"], data["environment"], True)
                rules.mark_consent(scope, data["client_id"])
            store.put(key, {**data, "done": True, "ok": ok, "message": message})
        return HTMLResponse(views.landing_page(ok, message))

    api = "/_client/{tenant}/{environment}/api"
    routes: list[BaseRoute] = [
        Route("/signin-oidc", lambda r: handle_callback(r, sandbox, SERVICE)),
        Route("/OAuthLanding.htm", landing),
        Mount("/_static", StaticFiles(directory=STATIC), name="static"),
        Route(api + "/search", client_api(tell_me)),
        Route(api + "/card", client_api(card_api), methods=["POST"]),
        Route(api + "/delete", client_api(delete_api), methods=["POST"]),
        Route(api + "/consent", client_api(consent_start), methods=["POST"]),
        Route(api + "/consent/{state}", consent_result),
        Route("/_client/{tenant}/{environment}/", client),
        Route("/", root),
        Route("/{first}/", one_segment),
        Route("/{tenant}/{environment}/", two_segments),
    ]
    return Starlette(routes=routes)


def _error_page(title: str, message: str, status: int) -> HTMLResponse:
    return HTMLResponse(views.error_page(title, message), status_code=status)
