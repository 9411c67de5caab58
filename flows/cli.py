"""`bcoauth`, the console script: the library's commands (`harness.cli`) plus the ones that drive the UIs —
saving a signed-in Azure state for live runs (`login azure`), the UI drift check (`doctor`) and the sweeper of
what crashed runs left (`sweep`). It sits above flows, so the library never imports a flow.

Bad input ends with one line naming what to fix and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from flows.doctor import run_doctor
from flows.saved_sign_in import save_azure_portal_state
from flows.sweep import run_sweep
from harness import cli
from harness.backstage import Backstage
from harness.cleanup import CleanupLedger
from harness.sandbox_control import AdminClient, read_endpoints
from harness.settings import Settings, load_settings

DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$", re.IGNORECASE)
DURATION_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def _duration(raw: str) -> timedelta:
    """"24h", "90m", "2d", "3600s"."""
    match = DURATION.match(raw)
    if not match or float(match.group(1)) <= 0 or not math.isfinite(float(match.group(1))):
        raise argparse.ArgumentTypeError(f"{raw!r} is not an age: use a positive number with s, m, h or d, e.g. 24h")
    try:
        return timedelta(**{DURATION_UNITS[match.group(2).lower()]: float(match.group(1))})
    except OverflowError:
        raise argparse.ArgumentTypeError(f"{raw!r} is too long an age: use at most a few years, e.g. 24h") from None


def _age_text(age: timedelta) -> str:
    seconds = age.total_seconds()
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


def _login_azure(args: argparse.Namespace) -> int:
    settings = load_settings(require_login=False)
    save_azure_portal_state(settings, Path(args.save_state))
    print(f"saved the signed-in state to {args.save_state}; set AZURE_STORAGE_STATE={args.save_state}")
    return 0


def _target(args: argparse.Namespace) -> tuple[Settings, AdminClient | None, str | None]:
    """Settings for the configured TARGET; on the sandbox also its admin API and server key, from the endpoints
    file of a running `bcoauth sandbox serve`."""
    settings = load_settings()
    if not settings.is_sandbox:
        return settings, None, None
    source = Path(args.endpoints_file)
    endpoints = read_endpoints(source)
    return settings.with_sandbox(endpoints), AdminClient(endpoints, source=source), endpoints.get("spki_sha256")


def _doctor(args: argparse.Namespace) -> int:
    settings, admin, spki = _target(args)
    if admin is not None:
        admin.close()
    report = run_doctor(settings, spki)
    print(report.table())
    print(report.summary())
    return 0 if report.ok else 1


def _sweep(args: argparse.Namespace) -> int:
    settings, admin, spki = _target(args)
    backstage = Backstage(admin, settings, CleanupLedger)
    try:
        result = run_sweep(settings, backstage, older_than=args.older_than, dry_run=args.dry_run, spki_sha256=spki)
    finally:
        if admin is not None:
            admin.close()
    print(result.table(args.dry_run))
    stale = [f for f in result.found if f.stale]
    verb = "would delete" if args.dry_run else "deleted"
    done = len(stale) if args.dry_run else len(result.deleted)
    print(f"sweep: {len(result.found)} named by a run, {len(stale)} older than {_age_text(args.older_than)}, "
          f"{verb} {done}" + (f", {len(result.failed)} failed" if result.failed else ""))
    return 1 if result.failed else 0


def add_ui_commands(sub: argparse._SubParsersAction,
                    with_endpoints: Callable[[argparse.ArgumentParser], argparse.ArgumentParser]) -> None:
    login = sub.add_parser("login", help="sign in once by hand").add_subparsers(dest="service", required=True)
    azure = login.add_parser("azure", help="open a headed browser and save the signed-in state")
    azure.add_argument("--save-state", required=True)
    azure.set_defaults(func=_login_azure)

    doctor = with_endpoints(sub.add_parser(
        "doctor", help="UI drift check: sign in to each UI, visit the procedure's pages read-only, count the page "
                       "objects' key elements; exit 1 if one is missing"))
    doctor.set_defaults(func=_doctor)

    sweep = with_endpoints(sub.add_parser(
        "sweep", help="delete the app registrations and BC Microsoft Entra Applications crashed runs left"))
    sweep.add_argument("--older-than", type=_duration, default=timedelta(hours=24), metavar="AGE",
                       help="only what runs started longer ago than this (s, m, h or d; default 24h)")
    sweep.add_argument("--dry-run", action="store_true", help="list, delete nothing")
    sweep.set_defaults(func=_sweep)


def main(argv: list[str] | None = None) -> int:
    return cli.main(argv, extend=add_ui_commands)


if __name__ == "__main__":
    sys.exit(main())
