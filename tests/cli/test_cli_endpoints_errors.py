"""`provision-app`, `agent-check` and `clock` with an endpoints file that is missing, stale, malformed or incomplete,
and with numbers that are not numbers: one line naming the file or option and the fix, exit code 2, no traceback,
no credential from the file in the message. Also: a bug (not bad input) is one line, exit 1, traceback on demand.

Everything except the killed-sandbox test uses the session's running sandbox or none at all."""

from __future__ import annotations

import json
import signal
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import certifi
import pytest

from harness import cli
from harness.sandbox_control import start_sandbox
from tests.cli.conftest import ENDPOINT_SECRETS, Run, assert_refused

COMMANDS = {
    "provision-app": ("sandbox", "provision-app"),
    "agent-check": ("sandbox", "agent-check", "--area", "DEMO01", "--role", "DMSAGENT"),
    "clock": ("sandbox", "clock", "--reset"),
}


def _closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _with(endpoints: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**{k: v for k, v in endpoints.items() if k not in changes}, **{k: v for k, v in changes.items()
                                                                              if v is not None}}


# Each case writes a broken endpoints file from the running sandbox's good one; (path, needles the line must say).
Case = Callable[[Path, dict[str, Any]], tuple[Path, tuple[str, ...]]]


def _missing(tmp: Path, good: dict[str, Any]) -> tuple[Path, tuple[str, ...]]:
    return tmp / "no-such.json", ("not found", "bcoauth sandbox serve")


def _folder(tmp: Path, good: dict[str, Any]) -> tuple[Path, tuple[str, ...]]:
    (tmp / "a-folder").mkdir()
    return tmp / "a-folder", ("cannot read the endpoints file", "--endpoints-file")


def _empty(tmp: Path, good: dict[str, Any]) -> tuple[Path, tuple[str, ...]]:
    (tmp / "e.json").write_text("")
    return tmp / "e.json", ("is empty", "bcoauth sandbox serve", "--endpoints-file")


