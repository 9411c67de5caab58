"""The second factor and the phone: TOTP codes, push approval and number matching ("Approve sign in request"),
passwordless phone sign-in, and "Verify your identity" to switch method (FIDELITY.md §h "Sign-in").

A phone request is a `sas` entry in the flow: {"method": push | number_match | passwordless, "number", "result":
pending | approved | denied}. The page asks `/common/SAS/EndAuth` until the result is in, then posts step `sas`.
The "phone" is the admin API (`signin_admin`), which calls `waiting_requests` and `answer`.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import pyotp
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox import directory
from sandbox.entra import signin_pages as ui
from sandbox.entra.signin_flow import FLOW, Step, after_authentication, flow_of, page, sandbox_of
from sandbox.entra.signin_variants import mfa_method
from sandbox.store import Store

PHONE_METHODS = ("push", "number_match")
NUMBERED = ("number_match", "passwordless")  # the page shows a number the person enters on the phone
MAX_CODE_LENGTH = 8


def second_factor(step: Step, user: dict[str, Any]) -> Response:
    """The password was right: the account's second factor, or on when it has none."""
    step.save(password_ok=True)
    method = mfa_method(step.sandbox, user)
    if method == "totp":
        return page(ui.totp_page(step.token, step.upn))
    if method in PHONE_METHODS:
        return start_phone_request(step, method)
    return after_authentication(step)


def start_phone_request(step: Step, method: str) -> Response:
    number = 10 + secrets.randbelow(90) if method in NUMBERED else None
    step.save(sas={"method": method, "number": number, "result": "pending"})
    return _phone_page(step)


def _phone_page(step: Step) -> Response:
    sas = step.flow["sas"]
    if sas["method"] == "passwordless":
        return page(ui.passwordless_page(step.token, step.upn, sas["number"]))
    return page(ui.approve_page(step.token, step.upn, sas["number"]))


def _code_ok(user: dict[str, Any], code: str) -> bool:
    seed = user.get("totp_seed")
    if not seed or not code.isdigit() or len(code) > MAX_CODE_LENGTH:
        return False
    return pyotp.TOTP(seed).verify(code, valid_window=1)


# --- steps (registered by signin_steps) ------------------------------------------------------------


def code_step(step: Step) -> Response | None:
    user = step.user()
    if user is None or not step.flow.get("password_ok"):
        return None
    if not _code_ok(user, step.field("otc").strip()):
        return page(ui.totp_page(step.token, step.upn, error=ui.WRONG_CODE))
    return after_authentication(step)


def phone_step(step: Step) -> Response | None:
    """The page heard back from the phone (or the person pressed on): go on, refuse, or keep waiting."""
    sas = step.flow.get("sas")
    if not sas or not (step.flow.get("password_ok") or sas["method"] == "passwordless"):
        return None
    if sas["result"] == "approved":
        step.save(sas=None)
        return after_authentication(step)
    if sas["result"] == "denied":
        step.save(sas=None)
        return page(ui.error_page(ui.PHONE_DENIED))
    return _phone_page(step)


def another_way_step(step: Step) -> Response | None:
    """"Sign in another way" / "I can't use my Microsoft Authenticator app right now": the account's methods."""
    user = step.user()
    if user is None or not step.flow.get("password_ok"):
        return None
    methods = [m for m, has in (("PhoneAppNotification", mfa_method(step.sandbox, user) in PHONE_METHODS),
                                ("PhoneAppOTP", bool(user.get("totp_seed")))) if has]
    step.save(sas=None)
    return page(ui.proofs_page(step.token, step.upn, methods))


def proof_step(step: Step) -> Response | None:
    user = step.user()
    if user is None or not step.flow.get("password_ok"):
        return None
    choice = step.field("choice")
    if choice == "PhoneAppOTP" and user.get("totp_seed"):
        return page(ui.totp_page(step.token, step.upn))
    method = mfa_method(step.sandbox, user)
    if choice == "PhoneAppNotification" and method in PHONE_METHODS:
        return start_phone_request(step, method)
    return None


STEPS = {"otc": code_step, "sas": phone_step, "another_way": another_way_step, "proof": proof_step}


# --- the page's question to the service, and the phone's answer ------------------------------------


async def end_auth(request: Request) -> Response:
    """`/common/SAS/EndAuth`: has the phone answered? ("AuthenticationPending" until it has.)"""
    form = await request.form()
    flow = flow_of(sandbox_of(request), str(form.get("flowToken", "")))
    sas = (flow or {}).get("sas")
    if not sas:
        return JSONResponse({"Success": False, "ResultValue": "InvalidSession"})
    result = {"approved": "Success", "denied": "PhoneAppDenied"}.get(sas["result"], "AuthenticationPending")
    return JSONResponse({"Success": result == "Success", "ResultValue": result})


def waiting_requests(store: Store, upn: str) -> list[tuple[str, dict[str, Any]]]:
    """(flowToken, flow) of the account's unanswered phone requests, newest first."""
    rows = store.all("SELECT token, data FROM pending_signins WHERE kind = ? AND expires_at > ? "
                     "ORDER BY expires_at DESC", FLOW, store.now())
    found = []
    for row in rows:
        flow = json.loads(row["data"])
        sas = flow.get("sas")
        if sas and sas["result"] == "pending" and str(flow.get("upn", "")).lower() == upn.lower():
            found.append((str(row["token"]), flow))
    return found


def answer(store: Store, upn: str, number: int | None, deny: bool) -> str:
    """The person answers the newest request on the phone: "approved" or "denied". KeyError when none waits;
    ValueError (after denying, as Authenticator does) when a number-matching request gets the wrong number."""
    waiting = waiting_requests(store, upn)
    if not waiting:
        raise KeyError(f"no sign-in of {upn} waits for the phone")
    token, flow = waiting[0]
    sas = flow["sas"]
    wrong_number = sas["method"] in NUMBERED and number != sas["number"]
    result = "denied" if deny or wrong_number else "approved"
    directory.update_pending(store, FLOW, token, {**flow, "sas": {**sas, "result": result}})
    if wrong_number and not deny:
        raise ValueError("the number does not match the one the sign-in page shows; the request was denied")
    return result


ROUTES = [Route("/common/SAS/EndAuth", end_auth, methods=["POST"])]
