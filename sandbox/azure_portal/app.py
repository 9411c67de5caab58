"""The `azure_portal` host: a recognisable Azure portal for App registrations, over the shared Entra directory.

Pages need a session from the sign-in twin. The shell routes on `location.hash` by asking `/api/blade`; forms post
to `/api/...` and get back JSON (`html` to re-render the blade, `navigate` to move to another fragment, `toast`).
Options read per request: `portal_layout` (top|iframe), `account_types_ui` (dropdown|radios), `page_delay_ms`.
"""

from __future__ import annotations

import asyncio
import calendar
import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from sandbox import catalog, directory
from sandbox.azure_portal import blades, routes, shell
from sandbox.azure_portal.blades import Blade, View
from sandbox.context import Sandbox
from sandbox.web_auth import current_user, handle_callback, sign_in_redirect

SERVICE = "azure_portal"
STATIC = Path(__file__).parent / "static"
NO_STORE = {"Cache-Control": "no-store"}
MAX_SECRET_DAYS = 730


def create_app(sandbox: Sandbox) -> Starlette:
    store = sandbox.store

    def view_for(request: Request) -> View | None:
        user = current_user(request, sandbox, SERVICE)
        if user is None:
            return None
        tenant = directory.tenant(store, user["tenant_id"])
        row = directory.user(store, user["upn"])
        if tenant is None or row is None:
            return None
        ui = sandbox.option("account_types_ui", "dropdown")
        return View(user, tenant, bool(row["is_admin"]), ui if ui in ("dropdown", "radios") else "dropdown")

    async def latency() -> None:
        delay = float(sandbox.option("page_delay_ms", 0) or 0)
        if delay > 0:
            await asyncio.sleep(delay / 1000)  # models a slow portal; the page shows a progress bar meanwhile

    def layout() -> str:
        return "iframe" if sandbox.option("portal_layout", "top") == "iframe" else "top"

    def own_app(view: View, app_id: str) -> directory.App | None:
        app = directory.app_by_client_id(store, app_id)
        return app if app is not None and app.tenant_id == view.tenant.id else None

    def render(view: View, route: str) -> Blade:
        where = routes.parse(route)
        if where.blade == "home":
            return blades.home(view)
        if where.blade == "entra":
            return blades.entra(view)
        if where.blade == "list":
            return blades.app_list(store, view)
        if where.blade == "create":
            return blades.create_form(view)
        if where.blade == "app":
            app = own_app(view, where.app_id)
            if app is not None:
                return blades.app_blade(store, view, app, where.section)
        return Blade("Not found", "<p>The blade you asked for could not be found. It may have been deleted, or the "
                                  "link may be wrong.</p>", [blades.HOME_CRUMB])

    def blade_json(blade: Blade, **extra: Any) -> JSONResponse:
        return JSONResponse({"title": blade.title, "crumbs": blade.crumbs, "menu": blade.menu,
                             "menuLabel": blade.menu_label, "layout": layout(), "html": blade.html, **extra},
                            headers=NO_STORE)

    def unauthorised() -> JSONResponse:
        return JSONResponse({"error": "signin_required"}, status_code=401, headers=NO_STORE)

    # --- pages -------------------------------------------------------------------------------------

    async def root(request: Request) -> Response:
        view = view_for(request)
        if view is None:
            return HTMLResponse(shell.sign_in_bounce(), headers=NO_STORE)
        return HTMLResponse(shell.shell(view.user, view.tenant), headers=NO_STORE)

    async def signin(request: Request) -> Response:
        if view_for(request) is not None:
            return RedirectResponse("/", status_code=302)
        return sign_in_redirect(request, sandbox, SERVICE)

    async def api_blade(request: Request) -> Response:
        view = view_for(request)
        if view is None:
            return unauthorised()
        await latency()
        blade = render(view, request.query_params.get("route", ""))
        return blade_json(blade, frame="/frame?route=" + request.query_params.get("route", "").replace("#", "%23"))

    async def frame(request: Request) -> Response:
        view = view_for(request)
        if view is None:
            return HTMLResponse(shell.frame("<p>Your session has expired. Sign in again.</p>"), status_code=401)
        route = request.query_params.get("route", "")
        if route == "prewarm":  # the hidden sibling frame starts empty
            return HTMLResponse(shell.frame(""), headers=NO_STORE)
        await latency()
        return HTMLResponse(shell.frame(render(view, route).html), headers=NO_STORE)

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        path = STATIC / name
        if "/" in name or not path.is_file():
            return Response("not found", status_code=404)
        return FileResponse(path)

    # --- actions -----------------------------------------------------------------------------------

    async def action_context(request: Request) -> tuple[View | None, directory.App | None, dict[str, Any]]:
        view = view_for(request)
        form = await request.form()
        data: dict[str, Any] = {k: form.getlist(k) if k == "permission" else str(form.get(k, "")) for k in form}
        app = own_app(view, request.path_params.get("app_id", "")) if view and "app_id" in request.path_params \
            else None
        await latency()
        return view, app, data

    async def create(request: Request) -> Response:
        view, _, data = await action_context(request)
        if view is None:
            return unauthorised()
        values = {k: data.get(k, "").strip() for k in ("name", "signInAudience", "platform", "redirectUri")}
        errors = validate_registration(values)
        if errors:
            return blade_json(blades.create_form(view, values, errors), invalid=True)
        redirects = [{"platform": values["platform"], "uri": values["redirectUri"]}] if values["redirectUri"] else []
        app = directory.create_app(store, view.tenant.id, values["name"], values["signInAudience"], redirects)
        return JSONResponse({"navigate": routes.app_hash(app.app_id),
                             "toast": {"title": "Application registered",
                                       "description": f"Registered application {app.display_name}."}})

    def app_section(view: View, app: directory.App, section: str, toast: dict[str, str] | None = None,
                    **extra: Any) -> JSONResponse:
        blade = blades.app_blade(store, view, app, section, extra)
        return blade_json(blade, **({"toast": toast} if toast else {}))

    def missing_app() -> JSONResponse:
        return JSONResponse({"error": "The application was not found in this directory."}, status_code=404)

    async def add_permissions(request: Request) -> Response:
        view, app, data = await action_context(request)
        if view is None:
            return unauthorised()
        if app is None:
            return missing_app()
        resource = data.get("resource", "")
        wanted = [str(v) for v in data.get("permission", [])]
        kind = data.get("kind", "")
        known = {p.value for p in catalog.permissions_of(resource, kind)}
        if not wanted or any(v not in known for v in wanted):
            return JSONResponse({"error": "Select at least one permission of the chosen type."}, status_code=400)
        directory.add_permissions(store, app.object_id, resource, wanted)
        return app_section(view, app, "CallAnAPI", {"title": "Permissions updated",
                                                    "description": f"Added {len(wanted)} permission(s)."})

    async def consent(request: Request) -> Response:
        view, app, _ = await action_context(request)
        if view is None:
            return unauthorised()
        if app is None:
            return missing_app()
        if not view.is_admin:
            return JSONResponse({"error": "Only an administrator can grant admin consent."}, status_code=403)
        directory.grant_admin_consent(store, app.object_id)
        message = "Successfully granted admin consent for the requested permissions."
        return app_section(view, app, "CallAnAPI", {"title": "Admin consent", "description": message}, banner=message)

    async def add_secret(request: Request) -> Response:
        view, app, data = await action_context(request)
        if view is None:
            return unauthorised()
        if app is None:
            return missing_app()
        try:
            days, start_at, end_at = secret_period(data, store.now())
        except ValueError as exc:
            return app_section(view, app, "Credentials", errors=[str(exc)])
        value, key_id = directory.add_secret(store, app.object_id, data.get("description", "").strip(), days=days,
                                             start_at=start_at, end_at=end_at)
        # The Value travels in this response only; the store keeps its hash and hint.
        return app_section(view, app, "Credentials", {"title": "Client secret added",
                                                      "description": "Added a client secret."},
                           new_secret=(key_id, value))

    async def delete_secret(request: Request) -> Response:
        view, app, _ = await action_context(request)
        if view is None:
            return unauthorised()
        if app is None:
            return missing_app()
        key_id = request.path_params["key_id"]
        if not any(s["key_id"] == key_id for s in directory.app_secrets(store, app.object_id)):
            return JSONResponse({"error": "The client secret was not found."}, status_code=404)
        directory.delete_secret(store, key_id)
        return app_section(view, app, "Credentials", {"title": "Client secret deleted",
                                                      "description": "Deleted the client secret."})

    async def delete_app(request: Request) -> Response:
        view, app, _ = await action_context(request)
        if view is None:
            return unauthorised()
        if app is None:
            return missing_app()
        directory.delete_app(store, app.object_id)
        return JSONResponse({"navigate": routes.LIST_HASH,
                             "toast": {"title": "Application deleted",
                                       "description": f"Successfully deleted application {app.display_name}."}})

    return Starlette(routes=[
        Route("/", root),
        Route("/signin", signin),
        Route("/signin-oidc", lambda r: handle_callback(r, sandbox, SERVICE)),
        Route("/api/blade", api_blade),
        Route("/frame", frame),
        Route("/static/{name}", static),
        Route("/api/apps", create, methods=["POST"]),
        Route("/api/apps/{app_id}/permissions", add_permissions, methods=["POST"]),
        Route("/api/apps/{app_id}/consent", consent, methods=["POST"]),
        Route("/api/apps/{app_id}/secrets", add_secret, methods=["POST"]),
        Route("/api/apps/{app_id}/secrets/{key_id}/delete", delete_secret, methods=["POST"]),
        Route("/api/apps/{app_id}/delete", delete_app, methods=["POST"]),
    ])


