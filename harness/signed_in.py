"""Sign in once per UI per worker: the browser's cookies after each UI's first sign-in, saved so that every later
scenario's fresh context starts signed in (pytest-playwright's `browser_context_args(storage_state=…)`).

The state holds live session cookies, so it never goes where evidence goes: a private temp folder (0700, the file
0600), never reports/ or test-results/. It is read with tracing paused and loaded when a context is created,
before its trace starts, and deleted at the end of the session. On TARGET=live it means fewer MFA prompts.

`flows.sign_in` asks `current()` whether a session keeps such a state; without one (the CLI, a bench script) it
signs in every time, as before.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext

from harness.evidence import tracing_paused
from harness.sign_in_setup import SignInSetupError

MICROSOFT = "microsoft"  # Microsoft sign-in and the Azure portal
BUSINESS_CENTRAL = "business_central"
DYNAMICS_MOBILE = "dynamics_mobile"


class SignedInState:
    """The merged storage state of the UIs signed in to so far in this worker (`services`)."""

    def __init__(self, seed: Path | None = None) -> None:
        """`seed`: a state saved by `bcoauth login azure --save-state` (AZURE_STORAGE_STATE), merged in first."""
        self._folder = Path(tempfile.mkdtemp(prefix="bcoauth-signed-in-"))  # mkdtemp: mode 0700
        self._file = self._folder / "storage-state.json"
        self._state: dict[str, Any] = {"cookies": [], "origins": []}
        self.services: set[str] = set()
        if seed is not None:
            try:
                saved = json.loads(Path(seed).read_text())
            except (OSError, ValueError) as exc:
                shutil.rmtree(self._folder, ignore_errors=True)
                raise SignInSetupError(f"cannot read the storage state {seed} (AZURE_STORAGE_STATE): "
                                       f"{exc.__class__.__name__}; save a new one with `bcoauth login azure "
                                       "--save-state FILE`") from None
            self._merge(saved)
            self._write()

    @property
    def storage_state(self) -> Path | None:
        """The file a new context starts from; None until something was saved."""
        return self._file if self._file.exists() else None

    def has(self, service: str) -> bool:
        return service in self.services

    def save(self, service: str, context: BrowserContext) -> None:
        """Keep the cookies `context` holds now (right after signing in to `service`), read untraced. Sessions
        live in cookies (Microsoft's ESTSAUTH, each portal's own); `storage_state()` would also visit every
        origin for its localStorage, which costs more than the sign-in it saves."""
        with tracing_paused(context):
            cookies = context.cookies()
        self._merge({"cookies": cookies})
        self._write()
        self.services.add(service)

    def _merge(self, state: dict[str, Any]) -> None:
        """Newer cookies and origins replace older ones of the same name; a context that started signed out (a
        test of sign-in itself) adds to what the others saved instead of erasing it."""
        cookies = {(c["name"], c["domain"], c["path"]): c for c in self._state["cookies"]}
        cookies.update({(c["name"], c["domain"], c["path"]): c for c in state.get("cookies", [])})
        origins = {o["origin"]: o for o in self._state["origins"]}
        origins.update({o["origin"]: o for o in state.get("origins", [])})
        self._state = {"cookies": list(cookies.values()), "origins": list(origins.values())}

    def _write(self) -> None:
        partial = self._folder / "storage-state.partial"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            json.dump(self._state, out)
        partial.replace(self._file)

    def close(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)
        self.services.clear()


_current: SignedInState | None = None


def current() -> SignedInState | None:
    """The state kept by this pytest session (worker), if any."""
    return _current


@contextlib.contextmanager
def kept(seed: Path | None = None) -> Iterator[SignedInState]:
    """For the session: a `SignedInState` that `current()` returns until the block ends, then deleted."""
    global _current
    state = SignedInState(seed)
    _current = state
    try:
        yield state
    finally:
        _current = None
        state.close()
