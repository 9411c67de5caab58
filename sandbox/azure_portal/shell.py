"""The portal shell (top bar, search, portal menu, breadcrumbs, blade header, toasts) and the react-frame document.

Blade content arrives by script: injected into the top document (`portal_layout=top`) or loaded into the active
`iframe.fxs-reactview-frame-active`, with a pre-warmed hidden sibling `iframe.fxs-reactview-frame.fxs-display-none`
(`portal_layout=iframe`).
"""

from __future__ import annotations

from typing import Any

from sandbox.azure_portal import routes
from sandbox.azure_portal.widgets import e
from sandbox.directory import Tenant

HEAD = ('<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="stylesheet" href="/static/portal.css"><script src="/static/portal.js" defer></script>')
SEARCH_LABEL = "Search resources, services, and docs (G+/)"
PORTAL_MENU = (("Home", "#home"), ("Dashboard", "#home"), ("All services", "#home"),
               ("Microsoft Entra ID", routes.ENTRA_HASH), ("App registrations", routes.LIST_HASH))


def shell(user: dict[str, Any], tenant: Tenant) -> str:
    menu = "".join(f'<li><a href="{h}">{e(t)}</a></li>' for t, h in PORTAL_MENU)
    return f"""<!DOCTYPE html><html lang="en"><head>{HEAD}<title>Microsoft Azure</title></head>
<body class="fxs-portal" data-role="shell">
<header class="fxs-topbar">
<a class="fxs-topbar-home" href="#home">Microsoft Azure</a>
<div class="fxs-search" role="search">
<input type="text" id="fxs-search" role="combobox" aria-label="{SEARCH_LABEL}" placeholder="{SEARCH_LABEL}"
 aria-expanded="false" aria-controls="fxs-search-results" aria-autocomplete="list" autocomplete="off" disabled>
<ul role="listbox" id="fxs-search-results" aria-label="Services" class="fxs-search-results" hidden></ul></div>
<div class="fxs-avatarmenu" title="{e(user['upn'])}"><span class="fxs-avatarmenu-username">{e(user['upn'])}</span>
<span class="fxs-avatarmenu-tenant">{e(tenant.display_name.upper())} ({e(tenant.initial_domain.upper())})</span></div>
</header>
<div class="fxs-main">
<nav aria-label="Portal menu" class="fxs-sidebar"><ul>{menu}</ul></nav>
<main class="fxs-journey">
<nav aria-label="Breadcrumb" class="fxs-breadcrumb"><ol id="fxs-crumbs"></ol></nav>
<section class="fxs-blade" aria-labelledby="fxs-blade-title">
<header class="fxs-blade-header"><h2 class="fxs-blade-title-titleText" id="fxs-blade-title"></h2></header>
<div role="progressbar" aria-label="Loading" class="fxs-progress" id="fxs-progress" hidden></div>
<div class="fxs-blade-layout"><nav class="fxs-resource-menu" id="fxs-resource-menu" hidden><ul></ul></nav>
<div class="fxs-blade-host" id="fxs-blade-host"></div></div>
</section></main></div>
<div class="fxs-toast-container" id="fxs-toasts" aria-live="polite"></div>
</body></html>"""


def frame(html: str) -> str:
    """The document inside a react frame: blade content only (title and menu stay in the shell)."""
    return (f'<!DOCTYPE html><html lang="en"><head>{HEAD}<title>Blade</title></head>'
            f'<body class="fxs-frame" data-role="frame"><div class="fxs-blade-content" id="blade-content">{html}'
            f'</div></body></html>')


def sign_in_bounce() -> str:
    """Before signing in, keep the deep link (the fragment never reaches the server) for after the round trip."""
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Microsoft Azure</title></head><body>'
            '<script>sessionStorage.setItem("fxs-return-hash", location.hash);location.replace("/signin");</script>'
            '<noscript>The Azure portal needs JavaScript.</noscript></body></html>')
