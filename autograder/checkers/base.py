"""The interface shared by all answer checkers.

A checker is built once per part when the spec loads. Its constructor
validates the part's options and reference answer and raises ``SpecError``
for anything an author must fix, so a broken spec stops before any grading.
``judge`` then turns one student answer into a ``Verdict``; it never raises
for bad student input.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import numpy as np

from autograder.errors import SpecError
from autograder.results import Verdict
from autograder.spec import PartBase
from autograder.yamlsource import Document


@dataclass(frozen=True)
class Answer:
    """One student answer as read from the answers file.

    ``value`` is what the YAML loader built (a string, number or list).
    ``text`` is the scalar exactly as typed, when the answer is a single
    scalar, so that ``1e-3`` or ``0.50`` reach an expression parser unchanged.
    """

    value: Any
    text: str | None = None
    line: int | None = None

    @classmethod
    def of(cls, value: Any) -> Answer:
        """Build an answer from a Python value, as a spec's reference answer is."""
        text = value if isinstance(value, str) else None
        return cls(value=value, text=text)

    @property
    def as_text(self) -> str | None:
        """The answer as a string, if it is a scalar."""
        if self.text is not None:
            return self.text
        if isinstance(self.value, bool) or self.value is None:
            return None
        if isinstance(self.value, (str, int, float)):
            return str(self.value)
        return None


@dataclass(frozen=True)
class PartContext:
    """A part's position in its spec, for error messages, and the reference module."""

    spec_path: Path
    index: int
    document: Document
    reference: ModuleType | None

    def line_of(self, *keys: str | int) -> int | None:
        return self.document.line(("parts", self.index, *keys))

    def error(self, part_id: str, message: str, *keys: str | int) -> SpecError:
        return SpecError(message, path=self.spec_path, line=self.line_of(*keys), part=part_id)

    def reference_function(self, part_id: str, name: str, *keys: str | int) -> Callable[..., Any]:
        """Look up ``name`` in the reference module, or raise ``SpecError``."""
        if self.reference is None:
            raise self.error(part_id, f"'{name}' names a reference function, but the spec has no 'reference' module", *keys)
        function = getattr(self.reference, name, None)
        if not callable(function):
            raise self.error(
                part_id,
                f"the reference module {self.reference.__file__} has no function named {name!r}",
                *keys,
            )
        return function


class Checker(ABC):
    """Judges the answers to one part.

    Subclasses set ``part_type`` and implement ``judge`` and ``describe_format``.
    """

    part_type: ClassVar[str]

    def __init__(self, part: PartBase, context: PartContext) -> None:
        self.part = part
        self.context = context
        self.reference_answer = self._resolve_reference_answer()
        self.property_check = (
            context.reference_function(part.id, part.check, "check") if part.check else None
        )

    def _resolve_reference_answer(self) -> Answer | None:
        if self.part.answer_from is not None:
            function = self.context.reference_function(self.part.id, self.part.answer_from, "answer_from")
            try:
                value = function()
            except Exception as error:  # noqa: BLE001 - a broken reference is the author's to fix
                raise self.context.error(
                    self.part.id,
                    f"reference function {self.part.answer_from}() raised {type(error).__name__}: {error}",
                    "answer_from",
                ) from error
            return Answer.of(_plain(value))
        if self.part.answer is not None:
            return Answer.of(self.part.answer)
        return None

    def spec_error(self, message: str, *keys: str | int) -> SpecError:
        return self.context.error(self.part.id, message, *keys)

    @abstractmethod
    def judge(self, answer: Answer) -> Verdict:
        """Decide on one student answer.

        Implementations must return a verdict for any student input. An
        exception is a bug or a broken spec, which the grading loop turns into
        status "error" for that part only.
        """

    @abstractmethod
    def describe_format(self) -> str:
        """Describe the expected form of an answer, for students."""

    def run_property_check(self, value: Any) -> Verdict:
        """Call the part's reference ``check`` function on a parsed answer.

        The function returns ``True``/``False`` or ``(passed, feedback)``. An
        exception inside it is a bug in the reference, which the author must
        fix, so it propagates as ``SpecError``.
        """
        assert self.property_check is not None
        try:
            outcome = self.property_check(value)
        except Exception as error:  # noqa: BLE001 - translated for the author
            raise self.spec_error(
                f"reference check {self.part.check}() raised {type(error).__name__}: {error}",
                "check",
            ) from error
        passed, feedback = outcome if isinstance(outcome, tuple) and len(outcome) == 2 else (outcome, "")
        if not isinstance(passed, (bool, np.bool_)) or not isinstance(feedback, str):
            raise self.spec_error(
                f"reference check {self.part.check}() returned {outcome!r}; it must return True, False or (passed, feedback)",
                "check",
            )
        if passed:
            return Verdict.correct(feedback or "Correct.")
        return Verdict.incorrect(feedback or "Your answer does not have the required property.")


def _plain(value: Any) -> Any:
    """Convert numpy values returned by a reference function to plain Python."""
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return tolist()
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
