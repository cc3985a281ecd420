"""YAML loading with line numbers and source text."""

from __future__ import annotations

import pytest

from autograder.yamlsource import Document, YAMLSyntaxError, load, split_top_level


def test_keys_keep_their_source_text():
    document = load("1.1: a\n1.10: b\n2: c\n")
    assert isinstance(document, Document)
    assert document.data == {"1.1": "a", "1.10": "b", "2": "c"}


def test_scalar_text_is_kept():
    document = load("x: 1e-3\ny: 0.50\nz: '2*e'\n")
    assert isinstance(document, Document)
    assert document.texts[("x",)] == "1e-3"
    assert document.texts[("y",)] == "0.50"
    assert document.data["y"] == 0.5
    assert document.texts[("z",)] == "2*e"


def test_lines_of_nested_values():
    document = load("title: t\nparts:\n  - id: a\n    answer: 1\n  - id: b\n    answer: [1,\n      2]\n")
    assert isinstance(document, Document)
    assert document.line(("parts", 0, "answer")) == 4
    assert document.line(("parts", 1, "id")) == 5
    assert document.line(("parts", 1, "answer", 1)) == 7
    assert document.line(("parts", 1, "nonexistent")) == 5


def test_duplicate_keys_are_reported():
    document = load("a: 1\nb: 2\na: 3\n")
    assert isinstance(document, Document)
    assert document.duplicates == [(("a",), 1, 3)]


def test_syntax_error_has_line():
    result = load("a: 1\nb: [1, 2\nc: 3\n")
    assert isinstance(result, YAMLSyntaxError)
    assert result.line is not None
    assert result.line >= 2


def test_aliases_are_expanded():
    document = load("a: &v [1, 2]\nb: *v\n")
    assert isinstance(document, Document)
    assert document.data["b"] == [1, 2]


def test_split_top_level_entries():
    text = "# header\na: 1\nb:\n  - 1\n  - 2\n\nc: [1,\n  2]\n"
    assert list(split_top_level(text)) == [(2, "a: 1"), (3, "b:\n  - 1\n  - 2\n"), (7, "c: [1,\n  2]")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: '1'\nc: 1.0\nd: '1.0'", {"a": 1, "b": "1", "c": 1.0, "d": "1.0"}),
        ("a: true\nb: 'true'\nc: null\nd: 'null'\ne: ~", {"a": True, "b": "true", "c": None, "d": "null", "e": None}),
        ("a: 0x1A\nb: '0x1A'\nc: 1e3\nd: 1.0e+3", {"a": 26, "b": "0x1A", "c": "1e3", "d": 1000.0}),
    ],
)
def test_cached_scalars_keep_their_types(text: str, expected: dict[str, object]) -> None:
    # Each text is loaded twice, so that the second load reads the cached tags and values.
    for _ in range(2):
        document = load(text)
        assert isinstance(document, Document)
        assert document.data == expected
        assert {key: type(value) for key, value in document.data.items()} == {key: type(value) for key, value in expected.items()}


def test_lists_are_not_shared_between_loads() -> None:
    first = load("a: [1, 2]")
    second = load("a: [1, 2]")
    assert isinstance(first, Document)
    assert isinstance(second, Document)
    first.data["a"].append(3)
    assert second.data["a"] == [1, 2]
