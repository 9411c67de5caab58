"""A pytest plugin for nested runs (`-p tests.cli.ui_cleanup_everywhere`): every test undoes through the UIs'
own Delete actions, as if marked `ui_cleanup`, so a test can prove that the browser is still there to do it."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.ui_cleanup)
