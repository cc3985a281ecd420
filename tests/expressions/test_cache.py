"""The verdict cache: normalized keys and least-recently-used eviction."""

from __future__ import annotations

import pytest

from autograder.expressions.cache import _SPACE_RUN, LRUCache, normalize_answer
from autograder.expressions.limits import DEFAULT_LIMITS
from autograder.expressions.tokens import SPACES, tokenize


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("x+1", "x+1"),
        ("  x + 1 ", "x + 1"),
        ("x\t+\n1", "x + 1"),
        ("x  +   1", "x + 1"),
        ("", ""),
        ("1\u00a0-\u2009a\u3000", "1 - a"),
        ("1\u2003-\u2003a", "1\u2003-\u2003a"),
        (" 1 \u2003 a ", "1 \u2003 a"),
        ("x\u200b", "x\u200b"),
        ("x\x1c+\x85y", "x\x1c+\x85y"),
    ],
)
def test_normalize_answer(text: str, key: str) -> None:
    assert normalize_answer(text) == key


def test_overlong_answer_not_normalized() -> None:
    text = "x" + " " * 1500
    assert normalize_answer(text) == text


def kinds_and_texts(text: str) -> list[tuple[str, str]]:
    return [(token.kind.value, token.text) for token in tokenize(text, DEFAULT_LIMITS)]


@pytest.mark.parametrize("space", sorted(SPACES), ids=lambda space: f"U+{ord(space):04X}")
def test_collapsed_spaces_are_lexer_spaces(space: str) -> None:
    assert kinds_and_texts(f"x{space}+{space}{space}1") == kinds_and_texts("x + 1")


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


def test_add_after_a_miss_evicts_like_put() -> None:
    cache: LRUCache[int] = LRUCache(capacity=2)
    cache.add("a", 1)
    cache.add("b", 2)
    assert cache.get("a") == 1
    assert cache.get("c") is None
    cache.add("c", 3)
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


@pytest.mark.parametrize("code", range(128))
def test_ascii_keys_match_collapsing(code: int) -> None:
    # Printable ASCII skips the search for other spaces, so every ASCII character must give the key that collapsing gives.
    text = f" x{chr(code)}y {chr(code)}"
    assert normalize_answer(text) == _SPACE_RUN.sub(" ", text).strip(" ")
