"""HTML of the sign-in pages, shaped like login.microsoftonline.com's (ids, names, labels, texts), rendered from
`templates/` (Jinja2, autoescaped: a login hint or an app name is never markup)."""

from __future__ import annotations

from typing import Any

from sandbox.templating import render

UNKNOWN_USER = ("This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.")
WRONG_PASSWORD = ("Your account or password is incorrect. If you don't remember your password, reset it now.")
WRONG_CODE = "You didn't enter the expected verification code. Please try again."
# Smart lockout. The inline text is what the real page shows for a locked account (many public reports); the
# AADSTS50053 line is the STS description seen in real captures (msal-python issue #211, azure-docs issue #49494).
# Where the real page places that code (inline or in its troubleshooting details) is not public: the twin shows it
# as a troubleshooting detail under the inline text.
LOCKED = ("Your account is temporarily locked to prevent unauthorized use. Try again later, and if you still have "
          "trouble, contact your admin.")
LOCKED_DETAIL = ("AADSTS50053: The account is locked, you've tried to sign in too many times with an incorrect user "
                 "ID or password.")
# The reference's description of AADSTS50089; the page's exact wording for an expired flow is not public.
FLOW_EXPIRED = "AADSTS50089: Authentication failed due to flow token expired."
INVALID_REQUEST = "AADSTS90100: The sign-in request is invalid."
# A denied phone approval (wrong number, or "Deny"): the reference's description of AADSTS500121.
PHONE_DENIED = "AADSTS500121: Authentication failed during strong authentication request."
TITLE = "Sign in to your account"
# "Verify your identity": the data-value of each method and its caption.
PROOF_CAPTIONS = {"PhoneAppNotification": "Approve a request on my Microsoft Authenticator app",
                  "PhoneAppOTP": "Use a verification code"}
SKIP_CAPTIONS = {"skip_setup": "Skip setup", "ask_later": "Ask later"}


def _page(template: str, title: str = TITLE, **context: Any) -> str:
    return render(__package__, template, title=title, **context)


def email_page(token: str, login_hint: str = "", error: str | None = None) -> str:
    return _page("email.html", token=token, login_hint=login_hint, error=error)


def password_page(token: str, upn: str, error: str | None = None, detail: str | None = None) -> str:
    return _page("password.html", token=token, upn=upn, error=error, detail=detail)


def totp_page(token: str, upn: str, error: str | None = None) -> str:
    return _page("totp.html", token=token, upn=upn, error=error)


def kmsi_page(token: str) -> str:
    return _page("kmsi.html", token=token)


def picker_page(token: str, tiles: list[dict[str, Any]]) -> str:
    """`tiles`: {"upn", "name", "signed_in"} per account."""
    return _page("picker.html", token=token, tiles=tiles)


def chooser_page(token: str, upn: str) -> str:
    return _page("chooser.html", token=token, upn=upn)


def passwordless_page(token: str, upn: str, number: int) -> str:
    return _page("passwordless.html", token=token, upn=upn, number=number)


def approve_page(token: str, upn: str, number: int | None) -> str:
    """Push approval (no number) or number matching."""
    return _page("approve.html", token=token, upn=upn, number=number)


def proofs_page(token: str, upn: str, methods: list[str]) -> str:
    return _page("proofs.html", token=token, upn=upn, methods=[(m, PROOF_CAPTIONS[m]) for m in methods])


def proofup_page(token: str, upn: str) -> str:
    return _page("proofup.html", token=token, upn=upn)


def register_page(token: str, interrupt: str) -> str:
    return _page("register.html", title="Keep your account secure", token=token,
                 skip=SKIP_CAPTIONS.get(interrupt))


def consent_page(app_name: str, upn: str, permissions: list[dict[str, Any]], back: str) -> str:
    return _page("consent.html", title="Permissions requested", app_name=app_name, upn=upn,
                 permissions=permissions, back=back)


def redirect_mismatch(redirect_uri: str, client_id: str) -> str:
    """Entra's wording in real captures (e.g. unoplatform/uno.todo issue #180, microsoft/CSS-Exchange issue #1550)."""
    return (f"AADSTS50011: The redirect URI '{redirect_uri}' specified in the request does not match the redirect "
            f"URIs configured for the application '{client_id}'. Make sure the redirect URI sent in the request "
            "matches one added to your application in the Azure portal. Navigate to "
            "https://aka.ms/redirectUriMismatchError to learn more about how to fix this.")


def error_page(message: str) -> str:
    return _page("error.html", message=message)


def signed_out_page() -> str:
    return _page("signed_out.html", title="Sign out")
