"""Property tests: any text yields a verdict or a parse error, within a bounded time."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograder.expressions import ConstantValue, ExpressionFailure, NameTable, evaluate_constant, parse
from autograder.expressions.parser import Expression
from autograder.expressions.printers import to_latex, to_text

from .support import make_checker, typed

# The per-example deadline is generous: a rare example reaches the symbolic
# fallback, which imports SymPy and may use its whole 2-second time limit.
BOUNDED = settings(
    max_examples=300,
    deadline=timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow],
)

CHECKER = make_checker("exp(-z)/(1+exp(-z))**2 + x_1*sigma", {"z": [-5, 5], "x_1": [-2, 2], "sigma": [0.5, 2]})
VECTOR_CHECKER = make_checker("(a_1 - y)*x", {"a_1": [0.01, 0.99], "y": {"values": [0, 1]}, "x": {"interval": [-3, 3], "shape": [3, 1]}})
NAMES = NameTable(("z", "x_1", "sigma"))

ANSWER_ALPHABET = st.sampled_from(
    list("0123456789.+-*/^!(),[]{} eEzx_1σπ²⁻×·−")
    + ["exp", "log", "ln", "sqrt", "abs", "sin", "cosh", "factorial", "pi", "sigma", "x_1", "**", "e-", "1e3", "9**9"]
)
ANSWER_LIKE = st.lists(ANSWER_ALPHABET, max_size=60).map("".join)
STATUSES = {"correct", "incorrect", "invalid", "missing"}


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
