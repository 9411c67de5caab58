"""The sign-in pages' real-world variants (FIDELITY.md §h "Sign-in"), each a sandbox option (POST /admin/options).

| Option | Values (default first) | What the sign-in twin shows |
|---|---|---|
| `signin_account_picker` | `false`, `true`, `["<upn>", …]` (≤ 10) | "Pick an account" first (1) |
| `signin_account_chooser` | `false`, `true` | "Work or school account" / "Personal account" after the e-mail (2) |
| `signin_passwordless` | `false`, `true` | "Approve sign in request" with "Use your password instead" (3) |
| `mfa_method` | `{}`, `{"<upn>": "none"/"totp"/"push"/"number_match"}` (≤ 50) | second factor per account (4) |
| `signin_interrupt` | `"off"`, `"skip_setup"`, `"ask_later"`, `"required"` | "More information required" (5) |
| `signin_kmsi` | `true`, `false` | "Stay signed in?" (6); `false`: the tenant hides it |
| `signin_variants` | `"default"`, `"hostile"` | `hostile`: every variant above on (7) |

(1) `#tilesHolder` with one `div.table[role=button][data-test-id=<upn>]` tile per directory account (`true`) or per
    listed account, and `#otherTile` "Use another account" (→ the e-mail page). The tile of an account signed in
    in this browser finishes at once; any other tile asks for that account's password.
(2) "It looks like this email is used with more than one account from Microsoft", `#aadTile` / `#msaTile`.
(3) Authenticator phone sign-in: a number in `#idRemoteNGC_DisplaySign`, the link `#idA_PWD_SwitchToPassword`.
(4) An account not listed uses its seed: TOTP for the MFA user, none for the others ("totp" for an account without
    a seed accepts no code). `totp`: "Enter code" (`#idDiv_SAOTCC_Title`, `input[name=otc]`,
    `#idSubmit_SAOTCC_Continue`). `push` / `number_match`: "Approve sign in request" (`#idDiv_SAOTCAS_Title`, the
    number in `#idRichContext_DisplaySign`), answered by the "phone": the admin API's
    `GET`/`POST /admin/users/{upn}/sign-in-requests` (`{"number": n}` approves, `{"deny": true}` denies).
    `#signInAnotherWay` → "Verify your identity" offers "Use a verification code" (`[data-value=PhoneAppOTP]`) when
    the account has a TOTP seed.
(5) `#idSubmit_ProofUp_Redirect` Next → "Keep your account secure" with a "Skip setup" or "Ask later" button, or
    none (`required`: the sign-in cannot finish).
(6) `div#kmsiTitle`, `form#i0281` posting to `/kmsi`, `#KmsiCheckboxField`, Yes `#idSIButton9`, No `#idBtn_Back`.
(7) A picker whose only tile (besides the account signed in here) is a remembered account no longer in the
    directory, so the e-mail page and the chooser come too; passwordless; the interrupt with "Skip setup"; KMSI.
    An option set explicitly still wins, and `mfa_method` stays per account.

A stored value the twin cannot use (set around the admin API's checks) means the default, so a sign-in never fails
on the twin's own configuration.
"""

from __future__ import annotations

from typing import Any

from sandbox.admin.validation import Check, boolean, one_of
from sandbox.context import Sandbox

MFA_METHODS = ("none", "totp", "push", "number_match")
INTERRUPTS = ("off", "skip_setup", "ask_later", "required")
MAX_PICKER_ACCOUNTS = 10
MAX_MFA_ACCOUNTS = 50
UPN_MAX_LENGTH = 113  # the e-mail box's maxlength on the real page


def _picker_accounts(value: Any) -> str | None:
    expected = f"true, false or a list of at most {MAX_PICKER_ACCOUNTS} account names (user principal names)"
    if isinstance(value, bool):
        return None
    if isinstance(value, list) and len(value) <= MAX_PICKER_ACCOUNTS and all(_is_upn(v) for v in value):
        return None
    return expected


def _mfa_methods(value: Any) -> str | None:
    shown = "/".join(f'"{m}"' for m in MFA_METHODS)
    expected = f'an object {{"<user principal name>": {shown}}} of at most {MAX_MFA_ACCOUNTS} entries'
    if not isinstance(value, dict) or len(value) > MAX_MFA_ACCOUNTS:
        return expected
    ok = all(_is_upn(upn) and isinstance(method, str) and method in MFA_METHODS for upn, method in value.items())
    return None if ok else expected


def _is_upn(value: Any) -> bool:
    return isinstance(value, str) and len(value.strip()) > 0 and len(value) <= UPN_MAX_LENGTH


# The admin API validates these (sandbox.admin.options); the twin reads them through the same checks.
OPTION_CHECKS: dict[str, Check] = {
    "signin_account_picker": _picker_accounts,
    "signin_account_chooser": boolean,
    "signin_passwordless": boolean,
    "signin_interrupt": one_of(*INTERRUPTS),
    "signin_kmsi": boolean,
    "mfa_method": _mfa_methods,
    "signin_variants": one_of("default", "hostile"),
}
DEFAULTS: dict[str, Any] = {"signin_account_picker": False, "signin_account_chooser": False,
                            "signin_passwordless": False, "signin_interrupt": "off", "signin_kmsi": True}
# Hostile picker: a browser that remembers someone who has left (a tile that is no use to anyone signing in now).
REMEMBERED_STRANGER = "former.employee@{tenant_domain}"
HOSTILE_PICKER = [REMEMBERED_STRANGER]
HOSTILE: dict[str, Any] = {"signin_account_picker": HOSTILE_PICKER, "signin_account_chooser": True,
                           "signin_passwordless": True, "signin_interrupt": "skip_setup", "signin_kmsi": True}


def _usable(sandbox: Sandbox, name: str) -> Any:
    """The stored value of an option when the twin can use it, else None."""
    value = sandbox.option(name)
    return value if value is not None and OPTION_CHECKS[name](value) is None else None


def variant(sandbox: Sandbox, name: str) -> Any:
    """One variant option as the twin applies it: set explicitly, else from `signin_variants`, else the default."""
    value = _usable(sandbox, name)
    if value is not None:
        return value
    return (HOSTILE if _usable(sandbox, "signin_variants") == "hostile" else DEFAULTS)[name]


def picker_upns(sandbox: Sandbox) -> list[str] | None:
    """The accounts "Pick an account" shows (None: no picker): every directory account, or the listed ones."""
    value = variant(sandbox, "signin_account_picker")
    if value is False:
        return None
    if value is HOSTILE_PICKER:
        return [REMEMBERED_STRANGER.format(tenant_domain=sandbox.seed["tenant_domain"])]
    if value is True:
        rows = sandbox.store.all("SELECT upn FROM users ORDER BY upn LIMIT ?", MAX_PICKER_ACCOUNTS)
        return [str(row["upn"]) for row in rows]
    return [str(upn) for upn in value]


def mfa_method(sandbox: Sandbox, user: dict[str, Any]) -> str:
    """The account's second factor: `mfa_method[upn]` (any letter case), else TOTP when it has a seed."""
    configured = _usable(sandbox, "mfa_method") or {}
    wanted = {str(upn).lower(): method for upn, method in configured.items()}.get(str(user["upn"]).lower())
    if wanted is not None:
        return str(wanted)
    return "totp" if user.get("totp_seed") else "none"
