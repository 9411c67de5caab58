"""The "phone" of the sign-in twin, on the admin API: see and answer an account's "Approve sign in request"
(push, number matching, passwordless phone sign-in), as the person holding Microsoft Authenticator would.

`GET /admin/users/{upn}/sign-in-requests` lists the waiting requests (newest first) with the number the page shows;
`POST` answers the newest: `{"number": n}` approves (number matching and phone sign-in need the right number, a
wrong one denies), `{"deny": true}` denies. 404 when no request waits.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sandbox import directory
from sandbox.admin.registry import admin_route
from sandbox.admin.validation import boolean, checked, number, read_object
from sandbox.context import Sandbox
from sandbox.entra import signin_mfa

ANSWER_FIELDS = {"number": number(0, 99, whole=True), "deny": boolean}


def _known_user(sandbox: Sandbox, request: Request) -> str:
    upn = request.path_params["upn"]
    if directory.user(sandbox.store, upn) is None:
        raise KeyError(upn)
    return upn


@admin_route("GET", "/admin/users/{upn}/sign-in-requests")
async def sign_in_requests(sandbox: Sandbox, request: Request) -> Response:
    upn = _known_user(sandbox, request)
    waiting = signin_mfa.waiting_requests(sandbox.store, upn)
    return JSONResponse([{"method": flow["sas"]["method"], "number": flow["sas"]["number"]} for _, flow in waiting])


@admin_route("POST", "/admin/users/{upn}/sign-in-requests")
async def answer_sign_in_request(sandbox: Sandbox, request: Request) -> Response:
    upn = _known_user(sandbox, request)
    body = checked(await read_object(request), ANSWER_FIELDS)
    number_given = body.get("number")
    result = signin_mfa.answer(sandbox.store, upn, int(number_given) if number_given is not None else None,
                               deny=bool(body.get("deny", False)))
    return JSONResponse({"result": result})
