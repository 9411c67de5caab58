"""Cleanup ledger: every step that creates something registers how to undo it; undo runs at teardown, last
created first, even when the scenario failed, and one failing undo does not stop the others."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class CleanupLedger:
    enabled: bool = True
    _entries: list[tuple[str, Callable[[], object]]] = field(default_factory=list)

    def add(self, description: str, undo: Callable[[], object]) -> None:
        self._entries.append((description, undo))

    def run(self) -> list[str]:
        """Undo everything; returns the descriptions that failed (already logged)."""
        failures: list[str] = []
        while self._entries:
            description, undo = self._entries.pop()
            if not self.enabled:
                log.info("cleanup disabled, left in place: %s", description)
                continue
            try:
                undo()
            except Exception as exc:  # noqa: BLE001 - report every failure, keep undoing
                log.warning("cleanup failed for %s: %s", description, exc)
                failures.append(f"{description}: {exc}")
        return failures
