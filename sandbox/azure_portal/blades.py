"""Blades of the portal twin: Home, Entra ID, App registrations, Register an application, and the app's menu blade
sections (Overview, Authentication, Certificates & secrets, API permissions), each a Jinja2 template.

A blade is its title, breadcrumbs and resource menu (drawn by the shell in the top document) and its content
(injected into the top document or loaded into the active react frame, depending on the `portal_layout` option).
The real portal's other variants (older drop-downs, `div` grids, React Essentials, the older Delete) are chosen by
`View.ui` (`variants`).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup
from starlette.responses import JSONResponse

from sandbox import catalog, directory
from sandbox.azure_portal import routes
from sandbox.azure_portal.rules import AUDIENCES, DEFAULT_EXPIRY, EXPIRY_OPTIONS, PLATFORMS
from sandbox.azure_portal.web import NO_STORE, View
from sandbox.directory import App
from sandbox.templating import render

Crumb = tuple[str, str]  # (caption, hash)
MenuItem = tuple[str, str, bool]  # (caption, hash or "" when the twin does not model it, current)

HOME_CRUMB: Crumb = ("Home", "#home")
LIST_CRUMB: Crumb = ("App registrations", routes.LIST_HASH)
MASK_STARS = "*" * 29
# Other Microsoft APIs on the "Microsoft APIs" tab (cards only; the twin knows permissions of BC and Graph).
OTHER_APIS = ("Azure Service Management", "Azure Storage", "Dynamics CRM", "Intune", "Power BI Service",
              "SharePoint")
# The app's resource menu: caption -> section fragment ("" = shown, not modelled).
APP_MENU = (("Overview", "Overview"), ("Quickstart", ""), ("Integration assistant", ""),
            ("Branding & properties", ""), ("Authentication", "Authentication"),
            ("Certificates & secrets", "Credentials"), ("Token configuration", ""),
            ("API permissions", "CallAnAPI"), ("Expose an API", ""), ("App roles", ""), ("Owners", ""),
            ("Manifest", ""))
AUDIENCE_SHORT = {"AzureADMyOrg": "My organization only", "AzureADMultipleOrgs": "Multiple organizations",
                  "AzureADandPersonalMicrosoftAccount": "All Microsoft account users",
                  "PersonalMicrosoftAccount": "Personal Microsoft accounts"}


@dataclass
class Blade:
    title: str
    html: Markup
    crumbs: list[Crumb] = field(default_factory=list)
    menu: list[MenuItem] = field(default_factory=list)
    menu_label: str = ""

    def response(self, layout: str, **extra: Any) -> JSONResponse:
        """The JSON the shell's script draws: title, crumbs and menu in the shell, `html` in the blade host."""
        return JSONResponse({"title": self.title, "crumbs": self.crumbs, "menu": self.menu,
                             "menuLabel": self.menu_label, "layout": layout, "html": self.html, **extra},
                            headers=NO_STORE)


@dataclass(frozen=True)
class Essential:
    """One Essentials item of the Overview: a link when `href` is set, else an id with a copy button."""

    ident: str
    label: str
    text: str
    href: str | None = None


@dataclass(frozen=True)
class SecretRow:
    description: str
    expires: str
    value: str  # the hint and asterisks, or the Value itself when `revealed`
    key_id: str
    revealed: bool = False


def content(template: str, **context: object) -> Markup:
    """A blade's content from its template; autoescaped there, so safe to embed in the frame document."""
    return Markup(render(__package__, template, **context))  # noqa: S704 - output of an autoescaping template


def short_date(ts: float) -> str:
    d = datetime.fromtimestamp(ts, UTC)
    return f"{d.month}/{d.day}/{d.year}"


def audience_labels(view: View) -> dict[str, str]:
    """Captions of the account types: the older radio generation spells them out in full."""
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


# --- the blade a fragment names ---------------------------------------------------------------------


def for_route(view: View, route: str) -> Blade:
    where = routes.parse(route)
    if where.blade == "app":
        app = view.own_app(where.app_id)
        return app_blade(view, app, where.section) if app is not None else not_found()
    build = TOP_BLADES.get(where.blade)
    return build(view) if build is not None else not_found()


def not_found() -> Blade:
    return Blade("Not found", content("not_found.html"), [HOME_CRUMB])


def home(view: View) -> Blade:
    tiles = [("Microsoft Entra ID", routes.ENTRA_HASH), ("App registrations", routes.LIST_HASH)]
    return Blade("Home", content("home.html", tiles=tiles, tenant_name=view.tenant.display_name,
                                 upn=view.user["upn"]))


def entra(view: View) -> Blade:
    html = content("entra.html", tenant_id=view.tenant.id, domain=view.tenant.initial_domain)
    menu = [("Overview", routes.ENTRA_HASH, True), ("App registrations", routes.LIST_HASH, False)]
    return Blade(view.tenant.display_name + " | Overview", html, [HOME_CRUMB], menu, "Microsoft Entra ID")


def app_list(view: View) -> Blade:
    now = view.store.now()
    rows = []
    for app in directory.apps(view.store, view.tenant.id):
        if app.visible_at > now:
            continue  # replication lag: new registrations show up late, as in a real tenant
        secrets = directory.app_secrets(view.store, app.object_id)
        state = "Current" if any(s["end_at"] > now for s in secrets) else ("Expired" if secrets else "-")
        rows.append({"href": routes.app_hash(app.app_id), "name": app.display_name, "app_id": app.app_id,
                     "created": short_date(app.created_at), "secrets": state})
    # drift_rename=new_registration: the command renamed, as a portal update might (the drift check's test)
    renamed = view.sandbox.option("drift_rename") == "new_registration"
    html = content("app_list.html", rows=rows, create_hash=routes.CREATE_HASH, list_hash=routes.LIST_HASH,
                   new_caption="Register an app" if renamed else "New registration")
    return Blade("App registrations", html, [HOME_CRUMB])


