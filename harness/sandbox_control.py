"""Start the sandbox in a child process and talk to its admin API (tests, `make e2e`, the CLI)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from harness.http import ssl_context
from harness.secrets import remember

DEFAULT_STATE = Path(".sandbox/state")
DEFAULT_ENDPOINTS = Path(".sandbox/endpoints.json")


class SandboxError(RuntimeError):
    pass


# What the harness reads from the endpoints file; a file without them is not (or no longer) a sandbox's.
ENDPOINT_KEYS = ("ca_cert", "login", "azure_portal", "business_central", "bc_api", "dynamics_mobile", "admin_url",
                 "admin_token", "tenant_id", "tenant_name", "admin_user", "admin_password", "environment", "company",
                 "dm_application_area", "dm_user", "dm_password")
URL_KEYS = ("login", "azure_portal", "business_central", "bc_api", "dynamics_mobile", "admin_url")


def _restart_hint(path: Path) -> str:
    return f"start a sandbox with `bcoauth sandbox serve --endpoints-file {path}` or pass --endpoints-file"


def _is_https_url(text: str) -> bool:
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError):
        return False
    return url.scheme == "https" and bool(url.host) and (url.port is None or 0 < url.port < 65536)


def read_endpoints(path: Path) -> dict[str, Any]:
    """The endpoints file `serve` writes, checked: every failure is a `SandboxError` naming the file and the fix."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SandboxError(f"{path} not found: start the sandbox with `bcoauth sandbox serve --endpoints-file "
                           f"{path}`") from exc
    except OSError as exc:
        raise SandboxError(f"cannot read the endpoints file {path} ({exc.strerror}); pass the file that "
                           "`bcoauth sandbox serve` wrote with --endpoints-file") from exc
    except UnicodeDecodeError as exc:
        raise SandboxError(f"the endpoints file {path} is not UTF-8 text, so not one `bcoauth sandbox serve` "
                           f"wrote; {_restart_hint(path)}") from exc
    try:
        endpoints = json.loads(text)
    except json.JSONDecodeError as exc:
        what = "empty" if not text.strip() else f"not JSON: {exc.msg} at line {exc.lineno}"
        raise SandboxError(f"the endpoints file {path} is {what}; {_restart_hint(path)}") from exc
    if not isinstance(endpoints, dict):
        raise SandboxError(f"the endpoints file {path} holds no JSON object; {_restart_hint(path)}")
    missing = [key for key in ENDPOINT_KEYS if not isinstance(endpoints.get(key), str) or not endpoints[key]]
    if missing:
        raise SandboxError(f"the endpoints file {path} lacks {', '.join(missing)}; {_restart_hint(path)}")
    not_urls = [key for key in URL_KEYS if not _is_https_url(endpoints[key])]
    if not_urls:
        raise SandboxError(f"the endpoints file {path} has no https URL in {', '.join(not_urls)}; "
                           f"{_restart_hint(path)}")
    if not Path(endpoints["ca_cert"]).is_file():
        raise SandboxError(f"the CA certificate named in {path} is gone ({endpoints['ca_cert']}): the sandbox that "
                           f"wrote it no longer exists; {_restart_hint(path)}")
    return endpoints


@dataclass
class SandboxProcess:
    process: subprocess.Popen[bytes]
    endpoints_file: Path
    endpoints: dict[str, Any]

    def request_stop(self) -> None:
        """SIGTERM without waiting: the twins shut down while the caller goes on; `stop()` waits for them."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.request_stop()
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


def _last_line(path: Path) -> str:
    """The CLI's one-line reason, which it writes last."""
    try:
        lines = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return "no log"
    return lines[-1] if lines else "empty log"


