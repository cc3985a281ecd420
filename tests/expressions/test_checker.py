"""ExpressionChecker: spec validation, formats, right, wrong and malformed answers, caching."""

from __future__ import annotations

from typing import Any

import pytest

from autograder.checkers.base import Answer
from autograder.errors import SpecError

from .support import make_checker, typed

GRADIENT = {"a_1": [0.01, 0.99], "y": {"values": [0, 1]}, "x_1": [-3, 3]}
VECTOR = {"a_1": [0.01, 0.99], "y": {"values": [0, 1]}, "x": {"interval": [-3, 3], "shape": [3, 1]}}


@pytest.mark.parametrize(
    ("answer", "variables", "options", "fragment"),
    [
        ("x + q", {"x": [0, 1]}, {}, "is not a valid expression (declared: x)"),
        ("(x", {"x": [0, 1]}, {}, "never closed"),
        ("log(x)", {"x": [-2, -1]}, {}, "undefined (or infinite) at every sample point"),
        ("x", {"x-1": [0, 1]}, {}, "cannot be typed as one name"),
        ("x", {"x": [0, 1], "exp": [0, 1]}, {}, "is the name of a function"),
        ("x_1", {"x_1": [0, 1], "x1": [0, 1]}, {}, "are both typed as 'x1'"),
        ("n", {"n": {"interval": [0.2, 0.8], "integer": True}}, {}, "contains no integer"),
        ("x", {"x": [0, 1]}, {"mistakes": [{"answer": "x + q", "feedback": "No."}]}, "mistake 1"),
        ("x", {"x": [0, 1]}, {"mistakes": [{"answer": "2x/2", "feedback": "No."}]}, "equivalent to the reference answer"),
        ("x", {"x": {"interval": [0, 1], "shape": [2, 1]}, "y": {"interval": [0, 1], "shape": [3, 1]}}, {"mistakes": [{"answer": "x + y", "feedback": "No."}]}, "cannot be evaluated"),
        (["x", "y"], {"x": [0, 1]}, {}, "must be a single expression"),
    ],
)
def test_spec_errors(answer: Any, variables: dict[str, Any], options: dict[str, Any], fragment: str) -> None:
    with pytest.raises(SpecError) as raised:
        make_checker(answer, variables, **options)
    assert fragment in raised.value.message
    assert raised.value.part == "1.1"


def test_spec_error_names_yaml_line(checker_for: Any) -> None:
    part = """
    id: "1.2"
    prompt: Enter the derivative.
    type: expression
    variables:
      z: [-5, 5]
    answer: exp(-z)/(1+exp(-w))**2
    """
    with pytest.raises(SpecError) as raised:
        checker_for(part)
    assert raised.value.line == 8
    assert "Unknown name 'w'" in raised.value.message


def test_checker_from_yaml_spec(checker_for: Any) -> None:
    checker = checker_for(
        """
        id: "1.7"
        prompt: Enter the gradient.
        type: expression
        variables:
          a_1: [0.01, 0.99]
          y: {values: [0, 1]}
          x: {interval: [-3, 3], shape: [3, 1]}
        answer: (a_1 - y)*x
        mistakes:
          - answer: (y - a_1)*x
            feedback: Check the sign of the gradient.
        """
    )
    assert checker.judge(typed("x(a_1 - y)")).status == "correct"
    assert checker.judge(typed("(y - a_1) x")).feedback == "Check the sign of the gradient."


@pytest.mark.parametrize(
    ("reference", "variables", "options", "description"),
    [
        ("z", {"z": [-5, 5]}, {}, "an expression in z"),
        ("x_1", GRADIENT, {}, "an expression in a_1, y and x_1"),
        ("1", {}, {}, "an expression of constants such as -log(0.2)"),
        ("1", {}, {"form": "exact"}, "an expression of constants such as -log(0.2) in exact form (no decimals)"),
        ("z", {"z": [-5, 5]}, {"form": "exact"}, "an expression in z in exact form (no decimals)"),
        ("x_1", {"x_1": {"interval": [0, 1], "shape": [3, 1]}}, {}, "an expression in x_1 (x_1 is a 3×1 vector)"),
    ],
)
def test_describe_format(reference: str, variables: dict[str, Any], options: dict[str, Any], description: str) -> None:
    assert make_checker(reference, variables, **options).describe_format() == description


@pytest.mark.parametrize(
    ("text", "status", "fragment"),
    [
        ("(a_1 - y)*x_1", "correct", "Correct."),
        ("x_1 (a1 - y)", "correct", "Correct."),
        ("(a_1 - y)*x_1^2", "incorrect", "not equivalent to the correct expression: for example, the two differ at "),
        ("(y - a_1)*x_1", "incorrect", "Check the sign."),
        ("(a_1 - y)*x_2", "invalid", "Unknown name 'x_2'"),
        ("(a_1 - y)*", "invalid", "value is missing after '*'"),
        ("(a_1 - y)x_1)", "invalid", "no matching opening bracket"),
    ],
)
def test_judge_gradient(text: str, status: str, fragment: str) -> None:
    checker = make_checker("(a_1 - y)*x_1", GRADIENT, mistakes=[{"answer": "(y - a_1)*x_1", "feedback": "Check the sign."}])
    verdict = checker.judge(typed(text))
    assert verdict.status == status
    assert fragment in verdict.feedback
    assert (verdict.reading is not None) is (status != "invalid")


