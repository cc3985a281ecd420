"""Size checks on constant exponents, factorials and constant values."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograder.expressions import ExpressionFailure, Limits, NameTable, parse
from autograder.expressions.failures import ExpressionError
from autograder.expressions.fastparse import fast_parse
from autograder.expressions.limits import (
    BOUNDED_FUNCTIONS,
    DEFAULT_LIMITS,
    _fold,
    check_sizes,
)
from autograder.expressions.nodes import Node
from autograder.expressions.parser import Expression, _Parser
from autograder.expressions.tokens import tokenize

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


@pytest.mark.parametrize("magnitude", [math.inf, 1e400])
def test_magnitude_beyond_floats_still_checks_plain_trees(magnitude: float) -> None:
    # The fold overflows to inf above the largest float, so the plain-size bound stays below it.
    limits = Limits(max_magnitude=magnitude)
    assert limits.max_plain_size < 301
    assert isinstance(parse("1e300*1e300", NAMES, limits), ExpressionFailure)
    six_long_literals = " * ".join(["1" + "0" * 59] * 6)
    assert isinstance(parse(six_long_literals, NAMES, limits), ExpressionFailure)


def test_small_max_magnitude_checks_plain_trees() -> None:
    limits = Limits(max_magnitude=1e10)
    assert limits.max_plain_size < 21
    assert isinstance(parse("123456 * 123456", NAMES, limits), ExpressionFailure)


PLAIN_LITERALS = st.one_of(
    st.integers(min_value=0, max_value=60).map(lambda zeros: "1" + "0" * zeros),
    st.integers(min_value=0, max_value=58).map(lambda zeros: "0." + "0" * zeros + "1"),
    st.integers(min_value=1, max_value=58).map(
        lambda digits: "0." + "123456789" * (digits // 9) + "7" * (digits % 9)
    ),
    st.sampled_from(["0", "1", "1.0000001", "1.0000002", "0.5", "3", "x", "e", "pi"]),
    # The floats next to 1, whose logarithms are the smallest nonzero ones.
    st.sampled_from(["1.0000000000000002", "0.99999999999999989"]),
    # Scientific notation, with exponents up to the lexer's bound of 300.
    st.tuples(
        st.sampled_from(["1", "9.99", "0.001", "123456789", "0.5", "7"]),
        st.sampled_from(["e", "E"]),
        st.integers(min_value=-300, max_value=300) | st.integers(min_value=-20, max_value=20),
    ).map(lambda parts: f"{parts[0]}{parts[1]}{parts[2]}"),
)
# Literal integer exponents near the bounds of the default limits and of the
# small ones below: 40 for a power of e or pi, 1000 for max_exponent, and
# 475 for (x + 1)^k, whose digit bound 2 * 21 * k + 2 * (len(k) + 20)
# passes 20,000 at k = 476.
INTEGER_EXPONENTS = st.sampled_from(
    ["0", "1", "2", "3", "9", "10", "11", "40", "41", "0040", "475", "476"]
    + ["999", "1000", "1001", "100000", "9" * 60]
)
EXPONENTS = st.tuples(
    st.sampled_from(["{}", "-{}", "({})", "(-{})", "+{}", "--{}"]), INTEGER_EXPONENTS
).map(lambda parts: parts[0].format(parts[1]))
SUPERSCRIPTS = st.sampled_from(["²", "³", "⁻¹", "⁴⁰", "⁴¹", "¹⁰⁰⁰", "¹⁰⁰¹"])


def powers(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Return powers of each shape that may skip ``check_sizes``, and of shapes that may not."""
    return st.one_of(
        st.tuples(st.sampled_from(["x", "e", "pi", "2", "10", "0.5"]), EXPONENTS).map(
            lambda parts: f"{parts[0]}^{parts[1]}"
        ),
        st.tuples(inner, EXPONENTS).map(lambda parts: f"({parts[0]})^{parts[1]}"),
        st.tuples(inner, inner).map(lambda parts: f"({parts[0]})^({parts[1]})"),
        st.tuples(inner, SUPERSCRIPTS).map(lambda parts: f"({parts[0]}){parts[1]}"),
        st.tuples(st.sampled_from(["sin", "exp", "log"]), INTEGER_EXPONENTS, inner).map(
            lambda parts: f"{parts[0]}^{parts[1]}({parts[2]})"
        ),
    )


