"""The reporting plugin: an Allure report a QA lead can forward, and a gate proving no secret leaked into it.

Loaded from the root conftest (`pytest_plugins`). Results go through allure-pytest-bdd only; this plugin adds:
- labels and links from Gherkin tags (`@severity:critical`, `@epic:Business_Central`, `@story:…`, `@issue:42`,
  `@tms:TC-7`; underscores read as spaces; link URLs from ALLURE_ISSUE_URL / ALLURE_TMS_URL `{}` templates or
  `--allure-link-pattern issue:…`);
- per STEP: a masked screenshot (SCREENSHOTS=off|on-failure|every-step, only when the scenario already uses `page`)
  and the masked HTTP transcript of the token / BC API calls made in that step;
- per scenario: the Playwright trace on failure (TRACING maps onto pytest-playwright's `--tracing`) and
  `run_context.notes` as "Procedure discrepancies" (also printed in the terminal summary);
- a scrubber in front of the Allure file writer: every result is cleaned of OAuth codes/state and tokens in URLs,
  JWTs and revealed secret values before it is written — allure-pytest-bdd writes each step argument's repr
  (a `Page` repr holds its URL, callback `?code=` included) and that cannot be changed from pytest hooks;
- every attachment scrubbed before the writer sees it (`AttachmentScrubber`): text masked in whatever encoding a
  secret sits in, trace zips member by member (`evidence.scrub_zip`); screenshots are pixels and pass as they are;
- run metadata written once by the controller: environment.properties, executor.json, categories.json;
- the leak gate: at session end every value revealed through `Secret`, and the Entra secret shape, is searched for
  in decoded views (zip members, gzip/deflate, base64, percent/form, HTML, JSON; `harness.leak_scan`) of
  allure-results, test-results (Playwright artifacts), JUnit XML and everything under the reports folder; a hit
  fails the run, and the summary says what was searched.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import platform
import re
import subprocess
from collections.abc import Generator, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

import allure
import allure_commons
import pytest
from _pytest._code.code import ReprFileLocation, TerminalRepr
from allure_commons.logger import AllureFileLogger
from allure_commons.types import AttachmentType

from harness import evidence, leak_scan, transcripts
from harness.browser import find_browser
from harness.secrets import MASK, revealed_values
from harness.settings import Settings, load_settings, read_environment

SEVERITIES = ("blocker", "critical", "normal", "minor", "trivial")
LABEL_TAGS = ("severity", "epic", "story", "feature", "owner", "suite")
LINK_TAGS = {"issue": "ALLURE_ISSUE_URL", "tms": "ALLURE_TMS_URL"}
CATEGORIES_FILE = Path(__file__).with_name("allure_categories.json")
TRACE_MIME = "application/vnd.allure.playwright-trace"
KEY_PACKAGES = ("pytest", "pytest-bdd", "playwright", "pytest-playwright", "msal", "httpx", "allure-pytest-bdd")
_SECRET_QUERY_RE = re.compile(r"(?i)([?&#](?:" + "|".join(sorted(transcripts.SENSITIVE_QUERY)) + r")=)[^&#\s'\"<>]+")

_STATE = pytest.StashKey[dict[str, Any]]()
_link_patterns: dict[str, str] = {}


# --- configuration ------------------------------------------------------------------------------------------


def _settings(config: pytest.Config) -> Settings:
    try:
        from harness.fixtures import _SETTINGS_KEY  # loaded first by the root conftest

        return config.stash[_SETTINGS_KEY]
    except (ImportError, KeyError):
        return load_settings()


def _alluredir(config: pytest.Config) -> Path | None:
    raw = getattr(config.option, "allure_report_dir", None)
    return Path(raw).absolute() if raw else None


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    settings = _settings(config)
    config.stash[_STATE] = {"settings": settings, "notes": {}, "leaks": [], "scrubbed": 0, "browser": "",
                            "replaced": [], "searched": None, "workers_searched": leak_scan.Stats(), "workers": 0}
    # TRACING=on-failure|on drives pytest-playwright's own tracing unless --tracing was given on the command line.
    if getattr(config.option, "tracing", None) == "off" and settings.tracing != "off":
        config.option.tracing = {"on-failure": "retain-on-failure", "on": "on"}[settings.tracing]
    env = read_environment()
    _link_patterns.clear()
    _link_patterns.update({kind: env[var] for kind, var in LINK_TAGS.items() if env.get(var)})
    for kind, pattern in getattr(config.option, "allure_link_pattern", None) or []:
        _link_patterns.setdefault(kind, pattern)
    bad = [f"{LINK_TAGS.get(k, k)}={p!r}" for k, p in _link_patterns.items() if "{}" not in p]
    if bad:
        raise pytest.UsageError("link patterns need a {} placeholder for the id: " + ", ".join(bad))
    if _alluredir(config):
        scrubber = ResultScrubber(config.stash[_STATE])
        allure_commons.plugin_manager.register(scrubber, name="harness-result-scrubber")
        config.add_cleanup(lambda: allure_commons.plugin_manager.unregister(name="harness-result-scrubber"))
        AttachmentScrubber.install(config, config.stash[_STATE])


# --- tags → labels and links --------------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function: Any) -> bool | None:
    """`name:value` tags become Allure labels/links (not pytest marks, so --strict-markers accepts them)."""
    name, sep, value = tag.partition(":")
    if not sep:
        return None
    name = name.lower()
    if not value:
        raise ValueError(f"tag @{tag} has no value after ':' (e.g. @severity:critical)")
    if name in LINK_TAGS:
        pattern = _link_patterns.get(name)
        url = pattern.format(value) if pattern else value
        pytest.mark.allure_link(url, name=value, link_type=name)(function)
        return True
    if name in LABEL_TAGS:
        text = value.replace("_", " ")
        if name == "severity" and text not in SEVERITIES:
            raise ValueError(f"tag @{tag}: severity must be one of {', '.join(SEVERITIES)}")
        pytest.mark.allure_label(text, label_type=name)(function)
        return True
    return None


# --- per-step evidence --------------------------------------------------------------------------------------


def _page_in_use(request: pytest.FixtureRequest, step_func_args: dict[str, Any]) -> Any:
    """The scenario's Playwright page if it already has one; never starts a browser for a non-UI scenario."""
    page = step_func_args.get("page")
    if page is None and "page" in request.fixturenames:
        try:
            page = request.getfixturevalue("page")
        except Exception:  # the page fixture itself failed: that error is reported already
            return None
    return page


