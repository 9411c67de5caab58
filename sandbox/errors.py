"""Start-up failures of the sandbox that the CLI turns into one line and exit code 2.

The message is the whole story for the user: what is wrong, which path or value, and the fix.
"""

from __future__ import annotations

from pathlib import Path


class StartupError(Exception):
    """The sandbox cannot start: bad port, unwritable or corrupted state folder, unreadable key files."""


class BadStateFile(Exception):
    """A file of the state folder cannot be read or makes no sense (empty, not PEM, keys that do not match)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path.name}: {reason}")
        self.path = path


def one_line(error: BaseException) -> str:
    """An exception's text on one line (OS errors as their strerror), for messages that must stay one line."""
    text = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return " ".join(text.split()) or type(error).__name__


def read_state_file(path: Path) -> bytes:
    """A key or certificate of the state folder; BadStateFile (named, with the fix) when unreadable or empty."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadStateFile(path, f"cannot read it ({exc.strerror or exc})") from exc
    if not data.strip():
        raise BadStateFile(path, "it is empty")
    return data
