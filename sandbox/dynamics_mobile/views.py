"""The Portal twin's pages, rendered from `templates/` with the twin's own captions (`captions.py`).

Widgets follow WAI-ARIA patterns: menu button (Application Selector), navigation landmark (left menu), tabs
(role sections), disclosure buttons (settings sections), alert (errors) and status (confirmations).
"""

from __future__ import annotations

from typing import Any

from sandbox.dynamics_mobile.captions import ADMIN_APP, APPLICATIONS, CAPTIONS, OPTIONS, buttons
from sandbox.dynamics_mobile.role_forms import SETTINGS_FIELDS, FormErrors
from sandbox.templating import render

Session = dict[str, Any]


def _page(template: str, title: str, session: Session | None = None, app: str = "", current: str = "",
          **context: Any) -> str:
    """One page in the Portal shell: the Application Selector (and the ADM menu) only when signed in."""
    return render(__package__, template, c=CAPTIONS, title=title, session=session, app=app, current=current,
                  applications=list(APPLICATIONS.items()), **context)


def login(values: dict[str, str], errors: FormErrors | None = None, failure: str = "") -> str:
    return _page("login.html", CAPTIONS["login"], values=values, errors=errors or FormErrors(), failure=failure)


def app_home(session: Session, app: str) -> str:
    return _page("app_home.html", APPLICATIONS.get(app, app), session, app)


def users(session: Session, rows: list[dict[str, Any]]) -> str:
    return _page("users.html", CAPTIONS["users"], session, ADMIN_APP, "users", users=rows)


def roles(session: Session, rows: list[dict[str, Any]], message: str, generation: str) -> str:
    return _page("roles.html", CAPTIONS["roles"], session, ADMIN_APP, "roles", roles=rows, message=message,
                 buttons=buttons(generation))


def new_role(session: Session, values: dict[str, str], errors: FormErrors, generation: str) -> str:
    return _page("new_role.html", "New role", session, ADMIN_APP, "roles", values=values, errors=errors,
                 buttons=buttons(generation))


def role_card(session: Session, role: dict[str, Any], values: dict[str, str], errors: FormErrors, *,
              secret_saved: bool, message: str, tab: str, generation: str) -> str:
    settings_open = tab == "settings" or any(name in errors.by_field for name in SETTINGS_FIELDS)
    selected = "settings" if settings_open and "name" not in errors.by_field else "general"
    general = {"name": role["name"], "defaultApplication": role["default_application"],
               "enabled": "1" if role["enabled"] else "0"}
    return _page("role_card.html", f"Role {role['role_id']}", session, ADMIN_APP, "roles", role=role,
                 values={**general, **values}, errors=errors, no_errors=FormErrors(), secret_saved=secret_saved,
                 message=message, selected=selected, expanded=bool(errors), options=OPTIONS,
                 generation=generation, buttons=buttons(generation),
                 editing=generation == "modern" or bool(errors))


def not_found(session: Session | None, what: str) -> str:
    return _page("message.html", "Not found", session, ADMIN_APP if session else "", text=what)


def forbidden(session: Session, app: str) -> str:
    return _page("message.html", "Access denied", session, text=f"Your role cannot open {app}.")
