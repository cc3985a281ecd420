"""High-precision evaluation at single points: values, real-domain rules and size guards."""

from __future__ import annotations

import math
from collections.abc import Callable

import mpmath
import pytest

from autograder.expressions import NameTable, parse
from autograder.expressions.parser import Expression
from autograder.expressions.precise import close_enough, evaluate_at, evaluate_precisely

NAMES = NameTable(("x", "z"))


def at(text: str, **env: float):  # noqa: ANN201 - an mpf or a marker string
    expression = parse(text, NAMES)
    assert isinstance(expression, Expression)
    return evaluate_at(expression.tree, env)


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("exp(z)/(1+exp(z))^2", {"z": 800.0}, math.exp(-800)),
        ("(1+x)^2 - x^2 - 2x", {"x": 1e8}, 1.0),
        ("(-2)^3", {}, -8.0),
        ("(-2)^2", {}, 4.0),
        ("log(x, 2)", {"x": 8.0}, 3.0),
        ("5!", {}, 120.0),
        ("sec(x)", {"x": 0.0}, 1.0),
        ("abs(x)", {"x": -2.0}, 2.0),
    ],
)
def test_values(text: str, env: dict[str, float], expected: float) -> None:
    value = at(text, **env)
    assert not isinstance(value, str)
    assert float(value) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "env"),
    [
        ("log(x)", {"x": -1.0}),
        ("log(x)", {"x": 0.0}),
        ("sqrt(x)", {"x": -1.0}),
        ("x^(1/3)", {"x": -8.0}),
        ("1/x", {"x": 0.0}),
        ("0^x", {"x": -1.0}),
        ("asin(x)", {"x": 2.0}),
        ("acosh(x)", {"x": 0.5}),
        ("atanh(x)", {"x": 1.0}),
        ("(-3)!", {}),
        ("log(x, 1)", {"x": 2.0}),
    ],
)
def test_undefined(text: str, env: dict[str, float]) -> None:
    assert at(text, **env) == "undefined"


@pytest.mark.parametrize(
    ("text", "env", "digits", "expected"),
    [
        # The largest trigonometric arguments that are still evaluated: any float, and e^709 (about 2^1023),
        # which needs about 340 digits before its cosine means anything.
        ("sin(x)", {"x": 1.7e308}, 30, lambda: mpmath.sin(1.7e308)),
        ("cos(exp(x))", {"x": 709.0}, 400, lambda: mpmath.cos(mpmath.exp(709))),
        ("log(exp(-x))", {"x": 7e5}, 30, lambda: mpmath.mpf(-7e5)),
    ],
)
def test_large_arguments_still_evaluated(
    text: str, env: dict[str, float], digits: int, expected: Callable[[], object]
) -> None:
    expression = parse(text, NAMES)
    assert isinstance(expression, Expression)
    value = evaluate_at(expression.tree, env, digits)
    assert not isinstance(value, str)
    with mpmath.workdps(500):
        assert float(value) == pytest.approx(float(expected()), rel=1e-12)


@pytest.mark.parametrize(
    ("text", "env"),
    [
        ("x!", {"x": 2e5}),
        ("exp(x)^1000", {"x": 2000.0}),
        ("cosh(x)", {"x": 2e6}),
        ("exp(exp(exp(exp(z))))", {"z": 3.0}),
        ("exp(x) - exp(x)", {"x": 2e6}),
        ("exp(x) * exp(-x)", {"x": 2e6}),
        ("1/exp(x)", {"x": 2e6}),
        ("log(exp(x))", {"x": 2e6}),
        ("0*exp(exp(exp(exp(z))))", {"z": 3.0}),
        ("exp(x + 30)", {"x": 1e6}),
        # Below the size limit, but mpmath would reduce these arguments against pi with over 10^5 bits.
        ("sin(exp(x))", {"x": 2e5}),
        ("0*cos(exp(x))", {"x": 4e5}),
        ("tan(exp(x)) - tan(exp(x))", {"x": 8e4}),
        ("sec(x^2)", {"x": 1e160}),
        ("csc(-exp(x))", {"x": 711.0}),
        ("cot(exp(x))", {"x": 711.0}),
        # exp(-exp(x)) is far below the size limit, and mpmath would first compute it with about 10^6 digits of ln 2.
        ("exp(-exp(x))", {"x": 9.9e5}),
        ("exp(-x)", {"x": 1.1e6}),
    ],
)
def test_too_large_unresolved(text: str, env: dict[str, float]) -> None:
    assert at(text, **env) == "unresolved"


