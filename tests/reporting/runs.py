"""Runs of the reporting sample (tests/reporting/sample/) in a subprocess pytest, as `make e2e` runs the features:
the project's plugins, --alluredir, --junitxml, pytest-playwright's --output; and `scripts/report.sh` on top."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(__file__).parent / "sample"
CLIENT_SECRET = "aXy8" "Q~sample.Client_Secret-0123456789abc"  # the Entra shape
DM_PASSWORD = "dm-Portal-Passw0rd-for-repr-check"
AUTH_CODE = "SAMPLE-AUTH-CODE-0123456789"
# Personal data the settings hold: never in what the run writes (the `settings` fixture is a step argument).
DM_USER = "portal.person@example.test"
ADMIN_UPN = "admin.person@example.test"


@dataclass
class Run:
    returncode: int
    output: str
    reports: Path

    @property
    def results(self) -> Path:
        return self.reports / "allure-results"

    def result(self, name: str) -> dict[str, Any]:
        for path in self.results.glob("*-result.json"):
            data = json.loads(path.read_text())
            if data["name"] == name:
                return data
        raise AssertionError(f"no result named {name!r} in {self.results}")

    def names(self) -> list[str]:
        return [json.loads(p.read_text())["name"] for p in self.results.glob("*-result.json")]

    def attachment(self, source: str) -> bytes:
        return (self.results / source).read_bytes()


def run_sample(module: str, reports: Path, *extra: str, **env_overrides: str) -> Run:
    env = {**os.environ, "TARGET": "sandbox", "SAMPLE_CLIENT_SECRET": CLIENT_SECRET, "DM_PASSWORD": DM_PASSWORD,
           "DM_USER": DM_USER, "AZURE_ADMIN_USER": ADMIN_UPN, "REPORTS_DIR": str(reports),
           "SCREENSHOTS": "on-failure+golden", "TRACING": "on-failure",
           "ALLURE_ISSUE_URL": "https://tracker.example.test/issues/{}", **env_overrides}
    command = [sys.executable, "-m", "pytest", str(SAMPLE / module), "-c", str(ROOT / "pyproject.toml"),
               "--rootdir", str(ROOT), "-p", "no:cacheprovider", "-vv", "--gherkin-terminal-reporter",
               "--alluredir", str(reports / "allure-results"), "--junitxml", str(reports / "junit.xml"),
               "--output", str(reports / "test-results"), *extra]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    return Run(done.returncode, done.stdout + done.stderr, reports)


def report_sh(reports: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TEST_RESULTS": str(reports / "test-results")}  # this run's, not the project's folder
    return subprocess.run(["bash", str(ROOT / "scripts" / "report.sh"), str(reports)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
