"""The lexer: turns answer text into tokens, accepting only the characters of the answer language.

Typographic characters are mapped to their ASCII meaning first (Unicode minus
and dashes to ``-``, ``×`` and ``·`` to ``*``, full-width forms to ASCII,
superscript digits to an exponent, subscript digits and letters to a
subscript). Every token keeps the span of the text as typed, so errors can put
a caret under the character the student wrote.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Mapping
from fractions import Fraction
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

from autograder.expressions.failures import ExpressionError
from autograder.expressions.limits import Limits


class Kind(enum.Enum):
    """The kind of a token."""

    NUMBER = "number"
    NAME = "name"
    OPERATOR = "operator"
    OPEN = "open bracket"
    CLOSE = "close bracket"
    COMMA = "comma"
    END = "end"


class Token(NamedTuple):
    """One token and the span ``[start, end)`` of the text it was read from.

    For a name, ``text`` is the name spelled in ASCII (``x_{1}``, ``sigma``
    for ``σ``) and ``key`` the form that name lookup uses (``x1``). ``typed``
    is set only for a name that starts with a Greek letter, to the letter as
    typed followed by the subscript (``σ_1``). The square root sign ``√`` is a
    name token with ``text`` ``√`` and ``key`` ``sqrt``. For a number,
    ``text`` is the literal with typographic characters replaced. An
    operator's ``text`` is one of ``+ - * / ^ !`` (``**`` arrives as ``^``).
    """

    kind: Kind
    text: str
    start: int
    end: int
    key: str = ""
    typed: str = ""


# The white space that separates tokens and is otherwise ignored. Every other
# space character (such as U+2003 EM SPACE) is rejected, so this set also
# decides which runs of space a verdict cache may collapse.
SPACES = frozenset(" \t\n\r\u00a0\u2009\u200a\u202f\u3000")

# Characters replaced one for one before lexing. Each replacement keeps the
# index of the character as typed, so carets still point at what was written.
_REPLACEMENTS: Mapping[str, str] = MappingProxyType(
    {
        "\u2212": "-",  # minus sign
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\ufe63": "-",  # small hyphen-minus
        "\u00d7": "*",  # multiplication sign
        "\u00b7": "*",  # middle dot
        "\u22c5": "*",  # dot operator
        "\u2219": "*",  # bullet operator
        "\u2217": "*",  # asterisk operator
        "\u00f7": "/",  # division sign
        "\u2215": "/",  # division slash
        **{space: " " for space in SPACES if space != " "},
    }
)

_SUPERSCRIPTS: Mapping[str, str] = MappingProxyType(
    {
        "\u2070": "0",
        "\u00b9": "1",
        "\u00b2": "2",
        "\u00b3": "3",
        "\u2074": "4",
        "\u2075": "5",
        "\u2076": "6",
        "\u2077": "7",
        "\u2078": "8",
        "\u2079": "9",
        "\u207b": "-",
        "\u207a": "+",
    }
)

# Subscript digits and letters, read as a subscript: ``a₁`` is ``a_1`` and
# ``xᵢ`` is ``x_i``.
_SUBSCRIPTS: Mapping[str, str] = MappingProxyType(
    {
        **{chr(0x2080 + digit): str(digit) for digit in range(10)},
        "\u2090": "a",
        "\u2091": "e",
        "\u2092": "o",
        "\u2093": "x",
        "\u2095": "h",
        "\u2096": "k",
        "\u2097": "l",
        "\u2098": "m",
        "\u2099": "n",
        "\u209a": "p",
        "\u209b": "s",
        "\u209c": "t",
        "\u1d62": "i",
        "\u1d63": "r",
        "\u1d64": "u",
        "\u1d65": "v",
        "\u2c7c": "j",
    }
)

# Greek letters read as the name of the letter, so that "σ" is the declared
# variable "sigma". Final sigma and the symbol variants map to the same names.
GREEK_LETTERS: Mapping[str, str] = MappingProxyType(
    {
        "\u03b1": "alpha",
        "\u03b2": "beta",
        "\u03b3": "gamma",
        "\u03b4": "delta",
        "\u03b5": "epsilon",
        "\u03f5": "epsilon",
        "\u03b6": "zeta",
        "\u03b7": "eta",
        "\u03b8": "theta",
        "\u03d1": "theta",
        "\u03b9": "iota",
        "\u03ba": "kappa",
        "\u03bb": "lambda",
        "\u03bc": "mu",
        "\u00b5": "mu",  # micro sign
        "\u03bd": "nu",
        "\u03be": "xi",
        "\u03c0": "pi",
        "\u03c1": "rho",
        "\u03c3": "sigma",
        "\u03c2": "sigma",
        "\u03c4": "tau",
        "\u03c5": "upsilon",
        "\u03c6": "phi",
        "\u03d5": "phi",
        "\u03c7": "chi",
        "\u03c8": "psi",
        "\u03c9": "omega",
        "\u0393": "Gamma",
        "\u0394": "Delta",
        "\u0398": "Theta",
        "\u039b": "Lambda",
        "\u039e": "Xi",
        "\u03a0": "Pi",
        "\u03a3": "Sigma",
        "\u03a6": "Phi",
        "\u03a8": "Psi",
        "\u03a9": "Omega",
    }
)

SQUARE_ROOT = "\u221a"
_DIGITS = frozenset("0123456789")

# Messages for characters that students (or attackers) type but the answer
# language does not have. Other characters get a generic message.
_CHARACTER_MESSAGES: Mapping[str, str] = MappingProxyType(
    {
        "'": "Quotes are not allowed: type the expression itself, without quotes.",
        '"': "Quotes are not allowed: type the expression itself, without quotes.",
        "`": "Backquotes are not allowed: type the expression itself.",
        ".": "A '.' may only appear inside a number such as 0.5.",
        ";": "';' is not allowed: an answer is a single expression.",
        ":": "':' is not allowed in an answer.",
        "=": "'=' is not allowed: type only the expression, without a name and '=' in front.",
        "\\": "Backslashes are not allowed: type sqrt(x) rather than LaTeX such as \\sqrt{x}.",
        "|": "'|' is not supported: write abs(x) for the absolute value.",
        "_": "'_' may only join a name to its subscript, as in x_1.",
        "#": "'#' is not allowed in an answer.",
        "@": "'@' is not allowed: vectors are multiplied elementwise with '*'.",
        "%": "'%' is not allowed: write percentages as fractions, e.g. 0.05 or 5/100.",
        "&": "'&' is not allowed in an answer.",
        "$": "'$' is not allowed: type the expression without LaTeX dollar signs.",
        "<": "Comparisons are not allowed: type only the expression.",
        ">": "Comparisons are not allowed: type only the expression.",
        "~": "'~' is not allowed in an answer.",
        "?": "'?' is not allowed in an answer.",
        "\u221e": "Infinity (∞) is not a number that can be graded: type an expression with a finite value.",
    }
)


def normalize_scripts(text: str) -> tuple[str, list[int]]:
    """Map typographic characters to ASCII, superscripts to '^(...)' and subscripts to '_{...}'.

    A run of superscript characters becomes one exponent: ``x²³`` reads as
    ``x^(23)`` and ``x⁻¹`` as ``x^(-1)``. A run of subscript characters
    becomes one braced subscript: ``w₀₁`` reads as ``w_{01}``. Returns the
    normalized text and, for each of its characters, the index of the typed
    character it comes from. The opening characters of a run map to the
    run's first character and the closing one to its last, so a caret at
    either points at what was typed.
    """
    pieces: list[str] = []
    positions: list[int] = []
    done = 0
    for match in _SCRIPT_RUN.finditer(text):
        start, end = match.span()
        pieces.append(text[done:start].translate(_ONE_FOR_ONE))
        positions.extend(range(done, start))
        if match.lastgroup == "superscript":
            table, opening, closing = _SUPERSCRIPTS, "^(", ")"
        else:
            table, opening, closing = _SUBSCRIPTS, "_{", "}"
        pieces.append(opening + "".join(table[char] for char in match.group()) + closing)
        positions.extend((start, start))
        positions.extend(range(start, end))
        positions.append(end - 1)
        done = end
    pieces.append(text[done:].translate(_ONE_FOR_ONE))
    positions.extend(range(done, len(text)))
    return "".join(pieces), positions


def normalized_script_text(text: str) -> str:
    """Return ``normalize_scripts(text)[0]`` without working out the positions."""
    return _SCRIPT_RUN.sub(_expanded_script, text).translate(_ONE_FOR_ONE)


def _expanded_script(match: re.Match[str]) -> str:
    if match.lastgroup == "superscript":
        return "^(" + "".join(_SUPERSCRIPTS[char] for char in match.group()) + ")"
    return "_{" + "".join(_SUBSCRIPTS[char] for char in match.group()) + "}"


def tokenize(text: str, limits: Limits) -> list[Token]:
    """Split ``text`` into tokens, ending with an ``END`` token.

    Raises ``ExpressionError`` with the position of the first character that
    cannot start or continue a token, and for a text over the length limit.
    """
    if len(text) > limits.max_length:
        raise ExpressionError(
            f"Your answer is {len(text):,} characters long, but the limit is {limits.max_length:,} characters."
        )
    if text.isascii() and not _ASCII_TO_REPLACE.search(text):
        normalized = text
    elif not _CHANGES_LENGTH.search(text):
        # Every replacement is one character for one, so indices need no mapping.
        normalized = text.translate(_ONE_FOR_ONE)
    else:
        normalized, positions = normalize_scripts(text)
        tokens = _lex_common(normalized, limits)
        if tokens is None:
            return _Lexer(normalized, positions, text, limits).run()
        end = len(text)
        mapped = [
            _new_token(Token, (kind, token_text, positions[start], positions[stop - 1] + 1, key, typed))
            for kind, token_text, start, stop, key, typed in tokens[:-1]
        ]
        mapped.append(_new_token(Token, (Kind.END, "", end, end, "", "")))
        return mapped
    tokens = _lex_common(normalized, limits)
    if tokens is not None:
        return tokens
    return _Lexer(normalized, None, text, limits).run()


def replace_one_for_one(text: str) -> str | None:
    """Return ``text`` with the one-for-one replacements made, or None if a superscript or subscript needs more characters.

    The replacements keep every character's index, so spans into the result
    are spans into ``text``.
    """
    if text.isascii() and (text.isprintable() or not _ASCII_TO_REPLACE.search(text)):
        # Printable text has no tab or line break, which the search would look for.
        return text
    if _CHANGES_LENGTH.search(text):
        return None
    return text.translate(_ONE_FOR_ONE)


# Plain ASCII answers (the usual case) skip the character-by-character
# normalization and are lexed in place, so positions need no mapping.
_ASCII_TO_REPLACE = re.compile(r"[\t\n\r]")
# Superscripts and subscripts become several characters (``x²`` reads as ``x^(2)``).
_CHANGES_LENGTH = re.compile("[" + re.escape("".join(_SUPERSCRIPTS) + "".join(_SUBSCRIPTS)) + "]")
_SCRIPT_RUN = re.compile(
    "(?P<superscript>[" + re.escape("".join(_SUPERSCRIPTS)) + "]+)"
    "|(?P<subscript>[" + re.escape("".join(_SUBSCRIPTS)) + "]+)"
)
_ONE_FOR_ONE: Mapping[int, str] = MappingProxyType(
    {
        **{ord(char): replacement for char, replacement in _REPLACEMENTS.items()},
        **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},
    }
)

# One token per match, after a run of spaces: a number, a name with an
# optional well-formed subscript, "**", or any other single character.
_COMMON_TOKEN = re.compile(
    r"( *+)((?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
    r"|[A-Za-z]+[0-9]*(?:_(?:\{(?:[A-Za-z]+[0-9]*|[0-9]+)\}|[0-9]+|[A-Za-z]+))?"
    r"|\*\*|.)",
    re.DOTALL,
)
# A plain dict rather than a read-only mapping, because a lookup through MappingProxyType
# costs about twice as much and runs once per token. Nothing writes to it.
_SINGLE_CHARACTER_KINDS: dict[str, Kind] = {
    **{operator: Kind.OPERATOR for operator in "+-*/^!"},
    **{bracket: Kind.OPEN for bracket in "([{"},
    **{bracket: Kind.CLOSE for bracket in ")]}"},
    ",": Kind.COMMA,
}
_NUMBER_START = frozenset("0123456789.")
_new_token = tuple.__new__


def _lex_common(text: str, limits: Limits) -> list[Token] | None:
    """Lex text made only of the common tokens in one regular-expression pass, or return None.

    Returns None for anything that ``_Lexer`` must look at closely: a
    character outside the answer language, a ``_`` outside a well-formed
    subscript, a Greek letter followed by ``_``, a second ``.`` in a
    number, or a literal over the digit or exponent limit. ``_Lexer``
    then lexes the text from the start and gives the same tokens or the
    error message. Spans index ``text``, so the caller passes only text
    whose characters line up with the text as typed.
    """
    tokens: list[Token] = []
    append = tokens.append
    position = 0
    length = len(text)
    for spaces, piece in _COMMON_TOKEN.findall(text):
        start = position + len(spaces)
        position = start + len(piece)
        kind = _SINGLE_CHARACTER_KINDS.get(piece)
        if kind is not None:
            append(_new_token(Token, (kind, piece, start, position, "", "")))
            continue
        first = piece[0]
        if first in _NUMBER_START and piece != ".":
            if position < length and text[position] == ".":
                return None
            literal = piece.lower()
            if len(literal) > limits.max_number_digits or "e" in literal:
                mantissa, _, exponent = literal.partition("e")
                if sum(char in _DIGITS for char in mantissa) > limits.max_number_digits:
                    return None
                if exponent and abs(int(exponent)) > limits.max_number_exponent:
                    return None
            append(_new_token(Token, (Kind.NUMBER, literal, start, position, "", "")))
        elif first.isascii() and first.isalpha():
            if "_" in piece:
                base, _, written = piece.partition("_")
                key = base + written.strip("{}")
            else:
                key = piece
            append(_new_token(Token, (Kind.NAME, piece, start, position, key, "")))
        elif piece == "**":
            append(_new_token(Token, (Kind.OPERATOR, "^", start, position, "", "")))
        elif first in GREEK_LETTERS and (position == length or text[position] != "_"):
            name = GREEK_LETTERS[first]
            append(_new_token(Token, (Kind.NAME, name, start, position, name, first)))
        elif first == SQUARE_ROOT:
            append(_new_token(Token, (Kind.NAME, SQUARE_ROOT, start, position, "sqrt", "")))
        else:
            return None
    append(_new_token(Token, (Kind.END, "", length, length, "", "")))
    return tokens
_TOKEN = re.compile(
    r"(?P<space> +)"
    r"|(?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[A-Za-z]+[0-9]*)"
    r"|(?P<power>\*\*)"
    r"|(?P<operator>[-+*/^!])"
    r"|(?P<open>[(\[{])"
    r"|(?P<close>[)\]}])"
    r"|(?P<comma>,)"
)
_SUBSCRIPT = re.compile(r"_(?:\{(?P<braced>[A-Za-z]*[0-9]*)(?P<closed>\}?)|(?P<plain>[0-9]+|[A-Za-z]+))?")


class _Lexer:
    """Scans normalized text. ``positions[i]`` is the index in the typed text
    of normalized character ``i``, or ``None`` when the two are the same."""

    def __init__(self, text: str, positions: list[int] | None, typed_text: str, limits: Limits) -> None:
        self.text = text
        self.positions = positions
        self.typed_text = typed_text
        self.text_length = len(typed_text)
        self.limits = limits
        self.tokens: list[Token] = []

    def source(self, index: int) -> int:
        """Index in the typed text of normalized character ``index`` (the end maps to the end)."""
        if self.positions is None:
            return index
        return self.positions[index] if index < len(self.positions) else self.text_length

    def source_end(self, end: int) -> int:
        """Index in the typed text just past the normalized characters before ``end``."""
        if self.positions is None:
            return end
        return self.positions[end - 1] + 1 if end else 0

    def emit(self, kind: Kind, text: str, start: int, end: int, key: str = "", typed: str = "") -> None:
        if self.positions is None:
            self.tokens.append(Token(kind, text, start, end, key, typed))
        else:
            self.tokens.append(Token(kind, text, self.source(start), self.source_end(end), key, typed))

    def run(self) -> list[Token]:
        text = self.text
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:
                position = self.lex_other(position)
                continue
            group = match.lastgroup
            end = match.end()
            if group == "number":
                end = self.lex_number(match)
            elif group == "name":
                end = self.lex_subscript_and_finish(match.group(), position, end)
            elif group == "power":
                self.emit(Kind.OPERATOR, "^", position, end)
            elif group == "operator":
                self.emit(Kind.OPERATOR, match.group(), position, end)
            elif group == "open":
                self.emit(Kind.OPEN, match.group(), position, end)
            elif group == "close":
                self.emit(Kind.CLOSE, match.group(), position, end)
            elif group == "comma":
                self.emit(Kind.COMMA, ",", position, end)
            position = end
        self.tokens.append(Token(Kind.END, "", self.text_length, self.text_length))
        return self.tokens

    def lex_other(self, position: int) -> int:
        """Lex a Greek letter or the square root sign, or reject the character."""
        char = self.text[position]
        if char in GREEK_LETTERS:
            return self.lex_subscript_and_finish(GREEK_LETTERS[char], position, position + 1, typed=char)
        if char == SQUARE_ROOT:
            self.emit(Kind.NAME, SQUARE_ROOT, position, position + 1, key="sqrt")
            return position + 1
        if char == "_" and self.is_typed_subscript(position):
            typed = self.typed_text[self.source(position)]
            raise ExpressionError(
                f"A subscript such as '{typed}' may only follow a name without a subscript, as in x{typed}.", self.source(position)
            )
        raise ExpressionError(_character_message(char), self.source(position))

    def is_typed_subscript(self, position: int) -> bool:
        """Tell whether normalized character ``position`` comes from a subscript character such as '₁'."""
        source = self.source(position)
        return source < self.text_length and self.typed_text[source] in _SUBSCRIPTS

    def lex_number(self, match: re.Match[str]) -> int:
        """Check a literal such as ``12``, ``0.5``, ``.5`` or ``1.5e-3`` and emit it.

        Scientific notation is read only when ``e`` or ``E`` follows the digits
        directly and is itself followed directly by digits, optionally signed:
        ``2e-3`` is 0.002, while ``2e - 3``, ``2*e-3`` and ``2e`` contain
        Euler's number.
        """
        literal = match.group()
        start, end = match.start(), match.end()
        if end + 1 < len(self.text) and self.text[end] == "." and self.text[end + 1] in _DIGITS:
            raise ExpressionError("A number may contain only one '.'.", self.source(end))
        mantissa, _, exponent = literal.lower().partition("e")
        digit_count = sum(char in _DIGITS for char in mantissa)
        if digit_count > self.limits.max_number_digits:
            raise ExpressionError(
                f"This number has {digit_count} digits, but numbers are limited to {self.limits.max_number_digits} digits.",
                self.source(start),
            )
        if exponent and abs(int(exponent)) > self.limits.max_number_exponent:
            raise ExpressionError(
                f"The exponent of this number is out of range: scientific notation is limited to exponents from -{self.limits.max_number_exponent} to {self.limits.max_number_exponent}.",
                self.source(start),
            )
        self.emit(Kind.NUMBER, mantissa + ("e" + exponent if exponent else ""), start, end)
        return end

    def lex_subscript_and_finish(self, base: str, start: int, end: int, typed: str = "") -> int:
        """Read the optional subscript after a name's letters and digits, and emit the name.

        ``x1``, ``x_1``, ``x_{1}`` and ``x₁`` all get the key ``x1``. A
        subscript after ``_`` is a run of digits, a run of letters, or letters
        and digits in braces, so ``a_1x_1`` reads as two names. ``typed`` is
        the Greek letter that ``base`` spells, if any.
        """
        if end >= len(self.text) or self.text[end] != "_":
            self.emit(Kind.NAME, base, start, end, key=base, typed=typed)
            return end
        match = _SUBSCRIPT.match(self.text, end)
        assert match is not None
        braced, plain = match.group("braced"), match.group("plain")
        if braced is not None:
            if not braced or not match.group("closed"):
                message = "A subscript in braces must be letters or digits followed by '}', as in x_{1}."
                if self.is_typed_subscript(end):
                    message = "A subscript must be letters followed by digits, as in xᵢ₁ or x₁."
                raise ExpressionError(message, self.source(match.start("closed")))
            subscript, written = braced, "_{" + braced + "}"
        elif plain is not None:
            subscript, written = plain, "_" + plain
        else:
            raise ExpressionError(_CHARACTER_MESSAGES["_"], self.source(end))
        self.emit(
            Kind.NAME, base + written, start, match.end(), key=base + subscript, typed=typed + written if typed else ""
        )
        return match.end()


def _character_message(char: str) -> str:
    if char in _CHARACTER_MESSAGES:
        return _CHARACTER_MESSAGES[char]
    if char.isprintable() and not char.isspace():
        return f"The character '{char}' (U+{ord(char):04X}) is not allowed in an answer."
    if char.isspace():
        name = unicodedata.name(char, "")
        described = f"U+{ord(char):04X} ({name})" if name else f"U+{ord(char):04X}"
        return f"The space character {described} is not allowed in an answer: type an ordinary space."
    return f"The invisible character U+{ord(char):04X} is not allowed in an answer."


@lru_cache(maxsize=1024)
def number_value(literal: str) -> Fraction:
    """Return the exact value of a literal produced by the lexer (digits, '.', 'e', sign)."""
    if literal.isdigit():
        return Fraction(int(literal))
    return Fraction(literal)
