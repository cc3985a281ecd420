"""Writing a blank answers file for students, one commented key per part."""

from __future__ import annotations

import textwrap

from autograder.loader import ProblemSet
from autograder.reports import format_score
from autograder.spec import CodePart

WIDTH = 78


def _comment(text: str) -> list[str]:
    return [f"# {line}" if line else "#" for line in textwrap.wrap(text, WIDTH - 2)] or ["#"]


def answers_template(problem_set: ProblemSet) -> str:
    """Return the text of a blank answers file for ``problem_set``.

    Every part that takes an answer gets a quoted key (so that YAML reads
    "1.1" as text, not as a number) and, above it, its prompt and expected form
    as comments. Code parts get a comment that names the function to write.
    """
    answers_name = problem_set.header.submission.answers
    module = problem_set.module_file
    lines = _comment(problem_set.title)
    lines += _comment(
        "Write each answer after its part id on the same line, and leave the rest blank. "
        "Put an answer in quotes if it contains ': ' or ' #', or starts with a bracket, a quote, '- ', '? ' or one of , * & ! | > % @ `; "
        "lists such as [1, 5] need no quotes. Check your answers with: autograder check SPEC FOLDER"
    )
    if module is not None:
        lines += _comment(f"Code goes in {module}, next to this {answers_name}.")
    lines.append("")

    for part in problem_set.parts:
        points = format_score(part.points)
        heading = f"{part.id} ({points} point{'s' if part.points != 1 else ''})"
        lines += _comment(heading)
        lines += _comment(" ".join(part.prompt.split()))
        if isinstance(part, CodePart):
            lines += _comment(f"Answer in code: define {part.function}() in {module}.")
            lines.append("")
            continue
        lines += _comment(f"Expected: {problem_set.checkers[part.id].describe_format()}")
        lines.append(f'"{part.id}":')
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
