"""Reading numbers, vectors and matrices out of student answers.

Answers arrive as YAML values: numbers, strings or nested lists. A student may
also type a whole list as a string (``"[[1, 2], [3, 4]]"``), wrap it in
``np.array(...)``, or write an entry as an expression of constants such as
``e/(1+e)``. Each reader returns the value or a ``ValueProblem`` that says, to
the student, what is wrong; none of them evaluates student text as code.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.yamlsource import YAMLSyntaxError, load

MAX_ENTRIES = 10_000
MAX_TEXT_LENGTH = 100_000

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_ARRAY_WRAPPER = re.compile(r"^\s*(?:(?:np|numpy)\s*\.\s*)?(?:array|matrix)\s*\((.*)\)\s*$", re.DOTALL)
_DASHES = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-", "\uff0d": "-"})


@dataclass(frozen=True)
class ValueProblem:
    """Why an answer could not be read, addressed to the student."""

    message: str


def read_number(value: Any, *, allow_expressions: bool, text: str | None = None) -> float | ValueProblem:
    """Read one real number from a YAML value.

    Strings may be plain numerals or, where ``allow_expressions`` is set,
    expressions of constants read by the expression parser. ``text`` is the
    value as typed, used in messages about values YAML has converted.
    """
    if isinstance(value, bool):
        return ValueProblem(f"{text or str(value).lower()!r} is not a number.")
    if isinstance(value, (int, float)):
        number = float(value)
        if not math.isfinite(number):
            return ValueProblem(f"{value} is not a finite number.")
        return number
    if isinstance(value, (list, dict)):
        return ValueProblem("Enter a single number here, not a list.")
    if value is None:
        return ValueProblem("An entry is empty.")

    text = str(value).strip().translate(_DASHES)
    if not text:
        return ValueProblem("An entry is empty.")
    if len(text) > MAX_TEXT_LENGTH:
        return ValueProblem(f"The answer is {len(text)} characters long; the limit is {MAX_TEXT_LENGTH}.")
    if _PLAIN_NUMBER.fullmatch(text):
        number = float(text)
        if not math.isfinite(number):
            return ValueProblem(f"{text} is too large to be a number we can grade.")
        return number
    if text.endswith("%"):
        return ValueProblem(f"Write {text!r} as a plain number (for example 0.25 rather than 25%).")
    if re.fullmatch(r"[+-]?\d+,\d+", text):
        return ValueProblem(f"Use a decimal point rather than a comma in {text!r}.")
    if ";" in text:
        return ValueProblem("Separate entries with commas, not semicolons, as in [[1, 2], [3, 4]].")
    if not allow_expressions:
        return ValueProblem(f"{text!r} is not a number. Enter a decimal number such as 0.25 or 1.5e-3.")

    from autograder.expressions import ExpressionFailure, evaluate_constant

    result = evaluate_constant(text, allow_decimals=True)
    if isinstance(result, ExpressionFailure):
        return ValueProblem(result.message)
    return float(result.value)


def parse_list_text(text: str) -> Any | ValueProblem:
    """Read a list typed as a string, such as ``"[[1, 2], [3, 4]]"``.

    The text is read as a YAML flow sequence with the safe loader, which only
    builds lists, numbers and strings. An ``np.array(...)`` wrapper is removed
    first, and space-separated entries (``[1 2 3]``) are split.
    """
    if len(text) > MAX_TEXT_LENGTH:
        return ValueProblem(f"The answer is {len(text)} characters long; the limit is {MAX_TEXT_LENGTH}.")
    stripped = text.strip().translate(_DASHES)
    wrapped = _ARRAY_WRAPPER.match(stripped)
    if wrapped:
        stripped = wrapped.group(1).strip()
    if not stripped.startswith("["):
        return ValueProblem("Enter a list in square brackets, such as [1, 2, 3] or [[1, 2], [3, 4]].")
    if stripped.count("[") != stripped.count("]"):
        return ValueProblem(
            f"The square brackets are unbalanced: {stripped.count('[')} '[' and {stripped.count(']')} ']'."
        )
    document = load(stripped, max_values=2 * MAX_ENTRIES)
    if isinstance(document, YAMLSyntaxError):
        return ValueProblem(f"The list could not be read ({document.message}). Separate entries with commas, as in [[1, 2], [3, 4]].")
    return document.data


def split_spaced_numbers(value: list[Any]) -> list[Any]:
    """Split entries such as "0.1 0.2 0.7" that hold only plain numerals
    separated by spaces, as numpy prints arrays; other entries are kept, so
    that an expression like "1 - 0.5" stays one entry."""
    items: list[Any] = []
    for item in value:
        if isinstance(item, str):
            pieces = item.translate(_DASHES).split()
            if len(pieces) > 1 and all(_PLAIN_NUMBER.fullmatch(piece) for piece in pieces):
                items.extend(pieces)
                continue
        items.append(split_spaced_numbers(item) if isinstance(item, list) else item)
    return items


def read_array(value: Any, *, allow_expressions: bool) -> np.ndarray | ValueProblem:
    """Read a vector or matrix typed as (nested) lists into a float array.

    Rows of different lengths, entries that are not numbers and empty lists
    are reported with their position (row and column, counted from 1).
    """
    if isinstance(value, str):
        parsed = parse_list_text(value)
        if isinstance(parsed, ValueProblem):
            return parsed
        value = parsed
    if not isinstance(value, list):
        return ValueProblem("Enter a list in square brackets, such as [1, 2, 3] or [[1, 2], [3, 4]].")
    if not value:
        return ValueProblem("The list is empty.")
    value = split_spaced_numbers(value)
    if any(isinstance(item, str) and item.lstrip().startswith("(") and ")" not in item for item in value):
        return ValueProblem("Write each row or point in square brackets, as in [[1, 1], [-1, 1]], not in parentheses.")

    if all(isinstance(row, list) for row in value):
        lengths = [len(row) for row in value]
        if len(set(lengths)) > 1:
            described = ", ".join(f"row {index} has {length}" for index, length in enumerate(lengths, start=1))
            return ValueProblem(f"The rows have different lengths ({described}); every row needs the same number of entries.")
        if lengths[0] == 0:
            return ValueProblem("The rows are empty.")
        if len(value) * lengths[0] > MAX_ENTRIES:
            return ValueProblem(f"The matrix has more than {MAX_ENTRIES} entries.")
        rows: list[list[float]] = []
        for row_index, row in enumerate(value, start=1):
            numbers: list[float] = []
            for column_index, entry in enumerate(row, start=1):
                if isinstance(entry, list):
                    return ValueProblem("Enter at most two levels of brackets: a list of rows, each a list of numbers.")
                number = read_number(entry, allow_expressions=allow_expressions)
                if isinstance(number, ValueProblem):
                    return ValueProblem(f"Row {row_index}, entry {column_index}: {number.message}")
                numbers.append(number)
            rows.append(numbers)
        return np.array(rows, dtype=float)

    if any(isinstance(item, list) for item in value):
        return ValueProblem("Mix of numbers and lists: enter either a list of numbers or a list of rows.")
    if len(value) > MAX_ENTRIES:
        return ValueProblem(f"The list has more than {MAX_ENTRIES} entries.")
    numbers = []
    for index, entry in enumerate(value, start=1):
        number = read_number(entry, allow_expressions=allow_expressions)
        if isinstance(number, ValueProblem):
            return ValueProblem(f"Entry {index}: {number.message}")
        numbers.append(number)
    return np.array(numbers, dtype=float)


def describe_shape(shape: tuple[int, ...]) -> str:
    """Describe an array shape in words: "a list of 3 numbers", "a 2 × 3 matrix"."""
    if len(shape) == 1:
        return f"a list of {shape[0]} number{'s' if shape[0] != 1 else ''}"
    rows, columns = shape
    return f"a {rows} × {columns} matrix ({rows} row{'s' if rows != 1 else ''} of {columns})"


def close_enough(
    actual: np.ndarray, expected: np.ndarray, *, rtol: float, atol: float, decimals: int | None
) -> np.ndarray:
    """Compare entry by entry; NaN and infinities never match.

    With ``decimals`` set, an entry matches when it is within half a unit of
    the last decimal place asked for, so 0.95 matches 0.954978 to two
    decimals but 0.96 does not.
    """
    finite = np.isfinite(actual) & np.isfinite(expected)
    with np.errstate(invalid="ignore", over="ignore"):
        if decimals is not None:
            tolerance = 0.5 * 10.0 ** (-decimals) * (1 + 1e-9)
            within = np.abs(actual - expected) <= tolerance
        else:
            within = np.abs(actual - expected) <= atol + rtol * np.abs(expected)
    return finite & within
