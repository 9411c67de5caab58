"""Blade content of the portal twin (server-rendered HTML): Home, Entra ID, App registrations, Register an
application, and the app's menu blade sections (Overview, Authentication, Certificates & secrets, API permissions).

The title, breadcrumbs and resource menu go to the shell (top document); the content goes either into the top
document or into the active react frame, depending on the `portal_layout` option.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sandbox import catalog, directory
from sandbox.azure_portal import routes
from sandbox.azure_portal.widgets import TRASH_ICON, alert, combobox, command, command_bar, copy_button, dialog, e, tabs
from sandbox.directory import App, Tenant

HOME_CRUMB = ("Home", "#home")
LIST_CRUMB = ("App registrations", routes.LIST_HASH)
AUDIENCES = ("AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount")
PLATFORMS = ("Web", "Single-page application (SPA)", "Public client/native (mobile & desktop)")
EXPIRY_OPTIONS = (("180", "Recommended: 180 days (6 months)"), ("90", "90 days (3 months)"),
                  ("365", "365 days (12 months)"), ("545", "545 days (18 months)"), ("730", "730 days (24 months)"),
                  ("custom", "Custom"))
MASK_STARS = "*" * 29
# Other Microsoft APIs on the "Microsoft APIs" tab (cards only; the twin knows permissions of BC and Graph).
OTHER_APIS = ("Azure Service Management", "Azure Storage", "Dynamics CRM", "Intune", "Power BI Service",
              "SharePoint")


@dataclass
class Blade:
    title: str
    html: str
    crumbs: list[tuple[str, str]] = field(default_factory=list)
    menu: list[tuple[str, str, bool]] = field(default_factory=list)  # (caption, hash, current)
    menu_label: str = ""


@dataclass
class View:
    """Who is looking, and the run-time options that shape what they see."""

    user: dict[str, Any]
    tenant: Tenant
    is_admin: bool
    account_types_ui: str = "dropdown"


def audience_labels(view: View) -> dict[str, str]:
    name = view.tenant.display_name
    if view.account_types_ui == "radios":
        return {
            "AzureADMyOrg": f"Accounts in this organizational directory only ({name} only - Single tenant)",
            "AzureADMultipleOrgs": "Accounts in any organizational directory (Any Microsoft Entra ID tenant - "
                                   "Multitenant)",
            "AzureADandPersonalMicrosoftAccount": "Accounts in any organizational directory (Any Microsoft Entra ID "
                                                  "tenant - Multitenant) and personal Microsoft accounts (e.g. "
                                                  "Skype, Xbox)",
            "PersonalMicrosoftAccount": "Personal Microsoft accounts only",
        }
    return {"AzureADMyOrg": f"Single tenant only - {name}", "AzureADMultipleOrgs": "Multiple Entra ID tenants",
            "AzureADandPersonalMicrosoftAccount": "Any Entra ID Tenant + Personal Microsoft accounts",
            "PersonalMicrosoftAccount": "Personal accounts only"}


def short_date(ts: float) -> str:
    d = datetime.fromtimestamp(ts, UTC)
    return f"{d.month}/{d.day}/{d.year}"


# --- Home and Entra ID -----------------------------------------------------------------------------


def home(view: View) -> Blade:
    tiles = "".join(f'<li><a class="fxs-home-tile" href="{h}">{e(t)}</a></li>' for t, h in (
        ("Microsoft Entra ID", routes.ENTRA_HASH), ("App registrations", routes.LIST_HASH)))
    html = (f'<section aria-labelledby="svc"><h3 id="svc">Azure services</h3><ul class="fxs-home-tiles">{tiles}</ul>'
            f'</section><p>Signed in to {e(view.tenant.display_name)} as {e(view.user["upn"])}.</p>')
    return Blade("Home", html, [])


def entra(view: View) -> Blade:
    html = (f'<div class="fxc-essentials"><div class="fxc-essentials-item"><div class="fxc-essentials-label" '
            f'id="ess-t">Tenant ID</div><div class="fxc-essentials-value" aria-labelledby="ess-t">'
            f'<span>{e(view.tenant.id)}</span>{copy_button(view.tenant.id)}</div></div>'
            f'<div class="fxc-essentials-item"><div class="fxc-essentials-label" id="ess-d">Primary domain</div>'
            f'<div class="fxc-essentials-value" aria-labelledby="ess-d">{e(view.tenant.initial_domain)}</div></div>'
            f'</div>')
    menu = [("Overview", routes.ENTRA_HASH, True), ("App registrations", routes.LIST_HASH, False)]
    return Blade(view.tenant.display_name + " | Overview", html, [HOME_CRUMB], menu, "Microsoft Entra ID")


# --- App registrations list ------------------------------------------------------------------------


def app_list(store: Any, view: View) -> Blade:
    now = store.now()
    rows = []
    for app in directory.apps(store, view.tenant.id):
        if app.visible_at > now:
            continue  # replication lag: new registrations show up late, as in a real tenant
        secrets = directory.app_secrets(store, app.object_id)
        state = "Current" if any(s["end_at"] > now for s in secrets) else ("Expired" if secrets else "-")
        rows.append(f'<tr class="fxc-gc-row"><td><a href="{routes.app_hash(app.app_id)}">{e(app.display_name)}</a>'
                    f'</td><td>{e(app.app_id)}</td><td>{short_date(app.created_at)}</td><td>{state}</td></tr>')
    body = "".join(rows) or '<tr><td colspan="4">No applications found.</td></tr>'
    table = (f'<input type="search" class="fxc-filter" aria-label="Search by display name or application (client) '
             f'ID" placeholder="Start typing a display name or application (client) ID to filter these r..." '
             f'data-filter="apps-grid">'
             f'<table role="grid" id="apps-grid" aria-label="Applications" class="fxc-gc-table"><thead><tr>'
             f'<th scope="col">Display name</th><th scope="col">Application (client) ID</th>'
             f'<th scope="col">Created on</th><th scope="col">Certificates &amp; secrets</th></tr></thead>'
             f'<tbody>{body}</tbody></table>')
    bar = command_bar(command("New registration", icon="+", attrs=f'data-navigate="{routes.CREATE_HASH}"')
                      + command("Endpoints") + command("Troubleshooting")
                      + command("Refresh", attrs=f'data-navigate="{routes.LIST_HASH}"'))
    html = bar + tabs("apps", "Application list", [("All applications", table), ("Owned applications", table),
                                                    ("Deleted applications", "<p>No deleted applications.</p>")])
    return Blade("App registrations", html, [HOME_CRUMB])


# --- Register an application -----------------------------------------------------------------------


def create_form(view: View, values: dict[str, str] | None = None, errors: dict[str, str] | None = None) -> Blade:
    values = values or {}
    errors = errors or {}
    labels = audience_labels(view)
    audience = values.get("signInAudience", "AzureADMyOrg")
    if view.account_types_ui == "radios":
        radios = "".join(
            f'<div class="fxc-radio"><input type="radio" id="aud-{i}" name="signInAudience" value="{a}"'
            f'{" checked" if a == audience else ""}><label for="aud-{i}">{e(labels[a])}</label></div>'
            for i, a in enumerate(AUDIENCES))
        accounts = (f'<div role="radiogroup" aria-labelledby="aud-label" class="fxc-radiogroup">'
                    f'<span id="aud-label" class="fxc-label">Supported account types</span>{radios}</div>')
    else:
        accounts = combobox("aud", "Supported account types", "signInAudience",
                            [(a, labels[a]) for a in AUDIENCES], selected=audience)
    platform = values.get("platform", "")
    name_error = alert([errors["name"]]) if "name" in errors else ""
    uri_error = alert([errors["redirect"]]) if "redirect" in errors else ""
    audience_error = alert([errors["audience"]]) if "audience" in errors else ""
    html = f"""
