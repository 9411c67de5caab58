"""The library's commands of `bcoauth`: the sandbox CLI and the settings check (`python -m harness.cli`). The
console script (`flows/cli.py`) adds the commands that drive the UIs: `login azure`, `doctor`, `sweep`.

Bad input ends with one line naming what to fix and exit code 2, never a traceback. Anything else is a bug:
one line with the exception and exit code 1 (BCOAUTH_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from harness.sandbox_control import DEFAULT_ENDPOINTS, DEFAULT_STATE, AdminClient, SandboxError, read_endpoints
from harness.secrets import MASK, revealed_values
from harness.settings import (
    MAX_FIRST_PORT,
    PROFILES,
    SANDBOX_PORT_COUNT,
    SettingsError,
    load_settings,
    read_environment,
)

APP_KEYS = ("client_id", "client_secret", "tenant_id", "object_id")
# (subparsers, with_endpoints) -> None: how an outer entry point adds its commands
Extension = Callable[[argparse._SubParsersAction, Callable[[argparse.ArgumentParser], argparse.ArgumentParser]], None]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _fail(message: str) -> int:
    print(f"bcoauth: {_one_line(message)}", file=sys.stderr)
    return 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (argparse prints the whole usage block first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {_one_line(message)} (see `{self.prog} --help`)\n")


def _first_port(raw: str) -> int:
    try:
        port = int(raw)
    except ValueError:
        port = -1
    if not 0 <= port <= MAX_FIRST_PORT:
        raise argparse.ArgumentTypeError(
            f"{raw!r} cannot be the first port: use 0 (any free ports) or 1 to {MAX_FIRST_PORT}, "
            f"the twins listen on {SANDBOX_PORT_COUNT} consecutive ports")
    return port


def _finite_seconds(raw: str) -> float:
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds):
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number of seconds: use a finite number such as 3600")
    return seconds


def _startup_failure(exc: OSError, port: int) -> str:
    """Start-up OSErrors that sandbox.server does not already turn into a StartupError."""
    if exc.errno == errno.EADDRINUSE:
        last = port + SANDBOX_PORT_COUNT - 1
        return f"ports {port}-{last} are not all free ({exc.strerror}); choose another --port (0 = any free ports)"
    if exc.filename:
        return (f"cannot write {exc.filename} ({exc.strerror}); choose a writable --state folder and "
                "--endpoints-file")
    return f"the sandbox cannot start: {exc.strerror or exc}"


def _serve(args: argparse.Namespace) -> int:
    # The settings `serve` documents (SANDBOX_PORT, SANDBOX_PROFILE, SANDBOX_STATE_DIR) are validated like every
    # other setting, and a bad .env stops it too; flags on the command line win.
    settings = load_settings(require_login=False, require_live=False)
    port = args.port if args.port is not None else settings.sandbox_port
    if args.state is not None:
        state = Path(args.state)
    elif settings.sandbox_state_dir is not None:
        state = settings.sandbox_state_dir / "state"  # the layout the pytest fixture uses, so state is shared
    else:
        state = DEFAULT_STATE
    # No profile given: the state folder keeps the one it last ran with.
    profile = args.profile or (settings.sandbox_profile if read_environment().get("SANDBOX_PROFILE") else None)

    from sandbox.errors import StartupError
    from sandbox.server import serve

    try:
        asyncio.run(serve(state, port, Path(args.endpoints_file), profile))
    except StartupError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(_startup_failure(exc, port))
    except KeyboardInterrupt:
        pass
    return 0


def _admin(args: argparse.Namespace) -> AdminClient:
    source = Path(args.endpoints_file)
    return AdminClient(read_endpoints(source), source=source)


def _provision(args: argparse.Namespace) -> int:
    info = _admin(args).provision_app(consent=args.consent, bc_state=args.bc_state,
                                      secret_expired=args.secret_expired, name=args.name)
    if not isinstance(info, dict) or any(key not in info for key in APP_KEYS):
        raise SandboxError(f"the sandbox answered provision-app without {', '.join(APP_KEYS)}: is "
                           f"{args.endpoints_file} from this version's `bcoauth sandbox serve`?")
    print(json.dumps({k: info[k] for k in APP_KEYS}, indent=2))
    return 0


def _agent_check(args: argparse.Namespace) -> int:
    result = _admin(args).call("POST", "/admin/dm/agent-check", json={"area": args.area, "role": args.role})
    if not isinstance(result, dict):
        raise SandboxError("the sandbox answered the agent check without a JSON object")
    print(json.dumps(result, indent=2))
    return 0 if result.get("ok") else 1


def _clock(args: argparse.Namespace) -> int:
    admin = _admin(args)
    if args.reset:
        admin.reset_clock()
    else:
        admin.advance_clock(args.advance)
    return 0


def _check_settings(args: argparse.Namespace) -> int:
    settings = load_settings()
    print(f"settings OK (TARGET={settings.target})")
    return 0


def parser(extend: Extension | None = None) -> argparse.ArgumentParser:
    """The commands of the library; `extend` adds more (the console script adds those that drive the UIs)."""
    top = _Parser(prog="bcoauth", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)

    sandbox = sub.add_parser("sandbox", help="the local twins").add_subparsers(dest="action", required=True)

    def with_endpoints(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--endpoints-file", default=str(DEFAULT_ENDPOINTS))
        return p

    serve = with_endpoints(sandbox.add_parser("serve", help="run every twin in the foreground"))
    serve.add_argument("--port", type=_first_port, default=None,
                       help=f"first port (services use port..port+{SANDBOX_PORT_COUNT - 1}); 0 = any free ports; "
                            "default $SANDBOX_PORT, else 0")
    serve.add_argument("--state", default=None,
                       help="state folder (kept across restarts); default $SANDBOX_STATE_DIR/state, "
                            f"else {DEFAULT_STATE}")
    serve.add_argument("--profile", choices=PROFILES, default=None,
                       help="fast, realistic or chaos; default $SANDBOX_PROFILE, else the state folder's last one")
    serve.set_defaults(func=_serve)

    prov = with_endpoints(sandbox.add_parser("provision-app", help="create a ready S2S app; prints JSON"))
    prov.add_argument("--consent", action=argparse.BooleanOptionalAction, default=True)
    prov.add_argument("--bc-state", choices=("enabled", "disabled", "absent"), default="enabled")
    prov.add_argument("--secret-expired", action="store_true")
    prov.add_argument("--name", default="Dynamics Mobile")
    prov.set_defaults(func=_provision)

    check = with_endpoints(sandbox.add_parser("agent-check", help="what the Dynamics Mobile SaaS agent would do"))
    check.add_argument("--area", required=True)
    check.add_argument("--role", required=True)
    check.set_defaults(func=_agent_check)

    clock = with_endpoints(sandbox.add_parser("clock", help="move the sandbox clock"))
    move = clock.add_mutually_exclusive_group(required=True)
    move.add_argument("--advance", type=_finite_seconds, help="seconds")
    move.add_argument("--reset", action="store_true", help="back to the real time")
    clock.set_defaults(func=_clock)

    sub.add_parser("check-settings", help="validate .env and the environment").set_defaults(func=_check_settings)

    if extend is not None:
        extend(sub, with_endpoints)
    return top


def _internal_error(exc: Exception) -> int:
    """A bug, not bad input: say so in one line without hiding it, and never with a secret in it."""
    message = str(exc)
    for value in revealed_values():
        message = message.replace(value, MASK)
    message = _one_line(message)
    if len(message) > 300:
        message = message[:299] + "…"
    print(f"bcoauth: internal error: {type(exc).__name__}: {message}; rerun with BCOAUTH_DEBUG=1 for the traceback",
          file=sys.stderr)
    return 1


def _debug() -> bool:
    return os.environ.get("BCOAUTH_DEBUG", "") not in ("", "0")


def main(argv: list[str] | None = None, extend: Extension | None = None) -> int:
    args = parser(extend).parse_args(argv)
    try:
        return args.func(args)
    except SettingsError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return 2
    except SandboxError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `bcoauth … | head`: the reader left; nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        if _debug():
            raise
        return _internal_error(exc)


if __name__ == "__main__":
    sys.exit(main())
