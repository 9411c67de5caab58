"""harness.polling with an injected clock: backoff, Retry-After, deadline, and the timeout message."""

from __future__ import annotations

import pytest

from harness.polling import PollTimeout, poll


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.waits.append(seconds)
        self.now += seconds


class Busy(Exception):
    def __init__(self, retry_after: float | None = None) -> None:
        super().__init__("busy")
        self.retry_after = retry_after


def test_returns_first_good_answer_without_waiting():
    clock = FakeClock()
    assert poll(lambda: 42, what="x", timeout_s=5, clock=clock, sleep=clock.sleep) == 42
    assert clock.waits == []


def test_backoff_grows_and_is_capped():
    clock = FakeClock()
    answers = iter(range(10))
    value = poll(lambda: next(answers), what="seven", timeout_s=100, done=lambda v: v == 7, initial_delay_s=1,
                 max_delay_s=4, backoff=2, clock=clock, sleep=clock.sleep)
    assert value == 7
    assert clock.waits == [1, 2, 4, 4, 4, 4, 4]


def test_retry_after_is_honoured_when_longer_than_backoff():
    clock = FakeClock()
    calls = iter([Busy(retry_after=3), Busy(retry_after=0.1), "ok"])

    def attempt():
        answer = next(calls)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert poll(attempt, what="ok", timeout_s=60, retry_if=lambda e: isinstance(e, Busy), initial_delay_s=0.5,
                clock=clock, sleep=clock.sleep) == "ok"
    assert clock.waits == [3, 1.0]


def test_non_retryable_exception_propagates_at_once():
    clock = FakeClock()

    def attempt():
        raise KeyError("boom")

    with pytest.raises(KeyError):
        poll(attempt, what="x", timeout_s=60, retry_if=lambda e: isinstance(e, Busy), clock=clock, sleep=clock.sleep)
    assert clock.waits == []


def test_timeout_names_what_and_last_answer_and_never_waits_past_deadline():
    clock = FakeClock()
    with pytest.raises(PollTimeout) as raised:
        poll(lambda: "pending", what="the app to replicate", timeout_s=10, done=lambda v: v == "ready",
             initial_delay_s=4, backoff=2, clock=clock, sleep=clock.sleep)
    message = str(raised.value)
    assert "the app to replicate" in message and "'pending'" in message and "10.0 s" in message
    assert raised.value.last == "pending"
    assert clock.now == pytest.approx(10)
    assert clock.waits == [4, 6]  # the second wait is cut to the deadline (backoff says 8)


def test_timeout_keeps_last_exception_as_cause():
    clock = FakeClock()

    def attempt():
        raise Busy()

    with pytest.raises(PollTimeout) as raised:
        poll(attempt, what="x", timeout_s=1, retry_if=lambda e: True, clock=clock, sleep=clock.sleep)
    assert isinstance(raised.value.last, Busy) and raised.value.__cause__ is raised.value.last
    assert "Busy: busy" in str(raised.value)


def test_zero_timeout_tries_once():
    clock = FakeClock()
    calls = []
    with pytest.raises(PollTimeout):
        poll(lambda: calls.append(1), what="x", timeout_s=0, done=lambda v: False, clock=clock, sleep=clock.sleep)
    assert calls == [1]


def test_negative_timeout_is_refused():
    with pytest.raises(ValueError):
        poll(lambda: 1, what="x", timeout_s=-1)


def test_default_wait_really_waits_briefly():
    import time

    start = time.monotonic()
    answers = iter([None, "ok"])
    assert poll(lambda: next(answers), what="x", timeout_s=2, done=lambda v: v == "ok", initial_delay_s=0.05) == "ok"
    assert time.monotonic() - start >= 0.04
