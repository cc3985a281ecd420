"""Evaluation of constant expressions, such as ``-log(0.2)``, typed where a number is asked."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from autograder.expressions.failures import ExpressionError, ExpressionFailure, failure_at
from autograder.expressions.forms import exact_form_message
from autograder.expressions.names import NameTable
from autograder.expressions.numeric import describe_shape, evaluate, shape_of
from autograder.expressions.parser import parse
from autograder.expressions.printers import to_latex, to_text
from autograder.results import Reading

_NO_VARIABLES = NameTable(())


@dataclass(frozen=True)
class ConstantValue:
    """A finite real value of a constant expression and how the expression was read."""

    value: float
    reading: Reading


@lru_cache(maxsize=4096)
def evaluate_constant(text: str, *, allow_decimals: bool = True) -> ConstantValue | ExpressionFailure:
    """Evaluate a constant expression such as ``e**2/(1+e**2)`` to a float.

    Returns ``ExpressionFailure`` with a student-facing message when the text
    does not parse, names anything but ``e``, ``pi`` and the whitelisted
    functions, contains a decimal while ``allow_decimals`` is false, or has no
    finite real value. The message ends with a caret line where a position is
    known. Results are cached by text, so a repeated answer costs a dict lookup.
    """
    parsed = parse(text, _NO_VARIABLES)
    if isinstance(parsed, ExpressionFailure):
        return parsed
    if not allow_decimals:
        message = exact_form_message(parsed)
        if message is not None:
            return ExpressionFailure(message, parsed.decimals[0].span[0])
    try:
        values = evaluate(parsed.tree, {}, 1)
    except ExpressionError as error:
        return failure_at(text, error.message, error.position)
    if shape_of(values):
        return ExpressionFailure(f"Expected a single number, but this is {describe_shape(shape_of(values))}.")
    value = float(np.asarray(values).reshape(-1)[0])
    if math.isnan(value):
        return ExpressionFailure(
            "Your expression has no real value: check for a logarithm or square root of a negative number, or a division by zero."
        )
    if math.isinf(value):
        return ExpressionFailure(
            "Your expression is infinite or too large to evaluate: check for a division by zero or a logarithm of zero."
        )
    return ConstantValue(value, Reading(to_text(parsed.tree), to_latex(parsed.tree)))
