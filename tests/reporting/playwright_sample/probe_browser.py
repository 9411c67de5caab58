"""Pages with a secret on screen at the end of the test, for tests/reporting/test_playwright_options.py (run only in a
subprocess; the name keeps pytest from collecting it). The secret field is registered with `evidence.mask`, as page
objects do; each test writes where the field is and an UNMASKED screenshot (for contrast) to $PROBE_DIR."""

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserType, Page

from harness import evidence

# A small, 1:1 viewport keeps the pure-Python PNG decoding in the test quick.
SMALL = pytest.mark.browser_context_args(viewport={"width": 320, "height": 120}, device_scale_factor=1,
                                        is_mobile=False, has_touch=False)  # whatever --device says
PAGE = ("<body style='margin:0;background:#fff'><input id='secret' aria-label='Client secret value' "
        "style='position:absolute;left:20px;top:30px;width:260px;height:40px;font:28px monospace;color:#c00;"
        "background:#ff0;border:0' value='{value}'></body>")


def _show_secret(page: Page, name: str) -> None:
    page.set_content(PAGE.format(value=os.environ["PROBE_SECRET"]))
    field = page.get_by_label("Client secret value")
    evidence.mask(page, field)
    probe = Path(os.environ["PROBE_DIR"])
    probe.mkdir(parents=True, exist_ok=True)
    (probe / f"{name}.json").write_text(json.dumps(field.bounding_box()))
    (probe / f"{name}-unmasked.png").write_bytes(page.screenshot())


@SMALL
def test_passes_with_the_secret_on_screen(page: Page) -> None:
    _show_secret(page, "passes")


@SMALL
def test_fails_with_the_secret_on_screen(page: Page) -> None:
    _show_secret(page, "fails")
    raise AssertionError("failing on purpose: the end-of-test screenshot is taken with the secret on screen")


def test_device_viewport(page: Page, browser_type: BrowserType, browser: Browser) -> None:
    Path(os.environ["PROBE_DIR"]).mkdir(parents=True, exist_ok=True)
    (Path(os.environ["PROBE_DIR"]) / "device.json").write_text(json.dumps({
        "viewport": page.viewport_size, "user_agent": page.evaluate("navigator.userAgent"),
        "engine": browser_type.name, "version": browser.version}))


def test_a_twin_page_over_tls(page: Page, settings) -> None:
    """The browser trusts the twins' certificate (the SPKI pin in the launch args) and reaches their loopback."""
    response = page.goto(settings.dm_portal_url)
    assert response is not None and response.ok
