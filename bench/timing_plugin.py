"""Where a pytest run spends its time, by category: `-p bench.timing_plugin` with BENCH_TIMINGS=<file.json>.

Categories (each total is inclusive: a sign-in's own page loads also count under "waits" when they wait):
- sign-ins: `flows.sign_in.to_*` (each UI's sign-in, or finding it signed in);
- cleanup ledger: `CleanupLedger.run` at the end of each scenario;
- new contexts / new pages: `Browser.new_context`, `BrowserContext.new_page`;
- screenshots: `harness.evidence.screenshot` (the per-step evidence);
- trace chunks: `Tracing.stop_chunk` / `start_chunk` (pauses around secrets);
- waits: sleeps between polls (`harness.polling.poll`), requests settling after a secret (`evidence._drain`),
  `Page.wait_for_load_state`;
- sandbox starts: the time spent waiting for a sandbox to come up (`StartingSandbox.wait`: the session's,
  which starts while pytest collects, and the tests' own);
- browser launches: `BrowserType.launch` (one per worker is the aim).

Each process writes its own file (under xdist `<stem>.<worker>.json`); `bench.suite` adds them up.
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CATEGORIES = ("sign-ins", "cleanup ledger", "new contexts", "new pages", "screenshots", "trace chunks", "waits",
              "sandbox starts", "browser launches")

_totals: dict[str, list[float]] = {name: [0, 0.0] for name in CATEGORIES}  # count, seconds
_depth: dict[str, int] = dict.fromkeys(CATEGORIES, 0)
_undo: list[Callable[[], None]] = []


def _timed(category: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _depth[category]:  # nested (a sign-in inside a sign-in): counted once, by the outer call
            return function(*args, **kwargs)
        _depth[category] += 1
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _depth[category] -= 1
            _totals[category][0] += 1
            _totals[category][1] += time.perf_counter() - started

    return wrapper


def _patch(owner: Any, name: str, category: str) -> None:
    original = getattr(owner, name)
    setattr(owner, name, _timed(category, original))
    _undo.append(lambda: setattr(owner, name, original))


def install() -> None:
    from playwright.sync_api import Browser, BrowserContext, BrowserType, Page
    from playwright.sync_api._generated import Tracing

    import harness.sandbox_control
    from flows import sign_in
    from harness import evidence, polling
    from harness.cleanup import CleanupLedger

    for name in ("to_azure_portal", "to_business_central", "to_dynamics_mobile_portal"):
        _patch(sign_in, name, "sign-ins")
    _patch(CleanupLedger, "run", "cleanup ledger")
    _patch(Browser, "new_context", "new contexts")
    _patch(BrowserContext, "new_page", "new pages")
    _patch(evidence, "screenshot", "screenshots")
    _patch(Tracing, "stop_chunk", "trace chunks")
    _patch(Tracing, "start_chunk", "trace chunks")
    _patch(evidence, "_drain", "waits")
    _patch(Page, "wait_for_load_state", "waits")
    _patch(harness.sandbox_control.StartingSandbox, "wait", "sandbox starts")
    _patch(BrowserType, "launch", "browser launches")
    defaults = polling.poll.__kwdefaults__  # `sleep` is bound when poll is defined: wrap the default itself
    original_sleep = defaults["sleep"]
    defaults["sleep"] = _timed("waits", original_sleep)
    _undo.append(lambda: defaults.__setitem__("sleep", original_sleep))


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("BENCH_TIMINGS"):
        install()
        config.add_cleanup(lambda: [undo() for undo in reversed(_undo)])


def pytest_sessionfinish(session: pytest.Session) -> None:
    target = os.environ.get("BENCH_TIMINGS")
    if not target:
        return
    path = Path(target)
    worker = getattr(session.config, "workerinput", {}).get("workerid")
    if worker:
        path = path.with_name(f"{path.stem}.{worker}.json")
    elif hasattr(session.config.option, "numprocesses") and session.config.option.numprocesses:
        return  # the xdist controller runs no tests: its workers write
    path.write_text(json.dumps({name: {"count": int(count), "seconds": round(seconds, 3)}
                                for name, (count, seconds) in _totals.items()}, indent=1))


def read_totals(path: Path) -> dict[str, dict[str, float]]:
    """The categories of one run, summed over the files its processes wrote (`path` and `<stem>.gw*.json`)."""
    files = [p for p in [path, *path.parent.glob(f"{path.stem}.gw*.json")] if p.exists()]
    totals = {name: {"count": 0, "seconds": 0.0} for name in CATEGORIES}
    for file in files:
        for name, figures in json.loads(file.read_text()).items():
            totals.setdefault(name, {"count": 0, "seconds": 0.0})
            totals[name]["count"] += figures["count"]
            totals[name]["seconds"] += figures["seconds"]
    return totals
