"""Grant Consent on page 9861 (FIDELITY.md §d): the client opens Microsoft's `/common/adminconsent` in a popup
with the redirect URI https://businesscentral.dynamics.com/OAuthLanding.htm (served here as `/OAuthLanding.htm`),
shows "Waiting for a response. Do not close this page." and polls the outcome the landing page recorded.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from sandbox import bc_data
from sandbox.bc_web import rules, views
from sandbox.bc_web.web import Body, User, Where, client_api, sandbox_of
from sandbox.provision import LANDING


def _key(state: str) -> str:
    return f"bc_consent:{state}"


@client_api
async def start(request: Request, where: Where, user: User, body: Body) -> Response:
    """The popup's URL and the `state` to poll, for the card's record."""
    sandbox = sandbox_of(request)
    app = bc_data.entra_app(sandbox.store, where.tenant_id, where.environment, str(body.get("client_id", "")))
    if app is None:
        return JSONResponse({"error": rules.NO_CLIENT_ID})
    state = secrets.token_urlsafe(12)
    sandbox.store.put(_key(state), {"tenant_id": where.tenant_id, "environment": where.environment,
                                    "client_id": app.client_id, "done": False})
    query = urlencode({"client_id": app.client_id, "redirect_uri": LANDING, "state": state})
    return JSONResponse({"state": state, "url": f"{sandbox.url('login')}/common/adminconsent?{query}",
                         "waiting": rules.CONSENT_WAITING})


async def result(request: Request) -> Response:
    """{done, ok, message} of one Grant Consent; an unknown state reads as a finished failure."""
    data = sandbox_of(request).store.get(_key(request.path_params["state"]))
    if data is None:
        return JSONResponse({"done": True, "ok": False, "message": rules.CONSENT_FAILED})
    return JSONResponse({k: data.get(k) for k in ("done", "ok", "message")})


async def landing(request: Request) -> Response:
    """`/OAuthLanding.htm?admin_consent=True&state=…` (or `error`, `error_description`): record the outcome once,
    set Permission Granted on success, and show the message."""
    store = sandbox_of(request).store
    q = request.query_params
    key = _key(q.get("state", ""))
    data = store.get(key)
    ok = q.get("admin_consent", "").lower() == "true" and not q.get("error")
    message = rules.CONSENT_OK if ok else (q.get("error_description") or rules.CONSENT_FAILED)
    if data is not None and not data.get("done"):
        if ok:
            rules.mark_consent(rules.Scope(store, data["tenant_id"], data["environment"], True), data["client_id"])
        store.put(key, {**data, "done": True, "ok": ok, "message": message})
    return HTMLResponse(views.landing_page(ok, message))


ROUTES = [
    Route("/OAuthLanding.htm", landing),
    Route("/_client/{tenant}/{environment}/api/consent", start, methods=["POST"]),
    Route("/_client/{tenant}/{environment}/api/consent/{state}", result),
]
