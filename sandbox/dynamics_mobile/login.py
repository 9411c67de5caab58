"""Signing in to an application area (DM-USER: Application Area, e-mail, password, Login) and out again, and the
landing on the role's Default Application (DM-ROLES)."""

from __future__ import annotations

import hmac
import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox import dm_data
from sandbox.dynamics_mobile import views
from sandbox.dynamics_mobile.captions import caption
from sandbox.dynamics_mobile.role_forms import FormErrors
from sandbox.dynamics_mobile.web import (
    SERVICE,
    SESSION_COOKIE,
    html,
    landing_path,
    page_delay,
    redirect,
    sandbox_of,
    session_of,
    to_login,
)

AREA_RE = re.compile(r"^[A-Za-z0-9]+$")  # an application area id is alphanumeric (e.g. DEMO01)


def validate_login(area: str, email: str, password: str) -> FormErrors:
    errors = FormErrors()
    if not area:
        errors.add("area", caption("area"), "is required")
    elif not AREA_RE.match(area):
        errors.add("area", caption("area"), "may contain letters and digits only")
    if not email:
        errors.add("email", caption("email"), "is required")
    if not password:
        errors.add("password", caption("password"), "is required")
    return errors


async def home(request: Request) -> Response:
    session = session_of(request)
    return to_login() if session is None else redirect(landing_path(session["landing"]))


async def favicon(request: Request) -> Response:
    return Response(status_code=204)


async def login_form(request: Request) -> Response:
    await page_delay(request)
    return html(views.login({}))


async def login_submit(request: Request) -> Response:
    await page_delay(request)
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in ("area", "email")}
    password = str(form.get("password") or "")
    errors = validate_login(values["area"], values["email"], password)
    if errors:
        return html(views.login(values, errors), 422)
    store = sandbox_of(request).store
    user = dm_data.user(store, values["area"], values["email"])
    if user is None or not hmac.compare_digest(user["password"].encode(), password.encode()):
        return html(views.login(values, failure=caption("login_failed")), 401)
    role = dm_data.role(store, user["area"], user["role_id"])
    landing = role["default_application"] if role else ""
    sid = store.new_session(SERVICE, {"area": user["area"], "email": user["email"], "role": user["role_id"],
                                      "landing": landing})
    response = redirect(landing_path(landing))
    response.set_cookie(SESSION_COOKIE, sid, httponly=True, secure=True, samesite="lax")
    return response


async def logout(request: Request) -> Response:
    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        sandbox_of(request).store.drop_session(sid)
    response = to_login()
    response.delete_cookie(SESSION_COOKIE)
    return response


ROUTES = [
    Route("/", home),
    Route("/favicon.ico", favicon),
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login_submit, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]
