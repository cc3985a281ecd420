"""SymPy conversion and the time-limited proof; SymPy is never imported up front."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sympy

from autograder.expressions import NameTable, parse
from autograder.expressions.parser import Expression
from autograder.expressions.symbolic import make_symbols, prove_equal, to_sympy
from autograder.spec import VariableSpec


def specs(**variables: object) -> dict[str, VariableSpec]:
    return {name: VariableSpec.model_validate(value) for name, value in variables.items()}


def tree_of(text: str, names: tuple[str, ...]):  # noqa: ANN201 - a node of any type
    expression = parse(text, NameTable(names))
    assert isinstance(expression, Expression)
    return expression.tree


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-log(0.2)", sympy.log(5)),
        ("e^2/(1+e^2)", sympy.E**2 / (1 + sympy.E**2)),
        ("2^(1/2)", sympy.sqrt(2)),
        ("0.5", sympy.Rational(1, 2)),
        ("2e-3", sympy.Rational(1, 500)),
        ("log(8, 2)", sympy.Integer(3)),
        ("5!", sympy.Integer(120)),
        ("pi - 3", sympy.pi - 3),
        ("abs(-2)", sympy.Integer(2)),
    ],
)
def test_constant_conversion(text: str, expected: object) -> None:
    assert sympy.simplify(to_sympy(tree_of(text, ()), {}) - expected) == 0


def test_variable_assumptions_from_domain() -> None:
    symbols = make_symbols(specs(o=[0, 1], x=[-1, 1], n={"interval": [1, 5], "integer": True}, y={"values": [0, 1]}))
    assert symbols["o"].is_nonnegative
    assert symbols["x"].is_real
    assert symbols["x"].is_nonnegative is None
    assert symbols["n"].is_integer
    assert symbols["n"].is_positive
    assert symbols["y"].is_integer


def test_vector_is_matrix_of_symbols() -> None:
    symbols = make_symbols(specs(x={"interval": [-1, 1], "shape": [3, 1]}))
    assert symbols["x"].shape == (3, 1)
    product = to_sympy(tree_of("x*x", ("x",)), symbols)
    assert product.shape == (3, 1)
    assert product[1, 0] == symbols["x"][1, 0] ** 2


@pytest.mark.parametrize(
    ("answer", "reference", "variables", "proved"),
    [
        ("sqrt(o^2)", "o", {"o": [0, 1]}, True),
        ("sqrt(x^2)", "x", {"x": [-1, 1]}, None),
        ("(x+1)^2", "x^2 + 2x + 1", {"x": [-1, 1]}, True),
        ("x*y", "y*x", {"x": {"interval": [-1, 1], "shape": [3, 1]}, "y": {"interval": [-1, 1], "shape": [3, 1]}}, True),
        ("x*x", "2*x", {"x": {"interval": [-1, 1], "shape": [3, 1]}}, None),
        ("(a - y)*x", "a*x - y*x", {"a": [0, 1], "y": [0, 1], "x": {"interval": [-1, 1], "shape": [2, 1]}}, True),
        ("exp(log(x))", "x", {"x": [0.5, 2]}, True),
        ("x + 1", "x", {"x": [-1, 1]}, None),
    ],
)
def test_prove_equal(answer: str, reference: str, variables: dict[str, object], proved: bool | None) -> None:
    names = tuple(variables)
    result = prove_equal(tree_of(answer, names), tree_of(reference, names), specs(**variables), time_limit=10.0)
    assert result is proved


def test_time_limit_gives_up() -> None:
    names = ("x",)
    answer = tree_of("(x+1)^200 - (x+2)^200", names)
    reference = tree_of("(x+3)^200", names)
    assert prove_equal(answer, reference, specs(x=[-1, 1]), time_limit=0.01) is None


def test_time_limit_restores_trace_function() -> None:
    previous = sys.gettrace()
    prove_equal(tree_of("x", ("x",)), tree_of("x", ("x",)), specs(x=[0, 1]), time_limit=1.0)
    assert sys.gettrace() is previous


def test_no_sympy_or_mpmath_on_import() -> None:
    code = (
        "import sys\n"
        "import autograder.expressions, autograder.checkers.expression\n"
        "from autograder.expressions import evaluate_constant\n"
        "evaluate_constant('e**2/(1+e**2)')\n"
        "print('sympy' in sys.modules, 'mpmath' in sys.modules)\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.split() == ["False", "False"]
