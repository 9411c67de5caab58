"""One title per scenario run, the same in Allure and JUnit: the Gherkin scenario name, plus what tells the runs of
one scenario apart.

pytest-bdd renders `<placeholders>` of a Scenario Outline's name from its Examples row; when the name has none, the
row is appended (`… [a wrong client secret | identity provider | 401 | AADSTS7000215]`). A scenario run once per
pytest parameter (the Azure portal's layouts) gets the parameter's id (`… [iframe-radios]`). The feature's name is
the group a test tab shows it under.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import allure
import pytest

from harness.reporting.outputs import alluredir

EXAMPLE_PARAM = "_pytest_bdd_example"  # the parameter pytest-bdd runs Examples rows through


@dataclass(frozen=True)
class ScenarioName:
    title: str
    feature: str


_NAME = pytest.StashKey[ScenarioName]()


def _template_name(feature: Any, scenario: Any) -> str:
    """The scenario's name as written (before the Examples row filled it in)."""
    for template in feature.scenarios.values():
        if template.line_number == scenario.line_number:
            return template.name
    return scenario.name


def _variant(item: pytest.Item) -> str:
    """The id of the item's own parameters (not its Examples row): "iframe-radios" for `test_x[iframe-radios]`."""
    callspec = getattr(item, "callspec", None)
    if callspec is None or not set(callspec.params) - {EXAMPLE_PARAM}:
        return ""
    row = callspec.params.get(EXAMPLE_PARAM)
    variant = callspec.id
    if row:
        variant = variant.replace("-".join(str(v) for v in row.values()), "", 1).strip("-")
    return variant


def scenario_title(item: pytest.Item, feature: Any, scenario: Any) -> str:
    title = scenario.name
    callspec = getattr(item, "callspec", None)
    row = callspec.params.get(EXAMPLE_PARAM) if callspec is not None else None
    if row and scenario.name == _template_name(feature, scenario):
        title += " [" + " | ".join(str(v) for v in row.values()) + "]"
    variant = _variant(item)
    return f"{title} [{variant}]" if variant else title


def name_of(item: pytest.Item) -> ScenarioName | None:
    """The scenario's title and feature once the scenario has started (None for a test that is no scenario, or
    one that failed before its first step, e.g. in a fixture)."""
    return item.stash.get(_NAME, None)


@pytest.hookimpl(trylast=True)  # after allure-pytest-bdd has opened the result, so the title lands on it
def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    name = ScenarioName(scenario_title(request.node, feature, scenario), feature.name)
    request.node.stash[_NAME] = name
    if alluredir(request.config) is not None and name.title != scenario.name:
        allure.dynamic.title(name.title)
