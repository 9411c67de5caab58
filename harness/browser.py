"""Which Chromium to drive, and how to launch it on a closed network.

Order: BROWSER_PATH; Playwright's own Chromium when installed; Debian's /usr/bin/chromium. For the sandbox the
browser pins the twins' server key (SPKI) rather than ignoring certificate errors for every host.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CLOSED_NETWORK_ARGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync",
                       "--no-first-run"]
SYSTEM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def has_playwright_chromium() -> bool:
    """Whether `playwright install chromium` has put a build in Playwright's cache."""
    root = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH", Path.home() / ".cache" / "ms-playwright"))
    patterns = ("chromium-*/chrome-linux*/chrome", "chromium_headless_shell-*/chrome-*/chrome-headless-shell",
                "chromium_headless_shell-*/chrome-*/headless_shell")
    return any(next(root.glob(pattern), None) is not None for pattern in patterns)


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
