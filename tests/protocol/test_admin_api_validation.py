"""The admin API checks every body: a wrong type, range, non-finite number, unknown field or option, or a body that
is not a JSON object is a 400 with a reason, and nothing is stored; no body and no header gives a 5xx.

Most tests run the admin app in process on a sandbox of their own (the fuzzing changes options, the clock and the
profile freely); the header test goes through the running sandbox, so uvicorn's header parsing is covered too.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.http import ssl_context
from sandbox.admin.app import create_app
from sandbox.admin.options import OPTIONS
from sandbox.context import SERVICES
from sandbox.server import open_sandbox

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's note about httpx in its TestClient
    from starlette.testclient import TestClient

JSON = "application/json"


@pytest.fixture(scope="module")
def admin_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    box = open_sandbox(tmp_path_factory.mktemp("admin-validation") / "state")
    for index, service in enumerate(SERVICES):
        box.urls[service] = f"https://127.0.0.1:{40200 + index}"  # nothing listens: no twin is called
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        client = TestClient(create_app(box), base_url="https://testserver", client=("127.0.0.1", 50000),
                            headers={"Authorization": f"Bearer {box.admin_token}"}, raise_server_exceptions=False)
    yield client
    client.close()


def _post(api: TestClient, path: str, body: Any = None, *, raw: bytes | None = None,
          content_type: str | None = JSON) -> httpx.Response:
    content = raw if raw is not None else b"" if body is None else json.dumps(body).encode()
    return api.post(path, content=content, headers={"Content-Type": content_type} if content_type else {})


def _assert_400(response: httpx.Response, *reason: str) -> None:
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert isinstance(error, str) and "\n" not in error
    for part in reason:
        assert part in error, error


# --- provisioning ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "reason"), [
    ({"name": 123}, "'name' must be a non-blank string"),
    ({"name": "   "}, "'name'"),
    ({"name": "x" * 257}, "'name'"),
    ({"consent": "yes"}, "'consent' must be true or false"),
    ({"secret_expired": 1}, "'secret_expired' must be true or false"),
    ({"bc_state": "on"}, "'bc_state' must be one of \"enabled\", \"disabled\", \"absent\""),
    ({"permissions": "API.ReadWrite.All"}, "'permissions' must be a list"),
    ({"permissions": ["Financials.Nope"]}, "'permissions' must be a list"),
    ({"permission_sets": [None]}, "'permission_sets' must be a list"),
    ({"environment": ["Sandbox"]}, "'environment'"),
    ({"client_secret": "x"}, "unknown field(s): client_secret"),
])
def test_bad_app_bodies_are_refused_and_create_nothing(admin_api, body, reason):
    before = admin_api.get("/admin/apps").json()
    _assert_400(_post(admin_api, "/admin/apps", body), reason)
    assert admin_api.get("/admin/apps").json() == before


def test_a_good_app_body_still_provisions(admin_api):
    response = _post(admin_api, "/admin/apps", {"name": "ok", "consent": False, "bc_state": "absent",
                                                "permissions": ["API.ReadWrite.All"]})
    assert response.status_code == 201 and response.json()["client_id"]


@pytest.mark.parametrize("uris", ["x", [{"uri": 1}], [{"url": "https://a"}], [{"uri": "https://a", "platform": {}}],
                                  [{"uri": "https://a", "extra": 1}], ["https://a"], [{"uri": "x"}] * 257])
def test_bad_redirect_uri_lists_are_refused(admin_api, uris):
    client_id = _post(admin_api, "/admin/apps", {"bc_state": "absent"}).json()["client_id"]
    _assert_400(_post(admin_api, f"/admin/apps/{client_id}/redirect-uris", {"redirect_uris": uris}),
                "'redirect_uris' must be a list")


# --- options -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "reason"), [
    (b'{"token_lifetime_s": "abc"}', "option 'token_lifetime_s' must be a whole number of seconds"),
    (b'{"token_lifetime_s": 3600.5}', "option 'token_lifetime_s'"),
    (b'{"token_lifetime_s": 0}', "option 'token_lifetime_s'"),
    (b'{"token_lifetime_s": true}', "option 'token_lifetime_s'"),
    (b'{"fault_rate": 1.5}', "option 'fault_rate' must be a number from 0 to 1"),
    (b'{"fault_rate": NaN}', "NaN is not a JSON number"),
    (b'{"fault_rate": 1e999}', "too large"),
    (b'{"fault_status": 500}', "option 'fault_status' must be one of 429, 503"),
    (b'{"portal_layout": "sideways"}', "option 'portal_layout'"),
    (b'{"aadsts_status": {"7000215": "x"}}', "option 'aadsts_status'"),
    (b'{"bc_company_not_found": {"status": 200}}', "option 'bc_company_not_found'"),
    (b'{"no_such_option": 1}', "unknown option 'no_such_option'"),
])
def test_bad_options_are_refused_and_never_stored(admin_api, raw, reason):
    before = admin_api.get("/admin/options").json()
    _assert_400(_post(admin_api, "/admin/options", raw=raw), reason)
    assert admin_api.get("/admin/options").json() == before


def test_options_are_all_or_nothing_and_null_resets(admin_api):
    before = admin_api.get("/admin/options").json()
    _assert_400(_post(admin_api, "/admin/options", {"portal_layout": "iframe", "fault_rate": "x"}), "'fault_rate'")
    assert admin_api.get("/admin/options").json() == before
    assert _post(admin_api, "/admin/options", {"token_lifetime_s": 600}).json()["token_lifetime_s"] == 600
    assert "token_lifetime_s" not in _post(admin_api, "/admin/options", {"token_lifetime_s": None}).json()


def test_a_refused_option_leaves_token_requests_working(admin, new_app, twin_http, sandbox_endpoints):
    """The issue's probe on the running sandbox: token_lifetime_s="abc" used to make every token request a 500."""
    from harness.sandbox_control import SandboxError
    from tests.protocol.conftest import token_for

    with pytest.raises(SandboxError, match="400"):
        admin.set_options(token_lifetime_s="abc")
    assert "token_lifetime_s" not in admin.options()
    assert token_for(twin_http, sandbox_endpoints, new_app())


