"""Per-student feedback as Markdown: the total, a table of parts, then each part's feedback.

Feedback text goes into fenced code blocks, because it may quote the
student's answer and its caret lines need a fixed-width font. Nothing a
student typed is ever read as Markdown.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from autograder.loader import ProblemSet
from autograder.reports import format_score
from autograder.results import SubmissionResult

_UNSAFE_FILE_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")
MAX_FILE_STEM_CHARS = 100


def feedback_markdown(result: SubmissionResult, problem_set: ProblemSet) -> str:
    """Return the Markdown feedback file of one graded submission."""
    prompts = {part.id: part.prompt for part in problem_set.parts}
    lines = [
        f"# {_inline(problem_set.title)}",
        "",
        f"Submission: {_inline(result.submission)}",
        "",
        f"**Total: {format_score(result.score)} / {format_score(result.max_score)}**",
        "",
    ]
    if result.error is not None:
        lines += ["Your submission could not be graded:", "", *_fenced(result.error), ""]
    if result.notes:
        lines += ["Notes about your submission:", ""]
        for note in result.notes:
            lines += _fenced(note)
        lines.append("")

    lines += ["| Part | Status | Score |", "| --- | --- | ---: |"]
    for part in result.parts:
        lines.append(
            f"| {_inline(part.id)} | {part.status} | {format_score(part.score)} / {format_score(part.max_score)} |"
        )
    lines.append("")

    for part in result.parts:
        lines += [f"## Part {_inline(part.id)}: {part.status}, {format_score(part.score)} / {format_score(part.max_score)}", ""]
        prompt = " ".join(prompts.get(part.id, "").split())
        if prompt:
            lines += [f"> {_inline(prompt)}", ""]
        lines += _fenced(part.feedback)
        if part.reading is not None:
            lines += ["", "Your answer was read as:", "", *_fenced(part.reading.text)]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def feedback_file_names(names: Iterable[str]) -> dict[str, str]:
    """Map each submission name to a distinct, portable file name ending in ``.md``.

    Characters other than letters, digits, ``.``, ``_`` and ``-`` become
    ``_``. A name that had to change, or that starts with a dot, gets a short
    digest of the original name appended, and so do names that differ only
    in case.
    """
    stems: dict[str, str] = {}
    for name in names:
        stem = _UNSAFE_FILE_CHARACTERS.sub("_", name)[:MAX_FILE_STEM_CHARS]
        if stem != name or stem.startswith("."):
            stem = f"{stem.strip('.') or 'submission'}-{_digest(name)}"
        stems[name] = stem
    # Case-insensitive file systems would merge "Ann" and "ann".
    counts: dict[str, int] = {}
    for stem in stems.values():
        counts[stem.lower()] = counts.get(stem.lower(), 0) + 1
    for name, stem in stems.items():
        if counts[stem.lower()] > 1:
            stems[name] = f"{stem}-{_digest(name)}"
    return {name: f"{stem}.md" for name, stem in stems.items()}


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:8]


def _fenced(text: str) -> list[str]:
    """Put ``text`` in a code block whose fence is longer than any backtick run in it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", *text.split("\n"), fence]


def _inline(text: str) -> str:
    """Escape Markdown's inline markup in text from the spec or a file name."""
    return re.sub(r"([\\`*_{}\[\]()#+!|<>~])", r"\\\1", " ".join(text.split()))
