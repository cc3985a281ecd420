"""Number and matrix checkers: tolerances, decimals, shapes and messages."""

from __future__ import annotations

import pytest

from tests.conftest import answer

NUMBER = """
id: "n"
type: number
prompt: p
answer: 0.66524096
"""

MATRIX_4x3 = """
id: "m"
type: matrix
prompt: p
answer: [[0, 0, 0], [0, 1, 0], [0, 0, 2], [0, 0, 0]]
"""


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (0.66524096, "correct"),
        (0.66525, "correct"),
        ("0.66524", "correct"),
        ("  0.665241 ", "correct"),
        (0.7, "incorrect"),
        (0.6652, "correct"),
        (0.665, "incorrect"),
        (True, "invalid"),
        ("abc", "invalid"),
        ("66.5%", "invalid"),
        ("0,665", "invalid"),
        ([0.665], "invalid"),
        (float("nan"), "invalid"),
        (float("inf"), "invalid"),
    ],
)
def test_number_verdicts(checker_for, value, status):
    checker = checker_for(NUMBER)
    assert checker.judge(answer(value)).status == status


def test_number_close_answer_gets_hint(checker_for):
    verdict = checker_for(NUMBER).judge(answer(0.665))
    assert "Close" in verdict.feedback


def test_number_percent_message_says_plain_number(checker_for):
    verdict = checker_for(NUMBER).judge(answer("66.5%"))
    assert "plain number" in verdict.feedback


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (0.95, "correct"),
        (0.955, "correct"),
        (0.9549, "correct"),
        (0.96, "incorrect"),
        (0.94, "incorrect"),
    ],
)
def test_number_decimals(checker_for, value, status):
    checker = checker_for(
        """
        id: "d"
        type: number
        prompt: p
        answer: 0.9549847
        decimals: 2
        """
    )
    assert checker.judge(answer(value)).status == status


def test_number_mistake_feedback(checker_for):
    checker = checker_for(
        """
        id: "n"
        type: number
        prompt: p
        answer: 1.5
        mistakes:
          - answer: -1.5
            feedback: Check the sign.
        """
    )
    verdict = checker.judge(answer(-1.5))
    assert verdict.status == "incorrect"
    assert verdict.feedback == "Check the sign."


def test_number_rejects_text_without_expressions(checker_for):
    checker = checker_for(
        """
        id: "n"
        type: number
        prompt: p
        answer: 2
        allow_expressions: false
        """
    )
    verdict = checker.judge(answer("1+1"))
    assert verdict.status == "invalid"
    assert "not a number" in verdict.feedback


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ([[0, 0, 0], [0, 1, 0], [0, 0, 2], [0, 0, 0]], "correct"),
        ("[[0, 0, 0], [0, 1, 0], [0, 0, 2], [0, 0, 0]]", "correct"),
        ("np.array([[0, 0, 0], [0, 1, 0], [0, 0, 2], [0, 0, 0]])", "correct"),
        ("[[0 0 0], [0 1 0], [0 0 2], [0 0 0]]", "correct"),
        ([[0, 0, 0], [0, 1, 0], [0, 0, 3], [0, 0, 0]], "incorrect"),
        ([[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 2, 0]], "incorrect"),
        ([[0, 0], [0, 1]], "incorrect"),
        ([[0, 0, 0], [0, 1], [0, 0, 2], [0, 0, 0]], "invalid"),
        ([], "invalid"),
        ("[[0, 0, 0], [0, 1, 0]", "invalid"),
        ([[0, "x", 0], [0, 1, 0], [0, 0, 2], [0, 0, 0]], "invalid"),
        (3, "invalid"),
    ],
)
def test_matrix_verdicts(checker_for, value, status):
    assert checker_for(MATRIX_4x3).judge(answer(value)).status == status


def test_matrix_transpose_message(checker_for):
    verdict = checker_for(MATRIX_4x3).judge(answer([[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 2, 0]]))
    assert "transposed" in verdict.feedback
    assert "entries are right" in verdict.feedback


def test_matrix_transpose_with_wrong_entries(checker_for):
    verdict = checker_for(MATRIX_4x3).judge(answer([[0, 0, 0, 0], [0, 9, 0, 0], [0, 0, 2, 0]]))
    assert "transposed" in verdict.feedback
    assert "entries are right" not in verdict.feedback


def test_matrix_ragged_rows_message(checker_for):
    verdict = checker_for(MATRIX_4x3).judge(answer([[0, 0, 0], [0, 1], [0, 0, 2], [0, 0, 0]]))
    assert "row 2 has 2" in verdict.feedback


def test_matrix_wrong_entry_position(checker_for):
    verdict = checker_for(MATRIX_4x3).judge(answer([[0, 0, 0], [0, 1, 0], [0, 0, 3], [0, 0, 0]]))
    assert verdict.feedback == "One entry is not correct: row 3, column 3."


@pytest.mark.parametrize("value", [[[0.1], [0.2], [0.7]], [[0.1, 0.2, 0.7]], [0.1, 0.2, 0.7]])
def test_vector_accepts_row_or_column(checker_for, value):
    checker = checker_for(
        """
        id: "v"
        type: matrix
        prompt: p
        answer: [0.1, 0.2, 0.7]
        """
    )
    assert checker.judge(answer(value)).status == "correct"


