"""The posted steps of a sign-in (`POST /common/login`, and `/kmsi` for "Stay signed in?"): one function per
step, chosen by the form's `step` in `STEPS`. A step returns the next page, or None when the flow is not at a
point where that step may come (then the request is invalid, AADSTS90100).

Smart lockout as Entra's: after `lockout_threshold` wrong passwords (default 10, Entra's default threshold) the
account is locked for `lockout_duration_s` (default 60 s, Entra's default duration; real Entra lengthens repeated
lockouts, the twin does not) on the sandbox clock, or until the admin API unlocks it.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox import directory
from sandbox.context import Sandbox
from sandbox.entra import signin_mfa
from sandbox.entra import signin_pages as ui
from sandbox.entra.signin_flow import (
    Step,
    after_authentication,
    complete,
    finish,
    flow_of,
    may_leave,
    page,
    sandbox_of,
    signed_in_user,
)
from sandbox.entra.signin_variants import variant

LOCKOUT_THRESHOLD = 10
LOCKOUT_DURATION_S = 60


def _positive_option(sandbox: Sandbox, name: str, default: int) -> int:
    """An option as a positive whole number; anything else (text, NaN, 0) means the default."""
    value = sandbox.option(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value < 10**9:
        return default
    return int(value)


def _first_factor(step: Step) -> Response:
    """The account is known: the password page, or the phone sign-in when passwordless is on."""
    if variant(step.sandbox, "signin_passwordless"):
        return signin_mfa.start_phone_request(step, "passwordless")
    return page(ui.password_page(step.token, step.upn))


def _account_known(step: Step, upn: str) -> Response:
    step.save(upn=upn, sas=None)
    if variant(step.sandbox, "signin_account_chooser"):
        step.save(chooser=True)
        return page(ui.chooser_page(step.token, upn))
    return _first_factor(step)


def email_step(step: Step) -> Response:
    upn = step.field("loginfmt").strip()
    if directory.user(step.sandbox.store, upn) is None:
        return page(ui.email_page(step.token, upn, error=ui.UNKNOWN_USER))
    return _account_known(step, upn)


def pick_step(step: Step) -> Response:
    """A tile of "Pick an account" (the account signed in here goes straight through), or "Use another account"."""
    upn = step.field("account").strip()
    if not upn:
        return page(ui.email_page(step.token))
    user = directory.user(step.sandbox.store, upn)
    if user is None:
        return page(ui.email_page(step.token, upn, error=ui.UNKNOWN_USER))
    current = signed_in_user(step.request, step.sandbox)
    if current is not None and current["upn"].lower() == upn.lower():
        directory.finish_pending(step.sandbox.store, step.token)
        return finish(step.sandbox, step.flow, current["upn"])
    step.save(upn=user["upn"], sas=None)
    return _first_factor(step)


def chooser_step(step: Step) -> Response | None:
    if not step.flow.get("chooser") or not step.upn:
        return None
    choice = step.field("choice")
    if choice == "aad":
        return _first_factor(step)
    if choice == "msa":  # the twin has no personal accounts: back to the e-mail page
        step.save(upn="", chooser=False)
        return page(ui.email_page(step.token, error=ui.UNKNOWN_USER))
    return None


def use_password_step(step: Step) -> Response | None:
    """"Use your password instead" on the passwordless page."""
    if not step.upn:
        return None
    step.save(sas=None)
    return page(ui.password_page(step.token, step.upn))


def password_step(step: Step) -> Response | None:
    user = step.user()
    if user is None:
        return None
    refused = _check_password(step, str(step.form.get("passwd", "")))
    return refused or signin_mfa.second_factor(step, user)


def _check_password(step: Step, password: str) -> Response | None:
    """None when the password is right and the account not locked; else the password page with the error."""
    store, upn = step.sandbox.store, step.upn
    if directory.locked_until(store, upn) is not None:
        return page(ui.password_page(step.token, upn, error=ui.LOCKED, detail=ui.LOCKED_DETAIL))
    user = directory.user(store, upn)
    if user is not None and password == user["password"]:
        directory.reset_lockout(store, upn)
        return None
    threshold = _positive_option(step.sandbox, "lockout_threshold", LOCKOUT_THRESHOLD)
    duration = _positive_option(step.sandbox, "lockout_duration_s", LOCKOUT_DURATION_S)
    if directory.record_wrong_password(store, upn, threshold, duration):
        return page(ui.password_page(step.token, upn, error=ui.LOCKED, detail=ui.LOCKED_DETAIL))
    return page(ui.password_page(step.token, upn, error=ui.WRONG_PASSWORD))


def proofup_step(step: Step) -> Response | None:
    """Next on "More information required": the security-info registration page."""
    if not step.flow.get("authenticated") or not step.flow.get("interrupt"):
        return None
    return page(ui.register_page(step.token, str(step.flow["interrupt"])))


def skip_setup_step(step: Step) -> Response | None:
    """"Skip setup" / "Ask later": on to "Stay signed in?" (or out)."""
    if not step.flow.get("authenticated") or step.flow.get("interrupt") not in ui.SKIP_CAPTIONS:
        return None
    step.save(interrupt_done=True)
    return after_authentication(step)


def kmsi_step(step: Step) -> Response | None:
    if not may_leave(step.flow) or step.user() is None:
        return None
    return complete(step, persistent=step.field("kmsi") == "yes")


STEPS: dict[str, Callable[[Step], Response | None]] = {
    "email": email_step, "pick": pick_step, "chooser": chooser_step, "use_password": use_password_step,
    "password": password_step, "proofup": proofup_step, "skip_setup": skip_setup_step, "kmsi": kmsi_step,
    **signin_mfa.STEPS,
}
# Every other step needs a known account: without one the flow starts over at the e-mail page.
ACCOUNTLESS_STEPS = frozenset({"email", "pick"})


async def login_post(request: Request) -> Response:
    sandbox = sandbox_of(request)
    form = await request.form()
    token = str(form.get("flowToken", ""))
    flow = flow_of(sandbox, token)
    if flow is None:
        return page(ui.error_page(ui.FLOW_EXPIRED), status=400)
    name = str(form.get("step", ""))
    step = Step(request, sandbox, form, token, flow)
    if name not in ACCOUNTLESS_STEPS and step.user() is None:
        return page(ui.email_page(token, "", error=ui.UNKNOWN_USER))
    handler = STEPS.get(name)
    response = handler(step) if handler else None
    return response or page(ui.error_page(ui.INVALID_REQUEST), status=400)


ROUTES = [Route("/common/login", login_post, methods=["POST"]), Route("/kmsi", login_post, methods=["POST"])]
