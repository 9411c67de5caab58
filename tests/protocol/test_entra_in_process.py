"""The sign-in twin and token service in process, where the store can be read and written directly.

Unfinished sign-ins do not pile up (counting rows): each anonymous GET of `authorize` or of a web twin's page stores
one pending sign-in, which expires after ten minutes on the sandbox clock and is pruned; a cap bounds a burst inside
those ten minutes; an expired flow cannot be continued. Option values the admin API would refuse today (but an older
state folder may hold) fall back to the defaults instead of failing requests."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from sandbox import directory
from sandbox.bc_web.app import create_app as bc_web_app
from sandbox.context import SERVICES, Sandbox
from sandbox.entra.app import create_app as entra_app
from sandbox.provision import provision_app
from sandbox.server import open_sandbox

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's note about httpx in its TestClient
    from starlette.testclient import TestClient

AZURE_PORTAL_CLIENT = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"


@pytest.fixture(scope="module")
def module_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    box = open_sandbox(Path(tmp_path_factory.mktemp("signin-state")) / "state")
    for index, service in enumerate(SERVICES):
        box.urls[service] = f"https://127.0.0.1:{40200 + index}"
    return box


class ManualClock:
    """The sandbox clock, stopped: only `advance` moves it, so no assertion depends on how fast the machine is."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(module_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> ManualClock:
    manual = ManualClock()
    monkeypatch.setattr(module_sandbox.store, "now", lambda: manual.now)
    return manual


@pytest.fixture
def sandbox(module_sandbox: Sandbox, clock: ManualClock) -> Sandbox:
    module_sandbox.store.run("DELETE FROM pending_signins")
    module_sandbox.store.run("DELETE FROM kv WHERE key LIKE 'opt:%'")
    return module_sandbox


def _rows(sandbox: Sandbox) -> int:
    return directory.pending_count(sandbox.store)


def _authorize(sandbox: Sandbox) -> tuple[str, str]:
    query = {"client_id": AZURE_PORTAL_CLIENT, "response_type": "code",
             "redirect_uri": sandbox.urls["azure_portal"] + "/signin-oidc", "state": "s"}
    return f"/{sandbox.seed['tenant_id']}/oauth2/v2.0/authorize", query


def test_anonymous_authorize_rows_expire_and_are_pruned(sandbox: Sandbox, clock: ManualClock) -> None:
    login = TestClient(entra_app(sandbox), base_url="https://testserver", follow_redirects=False)
    path, query = _authorize(sandbox)
    for _ in range(40):
        assert login.get(path, params=query).status_code == 200
    assert _rows(sandbox) == 40
    clock.advance(599)
    login.get(path, params=query)
    assert _rows(sandbox) == 41  # nothing is ten minutes old yet
    clock.advance(2)
    login.get(path, params=query)
    assert _rows(sandbox) == 2  # the first forty went; the one from 2 s ago and this one stay


def test_web_twin_sign_in_redirects_expire_too(sandbox: Sandbox, clock: ManualClock) -> None:
    bc = TestClient(bc_web_app(sandbox), base_url="https://testserver", follow_redirects=False)
    page = f"/{sandbox.seed['tenant_id']}/Sandbox/?company=CRONUS&page=9860"
    for _ in range(25):
        assert bc.get(page).status_code == 302
    assert _rows(sandbox) == 25
    clock.advance(601)
    bc.get(page)
    assert _rows(sandbox) == 1


def test_a_burst_is_capped(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(directory, "MAX_PENDING_SIGNINS", 10)
    login = TestClient(entra_app(sandbox), base_url="https://testserver", follow_redirects=False)
    path, query = _authorize(sandbox)
    for _ in range(30):
        login.get(path, params=query)
    assert _rows(sandbox) == 10


def test_an_expired_flow_cannot_continue(sandbox: Sandbox, clock: ManualClock) -> None:
    login = TestClient(entra_app(sandbox), base_url="https://testserver", follow_redirects=False)
    path, query = _authorize(sandbox)
    token = re.search(r'name="flowToken" value="([^"]+)"', login.get(path, params=query).text).group(1)
    clock.advance(601)
    response = login.post("/common/login", data={"flowToken": token, "step": "email",
                                                 "loginfmt": sandbox.seed["admin_user"]})
    assert response.status_code == 400
    assert "AADSTS50089: Authentication failed due to flow token expired." in response.text


@pytest.mark.parametrize("value", ["abc", 0, -5, True, 1e300, float("nan"), [3]])
def test_unusable_lockout_options_mean_the_default(sandbox: Sandbox, value: object) -> None:
    sandbox.set_option("lockout_threshold", value)
    sandbox.set_option("lockout_duration_s", value)
    login = TestClient(entra_app(sandbox), base_url="https://testserver", follow_redirects=False)
    path, query = _authorize(sandbox)
    token = re.search(r'name="flowToken" value="([^"]+)"', login.get(path, params=query).text).group(1)
    upn = sandbox.seed["admin_user"]
    login.post("/common/login", data={"flowToken": token, "step": "email", "loginfmt": upn})
    try:
        for _ in range(9):
            wrong = login.post("/common/login", data={"flowToken": token, "step": "password", "passwd": "wrong"})
            assert wrong.status_code == 200 and "AADSTS50053" not in wrong.text
        right = login.post("/common/login", data={"flowToken": token, "step": "password",
                                                  "passwd": sandbox.seed["admin_password"]})
        assert 'id="kmsiTitle"' in right.text
    finally:
        directory.reset_lockout(sandbox.store, upn)


def test_unusable_lifetime_and_status_options_fall_back(sandbox: Sandbox) -> None:
    sandbox.set_option("token_lifetime_s", "abc")
    sandbox.set_option("aadsts_status", {"7000215": "teapot", "900144": 200})
    app = provision_app(sandbox)
    login = TestClient(entra_app(sandbox), base_url="https://testserver")
    url = f"/{sandbox.seed['tenant_id']}/oauth2/v2.0/token"
    form = {"grant_type": "client_credentials", "client_id": app["client_id"], "client_secret": app["client_secret"],
            "scope": "https://api.businesscentral.dynamics.com/.default"}
    ok = login.post(url, data=form)
    assert ok.status_code == 200 and ok.json()["expires_in"] == 3599
    wrong = login.post(url, data={**form, "client_secret": "wrong-wrong-wrong"})
    assert wrong.status_code == 401 and wrong.json()["error_codes"] == [7000215]
    missing = login.post(url, data={"scope": form["scope"]})
    assert missing.status_code == 400 and missing.json()["error_codes"] == [900144]
