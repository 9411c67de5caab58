"""The Microsoft sign-in twin's real-world variants (FIDELITY.md §h "Sign-in"), each switched on as a sandbox option,
and the MicrosoftLogin page object getting through each of them (or, for a phone approval in a headless run,
failing at once with one line that names the fix), alone and all together ("hostile").

Hooks and captions are the literal ones of FIDELITY.md §a/§h, not the twin's constants."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from flows.business_central import client_url
from harness.http import ssl_context
from harness.polling import poll
from harness.sandbox_control import AdminClient, SandboxError
from harness.secrets import Secret
from harness.settings import Settings
from harness.sign_in_setup import totp_source
from pages.azure_portal.portal import AzurePortal
from pages.business_central import BusinessCentralShell
from pages.microsoft_login import MicrosoftLogin, SignInError

pytestmark = [pytest.mark.ui, pytest.mark.sandbox_only]

AZURE_PORTAL_CLIENT = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"  # the real Azure portal's public client id
FIX_FOR_THE_PHONE = ("set AZURE_ADMIN_TOTP_SEED to the account's authenticator seed, or save a signed-in browser "
                     "state once with `bcoauth login azure --save-state FILE`")
PHONE_WAIT_S = 30


@pytest.fixture
def options(twin_options: Callable[..., None]) -> Callable[..., None]:
    return twin_options


@pytest.fixture
def admin_account(settings: Settings) -> tuple[str, Secret]:
    assert settings.admin_password is not None
    return settings.admin_user, settings.admin_password


@pytest.fixture
def mfa_account(sandbox_endpoints: dict[str, Any]) -> tuple[str, Secret, Callable[[], str] | None]:
    return (sandbox_endpoints["mfa_user"], Secret(sandbox_endpoints["mfa_password"], "mfa_password"),
            totp_source(Secret(sandbox_endpoints["mfa_totp_seed"], "mfa_totp_seed")))


def open_portal(page: Page, settings: Settings, **login_options: Any) -> MicrosoftLogin:
    """The portal without a session: it sends the browser to the sign-in twin's first page, whichever it is."""
    login = MicrosoftLogin(page, **login_options)
    page.goto(settings.azure_portal_url.rstrip("/") + "/")
    login.any_prompt.first.wait_for()
    return login


def signed_in_to_portal(page: Page, user: str) -> None:
    portal = AzurePortal(page)
    portal.wait_for_shell()
    assert portal.signed_in_user() == user


# --- one variant at a time ---------------------------------------------------------------------------------


def test_pick_an_account_with_the_users_tile(page: Page, settings: Settings, options, admin_account) -> None:
    options(signin_account_picker=True)
    user, password = admin_account
    login = open_portal(page, settings)
    expect(page.locator(f'#tilesHolder div.table[role=button][data-test-id="{user}"]')).to_be_visible()
    expect(page.locator("#otherTile")).to_be_visible()
    login.sign_in(user, password)
    signed_in_to_portal(page, user)
    assert login.prompts_seen == ["pick an account", "password", "stay signed in"]


def test_pick_an_account_without_the_users_tile_uses_another_account(page: Page, settings: Settings, options,
                                                                      admin_account, mfa_account) -> None:
    options(signin_account_picker=[mfa_account[0]])
    user, password = admin_account
    login = open_portal(page, settings)
    expect(page.locator(f'#tilesHolder div.table[role=button][data-test-id="{user}"]')).to_have_count(0)
    login.sign_in(user, password)
    signed_in_to_portal(page, user)
    assert login.prompts_seen == ["pick an account", "e-mail", "password", "stay signed in"]