def _attach_transcript(name: str) -> None:
    entries = transcripts.drain()
    if entries:
        allure.attach(transcripts.render(entries), name=f"{name} ({len(entries)} exchange(s))",
                      attachment_type=AttachmentType.TEXT)


def _attach_screenshot(request: pytest.FixtureRequest, step_func_args: dict[str, Any], name: str) -> None:
    page = _page_in_use(request, step_func_args)
    if page is None:
        return
    state = request.config.stash[_STATE]
    if not state["browser"]:
        browser = page.context.browser
        state["browser"] = f"{browser.browser_type.name} {browser.version}" if browser else ""
    png = evidence.screenshot(page)
    if png:
        allure.attach(png, name=name, attachment_type=AttachmentType.PNG)


def _reporting(request: pytest.FixtureRequest) -> bool:
    return _alluredir(request.config) is not None


def pytest_bdd_before_scenario(request: pytest.FixtureRequest) -> None:
    # The twins decide tenant, environment and company: keep the filled-in settings for the run metadata.
    if "settings" in request.fixturenames:
        request.config.stash[_STATE]["settings"] = request.getfixturevalue("settings")


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_before_step(request: pytest.FixtureRequest) -> None:
    # Runs before the listener opens the step: exchanges made by fixtures land on the scenario itself.
    if _reporting(request):
        _attach_transcript("HTTP before this step")


@pytest.hookimpl(tryfirst=True)  # the step is still open: attachments land on it, not on the scenario
def pytest_bdd_after_step(request: pytest.FixtureRequest, step_func_args: dict[str, Any]) -> None:
    if not _reporting(request):
        return
    _attach_transcript("HTTP transcript")
    if request.config.stash[_STATE]["settings"].screenshots == "every-step":
        _attach_screenshot(request, step_func_args, "Screenshot")


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_step_error(request: pytest.FixtureRequest, step_func_args: dict[str, Any]) -> None:
    if not _reporting(request):
        return
    _attach_transcript("HTTP transcript")
    if request.config.stash[_STATE]["settings"].screenshots != "off":
        _attach_screenshot(request, step_func_args, "Screenshot at failure")


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_after_scenario(request: pytest.FixtureRequest) -> None:
    notes: list[str] = []
    if "run_context" in request.fixturenames:
        notes = list(request.getfixturevalue("run_context").notes)
    if notes:
        request.config.stash[_STATE]["notes"][request.node.nodeid] = notes
    if _reporting(request):
        _attach_transcript("HTTP after the last step")
        if notes:
            allure.attach("\n".join(f"- {n}" for n in notes), name="Procedure discrepancies",
                          attachment_type=AttachmentType.TEXT)


