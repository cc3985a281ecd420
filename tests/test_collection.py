"""Set and list checkers for lists of fact numbers."""

from __future__ import annotations

import pytest

from tests.conftest import answer

FACTS = """
id: "f"
type: set
prompt: Which facts?
answer: [6, 8]
"""


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ([6, 8], "correct"),
        ([8, 6], "correct"),
        ([8, 6, 6], "correct"),
        ("[8, 6]", "correct"),
        ("(6, 8)", "correct"),
        ("6, 8", "correct"),
        ("6 8", "correct"),
        ([6.0, 8.0], "correct"),
        ([6], "incorrect"),
        ([6, 8, 9], "incorrect"),
        ([], "incorrect"),
        ([6, 8.5], "invalid"),
        ("six, eight", "invalid"),
        ([[6], [8]], "invalid"),
        (True, "invalid"),
    ],
)
def test_set_verdicts(checker_for, value, status):
    assert checker_for(FACTS).judge(answer(value)).status == status


def test_set_feedback_names_extra_and_missing(checker_for):
    checker = checker_for(FACTS)
    assert "missing" in checker.judge(answer([6])).feedback
    assert "not needed" in checker.judge(answer([6, 8, 9])).feedback


def test_empty_set_reference(checker_for):
    checker = checker_for(
        """
        id: "f"
        type: set
        prompt: p
        answer: []
        """
    )
    assert checker.judge(answer([])).status == "correct"
    assert checker.judge(answer("[]")).status == "correct"
    assert checker.judge(answer([5])).status == "incorrect"


def test_single_integer_is_a_list(checker_for):
    checker = checker_for(
        """
        id: "f"
        type: set
        prompt: p
        answer: [1]
        """
    )
    assert checker.judge(answer(1)).status == "correct"


@pytest.mark.parametrize(
    ("value", "fraction", "status"),
    [
        ([5, 7], 1.0, "correct"),
        ([5], 0.5, "partial"),
        ([5, 9], 0.0, "incorrect"),
        ([5, 7, 9], 0.5, "partial"),
        ([1, 2, 3], 0.0, "incorrect"),
    ],
)
def test_set_partial_credit(checker_for, value, fraction, status):
    checker = checker_for(
        """
        id: "f"
        type: set
        prompt: p
        answer: [5, 7]
        partial_credit: true
        """
    )
    verdict = checker.judge(answer(value))
    assert verdict.status == status
    assert verdict.fraction == pytest.approx(fraction)


def test_list_is_ordered(checker_for):
    checker = checker_for(
        """
        id: "l"
        type: list
        prompt: p
        answer: [3, 1, 2]
        """
    )
    assert checker.judge(answer([3, 1, 2])).status == "correct"
    verdict = checker.judge(answer([1, 2, 3]))
    assert verdict.status == "incorrect"
    assert "order" in verdict.feedback


@pytest.mark.parametrize("value", ["(6), (8)", "{6, 8}", {"6": None, "8": None}, "[[6], [8]]", "6;8"])
def test_set_notations_students_type(checker_for, value):
    assert checker_for(FACTS).judge(answer(value)).status == "correct"


def test_list_repeat_message(checker_for):
    checker = checker_for(
        """
        id: "l"
        type: list
        prompt: p
        answer: [1, 4, 9]
        """
    )
    verdict = checker.judge(answer([1, 4, 9, 9]))
    assert verdict.status == "incorrect"
    assert "repeated" in verdict.feedback