# --- validation ------------------------------------------------------------------------------------

_LOCALHOST = re.compile(r"^http://(localhost|127\.0\.0\.1)(:\d+)?(/|$)", re.IGNORECASE)


def validate_registration(values: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "The application name is required."
    if values["signInAudience"] not in blades.AUDIENCES:
        errors["audience"] = "Select a supported account type."
    uri = values["redirectUri"]
    if uri:
        parsed = urlparse(uri)
        if values["platform"] not in blades.PLATFORMS:
            errors["redirect"] = "Select a platform for the redirect URI."
        elif not ((parsed.scheme == "https" and parsed.hostname) or _LOCALHOST.match(uri)) or parsed.fragment \
                or " " in uri:
            errors["redirect"] = ("The redirect URI must be an absolute URI starting with 'https' or "
                                  "'http://localhost', without a fragment.")
    return errors


def secret_period(data: dict[str, Any], now: float) -> tuple[float | None, float | None, float | None]:
    """(days, start, end) from the Expires choice; Custom takes Start/End dates (at most 24 months)."""
    choice = data.get("expires", "180") or "180"
    if choice != "custom":
        if choice not in {value for value, _ in blades.EXPIRY_OPTIONS}:
            raise ValueError("Choose an expiry from the list.")
        return float(choice), None, None
    try:
        start = date.fromisoformat(data.get("start", ""))
        end = date.fromisoformat(data.get("end", ""))
    except ValueError as exc:
        raise ValueError("Enter a start and an end date.") from exc
    start_at = float(calendar.timegm(start.timetuple()))
    end_at = float(calendar.timegm(end.timetuple()))
    if end_at <= start_at:
        raise ValueError("The end date must be after the start date.")
    if end_at - start_at > MAX_SECRET_DAYS * 86400:
        raise ValueError("The secret can be valid for at most 24 months.")
    if end_at <= now:
        raise ValueError("The end date must be in the future.")
    return None, start_at, end_at
