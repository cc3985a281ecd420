"""Numeric evaluation: real semantics, vectorization over points, elementwise vectors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.expressions import NameTable, parse
from autograder.expressions.direct import DirectReader
from autograder.expressions.failures import ExpressionError
from autograder.expressions.fastparse import fast_lex
from autograder.expressions.limits import DEFAULT_LIMITS
from autograder.expressions.numeric import (
    align_operands,
    describe_shape,
    evaluate,
    evaluate_scalar_variables,
    ignore_float_errors,
    restore_float_errors,
    shape_of,
)
from autograder.expressions.parser import Expression
from autograder.expressions.rounding import evaluate_with_error

NAMES = NameTable(("x", "y", "v", "w", "m"))
POINTS = 3
ENV = {
    "x": np.array([0.5, 1.0, 2.0]),
    "y": np.array([-1.0, 0.0, 1.0]),
    "v": np.arange(9, dtype=float).reshape(3, 3, 1),
    "w": np.ones((3, 2, 1)),
    "m": np.ones((3, 2, 2)),
}


def values_of(text: str) -> np.ndarray:
    expression = parse(text, NAMES)
    assert isinstance(expression, Expression)
    return evaluate(expression.tree, ENV, POINTS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2x + 1", [2.0, 3.0, 5.0]),
        ("x^2", [0.25, 1.0, 4.0]),
        ("1/2x", [0.25, 0.5, 1.0]),
        ("x/y", [-0.5, math.inf, 2.0]),
        ("log(x)", [math.log(0.5), 0.0, math.log(2.0)]),
        ("log(x, 2)", [-1.0, 0.0, 1.0]),
        ("log(y)", [math.nan, -math.inf, 0.0]),
        ("sqrt(y)", [math.nan, 0.0, 1.0]),
        ("y^(1/3)", [math.nan, 0.0, 1.0]),
        ("abs(y)", [1.0, 0.0, 1.0]),
        ("(y+2)!", [1.0, 2.0, 6.0]),
        ("factorial(y)", [math.nan, 1.0, 1.0]),
        ("e^y", [math.exp(-1), 1.0, math.e]),
        ("sin(pi*x)", [1.0, math.sin(math.pi), math.sin(2 * math.pi)]),
        ("sec(y)", [1 / math.cos(-1.0), 1.0, 1 / math.cos(1.0)]),
        ("asin(x)", [math.asin(0.5), math.pi / 2, math.nan]),
        ("acosh(x)", [math.nan, 0.0, math.acosh(2.0)]),
        ("atanh(y)", [-math.inf, 0.0, math.inf]),
        ("-x - -y", [-1.5, -1.0, -1.0]),
        ("exp(1000x)", [math.exp(500.0), math.inf, math.inf]),
    ],
)
def test_scalar_values(text: str, expected: list[float]) -> None:
    np.testing.assert_allclose(values_of(text), expected, rtol=1e-12, atol=1e-15)


def test_constant_fills_every_point() -> None:
    values = values_of("pi")
    assert values.shape == (POINTS,)
    np.testing.assert_allclose(values, [math.pi] * POINTS)


def test_vector_elementwise_and_broadcast() -> None:
    values = values_of("x*v + v*v")
    assert values.shape == (POINTS, 3, 1)
    expected = ENV["x"].reshape(3, 1, 1) * ENV["v"] + ENV["v"] ** 2
    np.testing.assert_allclose(values, expected)


def test_scalar_function_of_vector() -> None:
    values = values_of("exp(v) - 1")
    np.testing.assert_allclose(values, np.exp(ENV["v"]) - 1)


def test_matrix_shape_kept() -> None:
    assert shape_of(values_of("2m + x")) == (2, 2)


@pytest.mark.parametrize("text", ["v + w", "v*w", "v^w", "log(v, w)", "m - v"])
def test_shape_mismatch_raises(text: str) -> None:
    with pytest.raises(ExpressionError) as raised:
        values_of(text)
    assert "elementwise" in raised.value.message
    assert raised.value.position is not None


@pytest.mark.parametrize(
    ("shape", "description"),
    [((), "a scalar"), ((3, 1), "a 3×1 vector"), ((1, 4), "a 1×4 vector"), ((3,), "a 3 vector"), ((2, 2), "a 2×2 matrix")],
)
def test_describe_shape(shape: tuple[int, ...], description: str) -> None:
    assert describe_shape(shape) == description


def test_ignore_float_errors_restores_state() -> None:
    with np.errstate(all="raise"):
        token = ignore_float_errors()
        try:
            inside = np.float64(1.0) / np.float64(0.0)
            state_inside = np.geterr()
        finally:
            restore_float_errors(token)
        state_after = np.geterr()
    assert inside == np.inf
    assert set(state_inside.values()) == {"ignore"}
    assert set(state_after.values()) == {"raise"}


SCALAR_NAMES = NameTable(("x", "y"))
SCALAR_ENV = {"x": np.array([0.5, 1.0, 2.0]), "y": np.array([-1.0, 0.0, 1.0])}


@pytest.mark.parametrize(
    "text",
    [
        "x",
        "3",
        "pi*e",
        "2x/3 - y",
        "x*y/x",
        "-(x + y)^2",
        "x^y",
        "log(x) + log(x, 2)",
        "log(y)",
        "sqrt(y) + abs(y)",
        "sin(x)cos(y)tan(x)",
        "sec(x) + csc(x) + cot(x)",
        "factorial(x) + 3!",
        "x! + (x + y)!",
        "1/y",
        "0/0 + x",
        "exp(1000x)",
    ],
)
def test_scalar_path_matches_general(text: str) -> None:
    expression = parse(text, SCALAR_NAMES)
    assert isinstance(expression, Expression)
    expected = evaluate(expression.tree, SCALAR_ENV, POINTS)
    with np.errstate(all="ignore"):
        actual = evaluate_scalar_variables(expression.tree, SCALAR_ENV, POINTS)
    assert actual.shape == expected.shape
    np.testing.assert_array_equal(actual, expected)


# Constant powers where np.power and numpy's scalar ** differ in the last
# bit on an Intel Xeon with AVX-512 (numpy 2.4). Elsewhere the two may
# agree, and the test still checks that every path gives the same value.
CONSTANT_POWERS = [
    ("e^(-36)", math.e, -36.0),
    ("e^14.5", math.e, 14.5),
    ("e^-9.5", math.e, -9.5),
    ("pi^6.5", math.pi, 6.5),
    ("pi^35", math.pi, 35.0),
    ("10^(-5)", 10.0, -5.0),
    ("10^2.5", 10.0, 2.5),
    ("3^(-21)", 3.0, -21.0),
    ("27^(1/3)", 27.0, 1 / 3),
    ("3125^(1/5)", 3125.0, 0.2),
]


@pytest.mark.parametrize(("text", "base", "exponent"), CONSTANT_POWERS)
def test_constant_powers_same_on_every_path(text: str, base: float, exponent: float) -> None:
    # Python's float power, which numpy's scalar ** matched on every value tried.
    expected = base**exponent
    expression = parse(text, NAMES)
    assert isinstance(expression, Expression)
    scalar_env = {"x": ENV["x"], "y": ENV["y"]}
    token = ignore_float_errors()
    try:
        by_path = {
            "evaluate": evaluate(expression.tree, ENV, POINTS),
            "scalar variables": evaluate_scalar_variables(expression.tree, scalar_env, POINTS),
            "with error": evaluate_with_error(expression.tree, ENV, POINTS)[0],
        }
        lexed = fast_lex(text, NAMES, DEFAULT_LIMITS)
        assert lexed is not None
        read = DirectReader(scalar_env, POINTS, allow_decimals=True, align_shapes=False).read(lexed)
    finally:
        restore_float_errors(token)
    if isinstance(read, tuple):
        by_path["direct reading"] = np.full(POINTS, read[0])
    for path, values in by_path.items():
        assert values.tolist() == [expected] * POINTS, path


@pytest.mark.parametrize(
    ("left", "right", "aligned"),
    [
        # Shapes at 3 points, where () is a constant (a numpy scalar).
        ((), (), ((), ())),
        ((), (3, 2, 1), ((), (3, 2, 1))),
        ((3,), (3,), ((3,), (3,))),
        ((3,), (3, 2, 1), ((3, 1, 1), (3, 2, 1))),
        ((3, 2, 2), (3,), ((3, 2, 2), (3, 1, 1))),
        ((3, 2, 1), (3, 2, 1), ((3, 2, 1), (3, 2, 1))),
        ((3, 2, 1), (3, 1, 2), None),
        ((3, 2), (3, 2, 1), None),
    ],
)
def test_align_operands(left: tuple[int, ...], right: tuple[int, ...], aligned: tuple[tuple[int, ...], ...] | None) -> None:
    def value(shape: tuple[int, ...]) -> np.ndarray:
        return np.float64(2.0) if not shape else np.ones(shape)

    result = align_operands(value(left), value(right), 3)
    if aligned is None:
        assert result is None
    else:
        assert result is not None
        assert (np.shape(result[0]), np.shape(result[1])) == aligned