def _truncated(tmp: Path, good: dict[str, Any]) -> tuple[Path, tuple[str, ...]]:
    text = json.dumps(good, indent=2)
    (tmp / "e.json").write_text(text[: len(text) // 2])  # a write cut short: half the credentials in it
    return tmp / "e.json", ("is not JSON", "bcoauth sandbox serve", "--endpoints-file")


def _not_utf8(tmp: Path, good: dict[str, Any]) -> tuple[Path, tuple[str, ...]]:
    (tmp / "e.json").write_bytes(b'{"admin_url": "\xff\xfe"}')
    return tmp / "e.json", ("not UTF-8", "bcoauth sandbox serve")


def _a_list(tmp: Path, good: dict[str, Any]) -> tuple[Path, tuple[str, ...]]:
    (tmp / "e.json").write_text(json.dumps(list(good.values())))
    return tmp / "e.json", ("no JSON object", "bcoauth sandbox serve")


def _keys_missing(tmp: Path, good: dict[str, Any]) -> tuple[Path, tuple[str, ...]]:
    (tmp / "e.json").write_text(json.dumps(_with(good, admin_url=None, admin_token=None)))
    return tmp / "e.json", ("lacks admin_url, admin_token", "bcoauth sandbox serve")


def _port_out_of_range(tmp: Path, good: dict[str, Any]) -> tuple[Path, tuple[str, ...]]:
    (tmp / "e.json").write_text(json.dumps(_with(good, admin_url="https://127.0.0.1:99999")))
    return tmp / "e.json", ("no https URL in admin_url",)


def _ca_gone(tmp: Path, good: dict[str, Any]) -> tuple[Path, tuple[str, ...]]:
    (tmp / "e.json").write_text(json.dumps(_with(good, ca_cert=str(tmp / "deleted-state" / "ca.pem"))))
    return tmp / "e.json", ("CA certificate", "no longer exists", "bcoauth sandbox serve")


def _ca_not_pem(tmp: Path, good: dict[str, Any]) -> tuple[Path, tuple[str, ...]]:
    (tmp / "ca.pem").write_text("not a certificate\n")
    (tmp / "e.json").write_text(json.dumps(_with(good, ca_cert=str(tmp / "ca.pem"))))
    return tmp / "e.json", ("cannot load the sandbox CA certificate", "--endpoints-file")


def _another_ca(tmp: Path, good: dict[str, Any]) -> tuple[Path, tuple[str, ...]]:
    """A valid CA file that did not sign the server's certificate: another sandbox now owns that port."""
    (tmp / "e.json").write_text(json.dumps(_with(good, ca_cert=certifi.where())))
    return tmp / "e.json", ("is not the sandbox that wrote the endpoints file", "--endpoints-file")


def _nobody_listens(tmp: Path, good: dict[str, Any]) -> tuple[Path, tuple[str, ...]]:
    url = f"https://127.0.0.1:{_closed_port()}"
    (tmp / "e.json").write_text(json.dumps(_with(good, admin_url=url)))
    return tmp / "e.json", (f"no sandbox answers at {url}", "is stale", "bcoauth sandbox serve", "--endpoints-file")


def _foreign_token(tmp: Path, good: dict[str, Any]) -> tuple[Path, tuple[str, ...]]:
    (tmp / "e.json").write_text(json.dumps(_with(good, admin_token="token-of-another-sandbox-0123456789")))
    return tmp / "e.json", ("refused the admin token", "--endpoints-file")


CASES: dict[str, Case] = {
    "missing": _missing, "a folder": _folder, "empty": _empty, "truncated JSON": _truncated,
    "not UTF-8": _not_utf8, "a JSON list": _a_list, "keys missing": _keys_missing,
    "port out of range": _port_out_of_range, "CA deleted": _ca_gone, "CA not PEM": _ca_not_pem,
    "another sandbox's CA": _another_ca, "nobody listens": _nobody_listens,
    "another sandbox's token": _foreign_token,
}


@pytest.mark.parametrize("case", CASES)
def test_a_bad_endpoints_file_is_one_line_naming_it_and_the_fix(bcoauth: Run, tmp_path: Path, case: str,
                                                                 shared_endpoints: dict[str, Any],
                                                                 endpoint_secrets: list[str]) -> None:
    path, needles = CASES[case](tmp_path, shared_endpoints)
    result = bcoauth(*COMMANDS["provision-app"], "--endpoints-file", str(path))
    assert_refused(result, str(path), *needles, secrets=endpoint_secrets)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", ["nobody listens", "truncated JSON", "keys missing"])
def test_every_admin_command_refuses_a_bad_endpoints_file_the_same_way(bcoauth: Run, tmp_path: Path, case: str,
                                                                        command: str,
                                                                        shared_endpoints: dict[str, Any],
                                                                        endpoint_secrets: list[str]) -> None:
    path, needles = CASES[case](tmp_path, shared_endpoints)
    result = bcoauth(*COMMANDS[command], "--endpoints-file", str(path))
    assert_refused(result, str(path), *needles, secrets=endpoint_secrets)


def test_the_endpoints_file_of_a_killed_sandbox_says_it_is_stale(bcoauth: Run, tmp_path: Path) -> None:
    """SIGKILL leaves the file behind (a clean stop deletes it): the next command finds nobody at its URLs."""
    sandbox = start_sandbox(tmp_path / "state", tmp_path / "endpoints.json")
    sandbox.process.send_signal(signal.SIGKILL)
    sandbox.process.wait(timeout=15)
    assert sandbox.endpoints_file.exists()
    secrets = [sandbox.endpoints[key] for key in ENDPOINT_SECRETS if sandbox.endpoints.get(key)]
    for command in COMMANDS.values():
        result = bcoauth(*command, "--endpoints-file", str(sandbox.endpoints_file))
        assert_refused(result, f"no sandbox answers at {sandbox.endpoints['admin_url']}",
                       f"endpoints file {sandbox.endpoints_file} is stale", "bcoauth sandbox serve",
                       "--endpoints-file", secrets=secrets)


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e999", "soon", ""])
def test_clock_advance_takes_only_finite_seconds(bcoauth: Run, tmp_path: Path, value: str) -> None:
    result = bcoauth("sandbox", "clock", f"--advance={value}", "--endpoints-file", str(tmp_path / "unused.json"))
    assert_refused(result, "--advance", "finite number")


def test_clock_needs_advance_or_reset(bcoauth: Run) -> None:
    assert_refused(bcoauth("sandbox", "clock"), "--advance", "--reset")


def test_a_finite_advance_reaches_the_sandbox(bcoauth: Run, shared_endpoints: dict[str, Any],
                                              sandbox_process: Any) -> None:
    """The control for the test above: the parser lets a finite number through (0 s leaves the clock alone)."""
    result = bcoauth("sandbox", "clock", "--advance", "0", "--endpoints-file", str(sandbox_process.endpoints_file))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("port", ["70000", "-1", "65531", "65533", "abc", "1.5"])
def test_serve_port_must_leave_room_for_six_ports(bcoauth: Run, tmp_path: Path, port: str) -> None:
    result = bcoauth("sandbox", "serve", "--port", port, "--state", str(tmp_path / "state"),
                     "--endpoints-file", str(tmp_path / "e.json"))
    assert_refused(result, "--port", "65530", "6 consecutive ports")
    assert not (tmp_path / "state").exists() and not (tmp_path / "e.json").exists()


def test_usage_errors_are_one_line(bcoauth: Run) -> None:
    assert_refused(bcoauth("sandbox", "serve", "--profile", "turbo"), "--profile", "fast", "--help")
    assert_refused(bcoauth("sandbox", "agent-check", "--area", "DEMO01"), "--role")
    assert_refused(bcoauth("nonsense"), "invalid choice")


def test_the_first_port_parser_accepts_its_whole_range() -> None:
    assert [cli._first_port(p) for p in ("0", "1", "65530")] == [0, 1, 65530]


def test_a_bug_is_one_line_exit_1_and_its_traceback_comes_on_demand(monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Not bad input but a programming error: said in one line (never silently swallowed), and no secret in it."""
    from harness.secrets import Secret

    leaked = Secret("pw-" + "x7" * 8, "test").reveal()

    def broken(args: object) -> int:
        raise KeyError(f"tenant_id\nwhile holding {leaked}")

    monkeypatch.setattr(cli, "_check_settings", broken)
    monkeypatch.delenv("BCOAUTH_DEBUG", raising=False)
    assert cli.main(["check-settings"]) == 1
    said = capsys.readouterr().err.splitlines()
    assert len(said) == 1, said
    assert said[0].startswith("bcoauth: internal error: KeyError: ")
    assert "BCOAUTH_DEBUG=1" in said[0] and leaked not in said[0]

    monkeypatch.setenv("BCOAUTH_DEBUG", "1")
    with pytest.raises(KeyError):
        cli.main(["check-settings"])