class ScrubbedRepr(TerminalRepr):
    """A failure report with secrets masked: what the console, JUnit XML and Allure show instead of the original."""

    def __init__(self, text: str, crash: ReprFileLocation | None) -> None:
        self.text = text
        self.reprcrash = crash

    def toterminal(self, tw: Any) -> None:
        for line in self.text.splitlines():
            tw.line(line)


def _scrub_report(report: pytest.TestReport) -> None:
    """Mask secrets in failure text and captured output, e.g. Playwright's aria snapshot of a filled field."""
    longrepr = report.longrepr
    if longrepr is not None and not isinstance(longrepr, tuple):
        text = str(longrepr)
        cleaned = scrub_text(text)
        if cleaned != text:
            crash = getattr(longrepr, "reprcrash", None)
            if crash is not None:
                crash = ReprFileLocation(crash.path, crash.lineno, scrub_text(crash.message))
            report.longrepr = ScrubbedRepr(cleaned, crash)
    report.sections = [(title, scrub_text(content)) for title, content in report.sections]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, Any, None]:
    # Runs before the report reaches the console and the JUnit writer (pytest_runtest_logreport). At teardown
    # pytest-playwright (trylast wrapper) has published its artifacts on the report by now, and the
    # allure-pytest-bdd listener (registered later, so outside this wrapper) has not written the scenario yet.
    report = (yield).get_result()
    _scrub_report(report)
    if report.when != "teardown":
        return
    traces = [Path(path) for key, path in report.user_properties
              if key == "playwright_trace" and Path(path).is_file()]
    parts = evidence.take_trace_parts()  # chunks closed around secret entry, oldest first
    pieces = [*parts, *traces] if traces else []  # no trace kept (passed, TRACING=on-failure): parts go too
    for number, path in enumerate(pieces, start=1):
        _note_replaced(item.config, path.name, evidence.scrub_trace(path, revealed_values()))
        if _alluredir(item.config) is not None:
            label = f" part {number} of {len(pieces)}" if len(pieces) > 1 else ""
            allure.attach.file(str(path), name=f"Playwright trace{label} (open with `playwright show-trace`)",
                               attachment_type=TRACE_MIME, extension="zip")
    for part in parts:  # attached (a copy) or not wanted: no temp files left behind either way
        part.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            part.parent.rmdir()


def _note_replaced(config: pytest.Config, name: str, report: evidence.ScrubReport) -> None:
    if report.replaced:
        config.stash[_STATE]["replaced"].extend(f"{name}!{member}" for member in report.replaced)


# --- scrubbing what allure-pytest-bdd writes ----------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _fragment_index(values: frozenset[str], size: int) -> dict[str, tuple[str, ...]]:
    """Every `size`-character window of every value → the values containing it (rebuilt when values change)."""
    index: dict[str, set[str]] = {}
    for value in values:
        for start in range(len(value) - size + 1):
            index.setdefault(value[start:start + size], set()).add(value)
    return {window: tuple(found) for window, found in index.items()}


def _scrub_fragments(text: str, min_len: int = 8) -> str:
    """Mask pieces (>= min_len chars) of revealed values, e.g. pytest's truncated 'abc8Q~xy...789'.

    One pass over the text: a window that starts a piece of some value is extended as far as that value goes,
    so the cost grows with the text, not with the number of values times their substrings."""
    values = revealed_values()
    if not values or len(text) < min_len:
        return text
    index = _fragment_index(values, min_len)
    out: list[str] = []
    position = start = 0
    while start <= len(text) - min_len:
        candidates = index.get(text[start:start + min_len])
        if candidates is None:
            start += 1
            continue
        end = start + min_len
        while end < len(text) and any(text[start:end + 1] in value for value in candidates):
            end += 1
        out.append(text[position:start])
        out.append(MASK)
        position = start = end
    out.append(text[position:])
    return "".join(out)


