"""Name resolution: the whitelisted functions and constants, declared variables and their spellings."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import Literal


@dataclass(frozen=True)
class FunctionInfo:
    """A function of the answer language: canonical name and number of arguments."""

    name: str
    min_args: int = 1
    max_args: int = 1


_FUNCTION_LIST = (
    FunctionInfo("exp"),
    FunctionInfo("log", 1, 2),
    FunctionInfo("sqrt"),
    FunctionInfo("abs"),
    FunctionInfo("factorial"),
    FunctionInfo("sin"),
    FunctionInfo("cos"),
    FunctionInfo("tan"),
    FunctionInfo("sec"),
    FunctionInfo("csc"),
    FunctionInfo("cot"),
    FunctionInfo("asin"),
    FunctionInfo("acos"),
    FunctionInfo("atan"),
    FunctionInfo("sinh"),
    FunctionInfo("cosh"),
    FunctionInfo("tanh"),
    FunctionInfo("asinh"),
    FunctionInfo("acosh"),
    FunctionInfo("atanh"),
)

# Spellings of each function, keyed by what the student types. This is the
# whitelist: a name not in this table, not a constant and not declared by the
# part can never be called.
FUNCTIONS: Mapping[str, FunctionInfo] = MappingProxyType(
    {
        **{info.name: info for info in _FUNCTION_LIST},
        "ln": FunctionInfo("log", 1, 2),
        "arcsin": FunctionInfo("asin"),
        "arccos": FunctionInfo("acos"),
        "arctan": FunctionInfo("atan"),
        "arcsinh": FunctionInfo("asinh"),
        "arccosh": FunctionInfo("acosh"),
        "arctanh": FunctionInfo("atanh"),
        "arsinh": FunctionInfo("asinh"),
        "arcosh": FunctionInfo("acosh"),
        "artanh": FunctionInfo("atanh"),
    }
)

ConstantName = Literal["e", "pi"]
CONSTANTS: Mapping[str, ConstantName] = MappingProxyType({"e": "e", "pi": "pi"})

# Names that a student may type expecting a computer algebra system or Python
# to act on them. They get a message that says why they are not accepted.
_CAS_COMMANDS = (
    "diff", "derivative", "integrate", "integral", "int", "simplify", "solve", "subs",
    "expand", "factor", "limit", "lim", "series", "evalf", "sympify", "Derivative",
    "Integral", "Sum", "Product",
)
_PYTHON_NAMES = (
    "eval", "exec", "compile", "getattr", "setattr", "delattr", "globals", "locals",
    "vars", "dir", "open", "import", "lambda", "print", "input", "type", "object",
    "exit", "quit", "help", "breakpoint", "memoryview", "classmethod", "staticmethod",
    "super", "property", "for", "in", "if", "else", "while", "def", "class", "return",
    "yield", "from", "with", "as", "not", "and", "or", "is", "None", "True", "False",
    "np", "numpy", "math", "sympy", "os", "sys", "subprocess",
)
FORBIDDEN: Mapping[str, str] = MappingProxyType(
    {
        **{
            name: f"'{name}' is not allowed: type the result itself, not a command that computes it."
            for name in _CAS_COMMANDS
        },
        **{
            name: f"'{name}' is not part of the answer language: an answer is a mathematical expression, not code."
            for name in _PYTHON_NAMES
        },
    }
)


# Names that a student may type for a value that cannot be graded, with what they stand for.
_NOT_A_NUMBER: Mapping[str, str] = MappingProxyType(
    {"nan": "NaN (not a number)", "inf": "infinity", "infinity": "infinity"}
)

_LETTERS_AND_DIGITS = re.compile(r"(?P<letters>[A-Za-z]+)(?P<digits>[0-9]+)")
# The least similarity, as difflib's ratio, of a suggested name to the unknown one.
_SUGGESTION_CUTOFF = 0.6


def name_key(name: str) -> str:
    """Return the lookup key of a name: ``x_1``, ``x1`` and ``x_{1}`` all give ``x1``."""
    return name.replace("_", "").replace("{", "").replace("}", "")


@dataclass(frozen=True)
class Resolved:
    """The meaning of a name token in one part."""

    kind: Literal["variable", "constant", "function"]
    name: str
    function: FunctionInfo | None = None


class NameTable:
    """The names a part accepts: its declared variables, then functions and constants.

    A declared variable wins over a function name's absence and over a
    constant: a part that declares ``e`` gets a variable ``e``. Names such as
    ``lambda``, ``gamma``, ``S``, ``N``, ``E``, ``I``, ``Q`` and ``O`` are
    variables only where declared and unknown elsewhere.
    """

    def __init__(self, variables: Iterable[str] = ()) -> None:
        self.variables: tuple[str, ...] = tuple(variables)
        self._variable_keys: dict[str, str] = {}
        for name in self.variables:
            self._variable_keys.setdefault(name_key(name), name)
        # Every name this part accepts, resolved once: variables win over functions, functions over constants.
        self._resolved: dict[str, Resolved] = {
            **{key: Resolved("constant", constant) for key, constant in CONSTANTS.items()},
            **{key: Resolved("function", info.name, info) for key, info in FUNCTIONS.items()},
            **{key: Resolved("variable", name) for key, name in self._variable_keys.items()},
        }

        self._spellings_by_length: dict[int, list[str]] = {}
        # The fast path's token code and value of each operator and name as typed, which fastparse builds on first use.
        self.fast_path_entries: dict[str, tuple[int, object]] | None = None

    def resolve(self, key: str) -> Resolved | None:
        """Return what ``key`` names, or ``None`` for an unknown name."""
        return self._resolved.get(key)

    def resolved_keys(self) -> Mapping[str, Resolved]:
        """Return every key this part accepts with what it names, as a read-only mapping."""
        return MappingProxyType(self._resolved)

    def unknown_name_message(self, text: str, key: str, *, typed: str = "") -> str:
        """Describe an unknown or forbidden name, with a suggestion when one is close.

        ``typed`` is the name as typed when that differs from ``text``, as
        ``σ`` does from ``sigma``. The message then states how it was read.
        """
        if key in FORBIDDEN and key not in self._variable_keys and not typed:
            return FORBIDDEN[key]
        if key.lower() in _NOT_A_NUMBER and self._split_into_names(key, self._known()) is None:
            return f"'{text}' stands for {_NOT_A_NUMBER[key.lower()]}, which is not a number that can be graded: type an expression with a finite value."
        if typed:
            message = f"'{typed}' was read as {text}, and {text} is not a variable or function of this part."
        else:
            message = f"Unknown name '{text}'."
        suggestion = self.suggest(key)
        if suggestion:
            message += f" Did you mean {suggestion}?"
        if self.variables and (typed or not suggestion):
            message += f" The variables of this part are {_join_names(self.variables)}."
        elif not self.variables and not suggestion:
            message += " This part has no variables: use numbers, e, pi and functions such as log."
        return message

    def suggest(self, key: str) -> str | None:
        """Suggest a known name close to ``key``, or a product of known names it splits into.

        In order: the same name in another case (``Sin`` for ``sin``), a
        product of known names (``x*y`` for ``xy``), the same letters with the
        subscript digits reordered (``w_01`` for ``w10``), then the closest
        spelling by edit distance.
        """
        known = self._known()
        lowered = key.lower()
        same_letters = self._names_by_lowercase.get(lowered)
        if same_letters is not None:
            return f"'{same_letters}'"
        split = self._split_into_names(key, known)
        if split is not None:
            return "'" + "*".join(split) + "'"
        call = _call_without_brackets(key, known)
        if call is not None:
            return f"'{call}'"
        base = _LOG_WITH_BASE.fullmatch(key)
        if base is not None:
            return f"'log(…, {base.group('base')})', the logarithm to base {base.group('base')}"
        reordered = _reordered_subscript(key, known)
        if reordered is not None:
            return f"'{reordered}'"
        # A spelling that shares no character with the key has a similarity of 0.
        letters = set(key)
        candidates = [spelling for spelling in self._spellings_of_similar_length(len(key)) if not letters.isdisjoint(spelling)]
        if not candidates:
            # get_close_matches would prepare a matcher for the key and find nothing.
            return None
        close = difflib.get_close_matches(key, candidates, n=1, cutoff=_SUGGESTION_CUTOFF)
        if close:
            match = close[0]
            return f"'{known.get(match, match)}'"
        return None

    def _known(self) -> dict[str, str]:
        """Map the key of every declared variable and constant to its name."""
        return self._known_names

    @cached_property
    def _known_names(self) -> dict[str, str]:
        return {**self._variable_keys, **{constant: constant for constant in CONSTANTS}}

    @cached_property
    def _names_by_lowercase(self) -> dict[str, str]:
        """Map each known name and function, in lowercase, to the first one with that spelling.

        Known names come first, so ``Sin`` finds a declared ``sin`` before the function.
        """
        names: dict[str, str] = {}
        for candidate, name in self._known_names.items():
            names.setdefault(candidate.lower(), name)
        for function in FUNCTIONS:
            names.setdefault(function.lower(), function)
        return names

    def _spellings_of_similar_length(self, length: int) -> list[str]:
        """Return the keys of known names, then function names, that a misspelt name of ``length`` characters may be close to.

        A name whose length alone keeps its similarity below the cutoff is
        left out, as ``get_close_matches`` would leave it out after building
        a matcher for it. The lists are kept per length.
        """
        spellings = self._spellings_by_length.get(length)
        if spellings is None:
            spellings = self._spellings_by_length[length] = [
                candidate
                for candidate in (*self._known_names, *FUNCTIONS)
                if 2.0 * min(length, len(candidate)) / (length + len(candidate)) >= _SUGGESTION_CUTOFF
            ]
        return spellings

    @staticmethod
    def _split_into_names(key: str, known: Mapping[str, str]) -> list[str] | None:
        """Split ``xy`` into ``[x, y]`` when every piece is a known name, preferring long pieces."""
        if len(key) > 40:
            return None
        best: dict[int, list[str] | None] = {len(key): []}
        for start in range(len(key) - 1, -1, -1):
            best[start] = None
            for end in range(len(key), start, -1):
                piece = key[start:end]
                rest = best.get(end)
                if piece in known and rest is not None:
                    best[start] = [known[piece], *rest]
                    break
        result = best[0]
        if result is None or len(result) < 2:
            return None
        return result


@lru_cache(maxsize=1024)
def shared_name_table(variables: tuple[str, ...]) -> NameTable:
    """Return one ``NameTable`` per tuple of variables.

    Parts that declare the same variables then share the tables that a
    ``NameTable`` builds on first use (the fast lexer's token table and
    the suggestion lists), so judging answers to such parts in turn reads
    the same memory: in the expression benchmark a first-sight check took
    about 6% less time.
    """
    return NameTable(variables)


# The lengths of the function names, longest first, so that ``xasin`` reads
# as x*asin even where a part declares a.
_FUNCTION_LENGTHS = tuple(sorted({len(function) for function in FUNCTIONS}, reverse=True))
_FUNCTION_NAMES = frozenset(FUNCTIONS)
# log2 or log10 typed as one name, for a logarithm to that base.
_LOG_WITH_BASE = re.compile(r"(?:log|ln)(?P<base>[0-9]+)")


def _call_without_brackets(key: str, known: Mapping[str, str]) -> str | None:
    """Return how to write a function typed together with known names, such as ``y*log`` for ``ylog``.

    Known names followed by a function name are a product typed without
    ``*``, as in ``ylog(a)``. A function name followed by digits, as in
    ``log2(8)`` or ``ln5``, gets no suggestion here, because ``log(2)`` would
    misread the first.
    """
    for length in _FUNCTION_LENGTHS:
        if length >= len(key):
            # Only a function shorter than the key leaves a name before it.
            continue
        # At most one function of each length ends the key: the key's last ``length`` characters.
        function = key[-length:]
        if function not in _FUNCTION_NAMES:
            continue
        head = key[:-length]
        pieces = [known[head]] if head in known else NameTable._split_into_names(head, known)
        if pieces:
            return "*".join([*pieces, function])
    return None


def _reordered_subscript(key: str, known: Mapping[str, str]) -> str | None:
    """Return the known name whose key has the letters of ``key`` and its digits in another order.

    ``w10`` finds ``w_01``: a student who swapped the indices of a weight is
    better served by that than by ``w_21``, which is one edit away. When
    several names qualify, the one closest by edit distance wins.
    """
    match = _LETTERS_AND_DIGITS.fullmatch(key)
    if match is None or len(match.group("digits")) < 2:
        return None
    letters, digits = match.group("letters"), sorted(match.group("digits"))
    candidates = []
    for candidate in known:
        other = _LETTERS_AND_DIGITS.fullmatch(candidate)
        if other is not None and other.group("letters") == letters and sorted(other.group("digits")) == digits:
            candidates.append(candidate)
    if not candidates:
        return None
    best = max(candidates, key=lambda candidate: difflib.SequenceMatcher(None, key, candidate).ratio())
    return known[best]


def _join_names(names: tuple[str, ...]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def join_names(names: Iterable[str]) -> str:
    """Join names as English: ``x``, ``x and y``, ``x, y and z``."""
    return _join_names(tuple(names))
