"""Gherkin tags → Allure labels and links.

`@severity:critical`, `@epic:Business_Central_OAuth`, `@feature:…`, `@story:…`, `@owner:…`, `@suite:…` become labels
(underscores read as spaces); `@issue:42` and `@tms:TC-7` become links whose URL comes from ALLURE_ISSUE_URL /
ALLURE_TMS_URL (`{}` templates) or `--allure-link-pattern issue:…`, else the id itself. They are not pytest marks,
so `--strict-markers` accepts them. Tags are applied while collecting, before any result exists, so a link carries
its id until the result is written; `LinkResolver` turns the id into the URL then.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import allure_commons
import pytest

from harness.reporting.outputs import alluredir
from harness.settings import read_environment

SEVERITIES = ("blocker", "critical", "normal", "minor", "trivial")
LABEL_TAGS = ("severity", "epic", "story", "feature", "owner", "suite")
LINK_TAGS = {"issue": "ALLURE_ISSUE_URL", "tms": "ALLURE_TMS_URL"}
RESOLVER_NAME = "harness-link-resolver"


def link_patterns(config: pytest.Config, env: dict[str, str]) -> dict[str, str]:
    """Link type → URL template: ALLURE_ISSUE_URL / ALLURE_TMS_URL, an explicit `--allure-link-pattern` winning."""
    patterns = {kind: env[var] for kind, var in LINK_TAGS.items() if env.get(var)}
    patterns.update(dict(getattr(config.option, "allure_link_pattern", None) or []))
    bad = [f"{LINK_TAGS.get(k, k)}={p!r}" for k, p in patterns.items() if "{}" not in p]
    if bad:
        raise pytest.UsageError("link patterns need a {} placeholder for the id: " + ", ".join(bad))
    return patterns


class LinkResolver:
    """An allure-commons plugin: a link still holding a bare id gets its type's URL before the result is written."""

    def __init__(self, patterns: dict[str, str]) -> None:
        self.patterns = patterns

    @allure_commons.hookimpl(tryfirst=True)
    def report_result(self, result: Any) -> None:
        for link in result.links or []:
            pattern = self.patterns.get(link.type)
            if pattern and not urlparse(link.url).scheme:
                link.url = pattern.format(link.url)


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    patterns = link_patterns(config, read_environment())
    if alluredir(config) is not None:
        allure_commons.plugin_manager.register(LinkResolver(patterns), name=RESOLVER_NAME)
        config.add_cleanup(lambda: allure_commons.plugin_manager.unregister(name=RESOLVER_NAME))


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function: Any) -> bool | None:
    """`name:value` tags become Allure labels/links; plain tags stay pytest marks (pytest-bdd's default)."""
    name, sep, value = tag.partition(":")
    if not sep:
        return None
    name = name.lower()
    if not value:
        raise ValueError(f"tag @{tag} has no value after ':' (e.g. @severity:critical)")
    if name in LINK_TAGS:
        pytest.mark.allure_link(value, name=value, link_type=name)(function)
        return True
    if name in LABEL_TAGS:
        text = value.replace("_", " ")
        if name == "severity" and text not in SEVERITIES:
            raise ValueError(f"tag @{tag}: severity must be one of {', '.join(SEVERITIES)}")
        pytest.mark.allure_label(text, label_type=name)(function)
        return True
    return None
