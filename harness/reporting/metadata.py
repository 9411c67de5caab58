"""Run metadata for the report, written once (by the xdist controller, or the only process) into allure-results:
environment.properties (the environment panel: target, tenant, BC environment and company, browser, evidence
settings, versions — no user names), executor.json (the CI system and build, or a local run) and categories.json
(failure categories, shared with allurerc.mjs)."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from harness.browser import find_browser
from harness.fixtures import settings_of
from harness.reporting.outputs import alluredir, is_xdist_worker
from harness.settings import Settings

CATEGORIES_FILE = Path(__file__).resolve().parent.parent / "allure_categories.json"
KEY_PACKAGES = ("pytest", "pytest-bdd", "playwright", "pytest-playwright", "msal", "httpx", "allure-pytest-bdd")


WORKER_OUTPUT_KEY = "harness_run_facts"
PANEL_FIELDS = ("tenant_id", "bc_environment", "bc_company")  # what the twins fill in, per sandbox


@dataclass
class RunFacts:
    settings: Settings
    browser: str = ""  # "chromium 140.0…" once a scenario used a page
    from_workers: list[dict[str, str]] = field(default_factory=list)  # xdist: each worker's filled-in facts

    def shareable(self) -> dict[str, str]:
        return {**{name: str(getattr(self.settings, name) or "") for name in PANEL_FIELDS}, "browser": self.browser}

    def merged(self) -> tuple[Settings, str]:
        """Settings and browser for the panel; under xdist the workers' (one sandbox each), distinct values
        joined."""
        if not self.from_workers:
            return self.settings, self.browser

        def joined(name: str) -> str:
            return ", ".join(dict.fromkeys(f[name] for f in self.from_workers if f.get(name)))

        return replace(self.settings, **{name: joined(name) for name in PANEL_FIELDS}), joined("browser")


_FACTS = pytest.StashKey[RunFacts]()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _browser_version(settings: Settings) -> str:
    try:
        path = find_browser(settings.browser_path)
    except FileNotFoundError:
        return "none found"
    if not path:
        return "Playwright's bundled Chromium"
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=15, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return path
    return out.stdout.strip() or path


def environment_properties(settings: Settings, browser: str) -> dict[str, str]:
    props = {
        "Target": settings.target,
        "Tenant ID": settings.tenant_id or "(not used in this run)",
        "BC environment": settings.bc_environment or "(not used in this run)",
        "BC company": settings.bc_company,
        "Browser": browser or _browser_version(settings),
        "Screenshots": settings.screenshots,
        "Tracing": settings.tracing,
        "Python": platform.python_version(),
    }
    if settings.is_sandbox:
        props["Sandbox profile"] = settings.sandbox_profile
    props.update({package: _version(package) for package in KEY_PACKAGES})
    return props


def _properties_text(props: dict[str, str]) -> str:
    def escape(text: str, key: bool = False) -> str:
        text = text.replace("\\", "\\\\").replace("\n", " ")
        return re.sub(r"([ =:])", r"\\\1", text) if key else text

    return "".join(f"{escape(k, key=True)}={escape(v)}\n" for k, v in props.items())


def executor(env: dict[str, str] | None = None) -> dict[str, Any]:
    """Who ran this: the CI system and build from its standard variables, or a local run."""
    env = dict(os.environ) if env is None else env
    if env.get("GITHUB_ACTIONS") == "true":
        run_url = f"{env.get('GITHUB_SERVER_URL', 'https://github.com')}/{env.get('GITHUB_REPOSITORY', '')}" \
                  f"/actions/runs/{env.get('GITHUB_RUN_ID', '')}"
        return {"name": "GitHub Actions", "type": "github", "buildName": f"{env.get('GITHUB_WORKFLOW', 'workflow')} "
                f"#{env.get('GITHUB_RUN_NUMBER', '')}", "buildUrl": run_url,
                "buildOrder": int(env.get("GITHUB_RUN_NUMBER", "0") or 0)}
    if env.get("GITLAB_CI"):
        return {"name": "GitLab CI", "type": "gitlab", "buildName": f"pipeline {env.get('CI_PIPELINE_ID', '')}",
                "buildUrl": env.get("CI_PIPELINE_URL", ""), "buildOrder": int(env.get("CI_PIPELINE_IID", "0") or 0)}
    if env.get("BUILD_URL") or env.get("JENKINS_URL"):
        return {"name": "Jenkins", "type": "jenkins", "buildName": f"{env.get('JOB_NAME', 'job')} "
                f"#{env.get('BUILD_NUMBER', '')}", "buildUrl": env.get("BUILD_URL", ""),
                "buildOrder": int(env.get("BUILD_NUMBER", "0") or 0)}
    if env.get("TF_BUILD"):
        return {"name": "Azure Pipelines", "type": "azure", "buildName": env.get("BUILD_BUILDNUMBER", ""),
                "buildUrl": f"{env.get('SYSTEM_COLLECTIONURI', '')}{env.get('SYSTEM_TEAMPROJECT', '')}"
                            f"/_build/results?buildId={env.get('BUILD_BUILDID', '')}"}
    return {"name": f"local run on {platform.node()}", "type": "local"}


def categories() -> list[dict[str, Any]]:
    return json.loads(CATEGORIES_FILE.read_text(encoding="utf-8"))


def write_metadata(results: Path, settings: Settings, browser: str = "") -> None:
    results.mkdir(parents=True, exist_ok=True)
    props = environment_properties(settings, browser)
    (results / "environment.properties").write_text(_properties_text(props), encoding="utf-8")
    (results / "executor.json").write_text(json.dumps(executor(), indent=2), encoding="utf-8")
    (results / "categories.json").write_text(json.dumps(categories(), indent=2, ensure_ascii=False),
                                             encoding="utf-8")


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    config.stash[_FACTS] = RunFacts(settings_of(config))


def pytest_bdd_before_scenario(request: pytest.FixtureRequest) -> None:
    # The twins decide tenant, environment and company: keep the filled-in settings for the environment panel.
    if "settings" in request.fixturenames:
        request.config.stash[_FACTS].settings = request.getfixturevalue("settings")


def pytest_bdd_after_step(request: pytest.FixtureRequest, step_func_args: dict[str, Any]) -> None:
    facts = request.config.stash[_FACTS]
    page = step_func_args.get("page")
    if page is not None and not facts.browser:
        browser = page.context.browser
        facts.browser = f"{browser.browser_type.name} {browser.version}" if browser else ""


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    facts = node.config.stash.get(_FACTS, None)
    shared = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT_KEY)
    if facts is not None and shared:
        facts.from_workers.append(shared)


@pytest.hookimpl(trylast=True)  # before the secret gate (a wrapper) searches allure-results
def pytest_sessionfinish(session: pytest.Session) -> None:
    facts = session.config.stash.get(_FACTS, None)
    if facts is None:
        return
    if is_xdist_worker(session.config):
        session.config.workeroutput[WORKER_OUTPUT_KEY] = facts.shareable()  # type: ignore[attr-defined]
        return
    results = alluredir(session.config)
    if results is not None:
        write_metadata(results, *facts.merged())
