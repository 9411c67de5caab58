"""pytest-playwright's options are the options: a flag given on the command line (or in PYTEST_ADDOPTS / addopts)
wins over the setting of the same meaning; the setting applies only when its flag is not given.

- `--headed` / HEADED: headed if either says so (the flag can only switch it on).
- `--tracing off|on|retain-on-failure` / TRACING: the flag (TRACING = off, on, on-failure).
- `--screenshot off|only-on-failure|on` / SCREENSHOTS: the flag; the step screenshots follow it (off,
  on-failure, every-step) and the end-of-test PNG in `--output` is taken by the harness, masked.
- `--browser-channel`, `--browser` / BROWSER_PATH: the flag (no executable path forced on a channel or engine).
- `--slowmo`, `--output`, `--device`, `--full-page-screenshot`: pytest-playwright's meaning (no setting).
- `--video on|retain-on-failure`: refused (frames cannot be masked) unless ALLOW_UNMASKED_VIDEO=yes.

Refusals are one line each (`SettingsError`: `harness.fixtures` prints them and exits 2).
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from harness.browser import has_playwright_build
from harness.settings import Settings, SettingsError

TRACING_FROM_FLAG = {"off": "off", "retain-on-failure": "on-failure", "on": "on"}
TRACING_TO_FLAG = {value: key for key, value in TRACING_FROM_FLAG.items()}
SCREENSHOTS_FROM_FLAG = {"off": "off", "only-on-failure": "on-failure", "on": "every-step"}
RECORDING_VIDEO = ("on", "retain-on-failure")
CHROMIUM_ONLY = "only Chromium is supported here"

END_OF_TEST_SCREENSHOTS = pytest.StashKey[str]()  # what --screenshot asked for; the harness takes them, masked


def given_flags(config: pytest.Config) -> frozenset[str]:
    """The long options written on the command line, in PYTEST_ADDOPTS or in the ini `addopts` (where pytest reads
    them from too): `--tracing off` is given, the default `off` is not."""
    tokens = [*shlex.split(os.environ.get("PYTEST_ADDOPTS", "")), *config.getini("addopts"),
              *(str(arg) for arg in config.invocation_params.args)]
    return frozenset(token.split("=", 1)[0] for token in tokens if token.startswith("--"))


@dataclass
class Decision:
    """What the run does with the flags and settings: effective settings, pytest-playwright's own tracing and
    screenshot options, and the problems (refusals) and warnings to show."""

    settings: Settings
    tracing_option: str
    end_of_test_screenshots: str
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def decide(options: Mapping[str, Any], given: Iterable[str], settings: Settings) -> Decision:
    """`options`: pytest-playwright's parsed values (`tracing`, `screenshot`, `video`, `browser`, `headed`)."""
    given = frozenset(given)
    changes: dict[str, Any] = {"headed": settings.headed or bool(options.get("headed"))}
    if "--tracing" in given:
        changes["tracing"] = TRACING_FROM_FLAG[options["tracing"]]
    if "--screenshot" in given:
        changes["screenshots"] = SCREENSHOTS_FROM_FLAG[options["screenshot"]]
    effective = replace(settings, **changes)
    decision = Decision(effective, TRACING_TO_FLAG[effective.tracing], options.get("screenshot") or "off")
    decision.problems += engine_problems(list(options.get("browser") or []), effective)
    video_problem, video_warning = video_verdict(options.get("video") or "off", effective)
    decision.problems += [video_problem] if video_problem else []
    decision.warnings += [video_warning] if video_warning else []
    return decision


def engine_problems(engines: list[str], settings: Settings) -> list[str]:
    """Chromium always; Firefox/WebKit on TARGET=live with their Playwright build installed (or a remote browser:
    the server's business). On the sandbox the twins' certificate is trusted through a Chromium flag."""
    if len(engines) > 1:
        return [f"--browser is given {len(engines)} times ({', '.join(engines)}); give one per run: the scenarios "
                "ask for the page while they run, so pytest-playwright cannot repeat them once per engine."]
    engine = engines[0] if engines else "chromium"
    if engine == "chromium":
        return []
    if settings.is_sandbox:
        return [f"--browser {engine}: {CHROMIUM_ONLY}: on TARGET=sandbox the browser trusts the twins' "
                "certificate through a Chromium flag (--ignore-certificate-errors-spki-list); use --browser "
                "chromium, or TARGET=live."]
    if settings.pw_connect_ws_endpoint is None and not has_playwright_build(engine):
        return [f"--browser {engine}: {CHROMIUM_ONLY}: Playwright's {engine} is not installed (setup installs "
                f"Chromium only); run `.venv/bin/playwright install {engine}`, or use --browser chromium."]
    return []


def video_verdict(video: str, settings: Settings) -> tuple[str | None, str | None]:
    """(problem, warning) for `--video`: recorded only with ALLOW_UNMASKED_VIDEO=yes, and loudly."""
    if video not in RECORDING_VIDEO:
        return None, None
    if settings.allow_unmasked_video != "yes":
        return (f"--video {video} is refused: video frames cannot be masked, so the client secret's Value (shown "
                "once by the Azure portal, typed into the Portal) may show in them; use --screenshot (masked), "
                "or set ALLOW_UNMASKED_VIDEO=yes and never publish the videos."), None
    if settings.pw_connect_ws_endpoint is None and not has_playwright_build("ffmpeg"):
        return (f"--video {video} needs Playwright's ffmpeg, which is not installed; run "
                "`.venv/bin/playwright install ffmpeg`, or drop --video."), None
    return None, (f"WARNING: --video {video} with ALLOW_UNMASKED_VIDEO=yes: the videos in --output are NOT "
                  "masked and may show the client secret; never publish or attach them.")


class _LoudWarnings:
    """Repeats the warnings at the end of the run, where people look."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        for line in self.lines:
            terminalreporter.write_line(line, red=True, bold=True)


def apply(config: pytest.Config, settings: Settings) -> Settings:
    """Reconcile the flags with the settings (called once settings are loaded): set pytest-playwright's tracing,
    take its end-of-test screenshots over (masked), refuse what cannot be honoured. Returns the effective
    settings; raises `SettingsError` with one line per refusal."""
    option = config.option
    parsed = {name: getattr(option, name, None) for name in ("tracing", "screenshot", "video", "browser", "headed")}
    decision = decide(parsed, given_flags(config), settings)
    if decision.problems:
        raise SettingsError(decision.problems)
    if hasattr(option, "tracing"):
        option.tracing = decision.tracing_option
    config.stash[END_OF_TEST_SCREENSHOTS] = decision.end_of_test_screenshots
    if hasattr(option, "screenshot"):
        option.screenshot = "off"  # pytest-playwright's own would be unmasked: `harness.fixtures` takes them
    if decision.warnings:
        for line in decision.warnings:
            sys.stderr.write(line + "\n")
        config.pluginmanager.register(_LoudWarnings(decision.warnings), "bcoauth-playwright-warnings")
    return decision.settings


def end_of_test_screenshots(config: pytest.Config) -> str:
    return config.stash.get(END_OF_TEST_SCREENSHOTS, "off")
