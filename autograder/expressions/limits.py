"""Size limits on answers, so that nothing a student types can hang or exhaust the grader."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from types import MappingProxyType
from typing import NamedTuple

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
    ``max_magnitude`` every constant subexpression. ``max_exact_digits`` bounds
    the estimated number of digits of the exact fractions that SymPy would
    build for a power, such as the 30-million-digit numerator of
    ``((123/124)^1000)^1000``, whose size as a float is harmless.
    ``max_number_digits`` bounds one literal, ``max_number_exponent`` its
    scientific exponent.
    """

    max_length: int = 1000
    max_depth: int = 50
    max_exponent: float = 1000.0
    max_factorial: int = 170
    max_magnitude: float = 1e308
    max_exact_digits: float = 20_000.0
    max_number_digits: int = 60
    max_number_exponent: int = 300

    # Cached, because parse reads it for every answer.
    @cached_property
    def max_plain_size(self) -> float:
        """The largest plain size for which ``check_sizes`` cannot fail, so the parser may skip it.

        A tree is plain when it has only variables, sums, products, quotients,
        negations, ``e``, ``pi``, literals, calls with a variable in their
        arguments, calls of ``BOUNDED_FUNCTIONS`` (the square root sign
        included), and powers that ``power_passes_size_check`` accepts. A
        call with a variable in its arguments, like every subtree with a
        variable, folds to no value, so only the constant subtrees inside it
        are folded and checked. Its plain size is the sum over literals and
        constants of their length plus 20, plus |k| for a literal in
        scientific notation with exponent k (``literal_plain_size``). A
        literal of n characters has a mantissa between 10^-n and 10^n unless
        it is 0, so with exponent k it is below 10^(n + |k|) and, unless 0,
        at least 10^-(n + |k|). An
        accepted power of ``e`` or ``pi`` lies between 10^-20 and 10^20 and has
        a plain size of at least 42, so it stays within the bound of a literal
        of that plain size. Every other accepted power has a variable and folds
        to no value. A call of ``BOUNDED_FUNCTIONS`` without a variable has an
        argument of plain size at least 20. It folds to 0, NaN, or a value
        between min(|x|, 10^-20) and max(|x|, 10^20) in size for an argument
        x, so it stays within its argument's bound. Products and quotients add the decimal exponents of their
        factors. A constant sum of at most 1000 terms is at most 10^3 times its
        largest term and, unless 0, at least 2^-52 (about 10^-16) times its
        smallest, and each such sum uses up at least one literal. So every
        folded value of a plain tree is 0, NaN (from 1/0 or a value outside a
        function's domain), or between 10^-size
        and 10^size, and 8 digits of margin keep it below ``max_magnitude``
        and below the largest float, beyond which the fold overflows to inf.
        """
        return math.log10(min(self.max_magnitude, sys.float_info.max)) - 8.0


DEFAULT_LIMITS = Limits()


def literal_plain_size(text: str) -> int:
    """Return the plain size of a literal as the lexers give it: its length plus 20, plus |k| for an exponent ``ek``.

    See ``Limits.max_plain_size``.
    """
    if "e" in text:
        return len(text) + 20 + abs(int(text.partition("e")[2]))
    return len(text) + 20


# e^40 is about 2.4 * 10^17 and pi^40 about 7.7 * 10^19, so e^k and pi^k
# with |k| <= 40 lie between 10^-20 and 10^20.
MAX_CONSTANT_EXPONENT = 40

