"""A bounded least-recently-used cache of verdicts, keyed by normalized answer text."""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Generic, TypeVar

from autograder.expressions.limits import DEFAULT_LIMITS
from autograder.expressions.tokens import SPACES

Value = TypeVar("Value")

_SPACE_RUN = re.compile("[" + re.escape("".join(sorted(SPACES))) + "]+")
_ASCII_SPACE_OTHER_THAN_BLANK = re.compile("[" + re.escape("".join(sorted(char for char in SPACES if char.isascii() and char != " "))) + "]")


def normalize_answer(text: str) -> str:
    """Return the key under which an expression answer's verdict may be cached or shared.

    Surrounding white space is removed and each inner run of white space
    becomes one ASCII space. Only the characters that the lexer itself ignores
    between tokens count as white space (``tokens.SPACES``), so an answer and
    its key always read as the same tokens and get the same verdict. Any other
    space character, such as U+2003 EM SPACE, is kept, because the lexer
    rejects it. A text longer than the answer length limit is returned
    unchanged, because that limit counts the characters as typed.

    The key is also an answer: judging the key gives the same status and
    reading as judging the text, so batch grading may judge one key for many
    students. Only the caret excerpt of an invalid answer's message differs,
    because it quotes the text that was judged.
    """
    if len(text) > DEFAULT_LIMITS.max_length:
        return text
    if text.isascii() and "  " not in text and (text.isprintable() or not _ASCII_SPACE_OTHER_THAN_BLANK.search(text)):
        # Only single ASCII spaces: nothing to collapse, which is the usual case.
        # Printable text has no other ASCII space, which the search would look for.
        return text.strip(" ")
    return _SPACE_RUN.sub(" ", text).strip(" ")


class LRUCache(Generic[Value]):
    """A dict that keeps at most ``capacity`` entries, dropping the least recently used.

    Not thread-safe: each checker owns one, and grading runs one answer at a
    time per process.
    """

    def __init__(self, capacity: int = 4096) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self._entries: OrderedDict[str, Value] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Value | None:
        value = self._entries.get(key)
        if value is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return value

    def put(self, key: str, value: Value) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        if len(self._entries) > self.capacity:
            self._entries.popitem(last=False)

    def add(self, key: str, value: Value) -> None:
        """Store a value under a key that ``get`` just missed, as ``put`` does, without moving the key."""
        entries = self._entries
        entries[key] = value
        if len(entries) > self.capacity:
            entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
