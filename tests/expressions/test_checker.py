"""ExpressionChecker: spec validation, formats, right, wrong and malformed answers, caching."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from autograder.checkers import expression as expression_checker
from autograder.checkers.base import Answer
from autograder.errors import SpecError

from .support import make_checker, typed

GRADIENT = {"a_1": [0.01, 0.99], "y": {"values": [0, 1]}, "x_1": [-3, 3]}
VECTOR = {"a_1": [0.01, 0.99], "y": {"values": [0, 1]}, "x": {"interval": [-3, 3], "shape": [3, 1]}}


@pytest.mark.parametrize(
    ("answer", "variables", "options", "fragment"),
    [
        ("x + q", {"x": [0, 1]}, {}, "the reference answer 'x + q' does not parse at column 5: Unknown name 'q'."),
        ("(x", {"x": [0, 1]}, {}, "never closed"),
        ("log(x)", {"x": [-2, -1]}, {}, "undefined (or infinite, or too large to evaluate even with 30 digits) at every sample point"),
        # The sine of e^710 and more is beyond what the 30-digit evaluation takes on.
        ("sin(exp(x))^2", {"x": [710, 720]}, {}, "too large to evaluate even with 30 digits) at every sample point"),
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


@pytest.mark.parametrize(
    ("answer", "options", "message"),
    [
        ("exp(-z)/(1 + exp(-z)", {}, "the reference answer 'exp(-z)/(1 + exp(-z)' does not parse at column 9: This '(' is never closed: add a ')'."),
        ("z", {"mistakes": [{"answer": "z +", "feedback": "No."}]}, "mistake 1 'z +' does not parse at column 4: A value is missing after '+'."),
        ("", {}, "the reference answer '' does not parse: Your answer is empty."),
    ],
)
def test_spec_parse_error_is_one_line(answer: str, options: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError) as raised:
        make_checker(answer, {"z": [-5, 5]}, **options)
    assert "\n" not in str(raised.value)
    assert raised.value.message.endswith(message)


@pytest.mark.parametrize(
    ("answer", "variables", "options", "constant"),
    [
        ("exp(-z)/(1 + exp(-z))**2", {"z": [-800, 800]}, {}, "0"),
        ("1e-18", {}, {}, "0"),
        ("1e-12 * x", {"x": [-1, 1]}, {}, "0"),
        ("1 + 1e-9*x", {"x": [-1, 1]}, {}, "1"),
        ("1.0000001", {}, {}, "1"),
    ],
)
def test_trivial_constant_accepted_is_spec_error(
    answer: str, variables: dict[str, Any], options: dict[str, Any], constant: str
) -> None:
    with pytest.raises(SpecError) as raised:
        make_checker(answer, variables, **options)
    assert raised.value.part == "1.1"
    assert raised.value.message.startswith(f"the answer {constant} would be accepted")
    assert "Set a smaller atol (or rtol), or a narrower domain for the variables." in raised.value.message


@pytest.mark.parametrize(
    ("answer", "variables", "options"),
    [
        ("exp(-z)/(1 + exp(-z))**2", {"z": [-6, 6]}, {}),
        ("exp(-z)/(1 + exp(-z))**2", {"z": [-800, 800]}, {"atol": 0}),
        ("0", {"x": [-1, 1]}, {}),
        ("1", {}, {}),
        ("x - x", {"x": [-1, 1]}, {}),
        ("sin(pi)", {}, {}),
        ("sin(x)^2 + cos(x)^2", {"x": [-1, 1]}, {}),
        ("1e-18", {}, {"atol": 0}),
        ("exp(-exp(z))", {"z": [5, 10]}, {"atol": 0}),
    ],
)
def test_reference_equal_to_constant_is_fine(answer: str, variables: dict[str, Any], options: dict[str, Any]) -> None:
    assert make_checker(answer, variables, **options).reference.defined.any()


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
        ("1", {}, {}, "an expression of constants such as sqrt(2)/3"),
        ("1", {}, {"form": "exact"}, "an expression of constants such as sqrt(2)/3 in exact form (no decimals)"),
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


def test_em_space_answer_does_not_poison_cache() -> None:
    checker = make_checker("1-a", {"a": [0.01, 0.99]})
    em_spaced = checker.judge(typed("1\u2003-\u2003a"))
    plain = checker.judge(typed("1 - a"))
    assert em_spaced.status == "invalid"
    assert "U+2003 (EM SPACE)" in em_spaced.feedback
    assert plain.status == "correct"


def test_overflowing_answer_from_the_qa_report() -> None:
    checker = make_checker("exp(-z)/(1 + exp(-z))**2", {"z": [-6, 6]})
    verdict = checker.judge(
        typed(
            "e^-z/(1+e^-z)^2 + 0*exp(exp(exp(z))) + "
            "0*((123456789012345678901234567890/123456789012345678901234567891)^1000)^1000"
        )
    )
    assert verdict.status == "invalid"
    assert "too large to compute exactly" in verdict.feedback
    assert checker.judge(typed("e^-z/(1+e^-z)^2 + 0*exp(exp(exp(z)))")).status == "correct"


def test_overflow_without_proof_is_incorrect() -> None:
    checker = make_checker("exp(-z)", {"z": [3, 4]})
    verdict = checker.judge(typed("exp(-z) + exp(exp(exp(z)))"))
    assert verdict.status == "incorrect"
    assert verdict.feedback.startswith("Your answer cannot be evaluated at z = ")
    assert "too large even for the grader's 30-digit arithmetic" in verdict.feedback
    assert "differ" not in verdict.feedback


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        # Floats overflow to NaN and 30 digits give up on the sine of e^400000, so SymPy decides.
        ("exp(-z)/(1+exp(-z))^2 + 0*sin(exp(400000+z))", "correct"),
        ("sin(exp(200000+z))", "incorrect"),
        # A real difference of 1e-3 under cancelling terms near 10^301 is shown with about 340 digits.
        ("exp(-z)/(1+exp(-z))^2 + 0.001 + (z+10)^250 - (z+10)^250", "incorrect"),
    ],
)
def test_answers_beyond_floats_are_decided(answer: str, status: str) -> None:
    verdict = make_checker("exp(-z)/(1 + exp(-z))**2", {"z": [-6, 6]}).judge(typed(answer))
    assert verdict.status == status


def test_overflow_message_names_huge_sine() -> None:
    verdict = make_checker("exp(-z)/(1 + exp(-z))**2", {"z": [-6, 6]}).judge(typed("sin(exp(200000+z))"))
    assert "the sine, cosine or tangent of one beyond about 10^308" in verdict.feedback
    assert "differ" not in verdict.feedback


def test_symbolic_timeout_is_flagged_for_review(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(expression_checker, "SYMBOLIC_TIME_LIMIT", 1e-6)
    checker = make_checker("exp(-z)/(1 + exp(-z))**2", {"z": [-6, 6]})
    verdict = checker.judge(typed("e^-z/(1+e^-z)^2 + 0*exp(exp(exp(exp(z))))"))
    assert verdict.status == "error"
    assert verdict.fraction == 0.0
    assert verdict.feedback.startswith("The grader could not decide whether your answer is correct: part of it is too large to evaluate at z = ")
    assert "the symbolic check ran out of its 1e-06-second time limit" in verdict.feedback
    assert "your instructor sees for review" in verdict.feedback
    assert verdict.reading is not None


@pytest.mark.parametrize(
    ("reference", "variables", "options", "answer", "feedback"),
    [
        ("-log(0.2)", {}, {}, "1.6094", "Your answer is close to the correct value but not accurate enough: give at least 7 significant digits, or an exact expression."),
        ("-log(0.2)", {}, {}, "1.61", "Your answer is close to the correct value but not accurate enough: give at least 7 significant digits, or an exact expression."),
        ("pi", {}, {}, "3.14", "Your answer is close to the correct value but not accurate enough: give at least 7 significant digits, or an exact expression."),
        ("e**2/(1+e**2)", {}, {"rtol": 1e-5}, "0.881", "Your answer is close to the correct value but not accurate enough: give at least 6 significant digits, or an exact expression."),
        ("pi*x", {"x": [1, 2]}, {}, "3.1416*x", "Your answer is close to the correct expression at every point checked, but not within the tolerance: this part needs about 7 significant digits. Check for a rounded constant, such as 3.14 for pi."),
        ("0.5", {}, {}, "0.49", "Your answer is not equivalent to the correct expression."),
        ("-log(0.2)", {}, {}, "5", "Your answer is not equivalent to the correct expression."),
        ("pi*x", {"x": [1, 2]}, {}, "3.14*x", "Your answer is not equivalent to the correct expression: for example, the two differ at x = "),
        ("1e-3", {}, {"rtol": 0, "atol": 1e-6}, "0.00101", "Your answer is close to the correct value but not accurate enough: it must be within 1e-06 of the correct value."),
    ],
)
def test_near_miss_feedback(
    reference: str, variables: dict[str, Any], options: dict[str, Any], answer: str, feedback: str
) -> None:
    verdict = make_checker(reference, variables, **options).judge(typed(answer))
    assert verdict.status == "incorrect"
    assert verdict.feedback.startswith(feedback)


@pytest.mark.parametrize(
    ("variables", "answer", "fragment"),
    [
        ({"o": [0.01, 0.99]}, "σ(z)", "'σ' was read as sigma, and sigma is not a variable or function of this part. The variables of this part are o."),
        ({"z": [-5, 5]}, "nan", "'nan' stands for NaN (not a number), which is not a number that can be graded"),
        ({"z": [-5, 5]}, "inf", "'inf' stands for infinity, which is not a number that can be graded"),
        ({"w_01": [-2, 2], "w_11": [-2, 2], "w_21": [-2, 2], "w_02": [-2, 2], "w_12": [-2, 2], "w_22": [-2, 2]}, "w_10", "Did you mean 'w_01'?"),
        ({"x": [0.1, 3]}, "√x^2", "This '^' after √x is ambiguous"),
    ],
)
def test_invalid_answer_messages(variables: dict[str, Any], answer: str, fragment: str) -> None:
    reference = next(iter(variables))
    verdict = make_checker(reference, variables).judge(typed(answer))
    assert verdict.status == "invalid"
    assert fragment in verdict.feedback


def test_invalid_reading_not_shared() -> None:
    checker = make_checker("x", {"x": {"interval": [0, 1], "shape": [2, 1]}, "y": {"interval": [0, 1], "shape": [3, 1]}})
    first = checker.judge(typed("x+y"))
    second = checker.judge(typed("x + y"))
    assert first.status == "invalid"
    assert "    x+y\n" in first.feedback
    assert "    x + y\n" in second.feedback


def test_wrong_scientific_literal_explains_reading() -> None:
    verdict = make_checker("2*e - 3", {}).judge(typed("2e-3"))
    assert verdict.status == "incorrect"
    assert "2e-3 was read as scientific notation, 0.002; for 2·e - 3, write 2*e - 3." in verdict.feedback


def test_right_scientific_literal_has_no_note() -> None:
    verdict = make_checker("0.002", {}).judge(typed("2e-3"))
    assert verdict.status == "correct"
    assert "scientific" not in verdict.feedback


@pytest.mark.parametrize(
    ("text", "status", "note"),
    [
        ("-ln(0,2)", "incorrect", " Note: a comma separates the arguments of a function. If 0,2 is meant as a decimal, write 0.2."),
        ("log(10,2)", "incorrect", "If 10,2 is meant as a decimal, write 10.2."),
        ("0,5", "invalid", "Type a single expression. If 0,5 is meant as a decimal, write 0.5.\n    0,5\n"),
        ("0,2x", "invalid", "If 0,2 is meant as a decimal, write 0.2."),
    ],
)
def test_decimal_comma_gets_note(text: str, status: str, note: str) -> None:
    verdict = make_checker("-log(0.2)", {}).judge(typed(text))
    assert verdict.status == status
    assert note in verdict.feedback


@pytest.mark.parametrize("text", ["log(8, 2)", "-ln(0.2)", "log(x,2)", "1,000", "log(25,000)"])
def test_comma_between_arguments_has_no_note(text: str) -> None:
    verdict = make_checker("-log(0.2)", {"x": [1, 2]}).judge(typed(text))
    assert "For a decimal" not in verdict.feedback


@pytest.mark.parametrize("text", ["sin²(t)", "sin^(2)(t)", "sin^2(t)"])
def test_superscript_power_of_function(text: str) -> None:
    verdict = make_checker("sin(t)^2", {"t": [-3, 3]}).judge(typed(text))
    assert verdict.status == "correct"
    assert verdict.reading.text == "sin(t)^2"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("1000000000e300", "too large"),
        ("x*1000000000e300", "too large"),
        ("√1000000000e300", "too large"),
        ("(1000000000e300", "never closed"),
    ],
)
def test_literal_beyond_float_range_gets_message(answer: str, message: str) -> None:
    # The literal is above the largest float: judging it reports the size or the syntax, whatever the path.
    checker = make_checker("x^2", {"x": [0, 1]})
    verdict = checker.judge(typed(answer))
    assert verdict.status == "invalid"
    assert message in verdict.feedback


def test_same_variables_share_names() -> None:
    first = make_checker("(a_1 - y)*x_1", GRADIENT)
    second = make_checker("a_1*x_1", GRADIENT)
    other = make_checker("x_1", {"x_1": [-3, 3]})
    assert first.names is second.names
    assert other.names is not first.names
    # A spelling that one part's answers teach the shared token table reads the same in the other.
    assert first.judge(typed("(a_{1} - y) x_{1}")).status == "correct"
    assert second.judge(typed("a_{1} x_{1}")).status == "correct"
    assert second.judge(typed("a_{1} y")).status == "incorrect"
    assert other.judge(typed("a_{1}")).status == "invalid"


def test_huge_reference_warns_nothing() -> None:
    # A loose tolerance on values near the largest float makes the allowed difference overflow when scaled.
    checker = make_checker("exp(x)", {"x": [700, 709]}, rtol=0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        verdict = checker.judge(typed("x^2"))
    assert verdict.status == "incorrect"
