"""The features speak the reader's language: one actor per scenario and per feature (and the same human actor in
every feature), and no word of the harness's insides in what the report shows (titles, descriptions, steps).

The features are read with pytest-bdd's own parser, so Background steps and Examples rows count exactly as the
report shows them. Each check also runs on a synthetic bad feature, so it is known to fail when it should.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_bdd.parser import Feature, FeatureParser, Scenario

ROOT = Path(__file__).resolve().parents[2]
FEATURES = sorted((ROOT / "features").glob("*.feature"))
CODE_LAYERS = ("harness", "pages", "flows", "steps", "sandbox")

# Words of the harness's insides, not of the procedure or the UIs: the report says what the administrator does
# and sees. Matched case-insensitively, as whole words. Class names of the code are added below.
IMPLEMENTATION_WORDS = (
    "run context", "run_context", "FIDELITY", "MS-S2S", "§", "page=", "deep link", "sandbox", "twin", "twins",
    "admin API", "backstage", "fixture", "target_fixture", "msal", "httpx", "Playwright", "pytest-bdd",
    "page object", "page objects", "locator", "step definition", "harness",
)

# Who acts in a step: first person anywhere, or a named actor as the subject (or "as <actor>").
FIRST_PERSON = re.compile(r"\b(?:I|I'm|me|my|We|we|us|our)\b")
NAMED_ACTORS = {"the administrator": "the administrator", "an administrator": "the administrator",
                "the user": "the user", "QA": "QA", "the agent": "the agent", "the drift check": "the drift check"}
HUMAN_ACTORS = frozenset({"I", "the administrator", "the user", "QA"})


def _word_pattern(word: str) -> re.Pattern[str]:
    """`word` as a whole word: a boundary only where the word itself begins or ends with a letter or digit."""
    start = r"\b" if word[0].isalnum() else ""
    end = r"\b" if word[-1].isalnum() else ""
    return re.compile(start + re.escape(word) + end, re.IGNORECASE)


def _class_names() -> set[str]:
    """CamelCase class names of the code (two humps or more: `RunContext`, not `Settings`, a Portal word)."""
    names: set[str] = set()
    for layer in CODE_LAYERS:
        for path in (ROOT / layer).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names |= {node.name.lstrip("_") for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    return {name for name in names if re.search(r"[a-z][A-Z]", name)}


CLASS_NAMES = _class_names()
FORBIDDEN = [(word, _word_pattern(word)) for word in IMPLEMENTATION_WORDS] + \
            [(name, re.compile(rf"\b{re.escape(name)}\b")) for name in sorted(CLASS_NAMES)]


def parse(path: Path) -> Feature:
    return FeatureParser(str(path.parent), path.name).parse()


def runs(feature: Feature) -> Iterator[Scenario]:
    """Every scenario as it runs: Background steps first, one run per Examples row."""
    for template in feature.scenarios.values():
        contexts = [context for examples in template.examples for context in examples.as_contexts()]
        for context in contexts or [{}]:
            yield template.render(context)


def actors_of(text: str) -> set[str]:
    found = {"I"} if FIRST_PERSON.search(text) else set()
    for phrase, actor in NAMED_ACTORS.items():
        if re.search(rf"(?:^|\bas ){re.escape(phrase)}\b", text):
            found.add(actor)
    return found


def scenario_actors(scenario: Scenario) -> set[str]:
    return set().union(*(actors_of(step.name) for step in scenario.steps))


def _where(scenario: Scenario) -> str:
    return f"{Path(scenario.feature.filename).name}:{scenario.line_number} {scenario.name!r}"


def mixed_actors(feature: Feature) -> list[str]:
    """One line per scenario run whose steps have more than one actor."""
    return [f"{_where(s)} mixes actors {sorted(actors)}"
            for s in runs(feature) if len(actors := scenario_actors(s)) > 1]


def feature_actors(feature: Feature) -> set[str]:
    return set().union(*(scenario_actors(s) for s in runs(feature)))


def implementation_words(feature: Feature) -> list[str]:
    """One line per text the report shows that holds a word of the harness's insides."""
    name = Path(feature.filename).name
    texts = [(f"{name} feature title", feature.name), (f"{name} feature description", feature.description)]
    for scenario in runs(feature):
        texts.append((f"{_where(scenario)} title", scenario.name))
        texts.append((f"{_where(scenario)} description", scenario.description or ""))
        texts += [(f"{name}:{step.line_number} step", step.name) for step in scenario.steps]
    return sorted({f"{where}: {word!r} in {text!r}"
                   for where, text in texts for word, pattern in FORBIDDEN if pattern.search(text)})


