"""Property tests: any text yields a verdict or a parse error, within a bounded time."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograder.expressions import ConstantValue, ExpressionFailure, NameTable, evaluate_constant, parse
from autograder.expressions.cache import normalize_answer
from autograder.expressions.equivalence import compare
from autograder.expressions.failures import ExpressionError
from autograder.expressions.numeric import evaluate
from autograder.expressions.parser import Expression
from autograder.expressions.printers import to_latex, to_text

from .support import make_checker, typed

# The per-example deadline is generous: a rare example reaches the symbolic
# fallback, which imports SymPy and may use its whole 1-second time limit.
BOUNDED = settings(
    max_examples=300,
    deadline=timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow],
)

CHECKER = make_checker("exp(-z)/(1+exp(-z))**2 + x_1*sigma", {"z": [-5, 5], "x_1": [-2, 2], "sigma": [0.5, 2]})
VECTOR_CHECKER = make_checker("(a_1 - y)*x", {"a_1": [0.01, 0.99], "y": {"values": [0, 1]}, "x": {"interval": [-3, 3], "shape": [3, 1]}})
NAMES = NameTable(("z", "x_1", "sigma"))

ANSWER_ALPHABET = st.sampled_from(
    list("0123456789.+-*/^!(),[]{} eEzx_1σπ²⁻×·−√₁₀ᵢ\u2003\u00a0")
    + ["exp", "log", "ln", "sqrt", "abs", "sin", "cosh", "factorial", "pi", "sigma", "x_1", "**", "e-", "1e3", "9**9"]
)
ANSWER_LIKE = st.lists(ANSWER_ALPHABET, max_size=60).map("".join)
# Characters that str.split() treats as white space, accepted or rejected by the lexer.
SPACE_LIKE = [" ", "  ", "\t", "\n", "\r", "\u00a0", "\u2003", "\u2009", "\u3000", "\x1c", "\x85", "\u200b"]
# "error" is the verdict for an answer that the grader could not decide.
STATUSES = {"correct", "incorrect", "invalid", "missing", "error"}


@BOUNDED
@given(st.text(max_size=300))
def test_arbitrary_text_gets_a_verdict(text: str) -> None:
    verdict = CHECKER.judge(typed(text))
    assert verdict.status in STATUSES
    assert verdict.feedback


@BOUNDED
@given(ANSWER_LIKE)
def test_answer_like_text_gets_a_verdict(text: str) -> None:
    for checker in (CHECKER, VECTOR_CHECKER):
        verdict = checker.judge(typed(text))
        assert verdict.status in STATUSES
        if verdict.status in ("correct", "incorrect"):
            assert verdict.reading is not None


@BOUNDED
@given(st.lists(st.one_of(ANSWER_ALPHABET, st.sampled_from(SPACE_LIKE)), max_size=40).map("".join))
def test_normalized_answer_gets_same_verdict(text: str) -> None:
    CHECKER.clear_cache()
    as_typed = CHECKER.judge(typed(text))
    CHECKER.clear_cache()
    normalized = CHECKER.judge(typed(normalize_answer(text)))
    assert normalized.status == as_typed.status
    assert normalized.reading == as_typed.reading


@BOUNDED
@given(ANSWER_LIKE)
def test_parse_returns_value_never_raises(text: str) -> None:
    result = parse(text, NAMES)
    assert isinstance(result, (Expression, ExpressionFailure))
    if isinstance(result, ExpressionFailure):
        assert result.message
        assert result.position is None or 0 <= result.position <= len(text)


@BOUNDED
@given(ANSWER_LIKE)
def test_reading_parses_back_to_same_tree(text: str) -> None:
    result = parse(text, NAMES)
    if isinstance(result, Expression):
        reread = parse(to_text(result.tree), NAMES)
        assert isinstance(reread, Expression)
        assert reread.tree == result.tree
        assert to_latex(result.tree)


@BOUNDED
@given(ANSWER_LIKE)
def test_evaluate_constant_returns_value(text: str) -> None:
    result = evaluate_constant(text)
    assert isinstance(result, (ConstantValue, ExpressionFailure))


# Valid terms, joined by operators into perturbations that keep an answer near the reference or push it off.
TERMS = st.lists(
    st.sampled_from(["z", "x_1", "sigma", "2", "sin(z)", "exp(z)", "z^2", "1/z", "log(z)", "sqrt(x_1)", "1e300"]),
    min_size=1,
    max_size=4,
).map(" + ".join)
NEAR_REFERENCE = st.one_of(
    ANSWER_LIKE,
    TERMS.map(lambda terms: f"exp(-z)/(1+exp(-z))**2 + x_1*sigma + 1e-12*({terms})"),
    TERMS.map(lambda terms: f"(exp(-z)/(1+exp(-z))**2 + x_1*sigma)*(1 + 1e-7*({terms}))"),
)


@BOUNDED
@given(NEAR_REFERENCE)
def test_band_agrees_with_compare_randomly(text: str) -> None:
    parsed = parse(text, CHECKER.names)
    if not isinstance(parsed, Expression):
        return
    try:
        values = evaluate(parsed.tree, CHECKER.points.values, CHECKER.points.count)
    except ExpressionError:
        return
    band = CHECKER.reference_band
    assert band is not None
    if values.shape[1:] != CHECKER.reference.shape:
        return
    comparison = compare(
        parsed.tree,
        values,
        CHECKER.reference,
        CHECKER.points,
        CHECKER.tolerance,
        CHECKER.part.variables,
        symbolic_time_limit=None,
    )
    with np.errstate(all="ignore"):
        inside = band.contains(values)
    assert inside == (comparison.outcome == "equal" and comparison.method == "sampling")
