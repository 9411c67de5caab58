"""The agent check is tried again after a transient outage or throttling, and only then (flows.dynamics_mobile)."""

from __future__ import annotations

from flows.dynamics_mobile import agent_check
from harness.backstage import AgentCheck


class _Backstage:
    def __init__(self, answers: list[AgentCheck]) -> None:
        self.answers = answers
        self.calls = 0

    def agent_check(self, area: str, role_id: str) -> AgentCheck:
        self.calls += 1
        return self.answers.pop(0)


OUTAGE = AgentCheck(False, "token", "AADSTS90033", "AADSTS90033: A transient error has occurred.")
THROTTLED = AgentCheck(False, "bc_api", "Application_TooManyRequests", "Too many requests reached.")
DONE = AgentCheck(True, "done", None, "")
WRONG_SECRET = AgentCheck(False, "token", "AADSTS7000215", "Invalid client secret provided.")


def test_a_transient_answer_is_tried_again_until_a_final_one() -> None:
    stage = _Backstage([OUTAGE, THROTTLED, DONE])
    assert agent_check(stage, "DEMO01", "DMSAGENT", timeout_s=30) == DONE  # type: ignore[arg-type]
    assert stage.calls == 3


def test_a_settings_problem_is_final_at_once() -> None:
    stage = _Backstage([WRONG_SECRET, DONE])
    assert agent_check(stage, "DEMO01", "DMSAGENT", timeout_s=30) == WRONG_SECRET  # type: ignore[arg-type]
    assert stage.calls == 1
