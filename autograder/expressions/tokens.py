"""The lexer: turns answer text into tokens, accepting only the characters of the answer language.

Typographic characters are mapped to their ASCII meaning first (Unicode minus
and dashes to ``-``, ``×`` and ``·`` to ``*``, full-width forms to ASCII,
superscript digits to an exponent). Every token keeps the span of the text as
typed, so errors can put a caret under the character the student wrote.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType

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


@dataclass(frozen=True, slots=True)
class Token:
    """One token and the span ``[start, end)`` of the text it was read from.

    For a name, ``text`` is the name as typed (``x_{1}``) and ``key`` the form
    that name lookup uses (``x1``). For a number, ``text`` is the literal with
    typographic characters replaced. An operator's ``text`` is one of
    ``+ - * / ^ !`` (``**`` arrives as ``^``).
    """

    kind: Kind
    text: str
    start: int
    end: int
    key: str = ""


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
        "\u00a0": " ",  # no-break space
        "\u2009": " ",  # thin space
        "\u200a": " ",  # hair space
        "\u202f": " ",  # narrow no-break space
        "\u3000": " ",  # ideographic space
        "\t": " ",
        "\n": " ",
        "\r": " ",
        "\u03c0": "\u03c0",  # pi stays, and is read as a name below
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

_SQUARE_ROOT = "\u221a"
_OPEN_BRACKETS = "([{"
_CLOSE_BRACKETS = ")]}"
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
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
    }
)


@dataclass(frozen=True, slots=True)
class _Char:
    char: str
    index: int


def _normalize(text: str) -> list[_Char]:
    """Map typographic characters to ASCII and superscripts to '^(...)'.

    A run of superscript characters becomes one exponent: ``x²³`` reads as
    ``x^(23)`` and ``x⁻¹`` as ``x^(-1)``.
    """
    chars: list[_Char] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char in _SUPERSCRIPTS:
            run_start = index
            run: list[_Char] = []
            while index < len(text) and text[index] in _SUPERSCRIPTS:
                run.append(_Char(_SUPERSCRIPTS[text[index]], index))
                index += 1
            chars.append(_Char("^", run_start))
            chars.append(_Char("(", run_start))
            chars.extend(run)
            chars.append(_Char(")", index - 1))
            continue
        code = ord(char)
        if 0xFF01 <= code <= 0xFF5E:
            char = chr(code - 0xFEE0)
        char = _REPLACEMENTS.get(char, char)
        chars.append(_Char(char, index))
        index += 1
    return chars


def tokenize(text: str, limits: Limits) -> list[Token]:
    """Split ``text`` into tokens, ending with an ``END`` token.

    Raises ``ExpressionError`` with the position of the first character that
    cannot start or continue a token, and for a text over the length limit.
    """
    if len(text) > limits.max_length:
        raise ExpressionError(
            f"Your answer is {len(text):,} characters long, but the limit is {limits.max_length:,} characters."
        )
    return _Lexer(_normalize(text), len(text), limits).run()


class _Lexer:
    def __init__(self, chars: list[_Char], text_length: int, limits: Limits) -> None:
        self.chars = chars
        self.text_length = text_length
        self.limits = limits
        self.position = 0
        self.tokens: list[Token] = []

    def peek(self, offset: int = 0) -> str:
        index = self.position + offset
        return self.chars[index].char if index < len(self.chars) else ""

    def source_index(self, offset: int = 0) -> int:
        index = self.position + offset
        return self.chars[index].index if index < len(self.chars) else self.text_length

    def source_end(self) -> int:
        """Source index just past the last character consumed."""
        return self.chars[self.position - 1].index + 1 if self.position else 0

    def run(self) -> list[Token]:
        while self.position < len(self.chars):
            char = self.peek()
            start = self.source_index()
            if char == " ":
                self.position += 1
            elif char in _DIGITS or (char == "." and self.peek(1) in _DIGITS):
                self.lex_number()
            elif char in _LETTERS:
                self.lex_name()
            elif char in GREEK_LETTERS:
                self.position += 1
                self.lex_subscript_and_finish(GREEK_LETTERS[char], start)
            elif char == "*" and self.peek(1) == "*":
                self.position += 2
                self.emit(Kind.OPERATOR, "^", start)
            elif char in "+-*/^!":
                self.position += 1
                self.emit(Kind.OPERATOR, char, start)
            elif char in _OPEN_BRACKETS:
                self.position += 1
                self.emit(Kind.OPEN, char, start)
            elif char in _CLOSE_BRACKETS:
                self.position += 1
                self.emit(Kind.CLOSE, char, start)
            elif char == ",":
                self.position += 1
                self.emit(Kind.COMMA, char, start)
            elif char == _SQUARE_ROOT:
                self.position += 1
                self.emit(Kind.NAME, "sqrt", start, key="sqrt")
            else:
                raise ExpressionError(_character_message(char), start)
        self.tokens.append(Token(Kind.END, "", self.text_length, self.text_length))
        return self.tokens

    def emit(self, kind: Kind, text: str, start: int, key: str = "") -> None:
        self.tokens.append(Token(kind, text, start, self.source_end(), key))

    def take_digits(self) -> str:
        digits = []
        while self.peek() in _DIGITS and self.peek():
            digits.append(self.peek())
            self.position += 1
        return "".join(digits)

    def take_letters(self) -> str:
        letters = []
        while self.peek() in _LETTERS and self.peek():
            letters.append(self.peek())
            self.position += 1
        return "".join(letters)

    def lex_number(self) -> None:
        """Read ``12``, ``0.5``, ``.5`` or ``1.5e-3``.

        Scientific notation is read only when ``e`` or ``E`` follows the digits
        directly and is itself followed directly by digits, optionally signed:
        ``2e-3`` is 0.002, while ``2e - 3``, ``2*e-3`` and ``2e`` contain
        Euler's number.
        """
        start = self.source_index()
        mantissa = self.take_digits()
        if self.peek() == ".":
            self.position += 1
            mantissa += "." + self.take_digits()
            if self.peek() == "." and self.peek(1) in _DIGITS and self.peek(1):
                raise ExpressionError("A number may contain only one '.'.", self.source_index())
        exponent = ""
        if self.peek() in ("e", "E") and self.peek():
            sign = self.peek(1) if self.peek(1) in ("+", "-") and self.peek(1) else ""
            if self.peek(1 + len(sign)) in _DIGITS and self.peek(1 + len(sign)):
                self.position += 1 + len(sign)
                exponent = sign + self.take_digits()
        digit_count = sum(char in _DIGITS for char in mantissa)
        if digit_count > self.limits.max_number_digits:
            raise ExpressionError(
                f"This number has {digit_count} digits, but numbers are limited to {self.limits.max_number_digits} digits.",
                start,
            )
        if exponent and abs(int(exponent)) > self.limits.max_number_exponent:
            raise ExpressionError(
                f"The exponent of this number is out of range: scientific notation is limited to exponents from -{self.limits.max_number_exponent} to {self.limits.max_number_exponent}.",
                start,
            )
        literal = mantissa + ("e" + exponent if exponent else "")
        self.emit(Kind.NUMBER, literal, start)

    def lex_name(self) -> None:
        """Read a name: letters, then digits, then an optional subscript.

        ``x1``, ``x_1`` and ``x_{1}`` all get the key ``x1``. A subscript
        after ``_`` is a run of digits, a run of letters, or letters and digits
        in braces, so ``a_1x_1`` reads as two names.
        """
        start = self.source_index()
        base = self.take_letters() + self.take_digits()
        self.lex_subscript_and_finish(base, start)

    def lex_subscript_and_finish(self, base: str, start: int) -> None:
        text = base
        key = base
        if self.peek() == "_":
            underscore = self.source_index()
            self.position += 1
            if self.peek() == "{":
                self.position += 1
                subscript = self.take_letters() + self.take_digits()
                if not subscript or self.peek() != "}":
                    raise ExpressionError(
                        "A subscript in braces must be letters or digits followed by '}', as in x_{1}.",
                        self.source_index(),
                    )
                self.position += 1
                text += "_{" + subscript + "}"
            else:
                subscript = self.take_digits() or self.take_letters()
                if not subscript:
                    raise ExpressionError(_CHARACTER_MESSAGES["_"], underscore)
                text += "_" + subscript
            key += subscript
        self.emit(Kind.NAME, text, start, key=key)


def _character_message(char: str) -> str:
    if char in _CHARACTER_MESSAGES:
        return _CHARACTER_MESSAGES[char]
    if char.isprintable() and not char.isspace():
        return f"The character '{char}' (U+{ord(char):04X}) is not allowed in an answer."
    return f"The invisible character U+{ord(char):04X} is not allowed in an answer."


def number_value(literal: str) -> Fraction:
    """Return the exact value of a literal produced by the lexer (digits, '.', 'e', sign)."""
    return Fraction(literal)
