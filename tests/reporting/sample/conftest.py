"""Steps and fixtures of the reporting sample: no twins, a page built with `page.route`, a mocked token service.

The run is driven by tests/reporting/test_report_output.py in a subprocess, with the project's plugins loaded.
"""

from __future__ import annotations

import base64
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import allure
import httpx
import pytest
from playwright.sync_api import Locator, Page, expect
from pytest_bdd import given, parsers, then, when

from harness import evidence
from harness.browser import find_browser, launch_args
from harness.http import client
from harness.run_context import RunContext
from harness.secrets import Secret

CALLBACK_URL = "https://app.example.test/callback?code=SAMPLE-AUTH-CODE-0123456789&state=st4te-value"
DISCREPANCY = "Financials.ReadWriteAll is a delegated permission; the BC API needs API.ReadWrite.All (application)."


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def fake_jwt() -> str:
    now = int(time.time())
    claims = {"aud": "https://api.businesscentral.dynamics.com", "roles": ["API.ReadWrite.All"], "iat": now,
              "exp": now + 3600, "appid": "11111111-2222-3333-4444-555555555555"}
    return f"{_b64({'alg': 'RS256', 'typ': 'JWT'})}.{_b64(claims)}.c2lnbmF0dXJl"


FORM = ("<html><body><h1>Signed in</h1><form method='post' action='/saved'><label for='s'>Client secret</label>"
        "<input id='s' name='secret' type='password'><button>Save</button></form></body></html>")
SAVED = "<html><body><h1>Saved</h1></body></html>"


class CallbackPage:
    """The sample's only page: a heading and a secret field (masked in screenshots, off the trace while typed)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.secret_field: Locator = page.get_by_label("Client secret")
        self.save_button: Locator = page.get_by_role("button", name="Save")

    def open(self) -> None:
        self.page.route("https://app.example.test/**", lambda route: route.fulfill(
            body=SAVED if route.request.method == "POST" else FORM, content_type="text/html"))
        self.page.goto(CALLBACK_URL)
        evidence.mask(self.page, self.secret_field)

    def save_secret(self, secret: Secret) -> None:
        # The trace stays paused until the form has gone: DOM snapshots would record the field's value.
        with evidence.secret_on_screen(self.page):
            self.secret_field.fill(secret.reveal())
            self.save_button.click()
            self.page.wait_for_url("**/saved")

    def heading_named(self, text: str) -> Locator:
        return self.page.get_by_role("heading", name=text)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    args = {**browser_type_launch_args, "args": [*browser_type_launch_args.get("args", []), *launch_args()]}
    executable = find_browser()
    if executable:
        args["executable_path"] = executable
    return args


@dataclass(repr=False)
class SampleContext(RunContext):
    access_token: str = ""  # the sample's own raw JWT (a real run keeps a TokenResult in `token`)


@pytest.fixture
def run_context() -> SampleContext:  # the real one needs the twins' settings
    return SampleContext()


@pytest.fixture
def client_secret() -> Secret:
    return Secret(os.environ["SAMPLE_CLIENT_SECRET"], "client_secret")


@pytest.fixture
def callback_page(page: Page) -> CallbackPage:
    return CallbackPage(page)


def _token_service(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/token"):
        return httpx.Response(200, json={"token_type": "Bearer", "expires_in": 3599, "access_token": fake_jwt()})
    return httpx.Response(200, json={"value": [{"name": "CRONUS USA, Inc."}]})


@given("the sign-in callback page is open")
def open_callback(callback_page: CallbackPage) -> None:
    callback_page.open()


@given("the operator saves the client secret")
def type_secret(callback_page: CallbackPage, client_secret: Secret, page: Page) -> None:  # page repr: ?code=
    callback_page.save_secret(client_secret)


@when("the app asks the token service for a token")
def ask_token(run_context: SampleContext, client_secret: Secret, base_settings: Any) -> None:
    form = {"grant_type": "client_credentials", "client_id": "11111111-2222-3333-4444-555555555555",
            "client_secret": client_secret.reveal(), "scope": "https://api.businesscentral.dynamics.com/.default"}
    with client(None, 5, transport=httpx.MockTransport(_token_service)) as http:
        token = http.post("https://login.example.test/tenant/oauth2/v2.0/token", data=form).json()["access_token"]
        http.get("https://api.example.test/v2.0/companies", headers={"Authorization": f"Bearer {token}"})
    run_context.access_token = token


@then("the token response carries the expected claims")
def check_claims(run_context: SampleContext) -> None:
    claims = json.loads(base64.urlsafe_b64decode(run_context.access_token.split(".")[1] + "=="))
    assert claims["roles"] == ["API.ReadWrite.All"]


@then("the guide discrepancy is noted")
def note_discrepancy(run_context: RunContext) -> None:
    run_context.note(DISCREPANCY)


@then(parsers.parse('the page shows the heading "{text}"'))
def check_heading(callback_page: CallbackPage, text: str) -> None:
    expect(callback_page.heading_named(text)).to_be_visible(timeout=1500)


@given("a careless step attaches the client secret in clear")
def careless(client_secret: Secret) -> None:
    allure.attach(f"debug dump: secret={client_secret.reveal()}", name="careless debug dump",
                  attachment_type=allure.attachment_type.TEXT)


@given("a careless step writes the client secret, form-encoded, to a log in the reports folder")
def careless_log(client_secret: Secret, base_settings: Any) -> None:
    # As a browser sends it: '~' as %7E, which the old gate (guessing encodings of the value) did not look for.
    encoded = quote_plus(client_secret.reveal(), safe="").replace("~", "%7E")
    Path(base_settings.reports_dir).mkdir(parents=True, exist_ok=True)
    (Path(base_settings.reports_dir) / "careless.log").write_text(f"POST /role body: clientSecret={encoded}\n")


@then("the secret is compared with a wrong value")
def careless_assert(client_secret: Secret) -> None:
    assert client_secret.reveal() == "a wrong value"


@then(parsers.parse("the number {n:d} is positive"))
def check_positive(n: int, run_context: SampleContext) -> None:  # a parsed argument and a fixture
    assert n > 0
