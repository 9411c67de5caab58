"""`Secret`: a value that never prints itself.

Every value revealed through :meth:`Secret.reveal` is remembered for the run, so the artifact scan
(`harness.leak_scan`) can prove none of them reached a report, trace, log or JUnit file.
"""

from __future__ import annotations

import threading

MASK = "••••••"

_revealed: set[str] = set()
_lock = threading.Lock()


class Secret:
    """A string that masks itself in repr/str/format; only `reveal()` hands out the value."""

    __slots__ = ("_value", "_label")

    def __init__(self, value: str, label: str = "secret") -> None:
        if isinstance(value, Secret):  # re-wrapping keeps the original
            value = value._value
        self._value = value
        self._label = label
        remember(value)

    def reveal(self) -> str:
        """The clear value, for the one call that needs it."""
        remember(self._value)
        return self._value

    @property
    def label(self) -> str:
        return self._label

    def hint(self) -> str:
        """First three characters, as the Azure portal shows a stored secret."""
        return self._value[:3] + "*" * 5 if self._value else ""

    def __repr__(self) -> str:
        return f"Secret({self._label}={MASK})"

    def __str__(self) -> str:
        return MASK

    def __format__(self, spec: str) -> str:
        return MASK

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            return self._value == other._value
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __reduce__(self):  # pickling (xdist, deepcopy) must not carry the value out
        raise TypeError("Secret values cannot be pickled")


def remember(value: str) -> None:
    """Record a clear value for the run's leak scan (values shorter than 8 chars are too common to scan)."""
    if value and len(value) >= 8:
        with _lock:
            _revealed.add(value)


def revealed_values() -> frozenset[str]:
    with _lock:
        return frozenset(_revealed)


def forget_all() -> None:
    """For the harness's own unit tests."""
    with _lock:
        _revealed.clear()
