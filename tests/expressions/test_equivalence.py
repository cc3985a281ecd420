"""Equivalence: tolerance rule, undefined points, and escalation to mpmath and SymPy."""

from __future__ import annotations

from typing import Any

import mpmath
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from autograder.expressions import NameTable, parse
from autograder.expressions.domains import SamplePoints, sample
from autograder.expressions.equivalence import (
    MAX_CONFIRMATION_DIGITS,
    MAX_PRECISE_NODES,
    Comparison,
    PreciseBudget,
    Target,
    Tolerance,
    build_band,
    build_target,
    compare,
    confirmation_digits,
    precise_cost,
    tree_size,
)
from autograder.expressions.nodes import Node
from autograder.expressions.numeric import evaluate
from autograder.expressions.parser import Expression
from autograder.spec import VariableSpec

DEFAULT_TOLERANCE = Tolerance(rtol=1e-6, atol=1e-9)


def compare_texts(
    answer: str,
    reference: str,
    variables: dict[str, Any],
    tolerance: Tolerance = DEFAULT_TOLERANCE,
    points: SamplePoints | None = None,
    *,
    symbolic_time_limit: float | None = 5.0,
    budget: PreciseBudget | None = None,
) -> Comparison:
    specs = {name: VariableSpec.model_validate(value) for name, value in variables.items()}
    points = points or sample(specs, 24, seed=0)
    names = NameTable(specs)
    answer_tree = tree_of(answer, names)
    reference_tree = tree_of(reference, names)
    target = build_target(reference_tree, evaluate(reference_tree, points.values, points.count), points)
    values = evaluate(answer_tree, points.values, points.count)
    return compare(
        answer_tree, values, target, points, tolerance, specs, symbolic_time_limit=symbolic_time_limit, budget=budget
    )


def tree_of(text: str, names: NameTable) -> Node:
    expression = parse(text, names)
    assert isinstance(expression, Expression)
    return expression.tree


@pytest.mark.parametrize(
    ("answer", "reference", "variables", "outcome", "method"),
    [
        ("o - o^2", "o*(1-o)", {"o": [0, 1]}, "equal", "sampling"),
        ("o + o^2", "o*(1-o)", {"o": [0, 1]}, "different", "sampling"),
        ("sin(pi)", "0", {}, "equal", "sampling"),
        ("0", "sin(pi)", {}, "equal", "sampling"),
        ("1e-10", "0", {}, "equal", "sampling"),
        ("1e-8", "0", {}, "different", "precise"),
        ("1", "0", {}, "different", "sampling"),
        ("log(x^2)", "2*log(x)", {"x": [-2, 2]}, "equal", "sampling"),
        ("2*log(x)", "log(x^2)", {"x": [-2, 2]}, "undefined", "precise"),
        ("sqrt(x)^2", "x", {"x": [-1, 1]}, "undefined", "precise"),
        ("exp(-z)/(1+exp(-z))^2", "exp(z)/(1+exp(z))^2", {"z": [-800, 800]}, "equal", "precise"),
        ("3.14159", "pi", {}, "equal", "sampling"),
        ("3.1415", "pi", {}, "different", "precise"),
        ("y^2", "y", {"y": {"values": [0, 1]}}, "equal", "sampling"),
        ("(1+x)^2 - x^2 - 2x", "1", {"x": [1e7, 1e8]}, "equal", "precise"),
        ("(1+x)^2 - x^2 - 2x", "3", {"x": [1e7, 1e8]}, "different", "sampling"),
        ("x^2", "x^2 + 1", {"x": [1e7, 1e8]}, "equal", "sampling"),
    ],
)
def test_outcome_table(answer: str, reference: str, variables: dict[str, Any], outcome: str, method: str) -> None:
    comparison = compare_texts(answer, reference, variables)
    assert comparison.outcome == outcome
    assert comparison.method == method


def test_different_reports_a_point() -> None:
    comparison = compare_texts("x", "abs(x)", {"x": [-2, 2]})
    assert comparison.outcome == "different"
    assert comparison.point is not None


def test_tolerance_relative_to_reference() -> None:
    loose = Tolerance(rtol=1e-2, atol=0.0)
    assert compare_texts("1.005*x", "x", {"x": [1, 2]}, loose).outcome == "equal"
    assert compare_texts("1.02*x", "x", {"x": [1, 2]}, loose).outcome == "different"


