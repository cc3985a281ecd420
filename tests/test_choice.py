"""Choice checker: matching options regardless of case and spacing."""

from __future__ import annotations

import pytest

from autograder.errors import SpecError
from tests.conftest import answer

CLASSES = """
id: "c"
type: choice
prompt: Which class?
options:
  - {label: "Class 1", aliases: ["1"]}
  - {label: "Class 2", aliases: ["2"]}
  - Boundary
answer: Class 2
mistakes:
  - answer: Class 1
    feedback: Compare f(u_1) with f(u_2).
"""


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("Class 2", "correct"),
        ("class2", "correct"),
        ("  CLASS  2 ", "correct"),
        ("class_2", "correct"),
        ("2", "correct"),
        (2, "correct"),
        ("boundary", "incorrect"),
        ("Class 1", "incorrect"),
        ("Class 3", "invalid"),
        (["Class 2"], "invalid"),
    ],
)
def test_choice_verdicts(checker_for, value, status):
    assert checker_for(CLASSES).judge(answer(value)).status == status


def test_choice_mistake_feedback(checker_for):
    assert checker_for(CLASSES).judge(answer("class 1")).feedback == "Compare f(u_1) with f(u_2)."


def test_choice_suggests_close_option(checker_for):
    verdict = checker_for(CLASSES).judge(answer("Boundry"))
    assert verdict.status == "invalid"
    assert "Did you mean 'Boundary'?" in verdict.feedback


def test_choice_answer_must_be_an_option(checker_for):
    with pytest.raises(SpecError, match="not one of the options"):
        checker_for(
            """
            id: "c"
            type: choice
            prompt: p
            options: [Line, Circle]
            answer: Square
            """
        )


def test_choice_options_must_differ(checker_for):
    with pytest.raises(SpecError, match="cannot be told apart"):
        checker_for(
            """
            id: "c"
            type: choice
            prompt: p
            options: [Class 1, class1]
            answer: class1
            """
        )