@pytest.mark.parametrize(("digits", "resolved"), [(30, True), (240, True), (241, False), (2000, False)])
def test_factorial_beyond_240_digits_unresolved(digits: int, resolved: bool) -> None:
    # mpmath's gamma function takes seconds on its first call with about 1000 digits.
    expression = parse("x! + 1", NAMES)
    assert isinstance(expression, Expression)
    value = evaluate_at(expression.tree, {"x": 9.37}, digits)
    assert (value != "unresolved") is resolved


@pytest.mark.parametrize("text", ["(1 - x)*log(z)", "log(z) + (x - x)", "abs(x) - x + 1", "(2*x - x - x + 0.5)"])
def test_exact_sum_of_zero_not_reported(text: str) -> None:
    expression = parse(text, NAMES)
    assert isinstance(expression, Expression)
    assert not evaluate_precisely(expression.tree, {"x": 1.0, "z": 2.0}).cancelled


def test_sum_cancelled_to_zero_is_reported() -> None:
    expression = parse("(1 - 1/(1 + exp(-z)))/exp(-z)", NAMES)
    assert isinstance(expression, Expression)
    with_60_digits = evaluate_precisely(expression.tree, {"z": 165.0}, 60)
    with_120_digits = evaluate_precisely(expression.tree, {"z": 165.0}, 120)
    assert with_60_digits.value == 0
    assert with_60_digits.cancelled
    assert not with_120_digits.cancelled
    assert float(with_120_digits.value) == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "env"),
    [
        ("exp(exp(exp(z)))", {"z": 10.0}),
        ("exp(x)", {"x": 2e6}),
        ("-exp(x)", {"x": 2e6}),
        ("3 - 2*exp(x)", {"x": 2e6}),
        ("exp(x) + exp(x)", {"x": 2e6}),
    ],
)
def test_beyond_limit_huge(text: str, env: dict[str, float]) -> None:
    assert at(text, **env) == "huge"


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("0*exp(exp(exp(z)))", {"z": 3.0}, 0.0),
        ("exp(-z) + 0*exp(exp(exp(z)))", {"z": 3.0}, math.exp(-3.0)),
        ("exp(x)*0", {"x": 2e6}, 0.0),
    ],
)
def test_zero_times_huge_is_zero(text: str, env: dict[str, float], expected: float) -> None:
    value = at(text, **env)
    assert not isinstance(value, str)
    assert float(value) == pytest.approx(expected, rel=1e-12)


def test_zero_times_undefined_stays_undefined() -> None:
    assert at("0*exp(exp(exp(z)))*log(x)", z=3.0, x=-1.0) == "undefined"


def test_close_enough_floor() -> None:
    import mpmath

    assert close_enough(mpmath.mpf("1e-12"), mpmath.mpf(0), 1e-6, 1e-9)
    assert not close_enough(mpmath.mpf("1e-8"), mpmath.mpf(0), 1e-6, 1e-9)
    assert close_enough(mpmath.mpf("1.0000001"), mpmath.mpf(1), 1e-6, 0.0)


@pytest.mark.parametrize(
    ("text", "env", "scale"),
    [
        ("x*x", {"x": 0.5}, 0),
        ("(x+1)^300 - (x+1)^299*(x+1)", {"x": 6.0}, 254),
        ("1e300*x/1e300", {"x": 2.0}, 301),
        ("exp(-x)", {"x": 100.0}, 3),
    ],
)
def test_scale_bounds_largest_intermediate_exponent(text: str, env: dict[str, float], scale: int) -> None:
    expression = parse(text, NAMES)
    assert isinstance(expression, Expression)
    assert evaluate_precisely(expression.tree, env).scale == scale


def test_more_digits_keep_a_term_lost_to_cancellation() -> None:
    expression = parse("1/x + (x+1)^300 - (x+1)^299*(x+1)", NAMES)
    assert isinstance(expression, Expression)
    assert evaluate_at(expression.tree, {"x": 4.0}) == 0
    assert float(evaluate_at(expression.tree, {"x": 4.0}, 300)) == pytest.approx(0.25, rel=1e-12)  # type: ignore[arg-type]
