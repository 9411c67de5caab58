"""The chaos copy of the golden path (test_full_setup_chaos.py) binds the same feature, so it inherits @golden and
@smoke; it keeps only `chaos`, so `-m golden` and `-m smoke` select the quick runs alone (the full suite,
`make test-all`, runs it; make e2e and make soak leave it out)."""

from __future__ import annotations

import pytest

QUICK_SELECTIONS = {"golden", "smoke"}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("chaos"):
            item.own_markers[:] = [mark for mark in item.own_markers if mark.name not in QUICK_SELECTIONS]
