"""pytest fixtures shared by every feature: settings, the sandbox, the run context, cleanup, the backstage, the
browser.

Target knowledge stops here (and in `harness.backstage`): steps, flows and pages receive settings, clients and
the `backstage`, never "sandbox or live". The `admin` fixture is for the harness's own tests of the twins.
"""

from __future__ import annotations

import difflib
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, BrowserType, Page, Playwright, expect

from harness import browser as browser_setup
from harness import evidence, playwright_options, signed_in, workers
from harness.backstage import Backstage
from harness.cleanup import CleanupLedger
from harness.run_context import RunContext
from harness.sandbox_control import AdminClient, SandboxProcess, StartingSandbox, spawn_sandbox
from harness.secrets import revealed_values
from harness.settings import Settings, SettingsError, load_settings

_SETTINGS_KEY = pytest.StashKey[Settings]()
_STARTING_SANDBOX = pytest.StashKey[StartingSandbox]()
_DRIVES_A_BROWSER = pytest.StashKey[bool]()


def settings_of(config: pytest.Config) -> Settings:
    """The run's settings as loaded at start-up: the one public way other plugins (harness.reporting) read them."""
    return config.stash[_SETTINGS_KEY]


def pytest_configure(config: pytest.Config) -> None:
    try:
        config.stash[_SETTINGS_KEY] = playwright_options.apply(config, load_settings())  # flags win
    except SettingsError as exc:
        for line in exc.problems:
            sys.stderr.write(line + "\n")
        pytest.exit("invalid settings (see the lines above)", returncode=2)
    ports = workers.port_problem(config.stash[_SETTINGS_KEY].sandbox_port, config)
    if ports and config.stash[_SETTINGS_KEY].is_sandbox:
        sys.stderr.write(ports + "\n")
        pytest.exit("invalid settings (see the line above)", returncode=2)
    expect.set_options(timeout=config.stash[_SETTINGS_KEY].ui_timeout_s * 1000)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Notes whether any collected test drives a browser (the sandbox fixture then starts Playwright's driver
    early). TARGET=live: the scenarios that change the Portal's one agent role (DMSAGENT) share a worker and run
    one after another (`--dist loadgroup`, as `make test`/`make e2e` run). On the sandbox each worker has its own."""
    # Gherkin scenarios ask for `page` only when a step runs: count them as browser tests.
    config.stash[_DRIVES_A_BROWSER] = any("page" in item.fixturenames or "_pytest_bdd_example" in item.fixturenames
                                          for item in items)
    if config.stash[_SETTINGS_KEY].is_sandbox:
        return
    for item in items:
        if item.get_closest_marker("portal_role"):
            item.add_marker(pytest.mark.xdist_group("dm-portal-role"))


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
def sandbox_process(base_settings: Settings, tmp_path_factory: pytest.TempPathFactory,
                    pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> Iterator[SandboxProcess | None]:
    """One sandbox per pytest process: under xdist each worker has its own (ports and state folder apart)."""
    if not base_settings.is_sandbox:
        yield None
        return
    starting = pytestconfig.stash.get(_STARTING_SANDBOX, None) or _spawn_sandbox(pytestconfig, tmp_path_factory)
    try:
        if pytestconfig.stash.get(_DRIVES_A_BROWSER, False):
            # Playwright's driver starts (~0.3 s) while the twins make their keys; the browser itself needs the
            # twins' key pin, so it launches after the wait.
            request.getfixturevalue("playwright")
        process = starting.wait()
    except BaseException:
        starting.stop()
        raise
    try:
        admin = AdminClient(process.endpoints)
        admin.set_options(portal_layout=base_settings.sandbox_portal_layout,
                          account_types_ui=base_settings.sandbox_account_types_ui,
                          bc_caption=base_settings.sandbox_bc_caption)
        if base_settings.sandbox_ui_variants != "default":  # a preset wins over the single options above
            admin.call("POST", f"/admin/options/preset/{base_settings.sandbox_ui_variants}")
        admin.close()
        yield process
    finally:
        # The twins shut down while pytest scans for secrets and reports; the run ends once they have stopped.
        process.request_stop()
        pytestconfig.add_cleanup(process.stop)


def _spawn_sandbox(config: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> StartingSandbox:
    settings = config.stash[_SETTINGS_KEY]
    root = Path(settings.sandbox_state_dir or tmp_path_factory.mktemp("sandbox"))
    if settings.sandbox_state_dir and workers.is_xdist_worker(config):
        root = root / f"gw{workers.worker_index(config)}"  # a state folder of its own per worker
    root.mkdir(parents=True, exist_ok=True)
    return spawn_sandbox(root / "state", root / "endpoints.json", port=workers.sandbox_port(settings.sandbox_port,
                         config), profile=settings.sandbox_profile, log_file=root / "sandbox.log")


@pytest.hookimpl(tryfirst=True)  # before the collection itself
def pytest_collection(session: pytest.Session) -> None:
    """TARGET=sandbox: the twins start in the background now, while pytest collects (~1 s of key making and
    binding that no test waits for); the session fixture takes them over, and a session that never asks for
    them stops them unused. Not in the xdist controller (its workers start their own) nor for --collect-only."""
    config = session.config
    if not config.stash[_SETTINGS_KEY].is_sandbox or config.option.collectonly or workers.is_xdist_controller(config):
        return
    starting = _spawn_sandbox(config, config._tmp_path_factory)  # the `tmp_path_factory` fixture's object
    config.stash[_STARTING_SANDBOX] = starting
    config.add_cleanup(starting.discard)  # by then the session fixture has stopped it, if it took it over


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
def cleanup(settings: Settings, request: pytest.FixtureRequest) -> Iterator[CleanupLedger]:
    """Undo at teardown. Where the backstage offers a cheaper equivalent undo (the sandbox admin API) it is taken,
    except in tests marked `ui_cleanup`, which prove the UIs' own Delete actions (on live the UI always undoes)."""
    ledger = CleanupLedger(enabled=settings.cleanup, shortcuts=request.node.get_closest_marker("ui_cleanup") is None)
    yield ledger
    failures = ledger.run()
    if failures:
        pytest.fail("cleanup left things behind:\n" + "\n".join(failures), pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def _traces_scrubbed_after_ctrl_c(pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> Iterator[None]:
    """Ctrl-C: pytest still tears every fixture down (the cleanup ledgers run), and pytest-playwright keeps the
    interrupted test's trace at once, but no report is made for it, so the reporting's per-test scrubbing never
    sees that trace. Scrub every kept trace here, before the secret gate searches them."""
    yield
    if request.session.exitstatus != pytest.ExitCode.INTERRUPTED:
        return
    for trace in Path(pytestconfig.getoption("output")).rglob("*.zip"):
        evidence.scrub_trace(trace, revealed_values())


@pytest.fixture
def backstage(settings: Settings, request: pytest.FixtureRequest) -> Iterator[Backstage]:
    """The sandbox admin API behind typed methods; on TARGET=live each method skips or does nothing."""
    admin = request.getfixturevalue("admin") if settings.is_sandbox else None
    # Live: apps made once per session through the UIs (fixture `live_apps`, from flows.live_apps), asked for
    # only when a scenario needs one, so a run that needs none opens no extra browser.
    stage = Backstage(admin, settings, lambda: request.getfixturevalue("cleanup"),
                      live_apps=lambda: request.getfixturevalue("live_apps"))
    yield stage
    failures = stage.switch_back()
    if failures:
        pytest.fail("the sandbox was not switched back:\n" + "\n".join(failures), pytrace=False)


@pytest.fixture
def run_context(settings: Settings) -> RunContext:
    return RunContext(tenant_id=settings.tenant_id, environment=settings.bc_environment, company=settings.bc_company)


# --- pytest-playwright configuration ---------------------------------------------------------------


# Flags win over settings (`harness.playwright_options`, applied in `pytest_configure`): `base_settings` holds the
# effective values, and refused flags (a second engine, --video without ALLOW_UNMASKED_VIDEO) never get here.


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], base_settings: Settings,
                             sandbox_process: SandboxProcess | None, pytestconfig: pytest.Config) -> dict[str, Any]:
    """pytest-playwright's (--headed, --slowmo, --browser-channel) plus the harness's: Chromium's closed-network
    flags and the twins' key pin, an executable path only where no channel or remote browser was asked for."""
    spki = sandbox_process.endpoints["spki_sha256"] if sandbox_process else None
    engine = (pytestconfig.getoption("--browser") or ["chromium"])[0]
    return browser_setup.launch_options(
        browser_type_launch_args, engine=engine, browser_path=str(base_settings.browser_path or ""),
        headed=base_settings.headed, spki_sha256=spki, remote=base_settings.pw_connect_ws_endpoint is not None)


