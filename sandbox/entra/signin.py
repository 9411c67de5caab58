"""The Microsoft sign-in pages: (Pick an account →) e-mail → (work/personal chooser →) password or phone sign-in →
second factor → ("More information required" →) "Stay signed in?" → back to the caller. The variants are sandbox
options (`signin_variants`); the steps are in `signin_steps`, the phone and codes in `signin_mfa`, admin consent
in `signin_consent`, the HTML in `templates/`.

Hooks as on login.microsoftonline.com (FIDELITY.md §a, §h): `input[name=loginfmt]#i0116`, `#idSIButton9`,
`input[name=passwd]#i0118` (plus the hidden off-screen duplicates), `input[name=otc]#idTxtBx_SAOTCC_OTC`,
`#idSubmit_SAOTCC_Continue`, KMSI `div#kmsiTitle` in `form#i0281` with Yes `#idSIButton9` / No `#idBtn_Back`. The
flow state travels in a hidden `flowToken`, as on the real page.

Like Entra: `redirect_uri` must equal a registered one exactly (AADSTS50011); unfinished sign-ins expire (so
anonymous GETs cannot grow the store); smart lockout (`signin_steps`).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox import directory
from sandbox.entra import signin_consent, signin_mfa, signin_steps
from sandbox.entra import signin_pages as ui
from sandbox.entra.signin_flow import (
    PERSISTENT_COOKIE,
    SESSION_COOKIE,
    client_problem,
    page,
    sandbox_of,
    start_flow,
)

MULTI_TENANT = ("common", "organizations")


async def authorize(request: Request) -> Response:
    """`/{tenant}/oauth2/(v2.0/)authorize`: check the tenant and the client, then the first sign-in page."""
    sandbox = sandbox_of(request)
    q = request.query_params
    key = request.path_params["tenant"]
    if directory.tenant(sandbox.store, key) is None and key not in MULTI_TENANT:
        return page(ui.error_page(f"AADSTS90002: Tenant '{key}' not found."), status=400)
    problem = client_problem(sandbox, q.get("client_id", ""), q.get("redirect_uri", ""))
    if problem:
        return page(ui.error_page(problem), status=400)
    return start_flow(request, {"kind": "authorize", "client_id": q.get("client_id"),
                                "redirect_uri": q.get("redirect_uri"), "state": q.get("state", ""),
                                "nonce": q.get("nonce")})


async def logout(request: Request) -> Response:
    store = sandbox_of(request).store
    response = page(ui.signed_out_page())
    for name in (SESSION_COOKIE, PERSISTENT_COOKIE):
        if request.cookies.get(name):
            store.drop_session(request.cookies[name])
        response.delete_cookie(name)
    return response


ROUTES = [
    Route("/{tenant}/oauth2/v2.0/authorize", authorize, methods=["GET"]),
    Route("/{tenant}/oauth2/authorize", authorize, methods=["GET"]),
    *signin_steps.ROUTES,
    *signin_consent.ROUTES,
    *signin_mfa.ROUTES,
    Route("/common/oauth2/v2.0/logout", logout, methods=["GET"]),
]
