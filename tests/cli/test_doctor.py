"""`bcoauth doctor` against the session's twins: it passes, creates nothing (the store's rows are the same before
and after), and fails with exit 1 naming the page object and the element when a twin option renames a control.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.run_context import new_run_id
from harness.sandbox_control import AdminClient, SandboxProcess
from tests.cli.conftest import Run

# The store's sign-in bookkeeping, which any visit changes (a session, a code, a pending sign-in): everything
# else is what a run could create or change.
BOOKKEEPING = {"kv", "sessions", "auth_codes", "pending_signins", "signin_lockouts"}


def store_rows(state_dir: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the bookkeeping ones, read-only."""
    db = sqlite3.connect(f"file:{state_dir / 'sandbox.sqlite3'}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in tables if t not in BOOKKEEPING}
    finally:
        db.close()


@pytest.fixture
def planted_app(admin: AdminClient) -> Iterator[dict[str, Any]]:
    """An app registration with its Business Central record, so the app and card pages are visited too."""
    app = admin.provision_app(name=f"Dynamics Mobile {new_run_id()}")
    yield app
    admin.remove_app(app["client_id"])


@pytest.fixture
def endpoints_file(sandbox_process: SandboxProcess | None) -> str:
    if sandbox_process is None:
        pytest.skip("needs the local twins (TARGET=sandbox)")
    return str(sandbox_process.endpoints_file)


def test_doctor_passes_on_the_twins_and_creates_nothing(bcoauth: Run, endpoints_file: str, admin: AdminClient,
                                                         sandbox_endpoints: dict[str, Any],
                                                         planted_app: dict[str, Any]) -> None:
    state = Path(sandbox_endpoints["ca_cert"]).parent
    before = store_rows(state)
    assert before["apps"] and before["bc_entra_apps"], "the planted app is not in the store"
    result = bcoauth("doctor", "--endpoints-file", endpoints_file, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert [c.strip() for c in lines[0].split("|")] == ["UI", "page object", "element", "result"]
    for ui, page_object, element in (("Azure portal", "AppRegistrations", "New registration button"),
                                     ("Azure portal", "AppOverview", ""),
                                     ("Azure portal", "CertificatesAndSecrets", ""),
                                     ("Business Central", "EntraApplicationCard", ""),
                                     ("Dynamics Mobile Portal", "RolesListPage", "")):
        row = [line for line in lines if line.startswith(ui) and f"| {page_object} " in line and element in line]
        assert row and all(line.rstrip().endswith("| found") for line in row), (ui, page_object, row)
    assert " 0 missing" in lines[-1], lines[-1]
    assert store_rows(state) == before, "the drift check changed the store"


def test_doctor_fails_naming_the_page_object_and_the_element_of_a_renamed_control(
        bcoauth: Run, endpoints_file: str, admin: AdminClient) -> None:
    admin.set_options(drift_rename="new_registration")
    try:
        result = bcoauth("doctor", "--endpoints-file", endpoints_file, timeout=300)
    finally:
        admin.set_options(drift_rename=None)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    missing = [line for line in result.stdout.splitlines() if "| missing" in line]
    assert len(missing) == 1, missing
    assert [c.strip() for c in missing[0].split("|")] == ["Azure portal", "AppRegistrations",
                                                           "New registration button", "missing"]
    assert "missing: Azure portal › AppRegistrations › New registration button" in result.stdout.splitlines()[-1]
    assert result.stderr == ""
