"""Size limits on answers, so that nothing a student types can hang or exhaust the grader."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from autograder.expressions.failures import ExpressionError
from autograder.expressions.nodes import (
    Call,
    Constant,
    Factorial,
    Negate,
    Node,
    Number,
    Power,
    Product,
    Sum,
    Variable,
    children,
)


@dataclass(frozen=True)
class Limits:
    """The bounds that the lexer, parser and size checks enforce.

    ``max_length`` counts characters as typed. ``max_depth`` counts nested
    brackets, function arguments, exponents, signs and factorials together, and
    keeps every recursive walk of the tree far below Python's recursion limit.
    ``max_exponent`` bounds a constant exponent such as the 2000 in
    ``x^2000``, ``max_factorial`` a constant factorial argument, and
    ``max_magnitude`` every constant subexpression, so that exact arithmetic in
    SymPy never meets a number with millions of digits. ``max_number_digits``
    bounds one literal, ``max_number_exponent`` its scientific exponent.
    """

    max_length: int = 1000
    max_depth: int = 50
    max_exponent: float = 1000.0
    max_factorial: int = 170
    max_magnitude: float = 1e308
    max_number_digits: int = 60
    max_number_exponent: int = 300


DEFAULT_LIMITS = Limits()


def check_sizes(tree: Node, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise ``ExpressionError`` if a constant exponent, factorial or value is too large.

    Every constant subtree is folded once, bottom up, in floating point (so the
    check itself is cheap and cannot hang). A power with a variable base but a
    constant exponent, such as ``x^5000``, is checked too.
    """
    _fold(tree, limits)


def _fold(node: Node, limits: Limits) -> float | None:
    """Return the float value of a constant subtree, ``None`` if it has a variable.

    NaN stands for a constant that is undefined (``log(-1)``, ``1/0``); only
    evaluation decides what that means for the answer.
    """
    if isinstance(node, Number):
        value = float(node.value)
        return _checked(value, node, limits)
    if isinstance(node, Variable):
        return None
    if isinstance(node, Constant):
        return math.e if node.name == "e" else math.pi
    parts = [_fold(child, limits) for child in children(node)]
    if any(part is None for part in parts):
        if isinstance(node, Power) and parts[1] is not None:
            _check_exponent(parts[1], node, limits)
        if isinstance(node, Factorial) and parts[0] is not None:
            _check_factorial(parts[0], node, limits)
        return None
    values = [part for part in parts if part is not None]
    if isinstance(node, Power):
        _check_exponent(values[1], node, limits)
        return _checked(_power(values[0], values[1], node, limits), node, limits)
    if isinstance(node, Factorial):
        _check_factorial(values[0], node, limits)
        return _checked(_apply("factorial", values, node, limits), node, limits)
    if isinstance(node, Negate):
        return -values[0]
    if isinstance(node, Sum):
        total = 0.0
        for value, subtract in zip(values, node.subtract):
            total = total - value if subtract else total + value
        return _checked(total, node, limits)
    if isinstance(node, Product):
        result = 1.0
        for value, divide in zip(values, node.divide):
            if divide:
                result = result / value if value != 0 else math.nan
            else:
                result *= value
        return _checked(result, node, limits)
    assert isinstance(node, Call)
    if node.function == "factorial":
        _check_factorial(values[0], node, limits)
    return _checked(_apply(node.function, values, node, limits), node, limits)


def _checked(value: float, node: Node, limits: Limits) -> float:
    if math.isinf(value) or abs(value) > limits.max_magnitude:
        raise ExpressionError(
            f"This part of your answer is too large to evaluate: constants are limited to about {limits.max_magnitude:.0e} in size.",
            node.span[0],
        )
    return value


def _check_exponent(exponent: float, node: Node, limits: Limits) -> None:
    if abs(exponent) > limits.max_exponent:
        exponent_node = children(node)[1]
        raise ExpressionError(
            f"This exponent is too large: constant exponents are limited to {limits.max_exponent:g} in size.",
            exponent_node.span[0],
        )


def _check_factorial(argument: float, node: Node, limits: Limits) -> None:
    if argument > limits.max_factorial:
        raise ExpressionError(
            f"This factorial is too large: the argument of a constant factorial is limited to {limits.max_factorial}.",
            node.span[0],
        )


def _power(base: float, exponent: float, node: Node, limits: Limits) -> float:
    if math.isnan(base) or math.isnan(exponent):
        return math.nan
    if base != 0 and exponent * math.log10(abs(base)) > math.log10(limits.max_magnitude):
        raise ExpressionError(
            f"This power is too large to evaluate: constants are limited to about {limits.max_magnitude:.0e} in size.",
            node.span[0],
        )
    try:
        result = math.pow(base, exponent)
    except (ValueError, ZeroDivisionError):
        return math.nan
    except OverflowError:
        return math.inf
    return result


_MATH_FUNCTIONS: Mapping[str, Callable[[float], float]] = MappingProxyType(
    {
        "exp": math.exp,
        "sqrt": math.sqrt,
        "abs": abs,
        "sin": math.sin,
        "cos": math.cos,
        "tan": math.tan,
        "sec": lambda x: 1 / math.cos(x),
        "csc": lambda x: 1 / math.sin(x),
        "cot": lambda x: 1 / math.tan(x),
        "asin": math.asin,
        "acos": math.acos,
        "atan": math.atan,
        "sinh": math.sinh,
        "cosh": math.cosh,
        "tanh": math.tanh,
        "asinh": math.asinh,
        "acosh": math.acosh,
        "atanh": math.atanh,
        "factorial": lambda x: math.gamma(x + 1),
    }
)


def _apply(function: str, values: list[float], node: Node, limits: Limits) -> float:
    if any(math.isnan(value) for value in values):
        return math.nan
    try:
        if function == "log":
            if values[0] <= 0 or (len(values) == 2 and (values[1] <= 0 or values[1] == 1)):
                return math.nan
            return math.log(values[0], values[1]) if len(values) == 2 else math.log(values[0])
        return _MATH_FUNCTIONS[function](values[0])
    except (ValueError, ZeroDivisionError):
        return math.nan
    except OverflowError:
        return math.inf
