"""The suite's own collection rules (tests/conftest.py): Hypothesis' plugin stays only where a property test runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from tests import conftest


@dataclass
class Plugins:
    registered: dict[str, object] = field(default_factory=lambda: {conftest.HYPOTHESIS_PLUGIN: object()})

    def get_plugin(self, name: str) -> object | None:
        return self.registered.get(name)

    def unregister(self, plugin: object) -> None:
        self.registered = {k: v for k, v in self.registered.items() if v is not plugin}


def _item(nodeid: str, obj: Any) -> Any:
    return SimpleNamespace(nodeid=nodeid, obj=obj, add_marker=lambda mark: None)


def _property_test() -> None: ...


_property_test.is_hypothesis_test = True  # type: ignore[attr-defined]  # what @given sets


def test_a_session_without_property_tests_drops_hypothesis_plugin() -> None:
    plugins = Plugins()
    conftest.pytest_collection_modifyitems(SimpleNamespace(pluginmanager=plugins),
                                           [_item("tests/e2e/test_full_setup.py::test_golden", lambda: None)])
    assert plugins.get_plugin(conftest.HYPOTHESIS_PLUGIN) is None


def test_a_session_with_a_property_test_keeps_it() -> None:
    plugins = Plugins()
    conftest.pytest_collection_modifyitems(SimpleNamespace(pluginmanager=plugins), [
        _item("tests/e2e/test_full_setup.py::test_golden", lambda: None),
        _item("tests/protocol/test_properties.py::test_form", _property_test)])
    assert plugins.get_plugin(conftest.HYPOTHESIS_PLUGIN) is not None
