"""Lexer: token kinds and spans, typographic characters, rejected characters and limits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.expressions.failures import ExpressionError
from autograder.expressions.limits import DEFAULT_LIMITS, Limits
from autograder.expressions.tokens import (
    _ONE_FOR_ONE,
    Kind,
    Token,
    _Lexer,
    normalize_scripts,
    normalized_script_text,
    replace_one_for_one,
    tokenize,
)


def kinds_and_texts(text: str) -> list[tuple[str, str]]:
    return [(token.kind.value, token.text) for token in tokenize(text, DEFAULT_LIMITS)[:-1]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2x", [("number", "2"), ("name", "x")]),
        ("x**2", [("name", "x"), ("operator", "^"), ("number", "2")]),
        ("x^2", [("name", "x"), ("operator", "^"), ("number", "2")]),
        ("2e-3", [("number", "2e-3")]),
        ("1.5E+2", [("number", "1.5e+2")]),
        (".5", [("number", ".5")]),
        ("2e-x", [("number", "2"), ("name", "e"), ("operator", "-"), ("name", "x")]),
        ("2e", [("number", "2"), ("name", "e")]),
        ("2 e-3", [("number", "2"), ("name", "e"), ("operator", "-"), ("number", "3")]),
        ("x_{1}", [("name", "x_{1}")]),
        ("a_1x_1", [("name", "a_1"), ("name", "x_1")]),
        ("x − 1", [("name", "x"), ("operator", "-"), ("number", "1")]),
        ("x – 1", [("name", "x"), ("operator", "-"), ("number", "1")]),
        ("a×b·c", [("name", "a"), ("operator", "*"), ("name", "b"), ("operator", "*"), ("name", "c")]),
        ("x²", [("name", "x"), ("operator", "^"), ("open bracket", "("), ("number", "2"), ("close bracket", ")")]),
        (
            "x⁻¹",
            [("name", "x"), ("operator", "^"), ("open bracket", "("), ("operator", "-"), ("number", "1"), ("close bracket", ")")],
        ),
        ("（x）", [("open bracket", "("), ("name", "x"), ("close bracket", ")")]),
        ("σπ", [("name", "sigma"), ("name", "pi")]),
        ("√(x)", [("name", "√"), ("open bracket", "("), ("name", "x"), ("close bracket", ")")]),
        ("√x", [("name", "√"), ("name", "x")]),
        ("a₁ + x₂", [("name", "a_{1}"), ("operator", "+"), ("name", "x_{2}")]),
        ("w₀₁", [("name", "w_{01}")]),
        ("xᵢ", [("name", "x_{i}")]),
        ("x\u00a0+\u3000y", [("name", "x"), ("operator", "+"), ("name", "y")]),
        ("log(x, 2)", [("name", "log"), ("open bracket", "("), ("name", "x"), ("comma", ","), ("number", "2"), ("close bracket", ")")]),
        ("x!", [("name", "x"), ("operator", "!")]),
    ],
)
def test_tokenize_table(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds_and_texts(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("x_1", "x1"), ("x1", "x1"), ("x_{1}", "x1"), ("x₁", "x1"), ("w_01", "w01"), ("w01", "w01"), ("w_{01}", "w01"),
        ("w₀₁", "w01"), ("σ", "sigma"), ("σ_1", "sigma1"), ("σ₁", "sigma1"), ("x_i", "xi"), ("xᵢ", "xi"), ("√", "sqrt"),
    ],
)
def test_name_keys(text: str, key: str) -> None:
    tokens = tokenize(text, DEFAULT_LIMITS)
    assert len(tokens) == 2
    assert tokens[0].key == key


@pytest.mark.parametrize(("text", "typed"), [("σ", "σ"), ("σ_1", "σ_1"), ("σ₁", "σ_{1}"), ("sigma", ""), ("x₁", "")])
def test_greek_names_keep_typed_letter(text: str, typed: str) -> None:
    assert tokenize(text, DEFAULT_LIMITS)[0].typed == typed


def test_subscript_span_covers_typed_characters() -> None:
    tokens = tokenize("2a₁₂ + b", DEFAULT_LIMITS)
    name = tokens[1]
    assert (name.text, name.start, name.end) == ("a_{12}", 1, 4)
    assert tokens[2].start == 5


def test_spans_point_at_typed_characters() -> None:
    tokens = tokenize("x² − σ", DEFAULT_LIMITS)
    minus = next(token for token in tokens if token.text == "-")
    sigma = next(token for token in tokens if token.text == "sigma")
    assert (minus.start, minus.end) == (3, 4)
    assert (sigma.start, sigma.end) == (5, 6)
    assert tokens[-1].kind is Kind.END
    assert tokens[-1].start == 6


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("'x'", 0, "Quotes"),
        ("a.b", 1, "'.' may only appear inside a number"),
        ("x;y", 1, "single expression"),
        ("x = 1", 2, "'='"),
        ("\\sqrt{x}", 0, "Backslashes"),
        ("|x|", 0, "abs(x)"),
        ("_x", 0, "'_' may only join"),
        ("x_", 1, "'_' may only join"),
        ("x_{}", 3, "subscript in braces"),
        ("x_{1", 4, "subscript in braces"),
        ("1.2.3", 3, "only one '.'"),
        ("x @ y", 2, "'@'"),
        ("x\u200b", 1, "invisible character U+200B"),
        ("x€", 1, "'€' (U+20AC)"),
        ("1\u2003-\u2003a", 1, "space character U+2003 (EM SPACE) is not allowed"),
        ("x\x85", 1, "space character U+0085 is not allowed"),
        ("2₁", 1, "subscript such as '₁' may only follow a name"),
        ("x_1₂", 3, "subscript such as '₂' may only follow a name without a subscript"),
        ("x₁ₐ", 2, "letters followed by digits"),
        ("1/∞", 2, "Infinity (∞) is not a number that can be graded"),
    ],
)
def test_rejected_characters(text: str, position: int, fragment: str) -> None:
    with pytest.raises(ExpressionError) as raised:
        tokenize(text, DEFAULT_LIMITS)
    assert raised.value.position == position
    assert fragment in raised.value.message


def test_length_limit_checked_before_lexing() -> None:
    with pytest.raises(ExpressionError) as raised:
        tokenize("'" * 1001, DEFAULT_LIMITS)
    assert "1,001 characters" in raised.value.message
    assert raised.value.position is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("1" * 61, "61 digits"), ("1e301", "exponent of this number is out of range"), ("1e-301", "out of range")],
)
def test_number_limits(text: str, fragment: str) -> None:
    with pytest.raises(ExpressionError) as raised:
        tokenize(text, DEFAULT_LIMITS)
    assert fragment in raised.value.message


def test_custom_length_limit() -> None:
    with pytest.raises(ExpressionError):
        tokenize("x+x", Limits(max_length=2))


LEXER_ALPHABET = st.sampled_from(
    list("0123456789.+-*/^!(),[]{} eEzx_1σπ²⁻×·−√₁₀ᵢ\u2003\u00a0\t（ａ＋é")
    + ["**", "e-", "1e3", "1e999", "1.2.3", "x_{1}", "x_{", "x_1", "w_ab", "σ_1", "x₁₁", "9" * 61]
)


def _lex_by_character(text: str) -> list[Token] | str:
    """Lex with the character-level lexer alone, as tokenize does for text that its regex pass rejects."""
    normalized, positions = normalize_scripts(text)
    try:
        return _Lexer(normalized, positions, text, DEFAULT_LIMITS).run()
    except ExpressionError as error:
        return f"{error.position}: {error.message}"


@settings(max_examples=2000, deadline=None)
@given(st.lists(LEXER_ALPHABET, max_size=30).map("".join))
def test_regex_pass_matches_character_lexer(text: str) -> None:
    try:
        tokens: list[Token] | str = tokenize(text, DEFAULT_LIMITS)
    except ExpressionError as error:
        tokens = f"{error.position}: {error.message}"
    assert tokens == _lex_by_character(text)


SCRIPTS_ALPHABET = st.sampled_from(list("x2+-( )⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺₀₁₂₉ₐₓᵢⱼ−×（ａé\u2003\t"))


@settings(max_examples=1000, deadline=None)
@given(st.lists(SCRIPTS_ALPHABET, max_size=20).map("".join))
def test_script_text_without_positions(text: str) -> None:
    assert normalized_script_text(text) == normalize_scripts(text)[0]


@pytest.mark.parametrize(("text", "normalized"), [("x²³", "x^(23)"), ("x⁻¹ − w₀₁", "x^(-1) - w_{01}"), ("（ａ₁）", "(a_{1})")])
def test_script_text_examples(text: str, normalized: str) -> None:
    assert normalized_script_text(text) == normalized


@pytest.mark.parametrize("code", range(128))
def test_ascii_replacements(code: int) -> None:
    # Printable ASCII is returned as it is, and a tab or line break becomes a space.
    text = f"x{chr(code)}1"
    assert replace_one_for_one(text) == text.translate(_ONE_FOR_ONE)
