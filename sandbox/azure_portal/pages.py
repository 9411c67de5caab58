"""The portal's pages: the shell (or, before sign-in, a bounce that keeps the deep link), the sign-in round trip,
and the blade a fragment names, as JSON for the shell (`/api/blade`) or as a react-frame document (`/frame`).

The fragment never reaches the server: the shell's script sends it as `?route=`.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from sandbox.azure_portal import blades, routes
from sandbox.azure_portal.web import NO_STORE, SERVICE, layout, page_delay, sandbox_of, unauthorised, view_for
from sandbox.templating import render
from sandbox.web_auth import CALLBACK_PATH, handle_callback, sign_in_redirect

PORTAL_MENU = (("Home", "#home"), ("Dashboard", "#home"), ("All services", "#home"),
               ("Microsoft Entra ID", routes.ENTRA_HASH), ("App registrations", routes.LIST_HASH))
PREWARM = "prewarm"  # the hidden sibling frame starts empty


def page(template: str, status_code: int = 200, **context: object) -> HTMLResponse:
    return HTMLResponse(render(__package__, template, **context), status_code=status_code, headers=NO_STORE)


async def root(request: Request) -> Response:
    view = view_for(request)
    if view is None:
        return page("sign_in_bounce.html")
    return page("shell.html", upn=view.user["upn"], tenant_name=view.tenant.display_name,
                tenant_domain=view.tenant.initial_domain, menu=PORTAL_MENU, welcome=view.ui.welcome_dialog)


async def signin(request: Request) -> Response:
    if view_for(request) is not None:
        return RedirectResponse("/", status_code=302)
    return sign_in_redirect(request, sandbox_of(request), SERVICE)


async def signin_callback(request: Request) -> Response:
    return handle_callback(request, sandbox_of(request), SERVICE)


async def api_blade(request: Request) -> Response:
    view = view_for(request)
    if view is None:
        return unauthorised()
    await page_delay(request)
    route = request.query_params.get("route", "")
    return blades.for_route(view, route).response(layout(request), frame="/frame?route=" + route.replace("#", "%23"),
                                                  frames=view.ui.frames)


async def frame(request: Request) -> Response:
    view = view_for(request)
    if view is None:
        return HTMLResponse(render(__package__, "frame.html", session_expired=True, content=""), status_code=401)
    route = request.query_params.get("route", "")
    if route == PREWARM:
        return page("frame.html", session_expired=False, content="")
    await page_delay(request)
    return page("frame.html", session_expired=False, content=blades.for_route(view, route).html)


ROUTES = [
    Route("/", root),
    Route("/signin", signin),
    Route(CALLBACK_PATH, signin_callback),
    Route("/api/blade", api_blade),
    Route("/frame", frame),
]
