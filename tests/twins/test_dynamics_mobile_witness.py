"""The Dynamics Mobile twin is a witness independent of the page objects (issue 12): no module under sandbox/
imports pages/, steps/, flows/ or harness/, so a caption the page objects expect cannot reach the twin by import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SANDBOX = Path(__file__).resolve().parents[2] / "sandbox"
FORBIDDEN = ("pages", "steps", "flows", "harness")


def _imported_packages(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(SANDBOX.rglob("*.py")), ids=lambda p: str(p.relative_to(SANDBOX)))
def test_sandbox_module_imports_no_harness_layer(path: Path) -> None:
    assert not _imported_packages(path) & set(FORBIDDEN)


def test_the_check_sees_an_import_of_pages(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from pages.dynamics_mobile.labels import label\nimport harness.secrets\n")
    assert _imported_packages(module) & set(FORBIDDEN) == {"pages", "harness"}