def test_reference_nan_never_equal() -> None:
    points = SamplePoints(3, {"x": np.array([-1.0, 4.0, 9.0])})
    # The reference is undefined at x = -1 (skipped); the answer is checked elsewhere.
    assert compare_texts("abs(x)^(1/2)", "sqrt(x)", {"x": [-1, 9]}, points=points).outcome == "equal"
    assert compare_texts("log(x)", "sqrt(x)", {"x": [-1, 9]}, points=points).outcome == "different"


def test_answer_infinite_where_reference_defined() -> None:
    points = SamplePoints(3, {"x": np.array([0.0, 1.0, 2.0])})
    assert compare_texts("1/x*x", "1", {"x": [0, 2]}, points=points).outcome == "undefined"


def test_build_target_repairs_overflow() -> None:
    points = SamplePoints(2, {"z": np.array([-800.0, 0.0])})
    tree = tree_of("exp(-z)/(1+exp(-z))^2", NameTable(("z",)))
    raw = evaluate(tree, points.values, 2)
    assert not np.isfinite(raw[0])
    target = build_target(tree, raw, points)
    assert target.defined.tolist() == [True, True]
    assert target.values[1] == pytest.approx(0.25)


@pytest.mark.parametrize(
    "value",
    [np.pi, np.pi * (1 + 1e-7), np.pi * (1 + 1e-5), -np.pi, 0.0, np.nan, np.inf, -np.inf, 1e308, 5e-324],
)
@pytest.mark.parametrize("tolerance", [DEFAULT_TOLERANCE, Tolerance(rtol=0.0, atol=0.0), Tolerance(rtol=1e-3, atol=1e-12)])
def test_band_compares_constant_once(value: float, tolerance: Tolerance) -> None:
    # A constant reference keeps its one value and allowed difference, and the scalar test agrees with the array test.
    points = SamplePoints(5, {})
    tree = tree_of("pi", NameTable(()))
    band = build_band(build_target(tree, evaluate(tree, {}, 5), points), tolerance)
    assert band is not None
    assert band.constant is not None
    scalar = np.float64(value)
    with np.errstate(all="ignore"):
        assert band.contains_scalar(scalar, 5) == band.contains(np.full(5, scalar))


def test_band_of_varying_reference_has_no_constant() -> None:
    points = SamplePoints(3, {"x": np.array([1.0, 2.0, 3.0])})
    tree = tree_of("x", NameTable(("x",)))
    band = build_band(build_target(tree, evaluate(tree, points.values, 3), points), DEFAULT_TOLERANCE)
    assert band is not None
    assert band.constant is None
    with np.errstate(all="ignore"):
        assert band.contains_scalar(np.float64(2.0), 3) is False
        assert band.contains_scalar(np.float64(2.0), 3) == band.contains(np.full(3, 2.0))


@settings(deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 1.0, -1.0, 1.0 + 1e-7, 1.0 + 1e-5, 3.0, np.nan, np.inf, -np.inf, 5e-324]), min_size=24, max_size=24),
    st.sampled_from([(24,), (12, 2, 1), (8, 3)]),
)
@example([1.0] * 24, (12, 2, 1))
@example([np.nan] + [1.0 + 1e-7] * 23, (24,))
@example([np.nan, np.nan, np.nan] + [1.0] * 21, (8, 3))
def test_band_contains_every_entry_within_tolerance(entries: list[float], shape: tuple[int, ...]) -> None:
    # A reference of ones, undefined at its first point: the band holds the other points.
    reference = np.ones(shape)
    reference.reshape(shape[0], -1)[0, 0] = np.nan
    target = Target.build(tree_of("1", NameTable(())), reference)
    band = build_band(target, Tolerance(rtol=1e-6, atol=1e-12))
    assert band is not None
    values = np.array(entries).reshape(shape)
    defined = values[target.defined]
    with np.errstate(all="ignore"):
        expected = bool(np.all(np.abs(defined - 1.0) <= 1e-6))
        assert band.contains(values) is expected


def test_target_defined_mask_for_vectors() -> None:
    values = np.array([[[1.0], [np.nan]], [[1.0], [2.0]]])
    target = Target.build(tree_of("1", NameTable(())), values)
    assert target.defined.tolist() == [False, True]
    assert target.shape == (2, 1)


