"""`/common/adminconsent`, which Business Central's Grant Consent opens: sign in if needed, then the prompt an
administrator accepts for the whole organization, then back to the app's redirect URI with the outcome."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sandbox import catalog, directory
from sandbox.context import resolve_public
from sandbox.entra import signin_pages as ui
from sandbox.entra.signin_flow import client_problem, page, sandbox_of, signed_in_user, start_flow
from sandbox.entra.signin_variants import picker_upns

NO_USER = "AADSTS50058: A silent sign-in request was sent but no user is signed in."


async def admin_consent(request: Request) -> Response:
    """The prompt, after a sign-in when this browser has none."""
    sandbox = sandbox_of(request)
    q = request.query_params
    client_id, redirect_uri = q.get("client_id", ""), q.get("redirect_uri", "")
    problem = client_problem(sandbox, client_id, redirect_uri)
    if problem:
        return page(ui.error_page(problem), status=400)
    user = signed_in_user(request, sandbox)
    # With the account picker on, the prompt starts with "Pick an account" even when signed in (BCApps
    # OAuth2ControlAddIn: "pick the account you want to use"); the way back is marked so it shows once.
    picker = picker_upns(sandbox) is not None and q.get("sso_reload") != "true"
    if user is None or picker:
        return start_flow(request, {"kind": "adminconsent",
                                    "return_to": str(request.url.include_query_params(sso_reload="true"))})
    app = directory.app_by_client_id(sandbox.store, client_id, visible_only=True)
    assert app is not None  # client_problem checked it
    perms = [p for p in directory.configured_permissions(sandbox.store, app.object_id)
             if p["resource_app_id"] == catalog.BC_RESOURCE_APP_ID]
    return page(ui.consent_page(app.display_name, user["upn"], perms, str(request.url)))


def _redirect(target: str, **query: str) -> Response:
    return RedirectResponse(f"{target}?{urlencode(query)}", status_code=302)


async def admin_consent_decision(request: Request) -> Response:
    """Accept or Cancel: consent granted (administrators only), or the app hears why not."""
    sandbox = sandbox_of(request)
    form = await request.form()
    back = str(form.get("back", ""))
    params = dict(parse_qsl(back.split("?", 1)[-1], keep_blank_values=True))
    client_id, redirect_uri, state = (params.get(k, "") for k in ("client_id", "redirect_uri", "state"))
    user = signed_in_user(request, sandbox)
    problem = client_problem(sandbox, client_id, redirect_uri)
    if user is None or problem:
        return page(ui.error_page(problem or NO_USER), status=400)
    target = resolve_public(sandbox, redirect_uri)
    if form.get("accept") != "yes":
        return _redirect(target, error="access_denied", error_subcode="cancel",
                         error_description="AADSTS65004: User declined to consent to access the app.", state=state)
    if not user["is_admin"]:
        return _redirect(target, error="access_denied",
                         error_description="AADSTS90094: The grant requires admin permission.", state=state)
    app = directory.app_by_client_id(sandbox.store, client_id, visible_only=True)
    assert app is not None
    directory.grant_admin_consent(sandbox.store, app.object_id)
    return _redirect(target, admin_consent="True", tenant=user["tenant_id"], state=state)


ROUTES = [
    Route("/common/adminconsent", admin_consent, methods=["GET"]),
    Route("/{tenant}/adminconsent", admin_consent, methods=["GET"]),
    Route("/common/adminconsent/decision", admin_consent_decision, methods=["POST"]),
]