PLAIN_TEXT = st.recursive(
    # Most calls without a variable need the size check anyway, so variables are common leaves.
    PLAIN_LITERALS | st.sampled_from(["x", "(x + 1)", "(2*x)", "(x - 0.123456789)"]),
    lambda inner: st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
        lambda parts: f"({parts[0]} {parts[1]} {parts[2]})"
    )
    | inner.map(lambda operand: f"-({operand})")
    | st.tuples(st.sampled_from(["exp", "log", "sinh", "tan", "factorial", "sqrt"]), inner).map(
        lambda parts: f"{parts[0]}({parts[1]})"
    )
    | st.tuples(st.sampled_from(sorted(BOUNDED_FUNCTIONS) + ["ln", "arcsin", "arccos"]), inner).map(
        lambda parts: f"{parts[0]}({parts[1]})"
    )
    | st.tuples(inner, inner).map(lambda parts: f"log({parts[0]}, {parts[1]})")
    # The square root sign takes one atom without brackets: a literal, a name, a call or another root.
    | (PLAIN_LITERALS | st.sampled_from(["x", "e", "pi", "√2", "√x"])).map(lambda operand: f"√{operand}")
    | inner.map(lambda operand: f"√({operand})")
    | powers(inner),
    max_leaves=12,
)


def skipping_trees(text: str, limits: Limits, names: NameTable = NAMES) -> list[Node]:
    """Return the trees of ``text`` that ``parse`` would accept without ``check_sizes``.

    ``parse`` skips ``check_sizes`` when the parser leaves
    ``needs_size_check`` unset and ``plain_size`` within ``max_plain_size``.
    It also checks that the fast path, where it reads the text, decides as
    the full parser does.
    """
    try:
        parser = _Parser(tokenize(text, limits), names, limits)
        tree = parser.parse()
    except ExpressionError:
        return []
    skipped = not parser.needs_size_check and parser.plain_size <= limits.max_plain_size
    fast = fast_parse(text, names, limits)
    if fast is not None:
        fast_skipped = not fast.needs_size_check and fast.plain_size <= limits.max_plain_size
        assert fast_skipped == skipped, text
    if not skipped:
        return []
    return [tree] if fast is None else [tree, fast.tree]


VARIED_LIMITS = [
    DEFAULT_LIMITS,
    Limits(max_exponent=10),
    Limits(max_exact_digits=50),
    Limits(max_exact_digits=2),
    Limits(max_magnitude=1e10),
    Limits(max_magnitude=1e60),
]


@pytest.mark.parametrize("limits", VARIED_LIMITS, ids=repr)
@settings(max_examples=400, deadline=None)
@given(text=PLAIN_TEXT | powers(PLAIN_TEXT))
def test_skipped_size_check_would_pass(limits: Limits, text: str) -> None:
    """A tree that a parser would accept without ``check_sizes`` passes ``check_sizes`` too."""
    for tree in skipping_trees(text, limits):
        check_sizes(tree, limits)


# A literal's digits come closest to twice its plain size when it has many
# decimals: 0.1234... with 58 decimals has about 116 digits and plain size 80.
LONG_DECIMALS = (
    st.integers(min_value=1, max_value=58) | st.integers(min_value=30, max_value=58)
).map(lambda digits: "0." + ("123456789" * 7)[:digits])
POWER_BASES = st.tuples(
    st.sampled_from(["{}", "({}*x)", "(x + {})", "({} - x)", "({})", "x", "e", "(pi*x)"]),
    LONG_DECIMALS,
).map(lambda parts: parts[0].format(parts[1]))
POWER_EXPONENTS = EXPONENTS | st.tuples(
    st.sampled_from(["x", "(-x)", "(x + {})", "({}*x)"]), LONG_DECIMALS
).map(lambda parts: parts[0].format(parts[1]))


@settings(max_examples=1000, deadline=None)
@given(
    base=POWER_BASES,
    exponent=POWER_EXPONENTS,
    ratio=st.floats(min_value=0.5, max_value=2.0),
)
def test_skipped_power_passes_near_digit_bound(
    base: str, exponent: str, ratio: float
) -> None:
    """A power accepted without ``check_sizes`` stays within ``max_exact_digits`` near its own digits."""
    text = f"{base}^{exponent}"
    unlimited = Limits(max_exponent=math.inf, max_exact_digits=math.inf)
    result = parse(text, NAMES, unlimited)
    # Only a power too large for a float, such as e^100000, fails with these limits.
    assume(isinstance(result, Expression))
    assert isinstance(result, Expression)
    digits = _fold(result.tree, unlimited).digits
    limits = Limits(max_exact_digits=max(1.0, digits * ratio))
    for tree in skipping_trees(text, limits):
        check_sizes(tree, limits)


POWER_NAMES = NameTable(("x", "z"))