<form data-action="/api/apps" class="fxc-form" novalidate>
<section aria-labelledby="name-h"><h3 id="name-h">Name</h3>
<p>The user-facing display name for this application (this can be changed later).</p>
<label for="app-name" class="fxc-label fxc-required">Name</label>
<input type="text" id="app-name" name="name" maxlength="120" value="{e(values.get('name', ''))}"
 aria-required="true"{' aria-invalid="true"' if name_error else ''}>{name_error}</section>
<section aria-labelledby="acct-h"><h3 id="acct-h">Supported account types</h3>
<p>Who can use this application or access this API?</p>{accounts}{audience_error}
<a href="#" class="fxs-link">Help me choose...</a>
</section>
<section aria-labelledby="redir-h"><h3 id="redir-h">Redirect URI (optional)</h3>
<p>We'll return the authentication response to this URI after successfully authenticating the user. Providing this
now is optional and it can be changed later, but a value is required for most authentication scenarios.</p>
<div class="fxc-inline">{combobox("platform", "Select a platform", "platform", [(p, p) for p in PLATFORMS],
                                  selected=platform, placeholder="Select a platform", label_visible=False)}
<label for="redirect-uri" class="fxc-visually-hidden">Redirect URI</label>
<input type="text" id="redirect-uri" name="redirectUri" placeholder="e.g. https://example.com/auth"
 value="{e(values.get('redirectUri', ''))}"{' aria-invalid="true"' if uri_error else ''}></div>{uri_error}</section>
