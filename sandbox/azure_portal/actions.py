"""What the portal's forms and buttons post: register an app, add permissions, grant admin consent, add and delete
client secrets, delete the app. Each answers JSON for the shell's script: `html` (with title, crumbs, menu) to
re-render the blade, `navigate` to move to another fragment, `toast`, or `error`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox import catalog, directory
from sandbox.azure_portal import blades, routes
from sandbox.azure_portal.rules import secret_period, validate_registration
from sandbox.azure_portal.web import View, error, layout, page_delay, unauthorised, view_for
from sandbox.directory import App

Form = dict[str, Any]  # field -> text; "permission" -> list of texts
AppAction = Callable[[Request, View, App, Form], Awaitable[Response]]
REGISTRATION_FIELDS = ("name", "signInAudience", "platform", "redirectUri")


async def posted(request: Request) -> tuple[View | None, Form]:
    """Who posts (None without a session) and the form, read before any answer; the page delay applies to all."""
    view = view_for(request)
    form = await request.form()
    await page_delay(request)
    return view, {k: form.getlist(k) if k == "permission" else str(form.get(k, "")) for k in form}


def app_action(handler: AppAction) -> Callable[[Request], Awaitable[Response]]:
    """An action on one of the viewer's apps (`{app_id}` in the path): signed in, and the app in their tenant."""

    @wraps(handler)
    async def endpoint(request: Request) -> Response:
        view, form = await posted(request)
        if view is None:
            return unauthorised()
        app = view.own_app(request.path_params["app_id"])
        if app is None:
            return error("The application was not found in this directory.", 404)
        return await handler(request, view, app, form)

    return endpoint


def toast(title: str, description: str) -> dict[str, str]:
    return {"title": title, "description": description}


def section(request: Request, view: View, app: App, name: str, note: dict[str, str] | None = None,
            **extra: Any) -> JSONResponse:
    """The app's blade section re-rendered after an action, with its toast."""
    blade = blades.app_blade(view, app, name, **extra)
    return blade.response(layout(request), **({"toast": note} if note else {}))


async def register(request: Request) -> Response:
    view, form = await posted(request)
    if view is None:
        return unauthorised()
    values = {k: form.get(k, "").strip() for k in REGISTRATION_FIELDS}
    errors = validate_registration(values)
    if errors:
        return blades.create_form(view, values, errors).response(layout(request), invalid=True)
    redirects = [{"platform": values["platform"], "uri": values["redirectUri"]}] if values["redirectUri"] else []
    app = directory.create_app(view.store, view.tenant.id, values["name"], values["signInAudience"], redirects)
    return JSONResponse({"navigate": routes.app_hash(app.app_id),
                         "toast": toast("Application registered", f"Registered application {app.display_name}.")})


@app_action
async def add_permissions(request: Request, view: View, app: App, form: Form) -> Response:
    resource = form.get("resource", "")
    wanted = [str(v) for v in form.get("permission", [])]
    known = {p.value for p in catalog.permissions_of(resource, form.get("kind", ""))}
    if not wanted or any(v not in known for v in wanted):
        return error("Select at least one permission of the chosen type.", 400)
    directory.add_permissions(view.store, app.object_id, resource, wanted)
    return section(request, view, app, "CallAnAPI", toast("Permissions updated", f"Added {len(wanted)} permission(s)."))


@app_action
async def grant_consent(request: Request, view: View, app: App, form: Form) -> Response:
    if not view.is_admin:
        return error("Only an administrator can grant admin consent.", 403)
    directory.grant_admin_consent(view.store, app.object_id)
    message = "Successfully granted admin consent for the requested permissions."
    return section(request, view, app, "CallAnAPI", toast("Admin consent", message), banner=message)


@app_action
async def add_secret(request: Request, view: View, app: App, form: Form) -> Response:
    try:
        days, start_at, end_at = secret_period(form, view.store.now())
    except ValueError as exc:
        return section(request, view, app, "Credentials", errors=[str(exc)])
    value, key_id = directory.add_secret(view.store, app.object_id, form.get("description", "").strip(), days=days,
                                         start_at=start_at, end_at=end_at)
    # The Value travels in this response only; the store keeps its hash and hint.
    return section(request, view, app, "Credentials", toast("Client secret added", "Added a client secret."),
                   new_secret=(key_id, value))


@app_action
async def delete_secret(request: Request, view: View, app: App, form: Form) -> Response:
    key_id = request.path_params["key_id"]
    if not any(s["key_id"] == key_id for s in directory.app_secrets(view.store, app.object_id)):
        return error("The client secret was not found.", 404)
    directory.delete_secret(view.store, key_id)
    return section(request, view, app, "Credentials", toast("Client secret deleted", "Deleted the client secret."))


@app_action
async def delete_app(request: Request, view: View, app: App, form: Form) -> Response:
    directory.delete_app(view.store, app.object_id)
    return JSONResponse({"navigate": routes.LIST_HASH, "toast": toast(
        "Application deleted", f"Successfully deleted application {app.display_name}.")})


ROUTES = [
    Route("/api/apps", register, methods=["POST"]),
    Route("/api/apps/{app_id}/permissions", add_permissions, methods=["POST"]),
    Route("/api/apps/{app_id}/consent", grant_consent, methods=["POST"]),
    Route("/api/apps/{app_id}/secrets", add_secret, methods=["POST"]),
    Route("/api/apps/{app_id}/secrets/{key_id}/delete", delete_secret, methods=["POST"]),
    Route("/api/apps/{app_id}/delete", delete_app, methods=["POST"]),
]
