"""Formatting results for people and programs: tables, JSON, CSV gradebooks
and a student's per-part view.

These functions return text or rich renderables and never print, so the CLI
decides where output goes and tests can compare it directly.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Sequence

from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from autograder.loader import ProblemSet
from autograder.results import SubmissionResult

STATUS_STYLES = {
    "correct": "green",
    "partial": "yellow",
    "incorrect": "red",
    "missing": "dim",
    "invalid": "magenta",
    "error": "bold red",
    "timeout": "bold red",
}


# A gradebook repeats a few scores (0, 1, 0.5) thousands of times.
@functools.lru_cache(maxsize=4096)
def format_score(value: float) -> str:
    """Format a score without trailing zeros: 3, 2.5, 0.333."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def section_scores(result: SubmissionResult, problem_set: ProblemSet) -> dict[str, tuple[float, float]]:
    """Score and maximum per section, in the spec's section order."""
    totals = {name: [0.0, 0.0] for name in problem_set.sections}
    sections = {part.id: part.section_name for part in problem_set.parts}
    for part in result.parts:
        section = sections.get(part.id)
        if section is None:
            continue
        totals[section][0] += part.score
        totals[section][1] += part.max_score
    return {name: (score, maximum) for name, (score, maximum) in totals.items()}


def submission_status(result: SubmissionResult) -> str:
    """Return one phrase for the gradebook's status column."""
    if result.error is not None:
        return f"not graded: {result.error}"
    trouble = [f"{part.id} {part.status}" for part in result.parts if part.status in ("error", "timeout")]
    if trouble:
        return "graded; " + ", ".join(trouble)
    return "graded"


def results_table(results: Sequence[SubmissionResult], problem_set: ProblemSet) -> Table:
    """Build a table with one row per submission: total, per-section scores and a status."""
    table = empty_results_table(problem_set)
    for result in results:
        add_results_row(table, result, problem_set)
    return table


def empty_results_table(problem_set: ProblemSet) -> Table:
    """Build the results table's columns: submission, total, one per section, status."""
    table = Table(title=problem_set.title, title_justify="left")
    table.add_column("Submission", overflow="fold")
    table.add_column("Total", justify="right")
    for name in problem_set.sections:
        table.add_column(name, justify="right")
    table.add_column("Status", overflow="fold")
    return table


def add_results_row(table: Table, result: SubmissionResult, problem_set: ProblemSet) -> None:
    """Append one submission's row to a table from ``empty_results_table``."""
    sections = section_scores(result, problem_set)
    status = submission_status(result)
    table.add_row(
        escape(result.submission),
        f"{format_score(result.score)}/{format_score(result.max_score)}",
        *(f"{format_score(score)}/{format_score(maximum)}" for score, maximum in sections.values()),
        Text(status, style="red" if status != "graded" else "green"),
    )


def results_json(results: Sequence[SubmissionResult]) -> str:
    """Serialize the results as a JSON array, one object per submission."""
    return json.dumps([result.to_dict() for result in results], indent=2, ensure_ascii=False) + "\n"


def gradebook_csv(results: Sequence[SubmissionResult], problem_set: ProblemSet) -> str:
    """Write a gradebook: one row per student, one column per part, plus totals and status."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    part_ids = [part.id for part in problem_set.parts]
    writer.writerow(gradebook_header(part_ids))
    for result in results:
        writer.writerow(gradebook_row(result, part_ids))
    return buffer.getvalue()


def gradebook_header(part_ids: Sequence[str]) -> list[str]:
    """Return the gradebook's column names: student, total, max_score, status, then the parts."""
    return ["student", "total", "max_score", "status", *(spreadsheet_text(part_id) for part_id in part_ids)]


def gradebook_row(result: SubmissionResult, part_ids: Sequence[str]) -> list[str]:
    """Return one student's gradebook row, in the columns of ``gradebook_header``."""
    scores = {part.id: format_score(part.score) for part in result.parts}
    return [
        spreadsheet_text(result.submission),
        format_score(result.score),
        format_score(result.max_score),
        spreadsheet_text(submission_status(result)),
        *(scores.get(part_id, "") for part_id in part_ids),
    ]


def spreadsheet_text(text: str) -> str:
    """Keep a spreadsheet from reading text as a formula.

    A cell that starts with =, +, -, @, a tab or a carriage return is a
    formula to Excel, LibreOffice and Google Sheets, and a folder name is
    chosen by the student; such text gets a leading apostrophe, the usual
    way to mark a cell as text.
    """
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def check_view(result: SubmissionResult, problem_set: ProblemSet) -> Group:
    """Build the student's view: every part with its status, score, feedback
    and how an expression answer was read."""
    table = Table(title=f"{problem_set.title}: {escape(result.submission)}", title_justify="left", show_lines=True)
    table.add_column("Part")
    table.add_column("Status")
    table.add_column("Score", justify="right")
    table.add_column("Feedback", overflow="fold", ratio=1)
    for part in result.parts:
        feedback = Text(part.feedback)
        if part.reading is not None:
            feedback.append(f"\nRead as: {part.reading.text}", style="cyan")
        table.add_row(
            part.id,
            Text(part.status, style=STATUS_STYLES.get(part.status, "")),
            f"{format_score(part.score)}/{format_score(part.max_score)}",
            feedback,
        )
    summary = Text(f"Total: {format_score(result.score)}/{format_score(result.max_score)}", style="bold")
    notes = [Text(f"Note: {note}", style="yellow") for note in result.notes]
    return Group(table, *notes, summary)


def check_text(result: SubmissionResult, problem_set: ProblemSet) -> str:
    """Format the student's view as plain text, one block per part."""
    lines = [f"{problem_set.title}: {result.submission}", ""]
    for part in result.parts:
        lines.append(f"{part.id}  {part.status}  {format_score(part.score)}/{format_score(part.max_score)}")
        for feedback_line in part.feedback.splitlines():
            lines.append(f"    {feedback_line}")
        if part.reading is not None:
            lines.append(f"    read as: {part.reading.text}")
    for note in result.notes:
        lines.append(f"Note: {note}")
    lines.append(f"Total: {format_score(result.score)}/{format_score(result.max_score)}")
    return "\n".join(lines) + "\n"
