"""Signing the web twins in through the Microsoft sign-in twin, the way the real portals do (auth-code style).

A portal page without a session redirects to `{login}/{tenant}/oauth2/v2.0/authorize`; the sign-in twin shows
its pages and redirects back to the portal's `/signin-oidc` with a one-time code, which becomes a portal session.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from sandbox import directory
from sandbox.context import Sandbox

# First-party client ids of the real portals (public values), so the twins' sign-ins look like the real ones.
FIRST_PARTY_CLIENTS = {
    "azure_portal": "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
    "business_central": "996def3d-b36c-4153-8607-a6fd3c01b89f",
}
CALLBACK_PATH = "/signin-oidc"


def cookie_name(service: str) -> str:
    # Cookies on 127.0.0.1 are shared across ports: one name per twin keeps sessions apart.
    return f"{service}_session"


def current_user(request: Request, sandbox: Sandbox, service: str) -> dict[str, Any] | None:
    return sandbox.store.session(service, request.cookies.get(cookie_name(service)))


def sign_in_redirect(request: Request, sandbox: Sandbox, service: str, tenant: str | None = None) -> Response:
    """Send the browser to the sign-in twin; `state` remembers where to come back to."""
    state = secrets.token_urlsafe(16)
    directory.remember_return_url(sandbox.store, state, str(request.url))  # expires like a pending sign-in
    query = urlencode({"client_id": FIRST_PARTY_CLIENTS[service], "response_type": "code",
                       "redirect_uri": sandbox.url(service, CALLBACK_PATH), "scope": "openid profile",
                       "response_mode": "query", "state": state, "nonce": secrets.token_urlsafe(8)})
    authority = tenant or sandbox.seed["tenant_id"]
    return RedirectResponse(f"{sandbox.url('login')}/{authority}/oauth2/v2.0/authorize?{query}", status_code=302)


def handle_callback(request: Request, sandbox: Sandbox, service: str) -> Response:
    """`/signin-oidc`: redeem the code, start a session, go back to the page that asked."""
    code = request.query_params.get("code", "")
    state = request.query_params.get("state", "")
    user = directory.redeem_code(sandbox.store, code, FIRST_PARTY_CLIENTS[service])
    target = directory.return_url(sandbox.store, state)
    if user is None or target is None:
        return Response("Sign-in failed: the authorization code is invalid or expired.", status_code=400)
    sid = sandbox.store.new_session(service, {"upn": user["upn"], "name": user["display_name"],
                                              "tenant_id": user["tenant_id"], "oid": user["object_id"]})
    response = RedirectResponse(target, status_code=302)
    response.set_cookie(cookie_name(service), sid, secure=True, httponly=True, samesite="lax")
    return response
