"""Parallel runs and per-scenario savings: each xdist worker's sandbox ports, the signed-in state a worker keeps
(private, merged, never erased by a context that started signed out), and the cleanup ledger's shortcuts."""

from __future__ import annotations

import json
import os
import stat
from types import SimpleNamespace
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from harness import workers
from harness.cleanup import CleanupLedger
from harness.signed_in import SignedInState


def _config(numprocesses: int | None = None, workerid: str | None = None, count: int = 2) -> Any:
    config = SimpleNamespace(option=SimpleNamespace(numprocesses=numprocesses))
    if workerid is not None:
        config.workerinput = {"workerid": workerid, "workercount": count}
    return config


def test_each_worker_serves_six_ports_further_on() -> None:
    assert workers.sandbox_port(45100, _config()) == 45100
    assert workers.sandbox_port(45100, _config(2, "gw0")) == 45100
    assert workers.sandbox_port(45100, _config(2, "gw1")) == 45106
    assert workers.sandbox_port(0, _config(2, "gw1")) == 0  # any free ports stay any free ports


def test_a_port_range_past_65535_for_the_workers_is_named_with_its_fix() -> None:
    assert workers.port_problem(65530, _config()) is None  # one process: 65530-65535 fits
    problem = workers.port_problem(65530, _config(2))
    assert problem is not None and problem.startswith("SANDBOX_PORT=65530") and "at most 65524" in problem
    assert workers.port_problem(65530, _config(2, "gw1")) == problem


def test_only_the_process_that_hands_out_tests_is_the_controller() -> None:
    assert workers.is_xdist_controller(_config(2))
    assert not workers.is_xdist_controller(_config(2, "gw0"))
    assert not workers.is_xdist_controller(_config(None))


class _Tracing:
    def stop_chunk(self, path: str | None = None) -> None:
        raise PlaywrightError("tracing is not started")  # what Playwright says when nothing records

    def start_chunk(self) -> None:
        raise AssertionError("never resumed: it was not paused")


class _Context:
    def __init__(self, cookies: list[dict[str, str]]) -> None:
        self.tracing = _Tracing()
        self._cookies = cookies

    def cookies(self) -> list[dict[str, str]]:
        return self._cookies


def _cookie(name: str, value: str, domain: str = "login.test") -> dict[str, str]:
    return {"name": name, "value": value, "domain": domain, "path": "/"}


def test_the_signed_in_state_is_private_merged_and_gone_at_the_end() -> None:
    state = SignedInState()
    assert state.storage_state is None and not state.has("microsoft")
    state.save("microsoft", _Context([_cookie("ESTSAUTH", "one"), _cookie("portal", "p", "portal.test")]))
    state.save("dynamics_mobile", _Context([_cookie("ESTSAUTH", "two"), _cookie("dm", "d", "dm.test")]))
    path = state.storage_state
    assert path is not None and state.has("microsoft") and state.has("dynamics_mobile")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600 and stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    saved = {c["name"]: c["value"] for c in json.loads(path.read_text())["cookies"]}
    assert saved == {"ESTSAUTH": "two", "portal": "p", "dm": "d"}  # newer wins, nothing else is lost
    state.close()
    assert not path.parent.exists() and state.storage_state is None


def test_a_shortcut_stands_in_for_the_ui_undo_only_where_it_can() -> None:
    done: list[str] = []
    ledger = CleanupLedger()
    ledger.add("app", lambda: done.append("app through the UI"), shortcut=lambda: done.append("app by API") is None)
    ledger.add("record", lambda: done.append("record through the UI"), shortcut=lambda: False)  # live: cannot
    assert ledger.run() == [] and done == ["record through the UI", "app by API"]
    done.clear()
    proving = CleanupLedger(shortcuts=False)  # a test marked ui_cleanup
    proving.add("app", lambda: done.append("app through the UI"), shortcut=lambda: True)
    assert proving.run() == [] and done == ["app through the UI"]


def test_a_failing_shortcut_is_a_cleanup_failure_like_any_other() -> None:
    def broken() -> bool:
        raise RuntimeError("admin API down")

    ledger = CleanupLedger()
    ledger.add("app", lambda: None, shortcut=broken)
    assert ledger.run() == ["app: admin API down"]


@pytest.mark.parametrize("seed", ["{not json", ""])
def test_an_unreadable_saved_state_is_named(tmp_path: Any, seed: str) -> None:
    from harness.sign_in_setup import SignInSetupError

    file = tmp_path / "state.json"
    file.write_text(seed)
    with pytest.raises(SignInSetupError, match="AZURE_STORAGE_STATE"):
        SignedInState(seed=file)
