"""Submission results as one JSON text per part, the form a worker sends and the gradebook stores.

Many submissions of a class share an answer, and so a part result, so the
text of an equal result is encoded once and the result of an equal text is
decoded once. Both are immutable, so the cached values may be shared.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from autograder.results import PartResult, SubmissionResult

# Distinct part results kept in each cache: a class's common answers, and the
# handful of feedback texts that code parts give, fit many times over.
MAX_CACHED_PART_RESULTS = 4096


@dataclass(frozen=True)
class EncodedResult:
    """A ``SubmissionResult`` with each part as the JSON text that the gradebook stores."""

    submission: str
    parts: tuple[str, ...]
    error: str | None = None
    notes: tuple[str, ...] = ()

    @classmethod
    def encode(cls, result: SubmissionResult) -> EncodedResult:
        return cls(result.submission, tuple(part_text(part) for part in result.parts), result.error, result.notes)

    def decode(self) -> SubmissionResult:
        parts = tuple(part_from_text(text) for text in self.parts)
        return SubmissionResult(submission=self.submission, parts=parts, error=self.error, notes=self.notes)


@functools.lru_cache(maxsize=MAX_CACHED_PART_RESULTS)
def part_text(part: PartResult) -> str:
    """Return the JSON text of one part result, as the gradebook stores it."""
    return json.dumps(part.to_dict(), ensure_ascii=False)


@functools.lru_cache(maxsize=MAX_CACHED_PART_RESULTS)
def part_from_text(text: str) -> PartResult:
    """Return the part result that ``text`` encodes."""
    return PartResult.from_dict(json.loads(text))
