"""The Dynamics Mobile Portal twin (FIDELITY.md §f): login to an application area, the Application Selector,
the ADM app's Users and Roles, and a role's Settings → AGENT → Backend Connection form.

Run-time options: `dm_buttons` ("modern" CREATE/UPDATE on top, or "classic" New/Edit/Save) and the profile's
`page_delay_ms` (server-side delay on page loads). The client secret is stored for the agent and never rendered.
"""

from __future__ import annotations

import asyncio
import hmac
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pages.dynamics_mobile.labels import APPLICATIONS, UI_GENERATIONS, label
from sandbox import dm_data
from sandbox.context import Sandbox
from sandbox.dynamics_mobile import role_forms, views
from sandbox.dynamics_mobile.role_forms import FormErrors

Endpoint = Callable[[Request], Awaitable[Response]]
AdminHandler = Callable[[Request, dict[str, Any]], Awaitable[Response]]

SESSION_COOKIE = "dmportal_session"  # cookies on 127.0.0.1 are shared across the twins' ports
SERVICE = "dynamics_mobile"
AREA_RE = re.compile(r"^[A-Za-z0-9]+$")
ADMIN_APP = "ADM"


def create_app(sandbox: Sandbox) -> Starlette:
    store = sandbox.store

    def session_of(request: Request) -> dict[str, Any] | None:
        return store.session(SERVICE, request.cookies.get(SESSION_COOKIE))

    def generation() -> str:
        value = sandbox.option("dm_buttons", "modern")
        return value if value in UI_GENERATIONS else "modern"

    async def page_delay() -> None:
        delay_ms = float(sandbox.option("page_delay_ms", 0) or 0)
        if delay_ms > 0:
            await asyncio.sleep(delay_ms / 1000)  # models a slow Portal (profile option)

    def html(body: str, status_code: int = 200) -> HTMLResponse:
        return HTMLResponse(body, status_code=status_code, headers={"Cache-Control": "no-store"})

    def to_login() -> RedirectResponse:
        return RedirectResponse("/login", status_code=303)

    def admin_session(request: Request) -> tuple[dict[str, Any] | None, Response | None]:
        """The session when its user may open ADM; otherwise the response to send instead."""
        session = session_of(request)
        if session is None:
            return None, to_login()
        if session["role"].upper() != ADMIN_APP:
            return None, html(views.forbidden(session, ADMIN_APP), 403)
        return session, None

    async def home(request: Request) -> Response:
        session = session_of(request)
        if session is None:
            return to_login()
        return RedirectResponse(f"/app/{quote(session['landing'])}" if session["landing"] else "/app",
                                status_code=303)

    async def login_page(request: Request) -> Response:
        await page_delay()
        if request.method == "GET":
            return html(views.login({}))
        form = await request.form()
        values = {k: str(form.get(k) or "").strip() for k in ("area", "email")}
        password = str(form.get("password") or "")
        errors = FormErrors()
        if not values["area"]:
            errors.add("area", label("area"), "is required")
        elif not AREA_RE.match(values["area"]):
            errors.add("area", label("area"), "may contain letters and digits only")
        if not values["email"]:
            errors.add("email", label("email"), "is required")
        if not password:
            errors.add("password", label("password"), "is required")
        if errors:
            return html(views.login(values, errors), 422)
        user = dm_data.user(store, values["area"], values["email"])
        if user is None or not hmac.compare_digest(user["password"].encode(), password.encode()):
            return html(views.login(values, failure="The application area, email or password is incorrect."), 401)
        role = dm_data.role(store, user["area"], user["role_id"])
        landing = role["default_application"] if role else ""
        sid = store.new_session(SERVICE, {"area": user["area"], "email": user["email"], "role": user["role_id"],
                                          "landing": landing})
        response = RedirectResponse(f"/app/{quote(landing)}" if landing else "/app", status_code=303)
        response.set_cookie(SESSION_COOKIE, sid, httponly=True, secure=True, samesite="lax")
        return response

    async def logout(request: Request) -> Response:
        sid = request.cookies.get(SESSION_COOKIE)
        if sid:
            store.drop_session(sid)
        response = to_login()
        response.delete_cookie(SESSION_COOKIE)
        return response

    async def app_home(request: Request) -> Response:
        await page_delay()
        session = session_of(request)
        if session is None:
            return to_login()
        app = request.path_params.get("app", "")
        if app and app not in dict(APPLICATIONS):
            return html(views.not_found(session, f"There is no application {app}."), 404)
        if app == ADMIN_APP and session["role"].upper() != ADMIN_APP:
            return html(views.forbidden(session, app), 403)
        return html(views.app_home(session, app))

    def admin_page(handler: AdminHandler) -> Endpoint:
        """An ADM page: the profile's page delay, then the handler with the session, or sign-in / 403 instead."""

        async def endpoint(request: Request) -> Response:
            await page_delay()
            session, denied = admin_session(request)
            if denied or session is None:
                return denied or to_login()
            return await handler(request, session)

        return endpoint

    async def users_page(request: Request, session: dict[str, Any]) -> Response:
        rows = [dict(r) for r in store.all("SELECT email, role_id FROM dm_users WHERE area = ? ORDER BY email",
                                           session["area"])]
        return html(views.users(session, rows))

    async def roles_page(request: Request, session: dict[str, Any]) -> Response:
        created = request.query_params.get("created", "")
        message = label("role_created", role_id=created) if created else ""
        return html(views.roles(session, dm_data.roles(store, session["area"]), message, generation()))

    async def new_role_page(request: Request, session: dict[str, Any]) -> Response:
        if request.method == "GET":
            return html(views.new_role(session, {}, FormErrors(), generation()))
        form = await request.form()
        values = {k: str(form.get(k) or "").strip() for k in ("roleId", "name", "defaultApplication")}
        values["enabled"] = "1" if form.get("enabled") else "0"
        area = session["area"]
        errors = role_forms.validate_new_role(values["roleId"], values["name"], dm_data.roles(store, area))
        if values["defaultApplication"] and values["defaultApplication"] not in dict(APPLICATIONS):
            errors.add("defaultApplication", label("default_app"), "choose a value from the list")
        if errors:
            return html(views.new_role(session, values, errors, generation()), 422)
        dm_data.create_role(store, area, values["roleId"], values["name"], values["defaultApplication"])
        dm_data.update_role(store, area, values["roleId"], values["name"], values["defaultApplication"],
                            values["enabled"] == "1")
        return RedirectResponse(f"/app/ADM/roles?created={quote(values['roleId'])}", status_code=303)

    async def role_page(request: Request, session: dict[str, Any]) -> Response:
        area = session["area"]
        role = dm_data.role(store, area, request.path_params["role_id"])
        if role is None:
            return html(views.not_found(session, f"There is no role {request.path_params['role_id']}."), 404)
        saved_secret = role_forms.secret_saved(role["settings"])
        if request.method == "GET":
            saved = request.query_params.get("saved") == "1"
            return html(views.role_card(
                session, role, role_forms.settings_values(role["settings"]), FormErrors(), secret_saved=saved_secret,
                message=label("settings_saved") if saved else "", tab=request.query_params.get("tab", "general"),
                generation=generation()))
        form = await request.form()
        general = {"name": str(form.get("name") or "").strip(),
                   "defaultApplication": str(form.get("defaultApplication") or "").strip(),
                   "enabled": "1" if form.get("enabled") else "0"}
        values = role_forms.form_values({k: str(v) for k, v in form.items()})
        errors = FormErrors()
        role_forms.check_name(errors, general["name"], dm_data.roles(store, area), exclude=role["role_id"])
        errors.extend(role_forms.validate_settings(values, saved_secret))
        if errors:
            shown = {**values, **general, "clientSecret": ""}  # a typed secret is never echoed back
            return html(views.role_card(session, role, shown, errors, secret_saved=saved_secret, message="",
                                        tab="settings", generation=generation()), 422)
        dm_data.update_role(store, area, role["role_id"], general["name"], general["defaultApplication"],
                            general["enabled"] == "1")
        dm_data.update_role_settings(store, area, role["role_id"], role_forms.merge_settings(role["settings"], values))
        return RedirectResponse(f"/app/ADM/roles/{quote(role['role_id'])}?saved=1&tab=settings", status_code=303)

    routes = [
        Route("/", home),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/login", login_page, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/app", app_home),
        Route("/app/ADM/users", admin_page(users_page)),
        Route("/app/ADM/roles", admin_page(roles_page)),
        Route("/app/ADM/roles/new", admin_page(new_role_page), methods=["GET", "POST"]),
        Route("/app/ADM/roles/{role_id}", admin_page(role_page), methods=["GET", "POST"]),
        Route("/app/{app}", app_home),
        Mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static"),
    ]
    return Starlette(routes=routes)