@pytest.fixture(scope="session")
def connect_options(browser_type_launch_args: dict[str, Any], base_settings: Settings) -> dict[str, Any] | None:
    """PW_CONNECT_WS_ENDPOINT: pytest-playwright's `launch_browser` connects to that server instead of launching.
    The server launches the browser (args and executablePath only with `run-server --unsafe`); on the sandbox the
    twins' loopback is exposed to it through the connection."""
    endpoint = base_settings.pw_connect_ws_endpoint
    if endpoint is None:
        return None
    return browser_setup.connect_options(endpoint.reveal(), browser_type_launch_args,
                                         expose_network="<loopback>" if base_settings.is_sandbox else None)


@pytest.fixture(scope="session")
def device(pytestconfig: pytest.Config, playwright: Playwright) -> str | None:
    """--device: one line and exit 2 for a name Playwright does not know (not a KeyError in every test)."""
    name = pytestconfig.getoption("--device")
    if name and name not in playwright.devices:
        near = difflib.get_close_matches(name, list(playwright.devices), n=3)
        hint = f"did you mean {' or '.join(repr(n) for n in near)}?" if near else "e.g. 'Pixel 7', 'iPhone 15'"
        pytest.exit(f"--device {name!r} is not one of Playwright's devices; {hint}", returncode=2)
    return name


