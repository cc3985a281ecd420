"""Result records: what a checker decided about one answer, and what a
submission scored.

Every record is a frozen dataclass that converts to plain JSON data with
``to_dict`` and back with ``from_dict``, so results can cross process
boundaries and be stored in the gradebook without pickle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

Status = Literal["correct", "partial", "incorrect", "missing", "invalid", "error", "timeout"]
STATUSES: tuple[str, ...] = get_args(Status)


@dataclass(frozen=True)
class Reading:
    """How the grader read an expression answer: plain text and LaTeX."""

    text: str
    latex: str

    # Expression checks build one Reading and one Verdict per answer in tens
    # of microseconds, so both write their fields straight into the instance
    # dict: about half the cost of the generated frozen __init__.
    def __init__(self, text: str, latex: str) -> None:
        fields = self.__dict__
        fields["text"] = text
        fields["latex"] = latex


@dataclass(frozen=True)
class Verdict:
    """A checker's decision about one answer, before points are applied.

    ``fraction`` is the share of the part's points earned, from 0 to 1.
    """

    status: Status
    fraction: float
    feedback: str
    reading: Reading | None = None

    def __init__(self, status: Status, fraction: float, feedback: str, reading: Reading | None = None) -> None:
        fields = self.__dict__
        fields["status"] = status
        fields["fraction"] = fraction
        fields["feedback"] = feedback
        fields["reading"] = reading

    @classmethod
    def correct(cls, feedback: str = "Correct.", reading: Reading | None = None) -> Verdict:
        return cls("correct", 1.0, feedback, reading)

    @classmethod
    def incorrect(cls, feedback: str, reading: Reading | None = None) -> Verdict:
        return cls("incorrect", 0.0, feedback, reading)

    @classmethod
    def invalid(cls, feedback: str) -> Verdict:
        return cls("invalid", 0.0, feedback)

    @classmethod
    def missing(cls, feedback: str = "No answer was given.") -> Verdict:
        return cls("missing", 0.0, feedback)

    @classmethod
    def partial(cls, fraction: float, feedback: str, reading: Reading | None = None) -> Verdict:
        if fraction >= 1.0:
            return cls("correct", 1.0, feedback, reading)
        if fraction <= 0.0:
            return cls("incorrect", 0.0, feedback, reading)
        return cls("partial", fraction, feedback, reading)


@dataclass(frozen=True)
class PartResult:
    """The score and feedback of one part of one submission."""

    id: str
    score: float
    max_score: float
    status: Status
    feedback: str
    reading: Reading | None = None

    @classmethod
    def from_verdict(cls, part_id: str, points: float, verdict: Verdict) -> PartResult:
        score = round(points * verdict.fraction, 6)
        return cls(part_id, score, points, verdict.status, verdict.feedback, verdict.reading)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "score": self.score,
            "max_score": self.max_score,
            "status": self.status,
            "feedback": self.feedback,
        }
        if self.reading is not None:
            data["read_as"] = {"text": self.reading.text, "latex": self.reading.latex}
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PartResult:
        reading = data.get("read_as")
        return cls(
            id=str(data["id"]),
            score=float(data["score"]),
            max_score=float(data["max_score"]),
            status=data["status"],
            feedback=str(data["feedback"]),
            reading=Reading(reading["text"], reading["latex"]) if reading else None,
        )


@dataclass(frozen=True)
class SubmissionResult:
    """Every part result of one submission.

    ``error`` is set when the submission as a whole could not be graded (for
    example a zip file that cannot be opened); its parts then all score zero.
    """

    submission: str
    parts: tuple[PartResult, ...]
    error: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def score(self) -> float:
        return round(sum(part.score for part in self.parts), 6)

    @property
    def max_score(self) -> float:
        return round(sum(part.max_score for part in self.parts), 6)

    def part(self, part_id: str) -> PartResult:
        for part in self.parts:
            if part.id == part_id:
                return part
        raise KeyError(part_id)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "submission": self.submission,
            "score": self.score,
            "max_score": self.max_score,
            "parts": [part.to_dict() for part in self.parts],
        }
        if self.error is not None:
            data["error"] = self.error
        if self.notes:
            data["notes"] = list(self.notes)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SubmissionResult:
        return cls(
            submission=str(data["submission"]),
            parts=tuple(PartResult.from_dict(part) for part in data["parts"]),
            error=data.get("error"),
            notes=tuple(data.get("notes", ())),
        )
