"""The nightly pipeline files a QA engineer copies into their CI: they parse, and they do what the README says
(schedule + manual trigger, Chromium, set-up, settings check, drift check, the live suite, JUnit to the test tab,
report and results kept, history restored and saved). The container image builds where Docker runs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str) -> dict:
    # PyYAML reads GitHub's bare `on:` key as the boolean True (YAML 1.1); normalise it.
    data = yaml.safe_load((ROOT / name).read_text())
    if True in data:
        data["on"] = data.pop(True)
    return data


def _commands(steps: list[dict]) -> str:
    return "\n".join(str(step.get("run") or step.get("script") or step.get("uses") or step.get("task") or
                         step.get("publish") or "") for step in steps)


def test_github_workflow_runs_the_live_suite_nightly_and_on_demand() -> None:
    workflow = _load(".github/workflows/nightly.yml")
    assert "schedule" in workflow["on"] and "workflow_dispatch" in workflow["on"]
    job = workflow["jobs"]["live"]
    assert job["env"]["TARGET"] == "live"
    secrets_used = [v for v in job["env"].values() if "secrets." in str(v)]
    assert len(secrets_used) >= 8, "credentials must come from the CI secret store"
    commands = _commands(job["steps"])
    ordered = ["apt-get install -y -qq chromium", "make setup", "actions/cache/restore", "bcoauth check-settings",
               "bcoauth doctor", "make e2e", "actions/cache/save", "action-junit-report", "actions/upload-artifact"]
    positions = [commands.find(marker) for marker in ordered]
    assert -1 not in positions, dict(zip(ordered, positions, strict=True))
    assert positions == sorted(positions), "the steps are out of order"
    upload = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact"))
    assert "reports/allure-report/index.html" in upload["with"]["path"]
    assert "reports/allure-results/" in upload["with"]["path"]


def test_github_workflow_never_writes_a_secret_into_the_log() -> None:
    text = (ROOT / ".github/workflows/nightly.yml").read_text()
    assert "set -x" not in text and "echo $AZURE" not in text
    assert "umask 077" in text  # the storage state file is private


def test_azure_pipeline_runs_the_live_suite_nightly_with_a_secure_file() -> None:
    pipeline = _load("azure-pipelines.yml")
    assert pipeline["schedules"][0]["cron"] and pipeline["trigger"] == "none"
    job = pipeline["jobs"][0]
    commands = _commands(job["steps"])
    ordered = ["DownloadSecureFile@1", "make setup", "DownloadPipelineArtifact@2", "bcoauth check-settings",
               "bcoauth doctor", "make e2e", "PublishTestResults@2", "reports/allure-history.jsonl",
               "reports/allure-report", "reports/allure-results"]
    positions = [commands.find(marker) for marker in ordered]
    assert -1 not in positions, dict(zip(ordered, positions, strict=True))
    assert positions == sorted(positions), "the steps are out of order"
    junit = next(s for s in job["steps"] if s.get("task") == "PublishTestResults@2")
    assert junit["inputs"]["testResultsFiles"] == "reports/junit.xml" and junit["condition"] == "always()"


def test_devcontainer_builds_from_the_project_image() -> None:
    config = json.loads((ROOT / ".devcontainer/devcontainer.json").read_text())
    assert config["build"]["dockerfile"] == "../Dockerfile"
    assert config["postCreateCommand"] == "make setup"


def _docker_daemon() -> str | None:
    docker = shutil.which("docker")
    if not docker:
        return None
    probe = subprocess.run([docker, "info"], capture_output=True, text=True, timeout=30)
    return docker if probe.returncode == 0 else None


@pytest.mark.slow
def test_the_container_image_builds_and_passes_make_test() -> None:
    docker = _docker_daemon()
    if docker is None:
        pytest.skip("no Docker daemon on this machine: the image build is checked where Docker runs")
    build = subprocess.run([docker, "build", "-q", "-t", "bc-oauth-e2e:test", str(ROOT)], capture_output=True,
                           text=True, timeout=1800)
    assert build.returncode == 0, build.stderr[-2000:]
    run = subprocess.run([docker, "run", "--rm", "bc-oauth-e2e:test", "make", "test"], capture_output=True,
                         text=True, timeout=3600)
    assert run.returncode == 0, run.stdout[-3000:]
