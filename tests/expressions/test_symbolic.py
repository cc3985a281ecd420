"""SymPy conversion and the proof in a limited child process; SymPy is never imported up front."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from fractions import Fraction

import pytest
import sympy

from autograder.expressions import NameTable, parse
from autograder.expressions.nodes import Number, Power
from autograder.expressions.parser import Expression
from autograder.expressions.symbolic import make_symbols, prove_equal, run_in_child, to_sympy
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
    ("answer", "reference", "variables", "outcome"),
    [
        ("sqrt(o^2)", "o", {"o": [0, 1]}, "proved"),
        ("sqrt(x^2)", "x", {"x": [-1, 1]}, "unproved"),
        ("(x+1)^2", "x^2 + 2x + 1", {"x": [-1, 1]}, "proved"),
        ("x*y", "y*x", {"x": {"interval": [-1, 1], "shape": [3, 1]}, "y": {"interval": [-1, 1], "shape": [3, 1]}}, "proved"),
        ("x*x", "2*x", {"x": {"interval": [-1, 1], "shape": [3, 1]}}, "unproved"),
        ("(a - y)*x", "a*x - y*x", {"a": [0, 1], "y": [0, 1], "x": {"interval": [-1, 1], "shape": [2, 1]}}, "proved"),
        ("exp(log(x))", "x", {"x": [0.5, 2]}, "proved"),
        ("x + 1", "x", {"x": [-1, 1]}, "unproved"),
        ("exp(-z)/(1+exp(-z))^2 + 0*exp(exp(exp(z)))", "exp(-z)/(1 + exp(-z))^2", {"z": [-6, 6]}, "proved"),
        ("exp(-z) + exp(exp(exp(z)))", "exp(-z)", {"z": [-6, 6]}, "unproved"),
    ],
)
def test_prove_equal(answer: str, reference: str, variables: dict[str, object], outcome: str) -> None:
    names = tuple(variables)
    result = prove_equal(tree_of(answer, names), tree_of(reference, names), specs(**variables), time_limit=10.0)
    assert result == outcome


def test_time_limit_gives_up() -> None:
    names = ("x",)
    answer = tree_of("(x+1)^200 - (x+2)^200", names)
    reference = tree_of("(x+3)^200", names)
    assert prove_equal(answer, reference, specs(x=[-1, 1]), time_limit=0.01) == "timeout"


def huge_power() -> Power:
    """Build ((r/(r+1))^1000)^1000 for a 30-digit r, whose exact numerator has 30 million digits.

    The parser rejects this tree (``limits.check_sizes``); it is built by hand
    to show that the child process bounds what SymPy does with it.
    """
    ratio = Number("r", Fraction(123456789012345678901234567890, 123456789012345678901234567891), False)
    thousand = Number("1000", Fraction(1000), False)
    return Power(Power(ratio, thousand), thousand)


def test_single_long_sympy_operation_is_killed() -> None:
    # Computing the power is one C-level operation of about a minute: only killing the child ends it.
    zero = Number("0", Fraction(0), False)
    assert prove_equal(huge_power(), zero, {}, time_limit=0.5) == "timeout"


def test_child_work_leaves_parent_memory_alone() -> None:
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert run_in_child(lambda: len(bytearray(200 * 2**20)) > 0, 10.0, 1024 * 2**20) == "proved"
    peak_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # ru_maxrss is in kilobytes on Linux; the child touched 200 MB.
    assert peak_after - peak_before < 50 * 1024


@pytest.mark.parametrize(
    ("check", "outcome"),
    [
        (lambda: True, "proved"),
        (lambda: False, "unproved"),
        (lambda: len(bytearray(1024 * 2**20)) > 0, "failed"),
        (lambda: 1 // 0 == 0, "failed"),
        (lambda: sys.exit(3), "failed"),
    ],
    ids=["true", "false", "out of memory", "raises", "exits"],
)
def test_run_in_child_outcomes(check: object, outcome: str) -> None:
    assert run_in_child(check, 10.0, 64 * 2**20) == outcome  # type: ignore[arg-type]


def _sleep_then_succeed() -> bool:
    time.sleep(1.2)
    return True


def _spin_forever() -> bool:
    while True:
        pass


def test_time_limit_counts_cpu_not_waiting() -> None:
    # A child that waits (as one slowed by a loaded machine does, in effect)
    # uses little CPU time, so it is not cut off at the one-second limit.
    assert run_in_child(_sleep_then_succeed, 1.0, 64 * 2**20) == "proved"


def test_busy_child_hits_the_cpu_limit() -> None:
    assert run_in_child(_spin_forever, 1.0, 64 * 2**20) == "timeout"


def test_fork_failure_is_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    def fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", fork)
    assert run_in_child(lambda: True, 1.0, 64 * 2**20) == "failed"


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