def test_symbolic_fallback_when_too_few_points() -> None:
    # The reference is defined at two of the four points only, too few to trust.
    points = SamplePoints(4, {"x": np.array([-2.0, -1.0, 0.0, 1.0])})
    proved = compare_texts("(x+1)^2 - 1", "x^2 + 2x + 0*sqrt(x)", {"x": [-2, 1]}, points=points)
    assert proved.outcome == "equal"
    assert proved.method == "symbolic"
    unproved = compare_texts("x^2", "x + 0*sqrt(x)", {"x": [-2, 1]}, points=points)
    assert unproved.outcome == "equal"
    assert unproved.method == "sampling"


def test_no_defined_point_without_proof_is_different() -> None:
    points = SamplePoints(2, {"x": np.array([-2.0, -1.0])})
    assert compare_texts("x", "sqrt(x)", {"x": [-2, -1]}, points=points).outcome == "different"


def test_unresolved_overflow_uses_symbolic_proof() -> None:
    # exp(exp(exp(z))) passes 10^(10^8) for z in [3, 3.5], beyond even mpmath's guard.
    equal = compare_texts("exp(exp(exp(z))) * exp(-exp(exp(z)))", "1", {"z": [3, 3.5]})
    assert equal.outcome == "equal"
    assert equal.method == "symbolic"
    assert equal.proof == "proved"
    overflow = compare_texts("2 exp(exp(exp(z))) * exp(-exp(exp(z)))", "1", {"z": [3, 3.5]})
    assert overflow.outcome == "overflow"
    assert overflow.method == "symbolic"
    assert overflow.proof == "unproved"
    assert overflow.point is not None


def test_zero_times_huge_value_is_equal() -> None:
    # 0*exp(exp(exp(z))) is NaN in floats where z > 1.9, and exactly 0 with 30 digits, because exp of any real is finite.
    comparison = compare_texts(
        "e^-z/(1+e^-z)^2 + 0*exp(exp(exp(z)))", "exp(-z)/(1 + exp(-z))^2", {"z": [-6, 6]}, symbolic_time_limit=None
    )
    assert comparison.outcome == "equal"
    assert comparison.method == "precise"


def test_huge_answer_overflows_without_symbolic_check() -> None:
    comparison = compare_texts("exp(-z) + exp(exp(exp(z)))", "exp(-z)", {"z": [3, 4]})
    assert comparison.outcome == "overflow"
    assert comparison.method == "precise"
    assert comparison.proof is None
    assert comparison.point is not None


def test_overflow_that_sympy_cancels_is_equal() -> None:
    # exp(exp(exp(exp(z)))) is beyond even the huge-value rules where z > 1, so only SymPy cancels 0 times it.
    comparison = compare_texts("e^-z/(1+e^-z)^2 + 0*exp(exp(exp(exp(z))))", "exp(-z)/(1 + exp(-z))^2", {"z": [-6, 6]})
    assert comparison.outcome == "equal"
    assert comparison.method == "symbolic"


def test_cancellation_beyond_30_digits_is_not_a_difference() -> None:
    # (z+1)^300 is near 10^253, so with 30 digits the first term is lost and the answer reads 0.
    # With 283 digits the first term is kept and matches the reference, so no symbolic check is needed.
    answer = "e^-z/(1+e^-z)^2 + (z+1)^300 - (z+1)^299*(z+1)"
    comparison = compare_texts(answer, "exp(-z)/(1 + exp(-z))^2", {"z": [-6, 6]}, symbolic_time_limit=None)
    assert comparison.outcome == "equal"
    assert comparison.method == "precise"


def test_cancellation_hiding_difference_is_different() -> None:
    # The same cancellation hides a real difference of 1e-3 from floats and from 30 digits where z >= 3.
    # With digits for the intermediates near 10^253 and the tolerance, the difference shows, and stays with 30 more.
    answer = "e^-z/(1+e^-z)^2 + 1e-3 + (z+1)^300 - (z+1)^299*(z+1)"
    comparison = compare_texts(answer, "exp(-z)/(1 + exp(-z))^2", {"z": [3, 6]}, symbolic_time_limit=None)
    assert comparison.outcome == "different"
    assert comparison.method == "precise"


@pytest.mark.parametrize(
    "answer",
    ["1/(1+e^-z)*(1-1/(1+e^-z))", "1/(1+e^-z) - 1/(1+e^-z)^2", "(1-tanh(z/2)^2)/4"],
)
def test_cancellation_below_tiny_target_matches(answer: str) -> None:
    # At z = 219 the reference is 6.7e-96 and 1 - 1/(1 + e^-z) is 0 with 30 or 60 digits. With no absolute
    # floor, the confirmation needs about 135 digits, and then the answer matches.
    comparison = compare_texts(
        answer, "exp(-z)/(1 + exp(-z))^2", {"z": [-800, 800]}, Tolerance(rtol=1e-6, atol=0.0), symbolic_time_limit=None
    )
    assert comparison.outcome == "equal"
    assert comparison.method == "precise"


