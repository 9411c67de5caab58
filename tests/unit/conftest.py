"""Unit tests may clear the registry of revealed secrets; the session's leak gate still needs what came before."""

from collections.abc import Iterator

import pytest

from harness.secrets import remember, revealed_values


@pytest.fixture(autouse=True)
def keep_revealed_values() -> Iterator[None]:
    before = revealed_values()
    yield
    for value in before:
        remember(value)