<p class="fxs-note">By proceeding, you agree to the Microsoft Platform Policies.</p>
<div class="fxs-blade-footer"><button type="submit" class="fxs-button-primary">Register</button></div>
</form>"""
    return Blade("Register an application", html, [HOME_CRUMB, LIST_CRUMB])


# --- The app's menu blade --------------------------------------------------------------------------


def _menu(app: App, section: str) -> list[tuple[str, str, bool]]:
    items = [("Overview", "Overview"), ("Quickstart", ""), ("Integration assistant", ""),
             ("Branding & properties", ""), ("Authentication", "Authentication"),
             ("Certificates & secrets", "Credentials"), ("Token configuration", ""),
             ("API permissions", "CallAnAPI"), ("Expose an API", ""), ("App roles", ""), ("Owners", ""),
             ("Manifest", "")]
    return [(caption, routes.app_hash(app.app_id, key) if key else "", key == section) for caption, key in items]


def app_blade(store: Any, view: View, app: App, section: str, extra: dict[str, Any] | None = None) -> Blade:
    extra = extra or {}
    render = {"Overview": overview, "Authentication": authentication, "Credentials": credentials,
              "CallAnAPI": api_permissions}[section]
    html = render(store, view, app, **extra)
    return Blade(f"{app.display_name} | {routes.SECTIONS[section]}", html, [HOME_CRUMB, LIST_CRUMB],
                 _menu(app, section), app.display_name)


def _essential(ident: str, label: str, value_html: str) -> str:
    return (f'<div class="fxc-essentials-item"><div class="fxc-essentials-label" id="ess-{ident}">{e(label)}</div>'
            f'<div class="fxc-essentials-value" aria-labelledby="ess-{ident}">{value_html}</div></div>')


def _id_value(value: str) -> str:
    return f'<span class="fxc-essentials-text">{e(value)}</span>{copy_button(value)}'


def overview(store: Any, view: View, app: App) -> str:
    secrets = directory.app_secrets(store, app.object_id)
    now = store.now()
    current = sum(1 for s in secrets if s["end_at"] > now)
    essentials = "".join((
        _essential("name", "Display name", f'<a href="#">{e(app.display_name)}</a>'),
        _essential("appid", "Application (client) ID", _id_value(app.app_id)),
        _essential("objid", "Object ID", _id_value(app.object_id)),
        _essential("tid", "Directory (tenant) ID", _id_value(app.tenant_id)),
        _essential("aud", "Supported account types", f'<a href="#">{e(_audience_short(app.sign_in_audience))}</a>'),
        _essential("creds", "Client credentials", f'<a href="{routes.app_hash(app.app_id, "Credentials")}">'
                                                  f'0 certificate, {current} secret</a>'),
        _essential("redir", "Redirect URIs", f'<a href="{routes.app_hash(app.app_id, "Authentication")}">'
                                             f'{len(app.redirect_uris)} web, 0 spa, 0 public client</a>'),
        _essential("sp", "Managed application in local directory", f'<a href="#">{e(app.display_name)}</a>'),
    ))
    delete_body = (f'<p>The app registration {e(app.display_name)} will be deleted. You can restore it from '
                   f'Deleted applications within 30 days.</p><div class="fxc-checkbox"><input type="checkbox" '
                   f'id="del-ack" data-enables="del-confirm"><label for="del-ack">I understand the implications of '
                   f'deleting this app registration.</label></div>')
    delete_buttons = (f'<button type="button" id="del-confirm" class="fxs-button-primary" disabled '
                      f'data-post="/api/apps/{app.app_id}/delete">Delete</button>'
                      f'<button type="button" data-close="del-dialog">Cancel</button>')
    bar = command_bar(command("Delete", icon=TRASH_ICON, attrs='data-opens="del-dialog"') + command("Endpoints")
                      + command("Preview features"))
    return (f'{bar}<section aria-labelledby="ess-h" class="fxc-essentials"><h3 id="ess-h">Essentials</h3>'
            f'{essentials}</section>'
            f'{dialog("del-dialog", "Delete app registration", delete_body, delete_buttons, pane=True)}')


def _audience_short(audience: str) -> str:
    return {"AzureADMyOrg": "My organization only", "AzureADMultipleOrgs": "Multiple organizations",
            "AzureADandPersonalMicrosoftAccount": "All Microsoft account users",
            "PersonalMicrosoftAccount": "Personal Microsoft accounts"}.get(audience, audience)


def authentication(store: Any, view: View, app: App) -> str:
    items = "".join(f'<li><span class="fxc-platform">{e(r.get("platform", "Web"))}</span> '
                    f'<span class="fxc-redirect-uri">{e(r["uri"])}</span></li>' for r in app.redirect_uris)
    return (f'<section aria-labelledby="plat-h"><h3 id="plat-h">Platform configurations</h3>'
            f'<ul aria-label="Redirect URIs">{items or "<li>No redirect URIs configured.</li>"}</ul></section>')


# --- API permissions -------------------------------------------------------------------------------


def api_permissions(store: Any, view: View, app: App, banner: str = "") -> str:
    tenant = view.tenant.display_name
    configured = directory.configured_permissions(store, app.object_id)
    groups: dict[str, list[dict[str, Any]]] = {}
    for perm in configured:
        groups.setdefault(perm["resource"], []).append(perm)
    body = ""
    for resource, perms in groups.items():
        body += (f'<tr class="fxc-group-row"><th scope="rowgroup" colspan="5">{e(resource)} ({len(perms)})</th>'
                 f'</tr>')
        for p in perms:
            status = (f'<span class="fxc-granted">&#x2714; Granted for {e(tenant)}</span>' if p["granted"]
                      else f'<span class="fxc-not-granted">Not granted for {e(tenant)}</span>')
            body += (f'<tr class="fxc-gc-row" data-api="{e(resource)}"><td>{e(p["value"])}</td><td>{e(p["type"])}</td>'
                     f'<td>{e(p["description"])}</td><td>{"Yes" if p["admin_consent_required"] else "No"}</td>'
                     f'<td>{status}</td></tr>')
    banner_html = f'<div role="status" class="fxs-banner fxs-banner-success">{e(banner)}</div>' if banner else ""
    consent_label = f"Grant admin consent for {tenant}"
    bar = command_bar(command("Refresh", attrs=f'data-navigate="{routes.app_hash(app.app_id, "CallAnAPI")}"')
                      + command("Add a permission", icon="+", attrs='data-opens="req-pane"')
                      + command(consent_label, icon="&#x2714;", disabled=not (view.is_admin and configured),
                                attrs='data-opens="consent-dialog"'))
    consent_body = (f"<p>Do you want to grant consent for the requested permissions for all accounts in {e(tenant)}? "
                    "This will update any existing admin consent records this application already has to match "
                    "what is listed below.</p>")
    consent_buttons = (f'<button type="button" class="fxs-button-primary" data-post="/api/apps/{app.app_id}/consent">'
                       f'Yes</button><button type="button" data-close="consent-dialog">No</button>')
    return f"""{banner_html}{bar}
