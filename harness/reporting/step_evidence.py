"""Evidence per Gherkin step: the masked HTTP transcript of the token / BC API calls made in the step, and a masked
screenshot when the scenario already uses a `page` (never starts a browser for a non-UI scenario).

SCREENSHOTS decides which steps get one: `every-step`; `on-failure+golden` (the default: every step of the
`@golden` scenarios, the failing step of any other — a report small enough to e-mail); `on-failure`; `off`.
The failing step's screenshot is also referenced from the JUnit test case.
"""

from __future__ import annotations

from typing import Any

import allure
import pytest
from allure_commons.types import AttachmentType

from harness import evidence, transcripts
from harness.fixtures import settings_of
from harness.reporting import junit
from harness.reporting.outputs import alluredir
from harness.reporting.scrubbing import last_attachment

GOLDEN_MARK = "golden"


def every_step_shot(item: pytest.Item, screenshots: str) -> bool:
    return screenshots == "every-step" or (screenshots == "on-failure+golden"
                                           and item.get_closest_marker(GOLDEN_MARK) is not None)


def _page_in_use(request: pytest.FixtureRequest, step_func_args: dict[str, Any]) -> Any:
    """The scenario's Playwright page if it already has one; never starts a browser for a non-UI scenario."""
    page = step_func_args.get("page")
    if page is None and "page" in request.fixturenames:
        try:
            page = request.getfixturevalue("page")
        except Exception:  # the page fixture itself failed: that error is reported already
            return None
    return page


def attach_transcript(name: str) -> None:
    entries = transcripts.drain()
    if entries:
        allure.attach(transcripts.render(entries), name=f"{name} ({len(entries)} exchange(s))",
                      attachment_type=AttachmentType.TEXT)


def _attach_screenshot(request: pytest.FixtureRequest, step_func_args: dict[str, Any], name: str) -> bool:
    page = _page_in_use(request, step_func_args)
    png = evidence.screenshot(page) if page is not None else None
    if png:
        allure.attach(png, name=name, attachment_type=AttachmentType.PNG)
    return bool(png)


def _reporting(request: pytest.FixtureRequest) -> bool:
    return alluredir(request.config) is not None


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_before_step(request: pytest.FixtureRequest) -> None:
    # Runs before the listener opens the step: exchanges made by fixtures land on the scenario itself.
    if _reporting(request):
        attach_transcript("HTTP before this step")


@pytest.hookimpl(tryfirst=True)  # the step is still open: attachments land on it, not on the scenario
def pytest_bdd_after_step(request: pytest.FixtureRequest, step_func_args: dict[str, Any]) -> None:
    if not _reporting(request):
        return
    attach_transcript("HTTP transcript")
    if every_step_shot(request.node, settings_of(request.config).screenshots):
        _attach_screenshot(request, step_func_args, "Screenshot")


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_step_error(request: pytest.FixtureRequest, step_func_args: dict[str, Any]) -> None:
    if not _reporting(request):
        return
    attach_transcript("HTTP transcript")
    if settings_of(request.config).screenshots != "off" and \
            _attach_screenshot(request, step_func_args, "Screenshot at failure"):
        shot = last_attachment(request.config)
        if shot is not None:
            junit.reference(request.node, shot)


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_after_scenario(request: pytest.FixtureRequest) -> None:
    if _reporting(request):
        attach_transcript("HTTP after the last step")
