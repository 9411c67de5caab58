"""Every domain's tables, handed to the store in one place (the store itself imports no domain module)."""

from __future__ import annotations

from pathlib import Path

from sandbox import bc_data, directory, dm_data
from sandbox.store import Store

SCHEMAS = (bc_data.SCHEMA, directory.SCHEMA, dm_data.SCHEMA)


def open_store(path: Path | str) -> Store:
    """The sandbox store at `path` with every twin's tables."""
    return Store(path, SCHEMAS)