def scrub_text(text: str) -> str:
    """OAuth codes/state and tokens in URLs, JWTs, and whole or partial revealed secret values, masked."""
    text = _SECRET_QUERY_RE.sub(lambda m: m.group(1) + MASK, text)
    return _scrub_fragments(transcripts.scrub(text))


class ResultScrubber:
    """An allure-commons plugin that cleans each result just before the file writer serialises it.

    Registered after the writer, so pluggy calls it first (last registered, first called)."""

    def __init__(self, state: dict[str, Any]) -> None:
        self.state = state

    def _clean(self, text: str | None) -> str | None:
        if not text:
            return text
        cleaned = scrub_text(text)
        if cleaned != text:
            self.state["scrubbed"] += 1
        return cleaned

    def _clean_node(self, node: Any) -> None:
        node.name = self._clean(node.name)
        for parameter in getattr(node, "parameters", None) or []:
            parameter.value = self._clean(parameter.value)
        details = getattr(node, "statusDetails", None)
        if details is not None:
            details.message = self._clean(details.message)
            details.trace = self._clean(details.trace)
        for step in getattr(node, "steps", None) or []:
            self._clean_node(step)

    @allure_commons.hookimpl(tryfirst=True)
    def report_result(self, result: Any) -> None:
        self._clean_node(result)


IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF")


def scrub_attachment(body: bytes | str, values: Iterable[str]) -> tuple[bytes | str, list[str]]:
    """An attachment as it may be written: text masked (`scrub_text`, then every encoded form of each value),
    zips member by member; what cannot be masked in place is replaced. Screenshots are pixels: unchanged.
    Returns the body and the parts that had to be replaced."""
    if isinstance(body, str):
        text = scrub_text(body)
        cleaned, _, left = leak_scan.redact(text.encode("utf-8"), values, MASK.encode())
        return (evidence.PLACEHOLDER.decode(), [""]) if left else (cleaned.decode("utf-8", "replace"), [])
    if body.startswith(IMAGE_MAGIC):
        return body, []
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        cleaned, report = evidence.scrub_blob(body, values)
        return cleaned, report.replaced
    scrubbed, replaced = scrub_attachment(text, values)
    return scrubbed.encode("utf-8") if isinstance(scrubbed, str) else scrubbed, replaced


class AttachmentScrubber:
    """Stands in for allure-commons' file writer: results pass through, every attachment (data or file) is
    scrubbed before the writer gets it. pluggy hands every implementation the same arguments, so cleaning them
    has to happen in front of the writer, not beside it."""

    def __init__(self, writer: Any, state: dict[str, Any]) -> None:
        self.writer = writer
        self.state = state

    @classmethod
    def install(cls, config: pytest.Config, state: dict[str, Any]) -> None:
        manager = allure_commons.plugin_manager
        for writer in [p for p in manager.get_plugins() if isinstance(p, AllureFileLogger)]:
            name = manager.get_name(writer)
            manager.unregister(writer)
            manager.register(cls(writer, state), name=f"harness-attachment-scrubber-{id(writer)}")

            def restore(writer: Any = writer, name: str | None = name) -> None:  # allure-pytest-bdd's own
                manager.unregister(name=f"harness-attachment-scrubber-{id(writer)}")  # cleanup unregisters it
                manager.register(writer, name=name)
            config.add_cleanup(restore)

    def _replaced(self, file_name: str, parts: list[str]) -> None:
        self.state["replaced"].extend(f"{file_name}{'!' + p if p else ''}" for p in parts)

    @allure_commons.hookimpl
    def report_result(self, result: Any) -> None:
        self.writer.report_result(result)

    @allure_commons.hookimpl
    def report_container(self, container: Any) -> None:
        self.writer.report_container(container)

    @allure_commons.hookimpl
    def report_globals(self, globals_item: Any) -> None:
        self.writer.report_globals(globals_item)

    @allure_commons.hookimpl
    def report_attached_data(self, body: bytes | str, file_name: str) -> None:
        cleaned, replaced = scrub_attachment(body, revealed_values())
        self._replaced(file_name, replaced)
        self.writer.report_attached_data(cleaned, file_name)

    @allure_commons.hookimpl
    def report_attached_file(self, source: str, file_name: str) -> None:
        body = Path(source).read_bytes()
        cleaned, replaced = scrub_attachment(body, revealed_values())
        self._replaced(file_name, replaced)
        if cleaned is body:
            self.writer.report_attached_file(source, file_name)
        else:
            self.writer.report_attached_data(cleaned, file_name)


