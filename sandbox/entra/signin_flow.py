"""One sign-in in progress, shared by the sign-in twin's handlers: the flow state (a pending row keyed by the hidden
`flowToken`, expiring like Entra's), the client check, the first page, and the way out (code + ESTSAUTH cookie).

Handlers are module-level and reach the running sandbox through `request.app.state.sandbox` (set by
`sandbox.entra.app.create_app`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from sandbox import directory
from sandbox.context import Sandbox, resolve_public
from sandbox.entra import signin_pages as ui
from sandbox.entra.signin_variants import picker_upns, variant
from sandbox.web_auth import CALLBACK_PATH, FIRST_PARTY_CLIENTS

SESSION_COOKIE = "ESTSAUTH"
PERSISTENT_COOKIE = "ESTSAUTHPERSISTENT"
PERSISTENT_MAX_AGE_S = 90 * 86400
FLOW = "signin_flow"


def sandbox_of(request: Request) -> Sandbox:
    return request.app.state.sandbox


def page(html: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(html, status_code=status)


@dataclass
class Step:
    """One posted step of a flow: the request, its form, and the flow's saved state."""

    request: Request
    sandbox: Sandbox
    form: FormData
    token: str
    flow: dict[str, Any]

    @property
    def upn(self) -> str:
        return str(self.flow.get("upn", ""))

    def field(self, name: str) -> str:
        return str(self.form.get(name, ""))

    def user(self) -> dict[str, Any] | None:
        return directory.user(self.sandbox.store, self.upn) if self.upn else None

    def save(self, **changes: Any) -> None:
        self.flow = {**self.flow, **changes}
        directory.update_pending(self.sandbox.store, FLOW, self.token, self.flow)


def flow_of(sandbox: Sandbox, token: str) -> dict[str, Any] | None:
    return directory.pending(sandbox.store, FLOW, token)


# --- who may sign in where -------------------------------------------------------------------------


def _first_party_redirect_uris(sandbox: Sandbox, client_id: str) -> set[str]:
    """The callbacks registered for the twins' own portal apps: exactly their `/signin-oidc`."""
    return {sandbox.url(service, CALLBACK_PATH) for service, known in FIRST_PARTY_CLIENTS.items()
            if known == client_id and service in sandbox.urls}


def client_problem(sandbox: Sandbox, client_id: str, redirect_uri: str) -> str | None:
    """None when the client may use this redirect URI (an exact registered match), else the AADSTS error text."""
    if client_id in FIRST_PARTY_CLIENTS.values():
        if redirect_uri in _first_party_redirect_uris(sandbox, client_id):
            return None
        return ui.redirect_mismatch(redirect_uri, client_id)
    app = directory.app_by_client_id(sandbox.store, client_id, visible_only=True)
    if app is None:
        return (f"AADSTS700016: Application with identifier '{client_id}' was not found in the directory "
                f"'{sandbox.seed['tenant_name']}'.")
    if not any(r["uri"] == redirect_uri for r in app.redirect_uris):
        return ui.redirect_mismatch(redirect_uri, client_id)
    return None


def signed_in_user(request: Request, sandbox: Sandbox) -> dict[str, Any] | None:
    for name in (SESSION_COOKIE, PERSISTENT_COOKIE):
        data = sandbox.store.session("estsauth", request.cookies.get(name))
        if data:
            return directory.user(sandbox.store, data["upn"])
    return None


# --- the first page and the way out ----------------------------------------------------------------


def start_flow(request: Request, flow: dict[str, Any]) -> Response:
    """SSO when this browser is signed in (unless `prompt=login` or the account picker is on), else the first page:
    "Pick an account" or the e-mail page."""
    sandbox = sandbox_of(request)
    user = signed_in_user(request, sandbox)
    upns = picker_upns(sandbox)
    if user is not None and upns is None and request.query_params.get("prompt") != "login":
        return finish(sandbox, flow, user["upn"])
    token = directory.start_pending(sandbox.store, FLOW, flow)
    if upns is not None:
        return page(ui.picker_page(token, _tiles(sandbox, upns, user)))
    return page(ui.email_page(token, login_hint=request.query_params.get("login_hint", "")))


def _tiles(sandbox: Sandbox, upns: list[str], signed_in: dict[str, Any] | None) -> list[dict[str, Any]]:
    """One tile per account; the account signed in in this browser first, marked so."""
    current = str(signed_in["upn"]).lower() if signed_in else None
    ordered = ([signed_in["upn"]] if signed_in else []) + [u for u in upns if u.lower() != current]
    tiles = []
    for upn in ordered:
        user = directory.user(sandbox.store, upn)
        tiles.append({"upn": upn, "name": user["display_name"] if user else upn,
                      "signed_in": upn.lower() == current})
    return tiles


def finish(sandbox: Sandbox, flow: dict[str, Any], upn: str) -> Response:
    """Leave the sign-in host: back to the caller with a code, or on to the admin-consent prompt."""
    if flow.get("kind") == "adminconsent":
        return RedirectResponse(flow["return_to"], status_code=302)
    code = directory.issue_code(sandbox.store, upn, flow["client_id"], flow["redirect_uri"], flow.get("nonce"))
    query = urlencode({"code": code, "state": flow.get("state", ""), "session_state": secrets.token_hex(8)})
    return RedirectResponse(f"{resolve_public(sandbox, flow['redirect_uri'])}?{query}", status_code=302)


def complete(step: Step, persistent: bool) -> Response:
    """The flow is done: a session cookie (persistent after "Stay signed in? Yes"), then `finish`."""
    store = step.sandbox.store
    directory.finish_pending(store, step.token)
    sid = store.new_session("estsauth", {"upn": step.upn})
    response = finish(step.sandbox, step.flow, step.upn)
    response.set_cookie(SESSION_COOKIE, sid, secure=True, httponly=True, samesite="lax")
    if persistent:
        response.set_cookie(PERSISTENT_COOKIE, sid, secure=True, httponly=True, samesite="lax",
                            max_age=PERSISTENT_MAX_AGE_S)
    return response


def after_authentication(step: Step) -> Response:
    """Every factor is done: the registration interrupt (until skipped), "Stay signed in?", or straight out."""
    step.save(authenticated=True)
    interrupt = variant(step.sandbox, "signin_interrupt")
    if interrupt != "off" and not step.flow.get("interrupt_done"):
        step.save(interrupt=interrupt)
        return page(ui.proofup_page(step.token, step.upn))
    if variant(step.sandbox, "signin_kmsi"):
        return page(ui.kmsi_page(step.token))
    return complete(step, persistent=False)


def may_leave(flow: dict[str, Any]) -> bool:
    """Authenticated, and any registration interrupt shown was skipped."""
    return bool(flow.get("authenticated")) and (not flow.get("interrupt") or bool(flow.get("interrupt_done")))
