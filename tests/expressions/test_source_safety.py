"""Static check of the engine's source: no call that evaluates text as code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import autograder.checkers.expression
import autograder.expressions

FORBIDDEN_CALLS = {"eval", "exec", "compile", "sympify", "parse_expr", "literal_eval", "__import__", "S", "lambdify"}
# re.compile builds a regular expression, not code, so it is the one allowed "compile".
ALLOWED_ATTRIBUTE_CALLS = {("re", "compile")}
ENGINE = sorted(Path(autograder.expressions.__file__).parent.glob("*.py")) + [Path(autograder.checkers.expression.__file__)]


def called_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                names.add(node.func.id)
            elif isinstance(node.func, ast.Attribute):
                owner = node.func.value.id if isinstance(node.func.value, ast.Name) else ""
                if (owner, node.func.attr) not in ALLOWED_ATTRIBUTE_CALLS:
                    names.add(node.func.attr)
    return names


@pytest.mark.parametrize("path", ENGINE, ids=lambda path: path.name)
def test_no_code_evaluation_calls(path: Path) -> None:
    assert not called_names(path) & FORBIDDEN_CALLS


@pytest.mark.parametrize("path", ENGINE, ids=lambda path: path.name)
def test_sympy_imported_inside_functions_only(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            assert not any(module.split(".")[0] in ("sympy", "mpmath") for module in modules)
