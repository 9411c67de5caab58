"""pytest-playwright's flags against the harness's settings, without a browser: precedence, refusals, launch and
connect options (harness.playwright_options, harness.browser, the new settings rows)."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import BrowserType

from harness import browser, playwright_options
from harness.playwright_options import CHROMIUM_ONLY, decide, given_flags
from harness.secrets import Secret
from harness.settings import Settings, SettingsError, load_settings

DEFAULTS = {"tracing": "off", "screenshot": "off", "video": "off", "browser": [], "headed": False}
LIVE = Settings(target="live")
REMOTE = Secret("ws://127.0.0.1:9/", "pw_connect_ws_endpoint")


def _decide(settings: Settings | None = None, given: tuple[str, ...] = (), **options: object):
    return decide({**DEFAULTS, **options}, given, settings or Settings())


@pytest.fixture
def playwright_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An empty Playwright browsers folder; `install(name)` fakes `playwright install <name>`."""
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))

    def install(name: str) -> None:
        pattern = browser.PLAYWRIGHT_BUILDS[name][0]
        path = tmp_path / pattern.replace("*", "1")
        path.parent.mkdir(parents=True)
        path.write_text("")

    return install


# --- which flags were given ------------------------------------------------------------------------------------


def _config(args: list[str], addopts: list[str]) -> SimpleNamespace:
    return SimpleNamespace(getini=lambda name: addopts if name == "addopts" else [],
                           invocation_params=SimpleNamespace(args=tuple(args)))


def test_a_flag_counts_as_given_from_the_command_line_addopts_or_pytest_addopts(monkeypatch):
    monkeypatch.setenv("PYTEST_ADDOPTS", "--screenshot only-on-failure")
    given = given_flags(_config(["tests/e2e", "--tracing=off", "-k", "golden"], ["--strict-markers"]))
    assert {"--tracing", "--screenshot", "--strict-markers"} <= given
    assert "--video" not in given and "-k" not in given


# --- precedence -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("setting", "option"), [("off", "off"), ("on-failure", "retain-on-failure"), ("on", "on")])
def test_without_the_flag_tracing_follows_the_setting(setting, option):
    decision = _decide(Settings(tracing=setting))
    assert (decision.tracing_option, decision.settings.tracing) == (option, setting)


@pytest.mark.parametrize(("flag", "setting"), [("off", "off"), ("retain-on-failure", "on-failure"), ("on", "on")])
def test_an_explicit_tracing_flag_wins_over_the_setting(flag, setting):
    for configured in ("off", "on-failure", "on"):
        decision = _decide(Settings(tracing=configured), ("--tracing",), tracing=flag)
        assert (decision.tracing_option, decision.settings.tracing) == (flag, setting)


@pytest.mark.parametrize(("flag", "steps"), [("off", "off"), ("only-on-failure", "on-failure"), ("on", "every-step")])
def test_an_explicit_screenshot_flag_wins_and_the_harness_takes_the_end_of_test_shot(flag, steps):
    decision = _decide(Settings(screenshots="on-failure+golden"), ("--screenshot",), screenshot=flag)
    assert (decision.settings.screenshots, decision.end_of_test_screenshots) == (steps, flag)


def test_without_the_screenshot_flag_screenshots_follow_the_setting():
    decision = _decide(Settings(screenshots="every-step"))
    assert (decision.settings.screenshots, decision.end_of_test_screenshots) == ("every-step", "off")


@pytest.mark.parametrize(("setting", "flag", "headed"), [(False, False, False), (True, False, True),
                                                         (False, True, True), (True, True, True)])
def test_headed_if_the_flag_or_the_setting_says_so(setting, flag, headed):
    assert _decide(Settings(headed=setting), headed=flag).settings.headed is headed


# --- engines ----------------------------------------------------------------------------------------------------


def test_chromium_is_always_fine():
    assert _decide(browser=["chromium"]).problems == []


@pytest.mark.parametrize("engine", ["firefox", "webkit"])
def test_firefox_and_webkit_are_refused_on_the_sandbox_in_one_line(engine, playwright_cache):
    playwright_cache(engine)  # even when installed: the twins' key pin is a Chromium flag
    [problem] = _decide(browser=[engine]).problems
    assert problem.startswith(f"--browser {engine}: {CHROMIUM_ONLY}: ") and "\n" not in problem


@pytest.mark.parametrize("engine", ["firefox", "webkit"])
def test_firefox_and_webkit_on_live_need_their_playwright_build(engine, playwright_cache):
    [problem] = _decide(LIVE, browser=[engine]).problems
    assert CHROMIUM_ONLY in problem and f"playwright install {engine}" in problem
    playwright_cache(engine)
    assert _decide(LIVE, browser=[engine]).problems == []


def test_a_remote_browser_on_live_may_be_any_engine(playwright_cache):
    assert _decide(Settings(target="live", pw_connect_ws_endpoint=REMOTE), browser=["webkit"]).problems == []


def test_one_engine_per_run():
    [problem] = _decide(browser=["chromium", "firefox"]).problems
    assert problem.startswith("--browser is given 2 times (chromium, firefox); give one per run")


