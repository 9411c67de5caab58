"""Cleanup ledger: every step that creates something registers how to undo it; undo runs at teardown, last
created first, even when the scenario failed, and one failing undo does not stop the others.

An entry may also carry a shortcut: a cheaper undo with the same result (the sandbox admin API instead of
clicking through a portal's Delete). The shortcut answers False where it cannot stand in (TARGET=live), and the
ledger then undoes through the UI. Tests marked `ui_cleanup` switch shortcuts off to prove the UI Delete.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

Shortcut = Callable[[], bool]


@dataclass
class CleanupLedger:
    enabled: bool = True
    shortcuts: bool = True  # take an entry's shortcut where it has one
    _entries: list[tuple[str, Callable[[], object], Shortcut | None]] = field(default_factory=list)

    def add(self, description: str, undo: Callable[[], object], shortcut: Shortcut | None = None) -> None:
        self._entries.append((description, undo, shortcut))

    def run(self) -> list[str]:
        """Undo everything; returns the descriptions that failed (already logged)."""
        failures: list[str] = []
        while self._entries:
            description, undo, shortcut = self._entries.pop()
            if not self.enabled:
                log.info("cleanup disabled, left in place: %s", description)
                continue
            try:
                if not (self.shortcuts and shortcut is not None and shortcut()):
                    undo()
            except Exception as exc:  # noqa: BLE001 - report every failure, keep undoing
                log.warning("cleanup failed for %s: %s", description, exc)
                failures.append(f"{description}: {exc}")
        return failures
