"""Nothing secret in what the run writes: failure reports, Allure results and every attachment are cleaned before
they are written.

- Reports (`pytest_runtest_makereport`): the failure text and captured output are masked before the console and the
  JUnit writer see them (a failure text that had to change is replaced by the masked string).
- Results (`ResultScrubber`, an allure-commons plugin in front of the file writer): names, parameters and messages
  are cleaned of OAuth codes/state and tokens in URLs, JWTs and whole or partial revealed secret values
  (allure-pytest-bdd writes each step argument's repr, and a `Page` repr holds its URL, callback `?code=` included).
  A Gherkin step keeps only its own parsed arguments: the fixtures a step function also takes (`page`, `settings`,
  `run_context`) are noise, and `settings` names the administrator and the Portal user.
- Attachments (`AttachmentScrubber`, standing in for the file writer): text masked in whatever encoding a secret
  sits in, zips (traces) member by member (`evidence.scrub_blob`); what cannot be masked in place is replaced by a
  placeholder. Screenshots are pixels and pass as they are (page objects mask secret fields before the shot).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import allure_commons
import pytest
from allure_commons.logger import AllureFileLogger

from harness import evidence, leak_scan, transcripts
from harness.reporting.outputs import alluredir
from harness.secrets import MASK, revealed_values

IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF")
RESULT_SCRUBBER_NAME = "harness-result-scrubber"
_SECRET_QUERY_RE = re.compile(r"(?i)([?&#](?:" + "|".join(sorted(transcripts.SENSITIVE_QUERY)) + r")=)[^&#\s'\"<>]+")


@dataclass
class ScrubState:
    scrubbed: int = 0  # occurrences masked in names, parameters, messages
    replaced: list[str] = field(default_factory=list)  # attachment/trace parts replaced by the placeholder
    step_arguments: dict[str, frozenset[str]] = field(default_factory=dict)  # "Given …" → its parsed arguments
    last_written: str = ""  # file name of the last attachment written into allure-results


_STATE = pytest.StashKey[ScrubState]()


def state_of(config: pytest.Config) -> ScrubState:
    return config.stash.setdefault(_STATE, ScrubState())


def note_replaced(config: pytest.Config, name: str, parts: Iterable[str]) -> None:
    """Record evidence replaced by the placeholder (`name!member` for zip members), for the run's summary."""
    state_of(config).replaced.extend(f"{name}{'!' + p if p else ''}" for p in parts)


def last_attachment(config: pytest.Config) -> Path | None:
    """The file the last `allure.attach` call wrote (attachments are written at once, so right after the call this
    is that attachment's file); None without --alluredir."""
    results = alluredir(config)
    name = state_of(config).last_written
    return results / name if results is not None and name else None


# --- text ---------------------------------------------------------------------------------------------------


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


# --- reports (console, JUnit) -------------------------------------------------------------------------------


def scrub_report(report: pytest.TestReport) -> None:
    """Mask secrets in failure text and captured output, e.g. Playwright's aria snapshot of a filled field.
    A failure text that changed becomes a plain string: pytest prints and writes a string longrepr as it is."""
    if report.longrepr is not None and not isinstance(report.longrepr, tuple):
        text = str(report.longrepr)
        cleaned = scrub_text(text)
        if cleaned != text:
            report.longrepr = cleaned
    report.sections = [(title, scrub_text(content)) for title, content in report.sections]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Runs before the report reaches the console and the JUnit writer (pytest_runtest_logreport); the
    # allure-pytest-bdd listener (registered later, so outside this wrapper) has not written the scenario yet.
    report = yield
    scrub_report(report)
    return report


# --- which step parameters are shown ------------------------------------------------------------------------


def pytest_bdd_before_scenario(request: pytest.FixtureRequest) -> None:
    state_of(request.config).step_arguments = {}  # results are written per scenario, before the next one starts


def pytest_bdd_before_step_call(request: pytest.FixtureRequest, step: Any, step_func_args: dict[str, Any]) -> None:
    """A step's own arguments are those parsed from its text; every other argument is a fixture of the request."""
    fixtures = set(request.fixturenames)
    own = frozenset(name for name in step_func_args if name not in fixtures)
    state_of(request.config).step_arguments[f"{step.keyword} {step.name}"] = own


# --- results ------------------------------------------------------------------------------------------------


class ResultScrubber:
    """An allure-commons plugin that cleans each result just before the file writer serialises it.

    tryfirst: pluggy calls it before the writer (which is a plain implementation)."""

    def __init__(self, state: ScrubState) -> None:
        self.state = state

    def _clean(self, text: str | None) -> str | None:
        if not text:
            return text
        cleaned = scrub_text(text)
        if cleaned != text:
            self.state.scrubbed += 1
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

    def _drop_fixture_parameters(self, result: Any) -> None:
        """Gherkin steps (the result's top-level steps) keep only their parsed arguments; nested `allure.step`
        steps keep theirs, given explicitly."""
        for step in result.steps or []:
            own = self.state.step_arguments.get(step.name, frozenset())
            step.parameters = [p for p in step.parameters or [] if p.name in own]

    @allure_commons.hookimpl(tryfirst=True)
    def report_result(self, result: Any) -> None:
        self._drop_fixture_parameters(result)
        self._clean_node(result)


# --- attachments --------------------------------------------------------------------------------------------


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

    def __init__(self, writer: Any, config: pytest.Config) -> None:
        self.writer = writer
        self.config = config

    @classmethod
    def install(cls, config: pytest.Config) -> None:
        manager = allure_commons.plugin_manager
        for writer in [p for p in manager.get_plugins() if isinstance(p, AllureFileLogger)]:
            name = manager.get_name(writer)
            manager.unregister(writer)
            manager.register(cls(writer, config), name=f"harness-attachment-scrubber-{id(writer)}")

            def restore(writer: Any = writer, name: str | None = name) -> None:  # allure-pytest-bdd's own
                manager.unregister(name=f"harness-attachment-scrubber-{id(writer)}")  # cleanup unregisters it
                manager.register(writer, name=name)
            config.add_cleanup(restore)

    def _written(self, file_name: str, replaced: list[str]) -> None:
        note_replaced(self.config, file_name, replaced)
        state_of(self.config).last_written = file_name

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
        self.writer.report_attached_data(cleaned, file_name)
        self._written(file_name, replaced)

    @allure_commons.hookimpl
    def report_attached_file(self, source: str, file_name: str) -> None:
        body = Path(source).read_bytes()
        cleaned, replaced = scrub_attachment(body, revealed_values())
        if cleaned is body:
            self.writer.report_attached_file(source, file_name)
        else:
            self.writer.report_attached_data(cleaned, file_name)
        self._written(file_name, replaced)


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    state = state_of(config)
    if alluredir(config) is None:
        return
    allure_commons.plugin_manager.register(ResultScrubber(state), name=RESULT_SCRUBBER_NAME)
    config.add_cleanup(lambda: allure_commons.plugin_manager.unregister(name=RESULT_SCRUBBER_NAME))
    AttachmentScrubber.install(config)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    state = config.stash.get(_STATE, None)
    if state is None:
        return
    if state.scrubbed:
        terminalreporter.write_line(f"reporting: masked {state.scrubbed} OAuth code/token/secret occurrence(s) in "
                                    "step names, parameters or messages before writing allure-results", yellow=True)
    if state.replaced:
        terminalreporter.write_line(f"reporting: {len(state.replaced)} trace/attachment part(s) held a secret in "
                                    "a form that cannot be masked in place and were replaced by a placeholder: "
                                    + ", ".join(sorted(set(state.replaced))[:10]), yellow=True)