# Functions whose value at a float x is 0, NaN, or between min(|x|, 10^-20)
# and max(|x|, 10^20) in size, so the parsers need no size check for a
# call of one without a variable. sqrt and abs keep or halve the decimal
# exponent. asin and atanh are at least |x| and at most about 19, and acos
# and acosh are 0 at 1 and otherwise at least 10^-8. The logarithm of a
# float other than 1 is at least 1.1 * 10^-16 in size, and log x is at most
# 2.31 times the decimal exponent of x. So two-argument log lies between
# 10^-19 and 10^20 for every plain size up to 1000, and a finite float
# max_magnitude allows at most about 300. sin, atan, tanh and asinh are left out,
# because near 0 they are slightly smaller than |x| and nesting compounds it.
BOUNDED_FUNCTIONS = frozenset(("sqrt", "abs", "log", "asin", "acos", "atanh", "acosh"))


def power_passes_size_check(
    base: Node,
    exponent: Node,
    base_size: int,
    exponent_size: int,
    *,
    base_has_variable: bool,
    exponent_has_variable: bool,
    limits: Limits,
) -> bool:
    """Return whether ``check_sizes`` cannot fail on the power ``base ^ exponent``.

    The facts that decide it are those that ``sized_power_passes`` takes:
    see there.
    """
    literal = exponent.operand if type(exponent) is Negate else exponent
    integer = literal.value.numerator if type(literal) is Number and not literal.is_decimal else None  # type: ignore[union-attr]
    return sized_power_passes(
        integer,
        base_size,
        exponent_size,
        base_has_variable=base_has_variable,
        base_is_constant=type(base) is Constant,
        exponent_has_variable=exponent_has_variable,
        limits=limits,
    )


def sized_power_passes(
    exponent_integer: int | None,
    base_size: int,
    exponent_size: int,
    *,
    base_has_variable: bool,
    base_is_constant: bool,
    exponent_has_variable: bool,
    limits: Limits,
) -> bool:
    """Return whether ``check_sizes`` cannot fail on a power, from facts about its base and exponent.

    ``exponent_integer`` is |k| for an exponent that is a literal integer k,
    written as digits with or without a minus sign, and None for any other
    exponent. ``base_is_constant`` tells whether the base is ``e`` or ``pi``.

    The caller must make sure that base and exponent are plain and contain
    no power (see ``Limits.max_plain_size``), and passes their plain sizes.
    Then ``_fold`` checks exact digits at this power alone, and base and
    exponent have only the digits of their literals. ``_fraction_digits``
    gives a literal of n characters and exponent k (0 without scientific
    notation) at most 2n + |k| + 1.61 digits, which is at most twice its
    plain size n + |k| + 20, and ``e`` and ``pi`` have none. The
    power passes in three cases, where k is a literal integer written as
    digits, with or without a minus sign:

    - The exponent has a variable, as in ``e^(-z)``. The power folds to no
      value, no exponent is checked, and the power has
      ``base.digits + exponent.digits`` digits.
    - The base has a variable and the exponent is k, as in ``(1 + x)^2``.
      The exponent check and ``_number_value`` see |k| as a float, and the
      power has ``base.exposed * max(1, |k|) + base.opaque + exponent.digits``
      digits.
    - The base is ``e`` or ``pi`` and the exponent is k with
      |k| <= ``MAX_CONSTANT_EXPONENT``, as in ``e^-2``. The exponent check
      sees |k|, and the power has the exponent's digits alone. Its value
      lies between 10^-20 and 10^20, which ``max_plain_size`` covers
      because the power's plain size is at least 42.
    """
    if exponent_has_variable:
        return 2 * (base_size + exponent_size) <= limits.max_exact_digits
    if exponent_integer is None:
        return False
    # The fold compares |k| rounded to a float, which may exceed |k| itself.
    try:
        magnitude = float(exponent_integer)
    except OverflowError:
        return False
    if magnitude > limits.max_exponent or magnitude > limits.max_magnitude:
        return False
    if base_has_variable:
        digits = max(1.0, magnitude) * 2 * base_size + 2 * exponent_size
        return digits <= limits.max_exact_digits
    if base_is_constant:
        digits = 2 * exponent_size
        return magnitude <= MAX_CONSTANT_EXPONENT and digits <= limits.max_exact_digits
    return False


