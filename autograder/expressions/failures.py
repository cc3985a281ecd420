"""Student-facing failures of the expression engine, with a caret under the spot."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Around a caret, at most this many characters of the answer are shown on each
# side, so a 100 kB answer still gets a one-line excerpt.
_EXCERPT_RADIUS = 30


@dataclass(frozen=True)
class ExpressionFailure:
    """Why an answer could not be read or evaluated, addressed to the student.

    ``message`` is complete and ready to show: when ``position`` is known it ends
    with the answer (or an excerpt of it) and a caret line under the character
    at ``position``, an index into the text as typed. ``reason`` is the first
    part alone, one line without the excerpt, for messages that give the
    position as a column instead.
    """

    message: str
    position: int | None = None
    reason: str = ""

    # Every invalid answer builds one, so the fields are written straight into
    # the instance dict, at half the cost of the frozen dataclass's __init__.
    def __init__(self, message: str, position: int | None = None, reason: str = "") -> None:
        fields = self.__dict__
        fields["message"] = message
        fields["position"] = position
        fields["reason"] = reason or message


class ExpressionError(Exception):
    """An answer problem found deep inside the engine, raised and then caught
    at the engine's boundary, where it becomes an ``ExpressionFailure``."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


def caret_excerpt(text: str, position: int) -> str:
    """Return two lines: the answer around ``position`` and a caret under it.

    Control characters and line breaks are shown as spaces, so the caret stays
    aligned. A position at ``len(text)`` points just past the end.
    """
    length = len(text)
    if length <= _EXCERPT_RADIUS and text.isascii() and text.isprintable():
        # A short ASCII answer, the usual case, is shown whole, one column per character.
        column = max(0, min(position, length))
        return "    " + text + "\n    " + " " * column + "^"
    position = max(0, min(position, length))
    start = max(0, position - _EXCERPT_RADIUS)
    end = min(len(text), position + _EXCERPT_RADIUS)
    prefix = "..." if start > 0 else ""
    suffix = "..." if end < len(text) else ""
    shown = text[start:end]
    if not shown.isprintable():
        shown = "".join(" " if not char.isprintable() else char for char in shown)
    caret_column = len(prefix) + _display_width(shown[: position - start])
    return f"    {prefix}{shown}{suffix}\n    {' ' * caret_column}^"


def failure_at(text: str, message: str, position: int | None) -> ExpressionFailure:
    """Build a failure whose message ends with the caret excerpt when the position is known."""
    if position is None:
        return ExpressionFailure(message)
    return ExpressionFailure(f"{message}\n{caret_excerpt(text, position)}", position, message)


def _display_width(text: str) -> int:
    """Count terminal columns: full-width characters such as '（' take two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(char) in ("F", "W") else 1 for char in text)
