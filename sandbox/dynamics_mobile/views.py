"""Server-rendered pages of the Portal twin (f-strings; every caption comes from `labels`).

Widgets follow WAI-ARIA patterns: menu button (Application Selector), navigation landmark (left menu), tabs
(role sections), disclosure buttons (settings sections), alert (errors) and status (confirmations).
"""

from __future__ import annotations

from html import escape
from typing import Any

from pages.dynamics_mobile.labels import APPLICATIONS, BUTTONS, OPTIONS, label
from sandbox.dynamics_mobile.role_forms import SETTINGS_FIELDS, FormErrors

CURRENT = ' aria-current="page"'


def e(value: object) -> str:
    return escape(str(value), quote=True)


def page(title: str, main: str, *, session: dict[str, Any] | None = None, app: str = "",
         current: str = "") -> str:
    top = ""
    side = ""
    if session:
        top = (f'<span class="who">{e(session["email"])} · {e(session["area"])}</span>'
               f'<form method="post" action="/logout"><button type="submit" class="link">{e(label("logout"))}'
               f'</button></form>')
        side = _app_selector(app) + (_adm_menu(current) if app == "ADM" else "")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} – {e(label("portal"))}</title>
<link rel="stylesheet" href="/static/portal.css"><script src="/static/portal.js" defer></script></head>
<body><header class="topbar"><span class="brand">{e(label("portal"))}</span>{top}</header>
<div class="shell"><aside class="side">{side}</aside><main id="main">{main}</main></div></body></html>"""


def _app_selector(current_app: str) -> str:
    items = "".join(
        f'<li role="none"><a role="menuitem" href="/app/{e(app_id)}"'
        f'{CURRENT if app_id == current_app else ""}>{e(app_id)}</a>'
        f'<span class="app-title" aria-hidden="true">{e(title)}</span></li>'
        for app_id, title in APPLICATIONS)
    return (f'<div class="apps"><button type="button" id="apps-button" class="apps-button" aria-haspopup="menu" '
            f'aria-expanded="false" aria-controls="apps-menu">{e(label("apps"))}</button>'
            f'<ul id="apps-menu" role="menu" aria-label="{e(label("app_selector"))}" hidden>{items}</ul>'
            f'<p class="current-app">{e(current_app)}</p></div>')


def _adm_menu(current: str) -> str:
    links = "".join(f'<li><a href="/app/ADM/{key}"{CURRENT if key == current else ""}>'
                    f'{e(label(key))}</a></li>' for key in ("users", "roles"))
    return f'<nav aria-label="{e(label("menu"))}"><ul class="menu">{links}</ul></nav>'


def alert(errors: list[str], heading: str = "") -> str:
    if not errors:
        return ""
    items = "".join(f"<li>{e(text)}</li>" for text in errors)
    head = f"<p>{e(heading)}</p>" if heading else ""
    return f'<div role="alert" class="alert">{head}<ul>{items}</ul></div>'


def status(message: str) -> str:
    return f'<div role="status" class="status">{e(message)}</div>' if message else ""


def login(values: dict[str, str], errors: FormErrors | None = None, failure: str = "") -> str:
    errors = errors or FormErrors()
    fields = "".join(
        _text_field(name, label(key), values.get(name, ""), errors, input_type=kind, autocomplete=auto)
        for name, key, kind, auto in (("area", "area", "text", "organization"), ("email", "email", "email", "username"),
                                      ("password", "password", "password", "current-password")))
    summary = alert([failure]) if failure else alert(errors.summary())
    main = f"""<section class="card login"><h1>{e(label("portal"))}</h1>{summary}
