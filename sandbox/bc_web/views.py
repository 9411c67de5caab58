"""Server-rendered HTML of the web client twin: the shell (top document) and the client pages inside
`iframe.designer-client-frame` (FIDELITY.md §d).

Hooks as the real client exposes them: `.splash`, `tr[rowkey]`, "There is nothing to show", actions as
`menubar`/`menuitem`, fields as textbox/combobox named by caption, FastTabs as disclosure buttons, dialogs
`role=dialog` with named buttons. No test ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urlencode

from sandbox import bc_data
from sandbox.bc_data import EntraApp
from sandbox.bc_web import rules
from sandbox.bc_web.search import ENTRA_APPS_PAGE, ENTRA_CARD_PAGE, caption

PRODUCT = "Dynamics 365 Business Central"
SEARCH_TITLE = "Tell me what you want to do (Alt+Q)"
TELL_ME = "Tell me what you want to do"
GRANT_CONSENT_TOOLTIP = "Grant consent for this application to access data from Business Central."
EXTENSION_NAME = "Base Application"


def e(value: object) -> str:
    return escape(str(value), quote=True)


@dataclass(frozen=True)
class Where:
    """The tenant/environment/company a page belongs to, and how to link within it."""

    tenant_id: str
    environment: str
    company: str
    generation: str

    @property
    def client_base(self) -> str:
        return f"/_client/{self.tenant_id}/{self.environment}"

    def client_url(self, page: int | None = None, **extra: str) -> str:
        query = {"company": self.company, **({"page": str(page)} if page else {}), **extra}
        return f"{self.client_base}/?{urlencode(query)}"

    def shell_url(self, page: int | None = None, **extra: str) -> str:
        query = {"company": self.company, **({"page": str(page)} if page else {}), **extra}
        return f"/{self.tenant_id}/{self.environment}/?{urlencode(query)}"


MAGNIFIER = ('<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><circle cx="6.5" '
             'cy="6.5" r="5" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M10.2 10.2 15 15" '
             'stroke="currentColor" stroke-width="1.6"/></svg>')


def shell(where: Where, frame_src: str, user_name: str) -> str:
    initials = "".join(part[:1] for part in user_name.split()[:2]).upper() or "?"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{e(where.company)} - {PRODUCT}</title>
<link rel="stylesheet" href="/_static/bc.css"><script src="/_static/shell.js" defer></script></head>
<body class="bc-shell" data-tenant="{e(where.tenant_id)}" data-environment="{e(where.environment)}">
<header class="navbar"><span class="product">{PRODUCT}</span>
<span class="environment" title="Environment">{e(where.environment)}</span>
<div class="navbar-right">
<button type="button" class="navbar-button search-button" aria-label="Search"
 title="{SEARCH_TITLE}">{MAGNIFIER}</button>
<button type="button" class="navbar-button" aria-label="Settings" title="Settings">&#9881;</button>
<span class="user-initials" title="{e(user_name)}" aria-label="My account: {e(user_name)}">{e(initials)}</span>
</div></header>
<iframe class="designer-client-frame" title="{PRODUCT}" src="{e(frame_src)}"></iframe>
</body></html>"""


def error_page(title: str, message: str, status_hint: str = "") -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)} - {PRODUCT}</title>
<link rel="stylesheet" href="/_static/bc.css"></head>
<body class="bc-error"><main><h1>{e(title)}</h1><p role="alert">{e(message)}</p>
<p class="small">{e(status_hint)}</p></main></body></html>"""


def client_page(where: Where, page_id: int, body: str, splash_ms: int) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{PRODUCT}</title>
<link rel="stylesheet" href="/_static/bc.css"><script src="/_static/client.js" defer></script></head>
<body class="bc-client" data-base="{e(where.client_base)}" data-company="{e(where.company)}"
 data-page="{page_id}" data-splash-ms="{int(splash_ms)}">
<div class="splash" role="progressbar" aria-label="Loading {PRODUCT}"><div class="splash-logo">{PRODUCT}</div>
<div class="splash-bar"></div></div>
<div id="content" hidden>{body}</div>
<div id="tellme" class="tellme" role="dialog" aria-modal="true" aria-label="{TELL_ME}" hidden>
<input type="text" id="tellme-input" aria-label="{TELL_ME}" placeholder="{TELL_ME}" autocomplete="off"
 aria-controls="tellme-results" aria-autocomplete="list">
<div id="tellme-results" role="listbox" aria-label="Search results"></div>
<button type="button" class="tellme-close" aria-label="Close">&#x2715;</button></div>
<div id="dialog-root"></div>
</body></html>"""