def test_reading_shows_interpretation() -> None:
    verdict = make_checker("x/2", {"x": [0, 1]}).judge(typed("1/2x"))
    assert verdict.status == "correct"
    assert verdict.reading is not None
    assert verdict.reading.text == "1/2*x"
    assert verdict.reading.latex == r"\frac{x}{2}"


def test_wrong_shape_feedback() -> None:
    verdict = make_checker("(a_1 - y)*x", VECTOR).judge(typed("a_1 - y"))
    assert verdict.status == "incorrect"
    assert verdict.feedback == "Your answer is a scalar, but the answer should be a 3×1 vector."


def test_undefined_answer_feedback() -> None:
    verdict = make_checker("log(x^2)", {"x": [-2, 2]}).judge(typed("2 log(x)"))
    assert verdict.status == "incorrect"
    assert verdict.feedback.startswith("Your answer is undefined at x = -")


def test_exact_form_keeps_reading() -> None:
    verdict = make_checker("-log(0.2)", {}, form="exact").judge(typed("-log(0.2)"))
    assert verdict.status == "invalid"
    assert "exact form" in verdict.feedback
    assert verdict.reading is not None
    assert verdict.reading.text == "-log(0.2)"


@pytest.mark.parametrize(
    ("answer", "status", "fragment"),
    [
        (Answer(value=[1, 2]), "invalid", "your answer is a list"),
        (Answer(value={"a": 1}), "invalid", "not a single expression"),
        (Answer(value=None), "missing", "No answer"),
        (Answer(value="   ", text="   "), "missing", "No answer"),
        (Answer(value=0.5, text="0.50"), "correct", "Correct."),
        (Answer(value=0.5), "correct", "Correct."),
        (Answer(value=True, text="true"), "invalid", "Unknown name 'true'"),
    ],
)
def test_non_text_answers(answer: Answer, status: str, fragment: str) -> None:
    verdict = make_checker("1/2", {}).judge(answer)
    assert verdict.status == status
    assert fragment in verdict.feedback


def test_repeated_answer_cached() -> None:
    checker = make_checker("o*(1-o)", {"o": [0, 1]})
    first = checker.judge(typed("o - o^2"))
    again = checker.judge(typed("  o -   o^2 "))
    assert again is first
    assert checker._cache.hits == 1


def test_same_reading_shares_verdict() -> None:
    checker = make_checker("o*(1-o)", {"o": [0, 1]})
    first = checker.judge(typed("o(1-o)"))
    second = checker.judge(typed("o*(1 - o)"))
    assert second is first
    assert checker._cache_by_reading.hits == 1


def test_same_answer_same_verdict_across_checkers() -> None:
    answers = ["z^2", "sin(z)", "exp(-z)/(1+exp(-z))"]
    first = make_checker("exp(-z)/(1+exp(-z))**2", {"z": [-5, 5]}, seed=3)
    second = make_checker("exp(-z)/(1+exp(-z))**2", {"z": [-5, 5]}, seed=3)
    for text in answers:
        assert first.judge(typed(text)) == second.judge(typed(text))


def test_sparse_reference_gets_extra_points() -> None:
    checker = make_checker("sqrt(x - 0.9)", {"x": [0, 1]}, samples=12)
    assert checker.points.count == 12
    assert bool((checker.points.values["x"] >= 0.9).all())
    assert checker.judge(typed("(x - 0.9)^(1/2)")).status == "correct"
    assert checker.judge(typed("x - 0.9")).status == "incorrect"


def test_declared_e_shadows_euler() -> None:
    checker = make_checker("e^2", {"e": [1, 2]})
    assert checker.judge(typed("e*e")).status == "correct"
    assert checker.judge(typed("exp(2)")).status == "incorrect"


def test_mistake_of_other_shape() -> None:
    mistakes = [{"answer": "a_1 - y", "feedback": "Multiply by the input vector x."}]
    checker = make_checker("(a_1 - y)*x", VECTOR, mistakes=mistakes)
    assert checker.judge(typed("a_1 - y")).feedback == "Multiply by the input vector x."
    assert checker.judge(typed("y - a_1")).feedback == "Your answer is a scalar, but the answer should be a 3×1 vector."


def test_overlong_answer_not_cached() -> None:
    checker = make_checker("x", {"x": [0, 1]})
    verdict = checker.judge(typed("x+" * 600 + "x"))
    assert verdict.status == "invalid"
    assert "1,201 characters" in verdict.feedback
    assert len(checker._cache) == 0


def test_invalid_reading_not_shared() -> None:
    checker = make_checker("x", {"x": {"interval": [0, 1], "shape": [2, 1]}, "y": {"interval": [0, 1], "shape": [3, 1]}})
    first = checker.judge(typed("x+y"))
    second = checker.judge(typed("x + y"))
    assert first.status == "invalid"
    assert "    x+y\n" in first.feedback
    assert "    x + y\n" in second.feedback