<form method="post" action="/login" novalidate>{fields}
<div class="actions"><button type="submit" class="primary">{e(label("login"))}</button></div></form></section>"""
    return page(label("login"), main)


def _attrs(name: str, errors: FormErrors) -> str:
    if name not in errors.by_field:
        return ""
    return f' aria-invalid="true" aria-describedby="{e(name)}-error"'


def _field_error(name: str, errors: FormErrors) -> str:
    problem = errors.by_field.get(name)
    return f'<p id="{e(name)}-error" class="field-error">{e(problem)}</p>' if problem else ""


def _text_field(name: str, caption: str, value: str, errors: FormErrors, *, input_type: str = "text",
                autocomplete: str = "off", extra: str = "") -> str:
    value_attr = "" if input_type == "password" else f' value="{e(value)}"'
    return (f'<div class="field"><label for="{e(name)}">{e(caption)}</label>'
            f'<input id="{e(name)}" name="{e(name)}" type="{input_type}" autocomplete="{autocomplete}"'
            f'{value_attr}{_attrs(name, errors)}{extra}>{_field_error(name, errors)}</div>')


def _select(name: str, list_key: str, value: str, errors: FormErrors) -> str:
    options = "".join(f'<option value="{e(code)}"{" selected" if code == value else ""}>{e(caption)}</option>'
                      for code, caption in OPTIONS[list_key])
    return (f'<div class="field"><label for="{e(name)}">{e(label(list_key))}</label>'
            f'<select id="{e(name)}" name="{e(name)}"{_attrs(name, errors)}>{options}</select>'
            f'{_field_error(name, errors)}</div>')


def _default_app_select(value: str) -> str:
    # Only custom (mobile) applications can be a role's default (DM-ROLES); ADM is the seed's own.
    apps = [("", "(none)")] + [(a, a) for a, _ in APPLICATIONS]
    options = "".join(f'<option value="{e(code)}"{" selected" if code == value else ""}>{e(text)}</option>'
                      for code, text in apps)
    return (f'<div class="field"><label for="defaultApplication">{e(label("default_app"))}</label>'
            f'<select id="defaultApplication" name="defaultApplication">{options}</select></div>')


def _enabled(checked: bool) -> str:
    return (f'<div class="field check"><input id="enabled" name="enabled" type="checkbox" value="1"'
            f'{" checked" if checked else ""}><label for="enabled">{e(label("enabled"))}</label></div>')


def app_home(session: dict[str, Any], app: str) -> str:
    title = dict(APPLICATIONS).get(app, app)
    body = f"<h1>{e(title)}</h1>" if app == "ADM" else f'<h1 class="visually-hidden">{e(title)}</h1>'
    return page(title, body, session=session, app=app)


def users(session: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    body = "".join(f"<tr><td>{e(r['email'])}</td><td>{e(r['role_id'])}</td></tr>" for r in rows)
    main = (f'<h1>{e(label("users"))}</h1><table aria-label="{e(label("users"))}"><thead><tr><th scope="col">'
            f'{e(label("email"))}</th><th scope="col">Role</th></tr></thead><tbody>{body}</tbody></table>')
    return page(label("users"), main, session=session, app="ADM", current="users")


def roles(session: dict[str, Any], rows: list[dict[str, Any]], message: str, generation: str) -> str:
    new_text = "+" if generation == "modern" else label("new")
    body = "".join(
        f'<tr><td><a href="/app/ADM/roles/{e(r["role_id"])}">{e(r["role_id"])}</a></td><td>{e(r["name"])}</td>'
        f'<td>{e(r["default_application"])}</td><td>{"Yes" if r["enabled"] else "No"}</td></tr>' for r in rows)
    main = f"""<div class="toolbar"><a role="button" class="primary" href="/app/ADM/roles/new"
aria-label="{e(label("new"))}">{e(new_text)}</a></div><h1>{e(label("roles"))}</h1>{status(message)}
<table aria-label="{e(label("roles"))}"><thead><tr><th scope="col">{e(label("role_id"))}</th>
<th scope="col">{e(label("name"))}</th><th scope="col">{e(label("default_app"))}</th>
<th scope="col">{e(label("enabled"))}</th></tr></thead><tbody>{body}</tbody></table>"""
    return page(label("roles"), main, session=session, app="ADM", current="roles")


def new_role(session: dict[str, Any], values: dict[str, str], errors: FormErrors, generation: str) -> str:
    create = BUTTONS[generation]["create"]
    main = f"""<form method="post" action="/app/ADM/roles/new" novalidate>
<div class="toolbar"><button type="submit" class="primary">{e(create)}</button></div>
<h1>{e(label("new"))} role</h1>{alert(errors.summary(), label("errors_heading"))}
{_text_field("roleId", label("role_id"), values.get("roleId", ""), errors, extra=' maxlength="20"')}
{_text_field("name", label("name"), values.get("name", ""), errors, extra=' maxlength="50"')}
{_default_app_select(values.get("defaultApplication", ""))}{_enabled(values.get("enabled", "1") == "1")}
</form>"""
    return page("New role", main, session=session, app="ADM", current="roles")


def role_card(session: dict[str, Any], role: dict[str, Any], values: dict[str, str], errors: FormErrors, *,
              secret_saved: bool, message: str, tab: str, generation: str) -> str:
    buttons = BUTTONS[generation]
    editing = generation == "modern" or bool(errors)
    if generation == "modern":
        toolbar = f'<button type="submit" class="primary">{e(buttons["update"])}</button>'
    else:
        toolbar = (f'<button type="button" id="edit-button"{" hidden" if editing else ""}>{e(buttons["edit"])}'
                   f'</button><button type="submit" class="primary" id="save-button"{"" if editing else " hidden"}>'
                   f'{e(buttons["update"])}</button>')
    settings_open = tab == "settings" or any(name in errors.by_field for name in SETTINGS_FIELDS)
    general_errors = bool({"name"} & set(errors.by_field))
    selected = "settings" if settings_open and not general_errors else "general"
    general = f"""{_text_field("roleId", label("role_id"), role["role_id"], FormErrors(),
                               extra=' readonly aria-readonly="true"')}
{_text_field("name", label("name"), values.get("name", role["name"]), errors, extra=' maxlength="50"')}
{_default_app_select(values.get("defaultApplication", role["default_application"]))}
{_enabled(values.get("enabled", "1" if role["enabled"] else "0") == "1")}"""
    expanded = bool(errors)
    main = f"""<form method="post" action="/app/ADM/roles/{e(role["role_id"])}" novalidate>
