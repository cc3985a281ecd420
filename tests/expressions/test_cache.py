"""The verdict cache: normalized keys and least-recently-used eviction."""

from __future__ import annotations

import pytest

from autograder.expressions.cache import LRUCache, normalize_answer


@pytest.mark.parametrize(
    ("text", "key"),
    [("x+1", "x+1"), ("  x + 1 ", "x + 1"), ("x\t+\n1", "x + 1"), ("x  +   1", "x + 1"), ("", "")],
)
def test_normalize_answer(text: str, key: str) -> None:
    assert normalize_answer(text) == key


def test_eviction_drops_least_recent() -> None:
    cache: LRUCache[int] = LRUCache(capacity=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert cache.get("b") is None
    assert cache.get("a") == 1
    assert cache.get("c") == 3
    assert len(cache) == 2


def test_hit_and_miss_counts() -> None:
    cache: LRUCache[str] = LRUCache()
    cache.put("x", "verdict")
    cache.get("x")
    cache.get("y")
    assert (cache.hits, cache.misses) == (1, 1)


def test_capacity_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        LRUCache(capacity=0)
