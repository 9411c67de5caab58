"""The ADM application's pages: Users, Roles, a new role (procedure steps 3-5) and a role's card with its
Settings → AGENT → Backend Connection form (steps 6-15). Only users of the ADM role may open them."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox import dm_data
from sandbox.dynamics_mobile import role_forms, views
from sandbox.dynamics_mobile.captions import caption
from sandbox.dynamics_mobile.role_forms import FormErrors
from sandbox.dynamics_mobile.web import Session, adm_page, generation, html, redirect, sandbox_of


def _text(form: FormData, name: str) -> str:
    return str(form.get(name) or "").strip()


def _general(form: FormData) -> dict[str, str]:
    """The role's General fields as submitted (an unchecked box is absent from the form)."""
    return {"name": _text(form, "name"), "defaultApplication": _text(form, "defaultApplication"),
            "enabled": "1" if form.get("enabled") else "0"}


@adm_page
async def users_page(request: Request, session: Session) -> Response:
    rows = [dict(r) for r in sandbox_of(request).store.all(
        "SELECT email, role_id FROM dm_users WHERE area = ? ORDER BY email", session["area"])]
    return html(views.users(session, rows))


@adm_page
async def roles_page(request: Request, session: Session) -> Response:
    created = request.query_params.get("created", "")
    message = caption("role_created", role_id=created) if created else ""
    rows = dm_data.roles(sandbox_of(request).store, session["area"])
    return html(views.roles(session, rows, message, generation(request)))


@adm_page
async def new_role_form(request: Request, session: Session) -> Response:
    return html(views.new_role(session, {}, FormErrors(), generation(request)))


@adm_page
async def new_role_submit(request: Request, session: Session) -> Response:
    store, area = sandbox_of(request).store, session["area"]
    form = await request.form()
    values = {"roleId": _text(form, "roleId"), **_general(form)}
    errors = role_forms.validate_new_role(values["roleId"], values["name"], values["defaultApplication"],
                                          dm_data.roles(store, area))
    if errors:
        return html(views.new_role(session, values, errors, generation(request)), 422)
    dm_data.create_role(store, area, values["roleId"], values["name"], values["defaultApplication"])
    dm_data.update_role(store, area, values["roleId"], values["name"], values["defaultApplication"],
                        values["enabled"] == "1")
    return redirect(f"/app/ADM/roles?created={quote(values['roleId'])}")


def _role(request: Request, session: Session) -> dict[str, Any] | None:
    return dm_data.role(sandbox_of(request).store, session["area"], request.path_params["role_id"])


def _no_such_role(request: Request, session: Session) -> Response:
    return html(views.not_found(session, f"There is no role {request.path_params['role_id']}."), 404)


@adm_page
async def role_card(request: Request, session: Session) -> Response:
    role = _role(request, session)
    if role is None:
        return _no_such_role(request, session)
    saved = request.query_params.get("saved") == "1"
    return html(views.role_card(
        session, role, role_forms.settings_values(role["settings"]), FormErrors(),
        secret_saved=role_forms.secret_saved(role["settings"]), message=caption("settings_saved") if saved else "",
        tab=request.query_params.get("tab", "general"), generation=generation(request)))


@adm_page
async def role_save(request: Request, session: Session) -> Response:
    role = _role(request, session)
    if role is None:
        return _no_such_role(request, session)
    store, area, role_id = sandbox_of(request).store, session["area"], role["role_id"]
    form = await request.form()
    general = _general(form)
    values = role_forms.form_values({k: str(v) for k, v in form.items()})
    saved_secret = role_forms.secret_saved(role["settings"])
    errors = FormErrors()
    role_forms.check_name(errors, general["name"], dm_data.roles(store, area), exclude=role_id)
    errors.extend(role_forms.validate_settings(values, saved_secret))
    if errors:
        shown = {**values, **general, "clientSecret": ""}  # a typed secret is never echoed back
        return html(views.role_card(session, role, shown, errors, secret_saved=saved_secret, message="",
                                    tab="settings", generation=generation(request)), 422)
    dm_data.update_role(store, area, role_id, general["name"], general["defaultApplication"],
                        general["enabled"] == "1")
    dm_data.update_role_settings(store, area, role_id, role_forms.merge_settings(role["settings"], values))
    return redirect(f"/app/ADM/roles/{quote(role_id)}?saved=1&tab=settings")


# Order matters: "/roles/new" before "/roles/{role_id}".
ROUTES = [
    Route("/app/ADM/users", users_page),
    Route("/app/ADM/roles", roles_page),
    Route("/app/ADM/roles/new", new_role_form, methods=["GET"]),
    Route("/app/ADM/roles/new", new_role_submit, methods=["POST"]),
    Route("/app/ADM/roles/{role_id}", role_card, methods=["GET"]),
    Route("/app/ADM/roles/{role_id}", role_save, methods=["POST"]),
]