def check_sizes(tree: Node, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise ``ExpressionError`` if a constant exponent, factorial or value, or an exact value, is too large.

    Every subtree is folded once, bottom up, in floating point (so the check
    itself is cheap and cannot hang). A power with a variable base but a
    constant exponent, such as ``x^5000``, is checked too. Next to each value
    the fold estimates how many digits SymPy's exact fractions would need for
    the subtree (``_Folded``), and a power above ``max_exact_digits`` is
    rejected. Only powers multiply digits: a factorial's argument is at most
    ``max_factorial``, and the literals of a 1000-character sum add up to
    about 50,000 digits at most.
    """
    _fold_outside_powers(tree, limits)


def _fold_outside_powers(node: Node, limits: Limits) -> float | None:
    """Fold like ``_fold``, but track digits only inside powers and factorials, and return the value.

    The digit estimates matter only where a power checks them, so the
    common tree without powers or factorials needs its values alone. Each
    power or factorial subtree gets the full ``_fold``. Children are folded
    before their parent, left to right, as in ``_fold``, so the first error
    raised is the same.
    """
    kind = type(node)
    if kind is Variable:
        return None
    if kind is Number:
        return _number_value(node, limits)  # type: ignore[arg-type]
    if kind is Constant:
        return math.e if node.name == "e" else math.pi  # type: ignore[union-attr]
    if kind is Sum:
        parts: tuple[Node, ...] = node.terms  # type: ignore[union-attr]
    elif kind is Product:
        parts = node.factors  # type: ignore[union-attr]
    elif kind is Negate:
        parts = (node.operand,)  # type: ignore[union-attr]
    elif kind is Call and node.function != "factorial":  # type: ignore[union-attr]
        parts = node.args  # type: ignore[union-attr]
    elif kind is Power and type(node.base) is Variable and type(node.exponent) is Number:  # type: ignore[union-attr]
        # ``x^2``: ``_fold`` would find no value and no digits in the base, so
        # it would check only the exponent, with the same checks in this order.
        exponent: Number = node.exponent  # type: ignore[union-attr]
        _check_exponent(_number_value(exponent, limits), node, limits)
        _check_exact_digits(_fraction_digits(exponent.value), node, limits)
        return None
    else:
        return _fold(node, limits).value
    values = [_fold_outside_powers(part, limits) for part in parts]
    if None in values:
        return None
    return _fold_value(node, values, limits)


class _Folded(NamedTuple):
    """The size check's result for one subtree.

    ``value`` is its float value, or ``None`` if it has a variable. NaN stands
    for a constant that is undefined (``log(-1)``, ``1/0``); only evaluation
    decides what that means for the answer. ``exposed`` estimates the decimal
    digits of the exact fractions in the subtree that a power multiplies:
    SymPy turns ``(2/3 * x)^1000`` into ``2^1000/3^1000 * x^1000``.
    ``opaque`` counts the digits that stay inside a function, such as the 2/3
    in ``exp(2/3)``, whose powers SymPy does not expand.
    """

    value: float | None
    exposed: float
    opaque: float

    @property
    def digits(self) -> float:
        return self.exposed + self.opaque


def _fold(node: Node, limits: Limits) -> _Folded:
    if isinstance(node, Number):
        return _Folded(_number_value(node, limits), _fraction_digits(node.value), 0.0)
    if isinstance(node, Variable):
        return _Folded(None, 0.0, 0.0)
    if isinstance(node, Constant):
        return _Folded(math.e if node.name == "e" else math.pi, 0.0, 0.0)
    parts = [_fold(child, limits) for child in children(node)]
    value = _fold_value(node, [part.value for part in parts], limits)
    exposed, opaque = _fold_digits(node, parts, value)
    if isinstance(node, Power):
        _check_exact_digits(exposed + opaque, node, limits)
    return _Folded(value, exposed, opaque)


def _number_value(node: Number, limits: Limits) -> float:
    try:
        value = float(node.value)
    except OverflowError:
        # A 60-digit literal with exponent 300, such as 1000...0e300, is beyond any float.
        value = math.inf
    return _checked(value, node, limits)


def _fold_value(node: Node, values: list[float | None], limits: Limits) -> float | None:
    """Return the float value of ``node`` from its children's, checking exponents and factorials."""
    kind = type(node)
    if None in values:
        if kind is Power and values[1] is not None:
            _check_exponent(values[1], node, limits)
        if kind is Factorial and values[0] is not None:
            _check_factorial(values[0], node, limits)
        return None
    known: list[float] = values  # type: ignore[assignment]
    if kind is Product:
        result = 1.0
        for value, divide in zip(known, node.divide):  # type: ignore[union-attr]
            if divide:
                result = result / value if value != 0 else math.nan
            else:
                result *= value
        return _checked(result, node, limits)
    if kind is Sum:
        total = 0.0
        for value, subtract in zip(known, node.subtract):  # type: ignore[union-attr]
            total = total - value if subtract else total + value
        return _checked(total, node, limits)
    if kind is Negate:
        return -known[0]
    if kind is Power:
        _check_exponent(known[1], node, limits)
        return _checked(_power(known[0], known[1], node, limits), node, limits)
    if kind is Factorial:
        _check_factorial(known[0], node, limits)
        return _checked(_apply("factorial", known, node, limits), node, limits)
    assert isinstance(node, Call)
    if node.function == "factorial":
        _check_factorial(known[0], node, limits)
    return _checked(_apply(node.function, known, node, limits), node, limits)


def _fold_digits(node: Node, parts: list[_Folded], value: float | None) -> tuple[float, float]:
    """Estimate the exposed and opaque exact digits of ``node`` (see ``_Folded``).

    Sums and products add the digits of their operands, a power with a
    constant exponent p multiplies the exposed digits by |p|, and ``n!`` has
    about log10(n!) digits. This is meant as an upper bound of what SymPy's
    automatic evaluation builds (as SymPy 1.14 does for the examples in
    ``_Folded``). ``simplify`` may build more, which the time and memory
    limits in ``symbolic.py`` bound.
    """
    if isinstance(node, (Negate, Sum, Product)):
        return sum(part.exposed for part in parts), sum(part.opaque for part in parts)
    if isinstance(node, Power):
        base, exponent = parts
        if exponent.value is None:
            return 0.0, base.digits + exponent.digits
        scale = abs(exponent.value) if math.isfinite(exponent.value) else 1.0
        return base.exposed * max(1.0, scale), base.opaque + exponent.digits
    if isinstance(node, Factorial) or (isinstance(node, Call) and node.function == "factorial"):
        operand = parts[0]
        if operand.value is None or not math.isfinite(operand.value) or operand.value < 0:
            return 0.0, operand.digits
        return operand.exposed + math.lgamma(operand.value + 1.0) / math.log(10) + 1.0, operand.opaque
    assert isinstance(node, Call)
    if node.function in ("sqrt", "abs"):
        return parts[0].exposed, parts[0].opaque
    return 0.0, sum(part.digits for part in parts)


def _fraction_digits(value: Fraction) -> float:
    """Return about how many decimal digits the numerator and denominator of ``value`` have together."""
    bits = abs(value.numerator).bit_length() + value.denominator.bit_length()
    return bits * math.log10(2) + 1.0


def _check_exact_digits(digits: float, node: Node, limits: Limits) -> None:
    if digits > limits.max_exact_digits:
        raise ExpressionError(
            f"This power is too large to compute exactly: written as a fraction, it would have about "
            f"{digits:,.0f} digits, but exact values are limited to {limits.max_exact_digits:,.0f} digits. "
            "Simplify it, or use a smaller exponent.",
            node.span[0],
        )


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
    for value in values:
        if math.isnan(value):
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
