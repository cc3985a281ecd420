"""The caret excerpt under an invalid answer, and the failure it goes into."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograder.expressions.failures import ExpressionFailure, caret_excerpt, failure_at


@pytest.mark.parametrize(
    ("text", "position", "excerpt"),
    [
        ("x +", 3, "    x +\n       ^"),
        ("x +", 0, "    x +\n    ^"),
        # Positions outside the text point at its nearest end.
        ("ab", -4, "    ab\n    ^"),
        ("ab", 9, "    ab\n      ^"),
        # Thirty characters are shown whole, and with one more the far side is cut.
        ("x" * 30, 29, "    " + "x" * 30 + "\n    " + " " * 29 + "^"),
        ("x" * 31, 0, "    " + "x" * 30 + "...\n    ^"),
        ("x" * 70, 40, "    ..." + "x" * 60 + "\n    " + " " * 33 + "^"),
        # A full-width bracket takes two columns, and a tab is shown as a space.
        ("（x", 1, "    （x\n      ^"),
        ("a\tb", 2, "    a b\n      ^"),
    ],
)
def test_caret_excerpt(text: str, position: int, excerpt: str) -> None:
    assert caret_excerpt(text, position) == excerpt


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=80), st.integers(-5, 90))
def test_caret_sits_under_the_character(text: str, position: int) -> None:
    answer_line, caret = caret_excerpt(text, position).split("\n")
    clamped = max(0, min(position, len(text)))
    column = len(caret) - 1
    assert caret == " " * column + "^"
    if clamped < len(text):
        expected = text[clamped]
        assert answer_line[column] == (expected if expected.isprintable() else " ")
    else:
        assert column == len(answer_line.removesuffix("..."))


def test_failure_reason_defaults_to_the_message() -> None:
    assert ExpressionFailure("Unknown name 'q'.").reason == "Unknown name 'q'."
    failure = failure_at("q", "Unknown name 'q'.", 0)
    assert failure == ExpressionFailure("Unknown name 'q'.\n    q\n    ^", 0, "Unknown name 'q'.")
    assert failure.reason == "Unknown name 'q'."
    with pytest.raises(AttributeError):
        failure.position = 1  # type: ignore[misc]
