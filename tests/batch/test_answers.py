"""Answer keys that decide which answers share a verdict, and the lookup that reuses verdicts."""

from __future__ import annotations

import pytest

from autograder.batch.answers import (
    MAX_SHARED_KEY_CHARS,
    LookupProblemSet,
    shared_answer,
    verdict_from_dict,
    verdict_to_dict,
)
from autograder.checkers.base import Answer
from autograder.grading import grade_submission
from autograder.results import Reading, Verdict
from autograder.submission import Submission

SPEC = """
title: Keys
parts:
  - id: e
    type: expression
    prompt: Derivative of x**2.
    variables:
      x: [-2, 2]
    answer: "2*x"
  - id: s
    type: set
    prompt: Facts.
    answer: [6, 8]
  - id: n
    type: number
    prompt: Half.
    answer: 0.5
"""


def typed(value: object, text: str | None = None) -> Answer:
    """Build an answer as the answers file would deliver it: strings carry their own text."""
    if text is None and isinstance(value, str):
        text = value
    return Answer(value=value, text=text)


@pytest.fixture
def problem_set(make_spec):
    return make_spec(SPEC)


def key(problem_set, part_id: str, answer: Answer) -> str | None:
    part = next(part for part in problem_set.parts if part.id == part_id)
    shared = shared_answer(part, answer)
    return shared.key if shared is not None else None


@pytest.mark.parametrize(
    ("part_id", "first", "second", "same"),
    [
        ("e", typed("2*x"), typed("2*x"), True),
        ("e", typed("2 *  x"), typed("2 * x"), True),
        ("e", typed(" 2*x "), typed("2*x"), True),
        ("e", typed("2*x"), typed("2x"), False),
        ("e", typed(2.0, "2.0"), typed("2.0"), True),
        ("s", typed([6, 8]), typed([6, 8]), True),
        ("s", typed([6, 8]), typed([8, 6]), False),
        ("s", typed([6, 8]), typed("6, 8"), False),
        ("n", typed(0.5, "0.5"), typed(0.5, "0.50"), False),
        ("n", typed(0.5, "0.5"), typed("0.5"), False),
        ("n", typed(0.5, "0.5"), typed(0.5, "0.5"), True),
    ],
)
def test_answer_keys(problem_set, part_id, first, second, same):
    assert (key(problem_set, part_id, first) == key(problem_set, part_id, second)) is same


def test_expression_representative_is_normalized(problem_set):
    part = problem_set.parts[0]
    shared = shared_answer(part, typed("2 *   x"))
    assert shared is not None
    assert shared.answer.as_text == "2 * x"


def test_long_answers_are_not_shared(problem_set):
    assert key(problem_set, "e", typed("x+" * MAX_SHARED_KEY_CHARS + "x")) is None
    assert key(problem_set, "s", typed(list(range(MAX_SHARED_KEY_CHARS)))) is None


def test_yaml_values_without_json_form_get_keys(problem_set):
    import datetime

    assert key(problem_set, "n", typed(datetime.date(2024, 1, 2), "2024-01-02")) is not None


@pytest.mark.parametrize(
    "verdict",
    [
        Verdict.correct(),
        Verdict.partial(0.25, "A quarter."),
        Verdict.incorrect("No.", Reading("2*x", "2 x")),
        Verdict("error", 0.0, "Broken."),
    ],
)
def test_verdict_round_trip(verdict):
    assert verdict_from_dict(verdict_to_dict(verdict)) == verdict


def test_lookup_returns_stored_verdict(problem_set):
    lookup = LookupProblemSet.wrap(problem_set)
    planted = Verdict.incorrect("planted")
    part = problem_set.parts[1]
    shared = shared_answer(part, typed([6, 8]))
    lookup.use({("s", shared.key): verdict_to_dict(planted)})
    assert lookup.problem_set.checkers["s"].judge(typed([6, 8])) == planted
    assert lookup.misses == 0


def test_lookup_by_part_skips_the_key(problem_set, monkeypatch):
    from autograder.batch import answers

    lookup = LookupProblemSet.wrap(problem_set)
    planted = Verdict.incorrect("planted")
    key = shared_answer(problem_set.parts[1], typed([6, 8])).key
    lookup.use({("s", key): verdict_to_dict(planted)}, same_answers=True)

    def no_key(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the key was computed again")

    monkeypatch.setattr(answers, "shared_answer", no_key)
    assert lookup.problem_set.checkers["s"].judge(typed([6, 8])) == planted
    assert lookup.misses == 0
    lookup.use({})
    assert lookup.lookups["s"].by_part is None


def test_lookup_falls_back_to_checker(problem_set):
    lookup = LookupProblemSet.wrap(problem_set)
    lookup.use({})
    verdict = lookup.problem_set.checkers["s"].judge(typed([8, 6]))
    assert verdict.status == "correct"
    assert lookup.misses == 1


def test_lookup_grades_like_the_checkers(problem_set):
    answers = {"e": typed("2 x"), "s": typed("6, 8"), "n": typed(0.5, "0.5")}
    submission = Submission(name="ann", source=problem_set.path, answers=answers)
    direct = grade_submission(problem_set, submission, runner=None)

    lookup = LookupProblemSet.wrap(problem_set)
    verdicts = {}
    for part in problem_set.parts:
        shared = shared_answer(part, answers[part.id])
        verdicts[(part.id, shared.key)] = verdict_to_dict(problem_set.checkers[part.id].judge(shared.answer))
    lookup.use(verdicts)
    assert grade_submission(lookup.problem_set, submission, runner=None) == direct
    assert lookup.misses == 0
    lookup.use(verdicts, same_answers=True)
    assert grade_submission(lookup.problem_set, submission, runner=None) == direct
    assert lookup.misses == 0
