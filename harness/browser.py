"""Which browser to drive, and how to launch it (or connect to it) on a closed network.

Chromium, in this order: BROWSER_PATH; Playwright's own Chromium when installed; Debian's /usr/bin/chromium. A
`--browser-channel` (Chrome, Edge) or a remote browser (PW_CONNECT_WS_ENDPOINT) is Playwright's to find: no
executable path is forced on it. For the sandbox the browser pins the twins' server key (SPKI) rather than ignoring
certificate errors for every host. Firefox and WebKit get none of Chromium's paths or flags.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

CLOSED_NETWORK_ARGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync",
                       "--no-first-run"]
SYSTEM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
# Where `playwright install <name>` puts each build, under Playwright's browsers folder.
PLAYWRIGHT_BUILDS = {
    "chromium": ("chromium-*/chrome-linux*/chrome", "chromium_headless_shell-*/chrome-*/chrome-headless-shell",
                 "chromium_headless_shell-*/chrome-*/headless_shell"),
    "firefox": ("firefox-*/firefox/firefox",),
    "webkit": ("webkit-*/pw_run.sh",),
    "ffmpeg": ("ffmpeg-*/ffmpeg-linux",),  # what --video needs to encode the frames
}
# The header a Playwright server (`playwright run-server`) reads its launch options from (camelCase keys).
LAUNCH_OPTIONS_HEADER = "x-playwright-launch-options"


def playwright_browsers_root() -> Path:
    return Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")


def has_playwright_build(name: str) -> bool:
    """Whether `playwright install <name>` has put a build in Playwright's cache."""
    root = playwright_browsers_root()
    return any(next(root.glob(pattern), None) is not None for pattern in PLAYWRIGHT_BUILDS[name])


def has_playwright_chromium() -> bool:
    return has_playwright_build("chromium")


def find_browser(configured: str = "") -> str | None:
    """An executable path to pass to Playwright, None to use Playwright's own build, or raise if none exists."""
    if configured:
        return configured
    if has_playwright_chromium():
        return None  # let Playwright pick its own build (no executable_path needed)
    for candidate in (*SYSTEM_CANDIDATES, shutil.which("chromium") or ""):
        if candidate and Path(candidate).exists():
            return candidate
    raise FileNotFoundError("no Chromium found: run `make setup` (installs Debian's chromium) or set BROWSER_PATH")


def launch_args(spki_sha256: str | None = None) -> list[str]:
    args = list(CLOSED_NETWORK_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium's sandbox does not run as root
    if spki_sha256:
        args.append(f"--ignore-certificate-errors-spki-list={spki_sha256}")
    return args


def launch_options(flags: dict[str, Any], *, engine: str = "chromium", browser_path: str = "",
                   headed: bool = False, spki_sha256: str | None = None, remote: bool = False) -> dict[str, Any]:
    """pytest-playwright's launch options (`flags`: what --headed, --slowmo, --browser-channel asked for) plus the
    harness's. An executable path only for Chromium without a channel: BROWSER_PATH, else a local one found here
    (a remote browser gets BROWSER_PATH alone: a path on the server's machine, which `run-server --unsafe` honours).
    """
    options = dict(flags)
    if headed:
        options["headless"] = False
    if not remote:  # Ctrl-C: the browser stays open for the teardown, whose cleanup ledger undoes through the UIs
        options["handle_sigint"] = False
    if engine != "chromium":
        return options  # Chromium's flags mean nothing to Firefox/WebKit, and BROWSER_PATH is a Chromium
    options["args"] = [*options.get("args", []), *launch_args(spki_sha256)]
    if options.get("channel"):
        return options  # Playwright finds the channel's browser (Chrome, Edge) itself
    executable = browser_path if remote else find_browser(browser_path)
    if executable:
        options["executable_path"] = str(executable)
    return options


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


def connect_options(ws_endpoint: str, launch: dict[str, Any], expose_network: str | None = None) -> dict[str, Any]:
    """Keyword arguments for `BrowserType.connect` (pytest-playwright's `connect_options` fixture).

    The server launches the browser: it reads the launch options from a header, with its own (camelCase) names,
    and honours `args` and `executablePath` only when started with `--unsafe` (a cloud service: never). `slow_mo`
    is the client's. `expose_network="<loopback>"` lets a browser on another machine reach this one's loopback
    (the twins) through the connection.
    """
    server_side = {_camel(key): value for key, value in launch.items() if key != "slow_mo"}
    options: dict[str, Any] = {"endpoint": ws_endpoint,
                               "headers": {LAUNCH_OPTIONS_HEADER: json.dumps(server_side)}}
    if launch.get("slow_mo"):
        options["slow_mo"] = launch["slow_mo"]
    if expose_network:
        options["expose_network"] = expose_network
    return options