def create_form(view: View, values: dict[str, str] | None = None, errors: dict[str, str] | None = None) -> Blade:
    """Register an application, empty or with what was entered and why it was refused."""
    values = values or {}
    labels = audience_labels(view)
    html = content("create_form.html", account_types_ui=view.account_types_ui, dropdowns=view.ui.dropdowns,
                   errors=errors or {},
                   display_name=values.get("name", ""), audience=values.get("signInAudience", "AzureADMyOrg"),
                   audiences=[(a, labels[a]) for a in AUDIENCES], platform=values.get("platform", ""),
                   platforms=[(p, p) for p in PLATFORMS], redirect_uri=values.get("redirectUri", ""))
    return Blade("Register an application", html, [HOME_CRUMB, LIST_CRUMB])


TOP_BLADES: dict[str, Callable[[View], Blade]] = {"home": home, "entra": entra, "list": app_list,
                                                  "create": create_form}


# --- the app's menu blade ----------------------------------------------------------------------------


def app_blade(view: View, app: App, section: str, **extra: Any) -> Blade:
    """One section of the app's menu blade; `extra` carries what only an action's answer shows (a banner, the new
    secret's Value, the refused secret's errors)."""
    html = SECTIONS[section](view, app, **extra)
    menu = [(caption, routes.app_hash(app.app_id, key) if key else "", key == section) for caption, key in APP_MENU]
    return Blade(f"{app.display_name} | {routes.SECTIONS[section]}", html, [HOME_CRUMB, LIST_CRUMB], menu,
                 app.display_name)


def overview(view: View, app: App) -> Markup:
    now = view.store.now()
    current = sum(1 for s in directory.app_secrets(view.store, app.object_id) if s["end_at"] > now)
    essentials = [
        Essential("name", "Display name", app.display_name, "#"),
        Essential("appid", "Application (client) ID", app.app_id),
        Essential("objid", "Object ID", app.object_id),
        Essential("tid", "Directory (tenant) ID", app.tenant_id),
        Essential("aud", "Supported account types", AUDIENCE_SHORT.get(app.sign_in_audience, app.sign_in_audience),
                  "#"),
        Essential("creds", "Client credentials", f"0 certificate, {current} secret",
                  routes.app_hash(app.app_id, "Credentials")),
        Essential("redir", "Redirect URIs", f"{len(app.redirect_uris)} web, 0 spa, 0 public client",
                  routes.app_hash(app.app_id, "Authentication")),
        Essential("sp", "Managed application in local directory", app.display_name, "#"),
    ]
    return content("overview.html", app=app, essentials=essentials, essentials_ui=view.ui.essentials,
                   css=generated_class_suffixes(), delete_ui=view.ui.delete_ui)


def generated_class_suffixes() -> dict[str, int]:
    """React builds number their CSS classes (`essentialsValue-NNN`); the numbers change between builds, so the twin
    changes them per render and no page object can lean on them."""
    return {part: random.randint(100, 999) for part in ("box", "item", "label", "value")}


def authentication(view: View, app: App) -> Markup:
    redirects = [(r.get("platform", "Web"), r["uri"]) for r in app.redirect_uris]
    return content("authentication.html", redirects=redirects)


def api_permissions(view: View, app: App, banner: str = "") -> Markup:
    configured = directory.configured_permissions(view.store, app.object_id)
    groups: dict[str, list[dict[str, Any]]] = {}
    for perm in configured:
        groups.setdefault(perm["resource"], []).append(perm)
    bc = {"name": catalog.BC_DISPLAY_NAME, "uri": catalog.BC_RESOURCE_URI, "app_id": catalog.BC_RESOURCE_APP_ID}
    lists = [(kind, catalog.permissions_of(catalog.BC_RESOURCE_APP_ID, kind)) for kind in ("Delegated", "Application")]
    return content("api_permissions.html", banner=banner, app_id=app.app_id, tenant_name=view.tenant.display_name,
                   grids=view.ui.grids,
                   refresh_hash=routes.app_hash(app.app_id, "CallAnAPI"), groups=list(groups.items()),
                   can_consent=view.is_admin and bool(configured), bc=bc, graph_name=catalog.GRAPH_DISPLAY_NAME,
                   other_apis=OTHER_APIS, permission_lists=lists)


def credentials(view: View, app: App, new_secret: tuple[str, str] | None = None,
                errors: list[str] | None = None) -> Markup:
    """`new_secret` = (Secret ID, Value) of the secret just added: its Value appears in this render only."""
    now = view.store.now()
    rows = [_secret_row(s, now, new_secret) for s in directory.app_secrets(view.store, app.object_id)]
    return content("credentials.html", rows=rows, revealed=new_secret is not None, errors=errors or [],
                   grids=view.ui.grids, dropdowns=view.ui.dropdowns,
                   app_id=app.app_id, expiry_options=list(EXPIRY_OPTIONS), default_expiry=DEFAULT_EXPIRY)


def _secret_row(secret: dict[str, Any], now: float, new_secret: tuple[str, str] | None) -> SecretRow:
    expires = short_date(secret["end_at"]) + (" (expired)" if secret["end_at"] <= now else "")
    if new_secret is not None and secret["key_id"] == new_secret[0]:
        return SecretRow(secret["description"], expires, new_secret[1], secret["key_id"], revealed=True)
    return SecretRow(secret["description"], expires, secret["hint"] + MASK_STARS, secret["key_id"])


SECTIONS: dict[str, Callable[..., Markup]] = {"Overview": overview, "Authentication": authentication,
                                              "Credentials": credentials, "CallAnAPI": api_permissions}
