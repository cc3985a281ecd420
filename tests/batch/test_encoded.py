"""Submission results as JSON text per part."""

from __future__ import annotations

import json

import pytest

from autograder.batch.encoded import EncodedResult, part_from_text, part_text
from autograder.results import PartResult, Reading, SubmissionResult

PARTS = (
    PartResult("1", 1.0, 1.0, "correct", "Correct.", Reading("x**2", "x^{2}")),
    PartResult("2", 0.0, 2.0, "incorrect", "Not equal to the reference: é ≠ e."),
    PartResult("3", 0.5, 1.0, "partial", "Half of the cases pass."),
)


@pytest.mark.parametrize(
    "result",
    [
        SubmissionResult("ann", PARTS),
        SubmissionResult("bob", PARTS[:1], error=None, notes=("answers.yml was read.",)),
        SubmissionResult("cy", (), error="the zip file is corrupt"),
    ],
)
def test_encode_then_decode_is_the_same_result(result: SubmissionResult) -> None:
    encoded = EncodedResult.encode(result)
    assert encoded.decode() == result
    assert [json.loads(text) for text in encoded.parts] == [part.to_dict() for part in result.parts]


def test_text_is_the_stored_form() -> None:
    # The gradebook stores these texts, so runs before and after caching must agree byte for byte.
    for part in PARTS:
        assert part_text(part) == json.dumps(part.to_dict(), ensure_ascii=False)


def test_equal_texts_share_one_result() -> None:
    text = part_text(PARTS[0])
    first = part_from_text(text)
    second = part_from_text("".join(text))
    assert first == PARTS[0]
    assert second is first