@pytest.fixture(scope="session")
def browser_type(playwright: Playwright, pytestconfig: pytest.Config) -> BrowserType:
    """One browser per worker for every UI test. pytest-playwright parametrizes `browser_name` only for tests
    that take `page` as an argument (the twin UI tests), not for scenarios whose steps ask for `page` at run
    time; keyed on those two different `browser_name` parameters, pytest would close the browser and launch
    another between the two kinds of test. The harness drives Chromium (`--browser` picks another engine)."""
    names = pytestconfig.getoption("--browser") or ["chromium"]
    return getattr(playwright, names[0])


@pytest.fixture(scope="session")
def delete_output_dir() -> None:
    """pytest-playwright empties --output in every xdist worker's session; `pytest_sessionstart` does it once."""


def pytest_sessionstart(session: pytest.Session) -> None:
    if workers.is_xdist_worker(session.config):
        return
    output = Path(session.config.getoption("--output", "test-results"))
    if output.is_dir():
        shutil.rmtree(output, ignore_errors=True)


@pytest.fixture(scope="session")
def signed_in_state(base_settings: Settings) -> Iterator[signed_in.SignedInState]:
    """Each UI's cookies after its first sign-in in this worker (a private temp folder, deleted at the end)."""
    with signed_in.kept(seed=base_settings.azure_storage_state) as state:
        yield state


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any], request: pytest.FixtureRequest,
                         signed_in_state: signed_in.SignedInState) -> dict[str, Any]:
    """Every test gets a fresh context. A Gherkin scenario's starts from the UIs this worker signed in to so far
    (loaded before tracing starts), unless it is marked `signs_in`; other tests (the twins' page tests, which
    often drive the sign-in pages themselves) start signed out unless marked `reuse_sign_in`."""
    args = {**browser_context_args, "locale": "en-US"}
    if not request.config.getoption("--device"):  # a --device brings its own viewport (pytest-playwright's args)
        args["viewport"] = {"width": 1440, "height": 900}
    reuse = "_pytest_bdd_example" in request.fixturenames or request.node.get_closest_marker("reuse_sign_in")
    if reuse and request.node.get_closest_marker("signs_in") is None and signed_in_state.storage_state:
        args["storage_state"] = str(signed_in_state.storage_state)
    return args


