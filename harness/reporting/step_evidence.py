"""Evidence per Gherkin step: the masked HTTP transcript of the token / BC API calls made in the step, and a masked
screenshot when the scenario already uses a `page` (never starts a browser for a non-UI scenario).

SCREENSHOTS decides which steps get one: `every-step`; `on-failure+golden` (the default: every step of the
`@golden` scenarios, the failing step of any other — a report small enough to e-mail); `on-failure`; `off`.
The failing step's screenshot is also referenced from the JUnit test case. With SCREENSHOT_REUSE (the default)
a step after which nothing on the page changed (`harness.page_changes`: a Then step that only reads) is given
the previous step's picture instead of a new one; a failing step always gets a fresh one.
"""

from __future__ import annotations

import weakref
from typing import Any

import allure
import pytest
from allure_commons.types import AttachmentType

from harness import evidence, page_changes, transcripts
from harness.fixtures import settings_of
from harness.reporting import junit
from harness.reporting.outputs import alluredir
from harness.reporting.scrubbing import last_attachment

GOLDEN_MARK = "golden"
UNCHANGED = " (unchanged since the previous step)"
# Per page: how it looked (page_changes.look) when its last step screenshot was taken, and that screenshot.
_last_shots: weakref.WeakKeyDictionary[Any, tuple[str, bytes]] = weakref.WeakKeyDictionary()


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


def _attach_screenshot(request: pytest.FixtureRequest, step_func_args: dict[str, Any], name: str,
                       reuse: bool = False) -> bool:
    page = _page_in_use(request, step_func_args)
    if page is None:
        return False
    png, name = _screenshot(page, name, reuse)
    if png:
        allure.attach(png, name=name, attachment_type=AttachmentType.PNG)
    return bool(png)


def _screenshot(page: Any, name: str, reuse: bool) -> tuple[bytes | None, str]:
    """A new screenshot, or with `reuse` the page's last one when nothing on the page changed since."""
    if not reuse:
        return evidence.screenshot(page), name
    look = page_changes.look(page)
    # A field masked since (a secret already on the page, registered late) needs the new picture's mask too.
    mark = None if look is None else f"{len(evidence.masks(page))} masks|{look}"
    last = _last_shots.get(page)
    if mark is not None and last is not None and last[0] == mark:
        return last[1], name + UNCHANGED
    png = evidence.screenshot(page)
    if png and mark is not None:
        _last_shots[page] = (mark, png)
    else:
        _last_shots.pop(page, None)
    return png, name


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
    settings = settings_of(request.config)
    if every_step_shot(request.node, settings.screenshots):
        _attach_screenshot(request, step_func_args, "Screenshot", reuse=settings.screenshot_reuse)


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