def test_the_signed_in_accounts_tile_goes_straight_through(page: Page, settings: Settings, options,
                                                           admin_account) -> None:
    """Business Central after the portal: the picker shows the account signed in here, "Signed in"."""
    options(signin_account_picker=True)
    user, password = admin_account
    open_portal(page, settings).sign_in(user, password)
    signed_in_to_portal(page, user)
    page.goto(client_url(settings))
    login = MicrosoftLogin(page)
    login.any_prompt.first.wait_for()
    expect(page.locator(f'#tilesHolder div.table[role=button][data-test-id="{user}"]')).to_contain_text("Signed in")
    login.sign_in(user, password)
    BusinessCentralShell(page).wait_until_ready()
    assert login.prompts_seen == ["pick an account"]


def test_work_or_school_account_chooser(page: Page, settings: Settings, options, admin_account) -> None:
    options(signin_account_chooser=True)
    login = open_portal(page, settings)
    login.sign_in(*admin_account)
    signed_in_to_portal(page, admin_account[0])
    assert login.prompts_seen == ["e-mail", "work or school account", "password", "stay signed in"]


def test_passwordless_uses_the_password_instead(page: Page, settings: Settings, options, admin_account) -> None:
    options(signin_passwordless=True)
    login = open_portal(page, settings)
    login.sign_in(*admin_account)
    signed_in_to_portal(page, admin_account[0])
    assert login.prompts_seen == ["e-mail", "phone sign-in", "password", "stay signed in"]


def test_stay_signed_in_yes_keeps_a_persistent_session(page: Page, settings: Settings, admin_account) -> None:
    login = open_portal(page, settings)
    login.sign_in(*admin_account, stay_signed_in=True)
    signed_in_to_portal(page, admin_account[0])
    assert "ESTSAUTHPERSISTENT" in {cookie["name"] for cookie in page.context.cookies()}


def test_a_tenant_without_stay_signed_in(page: Page, settings: Settings, options, admin_account) -> None:
    options(signin_kmsi=False)
    login = open_portal(page, settings)
    login.sign_in(*admin_account, stay_signed_in=True)
    signed_in_to_portal(page, admin_account[0])
    assert login.prompts_seen == ["e-mail", "password"]
    assert "ESTSAUTHPERSISTENT" not in {cookie["name"] for cookie in page.context.cookies()}


@pytest.mark.parametrize("interrupt", ["skip_setup", "ask_later"])
def test_more_information_required_is_skipped(page: Page, settings: Settings, options, admin_account,
                                              interrupt: str) -> None:
    options(signin_interrupt=interrupt)
    login = open_portal(page, settings)
    login.sign_in(*admin_account)
    signed_in_to_portal(page, admin_account[0])
    assert login.prompts_seen == ["e-mail", "password", "more information required", "stay signed in"]


def test_required_registration_fails_in_one_line(page: Page, settings: Settings, options, admin_account) -> None:
    options(signin_interrupt="required")
    with pytest.raises(SignInError) as refused:
        open_portal(page, settings).sign_in(*admin_account)
    assert "\n" not in str(refused.value)
    assert "register security info" in str(refused.value) and "https://aka.ms/mysecurityinfo" in str(refused.value)


def test_totp_code_entry(page: Page, settings: Settings, mfa_account) -> None:
    login = open_portal(page, settings)
    login.sign_in(*mfa_account)
    signed_in_to_portal(page, mfa_account[0])
    assert login.prompts_seen == ["e-mail", "password", "verification code", "stay signed in"]


@pytest.mark.parametrize(("method", "shown"), [("push", "push approval"), ("number_match", "number matching")])
def test_phone_approval_headless_fails_at_once_in_one_line(page: Page, settings: Settings, options, admin_account,
                                                           method: str, shown: str) -> None:
    user, password = admin_account
    options(mfa_method={user: method})
    with pytest.raises(SignInError) as refused:
        open_portal(page, settings).sign_in(user, password)
    message = str(refused.value)
    assert "\n" not in message
    assert f"{user} signs in with {shown} in Microsoft Authenticator" in message and FIX_FOR_THE_PHONE in message


