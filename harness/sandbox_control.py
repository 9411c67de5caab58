"""Start the sandbox in a child process and talk to its admin API (tests, `make e2e`, the CLI)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from harness.http import ssl_context

DEFAULT_STATE = Path(".sandbox/state")
DEFAULT_ENDPOINTS = Path(".sandbox/endpoints.json")


class SandboxError(RuntimeError):
    pass


def read_endpoints(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError as exc:
        raise SandboxError(f"{path} not found: start the sandbox with `bcoauth sandbox serve --endpoints-file "
                           f"{path}`") from exc


@dataclass
class SandboxProcess:
    process: subprocess.Popen[bytes]
    endpoints_file: Path
    endpoints: dict[str, Any]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _die_with_parent() -> None:
    """Linux: the twins get SIGTERM when the test process dies (killed CI job, Ctrl-C twice): nothing lingers."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def start_sandbox(state_dir: Path, endpoints_file: Path, *, port: int = 0, profile: str = "fast",
                  timeout_s: float = 60.0, log_file: Path | None = None) -> SandboxProcess:
    """Spawn `bcoauth sandbox serve` and wait until its endpoints file appears (with a deadline)."""
    endpoints_file.unlink(missing_ok=True)
    log = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115 - owned by the child
    cmd = [sys.executable, "-m", "harness.cli", "sandbox", "serve", "--port", str(port), "--state", str(state_dir),
           "--endpoints-file", str(endpoints_file), "--profile", profile]
    process = subprocess.Popen(cmd, stdout=log, stderr=log, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                               preexec_fn=_die_with_parent)  # noqa: PLW1509 - only sets the death signal
    deadline = time.monotonic() + timeout_s
    delay = 0.05
    while not endpoints_file.exists():
        if process.poll() is not None:
            raise SandboxError(f"the sandbox exited with code {process.returncode} during start-up"
                               + (f"; see {log_file}" if log_file else ""))
        if time.monotonic() > deadline:
            process.kill()
            raise SandboxError(f"the sandbox did not write {endpoints_file} within {timeout_s:.0f} s")
        time.sleep(delay)  # wait-ok: polling for the child's endpoints file, with a deadline
        delay = min(delay * 1.5, 0.5)
    return SandboxProcess(process, endpoints_file, read_endpoints(endpoints_file))


class AdminClient:
    """The sandbox admin API (loopback, bearer token)."""

    def __init__(self, endpoints: dict[str, Any], timeout_s: float = 30.0) -> None:
        self._client = httpx.Client(base_url=endpoints["admin_url"], verify=ssl_context(endpoints["ca_cert"]),
                                    headers={"Authorization": f"Bearer {endpoints['admin_token']}"},
                                    timeout=timeout_s)

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._client.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise SandboxError(f"admin API {method} {path} → {response.status_code}: {response.text}")
        return response.json() if response.content else None

    def provision_app(self, **options: Any) -> dict[str, Any]:
        return self._call("POST", "/admin/apps", json=options)

    def remove_app(self, client_id: str) -> None:
        self._call("DELETE", f"/admin/apps/{client_id}")

    def apps(self) -> list[dict[str, Any]]:
        return self._call("GET", "/admin/apps")

    def set_redirect_uris(self, client_id: str, redirect_uris: list[dict[str, str]]) -> None:
        """Replace an app registration's redirect URIs ([] removes them all)."""
        self._call("POST", f"/admin/apps/{client_id}/redirect-uris", json={"redirect_uris": redirect_uris})

    def bc_apps(self) -> list[dict[str, Any]]:
        return self._call("GET", "/admin/bc/apps")

    def expire_secrets(self, client_id: str) -> None:
        self._call("POST", f"/admin/apps/{client_id}/expire-secrets")

    def advance_clock(self, seconds: float) -> float:
        return self._call("POST", "/admin/clock/advance", json={"seconds": seconds})["now"]

    def reset_clock(self) -> None:
        self._call("POST", "/admin/clock/reset")

    def set_profile(self, profile: str) -> dict[str, Any]:
        return self._call("POST", "/admin/profile", json={"profile": profile})

    def set_options(self, **options: Any) -> dict[str, Any]:
        return self._call("POST", "/admin/options", json=options)

    def options(self) -> dict[str, Any]:
        return self._call("GET", "/admin/options")

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """Routes that twins add (e.g. the Dynamics Mobile agent check)."""
        return self._call(method, path, **kwargs)

    def close(self) -> None:
        self._client.close()
