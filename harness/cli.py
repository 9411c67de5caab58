"""`bcoauth`: the sandbox CLI, settings check, and saving a signed-in Azure state for live runs.

Bad input ends with one line naming what to fix and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from harness.sandbox_control import DEFAULT_ENDPOINTS, DEFAULT_STATE, AdminClient, SandboxError, read_endpoints
from harness.settings import PROFILES, SettingsError, load_settings


def _fail(message: str) -> int:
    print(f"bcoauth: {message}", file=sys.stderr)
    return 2


def _serve(args: argparse.Namespace) -> int:
    from sandbox.server import serve

    try:
        asyncio.run(serve(Path(args.state), args.port, Path(args.endpoints_file), args.profile))
    except OSError as exc:
        return _fail(f"cannot serve on port {args.port}: {exc.strerror}; choose another --port (0 = any free)")
    except KeyboardInterrupt:
        pass
    return 0


def _admin(args: argparse.Namespace) -> AdminClient:
    return AdminClient(read_endpoints(Path(args.endpoints_file)))


def _provision(args: argparse.Namespace) -> int:
    info = _admin(args).provision_app(consent=args.consent, bc_state=args.bc_state,
                                      secret_expired=args.secret_expired, name=args.name)
    print(json.dumps({k: info[k] for k in ("client_id", "client_secret", "tenant_id", "object_id")}, indent=2))
    return 0


def _agent_check(args: argparse.Namespace) -> int:
    result = _admin(args).call("POST", "/admin/dm/agent-check", json={"area": args.area, "role": args.role})
    print(json.dumps(result, indent=2))
    return 0 if result.get("ok") else 1


def _clock(args: argparse.Namespace) -> int:
    admin = _admin(args)
    if args.reset:
        admin.reset_clock()
    if args.advance:
        admin.advance_clock(args.advance)
    return 0


def _check_settings(args: argparse.Namespace) -> int:
    settings = load_settings()
    print(f"settings OK (TARGET={settings.target})")
    return 0


def _login_azure(args: argparse.Namespace) -> int:
    from harness.interactive_login import save_azure_state

    settings = load_settings(require_login=False)
    save_azure_state(settings, Path(args.save_state))
    print(f"saved the signed-in state to {args.save_state}; set AZURE_STORAGE_STATE={args.save_state}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="bcoauth", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)

    sandbox = sub.add_parser("sandbox", help="the local twins").add_subparsers(dest="action", required=True)

    def with_endpoints(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--endpoints-file", default=str(DEFAULT_ENDPOINTS))
        return p

    serve = with_endpoints(sandbox.add_parser("serve", help="run every twin in the foreground"))
    serve.add_argument("--port", type=int, default=0, help="first port (services use port..port+5); 0 = any")
    serve.add_argument("--state", default=str(DEFAULT_STATE), help="state folder (kept across restarts)")
    serve.add_argument("--profile", choices=PROFILES, default=None, help="fast, realistic or chaos")
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
    clock.add_argument("--advance", type=float, default=0.0, help="seconds")
    clock.add_argument("--reset", action="store_true")
    clock.set_defaults(func=_clock)

    sub.add_parser("check-settings", help="validate .env and the environment").set_defaults(func=_check_settings)

    login = sub.add_parser("login", help="sign in once by hand").add_subparsers(dest="service", required=True)
    azure = login.add_parser("azure", help="open a headed browser and save the signed-in state")
    azure.add_argument("--save-state", required=True)
    azure.set_defaults(func=_login_azure)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except SettingsError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return 2
    except SandboxError as exc:
        return _fail(str(exc))


if __name__ == "__main__":
    sys.exit(main())
