"""Where a run writes what people read: the Allure results, pytest-playwright's output folder, the JUnit file and
the reports folder. Read from pytest's parsed options (public `config.option` attributes of the plugins)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.settings import Settings


def alluredir(config: pytest.Config) -> Path | None:
    """allure-pytest-bdd's `--alluredir`, absolute; None when no Allure results are written."""
    raw = getattr(config.option, "allure_report_dir", None)
    return Path(raw).absolute() if raw else None


def junit_file(config: pytest.Config) -> Path | None:
    raw = getattr(config.option, "xmlpath", None)
    return Path(raw).absolute() if raw else None


def playwright_output(config: pytest.Config) -> Path:
    """pytest-playwright's `--output` (test-results by default): where it keeps traces, screenshots, videos."""
    return Path(getattr(config.option, "output", None) or "test-results")


def is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def artifact_paths(config: pytest.Config, settings: Settings) -> list[Path]:
    """Every place this run may have written evidence to: allure-results, test-results, the JUnit XML and the
    whole reports folder (logs, an HTML report, whatever else lands there)."""
    paths = [alluredir(config), playwright_output(config), Path(settings.reports_dir), junit_file(config)]
    return [p for p in paths if p is not None and p.exists()]
