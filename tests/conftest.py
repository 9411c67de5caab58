"""Fixtures every test folder shares (the harness's own fixtures come from the `harness.fixtures` plugin)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from harness import leak_scan
from harness.sandbox_control import AdminClient

# `make test` is the quick check before a push (`-m "not slow"`, ≤ 90 s on two cores); `make test-all` adds these,
# and CI runs both. Each runs whole nested pytest sessions or every UI variant: minutes, not seconds.
FULL_SUITE_ONLY = {
    "tests/cli/test_live_coverage_on_twins.py": "26 scenarios again as a nested TARGET=live run",
    "tests/cli/test_live_target_on_twins.py": "the golden path as a nested TARGET=live run",
    "tests/cli/test_doctor.py": "nested doctor runs, one with a renamed control",
    "tests/cli/test_sweep.py": "nested sweeps through the portals",
    "tests/cli/test_ctrl_c_cleanup.py": "interrupts a nested run at several points",
    "tests/twins/test_hostile_combination.py": "every UI feature again with every twin variant on",
    "tests/twins/test_bc_web_variants.py": "each Business Central UI variant",
    "tests/twins/test_signin_variants.py": "each Microsoft sign-in variant",
    "tests/twins/test_azure_portal_variants.py": "each Azure portal UI variant",
    "tests/reporting/test_playwright_artifacts.py": "nested runs for each pytest-playwright flag",
    "tests/reporting/test_forwardable_report.py": "nested runs that build the report",
    "tests/drift/test_drift.py": "the drift check across every page",
}
HYPOTHESIS_PLUGIN = "hypothesispytest"  # the entry point name of Hypothesis' pytest plugin


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Marks the full-suite-only modules `slow`; refuses a secret-shaped test id; drops Hypothesis' plugin from a
    session without a property test (below)."""
    for item in items:
        if item.nodeid.split("::")[0] in FULL_SUITE_ONLY:
            item.add_marker(pytest.mark.slow)
    # A test id is written to JUnit, the console and Allure: one that holds a secret-shaped test value would trip
    # the secret gate at the end of the run. Refuse it at collection, naming the test (give it `ids=`).
    for item in items:
        if leak_scan.find(item.nodeid, item.nodeid.encode(), {}, shapes=leak_scan.SHAPES):  # decoded, as the gate
            raise pytest.UsageError(f"{item.nodeid.split('[')[0]}: a parameter id looks like a client secret; "
                                    "give the parametrize readable ids=")
    # Hypothesis' end-of-run summary imports all of Hypothesis (~0.17 s), property tests or not: a feature run or
    # the golden path does without it.
    if not any(getattr(getattr(item, "obj", None), "is_hypothesis_test", False) for item in items):
        plugin = config.pluginmanager.get_plugin(HYPOTHESIS_PLUGIN)
        if plugin is not None:
            config.pluginmanager.unregister(plugin)


@pytest.fixture
def twin_options(admin: AdminClient) -> Iterator[Callable[..., None]]:
    """Set twin options for one test; each option touched is put back as it was afterwards (null = default)."""
    before = admin.options()
    touched: set[str] = set()

    def set_options(**values: Any) -> None:
        touched.update(values)
        admin.set_options(**values)

    yield set_options
    if touched:
        admin.set_options(**{name: before.get(name) for name in touched})
