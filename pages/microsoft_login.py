"""Microsoft sign-in (login.microsoftonline.com) with every interstitial the real service shows (FIDELITY.md §a,
§h "Sign-in"): "Pick an account", the work/personal chooser, passwordless phone sign-in ("Use your password
instead"), password, TOTP code, push / number matching, "More information required", "Stay signed in?".

`sign_in` answers whichever prompt shows next, each at most once, until the browser leaves the sign-in host, so
any order or combination works. Locators are the real page's own hooks: `name`/`type` first, long-lived ids as
fallback, `data-test-id` on the account tiles, accessible names. Secrets are typed with tracing paused.

Push and number matching need the person holding the phone: with `headed=True` the sign-in says so (console line
and a banner on the page) and waits up to `timeout_s` (UI_TIMEOUT_S); headless it fails at once in one
line naming the account's method and the fix. With a TOTP seed it switches to a code ("Sign in another way").
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from urllib.parse import urlparse

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from harness.evidence import secret_on_screen
from harness.secrets import Secret

DEFAULT_TIMEOUT_S = 30.0  # flows pass UI_TIMEOUT_S
# Each wait is on a condition; between waits the loop re-checks the URL, since leaving the sign-in host (after the
# last prompt) shows no prompt at all: short waits first, so a finished sign-in costs ~50 ms, not a whole wait.
PROMPT_WAITS_MS = (50, 100, 200, 400, 500)
SKIP_REGISTRATION = re.compile(r"^\s*(Skip setup|Ask later|Skip for now\b.*)\s*$", re.I)
REGISTRATION_TITLE = re.compile(r"keep your account secure", re.I)
STATE_FIX = ("or save a signed-in browser state once with `bcoauth login azure --save-state FILE` and set "
             "AZURE_STORAGE_STATE=FILE")
# A banner a person cannot miss on the sign-in page; it never takes clicks.
BANNER_JS = """text => {
  let box = document.getElementById("bcoauth-waiting");
  if (!box) {
    box = document.createElement("div");
    box.id = "bcoauth-waiting";
    box.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:2147483647;padding:10px 16px;" +
      "background:#fff4ce;color:#000;font:600 15px 'Segoe UI',Arial,sans-serif;pointer-events:none";
    document.body.appendChild(box);
  }
  box.textContent = text;
}"""


class SignInError(Exception):
    """The sign-in cannot go on: the page's own error text, or one line naming what to set."""


@dataclass(frozen=True)
class _Answers:
    user: str
    password: Secret
    totp: Callable[[], str] | None
    stay_signed_in: bool


def _host(url: str) -> str:
    return urlparse(url).netloc