def test_number_matching_with_a_seed_switches_to_a_code(page: Page, settings: Settings, options,
                                                        mfa_account) -> None:
    options(mfa_method={mfa_account[0]: "number_match"})
    login = open_portal(page, settings)
    login.sign_in(*mfa_account)
    signed_in_to_portal(page, mfa_account[0])
    assert login.prompts_seen == ["e-mail", "password", "approve sign-in", "verify your identity",
                                  "verification code", "stay signed in"]


def deny_waiting_requests(admin: AdminClient, upn: str) -> None:
    """Deny what earlier sign-ins left waiting on the phone (a headless run gives up without answering)."""
    for _ in range(100):
        try:
            admin.call("POST", f"/admin/users/{upn}/sign-in-requests", json={"deny": True})
        except SandboxError as exc:
            assert "→ 404" in str(exc), exc
            return
    raise AssertionError(f"{upn} has more than 100 sign-in requests waiting")


class Phone:
    """The person with Microsoft Authenticator, on another thread: waits for the request, then answers it."""

    def __init__(self, admin: AdminClient, upn: str, deny: bool = False) -> None:
        deny_waiting_requests(admin, upn)
        self.admin, self.upn, self.deny = admin, upn, deny
        self.requests: list[dict[str, Any]] = []
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._answer, daemon=True)
        self.thread.start()

    def _answer(self) -> None:
        path = f"/admin/users/{self.upn}/sign-in-requests"
        try:
            self.requests = poll(lambda: self.admin.call("GET", path), what="a sign-in request on the phone",
                                 timeout_s=PHONE_WAIT_S, done=bool)
            number = self.requests[0]["number"]
            body = {"deny": True} if self.deny else ({"number": number} if number is not None else {})
            self.admin.call("POST", path, json=body)
        except BaseException as exc:  # reported by the test thread
            self.failure = exc

    def answered(self) -> list[dict[str, Any]]:
        self.thread.join(PHONE_WAIT_S)
        assert self.failure is None, self.failure
        return self.requests


def test_headed_number_matching_waits_for_the_person(page: Page, settings: Settings, options, admin: AdminClient,
                                                     admin_account, capsys: pytest.CaptureFixture[str]) -> None:
    user, password = admin_account
    options(mfa_method={user: "number_match"})
    login = open_portal(page, settings, headed=True, timeout_s=PHONE_WAIT_S)
    phone = Phone(admin, user)
    login.sign_in(user, password)
    signed_in_to_portal(page, user)
    number = phone.answered()[0]["number"]
    assert login.prompts_seen == ["e-mail", "password", "approve sign-in", "stay signed in"]
    assert f"approve the sign-in of {user} in Microsoft Authenticator: enter {number}" in capsys.readouterr().err


def test_headed_push_denied_on_the_phone(page: Page, settings: Settings, options, admin: AdminClient,
                                         admin_account) -> None:
    user, password = admin_account
    options(mfa_method={user: "push"})
    login = open_portal(page, settings, headed=True, timeout_s=PHONE_WAIT_S)
    phone = Phone(admin, user, deny=True)
    with pytest.raises(SignInError, match="AADSTS500121"):
        login.sign_in(user, password)
    assert phone.answered()[0]["number"] is None  # push shows no number


# --- all together ----------------------------------------------------------------------------------------


def test_the_hostile_combination_signs_in(page: Page, settings: Settings, options, mfa_account) -> None:
    options(signin_variants="hostile")
    login = open_portal(page, settings)
    login.sign_in(*mfa_account)
    signed_in_to_portal(page, mfa_account[0])
    assert login.prompts_seen == ["pick an account", "e-mail", "work or school account", "phone sign-in",
                                  "password", "verification code", "more information required", "stay signed in"]


# --- the twin's pages and options, over HTTP ------------------------------------------------------------


@pytest.fixture
def browser_http(sandbox_endpoints: dict[str, Any]) -> Iterator[httpx.Client]:
    with httpx.Client(verify=ssl_context(sandbox_endpoints["ca_cert"]), timeout=30) as client:
        yield client


