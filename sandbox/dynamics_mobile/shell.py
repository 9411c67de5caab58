"""The Application Selector's targets: `/app` (no default application) and `/app/<id>` (DM-ROLES: a mobile app's
Portal screen stays empty; ADM only for the ADM role)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.dynamics_mobile import views
from sandbox.dynamics_mobile.captions import ADMIN_APP, APPLICATIONS
from sandbox.dynamics_mobile.web import html, page_delay, session_of, to_login


async def app_home(request: Request) -> Response:
    await page_delay(request)
    session = session_of(request)
    if session is None:
        return to_login()
    app = request.path_params.get("app", "")
    if app and app not in APPLICATIONS:
        return html(views.not_found(session, f"There is no application {app}."), 404)
    if app == ADMIN_APP and session["role"].upper() != ADMIN_APP:
        return html(views.forbidden(session, app), 403)
    return html(views.app_home(session, app))


ROUTES = [Route("/app", app_home), Route("/app/{app}", app_home)]
