"""Grading one submission against a loaded problem set.

``grade_submission`` is a pure function of the problem set, the submission and
the runner's behaviour: it reads nothing else and keeps no state between
submissions except the checkers' caches of verdicts, which only make repeated
answers cheaper. Whatever a submission contains, it returns a result; an
unexpected failure inside one checker costs that part only and is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from pathlib import Path

from autograder.errors import SandboxError, SpecError, SubmissionError
from autograder.loader import ProblemSet
from autograder.results import PartResult, SubmissionResult, Verdict
from autograder.spec import CodePart
from autograder.submission import Submission, read_submission

logger = logging.getLogger(__name__)

UNEXPECTED = "The grader failed unexpectedly on this part; this is not your fault. Please report it to the course staff."


def grade_path(
    problem_set: ProblemSet,
    path: Path,
    *,
    runner: object | None,
    include_hidden: bool = True,
    only_parts: Collection[str] | None = None,
) -> SubmissionResult:
    """Read and grade the submission at ``path``; never raises for its content."""
    try:
        submission = read_submission(
            path,
            answers_name=problem_set.header.submission.answers,
            part_ids=[part.id for part in problem_set.parts],
        )
    except SubmissionError as error:
        name = path.stem if path.suffix.lower() == ".zip" else path.name
        return failed_result(problem_set, name, str(error), only_parts=only_parts)
    return grade_submission(
        problem_set, submission, runner=runner, include_hidden=include_hidden, only_parts=only_parts
    )


def failed_result(
    problem_set: ProblemSet, name: str, reason: str, *, only_parts: Collection[str] | None = None
) -> SubmissionResult:
    """Build the result of a submission that could not be graded at all: every
    part scores zero with status "error" and the reason."""
    parts = tuple(
        PartResult(part.id, 0.0, part.points, "error", f"The submission could not be graded: {reason}")
        for part in problem_set.parts
        if only_parts is None or part.id in only_parts
    )
    return SubmissionResult(submission=name, parts=parts, error=reason)


def grade_submission(
    problem_set: ProblemSet,
    submission: Submission,
    *,
    runner: object | None,
    include_hidden: bool = True,
    only_parts: Collection[str] | None = None,
) -> SubmissionResult:
    """Grade every part of ``submission``, or only the parts in ``only_parts``.

    ``runner`` runs student code (see ``autograder.sandbox``); with ``None``,
    code parts get status "error" saying that code was not run.
    ``include_hidden`` is False for a student's own check, which neither runs
    nor reveals hidden test cases. ``only_parts`` lets a rerun regrade just the
    parts whose spec changed; the result then holds only those parts.
    """
    selected = [part for part in problem_set.parts if only_parts is None or part.id in only_parts]
    code_parts = [part for part in selected if isinstance(part, CodePart)]
    code_verdicts = _grade_code_parts(problem_set, code_parts, submission, runner, include_hidden)
    results: list[PartResult] = []
    for part in selected:
        if isinstance(part, CodePart):
            verdict = code_verdicts[part.id]
        else:
            verdict = _judge_answer(problem_set, submission, part.id)
        results.append(PartResult.from_verdict(part.id, part.points, verdict))
    return SubmissionResult(submission=submission.name, parts=tuple(results), notes=submission.notes)


def _judge_answer(problem_set: ProblemSet, submission: Submission, part_id: str) -> Verdict:
    if part_id in submission.problems:
        return Verdict.invalid(submission.problems[part_id])
    answer = submission.answers.get(part_id)
    if answer is None:
        return Verdict.missing(submission.answers_problem or "No answer was given.")
    try:
        return problem_set.checkers[part_id].judge(answer)
    except SpecError as error:
        # A reference check that fails on this answer: the author must fix it,
        # and the student must not lose the other parts meanwhile. The same
        # failure usually repeats for many students, so it is logged once.
        _log_once(str(error), f"{error} (first seen on submission {submission.name})")
        return Verdict("error", 0.0, UNEXPECTED)
    except Exception as error:  # noqa: BLE001 - one checker's bug must not stop the others
        log_unexpected(f"checker for part {part_id} failed on submission {submission.name}", error)
        return Verdict("error", 0.0, UNEXPECTED)


def _grade_code_parts(
    problem_set: ProblemSet,
    code_parts: Sequence[CodePart],
    submission: Submission,
    runner: object | None,
    include_hidden: bool,
) -> dict[str, Verdict]:
    """Run the given code parts of a submission in one sandboxed run and judge them."""
    if not code_parts:
        return {}
    if runner is None:
        return {part.id: Verdict("error", 0.0, "Code was not run.") for part in code_parts}

    from autograder.checkers.code import grade_code_parts

    try:
        return grade_code_parts(
            [problem_set.checkers[part.id] for part in code_parts],  # type: ignore[misc]
            submission,
            module_file=problem_set.module_file,
            runner=runner,  # type: ignore[arg-type]
            include_hidden=include_hidden,
        )
    except SandboxError:
        raise
    except Exception as error:  # noqa: BLE001 - one checker's bug must not stop the others
        log_unexpected(f"code parts failed on submission {submission.name}", error)
        return {part.id: Verdict("error", 0.0, UNEXPECTED) for part in code_parts}


_logged: set[str] = set()
MAX_LOGGED_KEYS = 1000


def _log_once(key: str, message: str) -> None:
    """Log an error the first time its key is seen in this process."""
    if key in _logged:
        return
    if len(_logged) < MAX_LOGGED_KEYS:
        _logged.add(key)
    logger.error("%s", message)


def log_unexpected(what: str, error: BaseException) -> None:
    """Log an unexpected failure in one line, with the traceback only at debug level
    (``--debug`` or ``-vv``), so that no traceback reaches a user who did not ask."""
    logger.error("%s: %s: %s (run with --debug for the traceback)", what, type(error).__name__, error)
    logger.debug("traceback of the failure above", exc_info=error)
