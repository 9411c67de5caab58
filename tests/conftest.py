"""Fixtures every test folder shares (the harness's own fixtures come from the `harness.fixtures` plugin)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from harness.sandbox_control import AdminClient


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
