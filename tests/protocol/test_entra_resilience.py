"""Eventual consistency and throttling at the token endpoint, through raw HTTP and through harness.oauth:
a new app is "not found" (700016) until it replicates; injected faults answer 429/503 with Retry-After in Entra's
shape, and the harness retries them until its deadline.

The harness's waits between attempts move the twin's clock instead of the wall clock (`twin_time`): replication
lag and deadlines pass in sandbox time, so these tests take milliseconds, not the seconds they describe.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator

import pytest

from harness import oauth, polling
from harness.secrets import Secret
from tests.protocol.conftest import BC_SCOPE


def _token_response(client, endpoints, app):
    return client.post(f"{endpoints['login']}/{endpoints['tenant_id']}/oauth2/v2.0/token",
                       data={"grant_type": "client_credentials", "client_id": app["client_id"],
                             "client_secret": app["client_secret"], "scope": BC_SCOPE})


@pytest.fixture
def twin_time(admin, monkeypatch) -> Iterator[list[float]]:
    """`harness.polling.poll` waits by advancing the sandbox clock (and reads a clock that has moved as much);
    yields the waits it asked for. The sandbox clock is put back afterwards."""
    waited: list[float] = []

    def clock() -> float:
        return time.monotonic() + sum(waited)

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        admin.advance_clock(seconds)

    defaults = polling.poll.__kwdefaults__  # poll binds its clock and sleep when it is defined
    monkeypatch.setitem(defaults, "clock", clock)
    monkeypatch.setitem(defaults, "sleep", sleep)
    yield waited
    admin.advance_clock(-sum(waited))


@pytest.fixture
def lagging_profile(admin):
    admin.set_profile("realistic")  # several seconds of replication lag
    yield
    admin.set_profile("fast")


def test_new_app_is_not_found_until_replicated(twin_http, sandbox_endpoints, settings, new_app, lagging_profile,
                                               twin_time):
    app = new_app()
    first = _token_response(twin_http, sandbox_endpoints, app)
    assert first.status_code == 400 and first.json()["error_codes"] == [700016]
    result = oauth.acquire_app_token(settings, app["client_id"], Secret(app["client_secret"]),
                                     retry_codes=oauth.REPLICATION_CODES)
    assert result.source == "identity_provider" and result.claims["appid"] == app["client_id"]
    assert sum(twin_time) >= 4.0 - 0.5, "the app was visible before the realistic profile's lag had passed"


def test_without_retry_codes_replication_errors_fail_fast(settings, new_app, lagging_profile):
    app = new_app()
    with pytest.raises(oauth.TokenError) as raised:
        oauth.acquire_app_token(settings, app["client_id"], Secret(app["client_secret"]))
    assert raised.value.code == 700016 and raised.value.status == 400


@pytest.mark.parametrize("status, code", [(429, 90055), (503, 90033)])
def test_fault_shape(twin_http, sandbox_endpoints, new_app, options, status, code):
    app = new_app()
    options(fault_rate=1.0, fault_status=status, retry_after_s=2)
    response = _token_response(twin_http, sandbox_endpoints, app)
    assert response.status_code == status
    assert response.headers["retry-after"] == "2"
    body = response.json()
    assert body["error"] == "temporarily_unavailable" and body["error_codes"] == [code]


def test_harness_gives_up_on_persistent_throttling_with_the_last_answer(settings, new_app, options, twin_time):
    app = new_app()
    options(fault_rate=1.0, fault_status=429, retry_after_s=1)
    quick = dataclasses.replace(settings, propagation_timeout_s=1.5)
    with pytest.raises(oauth.TokenError) as raised:
        oauth.acquire_app_token(quick, app["client_id"], Secret(app["client_secret"]))
    assert raised.value.status == 429 and raised.value.code == 90055
    assert raised.value.retry_after == 1
    assert twin_time and twin_time[0] == 1 and sum(twin_time) <= 1.5, "Retry-After not honoured within the deadline"


@pytest.mark.parametrize("status", [429, 503])
def test_harness_retries_through_a_burst_of_faults(settings, new_app, options, admin, status, twin_time):
    app = new_app()
    options(fault_burst=2, fault_status=status, retry_after_s=1)
    result = oauth.acquire_app_token(settings, app["client_id"], Secret(app["client_secret"]))
    assert result.claims["appid"] == app["client_id"]
    assert admin.options()["fault_burst"] == 0  # both faults were served, so the harness did retry
    assert twin_time == [1, 1], "the harness should wait each answer's Retry-After (1 s) before retrying"


def test_fault_rate_zero_means_no_faults(twin_http, sandbox_endpoints, new_app, options):
    app = new_app()
    options(fault_rate=0.0, fault_status=429)
    assert all(_token_response(twin_http, sandbox_endpoints, app).status_code == 200 for _ in range(5))
