"""HTML of the sign-in pages, shaped like login.microsoftonline.com's (ids, names, labels, texts)."""

from __future__ import annotations

from html import escape
from typing import Any

UNKNOWN_USER = ("This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.")
WRONG_PASSWORD = ("Your account or password is incorrect. If you don't remember your password, reset it now.")
WRONG_CODE = "You didn't enter the expected verification code. Please try again."

STYLE = """
body{margin:0;font-family:"Segoe UI","Helvetica Neue",Arial,sans-serif;
background:#f2f2f2 linear-gradient(135deg,#e3ecf7,#f7f1e8);
min-height:100vh;display:flex;align-items:center;justify-content:center;color:#1b1b1b}
.card{background:#fff;width:440px;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2);box-sizing:border-box}
.logo{display:grid;grid-template-columns:10px 10px;gap:1px;width:21px;margin-bottom:4px;float:left;margin-right:8px}
.logo span{width:10px;height:10px}.brand{font-size:15px;color:#5e5e5e;font-weight:600;line-height:21px}
h1{font-size:24px;font-weight:600;margin:16px 0 12px}
input[type=email],input[type=password],input[type=text],input[type=tel]{
width:100%;border:none;border-bottom:1px solid #666;
padding:6px 0;font-size:15px;outline:none;margin-bottom:16px}
.moveOffScreen{position:fixed;left:-10000px;top:-10000px}
.error{color:#e81123;font-size:15px;margin:8px 0}.row{display:flex;justify-content:flex-end;gap:8px;margin-top:24px}
input[type=submit]{min-width:108px;height:32px;border:none;font-size:15px;cursor:pointer}
.primary{background:#0067b8;color:#fff}.secondary{background:#ccc;color:#000}
.identity{font-size:15px;margin-bottom:8px}.small{font-size:13px;color:#666}
a{color:#0067b8;text-decoration:none;font-size:13px}
ul.perm{padding-left:20px;font-size:14px}
"""
LOGO = ('<div class="logo" aria-hidden="true"><span style="background:#f25022"></span><span style="background:#7fba00">'
        '</span><span style="background:#00a4ef"></span><span style="background:#ffb900"></span></div>'
        '<div class="brand">Microsoft</div>')


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<style>{STYLE}</style></head><body><main class="card" id="lightbox">{LOGO}{body}</main></body></html>')


def _form(token: str, step: str, inner: str) -> str:
    return (f'<form method="post" action="/common/login" name="f1" novalidate>'
            f'<input type="hidden" name="flowToken" value="{escape(token)}">'
            f'<input type="hidden" name="step" value="{step}">{inner}</form>')


def _error(error: str | None, element_id: str) -> str:
    return f'<div id="{element_id}" class="error" role="alert">{escape(error)}</div>' if error else ""


def email_page(token: str, login_hint: str = "", error: str | None = None) -> str:
    inner = (f'<h1 id="loginHeader" role="heading" aria-level="1">Sign in</h1>{_error(error, "usernameError")}'
             f'<input type="email" name="loginfmt" id="i0116" maxlength="113" autocomplete="username" '
             f'aria-label="Enter your email, phone, or Skype." placeholder="Email, phone, or Skype" '
             f'aria-required="true" value="{escape(login_hint)}" autofocus>'
             '<div><a href="#" id="cantAccessAccount">Can\'t access your account?</a></div>'
             '<div class="row"><input type="submit" id="idSIButton9" class="primary" value="Next"></div>')
    return _page("Sign in to your account", _form(token, "email", inner))


def password_page(token: str, upn: str, error: str | None = None) -> str:
    inner = (f'<div class="identity" id="displayName" title="{escape(upn)}">{escape(upn)}</div>'
             f'<h1 id="loginHeader" role="heading" aria-level="1">Enter password</h1>{_error(error, "passwordError")}'
             '<input type="password" name="passwd" class="moveOffScreen" tabindex="-1" aria-hidden="true" '
             'autocomplete="off">'
             f'<input type="password" name="passwd" id="i0118" autocomplete="current-password" '
             f'aria-label="Enter the password for {escape(upn)}" placeholder="Password" aria-required="true" autofocus>'
             '<div><a href="#" id="idA_PWD_ForgotPassword">Forgot my password</a></div>'
             '<div class="row"><input type="submit" id="idSIButton9" class="primary" value="Sign in"></div>')
    return _page("Sign in to your account", _form(token, "password", inner))