# --- role center ------------------------------------------------------------------------------------


def role_center(where: Where, user_name: str) -> str:
    cues = (("Ongoing Sales", "Sales Quotes", 2), ("Ongoing Sales", "Sales Orders", 4),
            ("Approvals", "Requests to Approve", 0), ("User Tasks", "Pending User Tasks", 0))
    tiles = "".join(f'<div class="cue"><span class="cue-group">{e(g)}</span><span class="cue-name">{e(n)}</span>'
                    f'<span class="cue-value">{v}</span></div>' for g, n, v in cues)
    return (f'<div class="page role-center"><h1>{e(where.company)}</h1>'
            f'<p class="headline">Hello, {e(user_name)}!</p>'
            f'<section aria-label="Activities"><h2>Activities</h2><div class="cues">{tiles}</div></section></div>')


def generic_list(where: Where, title: str) -> str:
    return (f'<div class="page list-page"><h1>{e(title)}</h1>'
            f'<div role="menubar" aria-label="Actions" class="action-bar">'
            f'<button type="button" role="menuitem">New</button></div>'
            f'<table role="grid" aria-label="{e(title)}"><tbody><tr><td class="empty">There is nothing to show.'
            f'</td></tr></tbody></table></div>')


# --- page 9860 --------------------------------------------------------------------------------------


def entra_list(where: Where, apps: list[EntraApp]) -> str:
    title = caption(ENTRA_APPS_PAGE, where.generation)
    rows = "".join(
        f'<tr rowkey="{e(a.client_id)}" aria-selected="false">'
        f'<td><a href="{e(where.client_url(ENTRA_CARD_PAGE, bookmark=a.client_id))}">{e(a.client_id)}</a></td>'
        f'<td>{e(a.description)}</td><td>{e(a.state)}</td></tr>' for a in apps)
    if not rows:
        rows = '<tr><td colspan="3" class="empty">There is nothing to show.</td></tr>'
    return (f'<div class="page list-page" data-delete-confirm="{e(rules.DELETE_CONFIRM)}"><h1>{e(title)}</h1>'
            '<div role="menubar" aria-label="Actions" class="action-bar">'
            f'<a role="menuitem" href="{e(where.client_url(ENTRA_CARD_PAGE, mode="new"))}">New</a>'
            '<button type="button" role="menuitem" data-action="delete">Delete</button></div>'
            f'<table role="grid" aria-label="{e(title)}" class="grid">'
            '<thead><tr><th scope="col">Client ID</th><th scope="col">Description</th><th scope="col">State</th>'
            f'</tr></thead><tbody>{rows}</tbody></table></div>')


# --- page 9861 --------------------------------------------------------------------------------------


def _field(key: str, label: str, value: str, *, readonly: bool = False, required: bool = False,
           maxlength: int | None = None) -> str:
    attrs = (' readonly aria-readonly="true"' if readonly else "") + (' aria-required="true"' if required else "")
    attrs += f' maxlength="{maxlength}"' if maxlength else ""
    mark = '<span class="mandatory" aria-hidden="true">*</span>' if required else ""
    return (f'<div class="field"><label for="f-{key}">{e(label)}{mark}</label>'
            f'<input type="text" id="f-{key}" name="{key}" value="{e(value)}" data-field="{key}"{attrs}></div>')


def _fasttab(key: str, title: str, inner: str) -> str:
    return (f'<section class="fasttab"><h2><button type="button" class="fasttab-toggle" aria-expanded="true" '
            f'aria-controls="tab-{key}">{e(title)}</button></h2><div id="tab-{key}" class="fasttab-body">{inner}'
            f'</div></section>')


def _state_combobox(state: str) -> str:
    options = "".join(f'<option value="{s}"{" selected" if s == state else ""}>{s}</option>' for s in rules.STATES)
    return (f'<div class="field"><label for="f-state">State</label>'
            f'<select id="f-state" name="state" data-field="state">{options}</select></div>')


def _warning(app: EntraApp | None) -> str:
    if app is None:
        return ""
    if app.enabled:
        return (f'<p class="warning"><a href="#" role="link" data-action="disable">{e(rules.MUST_DISABLE)}</a></p>')
    if not app.user_id:
        return (f'<p class="warning"><a href="#" role="link" data-action="create-user">'
                f'{e(rules.INIT_USER_WARNING)}</a></p>')
    return ""


