"""Retries on real tenants only: with TARGET=live the harness asks pytest-rerunfailures for `--reruns 1`, so a
scenario that failed once for a reason outside the harness (replication, a throttled service) runs again and the
report's Retries and Flaky filters show it. Against the sandbox nothing is retried: a twin that flakes is a bug.
An explicit `--reruns N` (or the `reruns` ini option) wins; with `--pdb` nothing is added (the two exclude each
other)."""

from __future__ import annotations

from typing import Any

import pytest

from harness.fixtures import settings_of
from harness.settings import Settings

LIVE_RERUNS = 1


def reruns_for(settings: Settings, option: Any, ini_reruns: str) -> int | None:
    """The rerun count the harness sets, or None when it leaves pytest-rerunfailures' options alone."""
    if not hasattr(option, "reruns") or settings.is_sandbox:
        return None  # plugin disabled (-p no:rerunfailures), or the sandbox
    if option.reruns is not None or ini_reruns or getattr(option, "usepdb", False):
        return None
    return LIVE_RERUNS


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    ini = config.getini("reruns") if hasattr(config.option, "reruns") else ""
    reruns = reruns_for(settings_of(config), config.option, ini)
    if reruns is not None:
        config.option.reruns = reruns