# --- clock and profile -------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [b'{"seconds": NaN}', b'{"seconds": Infinity}', b'{"seconds": -Infinity}',
                                 b'{"seconds": 1e400}', b'{"seconds": "60"}', b'{"seconds": true}', b'{}',
                                 b'{"seconds": 1e12}', b'{"seconds": 60, "extra": 1}',
                                 b'{"seconds": 1' + b"0" * 5000 + b"}"])
def test_bad_clock_advances_are_refused_and_the_clock_does_not_move(admin_api, raw):
    _post(admin_api, "/admin/clock/reset")
    response = _post(admin_api, "/admin/clock/advance", raw=raw)
    assert response.status_code == 400, response.text
    offset = admin_api.get("/admin/health").json()["now"] - _post(admin_api, "/admin/clock/reset").json()["now"]
    assert abs(offset) < 60


def test_the_clock_cannot_be_pushed_past_a_century_step_by_step(admin_api):
    _post(admin_api, "/admin/clock/reset")
    year = 365 * 86400
    for _ in range(100):
        assert _post(admin_api, "/admin/clock/advance", {"seconds": year}).status_code == 200
    _assert_400(_post(admin_api, "/admin/clock/advance", {"seconds": year}), "reset it first")
    _post(admin_api, "/admin/clock/reset")


@pytest.mark.parametrize("body", [{"profile": 1}, {}, {"profile": "turbo"}, {"profile": "fast", "x": 1}])
def test_bad_profiles_are_refused(admin_api, body):
    _assert_400(_post(admin_api, "/admin/profile", body))


# --- any body, any header ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "content_type", "reason"), [
    (b'{"seconds": ', JSON, "body is not JSON"),
    (b"[]", JSON, "body must be a JSON object, not a list"),
    (b'"x"', JSON, "not a string"),
    (b"null", JSON, "not null"),
    (b"1", JSON, "not a number"),
    (b'{"seconds": 60}', "text/plain", "Content-Type: application/json"),
    (b"seconds=60", "application/x-www-form-urlencoded", "Content-Type: application/json"),
    (b'{"seconds": 60}', None, "Content-Type: application/json"),
    (b"\xff\xfe{}", JSON, "not UTF-8"),
    (b"[" * 100_000, JSON, "larger than"),
    (b"[" * 20_000, JSON, "nested too deep"),
    (b'{"a": "' + b"x" * 70_000 + b'"}', JSON, "larger than"),
])
def test_bodies_that_are_no_json_object_are_400(admin_api, raw, content_type, reason):
    _assert_400(_post(admin_api, "/admin/clock/advance", raw=raw, content_type=content_type), reason)


@pytest.mark.parametrize("value", [b"Bearer \xe9", b"\xff\xfe", b"Basic \xe9\xe9", b"Bearer", b""])
def test_undecodable_or_wrong_authorization_is_401(sandbox_endpoints, value):
    with httpx.Client(verify=ssl_context(sandbox_endpoints["ca_cert"])) as client:
        response = client.get(sandbox_endpoints["admin_url"] + "/admin/health", headers={"Authorization": value})
    assert response.status_code == 401 and response.json() == {"error": "missing or wrong admin token"}


POST_ROUTES = ["/admin/apps", "/admin/options", "/admin/clock/advance", "/admin/clock/reset", "/admin/profile",
               "/admin/dm/agent-check", "/admin/apps/00000000-0000-0000-0000-000000000000/expire-secrets"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12)
option_bodies = st.dictionaries(st.sampled_from(sorted(OPTIONS)), json_values, min_size=1, max_size=3)
bodies = (st.dictionaries(st.sampled_from(["name", "seconds", "profile", "consent", "bc_state", "permissions",
                                           "area", "role", "x"]), json_values, max_size=4).map(json.dumps)
          | json_values.map(json.dumps) | st.binary(max_size=64).map(lambda b: b.decode("latin-1")))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(POST_ROUTES), body=bodies,
       content_type=st.sampled_from([JSON, "text/plain", None, "application/json; charset=utf-8"]))
def test_no_body_gives_a_5xx_and_every_refusal_says_why(admin_api, path, body, content_type):
    response = _post(admin_api, path, raw=body.encode("utf-8", "surrogatepass"), content_type=content_type)
    assert response.status_code < 500, (path, body, response.text)
    if response.status_code >= 400:
        assert isinstance(response.json()["error"], str)
    _post(admin_api, "/admin/clock/reset")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=option_bodies)
def test_an_option_is_stored_only_when_its_check_passes(admin_api, body):
    before = admin_api.get("/admin/options").json()
    response = _post(admin_api, "/admin/options", raw=json.dumps(body).encode())
    after = admin_api.get("/admin/options").json()
    valid = all(v is None or (not (isinstance(v, float) and not math.isfinite(v)) and OPTIONS[k](v) is None)
                for k, v in body.items())
    if valid:
        assert response.status_code == 200, response.text
        assert all(after.get(k) == v for k, v in body.items() if v is not None)
        assert all(k not in after for k, v in body.items() if v is None)
    else:
        assert response.status_code == 400 and after == before
