"""Gradescope's results.json for one submission.

The format is Gradescope's autograder specification
(https://gradescope-autograders.readthedocs.io/en/latest/specs/): a top-level
``score`` and ``tests``, each test with ``name``, ``number``, ``score``,
``max_score``, ``status`` ("passed" or "failed"), ``output`` and
``visibility`` ("hidden", "after_due_date", "after_published" or "visible").
Each part of the spec becomes one test. Gradescope runs the autograder once
per submission, in a container where the submission is in
``/autograder/submission`` and this file must end up in
``/autograder/results/results.json``.

The file leaves out ``execution_time``, so that grading the same submission
twice writes the same bytes.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from autograder.loader import ProblemSet
from autograder.reports import format_score
from autograder.results import SubmissionResult

Visibility = Literal["hidden", "after_due_date", "after_published", "visible"]
VISIBILITIES: tuple[Visibility, ...] = ("visible", "after_due_date", "after_published", "hidden")

MAX_NAME_CHARS = 80


def gradescope_results(result: SubmissionResult, problem_set: ProblemSet, visibility: Visibility = "visible") -> dict[str, Any]:
    """Build the results.json object for one graded submission."""
    prompts = {part.id: part.prompt for part in problem_set.parts}
    tests = []
    for part in result.parts:
        output = part.feedback
        if part.reading is not None:
            output += f"\nRead as: {part.reading.text}"
        tests.append(
            {
                "name": _test_name(part.id, prompts.get(part.id, "")),
                "number": part.id,
                "score": part.score,
                "max_score": part.max_score,
                "status": "passed" if part.status == "correct" else "failed",
                "output": output,
                "visibility": visibility,
            }
        )

    overview = [f"{problem_set.title}: {format_score(result.score)}/{format_score(result.max_score)}"]
    if result.error is not None:
        overview.append(f"The submission could not be graded: {result.error}")
    overview.extend(f"Note: {note}" for note in result.notes)
    return {
        "score": result.score,
        "output": "\n".join(overview),
        "output_format": "text",
        "test_output_format": "text",
        "visibility": visibility,
        "tests": tests,
    }


def gradescope_json(result: SubmissionResult, problem_set: ProblemSet, visibility: Visibility = "visible") -> str:
    """Return the results.json text for one graded submission."""
    data = gradescope_results(result, problem_set, visibility)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _test_name(part_id: str, prompt: str) -> str:
    """Name a test "Part 2.3: <start of the prompt>", cut at a word boundary."""
    text = " ".join(prompt.split())
    if len(text) > MAX_NAME_CHARS:
        text = text[:MAX_NAME_CHARS].rsplit(" ", 1)[0] + " ..."
    return f"Part {part_id}: {text}" if text else f"Part {part_id}"
