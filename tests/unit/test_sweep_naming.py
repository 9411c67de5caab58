"""What `bcoauth sweep` counts as a run's leftover: `<prefix> <run id>` exactly, aged by the run id's UTC
month, day, hour and minute (the year is the latest that is not in the future)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flows.sweep import named_by_a_run, run_started
from harness.backstage import Listed
from harness.run_context import new_run_id

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_a_run_id_is_dated_in_the_latest_year_not_after_now() -> None:
    assert run_started("03011100-abcd", NOW) == datetime(2026, 3, 1, 11, 0, tzinfo=UTC)
    assert run_started("12312359-abcd", NOW) == datetime(2025, 12, 31, 23, 59, tzinfo=UTC)
    assert run_started("03021130-abcd", NOW) == datetime(2026, 3, 2, 11, 30, tzinfo=UTC)  # clock skew, not 2025
    assert run_started("02291200-abcd", NOW) == datetime(2024, 2, 29, 12, 0, tzinfo=UTC)
    assert run_started("13011200-abcd", NOW) is None and run_started("01011261-abcd", NOW) is None


def test_a_fresh_run_id_is_dated_now() -> None:
    now = datetime.now(UTC)
    started = run_started(new_run_id()[:13], now)
    assert started is not None and timedelta(0) <= now - started < timedelta(minutes=2)


def test_only_names_made_by_a_run_count_and_only_old_ones_are_stale() -> None:
    items = [Listed("a", "Dynamics Mobile 02271200-beef"), Listed("b", "Dynamics Mobile 03011130-beef"),
             Listed("c", "Dynamics Mobile Extra 02271200-beef"), Listed("d", "Contoso Payroll"),
             Listed("e", "Dynamics Mobile 02271200-BEEF"), Listed("f", "Dynamics Mobile 02271200-beef copy")]
    found = named_by_a_run(items, "app registration", "Dynamics Mobile", NOW, timedelta(hours=24))
    assert [(f.client_id, f.stale) for f in found] == [("a", True), ("b", False)]
    assert found[0].run_id == "02271200-beef" and found[0].age == timedelta(days=2)
