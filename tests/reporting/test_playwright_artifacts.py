"""pytest-playwright's options in real runs (nested pytest sessions, tests/reporting/playwright_sample/): flags win
over settings, refusals are one line and exit 2, --screenshot goes through the secret masks (pixels checked), and
PW_CONNECT_WS_ENDPOINT drives a browser launched by `playwright run-server`.
"""

from __future__ import annotations

import json
import os
import re
import signal
import struct
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright._impl._driver import compute_driver_executable

from harness import browser, evidence

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(__file__).parent / "playwright_sample"
# The probe's secret: visible in the page at the end of each probe test (built at run time, Entra-shaped).
PROBE_SECRET = "kR2" + "8Q~" + "probe.Secret-visible-on-screen0123"
MASK_RGB = bytes.fromhex(evidence.MASK_COLOR.lstrip("#"))
# What the harness's settings would otherwise bring in from the caller's environment or .env.
CALLER_VARIABLES = ("TRACING", "SCREENSHOTS", "HEADED", "BROWSER_PATH", "PW_CONNECT_WS_ENDPOINT",
                    "ALLOW_UNMASKED_VIDEO", "PYTEST_ADDOPTS", "TARGET", "SANDBOX_STATE_DIR", "SANDBOX_PORT")


@dataclass
class Run:
    returncode: int
    output: str
    folder: Path

    def lines(self, start: str) -> list[str]:
        return [line for line in self.output.splitlines() if line.startswith(start)]


def run_pytest(folder: Path, *args: str, env: dict[str, str] | None = None, timeout: int = 400) -> Run:
    environ = {k: v for k, v in os.environ.items() if k not in CALLER_VARIABLES}
    environ.update({"ENV_FILE": os.devnull, "PROBE_DIR": str(folder / "probe"), "PROBE_OUT": str(folder / "probe.json"),
                    "PROBE_SECRET": PROBE_SECRET, **(env or {})})
    command = [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT),
               "-p", "no:cacheprovider", "-q", "--output", str(folder / "test-results"), *args]
    done = subprocess.run(command, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=timeout,
                          check=False)
    return Run(done.returncode, done.stdout + done.stderr, folder)


# --- a PNG reader (no Pillow in the project): 8-bit RGB/RGBA, not interlaced, as Chromium writes them -----------


