"""The parser's fast path: the same trees, spans and size facts as the full lexer and parser, or no result."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.expressions import Limits, NameTable
from autograder.expressions.failures import ExpressionError
from autograder.expressions.fastparse import fast_parse, literal_value
from autograder.expressions.limits import DEFAULT_LIMITS
from autograder.expressions.nodes import Node
from autograder.expressions.parser import _Parser
from autograder.expressions.tokens import tokenize

from .corpus import CORPUS

NAMES = NameTable(("a", "x", "y", "x_1", "a_1", "w_01", "sigma", "o"))


def structure(node: object) -> object:
    """Return every field of a tree, spans and implicit flags included, with the node types."""
    if isinstance(node, tuple):
        return tuple(structure(item) for item in node)
    if dataclasses.is_dataclass(node):
        return (type(node).__name__, *(structure(getattr(node, field.name)) for field in dataclasses.fields(node)))
    return node


def full_parse(text: str, names: NameTable, limits: Limits = DEFAULT_LIMITS) -> tuple[Node, bool, int] | None:
    """Parse with the full lexer and parser, or return None where they reject the text."""
    try:
        parser = _Parser(tokenize(text, limits), names, limits)
        tree = parser.parse()
    except ExpressionError:
        return None
    return tree, parser.needs_size_check, parser.plain_size


def assert_same_as_full(text: str, names: NameTable = NAMES, limits: Limits = DEFAULT_LIMITS) -> bool:
    """Check the fast path against the full parser and return whether the fast path read the text."""
    fast = fast_parse(text, names, limits)
    if fast is None:
        return False
    full = full_parse(text, names, limits)
    assert full is not None, f"the fast path read {text!r}, which the full parser rejects"
    tree, needs_size_check, plain_size = full
    assert structure(fast.tree) == structure(tree)
    assert fast.needs_size_check == needs_size_check
    assert fast.plain_size == plain_size
    return True


@pytest.mark.parametrize(
    "text",
    [
        "x", "2", "0.5", ".5", "2.", "2x", "2 x", "2e", "2pi", "-x", "+x", "--x", "-+x", "x - -y", "x*-y", "x/+y",
        "1 + 2*x", "a(1-a)", "(a+1)(a-1)", "2 log(a)", "2x^2", "1/2x", "a/x/y", "-x^2", "(-x)^2", "2^3^2",
        "x^-2", "e^-x^2", "x**2", "x ** -y", "x_1(a_1 - y)", "x_{1}", "w_01 + w_{01}", "sigma^2", "exp(-x)/(1+exp(-x))^2",
        "sqrt(x**2)", "log(x^2)", "sin(pi*x)", "((x))", "  x  +  y  ", "o*(1-o)", "x(x+1)", "(x)(y)", "e^x",
        "x\ty", "x\n+ y", "σ", "2σx", "σ^2", "π x", "x × y", "x · y", "x − 1", "x ÷ 2", "x\u00a0+ y", "（x）",
        "2e3", "2e-3", "2E+3", "1.5e2", ".5e-1", "x + 1e-12", "2e-3x", "2e3^2", "x!", "5!", "x!!", "3!^2", "2^3!",
        "(x+1)!", "5!x", "exp(x)!", "1" * 60 + "e5", "√x", "√(x)", "√2 x", "√2x", "√x y", "2√x", "1/√(2π)", "√(x y)",
        "√√x", "√sqrt(x)", "√e", "√ x", "(√x)^2", "√(x)^2", "-√x", "log(x, 2)", "log(x,2)", "log(x + 1, y)",
        "log(2, x)^2", "2log(x, 2)", "x²", "x₁", "x²³", "x⁻¹", "e²/(1+e²)", "w₀₁ + x", "(a₁ - y)x₁", "x₁x²", "x ²",
        # Powers that may skip the size check, and their neighbours that may not.
        "exp(x)/(1+exp(x))^2", "sin(x)^2 + cos(x)^2", "x^2 + 1", "e^-2/(1+e^-2)",
        "e^(-x)", "x^(3)", "x^(-1)", "x^1000", "x^1001", "(x+1)^475", "(x+1)^476",
        "e^40", "e^41", "pi^-40", "(e)^2", "(-e)^2", "2^3", "2^x", "(2/3*x)^1000",
        "((x+1)^2)^3", "(x + 1)^(2^3)", "x^0.5", "x^--2", "e^x^2", "sqrt(x)^2",
        "x^2y^3", "e^(-x)/(1+e^(-x))^2", "x!^2", "√(x)^3", "(x^2 + 1)^2", "exp(-x^2)",
    ],
)
def test_fast_path_reads_common_answers(text: str) -> None:
    assert assert_same_as_full(text)


@pytest.mark.parametrize(
    "text",
    [
        "", "   ", "x +", "x + * y", "()", "(x", "x)", "2 3", "(x)2", "1.2.3", "1..5", "2e3.5", "1e301", "!x", "x + !",
        "5!2", "(!)",
        "log(x, 2, 3)", "sin(x, 2)", "log(x,)", "log(,x)", "x, y", "(x, y)", "sin^2(x)", "sin x", "sin()", "[x]", "{x}", "q", "x_", "σ_1", "σ₁", "x₁₂", "²", "x=1", "x\u2003y", "γ",
        "√x^2", "√x!", "√", "√+x", "√sin x", "√^2(x)", "√2 3",
        "2**", "*x", "^x", "x^", "x^*2", "1" * 61,
        "x $ y", "x .", ". x", "x_1 $", "x  ?", "  1.5.", "x + 2.5.", "$x", "x $",
    ],
)
def test_fast_path_leaves_unusual_text(text: str) -> None:
    assert fast_parse(text, NAMES, DEFAULT_LIMITS) is None


@pytest.mark.parametrize("text", ["x_1 + x_{1}", " x_1 - a_1", "x_1  w_01", "2σ + σ", "π x + π"])
def test_fast_path_same_on_second_reading(text: str) -> None:
    # The first reading adds subscript spellings to the part's token table, which the second reading looks up.
    names = NameTable(("a", "x", "y", "x_1", "a_1", "w_01", "sigma", "o"))
    assert assert_same_as_full(text, names)
    assert assert_same_as_full(text, names)


def test_fast_path_stops_at_depth_limit() -> None:
    limits = Limits(max_depth=3)
    assert fast_parse("-(-(x))", NAMES, limits) is None
    assert fast_parse("-x", NAMES, limits) is not None


def test_fast_path_matches_corpus() -> None:
    read = 0
    for case in CORPUS:
        names = NameTable(tuple(case.variables))
        read += assert_same_as_full(case.answer, names)
    # Most corpus answers are common ASCII text, so the fast path should read many of them.
    assert read >= len(CORPUS) // 4


FAST_ALPHABET = st.sampled_from(
    list("0123456789.+-*/^(), xyaeE_{}1σπγ×−÷!\t\u00a0\u2003²₁")
    + ["**", "x_1", "a_1", "w_01", "sigma", "pi", "exp(", "log(", "sqrt(", "sin(", "e", "2e", "e3", " - ", "1e3", "q"]
    + ["e-3", "e+", "2E5", "1.5e-2", "5!", "e400", "√", "√(", "√x", "⁻¹", "³", "₀₁", "a₁"]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(FAST_ALPHABET, max_size=30).map("".join))
def test_fast_path_agrees_on_random_text(text: str) -> None:
    assert_same_as_full(text)


ATOMS = st.sampled_from(["x", "y", "a_1", "x_{1}", "w_01", "sigma", "e", "pi", "2", "0.5", ".25", "10", "2e-3", "1.5E2"])
SPACING = st.sampled_from(["", " ", "  "])
WELL_FORMED = st.recursive(
    ATOMS,
    lambda inner: st.one_of(
        st.tuples(inner, SPACING, st.sampled_from(["+", "-", "*", "/", "^", "**", ""]), SPACING, inner).map("".join),
        st.tuples(st.sampled_from(["-", "+", "(", "exp(", "log(", "sqrt(", "abs(", "√", "√("]), inner).map(
            lambda parts: parts[0] + parts[1] + (")" if parts[0].endswith("(") else "")
        ),
        inner.map(lambda text: text + "!"),
    ),
    max_leaves=10,
)


@settings(max_examples=1000, deadline=None)
@given(WELL_FORMED)
def test_fast_path_agrees_on_expressions(text: str) -> None:
    assert_same_as_full(text)


@pytest.mark.parametrize(
    "limits",
    [Limits(max_exponent=10), Limits(max_exact_digits=50), Limits(max_exact_digits=2)],
    ids=repr,
)
@settings(max_examples=300, deadline=None)
@given(text=WELL_FORMED)
def test_fast_path_agrees_under_small_limits(limits: Limits, text: str) -> None:
    # Small limits change which powers may skip the size check.
    assert_same_as_full(text, limits=limits)


@pytest.mark.parametrize("literal", ["0", "2", "007", "5.", ".5", "0.0", "12.340", "3.14159", "100.00", "1" + "0" * 40])
def test_literal_value_matches_fraction(literal: str) -> None:
    value = literal_value(literal)
    expected = Fraction(literal)
    assert type(value) is Fraction
    assert value.numerator == expected.numerator
    assert value.denominator == expected.denominator
    assert hash(value) == hash(expected)


def test_bail_keeps_no_frames() -> None:
    # The fast path raises one shared exception, and each raise would add to its traceback.
    from autograder.expressions import fastparse

    for _ in range(20):
        assert fast_parse("2 3", NAMES, DEFAULT_LIMITS) is None
    assert fastparse._BAIL.__traceback__ is None
