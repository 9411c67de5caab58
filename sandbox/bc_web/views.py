"""What the web client twin shows, rendered from `templates/` (Jinja2, autoescaped): the shell (top document) and
the client pages inside `iframe.designer-client-frame` (FIDELITY.md §d).

Hooks as the real client exposes them: `.splash`, `tr[rowkey]`, "There is nothing to show", actions as
`menubar`/`menuitem`, fields as textbox/combobox named by caption, FastTabs as disclosure buttons, dialogs
`role=dialog` with named buttons (client.js). No test ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox import bc_data
from sandbox.bc_data import EntraApp
from sandbox.bc_web import rules
from sandbox.bc_web.search import ENTRA_APPS_PAGE, ENTRA_CARD_PAGE, ROLE_CENTER_PAGE, caption
from sandbox.templating import render

if TYPE_CHECKING:
    from sandbox.bc_web.web import Where

PRODUCT = "Dynamics 365 Business Central"
# The role center's cues: (group, name, value), a CRONUS-like start page.
CUES = (("Ongoing Sales", "Sales Quotes", 2), ("Ongoing Sales", "Sales Orders", 4),
        ("Approvals", "Requests to Approve", 0), ("User Tasks", "Pending User Tasks", 0))
CARD_FIELDS = ("client_id", "description", "state", "contact_information", "app_id", "app_name", "user_id",
               "user_name")


def _render(template: str, **context: Any) -> str:
    return render(__package__, template, product=PRODUCT, **context)


def shell(where: Where, frame_src: str, user_name: str) -> str:
    initials = "".join(part[:1] for part in user_name.split()[:2]).upper() or "?"
    return _render("shell.html", where=where, frame_src=frame_src, user_name=user_name, initials=initials)


def error_page(title: str, message: str) -> str:
    return _render("error.html", title=title, message=message)


def landing_page(ok: bool, message: str) -> str:
    """`/OAuthLanding.htm`: shows the outcome and closes itself (the opener learns it through the server)."""
    return _render("landing.html", message=message, close_after_ms=200 if ok else 400)


# --- pages inside the client frame -------------------------------------------------------------------


def _client_page(template: str, where: Where, page_id: int, splash_ms: int, **context: Any) -> str:
    return _render(template, where=where, page_id=page_id, splash_ms=int(splash_ms), **context)


def role_center(where: Where, splash_ms: int, user_name: str, page_id: int = ROLE_CENTER_PAGE) -> str:
    return _client_page("role_center.html", where, page_id, splash_ms, user_name=user_name, cues=CUES)


def list_page(where: Where, splash_ms: int, page_id: int, title: str) -> str:
    """A searchable page the twin does not model: its caption and an empty list."""
    return _client_page("list_page.html", where, page_id, splash_ms, title=title)


def entra_list(where: Where, splash_ms: int, apps: list[EntraApp]) -> str:
    """Page 9860."""
    return _client_page("entra_list.html", where, ENTRA_APPS_PAGE, splash_ms, apps=apps,
                        title=caption(ENTRA_APPS_PAGE, where.generation), card_page=ENTRA_CARD_PAGE,
                        delete_confirm=rules.DELETE_CONFIRM)


def entra_card(where: Where, splash_ms: int, app: EntraApp | None, sets: list[dict[str, Any]]) -> str:
    """Page 9861, for a record (`app`) or a new one (None)."""
    return _client_page("entra_card.html", where, ENTRA_CARD_PAGE, splash_ms, list_page=ENTRA_APPS_PAGE,
                        title=caption(ENTRA_CARD_PAGE, where.generation),
                        title_of_list=caption(ENTRA_APPS_PAGE, where.generation), role_center_page=ROLE_CENTER_PAGE,
                        **_card(app, sets))


def entra_card_body(app: EntraApp | None, sets: list[dict[str, Any]]) -> str:
    """The card's content alone (swapped in place after every save, like BC's autosave refresh)."""
    return _render("entra_card_body.html", **_card(app, sets))


def _card(app: EntraApp | None, sets: list[dict[str, Any]]) -> dict[str, Any]:
    values = {name: str(getattr(app, name)) if app else "" for name in CARD_FIELDS}
    if app is None:
        values["state"] = "Disabled"  # a new record starts Disabled (table 9012)
    return {"app": app, "values": values, "subtitle": f"{app.client_id} · {app.description}" if app else "New",
            "states": rules.STATES, "description_max": rules.DESCRIPTION_MAX, "must_disable": rules.MUST_DISABLE,
            "init_user_warning": rules.INIT_USER_WARNING, "sets": sets if app else [],
            "set_descriptions": bc_data.PERMISSION_SETS}
