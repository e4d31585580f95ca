"""A test module never imports another test module or a conftest: what tests share lives in
tests/support (so running one file never runs, or depends on the collection of, another)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_test_module_imports_another():
    offenders = {}
    for path in sorted(TESTS.rglob("*.py")):
        if "support" in path.relative_to(TESTS).parts:
            continue
        bad = {m for m in imported_modules(path) if m.startswith("tests.")
               and not m.startswith("tests.support")}
        if bad:
            offenders[str(path.relative_to(TESTS))] = sorted(bad)
    assert offenders == {}


def test_support_holds_no_tests():
    for path in (TESTS / "support").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        tests = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)
                 and n.name.startswith("test_")]
        assert tests == [], path
