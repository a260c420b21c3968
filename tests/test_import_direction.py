"""Imports point one way: adapters -> bot -> policy."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

FORBIDDEN = {  # and torch nowhere at run time: only tools/tune_encoder.py uses it
    "policy": ("bot", "adapters", "slack_bolt", "slack_sdk", "botbuilder", "aiohttp", "torch"),
    "bot": ("adapters", "slack_bolt", "slack_sdk", "botbuilder", "torch"),
    "adapters": ("torch",),
}


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_outward(package):
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (ROOT / package).rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN[package]
    ]
    assert offenders == []


def bot_imports(path) -> list[tuple[str, bool]]:
    """(module, inside a function) for every `bot.*` import of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    found.append(("(any)", True))
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "bot":
            names = [f"{node.module}.{a.name}" for a in node.names] if node.module == "bot" else [node.module]
            found.extend((name, False) for name in names)
    return found


def module_name(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_bot_has_no_imports_inside_functions():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "bot").rglob("*.py")
        if any(inside for _, inside in bot_imports(path))
    ]
    assert offenders == []


def test_bot_has_no_import_cycle():
    paths = {module_name(p): p for p in (ROOT / "bot").rglob("*.py")}
    graph = {name: {m for m, _ in bot_imports(path) if m in paths and m != name} for name, path in paths.items()}
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> list[str]:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*trail, node, target]
            if target not in state and (cycle := visit(target, [*trail, node])):
                return cycle
        state[node] = "done"
        return []

    cycles = [cycle for name in sorted(graph) if name not in state and (cycle := visit(name, []))]
    assert cycles == []


def test_bot_modules_stay_small():
    large = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / "bot").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 320
    }
    assert large == {}
