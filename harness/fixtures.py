"""pytest fixtures shared by every feature: settings, the sandbox, the run context, cleanup, the backstage, the
browser.

Target knowledge stops here (and in `harness.backstage`): steps, flows and pages receive settings, clients and
the `backstage`, never "sandbox or live". The `admin` fixture is for the harness's own tests of the twins.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from harness.backstage import Backstage
from harness.browser import find_browser, launch_args
from harness.cleanup import CleanupLedger
from harness.run_context import RunContext
from harness.sandbox_control import AdminClient, SandboxProcess, start_sandbox
from harness.settings import Settings, SettingsError, load_settings

_SETTINGS_KEY = pytest.StashKey[Settings]()


def pytest_configure(config: pytest.Config) -> None:
    try:
        config.stash[_SETTINGS_KEY] = load_settings()
    except SettingsError as exc:
        for line in exc.problems:
            sys.stderr.write(line + "\n")
        pytest.exit("invalid settings (see the lines above)", returncode=2)
    expect.set_options(timeout=config.stash[_SETTINGS_KEY].ui_timeout_s * 1000)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Target marks decide before any step runs, so a skipped scenario changes nothing on a real tenant."""
    settings = item.config.stash[_SETTINGS_KEY]
    if item.get_closest_marker("sandbox_only") and not settings.is_sandbox:
        pytest.skip("sandbox only: it provisions deliberately broken apps through the twins' admin API")
    if item.get_closest_marker("live_only") and settings.is_sandbox:
        pytest.skip("live only: set TARGET=live")


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_before_step_call(request: pytest.FixtureRequest, step_func_args: dict[str, Any]) -> None:
    """UI_TIMEOUT_S for every page a step drives (pytest-playwright owns page creation)."""
    page = step_func_args.get("page")
    if page is not None:
        page.set_default_timeout(request.config.stash[_SETTINGS_KEY].ui_timeout_s * 1000)


@pytest.fixture(scope="session")
def base_settings(pytestconfig: pytest.Config) -> Settings:
    """Settings as read from the environment and `.env`, before the sandbox fills in its URLs."""
    return pytestconfig.stash[_SETTINGS_KEY]


@pytest.fixture(scope="session")
def sandbox_process(base_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        SandboxProcess | None]:
    if not base_settings.is_sandbox:
        yield None
        return
    root = Path(base_settings.sandbox_state_dir or tmp_path_factory.mktemp("sandbox"))
    root.mkdir(parents=True, exist_ok=True)
    process = start_sandbox(root / "state", root / "endpoints.json", port=base_settings.sandbox_port,
                            profile=base_settings.sandbox_profile, log_file=root / "sandbox.log")
    try:
        admin = AdminClient(process.endpoints)
        admin.set_options(portal_layout=base_settings.sandbox_portal_layout,
                          account_types_ui=base_settings.sandbox_account_types_ui,
                          bc_caption=base_settings.sandbox_bc_caption)
        admin.close()
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="session")
def settings(base_settings: Settings, sandbox_process: SandboxProcess | None) -> Settings:
    if sandbox_process is None:
        return base_settings
    return base_settings.with_sandbox(sandbox_process.endpoints)


@pytest.fixture(scope="session")
def sandbox_endpoints(sandbox_process: SandboxProcess | None) -> dict[str, Any]:
    if sandbox_process is None:
        pytest.skip("needs the local twins (TARGET=sandbox)")
    return sandbox_process.endpoints


@pytest.fixture(scope="session")
def admin(sandbox_endpoints: dict[str, Any]) -> Iterator[AdminClient]:
    """The sandbox admin API; scenarios that need it are skipped on TARGET=live."""
    client = AdminClient(sandbox_endpoints)
    yield client
    client.close()


@pytest.fixture
def cleanup(settings: Settings) -> Iterator[CleanupLedger]:
    ledger = CleanupLedger(enabled=settings.cleanup)
    yield ledger
    failures = ledger.run()
    if failures:
        pytest.fail("cleanup left things behind:\n" + "\n".join(failures), pytrace=False)


@pytest.fixture
def backstage(settings: Settings, request: pytest.FixtureRequest) -> Iterator[Backstage]:
    """The sandbox admin API behind typed methods; on TARGET=live each method skips or does nothing."""
    admin = request.getfixturevalue("admin") if settings.is_sandbox else None
    stage = Backstage(admin, settings, lambda: request.getfixturevalue("cleanup"))
    yield stage
    failures = stage.switch_back()
    if failures:
        pytest.fail("the sandbox was not switched back:\n" + "\n".join(failures), pytrace=False)


@pytest.fixture
def run_context(settings: Settings) -> RunContext:
    return RunContext(tenant_id=settings.tenant_id, environment=settings.bc_environment, company=settings.bc_company)


# --- pytest-playwright configuration ---------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], base_settings: Settings,
                             sandbox_process: SandboxProcess | None) -> dict[str, Any]:
    spki = sandbox_process.endpoints["spki_sha256"] if sandbox_process else None
    args = {**browser_type_launch_args, "args": [*browser_type_launch_args.get("args", []), *launch_args(spki)]}
    executable = find_browser(base_settings.browser_path)
    if executable:
        args["executable_path"] = executable
    if base_settings.headed:
        args["headless"] = False
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1440, "height": 900}, "locale": "en-US"}