# --- the project's features ---------------------------------------------------------------------------------


def test_the_features_are_found_and_the_code_class_names_collected() -> None:
    assert FEATURES, "no features/*.feature"
    assert {"RunContext", "Backstage"} & CLASS_NAMES, "the class names of the code were not collected"


@pytest.mark.parametrize("path", FEATURES, ids=[p.name for p in FEATURES])
def test_one_actor_per_scenario(path: Path) -> None:
    problems = mixed_actors(parse(path))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", FEATURES, ids=[p.name for p in FEATURES])
def test_one_actor_per_feature(path: Path) -> None:
    actors = feature_actors(parse(path))
    assert len(actors) <= 1, f"{path.name} speaks as {sorted(actors)}: pick one"


def test_the_same_person_acts_in_every_feature() -> None:
    voices = {path.name: feature_actors(parse(path)) & HUMAN_ACTORS for path in FEATURES}
    used = set().union(*voices.values())
    assert len(used) <= 1, f"the person doing the procedure is called differently: {voices}"


@pytest.mark.parametrize("path", FEATURES, ids=[p.name for p in FEATURES])
def test_no_implementation_words(path: Path) -> None:
    problems = implementation_words(parse(path))
    assert not problems, "\n".join(problems)


# --- the checks themselves ----------------------------------------------------------------------------------

BAD = """\
Feature: Bad voice
  Values travel through the run context.

  Background:
    Given I am signed in to Business Central

  Scenario: The administrator opens the page by the page=9860 deep link
    When the administrator opens Microsoft Entra Applications
    Then the RunContext holds the client id

  Scenario Outline: <who> enables the app
    Given the administrator is signed in to Business Central
    When <who> enables the application
    Then the app is listed with State "Enabled"

    Examples:
      | who       |
      | I         |
      | the agent |
"""

GOOD = """\
Feature: Good voice
  The administrator adds the app to Business Central.

  Background:
    Given the administrator is signed in to Business Central

  Scenario: The administrator opens the page from its address
    When the administrator opens Microsoft Entra Applications from its address
    And the administrator opens the role's Settings and its AGENT section
    Then the app is listed with State "Enabled"
"""


def _synthetic(tmp_path: Path, text: str) -> Feature:
    path = tmp_path / "synthetic.feature"
    path.write_text(text, encoding="utf-8")
    return parse(path)


def test_a_scenario_mixing_actors_is_named_with_its_background_and_rows(tmp_path: Path) -> None:
    problems = mixed_actors(_synthetic(tmp_path, BAD))
    assert len(problems) == 3, problems  # Background "I" + each scenario run (one per Examples row)
    assert any("['I', 'the administrator']" in p for p in problems)
    assert any("['I', 'the administrator', 'the agent']" in p for p in problems)


def test_implementation_words_are_named_in_titles_steps_and_descriptions(tmp_path: Path) -> None:
    problems = "\n".join(implementation_words(_synthetic(tmp_path, BAD)))
    for word in ("'run context'", "'page='", "'deep link'", "'RunContext'"):
        assert word in problems, problems
    assert "description" in problems and "title" in problems and "step" in problems


def test_a_clean_feature_passes(tmp_path: Path) -> None:
    feature = _synthetic(tmp_path, GOOD)
    assert mixed_actors(feature) == []
    assert feature_actors(feature) == {"the administrator"}
    assert implementation_words(feature) == []


def test_first_person_and_as_the_administrator_in_one_step_is_two_actors() -> None:
    assert actors_of("I am signed in to Business Central as the administrator") == {"I", "the administrator"}
    assert actors_of("the app is listed with State \"Enabled\"") == set()
