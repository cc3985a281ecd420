"""Rounding error bounds: they cover the real error of float evaluation, and stay small where it is small."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.expressions import NameTable, parse
from autograder.expressions.numeric import evaluate
from autograder.expressions.parser import Expression
from autograder.expressions.precise import evaluate_at
from autograder.expressions.rounding import UNIT_ROUNDOFF, evaluate_with_error

NAMES = NameTable(("x", "y"))
POINTS = {"x": np.array([1e8, 3.0e7, 0.7, -2.5]), "y": np.array([0.3, 1.5, 2.0, 0.9])}


def tree_of(text: str):  # noqa: ANN201 - a node of any type
    expression = parse(text, NAMES)
    assert isinstance(expression, Expression)
    return expression.tree


@pytest.mark.parametrize(
    "text",
    [
        "(1+x)^2 - x^2 - 2x",
        "x^2 - (x-1)*(x+1)",
        "exp(y) - 1 - y",
        "(x + y) - x",
        "1/(1 - cos(y/1e6))",
        "log(1 + y*1e-12)",
        "sqrt(x^2 + 1) - abs(x)",
        "sin(y)^2 + cos(y)^2 - 1",
        "x/3*3 - x",
        "log(y^2, 10)",
        "tanh(y) - y",
        "(y + 1)! - y!",
    ],
)
def test_bound_covers_real_error(text: str) -> None:
    tree = tree_of(text)
    values, errors = evaluate_with_error(tree, POINTS, 4)
    np.testing.assert_array_equal(values, evaluate(tree, POINTS, 4))
    for index in range(4):
        exact = evaluate_at(tree, {name: float(array[index]) for name, array in POINTS.items()})
        if isinstance(exact, str) or not np.isfinite(values[index]):
            continue
        assert abs(values[index] - float(exact)) <= 4 * errors[index] + 1e-300


def test_bound_small_when_well_conditioned() -> None:
    values, errors = evaluate_with_error(tree_of("x*y + 1"), POINTS, 4)
    assert np.all(errors <= 8 * UNIT_ROUNDOFF * (np.abs(values) + 1))


def test_bound_large_under_cancellation() -> None:
    _, errors = evaluate_with_error(tree_of("(1+x)^2 - x^2 - 2x"), POINTS, 4)
    assert errors[0] > 1.0


def test_exact_inputs_add_no_error() -> None:
    _, errors = evaluate_with_error(tree_of("x - x"), POINTS, 4)
    np.testing.assert_array_equal(errors, np.zeros(4))


def test_vector_shapes_broadcast() -> None:
    env = {"x": np.ones((2, 3, 1)), "y": np.array([1.0, 2.0])}
    values, errors = evaluate_with_error(tree_of("x*y + y"), env, 2)
    assert values.shape == (2, 3, 1)
    assert errors.shape == (2, 3, 1)