def totp_page(token: str, upn: str, error: str | None = None) -> str:
    inner = (f'<div class="identity">{escape(upn)}</div>'
             '<h1 id="idDiv_SAOTCC_Title" role="heading" aria-level="1">Enter code</h1>'
             '<p id="idDiv_SAOTCC_Description">Enter the code displayed in the authenticator app on your mobile '
             f'device</p>{_error(error, "idSpan_SAOTCC_Error_OTC")}'
             '<input type="tel" name="otc" id="idTxtBx_SAOTCC_OTC" maxlength="8" autocomplete="one-time-code" '
             'aria-label="Code" placeholder="Code" autofocus>'
             '<div><a href="#" id="signInAnotherWay">Sign in another way</a></div>'
             '<div class="row"><input type="submit" id="idSubmit_SAOTCC_Continue" class="primary" value="Verify">'
             '</div>')
    return _page("Sign in to your account", _form(token, "otc", inner))


def kmsi_page(token: str) -> str:
    inner = ('<h1 id="kmsiTitle" role="heading" aria-level="1">Stay signed in?</h1>'
             '<p id="KmsiDescription">Do this to reduce the number of times you are asked to sign in.</p>'
             '<label><input type="checkbox" id="KmsiCheckboxField" name="DontShowAgain"> Don\'t show this again'
             '</label>'
             '<div class="row"><input type="submit" id="idBtn_Back" class="secondary" value="No" '
             'onclick="this.form.elements.kmsi.value=\'no\'">'
             '<input type="submit" id="idSIButton9" class="primary" value="Yes" '
             'onclick="this.form.elements.kmsi.value=\'yes\'"></div><input type="hidden" name="kmsi" value="yes">')
    return _page("Sign in to your account", _form(token, "kmsi", inner))


def consent_page(app_name: str, upn: str, permissions: list[dict[str, Any]], back: str) -> str:
    items = "".join(f"<li>{escape(p['description'])} ({escape(p['value'])})</li>" for p in permissions)
    body = (f'<div class="identity">{escape(upn)}</div>'
            '<h1 role="heading" aria-level="1">Permissions requested</h1>'
            f'<p><strong>{escape(app_name)}</strong><br><span class="small">unverified</span></p>'
            f'<p>This app would like to:</p><ul class="perm">{items or "<li>Sign in and read user profile</li>"}</ul>'
            '<p class="small">If you accept, this app will get access to the specified resources for all users in '
            'your organization. No one else will be prompted to review these permissions.</p>'
            '<form method="post" action="/common/adminconsent/decision">'
            f'<input type="hidden" name="back" value="{escape(back)}">'
            '<div class="row"><input type="submit" id="idBtn_Back" class="secondary" value="Cancel" '
            'onclick="this.form.elements.accept.value=\'no\'">'
            '<input type="submit" id="idSIButton9" class="primary" value="Accept" '
            'onclick="this.form.elements.accept.value=\'yes\'"></div>'
            '<input type="hidden" name="accept" value="yes"></form>')
    return _page("Permissions requested", body)


def redirect_mismatch(redirect_uri: str, client_id: str) -> str:
    return (f"AADSTS50011: The redirect URI '{redirect_uri}' specified in the request does not match the redirect "
            f"URIs configured for the application '{client_id}'. Make sure the redirect URI sent in the request "
            "matches one added to your application in the Azure portal.")


def error_page(message: str) -> str:
    body = ('<h1 role="heading" aria-level="1">Sign in</h1><p>Sorry, but we\'re having trouble signing you in.</p>'
            f'<div id="idTD_Error" class="error" role="alert">{escape(message)}</div>')
    return _page("Sign in to your account", body)


def signed_out_page() -> str:
    return _page("Sign out", '<h1 role="heading" aria-level="1">You signed out of your account</h1>')
