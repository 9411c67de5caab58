"""The layers import only downwards: features → steps → flows → pages → harness; the sandbox stands apart.

Every module's imports are read with `ast` (top-level, function-local and TYPE_CHECKING alike) and each one
that crosses a forbidden boundary is named with its module and line.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# layer -> the layers it must not import
FORBIDDEN: dict[str, frozenset[str]] = {
    "steps": frozenset({"sandbox"}),
    "flows": frozenset({"sandbox", "steps"}),
    "pages": frozenset({"sandbox", "steps", "flows"}),
    "harness": frozenset({"pages", "flows", "steps"}),
    "sandbox": frozenset({"harness", "pages", "flows", "steps"}),
}
# No crossing is allowed: the console script that runs flows (`bcoauth login azure`, `doctor`, `sweep`) lives in
# flows/cli.py, above the library.
ALLOWED: frozenset[tuple[str, str, str]] = frozenset()


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[int, str, str]]:
    """(line, enclosing function or "", imported module) for every import statement in the tree."""
    package = module if is_package else module.rpartition(".")[0]

    def visit(node: ast.AST, function: str) -> Iterator[tuple[int, str, str]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                yield from ((child.lineno, function, alias.name) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = package.split(".")[:len(package.split(".")) - (child.level - 1)] if child.level else []
                yield child.lineno, function, ".".join([*base, *([child.module] if child.module else [])])
            is_function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            yield from visit(child, child.name if is_function else function)

    yield from visit(tree, "")


def violations(module: str, source: str, *, is_package: bool = False) -> list[str]:
    """One line per import of `module` (given as source) that crosses a forbidden boundary."""
    layer = module.split(".")[0]
    forbidden = FORBIDDEN.get(layer, frozenset())
    found = []
    for line, function, imported in _imports(ast.parse(source), module, is_package):
        target = imported.split(".")[0]
        if target in forbidden and (module, function, imported) not in ALLOWED:
            found.append(f"{module} (line {line}) imports {imported}: {layer}/ must not import {target}/")
    return found


def _layer_modules() -> Iterator[tuple[str, Path]]:
    for layer in FORBIDDEN:
        for path in sorted((ROOT / layer).rglob("*.py")):
            yield layer, path


def test_no_module_imports_across_a_forbidden_boundary() -> None:
    found = [line for _, path in _layer_modules()
             for line in violations(_module_name(path), path.read_text(encoding="utf-8"),
                                    is_package=path.name == "__init__.py")]
    assert not found, "imports across a layer boundary:\n" + "\n".join(found)


def test_every_layer_is_scanned() -> None:
    scanned = {layer for layer, _ in _layer_modules()}
    assert scanned == set(FORBIDDEN), f"no modules found for {set(FORBIDDEN) - scanned}"


@pytest.mark.parametrize(("module", "source", "expected"), [
    ("pages.fake", "from sandbox import store\n",
     "pages.fake (line 1) imports sandbox: pages/ must not import sandbox/"),
    ("steps.fake", "import sandbox.tls\n", "steps.fake (line 1) imports sandbox.tls"),
    ("flows.fake", "\n\nfrom steps.token_steps import request_token\n",
     "flows.fake (line 3) imports steps.token_steps"),
    ("pages.fake", "from flows.sign_in import to_azure_portal\n", "imports flows.sign_in: pages/ must not import"),
    ("harness.fake", "def later():\n    from pages.azure_portal import AzurePortal\n",
     "harness.fake (line 2) imports pages.azure_portal"),
    ("harness.fake", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import steps\n",
     "harness.fake (line 3) imports steps"),
    ("sandbox.fake", "class A:\n    def f(self):\n        import harness.secrets\n", "imports harness.secrets"),
    ("sandbox.fake", "from pages.dynamics_mobile.labels import label\n", "sandbox/ must not import pages/"),
])
def test_a_synthetic_violation_is_named(module: str, source: str, expected: str) -> None:
    found = violations(module, source)
    assert len(found) == 1 and expected in found[0], found


def test_relative_imports_resolve_to_their_package() -> None:
    assert violations("pages.dynamics_mobile.fake", "from . import labels\nfrom .. import microsoft_login\n") == []
    assert violations("flows.__init__", "from . import sign_in\n", is_package=True) == []


def test_the_library_cli_may_not_import_a_flow_even_inside_a_command() -> None:
    inside = "def _login_azure(args):\n    from flows.saved_sign_in import save_azure_portal_state\n"
    assert violations("harness.cli", inside) == [
        "harness.cli (line 2) imports flows.saved_sign_in: harness/ must not import flows/"]
    assert violations("flows.cli", "from flows.doctor import run_doctor\nfrom harness import cli\n") == []