@dataclass
class StartingSandbox:
    """A `bcoauth sandbox serve` spawned but not waited for yet: the caller does other work (pytest collects)
    while the twins make their keys and bind their ports, then `wait()`s."""

    process: subprocess.Popen[bytes]
    endpoints_file: Path
    log_file: Path | None
    deadline: float  # time.monotonic()
    timeout_s: float

    def wait(self) -> SandboxProcess:
        """Until the endpoints file appears (polled, with the deadline); a one-line SandboxError otherwise."""
        delay = 0.05
        while not self.endpoints_file.exists():
            if self.process.poll() is not None:
                raise SandboxError(f"the sandbox exited with code {self.process.returncode} during start-up"
                                   + (f": {_last_line(self.log_file)} (see {self.log_file})" if self.log_file
                                      else ""))
            if time.monotonic() > self.deadline:
                self.process.kill()
                raise SandboxError(f"the sandbox did not write {self.endpoints_file} within {self.timeout_s:.0f} s")
            time.sleep(delay)  # wait-ok: polling for the child's endpoints file, with a deadline
            delay = min(delay * 1.5, 0.1)  # a stat() is cheap: a longer pause only adds to every start (~1 s)
        return SandboxProcess(self.process, self.endpoints_file, read_endpoints(self.endpoints_file))

    def stop(self) -> None:
        """Stop it (SIGTERM, then SIGKILL after 10 s) whether or not it was waited for."""
        SandboxProcess(self.process, self.endpoints_file, {}).stop()

    def discard(self) -> None:
        """End one that nobody used at once: no state worth a graceful shutdown, and no wait for one."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def start_sandbox(state_dir: Path, endpoints_file: Path, *, port: int = 0, profile: str = "fast",
                  timeout_s: float = 60.0, log_file: Path | None = None) -> SandboxProcess:
    """Spawn `bcoauth sandbox serve` and wait until its endpoints file appears (with a deadline)."""
    return spawn_sandbox(state_dir, endpoints_file, port=port, profile=profile, timeout_s=timeout_s,
                         log_file=log_file).wait()


def spawn_sandbox(state_dir: Path, endpoints_file: Path, *, port: int = 0, profile: str = "fast",
                  timeout_s: float = 60.0, log_file: Path | None = None) -> StartingSandbox:
    """Spawn `bcoauth sandbox serve` (from the calling thread: the twins get its death signal) and return at once;
    `wait()` on the result for its endpoints."""
    endpoints_file.unlink(missing_ok=True)
    log = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115 - owned by the child
    cmd = [sys.executable, "-m", "harness.cli", "sandbox", "serve", "--port", str(port), "--state", str(state_dir),
           "--endpoints-file", str(endpoints_file), "--profile", profile]
    # A session of its own: a Ctrl-C in the terminal reaches the test run (whose teardown still needs the twins),
    # not the twins; they stop with the run's teardown, or with the run's death (PR_SET_PDEATHSIG).
    process = subprocess.Popen(cmd, stdout=log, stderr=log, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                               preexec_fn=_die_with_parent,  # noqa: PLW1509 - only sets the death signal
                               start_new_session=True)
    return StartingSandbox(process, endpoints_file, log_file, time.monotonic() + timeout_s, timeout_s)


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


class AdminClient:
    """The sandbox admin API (loopback, bearer token). Every failure is a one-line `SandboxError`."""

    def __init__(self, endpoints: dict[str, Any], timeout_s: float = 30.0, source: Path | None = None) -> None:
        self._url = endpoints["admin_url"]
        self._source = source
        for key in ("admin_token", "admin_password", "dm_password", "mfa_password", "mfa_totp_seed"):
            remember(str(endpoints.get(key) or ""))  # the session's leak gate searches artifacts for them
        try:
            verify = ssl_context(endpoints["ca_cert"])
        except (OSError, ssl.SSLError) as exc:
            raise SandboxError(f"cannot load the sandbox CA certificate {endpoints['ca_cert']}: "
                               f"{getattr(exc, 'strerror', None) or exc.__class__.__name__}"
                               + self._stale_hint()) from exc
        self._client = httpx.Client(base_url=self._url, verify=verify,
                                    headers={"Authorization": f"Bearer {endpoints['admin_token']}"},
                                    timeout=timeout_s)

    def _stale_hint(self) -> str:
        if self._source is None:
            return ""
        return f" (endpoints file {self._source} is stale?): {_restart_hint(self._source)}"

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self._client.request(method, path, **kwargs)
        except httpx.ConnectError as exc:
            if "CERTIFICATE_VERIFY_FAILED" in str(exc):
                raise SandboxError(f"the server at {self._url} is not the sandbox that wrote the endpoints file "
                                   f"(its TLS certificate is not from that sandbox's CA)"
                                   + self._stale_hint()) from exc
            where = f" (endpoints file {self._source} is stale)" if self._source else ""
            fix = _restart_hint(self._source) if self._source else "start one with `bcoauth sandbox serve`"
            raise SandboxError(f"no sandbox answers at {self._url}{where}: {fix}") from exc
        except httpx.TimeoutException as exc:
            raise SandboxError(f"the sandbox at {self._url} did not answer {method} {path} in time "
                               f"({exc.__class__.__name__}); is it stopped in a debugger or overloaded?") from exc
        except httpx.HTTPError as exc:
            raise SandboxError(f"talking to the sandbox at {self._url} failed: {exc.__class__.__name__}: "
                               f"{_one_line(str(exc))}" + self._stale_hint()) from exc
        if response.status_code == 401:
            raise SandboxError(f"the sandbox at {self._url} refused the admin token (a different sandbox on that "
                               "port?)" + self._stale_hint())
        if response.status_code >= 400:
            raise SandboxError(f"admin API {method} {path} → {response.status_code}: {_one_line(response.text)}")
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise SandboxError(f"admin API {method} {path} answered {response.status_code} without JSON: is "
                               f"{self._url} a sandbox's admin API?" + self._stale_hint()) from exc

    def provision_app(self, **options: Any) -> dict[str, Any]:
        app = self._call("POST", "/admin/apps", json=options)
        remember(str(app.get("client_secret") or ""))  # for the leak gate, even if a test never wraps it
        return app

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