@pytest.fixture
def new_context(new_context: Callable[..., BrowserContext], request: pytest.FixtureRequest,
                output_path: str) -> Callable[..., BrowserContext]:
    """pytest-playwright's, except that its --screenshot (switched off in pytest-playwright, which would shoot
    without the secret masks) is taken here as each context closes, through `evidence.screenshot`, and kept as
    pytest-playwright keeps its own: test-failed-N.png / test-finished-N.png in the test's --output folder, a
    `playwright_screenshot` property on the report; and its trace is recorded without the film strip."""
    mode = playwright_options.end_of_test_screenshots(request.config)
    settings = request.config.stash[_SETTINGS_KEY]
    lean_trace = settings.tracing != "off" and not settings.trace_filmstrip
    if mode == "off" and not lean_trace:
        return new_context

    def lean_trace_and_masked_screenshots(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        if lean_trace:
            _trace_without_filmstrip(context, request.node.nodeid)
        if mode == "off":
            return context
        close = context.close  # pytest-playwright's wrapper: stops the trace, then closes

        def screenshots_then_close(*args: Any, **close_kwargs: Any) -> None:
            _keep_masked_screenshots(request, Path(output_path), mode, context.pages)
            close(*args, **close_kwargs)

        context.close = screenshots_then_close  # type: ignore[method-assign]
        return context

    return lean_trace_and_masked_screenshots


def _trace_without_filmstrip(context: BrowserContext, title: str) -> None:
    """pytest-playwright starts every trace with its screencast (a JPEG per frame, ~20 % of a UI test's time on two
    cores); restart it with the DOM snapshots and sources only, which is what the trace viewer replays per action.
    TRACE_FILMSTRIP=true keeps pytest-playwright's. Nothing has happened in the context yet: nothing is lost."""
    context.tracing.stop()
    context.tracing.start(title=title, snapshots=True, sources=True, screenshots=False)


def _failed_so_far(item: pytest.Item) -> bool:
    """As pytest-playwright decides at context close (its `rep_setup`/`rep_call` item attributes)."""
    rep_call = getattr(item, "rep_call", None)
    if rep_call is not None:
        return rep_call.failed
    rep_setup = getattr(item, "rep_setup", None)
    return rep_setup is not None and rep_setup.failed


def _keep_masked_screenshots(request: pytest.FixtureRequest, folder: Path, mode: str, pages: list[Page]) -> None:
    failed = _failed_so_far(request.node)
    if mode == "only-on-failure" and not failed:
        return
    full_page = bool(request.config.getoption("--full-page-screenshot"))
    for page in pages:
        png = evidence.screenshot(page, full_page=full_page)
        if png is None:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        number = len(list(folder.glob("test-*.png"))) + 1
        path = folder / f"test-{'failed' if failed else 'finished'}-{number}.png"
        path.write_bytes(png)
        shown = path.relative_to(request.config.invocation_params.dir) \
            if path.is_relative_to(request.config.invocation_params.dir) else path
        request.node.user_properties.append(("playwright_screenshot", str(shown)))
