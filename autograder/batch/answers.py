"""Sharing verdicts between submissions: answer keys, and a checker that looks verdicts up.

A batch judges each distinct (part, answer key) pair once and hands the
verdicts to the workers that grade submissions. Two answers get the same key
only when the part's checker is bound to give them the same verdict:

- For an expression part, the key is the answer's text with runs of the
  spaces that the lexer ignores collapsed (``normalize_answer``), the rule the
  expression checker's own cache applies. The pair is judged on that normalized text, so the
  verdict never depends on which student's spacing was seen first.
- For every other part, the key is the YAML value together with the text as
  typed, so ``[6, 8]`` and ``[6,8]`` share a key but ``0.50`` and ``0.5`` do not.

An answer whose key is longer than ``MAX_SHARED_KEY_CHARS`` is not shared: it
is judged where it occurs, which keeps the batch's memory bounded whatever a
student pastes into an answers file.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from autograder.checkers.base import Answer, Checker
from autograder.expressions.cache import normalize_answer
from autograder.loader import ProblemSet
from autograder.results import Reading, Verdict
from autograder.spec import CodePart, ExpressionPart, PartBase

logger = logging.getLogger(__name__)

MAX_SHARED_KEY_CHARS = 2000

PairKey = tuple[str, str]
"""A part id and an answer key."""


@dataclass(frozen=True)
class SharedAnswer:
    """An answer reduced to what decides its verdict: its key and the answer to judge."""

    key: str
    answer: Answer


def shared_answer(part: PartBase, answer: Answer) -> SharedAnswer | None:
    """Return the key and representative of ``answer``, or None if it is not shared."""
    if isinstance(part, ExpressionPart) and not isinstance(answer.value, (list, tuple, dict)):
        text = answer.as_text
        if text is not None:
            normalized = normalize_answer(text)
            key = "text:" + normalized
            if len(key) > MAX_SHARED_KEY_CHARS:
                return None
            return SharedAnswer(key, Answer(value=normalized, text=normalized))

    try:
        encoded = json.dumps(
            [answer.value, answer.text],
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
            default=_encode_other,
        )
    except ValueError:
        # A circular structure cannot come from YAML, but a key must never crash a batch.
        return None
    key = "value:" + encoded
    if len(key) > MAX_SHARED_KEY_CHARS:
        return None
    return SharedAnswer(key, Answer(value=answer.value, text=answer.text))


def _encode_other(value: Any) -> str:
    """Encode a YAML value that JSON lacks (a date, bytes) by type and repr."""
    return f"<{type(value).__name__}:{value!r}>"


def verdict_to_dict(verdict: Verdict) -> dict[str, Any]:
    """Convert a verdict to plain data that crosses process boundaries unchanged."""
    data: dict[str, Any] = {
        "status": verdict.status,
        "fraction": verdict.fraction,
        "feedback": verdict.feedback,
    }
    if verdict.reading is not None:
        data["reading"] = [verdict.reading.text, verdict.reading.latex]
    return data


def verdict_from_dict(data: Mapping[str, Any]) -> Verdict:
    reading = data.get("reading")
    return Verdict(
        status=data["status"],
        fraction=float(data["fraction"]),
        feedback=str(data["feedback"]),
        reading=Reading(reading[0], reading[1]) if reading else None,
    )


class VerdictLookup:
    """Stands in for a part's checker and returns verdicts judged earlier in the batch.

    ``verdicts`` is replaced before each submission with the verdicts of that
    submission's answers. An answer that is not there (not shared, or its
    judgment raised) goes to the real checker, so grading gives exactly what
    it would give without the lookup.

    ``by_part`` is set instead when the answers are the very ones whose keys
    made ``verdicts`` (the scan's copy of the submission): then the verdict
    is found by part id, without computing the key again.
    """

    def __init__(self, part: PartBase, checker: Checker) -> None:
        self.part = part
        self.checker = checker
        self.verdicts: Mapping[PairKey, Mapping[str, Any]] = {}
        self.by_part: Mapping[str, Mapping[str, Any]] | None = None
        self.misses = 0

    def judge(self, answer: Answer) -> Verdict:
        if self.by_part is not None:
            found = self.by_part.get(self.part.id)
            if found is not None:
                return verdict_from_dict(found)
        else:
            shared = shared_answer(self.part, answer)
            if shared is not None:
                found = self.verdicts.get((self.part.id, shared.key))
                if found is not None:
                    return verdict_from_dict(found)
        self.misses += 1
        return self.checker.judge(answer)

    def describe_format(self) -> str:
        return self.checker.describe_format()


@dataclass(frozen=True)
class LookupProblemSet:
    """A problem set whose answer checkers are ``VerdictLookup``s; code parts keep theirs."""

    problem_set: ProblemSet
    lookups: Mapping[str, VerdictLookup]

    @classmethod
    def wrap(cls, problem_set: ProblemSet) -> LookupProblemSet:
        lookups = {
            part.id: VerdictLookup(part, problem_set.checkers[part.id])
            for part in problem_set.parts
            if not isinstance(part, CodePart)
        }
        checkers = {
            part.id: cast(Checker, lookups.get(part.id, problem_set.checkers[part.id]))
            for part in problem_set.parts
        }
        wrapped = ProblemSet(
            path=problem_set.path,
            header=problem_set.header,
            parts=problem_set.parts,
            checkers=checkers,
            reference_path=problem_set.reference_path,
            fingerprint=problem_set.fingerprint,
            part_fingerprints=problem_set.part_fingerprints,
        )
        return cls(wrapped, lookups)

    def use(self, verdicts: Mapping[PairKey, Mapping[str, Any]], *, same_answers: bool = False) -> None:
        """Make every lookup return verdicts from ``verdicts`` until the next call.

        ``same_answers`` means that the submission's answers are the ones whose
        keys made ``verdicts``, so that each part's verdict is found by its id.
        """
        by_part = {part_id: verdict for (part_id, _), verdict in verdicts.items()} if same_answers else None
        for lookup in self.lookups.values():
            lookup.verdicts = verdicts
            lookup.by_part = by_part

    @property
    def misses(self) -> int:
        return sum(lookup.misses for lookup in self.lookups.values())