def test_the_hostile_pages_carry_the_real_hooks(browser_http: httpx.Client, sandbox_endpoints: dict[str, Any],
                                                options, admin: AdminClient) -> None:
    options(signin_variants="hostile", mfa_method={sandbox_endpoints["admin_user"]: "number_match"})
    login, user = sandbox_endpoints["login"], sandbox_endpoints["admin_user"]
    first = browser_http.get(f"{login}/{sandbox_endpoints['tenant_id']}/oauth2/v2.0/authorize", params={
        "client_id": AZURE_PORTAL_CLIENT, "response_type": "code", "state": "s",
        "redirect_uri": sandbox_endpoints["azure_portal"] + "/signin-oidc"})
    token = re.search(r'name="flowToken" value="([^"]+)"', first.text).group(1)  # type: ignore[union-attr]

    def step(**fields: str) -> str:
        response = browser_http.post(f"{login}/common/login", data={"flowToken": token, **fields})
        assert response.status_code == 200, response.text
        return html.unescape(response.text)

    pages = {"picker": html.unescape(first.text), "chooser": step(step="email", loginfmt=user),
             "passwordless": step(step="chooser", choice="aad"), "password": step(step="use_password")}
    pages["approve"] = step(step="password", passwd=sandbox_endpoints["admin_password"])
    number = admin.call("GET", f"/admin/users/{user}/sign-in-requests")[0]["number"]
    admin.call("POST", f"/admin/users/{user}/sign-in-requests", json={"number": number})
    pages["interrupt"] = step(step="sas")
    pages["register"] = step(step="proofup")
    pages["kmsi"] = step(step="skip_setup")
    expected = {
        "picker": ['id="tilesHolder"', 'class="table" role="button"', 'data-test-id="', 'id="otherTile"'],
        "chooser": ['id="aadTile"', "Work or school account", 'id="msaTile"', "Personal account"],
        "passwordless": ["Approve sign in request", 'id="idA_PWD_SwitchToPassword"', "Use your password instead"],
        "password": ['name="passwd"', 'id="i0118"', "moveOffScreen"],
        "approve": ['id="idDiv_SAOTCAS_Title"', "Approve sign in request", 'id="idRichContext_DisplaySign"'
                    f' class="displaySign">{number}<'],
        "interrupt": ["More information required", 'id="idSubmit_ProofUp_Redirect"'],
        "register": ["Skip setup"],
        "kmsi": ['id="kmsiTitle"', 'role="heading" aria-level="1"', 'id="i0281"', 'action="/kmsi"',
                 'id="KmsiCheckboxField"', "Don't show this again", 'id="idBtn_Back"'],
    }
    missing = {name: [hook for hook in hooks if hook not in pages[name]] for name, hooks in expected.items()}
    assert not any(missing.values()), missing


@pytest.mark.parametrize(("name", "value"), [
    ("signin_account_picker", "yes"), ("signin_account_picker", ["x" * 200]), ("signin_account_chooser", 1),
    ("signin_passwordless", "true"), ("signin_interrupt", "later"), ("signin_kmsi", 0),
    ("mfa_method", {"admin@contososandbox.onmicrosoft.com": "sms"}), ("mfa_method", ["push"]),
    ("signin_variants", "evil"),
])
def test_unusable_option_values_are_refused(admin: AdminClient, name: str, value: Any) -> None:
    with pytest.raises(SandboxError, match=rf"→ 400: .*option '{name}' must be"):
        admin.set_options(**{name: value})


def test_the_phone_answers_only_waiting_requests(admin: AdminClient, sandbox_endpoints: dict[str, Any]) -> None:
    deny_waiting_requests(admin, sandbox_endpoints["admin_user"])
    with pytest.raises(SandboxError, match="→ 404"):
        admin.call("POST", f"/admin/users/{sandbox_endpoints['admin_user']}/sign-in-requests", json={})
    with pytest.raises(SandboxError, match="→ 404"):
        admin.call("GET", "/admin/users/nobody@contososandbox.onmicrosoft.com/sign-in-requests")