def png_rows(data: bytes) -> tuple[int, list[bytes]]:
    """(channels, rows of pixels)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        header = struct.unpack(">IIBBBBB", body) if kind == b"IHDR" else header
        chunks += [body] if kind == b"IDAT" else []
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    channels = 3 if colour == 2 else 4
    stride, raw = width * channels, zlib.decompress(b"".join(chunks))
    rows, above = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            upper_left = above[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + above[i]) & 255
            elif kind == 3:
                line[i] = (line[i] + ((left + above[i]) >> 1)) & 255
            elif kind == 4:
                estimate = left + above[i] - upper_left
                nearest = min((abs(estimate - left), 0, left), (abs(estimate - above[i]), 1, above[i]),
                              (abs(estimate - upper_left), 2, upper_left))[2]
                line[i] = (line[i] + nearest) & 255
        rows.append(bytes(line))
        above = line
    return channels, rows


def pixels(png: bytes, box: dict[str, float], inset: int = 2) -> set[bytes]:
    """The distinct RGB colours inside the box (CSS pixels at scale 1), a little inside its edges."""
    channels, rows = png_rows(png)
    left, top = int(box["x"]) + inset, int(box["y"]) + inset
    right, bottom = int(box["x"] + box["width"]) - inset, int(box["y"] + box["height"]) - inset
    return {rows[y][x * channels:x * channels + 3] for y in range(top, bottom) for x in range(left, right)}


def mask_rectangles(png: bytes, min_width: int = 300, min_height: int = 25) -> int:
    """How many bands of at least `min_height` rows hold a run of `min_width` mask-coloured pixels: a painted field."""
    channels, rows = png_rows(png)
    run = re.compile(b"(?:" + re.escape(MASK_RGB) + b"." * (channels - 3) + b"){%d}" % min_width, re.DOTALL)
    bands, height = 0, 0
    for row in rows:
        found = any(match.start() % channels == 0 for match in run.finditer(row))
        height = height + 1 if found else 0
        bands += height == min_height
    return bands


def test_the_png_reader_sees_a_painted_field() -> None:
    """The reader itself, on a PNG made here (filters 0-4 in turn): a mask colour run is found, a yellow one not."""
    width, rows = 320, []
    for y in range(40):
        colour = MASK_RGB if 5 <= y < 35 else b"\xff\xff\x00"
        line = colour * width
        rows.append(bytes([0]) + line if y % 5 == 0 else bytes([2]) + bytes(len(line)))  # "up" repeats the row
    header = struct.pack(">IIBBBBB", width, 40, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    def png(rows: list[bytes]) -> bytes:
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows)))
                + chunk(b"IEND", b""))

    plain = [bytes([0]) + (MASK_RGB if 5 <= y < 35 else b"\xff\xff\x00") * width for y in range(40)]
    assert mask_rectangles(png(plain)) == 1
    assert pixels(png(plain), {"x": 10, "y": 10, "width": 100, "height": 20}) == {MASK_RGB}
    assert mask_rectangles(png([bytes([0]) + b"\xff\xff\x00" * width] * 40)) == 0


# --- flags and settings ---------------------------------------------------------------------------------------


PROBE_OPTIONS = str(SAMPLE / "probe_options.py")


def _playwright_cache(tmp_path: Path, *builds: str) -> str:
    root = tmp_path / "ms-playwright"
    for name in builds:
        path = root / browser.PLAYWRIGHT_BUILDS[name][0].replace("*", "1")
        path.parent.mkdir(parents=True)
        path.write_text("")
    root.mkdir(exist_ok=True)
    return str(root)


def test_explicit_flags_win_over_settings_and_unmasked_video_is_a_loud_warning(tmp_path: Path) -> None:
    run = run_pytest(tmp_path, PROBE_OPTIONS, "-k", "effective", "--tracing", "off", "--headed", "--video", "on",
                     env={"TRACING": "on", "SCREENSHOTS": "every-step", "HEADED": "false",
                          "PYTEST_ADDOPTS": "--screenshot only-on-failure", "ALLOW_UNMASKED_VIDEO": "yes",
                          "PLAYWRIGHT_BROWSERS_PATH": _playwright_cache(tmp_path, "ffmpeg")})
    assert run.returncode == 0, run.output
    assert json.loads((tmp_path / "probe.json").read_text()) == {
        "tracing_option": "off", "tracing": "off",  # not turned into retain-on-failure by TRACING
        "screenshot_option": "off", "end_of_test_screenshots": "only-on-failure",  # the harness takes them, masked
        "screenshots": "on-failure", "headed": True}
    warnings = run.lines("WARNING: --video on with ALLOW_UNMASKED_VIDEO=yes: the videos in --output are NOT masked")
    assert len(warnings) == 2  # at the start and in the summary at the end


def test_settings_apply_when_the_flag_is_not_given(tmp_path: Path) -> None:
    run = run_pytest(tmp_path, PROBE_OPTIONS, "-k", "effective",
                     env={"TRACING": "retain-on-failure", "SCREENSHOTS": "every-step"})
    assert run.returncode == 0, run.output
    assert json.loads((tmp_path / "probe.json").read_text()) == {
        "tracing_option": "retain-on-failure", "tracing": "on-failure", "screenshot_option": "off",
        "end_of_test_screenshots": "off", "screenshots": "every-step", "headed": False}


# Every refusal's wording is in tests/unit/test_playwright_flags.py; these prove the way out: one line, exit 2.
@pytest.mark.parametrize(("args", "line"), [
    (["--video", "on"], "--video on is refused: video frames cannot be masked"),
    (["--browser", "firefox"], "--browser firefox: only Chromium is supported here: on TARGET=sandbox"),
    (["--device", "Pixel 99", "-k", "device_name"], "--device 'Pixel 99' is not one of Playwright's devices"),
], ids=["video", "firefox", "device"])
def test_what_cannot_be_honoured_is_refused_in_one_line(tmp_path: Path, args: list[str], line: str) -> None:
    run = run_pytest(tmp_path, PROBE_OPTIONS, *args, timeout=120)
    assert run.returncode == 2, run.output
    assert [text for text in run.output.splitlines() if line in text], run.output
    assert "Traceback" not in run.output and "INTERNALERROR" not in run.output
    assert not (tmp_path / "probe.json").exists()  # refused before any test ran


# --- --screenshot through the masks, in a real browser ----------------------------------------------------------

PORTAL_SMOKE = "secret_on_screen or (dynamics_mobile and smoke)"  # the Portal UPDATE scenario + the probe pages


@pytest.fixture(scope="module")
def screenshot_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    folder = tmp_path_factory.mktemp("screenshot-on")
    return run_pytest(folder, str(SAMPLE / "probe_browser.py"), str(ROOT / "tests" / "e2e" / "test_dynamics_mobile.py"),
                      "-k", PORTAL_SMOKE, "--screenshot", "on", "--junitxml", str(folder / "junit.xml"),
                      env={"SCREENSHOTS": "off", "TRACING": "off"})


def _screenshots(run: Run, test: str) -> list[Path]:
    return sorted(run.folder.glob(f"test-results/*{test.replace('_', '-')}*/test-*.png"))


@pytest.mark.ui
def test_the_screenshot_run_fails_only_where_it_should_and_nothing_leaks(screenshot_run: Run) -> None:
    assert screenshot_run.returncode == 1, screenshot_run.output
    assert "1 failed, 2 passed" in screenshot_run.output
    assert "SECRET LEAK" not in screenshot_run.output


@pytest.mark.ui
@pytest.mark.parametrize(("test", "name"), [("test_passes_with_the_secret_on_screen", "test-finished-1.png"),
                                            ("test_fails_with_the_secret_on_screen", "test-failed-1.png")])
def test_end_of_test_screenshots_paint_the_secret_over(screenshot_run: Run, test: str, name: str) -> None:
    [png] = _screenshots(screenshot_run, test)
    assert png.name == name
    label = "passes" if "passes" in test else "fails"
    box = json.loads((screenshot_run.folder / "probe" / f"{label}.json").read_text())
    assert pixels(png.read_bytes(), box) == {MASK_RGB}  # every pixel of the field: the mask colour
    unmasked = (screenshot_run.folder / "probe" / f"{label}-unmasked.png").read_bytes()
    assert MASK_RGB not in pixels(unmasked, box)  # the same field unmasked: the secret's text on yellow


@pytest.mark.ui
def test_the_portal_update_scenario_screenshot_has_the_client_secret_field_painted_over(screenshot_run: Run) -> None:
    shots = sorted(screenshot_run.folder.glob("test-results/*dynamics-mobile*/test-finished-*.png"))
    assert shots, screenshot_run.output
    assert mask_rectangles(shots[-1].read_bytes()) >= 1  # the role page's Client Secret field (460x34 px)


@pytest.mark.ui
def test_screenshots_are_reported_as_pytest_playwright_reports_its_own(screenshot_run: Run) -> None:
    properties = [p.get("value") for p in ET.parse(screenshot_run.folder / "junit.xml").iter("property")
                  if p.get("name") == "playwright_screenshot"]
    assert len(properties) == 3 and all(value.endswith(".png") for value in properties)


# --- a remote browser: `playwright run-server` on this machine ----------------------------------------------------


@dataclass
class RemoteRun:
    run: Run
    server_log: str


@pytest.fixture(scope="module")
def playwright_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`playwright run-server` on loopback. `--unsafe` lets the client's launch options through: Debian's chromium
    (executablePath, from BROWSER_PATH) and the twins' key pin (args); without it the server launches only
    Playwright's own Chromium build and ignores the pin."""
    log = tmp_path_factory.mktemp("playwright-server") / "server.log"
    node, cli = compute_driver_executable()
    with log.open("w") as stderr:
        server = subprocess.Popen([node, cli, "run-server", "--port", "0", "--host", "127.0.0.1", "--unsafe"],
                                  stdout=subprocess.PIPE, stderr=stderr, text=True, start_new_session=True,
                                  env={**os.environ, "DEBUG": "pw:server"})
    watchdog = threading.Timer(60, server.kill)  # a server that never says where it listens
    watchdog.start()
    line = server.stdout.readline() if server.stdout else ""
    watchdog.cancel()
    try:
        endpoint = re.search(r"ws://\S+", line)
        if endpoint is None:
            pytest.skip(f"`playwright run-server` did not start: {line.strip() or log.read_text()[-300:]}")
        yield endpoint.group(0), log
    finally:
        with_group = os.getpgid(server.pid) == server.pid
        os.killpg(server.pid, signal.SIGTERM) if with_group else server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=20)


