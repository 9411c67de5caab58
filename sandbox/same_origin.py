"""Refuse cross-site state-changing requests to the browser-facing twins (sign-in pages, Azure portal, BC web
client, Dynamics Mobile Portal): the one CSRF defence, installed by `sandbox.server` around each of those apps.

A POST/PUT/PATCH/DELETE passes when its `Origin` (or, without one, its `Referer`) is the twin's own origin. The
twins all live on 127.0.0.1, so for the browser they are the *same site* on different ports and SameSite=Lax
cookies alone do not stop one port posting to another: the origin check is what does. Browsers always send
`Origin` with such requests (the Fetch standard; "null" when they hide it), so a client that sends none of
`Origin`, `Referer` and `Sec-Fetch-Site` is not a browser and carries no victim's cookies: it passes (the rule of
Go's net/http CrossOriginProtection). The token endpoint, the BC API and the admin API are server-to-server and
are not guarded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sandbox.context import Sandbox

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SAME_ORIGIN_FETCH = frozenset({"same-origin", "none"})
LOOPBACK_NAMES = ("127.0.0.1", "localhost")  # the TLS certificate covers both
# Server-to-server paths on a browser-facing host: the Entra token endpoints (v1 and v2) of any tenant.
SERVER_TO_SERVER = {"login": re.compile(r"^/[^/]+/oauth2/(v2\.0/)?token/?$")}
REFUSED = "The request was refused because it did not come from this site."

Origin = tuple[str, str, int]


def _origin(url: str) -> Origin | None:
    """(scheme, host, port) of an absolute http(s) URL; None for "null", relative or malformed values."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port or (443 if parts.scheme == "https" else 80)


def own_origins(base_url: str) -> frozenset[Origin]:
    """The origins a browser shows for a twin at `base_url` (by IP or as localhost)."""
    base = _origin(base_url)
    if base is None:
        raise ValueError(f"not an absolute URL: {base_url!r}")
    scheme, host, port = base
    hosts = LOOPBACK_NAMES if host in LOOPBACK_NAMES else (host,)
    return frozenset((scheme, name, port) for name in hosts)


def is_cross_site(headers: Headers, allowed: frozenset[Origin]) -> bool:
    """True when a state-changing request did not come from one of `allowed` (see the module docstring)."""
    origin = headers.get("origin")
    if origin is not None:
        return _origin(origin) not in allowed
    referer = headers.get("referer")
    if referer is not None:
        return _origin(referer) not in allowed
    fetch_site = headers.get("sec-fetch-site")
    return fetch_site is not None and fetch_site.lower() not in SAME_ORIGIN_FETCH


def _entra_refusal() -> Response:
    from sandbox.entra.signin_pages import error_page

    # Entra's exact answer to a sign-in POST from a foreign origin is not public; AADSTS90023 is its documented
    # generic "InvalidRequest - The authentication service request isn't valid".
    return HTMLResponse(error_page("AADSTS90023: The authentication service request isn't valid."), status_code=403)


def _json_refusal() -> Response:
    # The Azure portal's and BC client's POST routes answer their own scripts in JSON ({"error"} is what those
    # scripts show); the real services' wording for a cross-site POST is not public.
    return JSONResponse({"error": REFUSED}, status_code=403, headers={"Cache-Control": "no-store"})


def _portal_refusal() -> Response:
    # The Dynamics Mobile Portal's own answer to a forged post is not public; a plain 403 page with its styles.
    page = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Forbidden</title>'
            '<link rel="stylesheet" href="/static/portal.css"></head>'
            f'<body><main id="main"><h1>Forbidden</h1><p role="alert">{REFUSED}</p></main></body></html>')
    return HTMLResponse(page, status_code=403, headers={"Cache-Control": "no-store"})


REFUSALS: dict[str, Callable[[], Response]] = {
    "login": _entra_refusal,
    "azure_portal": _json_refusal,
    "business_central": _json_refusal,
    "dynamics_mobile": _portal_refusal,
}


class SameOriginGuard:
    """ASGI middleware: refuse state-changing requests from other origins before the twin sees them."""

    def __init__(self, app: ASGIApp, sandbox: Sandbox, service: str) -> None:
        self.app = app
        self.allowed = own_origins(sandbox.url(service))
        self.exempt = SERVER_TO_SERVER.get(service)
        self.refusal = REFUSALS[service]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] == "http" and scope["method"] in STATE_CHANGING
                and not (self.exempt and self.exempt.match(scope["path"]))
                and is_cross_site(Headers(scope=scope), self.allowed)):
            await self.refusal()(scope, receive, send)
            return
        await self.app(scope, receive, send)


def guard_browser_twin(app: ASGIApp, sandbox: Sandbox, service: str) -> ASGIApp:
    """`app` behind the guard when `service` faces browsers; server-to-server twins unchanged."""
    return SameOriginGuard(app, sandbox, service) if service in REFUSALS else app