# --- video ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("video", ["on", "retain-on-failure"])
def test_video_is_refused_without_the_opt_in(video, playwright_cache):
    playwright_cache("ffmpeg")
    decision = _decide(video=video)
    assert decision.warnings == []
    [problem] = decision.problems
    assert problem.startswith(f"--video {video} is refused: video frames cannot be masked")
    assert "ALLOW_UNMASKED_VIDEO=yes" in problem


def test_video_with_the_opt_in_needs_ffmpeg_then_warns(playwright_cache):
    allowed = Settings(allow_unmasked_video="yes")
    [problem] = _decide(allowed, video="on").problems
    assert "needs Playwright's ffmpeg" in problem and "playwright install ffmpeg" in problem
    playwright_cache("ffmpeg")
    decision = _decide(allowed, video="on")
    assert decision.problems == []
    assert decision.warnings == ["WARNING: --video on with ALLOW_UNMASKED_VIDEO=yes: the videos in --output are NOT "
                                 "masked and may show the client secret; never publish or attach them."]


def test_video_off_needs_nothing():
    assert _decide(video="off").problems == _decide(video="off").warnings == []


# --- settings rows ----------------------------------------------------------------------------------------------


def test_tracing_accepts_pytest_playwrights_word():
    assert load_settings({"TRACING": "retain-on-failure"}, dotenv_path=None).tracing == "on-failure"
    assert load_settings({"TRACING": "On"}, dotenv_path=None).tracing == "on"


@pytest.mark.parametrize("url", ["ws://127.0.0.1:3000/", "wss://browsers.example.test/pw?token=abc123"])
def test_a_ws_endpoint_is_kept_as_a_secret(url):
    endpoint = load_settings({"PW_CONNECT_WS_ENDPOINT": url}, dotenv_path=None).pw_connect_ws_endpoint
    assert isinstance(endpoint, Secret) and endpoint.reveal() == url and url not in repr(endpoint)


def test_a_bad_ws_endpoint_is_one_line_that_does_not_show_it():
    with pytest.raises(SettingsError) as caught:
        load_settings({"PW_CONNECT_WS_ENDPOINT": "https://browsers.example.test/?token=abc123"}, dotenv_path=None)
    [line] = caught.value.problems
    assert line.startswith("PW_CONNECT_WS_ENDPOINT=(hidden) is not valid; expected the ws:// or wss:// URL")
    assert "abc123" not in line


def test_allow_unmasked_video_is_yes_or_no():
    assert load_settings({"ALLOW_UNMASKED_VIDEO": "YES"}, dotenv_path=None).allow_unmasked_video == "yes"
    with pytest.raises(SettingsError, match="ALLOW_UNMASKED_VIDEO='sure' is not valid"):
        load_settings({"ALLOW_UNMASKED_VIDEO": "sure"}, dotenv_path=None)


# --- launch and connect options ---------------------------------------------------------------------------------


def test_chromium_gets_the_closed_network_flags_the_key_pin_and_browser_path(tmp_path):
    chrome = tmp_path / "chrome"
    options = browser.launch_options({"slow_mo": 250}, browser_path=str(chrome), headed=True, spki_sha256="PIN=")
    assert options["executable_path"] == str(chrome) and options["headless"] is False and options["slow_mo"] == 250
    assert {*browser.CLOSED_NETWORK_ARGS, "--ignore-certificate-errors-spki-list=PIN="} <= set(options["args"])


def test_a_channel_is_never_given_an_executable_path(tmp_path):
    options = browser.launch_options({"channel": "chrome"}, browser_path=str(tmp_path / "chrome"), spki_sha256="P")
    assert "executable_path" not in options and options["channel"] == "chrome"
    assert "--ignore-certificate-errors-spki-list=P" in options["args"]  # Chrome is a Chromium: the flags hold


@pytest.mark.parametrize("engine", ["firefox", "webkit"])
def test_firefox_and_webkit_get_neither_chromiums_path_nor_its_flags(engine, tmp_path):
    options = browser.launch_options({"headless": True, "args": ["--kiosk"]}, engine=engine,
                                     browser_path=str(tmp_path / "chrome"), spki_sha256="P")
    assert options["args"] == ["--kiosk"] and options["headless"] is True and "executable_path" not in options


def test_a_remote_browser_gets_browser_path_only_when_set():
    assert "executable_path" not in browser.launch_options({}, remote=True)
    assert browser.launch_options({}, remote=True, browser_path="/usr/bin/chromium")["executable_path"] \
        == "/usr/bin/chromium"


def test_connect_options_fit_browser_type_connect_and_the_servers_header():
    launch = {"headless": False, "slow_mo": 100, "args": ["--no-first-run"], "executable_path": "/usr/bin/chromium"}
    options = browser.connect_options("ws://127.0.0.1:9/", launch, expose_network="<loopback>")
    assert set(options) <= set(inspect.signature(BrowserType.connect).parameters)
    assert options["endpoint"] == "ws://127.0.0.1:9/" and options["slow_mo"] == 100
    assert options["expose_network"] == "<loopback>"
    assert json.loads(options["headers"][browser.LAUNCH_OPTIONS_HEADER]) == {
        "headless": False, "args": ["--no-first-run"], "executablePath": "/usr/bin/chromium"}
    assert "expose_network" not in browser.connect_options("ws://127.0.0.1:9/", {})


def test_end_of_test_screenshots_default_to_off():
    assert playwright_options.end_of_test_screenshots(SimpleNamespace(stash={})) == "off"
