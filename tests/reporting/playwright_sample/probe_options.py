"""What the harness made of pytest-playwright's flags and the settings (run only by tests in a subprocess; the name
keeps pytest from collecting it). Writes the effective values as JSON to $PROBE_OUT."""

import json
import os
from pathlib import Path

import pytest

from harness import playwright_options
from harness.fixtures import settings_of


def test_write_effective_options(pytestconfig: pytest.Config) -> None:
    settings = settings_of(pytestconfig)
    Path(os.environ["PROBE_OUT"]).write_text(json.dumps({
        "tracing_option": pytestconfig.getoption("--tracing"),
        "screenshot_option": pytestconfig.getoption("--screenshot"),
        "end_of_test_screenshots": playwright_options.end_of_test_screenshots(pytestconfig),
        "tracing": settings.tracing, "screenshots": settings.screenshots, "headed": settings.headed,
    }))


def test_device_name(device: str | None) -> None:
    """Asks for pytest-playwright's `device` alone: no browser is launched."""