<div class="toolbar">{toolbar}</div>
<h1>Role {e(role["role_id"])}</h1>{alert(errors.summary(), label("errors_heading"))}{status(message)}
<fieldset class="editable"><legend class="visually-hidden">Role</legend>
<div role="tablist" aria-label="{e(label("role_tabs"))}">
{_tab("general", label("general"), selected)}{_tab("settings", label("settings"), selected)}</div>
<div role="tabpanel" id="panel-general" aria-labelledby="tab-general"{"" if selected == "general" else " hidden"}>
{general}</div>
<div role="tabpanel" id="panel-settings" aria-labelledby="tab-settings"{"" if selected == "settings" else " hidden"}>
{_section("agent", label("agent"), _agent_section(values, errors, secret_saved, expanded), expanded, 2)}
{_section("sync", label("sync"), "<p>No synchronisation settings for this role.</p>", False, 2)}
{_section("livelink", label("live_link"), "<p>No Live Link settings for this role.</p>", False, 2)}
</div></fieldset></form>"""
    if not editing:  # classic UI: read-only until Edit (tabs and sections stay usable)
        main = main.replace("<input ", "<input disabled ").replace("<select ", "<select disabled ")
    return page(f"Role {role['role_id']}", main, session=session, app="ADM", current="roles")


def _tab(key: str, caption: str, selected: str) -> str:
    on = key == selected
    return (f'<button type="button" role="tab" id="tab-{key}" aria-controls="panel-{key}" '
            f'aria-selected="{"true" if on else "false"}" tabindex="{"0" if on else "-1"}">{e(caption)}</button>')


def _section(key: str, caption: str, content: str, expanded: bool, level: int) -> str:
    return (f'<h{level + 1} class="section-heading"><button type="button" class="disclosure" id="section-{key}" '
            f'aria-expanded="{"true" if expanded else "false"}" aria-controls="region-{key}">'
            f'<span class="chevron" aria-hidden="true"></span>{e(caption)}</button>'
            f'</h{level + 1}><div role="region" id="region-{key}" aria-labelledby="section-{key}"'
            f'{"" if expanded else " hidden"}>{content}</div>')


def _agent_section(values: dict[str, str], errors: FormErrors, secret_saved: bool, expanded: bool) -> str:
    placeholder = label("secret_saved") if secret_saved else ""
    bc_hidden = "" if values.get("connectionType") == "d365bc" else " hidden"
    backend = f"""{_select("connectionType", "connection_type", values["connectionType"], errors)}
<div id="bc-fields"{bc_hidden}>
{_select("bcDeploymentType", "bc_deployment_type", values["bcDeploymentType"], errors)}
{_text_field("tenantId", label("tenant_id"), values["tenantId"], errors)}
{_text_field("environmentId", label("environment_id"), values["environmentId"], errors)}
{_text_field("clientId", label("client_id"), values["clientId"], errors)}
{_text_field("clientSecret", label("client_secret"), "", errors, input_type="password",
             autocomplete="new-password", extra=f' placeholder="{e(placeholder)}"' if placeholder else "")}
{_text_field("company", label("company"), values["company"], errors)}
</div>"""
    return (_select("agentDeploymentType", "agent_deployment_type", values["agentDeploymentType"], errors)
            + _section("backend", label("backend_connection"), backend, expanded, 3))


def not_found(session: dict[str, Any] | None, what: str) -> str:
    return page("Not found", f"<h1>Not found</h1><p>{e(what)}</p>", session=session, app="ADM" if session else "")


def forbidden(session: dict[str, Any], app: str) -> str:
    return page("Access denied", f"<h1>Access denied</h1><p>Your role cannot open {e(app)}.</p>", session=session)
