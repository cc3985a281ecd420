"""The code checker: building cases, validating the part, and judging outcomes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograder.checkers.code import CodeChecker, grade_code_parts
from autograder.errors import SpecError
from autograder.sandbox import CallOutcome, ImportOutcome, open_runner

REFERENCE = """
import numpy as np


def grad(x, y, a):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    return np.zeros_like(x) if y * a > 1 else -y * x


def draw(rng):
    return (rng.normal(size=(3, 1)), 1.0, float(rng.uniform(-1.0, 0.5)))


def draw_number(rng):
    return 5


def total(x):
    return float(np.sum(x))


def flat(x):
    return np.asarray(x, dtype=float).ravel()


def broken(x):
    raise ValueError("bug in the reference")


def nan_output(x):
    return float("nan")
"""

GRAD_PART = """
id: "1"
type: code
prompt: Gradient.
function: grad
shape: [null, 1]
cases:
  - [[[1.0], [2.0]], 1, 0.5]
  - [[[3.0]], -1, 0.25]
random: {generator: draw, count: 3, seed: 4}
"""

OK = ImportOutcome("ok")


@pytest.fixture
def grad_checker(checker_for: Callable[..., CodeChecker]) -> CodeChecker:
    return checker_for(GRAD_PART, REFERENCE)


def ok(value: object) -> CallOutcome:
    return CallOutcome("ok", value=value)


def expected_outcomes(checker: CodeChecker, *, show_hidden: bool = True) -> list[CallOutcome]:
    return [ok(np.array(case.expected)) for case in checker.cases_for(show_hidden=show_hidden)]


# Building the cases.


def test_listed_cases_become_float_arrays_and_numbers(grad_checker: CodeChecker) -> None:
    first = grad_checker.cases[0]
    assert first.args[0].dtype == np.float64
    assert first.args[0].shape == (2, 1)
    assert first.args[1] == 1
    assert first.hidden is False
    assert np.array_equal(first.expected, [[-1.0], [-2.0]])


def test_random_cases_are_hidden_and_reproducible(checker_for: Callable[..., CodeChecker], grad_checker: CodeChecker) -> None:
    again = checker_for(GRAD_PART, REFERENCE)
    random_cases = grad_checker.cases[2:]
    assert len(random_cases) == 3
    assert all(case.hidden for case in random_cases)
    for first, second in zip(random_cases, again.cases[2:]):
        assert np.array_equal(first.args[0], second.args[0])
        assert first.args[2] == second.args[2]


def test_calls_skip_hidden_cases_in_check_mode(grad_checker: CodeChecker) -> None:
    assert len(grad_checker.calls(show_hidden=True)) == 5
    assert len(grad_checker.calls(show_hidden=False)) == 2
    assert grad_checker.calls(show_hidden=False)[0].function == "grad"


def test_part_limits_map_to_sandbox_limits(checker_for: Callable[..., CodeChecker]) -> None:
    checker = checker_for(GRAD_PART + "limits: {call_seconds: 2, memory_mb: 128}\n", REFERENCE)
    assert checker.limits.call_seconds == 2
    assert checker.limits.memory_mb == 128


@pytest.mark.parametrize(
    ("part", "message"),
    [
        ("id: '1'\ntype: code\nprompt: p\nfunction: missing\ncases: [[1]]\n", "no function named 'missing'"),
        ("id: '1'\ntype: code\nprompt: p\nfunction: grad\nrandom: {generator: draw_number}\n", "must return a list or tuple"),
        ("id: '1'\ntype: code\nprompt: p\nfunction: grad\ncases: [[[[1], [2, 3]], 1, 0.5]]\n", "rectangular table"),
        ("id: '1'\ntype: code\nprompt: p\nfunction: grad\ncases: [[[1.0]]]\n", "does not accept"),
        ("id: '1'\ntype: code\nprompt: p\nfunction: broken\ncases: [[1.0]]\n", "raised ValueError on case 1"),
        ("id: '1'\ntype: code\nprompt: p\nfunction: flat\nshape: [null, 1]\ncases: [[[1.0, 2.0]]]\n", r"does not match the part.s shape \(n, 1\)"),
    ],
    ids=["missing-reference", "generator-result", "ragged-case", "arity", "reference-raises", "shape"],
)
def test_invalid_parts_raise_spec_errors(checker_for: Callable[..., CodeChecker], part: str, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        checker_for(part, REFERENCE)


# Judging outcomes.


def test_all_cases_pass(grad_checker: CodeChecker) -> None:
    verdict = grad_checker.verdict(OK, expected_outcomes(grad_checker), module="hw", show_hidden=True)
    assert verdict.status == "correct"
    assert verdict.fraction == 1.0
    assert verdict.feedback == "Passed 5 of 5 test cases."


def test_score_is_share_of_cases_passed(grad_checker: CodeChecker) -> None:
    outcomes = expected_outcomes(grad_checker)
    outcomes[0] = ok(None)
    outcomes[4] = CallOutcome("timeout", message="this call did not finish within the time limit of 5 s")
    verdict = grad_checker.verdict(OK, outcomes, module="hw", show_hidden=True)
    assert verdict.status == "partial"
    assert verdict.fraction == pytest.approx(0.6)
    assert "Case 1 failed: returned None; did you forget a return statement?" in verdict.feedback
    assert "Hidden case 5 failed: timed out." in verdict.feedback


@pytest.mark.parametrize(
    ("returned", "advice"),
    [
        (np.array([-1.0, -2.0]), "returned an array of shape (2,); return a column vector of shape (2, 1), e.g. with .reshape(-1, 1)."),
        (np.array([[-1.0, -2.0]]), "the transpose of the expected column vector of shape (2, 1)"),
        (np.array([[-1.0], [-2.0], [0.0]]), "returned an array of shape (3, 1); expected shape (2, 1)."),
        (3.0, "returned a number; return an array of shape (2, 1)."),
        ([[-1.0], [-2.0, 1.0]], "not a rectangular table of numbers"),
        ("text", "returned the string 'text'"),
        (True, "returned the bool True"),
    ],
    ids=["flat", "row", "long", "number", "ragged", "string", "bool"],
)
def test_wrong_shapes_and_types_explained(grad_checker: CodeChecker, returned: object, advice: str) -> None:
    outcomes = expected_outcomes(grad_checker)
    outcomes[0] = ok(returned)
    verdict = grad_checker.verdict(OK, outcomes, module="hw", show_hidden=True)
    assert advice in verdict.feedback
    assert verdict.fraction == pytest.approx(0.8)


def test_list_of_lists_is_accepted_as_an_array(grad_checker: CodeChecker) -> None:
    outcomes = expected_outcomes(grad_checker)
    outcomes[0] = ok([[-1.0], [-2.0]])
    assert grad_checker.verdict(OK, outcomes, module="hw", show_hidden=True).fraction == 1.0


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_and_infinity_fail(grad_checker: CodeChecker, bad: float) -> None:
    outcomes = expected_outcomes(grad_checker)
    outcomes[0] = ok(np.array([[bad], [-2.0]]))
    assert grad_checker.verdict(OK, outcomes, module="hw", show_hidden=True).fraction == pytest.approx(0.8)


def test_nan_from_the_reference_never_matches(checker_for: Callable[..., CodeChecker]) -> None:
    checker = checker_for("id: '1'\ntype: code\nprompt: p\nfunction: nan_output\ncases: [[1.0]]\n", REFERENCE)
    verdict = checker.verdict(OK, [ok(float("nan"))], module="hw", show_hidden=True)
    assert verdict.fraction == 0.0


def test_tolerance_follows_rtol_and_atol(checker_for: Callable[..., CodeChecker]) -> None:
    checker = checker_for("id: '1'\ntype: code\nprompt: p\nfunction: total\nrtol: 0.01\ncases: [[[1.0, 2.0]]]\n", REFERENCE)
    assert checker.verdict(OK, [ok(3.02)], module="hw", show_hidden=True).fraction == 1.0
    assert checker.verdict(OK, [ok(3.1)], module="hw", show_hidden=True).fraction == 0.0


def test_visible_failure_shows_inputs_expected_and_actual(grad_checker: CodeChecker) -> None:
    outcomes = expected_outcomes(grad_checker)
    outcomes[1] = ok(np.array([[9.0]]))
    feedback = grad_checker.verdict(OK, outcomes, module="hw", show_hidden=True).feedback
    assert "Case 2 failed: returned wrong values" in feedback
    assert "Inputs: x = [[3.]] (shape (1, 1)), y = -1, a = 0.25" in feedback
    assert "Expected: [[3.]] (shape (1, 1))" in feedback
    assert "Your function returned: [[9.]] (shape (1, 1))" in feedback


def test_exception_shows_message_and_traceback(grad_checker: CodeChecker) -> None:
    outcomes = expected_outcomes(grad_checker)
    outcomes[0] = CallOutcome(
        "error", message="bad shape", exception="ValueError", traceback='  File "hw.py", line 3, in grad\n    raise ValueError("bad shape")'
    )
    feedback = grad_checker.verdict(OK, outcomes, module="hw", show_hidden=True).feedback
    assert "Case 1 failed: your function raised ValueError: bad shape." in feedback
    assert 'File "hw.py", line 3, in grad' in feedback


def test_hidden_failure_reveals_only_its_kind(grad_checker: CodeChecker) -> None:
    outcomes = expected_outcomes(grad_checker)
    outcomes[3] = ok(np.array([[123.0], [456.0], [789.0]]))
    feedback = grad_checker.verdict(OK, outcomes, module="hw", show_hidden=True).feedback
    assert "Hidden case 4 failed: wrong values." in feedback
    assert "123" not in feedback
    assert "Inputs" not in feedback


@pytest.mark.parametrize(
    ("exception", "kind"),
    [
        ("ZeroDivisionError", "raised ZeroDivisionError"),
        ("LEAK x=[0.5975, -0.5483] y=1.0", "raised an exception of a class from your code"),
        ("numpy.linalg.LinAlgError", "raised an exception of a class from your code"),
    ],
)
def test_hidden_exception_names_cannot_carry_inputs(grad_checker: CodeChecker, exception: str, kind: str) -> None:
    outcomes = expected_outcomes(grad_checker)
    outcomes[3] = CallOutcome("error", exception=exception, message="secret 0.5975")
    feedback = grad_checker.verdict(OK, outcomes, module="hw", show_hidden=True).feedback
    assert f"Hidden case 4 failed: {kind}." in feedback
    assert "0.5975" not in feedback


@pytest.mark.parametrize(
    "message",
    [
        "not run, because a call of grad timed out, and so did its last case",
        "not run, because 3 calls of grad in a row crashed, and so did its last case",
    ],
)
def test_skipped_after_failures_says_why(grad_checker: CodeChecker, message: str) -> None:
    outcomes = expected_outcomes(grad_checker)
    outcomes[4] = CallOutcome("not_run", message=message)
    feedback = grad_checker.verdict(OK, outcomes, module="hw", show_hidden=True).feedback
    assert f"Hidden case 5 failed: {message}." in feedback


def test_check_mode_counts_hidden_cases(grad_checker: CodeChecker) -> None:
    outcomes = expected_outcomes(grad_checker, show_hidden=False)
    verdict = grad_checker.verdict(OK, outcomes, module="hw", show_hidden=False)
    assert verdict.fraction == 1.0
    assert "Passed 2 of 2 test cases." in verdict.feedback
    assert "3 hidden test cases run only at grading." in verdict.feedback


def test_outcome_count_must_match(grad_checker: CodeChecker) -> None:
    with pytest.raises(ValueError, match="expected 5 outcomes"):
        grad_checker.verdict(OK, [], module="hw", show_hidden=True)


@pytest.mark.parametrize(
    ("outcome", "status", "text"),
    [
        (ImportOutcome("missing_module", message="no module named hw"), "missing", "has no hw.py"),
        (ImportOutcome("syntax_error", message="line 2: invalid syntax"), "error", "syntax error"),
        (ImportOutcome("exception", message="boom", exception="RuntimeError", traceback='  File "hw.py", line 1'), "error", "RuntimeError: boom"),
        (ImportOutcome("timeout", message="the import did not finish"), "timeout", "timed out"),
        (ImportOutcome("ok", missing_functions=("grad",)), "missing", "defines no function named grad"),
    ],
    ids=["missing-module", "syntax", "exception", "timeout", "missing-function"],
)
def test_import_failures_cost_the_part(grad_checker: CodeChecker, outcome: ImportOutcome, status: str, text: str) -> None:
    not_run = [CallOutcome("not_run")] * 5
    verdict = grad_checker.verdict(outcome, not_run, module="hw", show_hidden=True)
    assert verdict.status == status
    assert verdict.fraction == 0.0
    assert text in verdict.feedback


def test_answers_file_entry_is_rejected(grad_checker: CodeChecker) -> None:
    from autograder.checkers.base import Answer

    verdict = grad_checker.judge(Answer(value="x"))
    assert verdict.status == "invalid"


# Through a real runner.


@dataclass(frozen=True)
class FakeSubmission:
    files: dict[str, str] = field(default_factory=dict)
    undecodable_files: tuple[str, ...] = ()


def test_grade_code_parts_runs_the_module(grad_checker: CodeChecker) -> None:
    source = "import numpy as np\ndef grad(x, y, a):\n    return np.zeros_like(x) if y * a > 1 else -y * x\n"
    submission = FakeSubmission({"hw.py": source, "../escape.py": "x = 1\n"})
    with open_runner("process") as runner:
        verdicts = grade_code_parts([grad_checker], submission, module_file="hw.py", runner=runner, include_hidden=True)
    assert verdicts["1"].status == "correct"


def test_grade_code_parts_needs_a_module_file(grad_checker: CodeChecker) -> None:
    with open_runner("process") as runner:
        verdicts = grade_code_parts([grad_checker], FakeSubmission(), module_file=None, runner=runner, include_hidden=True)
    assert verdicts["1"].status == "error"
    assert "names no student module" in verdicts["1"].feedback


PRINTING_SOURCE = (
    "import numpy as np\n"
    "print('module loaded')\n"
    "def grad(x, y, a):\n"
    "    print('called with', y, a)\n"
    "    return np.zeros_like(x) if y * a > 1 else -y * x\n"
)


def test_check_mode_shows_printed_output(grad_checker: CodeChecker) -> None:
    with open_runner("process") as runner:
        verdicts = grade_code_parts(
            [grad_checker], FakeSubmission({"hw.py": PRINTING_SOURCE}), module_file="hw.py", runner=runner, include_hidden=False
        )
    feedback = verdicts["1"].feedback
    assert verdicts["1"].status == "correct"
    assert "Your code printed:" in feedback
    assert "  | module loaded" in feedback
    assert "  | called with 1 0.5" in feedback


def test_grading_hides_printed_output(grad_checker: CodeChecker) -> None:
    with open_runner("process") as runner:
        verdicts = grade_code_parts(
            [grad_checker], FakeSubmission({"hw.py": PRINTING_SOURCE}), module_file="hw.py", runner=runner, include_hidden=True
        )
    assert verdicts["1"].status == "correct"
    assert "printed" not in verdicts["1"].feedback
    assert "called with" not in verdicts["1"].feedback


def test_module_that_is_not_utf8_says_so(grad_checker: CodeChecker) -> None:
    submission = FakeSubmission({}, undecodable_files=("hw.py",))
    with open_runner("process") as runner:
        verdicts = grade_code_parts([grad_checker], submission, module_file="hw.py", runner=runner, include_hidden=True)
    assert verdicts["1"].status == "missing"
    assert verdicts["1"].feedback == "Your hw.py is not UTF-8 text, so it could not be read. Save it as UTF-8 and submit it again."


def test_misnamed_module_gets_a_hint(grad_checker: CodeChecker) -> None:
    source = "import numpy as np\ndef grad(x, y, a):\n    return -y * x\n"
    with open_runner("process") as runner:
        verdicts = grade_code_parts([grad_checker], FakeSubmission({"hw_.py": source}), module_file="hw.py", runner=runner, include_hidden=True)
    assert verdicts["1"].status == "missing"
    assert verdicts["1"].feedback.endswith("Your submission has hw_.py: rename it to hw.py.")


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (1.0, 1.0 + 1e-7),
        (1.0, 1.0 + 1e-5),
        (0.0, 1e-10),
        (0.0, 1e-8),
        (np.inf, np.inf),
        (-np.inf, np.inf),
        (np.inf, 1e308),
        (1e308, np.inf),
        (1.0, np.nan),
        (np.array([[1.0], [2.0]]), np.array([[1.0], [2.0000001]])),
        (np.array([[1.0], [2.0]]), np.array([[1.0], [2.1]])),
        (np.array([1, 2, 3]), np.array([1.0, 2.0, 3.0])),
        (np.array([2**62, 1]), np.array([2.0**62, 1.0])),
        (np.array([1 + 0j, 2]), np.array([1.0, 2.0])),
        (np.array([1 + 1e-3j, 2]), np.array([1.0, 2.0])),
    ],
)
def test_all_close_agrees_with_numpy(actual: object, expected: object) -> None:
    from autograder.checkers.code import _all_close

    actual_array = np.asarray(actual)
    expected_value = expected if isinstance(expected, np.ndarray) else float(expected)  # type: ignore[arg-type]
    numpy_result = bool(np.allclose(actual_array, expected_value, rtol=1e-6, atol=1e-9, equal_nan=False))
    assert _all_close(actual_array, expected_value, rtol=1e-6, atol=1e-9) is numpy_result


def test_calls_built_once_as_new_lists(grad_checker: CodeChecker) -> None:
    first = grad_checker.calls(show_hidden=True)
    first.clear()
    second = grad_checker.calls(show_hidden=True)
    assert len(second) == len(grad_checker.cases)
    assert second == grad_checker.calls(show_hidden=True)
    assert len(grad_checker.calls(show_hidden=False)) == sum(not case.hidden for case in grad_checker.cases)


@given(
    # Sizes on both sides of MAX_LOOPED_ELEMENTS (64), where the comparison switches to numpy.
    arrays=st.sampled_from([1, 2, 3, 6, 64, 65]).flatmap(
        lambda size: st.tuples(
            st.lists(st.floats(allow_nan=True, width=64), min_size=size, max_size=size),
            st.lists(st.floats(allow_nan=True, width=64), min_size=size, max_size=size),
        )
    )
)
def test_all_close_agrees_with_numpy_on_random_arrays(arrays: tuple[list[float], list[float]]) -> None:
    from autograder.checkers.code import _all_close

    actual, expected = (np.array(values) for values in arrays)
    with np.errstate(all="ignore"):
        numpy_result = bool(np.allclose(actual, expected, rtol=1e-6, atol=1e-9, equal_nan=False))
    assert _all_close(actual, expected, rtol=1e-6, atol=1e-9) is numpy_result