@pytest.mark.parametrize(
    "text",
    [
        "log(5)", "-log(0.2)", "ln(1/0.2)", "sqrt(2pi)", "abs(-3)", "asin(0.5)", "acos(1)", "atanh(0.5)", "acosh(2)", "log(8, 2)",
        "log(log(log(10)))", "√2", "√e", "√2 x", "1/√(2π)", "√√2", "√log(2)", "√0.000001", "√2e3", "2e-3", "1.5E2",
        "1e-12 + 1", "1e200", "1e-200", "0.001e-250",
    ],
)
def test_bounded_constant_tree_skips_size_check(text: str) -> None:
    assert skipping_trees(text, DEFAULT_LIMITS)


@pytest.mark.parametrize(
    "text",
    ["exp(5)", "sin(1)", "atan(1)", "tanh(0.5)", "asinh(1)", "cosh(2)", "factorial(5)", "log(exp(1000))", "sqrt(2^3)", "√2e300", "√exp(2)", "1e300",
     "1e200 * 1e200", "1e-280 / 1e20"],
)
def test_other_constant_tree_needs_size_check(text: str) -> None:
    assert not skipping_trees(text, DEFAULT_LIMITS)


@pytest.mark.parametrize(
    ("text", "limits"),
    [
        ("exp(z)/(1+exp(z))^2", DEFAULT_LIMITS),
        ("sin(x)^2 + cos(x)^2", DEFAULT_LIMITS),
        ("x^2 + 1", DEFAULT_LIMITS),
        ("e^-2/(1+e^-2)", DEFAULT_LIMITS),
        ("e^(-z)", DEFAULT_LIMITS),
        ("x^2 * z^3 - x^-1", DEFAULT_LIMITS),
        ("x^1000", DEFAULT_LIMITS),
        ("x^(-1000)", DEFAULT_LIMITS),
        ("x^(3)", DEFAULT_LIMITS),
        ("x² + x⁻¹", DEFAULT_LIMITS),
        ("e²/(1+e²)", DEFAULT_LIMITS),
        ("e^40 * pi^-40", DEFAULT_LIMITS),
        ("2^x", DEFAULT_LIMITS),
        ("(1/3)^(x + 1)", DEFAULT_LIMITS),
        ("(x + 1)^475", DEFAULT_LIMITS),
        ("exp(-x^2)", DEFAULT_LIMITS),
        ("sin^2(x) + cos²(x)", DEFAULT_LIMITS),
        ("x^10", Limits(max_exponent=10)),
        ("e^2", Limits(max_exact_digits=50)),
        ("x^z", Limits(max_magnitude=1e10)),
    ],
)
def test_power_skips_size_check(text: str, limits: Limits) -> None:
    assert skipping_trees(text, limits, POWER_NAMES)
    assert isinstance(parse(text, POWER_NAMES, limits), Expression)


@pytest.mark.parametrize(
    ("text", "limits"),
    [
        ("x^1001", DEFAULT_LIMITS),
        ("(x + 1)^(2^3)", DEFAULT_LIMITS),
        ("((x+1)^2)^3", DEFAULT_LIMITS),
        ("e^(-z)/(1+e^(-z))^2", DEFAULT_LIMITS),
        ("e^x^2", DEFAULT_LIMITS),
        ("e^41", DEFAULT_LIMITS),
        ("pi^(-41)", DEFAULT_LIMITS),
        ("(2/3*x)^1000", DEFAULT_LIMITS),
        ("(x + 1)^476", DEFAULT_LIMITS),
        ("2^3", DEFAULT_LIMITS),
        ("(-e)^2", DEFAULT_LIMITS),
        ("x^0.5", DEFAULT_LIMITS),
        ("x^(1/2)", DEFAULT_LIMITS),
        ("x^--2", DEFAULT_LIMITS),
        ("x^2e1", DEFAULT_LIMITS),
        ("x!^2", DEFAULT_LIMITS),
        ("sin^2(1)", DEFAULT_LIMITS),
        ("x^11", Limits(max_exponent=10)),
        ("e^11", Limits(max_exponent=10)),
        ("x^2", Limits(max_exact_digits=40)),
        ("e^2", Limits(max_exact_digits=1)),
        ("x^2", Limits(max_magnitude=1e10)),
        # 2^54 + 3 rounds up to the float 2^54 + 4, which the exponent check compares.
        ("x^18014398509481987", Limits(max_exponent=2**54 + 3)),
        (
            "x^" + "9" * 400,
            Limits(max_number_digits=400, max_exponent=math.inf, max_magnitude=math.inf),
        ),
    ],
)
def test_power_needs_size_check(text: str, limits: Limits) -> None:
    parser = _Parser(tokenize(text, limits), POWER_NAMES, limits)
    parser.parse()
    assert parser.needs_size_check or parser.plain_size > limits.max_plain_size
    # The fast path, where it reads the text, decides the same.
    assert not skipping_trees(text, limits, POWER_NAMES)


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
