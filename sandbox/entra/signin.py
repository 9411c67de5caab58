"""The Microsoft sign-in pages: e-mail → password → (TOTP) → "Stay signed in?" → back to the caller.

Hooks as on login.microsoftonline.com (FIDELITY.md §a): `input[name=loginfmt]#i0116`, `#idSIButton9`,
`input[name=passwd]#i0118` (plus the hidden off-screen duplicate), `input[name=otc]#idTxtBx_SAOTCC_OTC`,
`#idSubmit_SAOTCC_Continue`, KMSI Yes `#idSIButton9` / No `#idBtn_Back`. The flow state travels in a hidden
`flowToken`, as on the real page. Also `/common/adminconsent`, which Business Central's Grant Consent opens.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

import pyotp
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from sandbox import catalog, directory
from sandbox.context import Sandbox, resolve_public
from sandbox.entra import signin_pages as ui
from sandbox.web_auth import FIRST_PARTY_CLIENTS

SESSION_COOKIE = "ESTSAUTH"
PERSISTENT_COOKIE = "ESTSAUTHPERSISTENT"
FLOW = "signin_flow"


def _flow(sandbox: Sandbox, token: str) -> dict[str, Any] | None:
    return sandbox.store.session(FLOW, token)


def _client_ok(sandbox: Sandbox, client_id: str, redirect_uri: str) -> str | None:
    """None when the client may use this redirect URI, else the AADSTS error text."""
    if client_id in FIRST_PARTY_CLIENTS.values():
        if any(redirect_uri.startswith(url) for url in sandbox.urls.values()):
            return None
        return ui.redirect_mismatch(redirect_uri, client_id)
    app = directory.app_by_client_id(sandbox.store, client_id, visible_only=True)
    if app is None:
        return (f"AADSTS700016: Application with identifier '{client_id}' was not found in the directory "
                f"'{sandbox.seed['tenant_name']}'.")
    if not any(r["uri"] == redirect_uri for r in app.redirect_uris):
        return ui.redirect_mismatch(redirect_uri, client_id)
    return None


def _signed_in_user(request: Request, sandbox: Sandbox) -> dict[str, Any] | None:
    for name in (SESSION_COOKIE, PERSISTENT_COOKIE):
        data = sandbox.store.session("estsauth", request.cookies.get(name))
        if data:
            return directory.user(sandbox.store, data["upn"])
    return None


def _finish(sandbox: Sandbox, flow: dict[str, Any], upn: str) -> Response:
    """Leave the sign-in host: back to the caller with a code, or on to the admin-consent prompt."""
    if flow.get("kind") == "adminconsent":
        return RedirectResponse(flow["return_to"], status_code=302)
    code = directory.issue_code(sandbox.store, upn, flow["client_id"], flow["redirect_uri"], flow.get("nonce"))
    query = urlencode({"code": code, "state": flow.get("state", ""), "session_state": secrets.token_hex(8)})
    return RedirectResponse(f"{resolve_public(sandbox, flow['redirect_uri'])}?{query}", status_code=302)


def routes(sandbox: Sandbox) -> list[Route]:
    store = sandbox.store

    def start_flow(request: Request, flow: dict[str, Any]) -> Response:
        user = _signed_in_user(request, sandbox)
        if user is not None and request.query_params.get("prompt") != "login":
            return _finish(sandbox, flow, user["upn"])
        token = store.new_session(FLOW, flow)
        return HTMLResponse(ui.email_page(token, login_hint=request.query_params.get("login_hint", "")))

    async def authorize(request: Request) -> Response:
        q = request.query_params
        tenant = directory.tenant(store, request.path_params["tenant"])
        if tenant is None and request.path_params["tenant"] not in ("common", "organizations"):
            return HTMLResponse(ui.error_page(f"AADSTS90002: Tenant '{request.path_params['tenant']}' not found."),
                                status_code=400)
        problem = _client_ok(sandbox, q.get("client_id", ""), q.get("redirect_uri", ""))
        if problem:
            return HTMLResponse(ui.error_page(problem), status_code=400)
        return start_flow(request, {"kind": "authorize", "client_id": q.get("client_id"),
                                    "redirect_uri": q.get("redirect_uri"), "state": q.get("state", ""),
                                    "nonce": q.get("nonce")})

    async def login_post(request: Request) -> Response:
        form = await request.form()
        token = str(form.get("flowToken", ""))
        flow = _flow(sandbox, token)
        if flow is None:
            return HTMLResponse(ui.error_page("AADSTS90014: The sign-in session has expired. Start again."),
                                status_code=400)
        step = str(form.get("step", ""))
        if step == "email":
            upn = str(form.get("loginfmt", "")).strip()
            if directory.user(store, upn) is None:
                return HTMLResponse(ui.email_page(token, upn, error=ui.UNKNOWN_USER))
            store.update_session(FLOW, token, {**flow, "upn": upn})
            return HTMLResponse(ui.password_page(token, upn))
        upn = flow.get("upn", "")
        user = directory.user(store, upn)
        if user is None:
            return HTMLResponse(ui.email_page(token, "", error=ui.UNKNOWN_USER))
        if step == "password":
            if str(form.get("passwd", "")) != user["password"]:
                return HTMLResponse(ui.password_page(token, upn, error=ui.WRONG_PASSWORD))
            if user["totp_seed"]:
                store.update_session(FLOW, token, {**flow, "password_ok": True})
                return HTMLResponse(ui.totp_page(token, upn))
            store.update_session(FLOW, token, {**flow, "authenticated": True})
            return HTMLResponse(ui.kmsi_page(token))
        if step == "otc" and flow.get("password_ok"):
            if not pyotp.TOTP(user["totp_seed"]).verify(str(form.get("otc", "")), valid_window=1):
                return HTMLResponse(ui.totp_page(token, upn, error=ui.WRONG_CODE))
            store.update_session(FLOW, token, {**flow, "authenticated": True})
            return HTMLResponse(ui.kmsi_page(token))
        if step == "kmsi" and flow.get("authenticated"):
            store.drop_session(token)
            sid = store.new_session("estsauth", {"upn": upn})
            response = _finish(sandbox, flow, upn)
            response.set_cookie(SESSION_COOKIE, sid, secure=True, httponly=True, samesite="none")
            if form.get("kmsi") == "yes":
                response.set_cookie(PERSISTENT_COOKIE, sid, secure=True, httponly=True, samesite="none",
                                    max_age=90 * 86400)
            return response
        return HTMLResponse(ui.error_page("AADSTS90100: The sign-in request is invalid."), status_code=400)

    async def admin_consent(request: Request) -> Response:
        """`/common/adminconsent`: the prompt an administrator accepts for the whole organization."""
        q = request.query_params
        client_id, redirect_uri = q.get("client_id", ""), q.get("redirect_uri", "")
        problem = _client_ok(sandbox, client_id, redirect_uri)
        if problem:
            return HTMLResponse(ui.error_page(problem), status_code=400)
        user = _signed_in_user(request, sandbox)
        if user is None:
            return start_flow(request, {"kind": "adminconsent", "return_to": str(request.url)})
        app = directory.app_by_client_id(store, client_id, visible_only=True)
        assert app is not None  # _client_ok checked it
        perms = [p for p in directory.configured_permissions(store, app.object_id)
                 if p["resource_app_id"] == catalog.BC_RESOURCE_APP_ID]
        return HTMLResponse(ui.consent_page(app.display_name, user["upn"], perms, str(request.url)))

    async def admin_consent_post(request: Request) -> Response:
        form = await request.form()
        back = str(form.get("back", ""))
        params = dict(Request({"type": "http", "query_string": back.split("?", 1)[-1].encode(),
                               "headers": []}).query_params)
        client_id, redirect_uri, state = params.get("client_id", ""), params.get("redirect_uri", ""), params.get(
            "state", "")
        user = _signed_in_user(request, sandbox)
        problem = _client_ok(sandbox, client_id, redirect_uri)
        if user is None or problem:
            return HTMLResponse(ui.error_page(problem or "AADSTS50058: A silent sign-in request was sent but no "
                                              "user is signed in."), status_code=400)
        target = resolve_public(sandbox, redirect_uri)
        if form.get("accept") != "yes":
            query = urlencode({"error": "access_denied", "error_subcode": "cancel",
                               "error_description": "AADSTS65004: User declined to consent to access the app.",
                               "state": state})
            return RedirectResponse(f"{target}?{query}", status_code=302)
        if not user["is_admin"]:
            query = urlencode({"error": "access_denied",
                               "error_description": "AADSTS90094: The grant requires admin permission.",
                               "state": state})
            return RedirectResponse(f"{target}?{query}", status_code=302)
        app = directory.app_by_client_id(store, client_id, visible_only=True)
        assert app is not None
        directory.grant_admin_consent(store, app.object_id)
        query = urlencode({"admin_consent": "True", "tenant": user["tenant_id"], "state": state})
        return RedirectResponse(f"{target}?{query}", status_code=302)

    async def logout(request: Request) -> Response:
        response = HTMLResponse(ui.signed_out_page())
        for name in (SESSION_COOKIE, PERSISTENT_COOKIE):
            if request.cookies.get(name):
                store.drop_session(request.cookies[name])
            response.delete_cookie(name)
        return response

    return [
        Route("/{tenant}/oauth2/v2.0/authorize", authorize, methods=["GET"]),
        Route("/{tenant}/oauth2/authorize", authorize, methods=["GET"]),
        Route("/common/login", login_post, methods=["POST"]),
        Route("/common/adminconsent", admin_consent, methods=["GET"]),
        Route("/{tenant}/adminconsent", admin_consent, methods=["GET"]),
        Route("/common/adminconsent/decision", admin_consent_post, methods=["POST"]),
        Route("/common/oauth2/v2.0/logout", logout, methods=["GET"]),
    ]