def _permission_sets(where: Where, sets: list[dict[str, Any]]) -> str:
    head = "".join(f'<th scope="col">{c}</th>' for c in ("Permission Set", "Description", "Company",
                                                            "Extension Name", "Permission Scope"))
    rows = "".join(
        f'<tr rowkey="{e(s["role_id"])}|{e(s["company"])}" data-role="{e(s["role_id"])}" '
        f'data-company="{e(s["company"])}"><td>{e(s["role_id"])}</td>'
        f'<td>{e(bc_data.PERMISSION_SETS.get(s["role_id"], ""))}</td>'
        f'<td><input type="text" aria-label="Company" value="{e(s["company"])}" data-ps="company"></td>'
        f'<td>{EXTENSION_NAME}</td><td>System</td></tr>' for s in sets)
    options = "".join(f'<li role="option" id="ps-opt-{i}" data-value="{e(role)}" aria-selected="false">'
                      f'<span class="opt-key">{e(role)}</span> <span class="opt-desc">{e(desc)}</span></li>'
                      for i, (role, desc) in enumerate(bc_data.PERMISSION_SETS.items()))
    new_line = ('<tr class="new-line"><td><input type="text" role="combobox" aria-label="Permission Set" '
                'aria-autocomplete="list" aria-expanded="false" aria-controls="ps-lookup" data-ps="role">'
                f'<ul id="ps-lookup" role="listbox" aria-label="Permission Set" hidden>{options}</ul></td>'
                '<td></td><td><input type="text" aria-label="Company" data-ps="new-company"></td><td></td><td></td>'
                '</tr>')
    return (f'<section class="part" aria-label="User Permission Sets"><h2>User Permission Sets</h2>'
            f'<table role="grid" aria-label="User Permission Sets" class="grid"><thead><tr>{head}</tr></thead>'
            f'<tbody>{rows}{new_line}</tbody></table></section>')


def entra_card_body(where: Where, app: EntraApp | None, sets: list[dict[str, Any]]) -> str:
    """The card's content (swapped in place after every save, like BC's autosave refresh)."""
    a = app
    general = (_field("client_id", "Client ID", a.client_id if a else "")
               + _field("description", "Description", a.description if a else "", required=True,
                        maxlength=rules.DESCRIPTION_MAX)
               + _state_combobox(a.state if a else "Disabled")
               + _field("contact_information", "Contact Information", a.contact_information if a else "")
               + _warning(a))
    extension = (_field("app_id", "App ID", a.app_id if a else "") + _field("app_name", "App Name",
                                                                              a.app_name if a else ""))
    user = (_field("user_id", "User ID", a.user_id if a else "", readonly=True)
            + _field("user_name", "User Name", a.user_name if a else "", readonly=True)
            + _field("user_telemetry_id", "User Telemetry ID", a.user_id if a else "", readonly=True))
    subtitle = f"{a.client_id} · {a.description}" if a else "New"
    return (f'<div id="card" data-client-id="{e(a.client_id if a else "")}">'
            f'<p class="card-subtitle">{e(subtitle)}</p>'
            + _fasttab("general", "General", general) + _fasttab("extension", "Extension", extension)
            + _fasttab("user", "User information", user)
            + (_permission_sets(where, sets) if a else "") + "</div>")


def entra_card(where: Where, app: EntraApp | None, sets: list[dict[str, Any]]) -> str:
    title = caption(ENTRA_CARD_PAGE, where.generation)
    back = where.client_url(ENTRA_APPS_PAGE)
    return (f'<div class="page card-page"><div class="card-header">'
            f'<a class="back" href="{e(back)}" role="button" aria-label="Back">&#8592;</a><h1>{e(title)}</h1>'
            '<span class="save-state" role="status" aria-live="polite">Saved</span></div>'
            '<div role="menubar" aria-label="Actions" class="action-bar">'
            '<button type="button" role="menuitem" aria-haspopup="menu" aria-expanded="false" '
            'aria-controls="menu-process">Process</button>'
            '<div id="menu-process" role="menu" aria-label="Process" class="menu" hidden>'
            f'<button type="button" role="menuitem" data-action="grant-consent" title="{e(GRANT_CONSENT_TOOLTIP)}">'
            'Grant Consent</button></div></div>'
            + entra_card_body(where, app, sets) + "</div>")


def landing_page(ok: bool, message: str) -> str:
    """`/OAuthLanding.htm`: tells the opener (through the server) and closes itself."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{PRODUCT}</title>
<link rel="stylesheet" href="/_static/bc.css"></head>
<body class="bc-landing"><main><p role="status">{e(message)}</p></main>
<script>setTimeout(function () {{ window.close(); }}, {200 if ok else 400});</script></body></html>"""