@pytest.mark.parametrize(
    ("answer", "reference", "variables"),
    [
        # 1 - 1/(1 + e^-z) is exactly 0 with 60 and with 90 digits where z = 400, and dividing by e^-z hides that.
        ("(1 - 1/(1+exp(-z)))/exp(-z)", "1/(1+exp(-z))", {"z": [-400, 400]}),
        ("sqrt(1/(1+exp(-z)) * (1 - 1/(1+exp(-z))))", "sqrt(exp(-z))/(1+exp(-z))", {"z": [-300, 300]}),
        # The logarithm or reciprocal of that 0 is undefined until more digits keep the lost term.
        ("log(1 - 1/(1+exp(-z)))", "-log(1+exp(z))", {"z": [-100, 100]}),
        ("(1/(1+exp(-z)))/(1 - 1/(1+exp(-z)))", "exp(z)", {"z": [-100, 100]}),
        ("1/(1 - 1/(1+exp(-z)))", "1 + exp(z)", {"z": [75, 100]}),
    ],
)
def test_sum_cancelled_to_zero_gets_more_digits(answer: str, reference: str, variables: dict[str, Any]) -> None:
    for seed in range(3):
        specs = {name: VariableSpec.model_validate(value) for name, value in variables.items()}
        comparison = compare_texts(
            answer,
            reference,
            variables,
            Tolerance(rtol=1e-6, atol=0.0),
            sample(specs, 24, seed=seed),
            symbolic_time_limit=None,
        )
        assert comparison.outcome == "equal", seed


@pytest.mark.parametrize(
    ("answer", "reference", "variables", "outcome"),
    [
        # Sums of exact terms that are really 0 settle a point at once.
        ("log(x - x)", "log(x)", {"x": [1, 2]}, "undefined"),
        ("1/(2*x - x - x)", "log(x)", {"x": [1, 2]}, "undefined"),
        ("-(y*log(p) + (1-y)*log(1-p)) + log(p - y) - log(p - y)", "-(y*log(p) + (1-y)*log(1-p))", {"p": [0.01, 0.99], "y": {"values": [0, 1]}}, "undefined"),
        ("-(y*log(p)*1.00001 + (1-y)*log(1-p))", "-(y*log(p) + (1-y)*log(1-p))", {"p": [0.01, 0.99], "y": {"values": [0, 1]}}, "different"),
        # A factorial of an integer is evaluated with any number of digits.
        ("(1-tanh(z/2)^2)/4 * 2!/2", "exp(-z)/(1+exp(-z))^2", {"z": [-800, 800]}, "equal"),
        # Whole powers and halves are exact, so these zeros are true zeros and the answers are undefined there.
        ("(n - m)/(n^2 - m^2)", "1/(n + m)", {"n": {"values": [1, 2, 3, 4]}, "m": {"values": [1, 2, 3, 4]}}, "undefined"),
        ("log(x/2 - x/2)", "log(x)", {"x": [1, 2]}, "undefined"),
        # pi - pi has rounded terms, so more digits are tried, and it stays undefined with all of them.
        ("x + log(pi - pi)", "x", {"x": [1, 2]}, "undefined"),
    ],
)
def test_exact_zero_sum_settles_point(answer: str, reference: str, variables: dict[str, Any], outcome: str) -> None:
    comparison = compare_texts(answer, reference, variables, Tolerance(rtol=1e-6, atol=0.0), symbolic_time_limit=None)
    assert comparison.outcome == outcome


@pytest.mark.parametrize(
    ("answer", "reference", "variables"),
    [
        # The answer is 0 in floats where z > 37, and squaring that 0 must not make its rounding error 0.
        ("(1 - 1/(1+exp(-z)))^2", "1/(1+exp(z))^2", {"z": [-800, 800]}),
        # exp(a) underflows to 0 where a < -745, which may be off by the smallest float.
        ("exp(a)/(exp(a)+exp(b))", "1/(1+exp(b-a))", {"a": [-800, 800], "b": [-800, 800]}),
    ],
)
def test_lost_value_is_not_clear_difference(answer: str, reference: str, variables: dict[str, Any]) -> None:
    comparison = compare_texts(answer, reference, variables, Tolerance(rtol=1e-6, atol=0.0), symbolic_time_limit=None)
    assert comparison.outcome == "equal"


