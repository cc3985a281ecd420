"""Size checks on constant exponents, factorials and constant values."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.expressions import ExpressionFailure, Limits, NameTable, parse
from autograder.expressions.failures import ExpressionError
from autograder.expressions.limits import DEFAULT_LIMITS, _fold, check_sizes
from autograder.expressions.nodes import Node
from autograder.expressions.parser import Expression

NAMES = NameTable(("x",))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("9**9**9**9", "exponent is too large"),
        ("x^1001", "exponent is too large"),
        ("x^(-1001)", "exponent is too large"),
        ("2^(10^4)", "exponent is too large"),
        ("3^1000", "power is too large"),
        ("(10^300)^300", "power is too large"),
        ("171!", "factorial is too large"),
        ("factorial(10**9)", "factorial is too large"),
        ("factorial(200) * x", "factorial is too large"),
        ("exp(710)", "too large to evaluate"),
        ("exp(exp(exp(1000)))", "too large to evaluate"),
        ("10^300 * 10^300", "too large to evaluate"),
        ("1e300 * 1e300", "too large to evaluate"),
        ("1" + "0" * 59 + "e300", "too large to evaluate"),
        ("x + 1" + "0" * 59 + "e300", "too large to evaluate"),
        ("((123456789012345678901234567890/123456789012345678901234567891)^1000)^1000", "about 61,006 digits"),
        ("0*((2/3)^30)^1000", "too large to compute exactly"),
        ("((123456789/123456790)^1000)^1000", "too large to compute exactly"),
        ("(1/170!)^1000", "too large to compute exactly"),
        ("((2/3*x)^100)^1000", "too large to compute exactly"),
        ("((x + 0.123456789012345)^1000)^1000", "too large to compute exactly"),
        ("sqrt(2/3)^100000", "exponent is too large"),
        ("(sqrt(12345/67891)^1000)^10", "too large to compute exactly"),
    ],
)
def test_rejected_sizes(text: str, fragment: str) -> None:
    result = parse(text, NAMES)
    assert isinstance(result, ExpressionFailure)
    assert fragment in result.message


@pytest.mark.parametrize(
    "text",
    [
        "x^1000", "2^1000", "170!", "exp(709)", "10^300", "log(-1)", "1/0", "sqrt(-4)", "x^(10^3)", "(x+1)^500",
        "exp(-1000)", "0^(-1)", "(2/3)^1000", "1.0001^1000", "(0.123456789*x)^1000", "exp(1/3)^1000",
        "(x + 1/3)^1000", "((x^1000)^1000)^1000", "(2^x)^1000", "sin(123456789/987654321)^1000",
    ],
)
def test_accepted_sizes(text: str) -> None:
    assert isinstance(parse(text, NAMES), Expression)


def test_rejection_points_at_exponent() -> None:
    result = parse("x + 2^5000", NAMES)
    assert isinstance(result, ExpressionFailure)
    assert result.position == 6


def test_custom_limits() -> None:
    limits = Limits(max_exponent=10, max_factorial=5, max_exact_digits=50)
    assert isinstance(parse("x^11", NAMES, limits), ExpressionFailure)
    assert isinstance(parse("6!", NAMES, limits), ExpressionFailure)
    assert isinstance(parse("(2/3)^10^10", NAMES, limits), ExpressionFailure)
    assert isinstance(parse("x^10 + 5! + (2/3)^10", NAMES, limits), Expression)


def test_exact_digits_rejection_points_at_power() -> None:
    text = "x + ((2/3*x)^1000)^1000"
    result = parse(text, NAMES)
    assert isinstance(result, ExpressionFailure)
    assert result.position == text.index("2/3")


BIG = "1" + "0" * 59
TINY = "0." + "0" * 58 + "1"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (" * ".join([BIG] * 6), "too large to evaluate"),
        (" * ".join([BIG] * 3) + " / " + " / ".join([TINY] * 3), "too large to evaluate"),
        ("x + " + " * ".join([BIG] * 6) + " * pi", "too large to evaluate"),
        ("log(x) * exp(1000)", "too large to evaluate"),
        ("log(x + exp(1000))", "too large to evaluate"),
        ("sin(x) + " + " * ".join([BIG] * 6), "too large to evaluate"),
        ("log(x, 2) * exp(1000)", "too large to evaluate"),
    ],
)
def test_plain_trees_over_size_still_checked(text: str, fragment: str) -> None:
    result = parse(text, NAMES)
    assert isinstance(result, ExpressionFailure)
    assert fragment in result.message


def test_small_max_magnitude_checks_plain_trees() -> None:
    limits = Limits(max_magnitude=1e10)
    assert limits.max_plain_size < 21
    assert isinstance(parse("123456 * 123456", NAMES, limits), ExpressionFailure)


PLAIN_LITERALS = st.one_of(
    st.integers(min_value=0, max_value=60).map(lambda zeros: "1" + "0" * zeros),
    st.integers(min_value=0, max_value=58).map(lambda zeros: "0." + "0" * zeros + "1"),
    st.sampled_from(["0", "1", "1.0000001", "1.0000002", "0.5", "3", "x", "e", "pi"]),
)
PLAIN_TEXT = st.recursive(
    PLAIN_LITERALS,
    lambda inner: st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
        lambda parts: f"({parts[0]} {parts[1]} {parts[2]})"
    )
    | inner.map(lambda operand: f"-({operand})")
    | st.tuples(st.sampled_from(["exp", "log", "sinh", "tan", "factorial", "sqrt"]), inner).map(
        lambda parts: f"{parts[0]}({parts[1]})"
    ),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None)
@given(PLAIN_TEXT)
def test_skipped_size_check_would_pass(text: str) -> None:
    """A plain tree that the parser accepts without ``check_sizes`` passes ``check_sizes`` too."""
    result = parse(text, NAMES)
    if isinstance(result, Expression):
        check_sizes(result.tree)


@pytest.mark.parametrize("text", ["x^2", "x^1001", "x^0.5", "x^123456789.123456789", "x^" + "9" * 60])
@pytest.mark.parametrize(
    "limits", [DEFAULT_LIMITS, Limits(max_exponent=10), Limits(max_exact_digits=5), Limits(max_magnitude=1e10)]
)
def test_power_of_variable_checked_as_fold(text: str, limits: Limits) -> None:
    """``x^2`` is checked without ``_fold``, with the same outcome as ``_fold``."""
    tree = parsed_tree(text)
    expected = outcome(lambda: _fold(tree, limits))
    assert outcome(lambda: check_sizes(tree, limits)) == expected


def parsed_tree(text: str) -> Node:
    result = parse(text, NAMES, Limits(max_exponent=1e300, max_exact_digits=1e300))
    assert isinstance(result, Expression), getattr(result, "message", "")
    return result.tree


def outcome(check: Callable[[], object]) -> tuple[str, int | None] | None:
    try:
        check()
    except ExpressionError as error:
        return error.message, error.position
    return None
