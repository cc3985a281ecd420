"""Deciding what each submission needs: a full grade, a regrade of some parts, or nothing."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import autograder
from autograder.loader import ProblemSet

Reason = Literal["new", "forced", "retry", "content changed", "layout changed", "parts changed", "unchanged"]


@dataclass(frozen=True)
class StoredSubmission:
    """The gradebook's record of one submission of this assignment.

    ``stale_parts`` are the current parts whose stored result was graded
    under another part fingerprint, or that have no stored result at all.
    ``final`` is False when the last attempt failed for a reason that is not
    the student's (a sandbox failure, a worker that died), so it is retried.
    """

    content_hash: str
    layout_key: str
    final: bool
    stale_parts: frozenset[str]


@dataclass(frozen=True)
class Decision:
    """The parts of one submission to grade: ``None`` for all, ``()`` for none."""

    parts: tuple[str, ...] | None
    reason: Reason

    @property
    def reuse(self) -> bool:
        return self.parts == ()


def layout_key(problem_set: ProblemSet) -> str:
    """Return a digest of what decides the grades of every part at once.

    It covers the grader's own source code (see ``grader_fingerprint``), the
    file names that a submission is read from and the list of part ids, which
    decides the notes about answers to unknown parts. A change to any of them
    regrades every submission.
    """
    layout = {
        "grader": grader_fingerprint(),
        "answers": problem_set.header.submission.answers,
        "module": problem_set.module_file,
        "parts": [part.id for part in problem_set.parts],
    }
    return hashlib.sha256(json.dumps(layout, sort_keys=True).encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=1)
def grader_fingerprint() -> str:
    """Return a digest of the version and every Python file of the installed ``autograder`` package.

    A fixed release always gives the same digest. In a development checkout,
    any edit to the grader changes it, so the gradebook never serves a grade
    that older checker code decided.
    """
    digest = hashlib.sha256(autograder.__version__.encode("utf-8"))
    package = Path(autograder.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix().encode("utf-8")
        data = path.read_bytes()
        digest.update(len(relative).to_bytes(8, "big") + relative)
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def decide(
    stored: StoredSubmission | None,
    *,
    content_hash: str,
    current_layout: str,
    part_ids: tuple[str, ...],
    force: bool,
) -> Decision:
    """Decide what to grade, given the gradebook's record and the submission's content now."""
    if force:
        return Decision(None, "forced")
    if stored is None:
        return Decision(None, "new")
    if not stored.final:
        return Decision(None, "retry")
    if stored.content_hash != content_hash:
        return Decision(None, "content changed")
    if stored.layout_key != current_layout:
        return Decision(None, "layout changed")
    stale = tuple(part_id for part_id in part_ids if part_id in stored.stale_parts)
    if not stale:
        return Decision((), "unchanged")
    if len(stale) == len(part_ids):
        return Decision(None, "parts changed")
    return Decision(stale, "parts changed")
