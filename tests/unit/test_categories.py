"""Failures land in the category a QA lead expects (first matching category wins, whole-message match)."""

import json
import re
from pathlib import Path

import pytest

from harness.oauth import TokenError
from harness.polling import PollTimeout
from harness.service_error import gave_up

CATEGORIES = json.loads((Path(__file__).resolve().parents[2] / "harness" / "allure_categories.json").read_text())


def category(message: str) -> str | None:
    return next((c["name"] for c in CATEGORIES if re.fullmatch(c["messageRegex"], message)), None)


def _waited_too_long() -> str:
    last = TokenError(error="unauthorized_client", description="Application not found", code=700016, status=400)
    return str(gave_up(PollTimeout("a token", 120.0, 9, last), last))


@pytest.mark.parametrize(("message", "expected"), [
    ("harness.oauth.TokenError: AADSTS7000215 invalid_client (HTTP 401): Invalid client secret provided.",
     "Token service rejected the credentials"),
    ("harness.bc_api.BcApiError: HTTP 401 Authentication_InvalidCredentials: The server has rejected the client "
     "credentials.", "BC API rejected the token"),
    ("playwright._impl._errors.TimeoutError: Locator.click: Timeout 30000ms exceeded.\nCall log:\n  - waiting for "
     "get_by_role(\"button\", name=\"Register\")", "UI element not found — possible portal change"),
    ("harness.sandbox_control.SandboxError: the sandbox exited with code 2 during start-up", "Sandbox fault"),
])
def test_each_kind_of_failure_has_its_category(message: str, expected: str) -> None:
    assert category(message) == expected


def test_a_replication_code_after_the_deadline_counts_as_waiting_too_long() -> None:
    message = _waited_too_long()
    assert "AADSTS700016" in message and "gave up waiting after 120 s" in message
    assert category(message) == "Waited too long for propagation"
