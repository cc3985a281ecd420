"""A bounded least-recently-used cache of verdicts, keyed by normalized answer text."""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

Value = TypeVar("Value")


def normalize_answer(text: str) -> str:
    """Return the cache key of an answer: surrounding space removed, inner runs of space made one."""
    return " ".join(text.split())


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

    def __len__(self) -> int:
        return len(self._entries)