# --- run metadata -------------------------------------------------------------------------------------------


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


# --- session end: metadata, leak gate, summary --------------------------------------------------------------


def artifact_paths(config: pytest.Config, settings: Settings) -> list[Path]:
    """Every place this run may have written evidence to: allure-results, test-results (pytest-playwright's
    --output), JUnit XML and the whole reports folder (logs, an HTML report, whatever else lands there)."""
    paths = [_alluredir(config), Path(getattr(config.option, "output", None) or "test-results"),
             Path(settings.reports_dir)]
    xml = getattr(config.option, "xmlpath", None)
    if xml:
        paths.append(Path(xml))
    return [p for p in paths if p is not None and p.exists()]


def _scan(paths: Iterable[Path]) -> leak_scan.Result:
    return leak_scan.search(paths, revealed_values(), leak_scan.SHAPES)


@pytest.hookimpl(trylast=True)  # after the JUnit writer and every other sessionfinish
def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    state = config.stash.get(_STATE, None)
    if state is None:
        return
    settings = state["settings"]
    results = _alluredir(config)
    is_worker = hasattr(config, "workerinput")
    if results is not None and not is_worker:
        write_metadata(results, settings, state["browser"])
    result = _scan(artifact_paths(config, settings))
    state["searched"] = result.stats
    state["leaks"].extend(str(hit) for hit in result.hits)
    if is_worker:
        config.workeroutput["harness_leaks"] = list(state["leaks"])  # type: ignore[attr-defined]
        config.workeroutput["harness_searched"] = vars(result.stats)  # type: ignore[attr-defined]
    if state["leaks"] and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist controller: collect the leaks each worker found for its own secret values, and what it searched."""
    output = getattr(node, "workeroutput", {})
    state = node.config.stash.get(_STATE, None)
    if state is None:
        return
    state["leaks"].extend(output.get("harness_leaks", []))
    if "harness_searched" in output:
        state["workers_searched"].add(leak_scan.Stats(**output["harness_searched"]))
        state["workers"] += 1


def _gate_summary(state: dict[str, Any]) -> str:
    """What the gate searched, honestly: under xdist the values live in the workers, which scanned for them."""
    own: leak_scan.Stats | None = state["searched"]
    decoded = "decoded: zip members, gzip/deflate, base64, percent/form, HTML, JSON"
    if state["workers"]:
        workers: leak_scan.Stats = state["workers_searched"]
        mine = f"searched {own}" if own.values else f"re-checked {own.files} file(s) by shape"
        return (f"secret gate: clean — {state['workers']} worker(s) searched {workers} (each its own revealed "
                f"values); the controller {mine} ({decoded})")
    return f"secret gate: clean — searched {own} ({decoded})"


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    state = config.stash.get(_STATE, None)
    if state is None:
        return
    by_note: dict[str, list[str]] = {}
    for nodeid, notes in state["notes"].items():
        for note in notes:
            by_note.setdefault(note, []).append(nodeid.split("::")[-1])
    if by_note:
        terminalreporter.section("Procedure discrepancies (vendor guide vs. real services)")
        for note, tests in by_note.items():
            terminalreporter.write_line(f"- {note}")
            seen = sorted(set(tests))
            where = seen[0] if len(seen) == 1 else f"{len(seen)} scenarios, e.g. {seen[0]}"
            terminalreporter.write_line(f"    seen in: {where}")
    if state["scrubbed"]:
        terminalreporter.write_line(f"reporting: masked {state['scrubbed']} OAuth code/token/secret occurrence(s) in "
                                    "step names, parameters or messages before writing allure-results", yellow=True)
    if state["replaced"]:
        terminalreporter.write_line(f"reporting: {len(state['replaced'])} trace/attachment part(s) held a secret in "
                                    "a form that cannot be masked in place and were replaced by a placeholder: "
                                    + ", ".join(sorted(set(state["replaced"]))[:10]), yellow=True)
    if state["leaks"]:
        terminalreporter.section("SECRET LEAK — do not share these artifacts", red=True)
        for line in sorted(set(state["leaks"])):
            terminalreporter.write_line(line, red=True)
        terminalreporter.write_line("the run fails because a secret was found in the files above", red=True)
    elif state["searched"] is not None and (state["searched"].files or state["workers"]):
        terminalreporter.write_line(_gate_summary(state), green=True)