@pytest.mark.parametrize(
    ("size", "digits", "cost"),
    [(10, 30, 10), (10, 31, 20), (10, 60, 20), (10, 240, 80), (10, 1920, 640)],
)
def test_precise_cost(size: int, digits: int, cost: int) -> None:
    assert precise_cost(size, digits) == cost


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        ("log(1 - 1/(1+exp(-z))) + 1e-3", "different"),
        ("(1/(1+exp(-z)))/(1 - 1/(1+exp(-z))) - 1/(1 - 1/(1+exp(-z)))", "different"),
        ("log(-1 - 1/(1+exp(-z)))", "undefined"),
    ],
)
def test_sum_cancelled_to_zero_can_still_differ(answer: str, outcome: str) -> None:
    comparison = compare_texts(answer, "-log(1+exp(z))", {"z": [60, 100]}, symbolic_time_limit=None)
    assert comparison.outcome == outcome


@pytest.mark.parametrize(
    ("scale", "target", "rtol", "atol", "expected"),
    [
        (0, 0.25, 1e-9, 1e-12, 60),  # at least 30 digits more than 30
        (253, 0.1, 1e-9, 1e-12, 30 + 253 + 11),  # intermediates near 10^253, allowed near 10^-11
        (0, 6.7e-96, 1e-9, 0.0, 30 + 105),  # a tiny target with no absolute floor
        (-5, 6.7e-96, 1e-9, 0.0, 30 + 105),  # intermediates below 1 count as 1
        (0, 1e6, 1e-3, 0.0, 60),  # an allowed difference above 1 needs no more
        (0, 0.0, 1e-9, 0.0, MAX_CONFIRMATION_DIGITS + 1),  # only an exact 0 would match
    ],
)
def test_confirmation_digits(scale: int, target: float, rtol: float, atol: float, expected: int) -> None:
    assert confirmation_digits(scale, mpmath.mpf(target), Tolerance(rtol, atol)) == expected


def test_cancellation_without_budget_is_undecided() -> None:
    answer = "e^-z/(1+e^-z)^2 + (z+1)^300 - (z+1)^299*(z+1)"
    comparison = compare_texts(
        answer, "exp(-z)/(1 + exp(-z))^2", {"z": [-6, 6]}, symbolic_time_limit=None, budget=PreciseBudget(0)
    )
    assert comparison.outcome == "undecided"


def test_overflow_without_symbolic_check() -> None:
    comparison = compare_texts(
        "e^-z/(1+e^-z)^2 + 0*exp(exp(exp(exp(z))))", "exp(-z)/(1 + exp(-z))^2", {"z": [-6, 6]}, symbolic_time_limit=None
    )
    assert comparison.outcome == "overflow"
    assert comparison.proof == "unproved"


def test_symbolic_timeout_is_undecided_never_equal() -> None:
    comparison = compare_texts(
        "e^-z/(1+e^-z)^2 + 0*exp(exp(exp(exp(z))))", "exp(-z)/(1 + exp(-z))^2", {"z": [-6, 6]}, symbolic_time_limit=1e-6
    )
    assert comparison.outcome == "overflow"
    assert comparison.proof == "timeout"


def test_spent_budget_leaves_points_undecided() -> None:
    # Cancellation makes every point suspect; without budget none can be settled with 30 digits.
    comparison = compare_texts(
        "(1+x)^2 - x^2 - 2x", "1", {"x": [1e7, 1e8]}, symbolic_time_limit=None, budget=PreciseBudget(0)
    )
    assert comparison.outcome == "undecided"
    assert comparison.point == 0
    with_budget = compare_texts("(1+x)^2 - x^2 - 2x", "1", {"x": [1e7, 1e8]}, symbolic_time_limit=None)
    assert with_budget.outcome == "equal"


def test_budget_counts_nodes_of_both_trees() -> None:
    budget = PreciseBudget()
    compare_texts("(1+x)^2 - x^2 - 2x", "1", {"x": [1e7, 1e8]}, budget=budget)
    answer_and_reference = tree_size(tree_of("(1+x)^2 - x^2 - 2x", NameTable(("x",)))) + 1
    spent = MAX_PRECISE_NODES - budget.remaining
    assert spent > 0
    assert spent % answer_and_reference == 0


def test_budget_spend() -> None:
    budget = PreciseBudget(10)
    assert budget.spend(6)
    assert not budget.spend(5)
    assert budget.remaining == 4
