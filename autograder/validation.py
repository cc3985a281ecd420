"""Proving a spec sound: its reference answers earn full marks, an empty
submission earns nothing, and no listed mistake is accepted as correct."""

from __future__ import annotations

from dataclasses import dataclass

from autograder.checkers.base import Answer
from autograder.errors import SpecError
from autograder.grading import grade_submission
from autograder.loader import ProblemSet
from autograder.reports import format_score
from autograder.results import SubmissionResult
from autograder.spec import CodePart
from autograder.submission import Submission


@dataclass(frozen=True)
class ValidationReport:
    """The graded reference and empty submissions, and every problem found."""

    reference: SubmissionResult
    empty: SubmissionResult
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def reference_submission(problem_set: ProblemSet) -> Submission:
    """A submission holding every part's reference answer and, for code parts,
    the reference module as the student module."""
    answers: dict[str, Answer] = {}
    for part in problem_set.parts:
        checker = problem_set.checkers[part.id]
        if not isinstance(part, CodePart) and checker.reference_answer is not None:
            answers[part.id] = checker.reference_answer
    files: dict[str, str] = {}
    module = problem_set.module_file
    if problem_set.code_parts and module is not None and problem_set.reference_path is not None:
        files[module] = problem_set.reference_path.read_text(encoding="utf-8")
    return Submission(name="reference answers", source=problem_set.path, answers=answers, files=files)


def validate_problem_set(problem_set: ProblemSet, *, runner: object | None) -> ValidationReport:
    """Grade the reference and an empty submission and check the mistakes."""
    reference = grade_submission(problem_set, reference_submission(problem_set), runner=runner)
    empty = grade_submission(
        problem_set,
        Submission(name="empty submission", source=problem_set.path, answers={}),
        runner=runner,
    )

    problems: list[str] = []
    for part in problem_set.parts:
        checker = problem_set.checkers[part.id]
        if isinstance(part, CodePart) or checker.reference_answer is None:
            continue
        try:
            checker.judge(checker.reference_answer)
        except SpecError as error:
            problems.append(f"part {part.id}: judging the reference answer failed: {error.message}")
    for part in reference.parts:
        if part.score < part.max_score:
            problems.append(
                f"part {part.id}: the reference answer earns {format_score(part.score)}/{format_score(part.max_score)} ({part.status}: {part.feedback})"
            )
    for part in empty.parts:
        if part.score > 0:
            problems.append(f"part {part.id}: an empty submission earns {format_score(part.score)}")

    for part in problem_set.parts:
        checker = problem_set.checkers[part.id]
        for index, mistake in enumerate(part.mistakes, start=1):
            try:
                verdict = checker.judge(Answer.of(mistake.answer))
            except SpecError as error:
                problems.append(f"part {part.id}: judging mistake {index} failed: {error.message}")
                continue
            if verdict.status == "correct":
                problems.append(f"part {part.id}: mistake {index} ({mistake.answer!r}) is graded as correct")
            elif verdict.feedback != mistake.feedback:
                problems.append(
                    f"part {part.id}: mistake {index} ({mistake.answer!r}) does not get its own feedback; it gets: {verdict.feedback}"
                )
    return ValidationReport(reference=reference, empty=empty, problems=tuple(problems))