<section aria-labelledby="cfg-h"><h3 id="cfg-h">Configured permissions</h3>
<p>Applications are authorized to call APIs when they are granted permissions by users/admins as part of the consent
process. The list of configured permissions should include all the permissions the application needs.</p>
<table aria-label="Configured permissions" class="fxc-gc-table"><thead><tr>
<th scope="col">API / Permissions name</th><th scope="col">Type</th><th scope="col">Description</th>
<th scope="col">Admin consent required</th><th scope="col">Status</th></tr></thead><tbody>{body}</tbody></table>
</section>
{dialog("consent-dialog", "Grant admin consent confirmation.", consent_body, consent_buttons)}
{request_pane(app)}"""


def request_pane(app: App) -> str:
    cards = (f'<button type="button" class="fxs-api-card" data-pane-step="req-bc" '
             f'aria-describedby="card-bc-desc">{e(catalog.BC_DISPLAY_NAME)}<span id="card-bc-desc" class="fxs-desc">'
             f'Programmatic access to data and functionality in Dynamics 365 Business Central</span></button>'
             f'<button type="button" class="fxs-api-card" aria-describedby="card-graph-desc">'
             f'{e(catalog.GRAPH_DISPLAY_NAME)}<span id="card-graph-desc" class="fxs-desc">Take advantage of the '
             f'tremendous amount of data in Office 365, Enterprise Mobility + Security, and Windows 10.</span>'
             f'</button>' + "".join(f'<button type="button" class="fxs-api-card">{e(n)}</button>' for n in OTHER_APIS))
    kinds = (
        '<div class="fxs-kind-cards"><p>What type of permissions does your application require?</p>'
        '<button type="button" class="fxs-kind-card" aria-pressed="false" data-kind="Delegated">Delegated permissions'
        '<span class="fxs-desc">Your application needs to access the API as the signed-in user.</span></button>'
        '<button type="button" class="fxs-kind-card" aria-pressed="false" data-kind="Application">Application '
        'permissions<span class="fxs-desc">Your application runs as a background service or daemon without a '
        'signed-in user.</span></button></div>')
    lists = "".join(_permission_list(kind) for kind in ("Delegated", "Application"))
    step_bc = (f'<div id="req-bc" class="fxs-pane-step" hidden><button type="button" class="fxs-link" '
               f'data-pane-step="req-apis">&lt; All APIs</button><h3>{e(catalog.BC_DISPLAY_NAME)}</h3>'
               f'<p class="fxs-uri">{e(catalog.BC_RESOURCE_URI)}/</p>{kinds}'
               f'<form data-action="/api/apps/{app.app_id}/permissions" id="req-form" hidden>'
               f'<input type="hidden" name="resource" value="{catalog.BC_RESOURCE_APP_ID}">'
               f'<input type="hidden" name="kind" value="">'
               f'<h4>Select permissions</h4><input type="search" class="fxc-filter" data-filter="req-lists" '
               f'aria-label="Start typing a permission to filter these results" '
               f'placeholder="Start typing a permission to filter these results"><div id="req-lists">{lists}</div>'
               f'<div class="fxs-pane-footer"><button type="submit" class="fxs-button-primary" disabled '
               f'id="req-add">Add permissions</button><button type="button" data-close="req-pane">Discard</button>'
               f'</div></form></div>')
    body = tabs("reqtabs", "API groups", [
        ("Microsoft APIs", f'<div id="req-apis" class="fxs-pane-step"><h4>Commonly used Microsoft APIs</h4>'
                           f'<div class="fxs-api-cards">{cards}</div></div>{step_bc}'),
        ("APIs my organization uses", "<p>Apps in your directory that expose APIs are shown below.</p>"),
        ("My APIs", "<p>No APIs are exposed by apps you own.</p>"),
    ])
    return dialog("req-pane", "Request API permissions", body, "", pane=True)


def _permission_list(kind: str) -> str:
    rows = "".join(
        f'<tr><td><input type="checkbox" name="permission" value="{e(p.value)}" id="perm-{kind}-{i}" '
        f'aria-describedby="perm-{kind}-{i}-d"><label for="perm-{kind}-{i}">{e(p.value)}</label></td>'
        f'<td id="perm-{kind}-{i}-d">{e(p.description)}</td>'
        f'<td>{"Yes" if p.admin_consent_required else "No"}</td></tr>'
        for i, p in enumerate(catalog.permissions_of(catalog.BC_RESOURCE_APP_ID, kind)))
    return (f'<table class="fxc-perm-list" data-kind="{kind}" aria-label="{kind} permissions" hidden><thead><tr>'
            f'<th scope="col">Permission</th><th scope="col">Description</th><th scope="col">Admin consent required'
            f'</th></tr></thead><tbody>{rows}</tbody></table>')


# --- Certificates & secrets ------------------------------------------------------------------------


def credentials(store: Any, view: View, app: App, new_secret: tuple[str, str] | None = None,
                errors: list[str] | None = None) -> str:
    """`new_secret` = (Secret ID, Value) of the secret just added: its Value appears in this render only."""
    now = store.now()
    secrets = directory.app_secrets(store, app.object_id)
    rows = ""
    for s in secrets:
        if new_secret and s["key_id"] == new_secret[0]:
            value = f'<span class="fxc-secret-value">{e(new_secret[1])}</span>{copy_button(new_secret[1])}'
        else:
            value = f'<span class="fxc-secret-value">{e(s["hint"])}{MASK_STARS}</span>'
        expired = " (expired)" if s["end_at"] <= now else ""
        rows += (f'<tr class="fxc-gc-row"><td>{e(s["description"])}</td><td>{short_date(s["end_at"])}{expired}</td>'
                 f'<td>{value}</td><td><span>{e(s["key_id"])}</span>{copy_button(s["key_id"])}</td>'
                 f'<td><button type="button" class="fxs-delete" aria-label="Delete" title="Delete" '
                 f'data-confirm-delete="{e(s["key_id"])}" data-description="{e(s["description"])}">{TRASH_ICON}'
                 f'</button></td></tr>')
    table = (f'<table aria-label="Client secrets" class="fxc-gc-table"><thead><tr><th scope="col">Description</th>'
             f'<th scope="col">Expires</th><th scope="col">Value</th><th scope="col">Secret ID</th>'
             f'<th scope="col"><span class="fxc-visually-hidden">Actions</span></th></tr></thead>'
             f'<tbody>{rows or "<tr><td colspan=5>No client secrets have been created for this application.</td></tr>"}'
             f'</tbody></table>')
    new_secret_bar = command_bar(command("New client secret", icon="+", attrs='data-opens="add-secret"'))
    secrets_panel = (f'<p>A secret string that the application uses to prove its identity when requesting a token. '
                     f'Also can be referred to as application password.</p>'
                     f'{new_secret_bar}'
                     f'{table}')
    panels = [("Certificates (0)", "<p>No certificates have been added for this application.</p>"),
              (f"Client secrets ({len(secrets)})", secrets_panel),
              ("Federated credentials (0)", "<p>No federated credentials have been added.</p>")]
    add_body = (f'{alert(errors or [])}<form data-action="/api/apps/{app.app_id}/secrets" id="add-secret-form">'
                f'<label for="secret-desc" class="fxc-label">Description</label>'
                f'<input type="text" id="secret-desc" name="description" maxlength="1024">'
                f'{combobox("expires", "Expires", "expires", list(EXPIRY_OPTIONS), selected="180")}'
                f'<div id="custom-dates" hidden><label for="secret-start" class="fxc-label">Start</label>'
                f'<input type="date" id="secret-start" name="start"><label for="secret-end" class="fxc-label">End'
                f'</label><input type="date" id="secret-end" name="end"></div>'
                f'<div class="fxs-pane-footer"><button type="submit" class="fxs-button-primary">Add</button>'
                f'<button type="button" data-close="add-secret">Cancel</button></div></form>')
    del_body = '<p id="del-secret-text">Are you sure you want to delete this client secret?</p>'
    del_buttons = ('<button type="button" class="fxs-button-primary" id="del-secret-yes" '
                   f'data-post-base="/api/apps/{app.app_id}/secrets/">Yes</button>'
                   '<button type="button" data-close="del-secret">No</button>')
    notice = ('<div role="note" class="fxs-banner">Copy the new client secret value. You won’t be able to retrieve '
              'it after you perform another operation or leave this blade.</div>' if new_secret else "")
    return (f'<p>Credentials enable confidential applications to identify themselves to the authentication service '
            f'when receiving tokens at a web addressable location (using an HTTPS scheme).</p>{notice}'
            f'{tabs("creds", "Credential types", panels, selected=1 if new_secret or errors else 0)}'
            f'{dialog("add-secret", "Add a client secret", add_body, "", pane=True)}'
            f'{dialog("del-secret", "Delete client secret", del_body, del_buttons)}')