def test_matrix_decimals(checker_for):
    checker = checker_for(
        """
        id: "w"
        type: matrix
        prompt: p
        answer: [[0.8776357, -0.8326204], [-1.1223642, 0.9549847]]
        decimals: 2
        """
    )
    assert checker.judge(answer([[0.88, -0.83], [-1.12, 0.95]])).status == "correct"
    assert checker.judge(answer([[0.88, -0.83], [-1.12, 0.96]])).status == "incorrect"


def test_matrix_nan_never_matches(checker_for):
    checker = checker_for(
        """
        id: "v"
        type: matrix
        prompt: p
        answer: [1.0, 2.0]
        """
    )
    assert checker.judge(answer([".nan", 2.0])).status == "invalid"
    assert checker.judge(answer([float("nan"), 2.0])).status == "invalid"


PROPERTY_REFERENCE = """
import numpy as np

def on_line(points):
    if not np.allclose(points[0], 1.0):
        return False, "Every column needs x_1 = 1."
    if len({tuple(column) for column in points.T}) < points.shape[1]:
        return False, "The points must be different."
    return True

def sample():
    return [[1, 1, 1, 1], [0, 1, 2, 3]]
"""


@pytest.mark.parametrize(
    ("value", "status", "feedback"),
    [
        ([[1, 1, 1, 1], [5, 6, 7, 8]], "correct", "Correct."),
        ([[1, 1, 1, 1], [5, 5, 7, 8]], "incorrect", "The points must be different."),
        ([[1, 2, 1, 1], [5, 6, 7, 8]], "incorrect", "Every column needs x_1 = 1."),
        ([[1, 5], [1, 6], [1, 7], [1, 8]], "incorrect", None),
    ],
)
def test_matrix_property_check(checker_for, value, status, feedback):
    checker = checker_for(
        """
        id: "p"
        type: matrix
        prompt: p
        shape: [2, 4]
        answer_from: sample
        check: on_line
        """,
        reference=PROPERTY_REFERENCE,
    )
    verdict = checker.judge(answer(value))
    assert verdict.status == status
    if feedback is not None:
        assert verdict.feedback == feedback


@pytest.mark.parametrize(
    "value",
    [
        ["0.0900 0.2447 0.6652"],
        "[0.0900 0.2447 0.6652]",
        [["0.0900 0.2447 0.6652"]],
        "np.array([0.0900, 0.2447, 0.6652])",
        ["e^(-1)/(e^(-1) + 1 + e)", "1/(e^(-1) + 1 + e)", "e/(e^(-1) + 1 + e)"],
        "[e^(-1)/(e^(-1) + 1 + e), 1/(e^(-1) + 1 + e), e/(e^(-1) + 1 + e)]",
    ],
)
def test_vector_layouts_students_type(checker_for, value):
    checker = checker_for(
        """
        id: "v"
        type: matrix
        prompt: p
        answer: [0.09003057, 0.24472847, 0.66524096]
        rtol: 1.0e-3
        """
    )
    assert checker.judge(answer(value)).status == "correct"


def test_spaced_negative_entries_are_split(checker_for):
    checker = checker_for(
        """
        id: "m"
        type: matrix
        prompt: p
        answer: [[0.2447, -0.3348, 0.0900]]
        """
    )
    assert checker.judge(answer([["0.2447 -0.3348 0.0900"]])).status == "correct"


def test_spaced_expression_stays_one_entry(checker_for):
    checker = checker_for(
        """
        id: "m"
        type: matrix
        prompt: p
        answer: [[0.2447, 0.5]]
        """
    )
    assert checker.judge(answer("[[1 - 0.7553, 0.5]]")).status == "correct"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[0.09; 0.24; 0.67]", "not semicolons"),
        ("[(1, 1), (-1, 1), (-1, -1)]", "not in parentheses"),
        ("[&x [1, *x]]", "alias"),
        ("[" * 500 + "]" * 500, "nest"),
    ],
)
def test_list_text_problems_are_explained(checker_for, value, message):
    checker = checker_for(
        """
        id: "v"
        type: matrix
        prompt: p
        answer: [0.1, 0.2, 0.7]
        """
    )
    verdict = checker.judge(answer(value))
    assert verdict.status == "invalid"
    assert message in verdict.feedback


def test_yaml_bool_message_uses_typed_text(checker_for):
    from autograder.checkers.base import Answer

    verdict = checker_for(NUMBER).judge(Answer(value=True, text="yes"))
    assert verdict.feedback == "'yes' is not a number."


def test_property_check_must_return_bool(checker_for):
    from autograder.errors import SpecError

    checker = checker_for(
        """
        id: "p"
        type: matrix
        prompt: p
        shape: [2]
        answer: [1, 2]
        check: says_yes
        """,
        reference="def says_yes(points):\n    return 'yes'\n",
    )
    with pytest.raises(SpecError, match="must return True, False or"):
        checker.judge(answer([1, 2]))
