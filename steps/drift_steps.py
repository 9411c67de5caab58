"""Steps of features/ui_drift.feature: the read-only visits of `flows.doctor`, a screenshot of every page
visited, and the drift table in the report."""

from __future__ import annotations

import allure
import pytest
from allure_commons.types import AttachmentType
from playwright.sync_api import Page
from pytest_bdd import then, when

from flows.doctor import Doctor, DriftReport
from harness import evidence
from harness.settings import Settings


@pytest.fixture
def drift_report() -> DriftReport:
    return DriftReport()


def _screenshot(ui: str, page_object: str, page: Page) -> None:
    """A screenshot of each page at rest, on the step that visited it (secret fields masked as everywhere)."""
    png = evidence.screenshot(page)
    if png:
        allure.attach(png, name=f"{ui} › {page_object}", attachment_type=AttachmentType.PNG)


def _doctor(page: Page, settings: Settings, report: DriftReport) -> Doctor:
    return Doctor(page, settings, report, on_page=_screenshot)


@when("the drift check visits the Azure portal")
def visit_azure_portal(page: Page, settings: Settings, drift_report: DriftReport) -> None:
    _doctor(page, settings, drift_report).azure_portal()


@when("the drift check visits Business Central")
def visit_business_central(page: Page, settings: Settings, drift_report: DriftReport) -> None:
    _doctor(page, settings, drift_report).business_central()


@when("the drift check visits the Dynamics Mobile Portal")
def visit_dynamics_mobile(page: Page, settings: Settings, drift_report: DriftReport) -> None:
    _doctor(page, settings, drift_report).dynamics_mobile()


@then("the drift table is in the report")
def table_in_report(drift_report: DriftReport) -> None:
    text = drift_report.table() + "\n" + drift_report.summary()
    allure.attach(text, name="UI drift table", attachment_type=AttachmentType.TEXT)
    print(text)  # the console gets the same table (pytest -s, or the captured output of a failure)
    assert drift_report.rows, "the drift check visited no page"


@then("no element the procedure uses is missing")
def nothing_missing(drift_report: DriftReport) -> None:
    assert drift_report.ok, drift_report.summary()