@pytest.fixture(scope="module")
def remote_run(playwright_server: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> RemoteRun:
    endpoint, log = playwright_server
    folder = tmp_path_factory.mktemp("remote")
    env = {"PW_CONNECT_WS_ENDPOINT": endpoint, "TRACING": "on", "SCREENSHOTS": "off"}
    local = browser.find_browser()
    if local:  # Debian's chromium: a path the server (started with --unsafe) launches
        env["BROWSER_PATH"] = local
    run = run_pytest(folder, str(SAMPLE / "probe_browser.py"), "--device", "Pixel 7", "--screenshot",
                     "only-on-failure", "--tracing", "off", env=env)
    return RemoteRun(run, log.read_text())


@pytest.mark.ui
def test_a_remote_browser_is_connected_to_not_launched(remote_run: RemoteRun) -> None:
    assert remote_run.run.returncode == 1, remote_run.run.output  # the one probe that fails on purpose
    assert "1 failed, 3 passed" in remote_run.run.output
    assert 'engaged launch mode for "chromium"' in remote_run.server_log  # the server launched the browser
    assert "started socks proxy" in remote_run.server_log  # the twins' loopback exposed through the connection


@pytest.mark.ui
def test_a_device_keeps_its_viewport(remote_run: RemoteRun) -> None:
    seen = json.loads((remote_run.run.folder / "probe" / "device.json").read_text())
    assert seen["viewport"] == {"width": 412, "height": 839} and "Pixel 7" in seen["user_agent"]


@pytest.mark.ui
def test_only_on_failure_and_tracing_off_win_over_the_settings(remote_run: RemoteRun) -> None:
    assert _screenshots(remote_run.run, "test_passes_with_the_secret_on_screen") == []
    [png] = _screenshots(remote_run.run, "test_fails_with_the_secret_on_screen")
    box = json.loads((remote_run.run.folder / "probe" / "fails.json").read_text())
    assert pixels(png.read_bytes(), box) == {MASK_RGB}
    assert list(remote_run.run.folder.glob("test-results/**/trace*.zip")) == []  # --tracing off over TRACING=on
