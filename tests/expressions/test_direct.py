"""Answers read straight to values and printed forms: the same as parsing, printing and evaluating the tree, or no result."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.expressions import Limits, NameTable
from autograder.expressions.direct import MALFORMED, DirectReader, read_directly
from autograder.expressions.fastparse import fast_lex, fast_parse
from autograder.expressions.forms import exact_form_message
from autograder.expressions.limits import DEFAULT_LIMITS
from autograder.expressions.numeric import (
    evaluate_scalar_variables,
    evaluate_unguarded,
    ignore_float_errors,
    restore_float_errors,
)
from autograder.expressions.parser import Expression, parse
from autograder.expressions.printers import to_text_and_latex

from .corpus import CORPUS
from .support import make_checker, typed
from .test_fastparse import FAST_ALPHABET, NAMES, SPACING, WELL_FORMED, structure

# Points where logarithms, square roots and quotients are undefined or infinite
# as well as ordinary ones, so the comparison covers NaN and inf too.
POINTS = np.array([-2.5, -1.0, 0.0, 1e-300, 0.5, 1.0, 3.0, 1e300])
ENV = {name: POINTS * (index + 1) for index, name in enumerate(("a", "x", "y", "x_1", "a_1", "w_01", "sigma", "o"))}
# A part with vectors and matrices: x and w are 3-vectors, M a 2x2 matrix, a_1 and y scalars.
SHAPED_NAMES = NameTable(("x", "w", "M", "a_1", "y"))
SHAPED_ENV = {
    "x": np.outer(POINTS, [1.0, -2.0, 3.0]),
    "w": np.outer(POINTS[::-1], [0.5, 1.0, 2.0]),
    "M": np.multiply.outer(POINTS, [[1.0, 2.0], [-1.0, 0.5]]),
    "a_1": POINTS * 2,
    "y": POINTS[::-1].copy(),
}


# Expressions of what the direct reading covers, so that most of them are read.
COVERED = st.recursive(
    st.sampled_from(["x", "y", "a_1", "x_{1}", "w_01", "sigma", "e", "pi", "1", "2", "0.5", ".25", "10", "1.0", "2e-3", "1E2", "1e0"]),
    lambda inner: st.one_of(
        st.tuples(inner, SPACING, st.sampled_from(["+", "-", "*", "/", "^", "**", ""]), SPACING, inner).map("".join),
        st.tuples(st.sampled_from(["-", "+", "(", "exp(", "log(", "sqrt(", "abs(", "sin(", "atan(", "√("]), inner).map(
            lambda parts: parts[0] + parts[1] + (")" if parts[0].endswith("(") else "")
        ),
        st.tuples(inner, inner).map(lambda parts: f"log({parts[0]}, {parts[1]})"),
    ),
    max_leaves=8,
)


def read(
    text: str,
    names: NameTable = NAMES,
    *,
    allow_decimals: bool = True,
    limits: Limits = DEFAULT_LIMITS,
    shaped: bool = False,
):
    """Lex ``text`` and read it directly at the test points; return the lexed tokens and the reading, or Nones.

    One reader per set of options reads every text of the tests, as one
    reader per part reads every answer, so the tests also check that a
    reading leaves nothing behind for the next.
    """
    lexed = fast_lex(text, names, limits)
    if lexed is None:
        return None, None
    reader = READERS.get((allow_decimals, shaped))
    if reader is None:
        env = SHAPED_ENV if shaped else ENV
        reader = READERS[allow_decimals, shaped] = DirectReader(env, len(POINTS), allow_decimals=allow_decimals, align_shapes=shaped)
    token = ignore_float_errors()
    try:
        return lexed, reader.read(lexed)
    finally:
        restore_float_errors(token)


READERS: dict[tuple[bool, bool], DirectReader] = {}


def assert_same_as_tree(
    text: str,
    names: NameTable = NAMES,
    *,
    allow_decimals: bool = True,
    limits: Limits = DEFAULT_LIMITS,
    shaped: bool = False,
) -> bool:
    """Check a direct reading against parse, print and evaluate, and return whether there was one."""
    lexed, result = read(text, names, allow_decimals=allow_decimals, limits=limits, shaped=shaped)
    if result is MALFORMED:
        # The fast tree parser must give up on it too, since the checker then skips it.
        assert fast_parse(text, names, limits) is None
        return False
    if result is None:
        return False

    parsed = parse(text, names, limits)
    assert isinstance(parsed, Expression), f"read directly, but parsing gives {parsed}"
    if not allow_decimals:
        assert exact_form_message(parsed) is None

    values, reading_text, reading_latex = result
    if values.ndim == 0:
        # A constant answer's one value, which evaluation spreads over the points.
        values = np.full(len(POINTS), values, dtype=float)
    assert (reading_text, reading_latex) == to_text_and_latex(parsed.tree)

    token = ignore_float_errors()
    try:
        if shaped:
            expected = evaluate_unguarded(parsed.tree, SHAPED_ENV, len(POINTS))
        else:
            expected = evaluate_scalar_variables(parsed.tree, ENV, len(POINTS))
    finally:
        restore_float_errors(token)
    assert values.shape == expected.shape
    assert values.dtype == expected.dtype
    np.testing.assert_array_equal(values, expected)

    # The reading leaves the tokens as they were, so they still parse to the same tree.
    assert lexed is not None
    reparsed = lexed.parse_tree()
    assert reparsed is not None
    assert structure(reparsed.tree) == structure(parsed.tree)
    return True


@pytest.mark.parametrize(
    "text",
    [
        "x", "2", "0.5", "2.", "2x", "2 x", "2pi", "-x", "+x", "--x", "x - -y", "x*-y", "x/+y", "1 + 2*x", "a(1-a)",
        "(a+1)(a-1)", "2 log(a)", "2x^2", "1/2x", "a/x/y", "-x^2", "(-x)^2", "x^-2", "x**2", "x ** -y", "x_1(a_1 - y)",
        "x_{1}", "w_01 + w_{01}", "sigma^2", "exp(-x)/(1+exp(-x))^2", "sqrt(x**2)", "log(x^2)", "sin(pi*x)", "((x))",
        "o*(1-o)", "x(x+1)", "(x)(y)", "e^x", "σ", "2σx", "π x", "x × y", "x − 1", "x ÷ 2", "（x）", "x²", "x⁻¹",
        "(a₁ - y)x₁", "log(x, 2)", "log(x + 1, y)", "log(2, x)^2", "2log(x, 2)", "abs(x)^2", "sqrt(x)^2", "sin(x)^2",
        "1/(1+x)*y", "1*1/x", "1.0*x", "01*x", "x/1", "-(x + y)", "-(-x)", "x - (y - a)", "x - -(y)", "x*(-y)",
        "x/(y*a)", "(x*y)*a", "e^-2/(1+e^-2)", "log(5)", "-log(0.2)", "ln(1/0.2)",
        "sqrt(2pi)", "1/(1+e**2)", "e/(1+e+1/e)", "x^(3)", "x^(-1)", "(x+1)^475", "e^40", "pi^-40", "(e)^2",
        "x^x", "2^x", "√(x)", "1/√(2π)", "√(x)^2", "2√(x + 1)", "√x", "√2x", "√2 x", "√x y", "√√x", "2√x", "√e",
        "√sin(x)", "-√x", "(√x)^2", "√ x", "2e-3", "2E-3", "1.5e2", "x + 1e-12", "2e-3x", "1e0*x", "0.1e1/x",
        "2e3^x", "x*(1 + 1e-4)", "1e200/x",
    ],
)
def test_reads_common_answers(text: str) -> None:
    assert assert_same_as_tree(text)


@pytest.mark.parametrize(
    "text",
    [
        # The full parser reports these, or builds what the size check must see first.
        "x +", "2 3", "(x", "x)", "sin()", "log(x, 2, 3)", "sin(x, 2)", "x, y",
        "x!", "5!", "factorial(x)", "√x^2", "√x!", "√()", "√", "√+x", "√2e300", "√exp(2)", "1e300", "1e200*1e200", "x^1.5e3", "x^2e0", "x^1e2", "1000000000e300", "x*180000000e300",
        "(1000000000e300", "1000000000e300 +", "log(x, 1000000000e300)", "sin(pi)", "exp(2)", "2^3", "2^3^2",
        "e^41", "x^1001", "(x+1)^476", "x^0.5", "(x^2)^3", "(x + 1)^(2^3)", "e^x^2", "x^2^3",
        "x^(1+1)", "(-e)^2", "e^(-x)/(1+e^(-x))^2", "x^y^a",
    ],
)
def test_leaves_other_answers_to_the_parser(text: str) -> None:
    assert read(text)[1] in (None, MALFORMED)
    assert not assert_same_as_tree(text)


@pytest.mark.parametrize("text", ["x +", "2 3", "(x", "x)", "sin()", "sin x", "log(x, 2, 3)", "x, y", "()", "√+x", "√x^2"])
def test_calls_broken_grammar_malformed(text: str) -> None:
    assert read(text)[1] is MALFORMED
    assert fast_parse(text, NAMES, DEFAULT_LIMITS) is None


@pytest.mark.parametrize("text", ["x!", "(x!)", "(x! + 1", "x! +", "2^3", "e^41", "x^0.5", "sin(pi)"])
def test_uncovered_answers_not_malformed(text: str) -> None:
    # A factorial or a size check leaves the text to the fast tree parser, which may read it.
    assert read(text)[1] is None


@pytest.mark.parametrize(
    "text",
    [
        "x + x", "(a_1 - y) x", "x*(a_1 - y)", "a_1*x - y*x", "2x + w", "x/w", "x^2", "x^y", "y^x", "M*M - 1",
        "log(x, y)", "log(y, x)", "exp(-x)/(1+exp(-x))^2", "a_1 y", "2", "e", "-x", "M/(1 + M^2)", "sqrt(x w)",
    ],
)
def test_reads_vectors_and_matrices(text: str) -> None:
    assert assert_same_as_tree(text, SHAPED_NAMES, shaped=True)


@pytest.mark.parametrize("text", ["x + M", "M*w", "(x + 1)*M", "x^M", "log(x, M)", "y + x*M"])
def test_leaves_mismatched_shapes_to_the_parser(text: str) -> None:
    assert read(text, SHAPED_NAMES, shaped=True)[1] is None


SHAPED_WELL_FORMED = (WELL_FORMED | COVERED).map(
    lambda text: text.replace("sigma", "M").replace("x_{1}", "w").replace("w_01", "w").replace("a_1", "y")
)


@settings(max_examples=1000, deadline=None)
@given(SHAPED_WELL_FORMED)
def test_agrees_with_vectors_and_matrices(text: str) -> None:
    assert_same_as_tree(text, SHAPED_NAMES, shaped=True)


def test_decimals_left_to_the_parser_in_exact_form() -> None:
    assert read("0.5x", allow_decimals=False)[1] is None
    assert read("2e3*x", allow_decimals=False)[1] is None
    assert assert_same_as_tree("x/2", allow_decimals=False)


def test_plain_size_limit() -> None:
    # 15 literals of plain size 21 exceed the bound of 292 below which the size check may be skipped.
    assert read("x + " + " + ".join(["1"] * 15))[1] is None
    assert assert_same_as_tree("x + " + " + ".join(["1"] * 13))


@settings(max_examples=1000, deadline=None)
@given(WELL_FORMED)
def test_agrees_on_expressions(text: str) -> None:
    assert_same_as_tree(text)


@settings(max_examples=1000, deadline=None)
@given(COVERED)
def test_agrees_on_covered_expressions(text: str) -> None:
    assert_same_as_tree(text)


@settings(max_examples=1000, deadline=None)
@given(WELL_FORMED)
def test_agrees_in_exact_form(text: str) -> None:
    assert_same_as_tree(text, allow_decimals=False)


@settings(max_examples=1000, deadline=None)
@given(FAST_ALPHABET.map(str) | WELL_FORMED)
def test_agrees_on_random_text(text: str) -> None:
    assert_same_as_tree(text)


@pytest.mark.parametrize(
    "limits",
    [Limits(max_exponent=10), Limits(max_exact_digits=50), Limits(max_exact_digits=2), Limits(max_magnitude=1e100)],
    ids=repr,
)
@settings(max_examples=300, deadline=None)
@given(text=WELL_FORMED)
def test_agrees_under_small_limits(limits: Limits, text: str) -> None:
    # Whenever the reading goes ahead, the parser needs no size check either.
    if assert_same_as_tree(text, limits=limits):
        fast = fast_parse(text, NAMES, limits)
        assert fast is not None
        assert not fast.needs_size_check
        assert fast.plain_size <= limits.max_plain_size


def test_corpus_verdicts_same_without_direct_reading() -> None:
    read_directly_count = 0
    for case in CORPUS:
        checker = make_checker(case.reference, case.variables, **case.options)
        if not checker._reads_directly:
            continue
        direct = checker.judge(typed(case.answer))
        read_directly_count += direct.status == "correct"
        checker.clear_cache()
        checker._reads_directly = False
        parsed = checker.judge(typed(case.answer))
        assert dataclasses.asdict(direct) == dataclasses.asdict(parsed), case.id
    # Most correct answers of the corpus are read directly.
    assert read_directly_count >= 100


def test_stop_keeps_no_frames() -> None:
    # The reading raises one shared exception, and each raise would add to its traceback.
    from autograder.expressions import direct

    for _ in range(20):
        assert read("x +")[1] is MALFORMED
        assert read("x^0.5")[1] is None
    assert direct._MALFORMED.__traceback__ is None
    assert direct._STOP.__traceback__ is None


@pytest.mark.parametrize("text", ["x", "2x + 1", "x +", "x^0.5", "e^3/(1+e^3)", "sigma*log(x, 2)"])
def test_one_off_matches_reused_reader(text: str) -> None:
    lexed, reused = read(text)
    assert lexed is not None
    token = ignore_float_errors()
    try:
        one_off = read_directly(lexed, ENV, len(POINTS), allow_decimals=True, align_shapes=False)
    finally:
        restore_float_errors(token)
    if reused is None or reused is MALFORMED:
        assert one_off is reused
    else:
        assert one_off[1:] == reused[1:]
        np.testing.assert_array_equal(one_off[0], reused[0])


def test_reading_after_a_stop_starts_afresh() -> None:
    # A stop leaves the reader partway through one answer, and the next starts from its first token.
    for text in ["x + (y", "x^0.5 + 1", "2 3"]:
        read(text)
        _, result = read("x + 1")
        assert result is not None
        assert result is not MALFORMED
        assert result[1] == "x + 1"
        np.testing.assert_array_equal(result[0], ENV["x"] + 1.0)