@dataclass
class MicrosoftLogin:
    page: Page
    headed: bool = False  # a person watches this browser and can answer the phone
    timeout_s: float = DEFAULT_TIMEOUT_S  # UI_TIMEOUT_S: for the next prompt, and for the person when headed
    prompts_seen: list[str] = field(default_factory=list, init=False)  # the last sign-in's prompts, in order

    def __post_init__(self) -> None:
        p = self.page

        def shown(selector: str) -> Locator:
            return p.locator(selector).filter(visible=True)

        self.email = shown('input[name="loginfmt"]:not(.moveOffScreen), #i0116').first
        self.password = shown('input[name="passwd"]:not(.moveOffScreen), #i0118').first
        self.code = shown('input[name="otc"], #idTxtBx_SAOTCC_OTC').first
        self.submit = p.locator("#idSIButton9")
        self.verify = p.locator("#idSubmit_SAOTCC_Continue")
        self.stay_signed_in_no = p.locator("#idBtn_Back")
        self.stay_signed_in_title = shown("#kmsiTitle").or_(p.get_by_role("heading", name="Stay signed in?")).first
        self.errors = shown("#usernameError, #passwordError, #idSpan_SAOTCC_Error_OTC, #idTD_Error")
        self.account_tiles = shown("#tilesHolder").first
        self.other_account = p.locator("#otherTile")
        self.work_account = shown("#aadTile").first
        self.use_password_instead = shown("#idA_PWD_SwitchToPassword").first
        self.phone_title = shown("#idDiv_SAOTCAS_Title").first
        self.phone_number = p.locator("#idRichContext_DisplaySign")
        self.another_way = shown("#signInAnotherWay").first
        self.proofs_title = shown("#idDiv_SAOTCS_Title").first
        self.code_option = shown('[data-value="PhoneAppOTP"]').first
        self.proof_up_next = shown("#idSubmit_ProofUp_Redirect").first
        self.skip_registration = p.get_by_role("button", name=SKIP_REGISTRATION).or_(
            p.get_by_role("link", name=SKIP_REGISTRATION)).filter(visible=True).first
        self.registration_title = p.get_by_role("heading", name=REGISTRATION_TITLE).filter(visible=True).first
        # Each prompt, in the order it is recognised, with what answers it.
        self._prompts: dict[str, tuple[Locator, Callable[[_Answers], None]]] = {
            "pick an account": (self.account_tiles, self._pick_account),
            "e-mail": (self.email, self._enter_email),
            "work or school account": (self.work_account, lambda _: self.work_account.click()),
            "phone sign-in": (self.use_password_instead, lambda _: self.use_password_instead.click()),
            "password": (self.password, self._enter_password),
            "approve sign-in": (self.phone_title, self._approve_on_phone),
            "verify your identity": (self.proofs_title, self._choose_code),
            "verification code": (self.code, self._enter_code),
            "more information required": (self.proof_up_next, self._skip_registration),
            "stay signed in": (self.stay_signed_in_title, self._answer_stay_signed_in),
        }
        # Any sign-in page showing (one element, strict-safe): for callers waiting for "the app, or a sign-in".
        self.any_prompt = reduce(Locator.or_, (locator for locator, _ in self._prompts.values())).first
        self._login_host = ""

    def sign_in(self, user: str, password: Secret, totp: Callable[[], str] | None = None,
                stay_signed_in: bool = False) -> None:
        """Answer every prompt until the browser leaves the sign-in pages; raise SignInError on refusal."""
        answers = _Answers(user, password, totp, stay_signed_in)
        self._login_host = _host(self.page.url)
        self.prompts_seen = []
        while (prompt := self._next_prompt()) is not None:
            self.prompts_seen.append(prompt)
            self._prompts[prompt][1](answers)

    # --- waiting -----------------------------------------------------------------------------------------

    def _next_prompt(self) -> str | None:
        """The next prompt not answered yet, or None once the browser has left the sign-in host (no prompt at
        all). An error shown instead raises SignInError with its text."""
        pending = {name: locator for name, (locator, _) in self._prompts.items() if name not in self.prompts_seen}
        awaited = reduce(Locator.or_, pending.values(), self.errors).first
        deadline = time.monotonic() + self.timeout_s
        waits = iter(PROMPT_WAITS_MS)
        while _host(self.page.url) == self._login_host:
            try:
                awaited.wait_for(timeout=next(waits, PROMPT_WAITS_MS[-1]))
            except PlaywrightTimeoutError:
                if time.monotonic() > deadline:
                    raise SignInError("the sign-in page showed no next prompt and did not redirect") from None
                continue
            self._raise_if_error_shown()
            for name in self._likeliest_first(pending):
                if pending[name].is_visible():
                    return name
        return None

    def _likeliest_first(self, pending: dict[str, Locator]) -> list[str]:
        """The prompts in the order the service shows them, starting after the last one answered: one page shows
        one prompt, so this finds it with the fewest round trips (e-mail → password → stay signed in)."""
        order = list(self._prompts)
        last = order.index(self.prompts_seen[-1]) if self.prompts_seen else -1
        return sorted(pending, key=lambda name: (order.index(name) - last - 1) % len(order))

    def _raise_if_error_shown(self) -> None:
        if self.errors.first.is_visible():
            raise SignInError(self.errors.first.inner_text().strip())

    def _wait_for_person(self, gone: Locator, message: str) -> None:
        """Headed: say what the person must do (console and page) and wait until `gone` goes away."""
        line = f"{message} (waiting up to {self.timeout_s:g} s)"
        print(f"[sign-in] {line}", file=sys.stderr, flush=True)
        self.page.evaluate(BANNER_JS, line)
        try:
            gone.wait_for(state="hidden", timeout=self.timeout_s * 1000)
        except PlaywrightTimeoutError:
            raise SignInError(f"nobody answered within {self.timeout_s:g} s: {message}") from None

    # --- answers -----------------------------------------------------------------------------------------

    def _pick_account(self, answers: _Answers) -> None:
        """The account's tile when the picker has one, else "Use another account"."""
        tile = self.page.locator(f"#tilesHolder div.table[role=button][data-test-id={json.dumps(answers.user)} i]")
        (tile.first if tile.count() else self.other_account).click()

    def _enter_email(self, answers: _Answers) -> None:
        self.email.fill(answers.user)
        self.submit.click()

    def _enter_password(self, answers: _Answers) -> None:
        with secret_on_screen(self.page):
            self.password.fill(answers.password.reveal())
            self.submit.click()
            self._next_prompt()  # the password stays out of the trace until the page has moved on

    def _approve_on_phone(self, answers: _Answers) -> None:
        """Push / number matching: a TOTP code instead when there is a seed, else the person, else fail."""
        number = self.phone_number.inner_text().strip() if self.phone_number.is_visible() else ""
        method = "number matching" if number else "push approval"
        if answers.totp is not None and self.another_way.is_visible():
            self.another_way.click()  # "I can't use my Microsoft Authenticator app right now" → a code
            return
        if not self.headed:
            raise SignInError(f"{answers.user} signs in with {method} in Microsoft Authenticator, which a headless "
                              "run cannot answer: set AZURE_ADMIN_TOTP_SEED to the account's authenticator seed, "
                              f"{STATE_FIX}")
        enter = f": enter {number}" if number else ""
        self._wait_for_person(self.phone_title, f"approve the sign-in of {answers.user} in Microsoft "
                                                f"Authenticator{enter}")

    def _choose_code(self, answers: _Answers) -> None:
        """"Verify your identity": "Use a verification code" when there is a seed and the account has codes."""
        if answers.totp is not None and self.code_option.is_visible():
            self.code_option.click()
        elif self.headed:
            self._wait_for_person(self.proofs_title, f"choose how {answers.user} verifies the sign-in")
        else:
            offers = " (it offers no verification code)" if answers.totp is not None else ""
            raise SignInError(f"{answers.user} must verify the sign-in in another way{offers}, which a headless run "
                              f"cannot: set AZURE_ADMIN_TOTP_SEED to the account's authenticator seed, {STATE_FIX}")

    def _enter_code(self, answers: _Answers) -> None:
        if answers.totp is None:
            if not self.headed:
                raise SignInError(f"the account {answers.user} asks for a verification code: set "
                                  f"AZURE_ADMIN_TOTP_SEED to its authenticator seed, {STATE_FIX}")
            self._wait_for_person(self.code, f"type the verification code of {answers.user} from the "
                                             "authenticator app")
            return
        with secret_on_screen(self.page):
            self.code.fill(answers.totp())
            self.verify.click()
            self._next_prompt()

    def _skip_registration(self, answers: _Answers) -> None:
        """"More information required": "Ask later" / "Skip setup" (after Next), never the registration itself."""
        if not self.skip_registration.is_visible():
            self.proof_up_next.click()
            try:
                self.skip_registration.or_(self.registration_title).first.wait_for(timeout=self.timeout_s * 1000)
            except PlaywrightTimeoutError:
                raise SignInError("after \"More information required\" no registration page showed") from None
        if not self.skip_registration.is_visible():
            raise SignInError(f"{answers.user} must register security info before it can sign in (\"More "
                              "information required\" offers no \"Skip setup\"): register it once at "
                              "https://aka.ms/mysecurityinfo, then run again")
        registration_host = _host(self.page.url)
        self.skip_registration.click()
        if registration_host != self._login_host:  # the real registration lives on its own host
            self.page.wait_for_url(lambda url: _host(url) != registration_host)

    def _answer_stay_signed_in(self, answers: _Answers) -> None:
        (self.submit if answers.stay_signed_in else self.stay_signed_in_no).click()
