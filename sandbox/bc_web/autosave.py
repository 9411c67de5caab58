"""The card's autosave and the list's Delete, as small JSON routes of the client frame (client.js posts them).

Each edit of page 9861 is one action, looked up by the posted `op` (and `field` for field edits) in `ACTIONS` /
`FIELD_ACTIONS`; the answer is the re-rendered card plus BC's error, confirmation question or message, which the
client shows in a dialog. Entering Client ID on a new card inserts the record; every other action needs one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox import bc_data
from sandbox.bc_web import rules, views
from sandbox.bc_web.variants import variant
from sandbox.bc_web.web import Body, User, Where, acting_admin, client_api, sandbox_of
from sandbox.store import Store


@dataclass(frozen=True)
class Edit:
    """One posted edit of the card (every value as text, as the client sends it)."""

    op: str
    field: str
    client_id: str
    value: str
    confirmed: bool
    company: str
    role: str
    old: str

    @classmethod
    def from_body(cls, body: Body) -> Edit:
        def text(key: str) -> str:
            return str(body.get(key, ""))

        return cls(op=text("op"), field=text("field"), client_id=str(body.get("client_id") or ""),
                   value=text("value"), confirmed=bool(body.get("confirmed")), company=text("company"),
                   role=text("role"), old=text("old"))


@dataclass(frozen=True)
class Saved:
    """The edit went through: the record's client id, and BC's message to show, if any."""

    client_id: str
    message: str = ""


Outcome = Saved | rules.Confirm
Action = Callable[[rules.Scope, Edit], Outcome]


def enter_client_id(scope: rules.Scope, edit: Edit) -> Outcome:
    """Client ID on a new card inserts the record; on an existing one it is a rename (refused by BC)."""
    if not edit.client_id:
        return Saved(rules.insert(scope, edit.value).client_id)
    return Saved(rules.rename(scope, edit.client_id, edit.value).client_id)


def choose_state(scope: rules.Scope, edit: Edit) -> Outcome:
    outcome = rules.set_state(scope, edit.client_id, edit.value, edit.confirmed)
    return outcome if isinstance(outcome, rules.Confirm) else Saved(edit.client_id)


def edit_field(scope: rules.Scope, edit: Edit) -> Outcome:
    """Description, Contact Information, App ID, App Name (rules refuse any other field)."""
    rules.set_field(scope, edit.client_id, edit.field, edit.value)
    return Saved(edit.client_id)


def create_user(scope: rules.Scope, edit: Edit) -> Outcome:
    """The warning link "You must initialize the user …": BCApps checks the record, asks "A user named … will be
    created. Do you want to continue?" (unless `bc_create_user_confirm` is off), then creates the user."""
    if scope.confirm_user_creation and not edit.confirmed:
        return rules.user_creation_question(scope, edit.client_id)
    rules.create_user(scope, edit.client_id)
    return Saved(edit.client_id, rules.USER_CREATED)


def disable(scope: rules.Scope, edit: Edit) -> Outcome:
    """The warning link "You must set the State field to Disabled …" (its drill-down asks first)."""
    if not edit.confirmed:
        return rules.Confirm("Do you want to disable this app?")
    rules.set_state(scope, edit.client_id, "Disabled")
    return Saved(edit.client_id)


def add_permission_set(scope: rules.Scope, edit: Edit) -> Outcome:
    """The part's new line, committed with a Permission Set (and an optional Company)."""
    rules.add_permission_set(scope, edit.client_id, edit.value, edit.company)
    return Saved(edit.client_id)


def change_permission_set_company(scope: rules.Scope, edit: Edit) -> Outcome:
    rules.set_permission_company(scope, edit.client_id, edit.role, edit.old, edit.value)
    return Saved(edit.client_id)


def unknown_action(scope: rules.Scope, edit: Edit) -> Outcome:
    raise rules.BcError(f"Unknown action '{edit.op}'.")


FIELD_ACTIONS: dict[str, Action] = {"client_id": enter_client_id, "state": choose_state}
ACTIONS: dict[str, Action] = {
    "create-user": create_user,
    "disable": disable,
    "add-permission-set": add_permission_set,
    "permission-set-company": change_permission_set_company,
}


def action_for(edit: Edit) -> Action:
    if edit.op == "field":
        return FIELD_ACTIONS.get(edit.field, edit_field)
    return ACTIONS.get(edit.op, unknown_action)


def apply(scope: rules.Scope, edit: Edit) -> Outcome:
    """Run one edit; BcError is BC's refusal. Only entering Client ID works before the record exists."""
    action = action_for(edit)
    if not edit.client_id and action is not enter_client_id:
        raise rules.BcError(rules.NO_CLIENT_ID)
    return action(scope, edit)


def _card_answer(store: Store, where: Where, client_id: str, **extra: Any) -> JSONResponse:
    """The card as it is now (re-rendered) with `extra` (error, confirm or message) for the client's dialog."""
    app = bc_data.entra_app(store, where.tenant_id, where.environment, client_id) if client_id else None
    sets = bc_data.permission_sets(store, where.tenant_id, where.environment, app.client_id) if app else []
    return JSONResponse({"html": views.entra_card_body(app, sets), "client_id": app.client_id if app else "",
                         **extra})


@client_api
async def save_card(request: Request, where: Where, user: User, body: Body) -> Response:
    sandbox = sandbox_of(request)
    edit = Edit.from_body(body)
    scope = rules.Scope(sandbox.store, where.tenant_id, where.environment, acting_admin(sandbox, user),
                        confirm_user_creation=variant(sandbox, "bc_create_user_confirm"))
    try:
        outcome = apply(scope, edit)
    except rules.BcError as exc:
        return _card_answer(sandbox.store, where, edit.client_id, error=str(exc))
    if isinstance(outcome, rules.Confirm):
        return _card_answer(sandbox.store, where, edit.client_id, confirm=outcome.question)
    message = {"message": outcome.message} if outcome.message else {}
    return _card_answer(sandbox.store, where, outcome.client_id, **message)


@client_api
async def delete_record(request: Request, where: Where, user: User, body: Body) -> Response:
    """The list's Delete (after the client's "Delete the Microsoft Entra Application?" Yes)."""
    scope = rules.Scope(sandbox_of(request).store, where.tenant_id, where.environment, True)
    try:
        rules.delete(scope, str(body.get("client_id", "")))
    except rules.BcError as exc:
        return JSONResponse({"error": str(exc)})
    return JSONResponse({"deleted": True})


ROUTES = [
    Route("/_client/{tenant}/{environment}/api/card", save_card, methods=["POST"]),
    Route("/_client/{tenant}/{environment}/api/delete", delete_record, methods=["POST"]),
]
