"""`bcoauth sweep --older-than 24h [--dry-run]`: find and delete what crashed runs left in a tenant.

A run names what it creates after its run id (`harness.run_context.new_run_id`, `%m%d%H%M-xxxx`, UTC): the app
registration `APP_NAME <run id>` and the Business Central Microsoft Entra Application with the Description
`Dynamics Mobile <run id>`. The run id tells when the run started, so whatever is older than `--older-than` is a
leftover; anything else (younger, or not named by a run) is left alone. Business Central records go first, then
the app registrations (the order a run's own cleanup follows).

On the sandbox the lists and deletions go through the admin API (the backstage); on live through the portals'
own lists and Delete actions. The Dynamics Mobile Portal role is left as found: the Portal documents no way to
delete one, and the next run updates it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page

from flows import azure_portal, business_central, sign_in
from flows.standalone_browser import browser_page
from harness.backstage import Backstage, Listed
from harness.settings import Settings
from pages.azure_portal import AppRegistrations

RUN_ID = r"(\d{8}-[0-9a-f]{4})"
BC_PREFIX = "Dynamics Mobile"  # the Description every run gives its Microsoft Entra Application
APP_REGISTRATION, BC_APPLICATION = "app registration", "Business Central application"
# A run id a little in the future is clock skew between machines, not last year's run.
CLOCK_SKEW = timedelta(days=1)

def run_started(run_id: str, now: datetime) -> datetime | None:
    """When the run with this id started: the id holds month, day, hour and minute (UTC), not the year, so the
    latest such moment not after `now` (give or take clock skew). None if the digits are no date."""
    month, day, hour, minute = (int(run_id[i:i + 2]) for i in (0, 2, 4, 6))
    for year in range(now.year, now.year - 5, -1):  # five years back covers a 29 February
        try:
            started = datetime(year, month, day, hour, minute, tzinfo=UTC)
        except ValueError:
            continue
        if started <= now + CLOCK_SKEW:
            return started
    return None


@dataclass(frozen=True)
class Leftover:
    kind: str
    name: str
    client_id: str  # "" when the list does not show it (the portal's list is read by name)
    run_id: str
    age: timedelta
    stale: bool


def named_by_a_run(items: list[Listed], kind: str, prefix: str, now: datetime,
                   older_than: timedelta) -> list[Leftover]:
    """The items named `<prefix> <run id>`, each with its age and whether it is older than `older_than`."""
    pattern = re.compile(rf"^{re.escape(prefix)} {RUN_ID}$")
    found = []
    for item in items:
        match = pattern.match(item.name.strip())
        started = run_started(match.group(1), now) if match else None
        if match and started is not None:
            age = now - started
            found.append(Leftover(kind, item.name.strip(), item.client_id, match.group(1), age, age > older_than))
    return found


@dataclass
class SweepResult:
    found: list[Leftover] = field(default_factory=list)
    deleted: list[Leftover] = field(default_factory=list)
    failed: list[tuple[Leftover, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table(self, dry_run: bool) -> str:
        failed = {id(leftover): why for leftover, why in self.failed}
        deleted = {id(leftover) for leftover in self.deleted}

        def action(item: Leftover) -> str:
            if not item.stale:
                return "kept (younger)"
            if dry_run:
                return "would delete"
            if id(item) in failed:
                return f"NOT deleted: {failed[id(item)]}"
            return "deleted" if id(item) in deleted else "not reached"

        header = ("what", "name", "client id", "age", "action")
        rows = [(f.kind, f.name, f.client_id or "-", _age(f.age), action(f)) for f in self.found]
        widths = [max(len(c) for c in column) for column in zip(header, *rows, strict=False)]
        lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip()
                 for row in (header, *rows)]
        lines.insert(1, "-+-".join("-" * w for w in widths))
        if not rows:
            lines.append("(nothing named by a run)")
        return "\n".join([*lines, *(f"note: {n}" for n in self.notes)])


def _age(age: timedelta) -> str:
    hours = age.total_seconds() / 3600
    return f"{hours / 24:.1f} d" if hours >= 48 else f"{hours:.1f} h"


PageSource = Callable[[], Page]


def sweep(settings: Settings, backstage: Backstage, *, older_than: timedelta, dry_run: bool,
          page: PageSource | None = None, now: datetime | None = None) -> SweepResult:
    """List what runs left, delete the stale part (unless `dry_run`). `page` is asked for only on live."""
    now = now or datetime.now(UTC)
    result = SweepResult()
    apps, records = backstage.app_registrations(), backstage.bc_applications()
    if apps is None or records is None:
        if page is None:
            raise ValueError("a live sweep goes through the portals: it needs a browser page")
        _sweep_through_uis(settings, page(), backstage, result, older_than, dry_run, now)
    else:
        result.found = (named_by_a_run(records, BC_APPLICATION, BC_PREFIX, now, older_than)
                        + named_by_a_run(apps, APP_REGISTRATION, settings.app_name, now, older_than))
        if not dry_run:
            for item in (f for f in result.found if f.stale):
                remove = backstage.remove_bc_application if item.kind == BC_APPLICATION else backstage.remove_app
                _delete(result, item, lambda remove=remove, item=item: remove(item.client_id))
    result.notes.append(f"Dynamics Mobile Portal: role {settings.dm_role_id} in {settings.dm_application_area or '?'} "
                        "is left as found (the Portal documents no way to delete a role; the next run updates it)")
    return result


def _delete(result: SweepResult, item: Leftover, delete: Callable[[], object]) -> None:
    try:
        delete()
    except Exception as exc:  # noqa: BLE001 - one failure must not stop the sweep
        result.failed.append((item, " ".join(f"{type(exc).__name__}: {exc}".split())[:200]))
    else:
        result.deleted.append(item)


def run_sweep(settings: Settings, backstage: Backstage, *, older_than: timedelta, dry_run: bool,
              spki_sha256: str | None = None) -> SweepResult:
    """`sweep` with a browser opened only if the target needs the UIs (live)."""
    with ExitStack() as stack:
        return sweep(settings, backstage, older_than=older_than, dry_run=dry_run,
                     page=lambda: stack.enter_context(browser_page(settings, spki_sha256)))


def _sweep_through_uis(settings: Settings, page: Page, backstage: Backstage, result: SweepResult,
                       older_than: timedelta, dry_run: bool, now: datetime) -> None:
    # Business Central first: page 9860, each stale record by the list's own Delete.
    sign_in.to_business_central(page, settings)
    apps_list = business_central.open_entra_applications(page, settings)
    records = [Listed(client_id, description) for client_id, description, _ in apps_list.entries()]
    bc_found = named_by_a_run(records, BC_APPLICATION, BC_PREFIX, now, older_than)
    result.found.extend(bc_found)
    for item in (f for f in bc_found if f.stale and not dry_run):
        _delete(result, item, lambda item=item: business_central.delete_entra_application(page, settings,
                                                                                            item.client_id))
    # Azure portal: App registrations filtered by the app name, each stale one by its Overview's Delete.
    sign_in.to_azure_portal(page, settings)
    registrations = AppRegistrations(page)
    registrations.open(settings.azure_portal_url)
    names = registrations.display_names(settings.app_name)
    app_found = named_by_a_run([Listed("", name) for name in names], APP_REGISTRATION, settings.app_name, now,
                               older_than)
    result.found.extend(app_found)
    for item in (f for f in app_found if f.stale and not dry_run):
        _delete(result, item, lambda item=item: azure_portal.delete_app_registration(page, settings, item.name, "",
                                                                                      backstage))
