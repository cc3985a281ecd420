"""High-precision evaluation at single points with mpmath, for points where float evaluation cannot decide.

Used where an answer overflowed to ``inf`` or NaN, or lies just outside the
tolerance, at a point where the reference is defined. The semantics match
``numeric.py`` (real values only), but with 30 significant digits and an
exponent range that does not overflow. Values whose size passes
``_MAX_LOG_MAGNITUDE`` (about 10^434294) stop the evaluation as unresolved,
so a tower such as ``exp(exp(exp(z)))`` cannot make mpmath build a number
with billions of digits. The one exception is ``exp`` of a large argument,
which becomes a ``_Huge`` value (its sign and size, no digits), because a
few exact rules apply to it: zero times it is zero, a much smaller term
does not change its sign, and it differs from every value below the
limit. Anything else done with it is unresolved. mpmath is imported on
first use.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

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
)

if TYPE_CHECKING:
    from mpmath import mpf

DIGITS = 30
_MAX_LOG_MAGNITUDE = 1e6
_MAX_LOG2_MAGNITUDE = _MAX_LOG_MAGNITUDE / math.log(2)
# mpmath reduces the argument of sin, cos and tan against pi with about as
# many bits as the argument has. With 30 digits, sin took 3.7 µs at 1.2,
# 6.3 µs at 2^1024 and 59 ms at 2^100000 (mpmath 1.3.0, pure-Python backend,
# on the machine in docs/benchmarks.md), and seconds near the size limit.
# An argument of 2^1024 or more, beyond every float, leaves the evaluation
# unresolved.
_MAX_TRIGONOMETRIC_LOG2 = 1024
_TRIGONOMETRIC = frozenset(("sin", "cos", "tan", "sec", "csc", "cot"))
# mpmath's gamma function of 9.37 took 0.02 ms with 30 digits, 0.12 ms with
# 240 and 2.2 ms with 960 (same machine and version as above). Its first
# call at each new precision took 1 ms, 18 ms and 2 s. Factorials of
# non-integers beyond 240 digits leave the evaluation unresolved. Those of
# integers are evaluated: 170! took 0.04 ms with 1920 digits, but 5000!
# took 25 ms (228 ms on the first call), more than the budget charges.
_MAX_FACTORIAL_DIGITS = 240

# A _Huge value must exceed every value below the limit by this factor (as a power of 2), so
# that adding such a value cannot change its sign and it cannot be within any tolerance of one.
_HUGE_MARGIN_LOG2 = 64

Undefined = Literal["undefined"]
Unresolved = Literal["unresolved"]
# A finite real value too large to evaluate, whose size alone shows it differs from any value below the limit.
Huge = Literal["huge"]


@dataclass(frozen=True)
class _Huge:
    """A finite real value beyond the size limit: its sign and about log2 of its size.

    ``log2`` exceeds ``_MAX_LOG2_MAGNITUDE + _HUGE_MARGIN_LOG2``, so the value is at least
    2^64 times larger than any value that the evaluation keeps as a number.
    """

    sign: int
    log2: mpf


class _UndefinedHere(Exception):
    pass


class _TooLarge(Exception):
    pass


def evaluate_at(tree: Node, env: Mapping[str, float], digits: int = DIGITS) -> mpf | Undefined | Unresolved | Huge:
    """Evaluate ``tree`` at one point of scalar values with ``digits`` significant digits.

    Returns the value, ``"undefined"`` where the real value does not exist
    (outside a function's domain, division by zero), ``"huge"`` where it is
    a real value at least 2^64 times beyond the size limit, or
    ``"unresolved"`` where it is too large (or too small) for this
    evaluation in another way.
    """
    return evaluate_precisely(tree, env, digits).value


@dataclass(frozen=True)
class Evaluation:
    """The result of ``evaluate_precisely``.

    ``scale`` bounds the decimal exponent of the largest intermediate value:
    it is the smallest integer k with every intermediate (variables and
    literals included) at most about 10^k in size, and 0 when all are below
    1. A value computed from intermediates near 10^k with p digits may be
    off by about 10^(k - p), so k gives the digits that a confirmation
    needs. ``cancelled`` is true when a sum of
    nonzero terms that are not all exact came out exactly 0 (see
    ``_is_exact``). A term below the last digit may then have been lost, as
    in ``1 - 1/(1 + e^-165)`` with 60 digits, and a quotient or logarithm of
    that 0 carries no information about the true value. A sum of exact
    terms such as ``1 - y`` at y = 1 is really 0.
    """

    value: mpf | Undefined | Unresolved | Huge
    scale: int
    cancelled: bool


def evaluate_precisely(tree: Node, env: Mapping[str, float], digits: int = DIGITS) -> Evaluation:
    """Evaluate like ``evaluate_at``, and report the scale and whether a sum cancelled to exactly 0."""
    import mpmath

    with mpmath.workdps(digits):
        evaluator = _Evaluator(mpmath, env)
        try:
            result = evaluator.run(tree)
            value: mpf | Undefined | Unresolved | Huge = "huge" if isinstance(result, _Huge) else result
        except _UndefinedHere:
            value = "undefined"
        except _TooLarge:
            value = "unresolved"
    return Evaluation(value, math.ceil(evaluator.largest_log2 * math.log10(2)), evaluator.cancelled)


class _Evaluator:
    def __init__(self, mpmath: object, env: Mapping[str, float]) -> None:
        self.mp = mpmath
        self.env = env
        self.largest_log2 = 0
        self.cancelled = False

    def note(self, value: mpf | _Huge) -> mpf | _Huge:
        """Record the size of an intermediate value and return it."""
        if isinstance(value, _Huge):
            # Any size above the limit will do: no number of digits can confirm a difference next to this value.
            self.largest_log2 = max(self.largest_log2, math.ceil(2 * _MAX_LOG2_MAGNITUDE))
        elif value:
            self.largest_log2 = max(self.largest_log2, self.mp.mag(value))  # type: ignore[attr-defined]
        return value

    @staticmethod
    def finite(value: mpf | _Huge) -> mpf:
        """Return ``value``, or raise ``_TooLarge`` if it is a ``_Huge`` that this operation cannot take."""
        if isinstance(value, _Huge):
            raise _TooLarge
        return value

    def checked(self, value: object) -> mpf:
        mp = self.mp
        if not isinstance(value, mp.mpf):  # type: ignore[attr-defined]
            raise _UndefinedHere
        if mp.isnan(value) or mp.isinf(value):  # type: ignore[attr-defined]
            raise _UndefinedHere
        # mag(value) is about log2|value|, and much cheaper than a logarithm.
        if value != 0 and abs(mp.mag(value)) > _MAX_LOG2_MAGNITUDE:  # type: ignore[attr-defined]
            raise _TooLarge
        return value

    def run(self, node: Node) -> mpf:
        mp = self.mp
        if isinstance(node, Number):
            return self.note(mp.mpf(node.value.numerator) / node.value.denominator)  # type: ignore[attr-defined]
        if isinstance(node, Variable):
            return self.note(mp.mpf(float(self.env[node.name])))  # type: ignore[attr-defined]
        if isinstance(node, Constant):
            return +mp.e if node.name == "e" else +mp.pi  # type: ignore[attr-defined]
        if isinstance(node, Negate):
            operand = self.run(node.operand)
            if isinstance(operand, _Huge):
                return _Huge(-operand.sign, operand.log2)
            return -operand

        if isinstance(node, Sum):
            return self.sum(node)

        if isinstance(node, Product):
            return self.product(node)

        if isinstance(node, Power):
            return self.note(self.power(self.finite(self.run(node.base)), self.finite(self.run(node.exponent))))

        if isinstance(node, Factorial):
            return self.note(self.factorial(self.finite(self.run(node.operand))))

        assert isinstance(node, Call)
        args = [self.run(arg) for arg in node.args]
        if node.function == "exp" and not isinstance(args[0], _Huge) and args[0] > _MAX_LOG_MAGNITUDE:
            return self.note(self.huge(1, args[0] / self.mp.ln2))  # type: ignore[attr-defined]
        return self.note(self.call(node.function, [self.finite(arg) for arg in args]))

    def huge(self, sign: int, log2: mpf) -> _Huge:
        """Build a ``_Huge``, or raise ``_TooLarge`` if it would not clear the margin above the limit."""
        if not log2 > _MAX_LOG2_MAGNITUDE + _HUGE_MARGIN_LOG2:
            raise _TooLarge
        return _Huge(sign, log2)

    def sum(self, node: Sum) -> mpf | _Huge:
        """Add the terms. Huge terms of one sign outweigh the rest, which are 2^64 times smaller."""
        total = self.mp.mpf(0)  # type: ignore[attr-defined]
        largest: _Huge | None = None
        nonzero_term = False
        for term, subtract in zip(node.terms, node.subtract):
            value = self.run(term)
            if isinstance(value, _Huge):
                sign = -value.sign if subtract else value.sign
                if largest is not None and largest.sign != sign:
                    raise _TooLarge
                if largest is None or value.log2 > largest.log2:
                    largest = _Huge(sign, value.log2)
                continue
            if value:
                nonzero_term = True
            total = total - value if subtract else total + value
        if nonzero_term and not total and not _is_exact(node):
            self.cancelled = True
        total = self.note(self.checked(total))
        return largest if largest is not None else total

    def product(self, node: Product) -> mpf | _Huge:
        """Multiply the factors. Zero times a huge value is exactly zero, because that value is finite."""
        result = self.mp.mpf(1)  # type: ignore[attr-defined]
        huge: list[_Huge] = []
        for factor, divide in zip(node.factors, node.divide):
            value = self.run(factor)
            if isinstance(value, _Huge):
                if divide:
                    # The quotient is below the limit by as much, which this evaluation cannot hold either.
                    raise _TooLarge
                huge.append(value)
                continue
            if divide:
                if value == 0:
                    raise _UndefinedHere
                result = result / value
            else:
                result = result * value
            self.note(result)
        result = self.checked(result)
        if not huge:
            return result
        if result == 0:
            return result
        sign = 1 if result > 0 else -1
        for value in huge:
            sign *= value.sign
        log2 = sum(value.log2 for value in huge) + self.mp.mag(result)  # type: ignore[attr-defined]
        return self.huge(sign, log2)

    def power(self, base: mpf, exponent: mpf) -> mpf:
        mp = self.mp
        if base == 0:
            if exponent > 0:
                return mp.mpf(0)  # type: ignore[attr-defined]
            raise _UndefinedHere
        if base < 0 and exponent != mp.floor(exponent):  # type: ignore[attr-defined]
            raise _UndefinedHere
        # For an mpf, mag returns m with 2^(m-1) <= |base| < 2^m, so |log2|base|| <= |m| + 1.
        # Most powers pass this bound without computing a logarithm.
        bound = abs(exponent) * (abs(mp.mag(base)) + 2) * math.log(2)  # type: ignore[attr-defined]
        if bound > _MAX_LOG_MAGNITUDE and abs(exponent * mp.log(abs(base))) > _MAX_LOG_MAGNITUDE:  # type: ignore[attr-defined]
            raise _TooLarge
        if base < 0:
            magnitude = mp.power(-base, exponent)  # type: ignore[attr-defined]
            odd = int(exponent) % 2 == 1
            return self.checked(-magnitude if odd else magnitude)
        return self.checked(mp.power(base, exponent))  # type: ignore[attr-defined]

    def factorial(self, value: mpf) -> mpf:
        mp = self.mp
        if value < 0 and value == mp.floor(value):  # type: ignore[attr-defined]
            raise _UndefinedHere
        if value > 1e5:
            raise _TooLarge
        if mp.mp.dps > _MAX_FACTORIAL_DIGITS and value != mp.floor(value):  # type: ignore[attr-defined]
            raise _TooLarge
        return self.checked(mp.gamma(value + 1))  # type: ignore[attr-defined]

    def call(self, function: str, args: list[mpf]) -> mpf:
        mp = self.mp
        x = args[0]
        if function == "exp":
            # The value is beyond the size limit, so checked() would reject it,
            # and mpmath can take seconds to compute exp of a far larger
            # negative argument first.
            if abs(x) > _MAX_LOG_MAGNITUDE:
                raise _TooLarge
            return self.checked(mp.exp(x))  # type: ignore[attr-defined]
        if function == "log":
            if x <= 0:
                raise _UndefinedHere
            if len(args) == 2:
                base = args[1]
                if base <= 0 or base == 1:
                    raise _UndefinedHere
                return self.checked(mp.log(x) / mp.log(base))  # type: ignore[attr-defined]
            return self.checked(mp.log(x))  # type: ignore[attr-defined]
        if function == "sqrt":
            if x < 0:
                raise _UndefinedHere
            return self.checked(mp.sqrt(x))  # type: ignore[attr-defined]
        if function == "abs":
            return abs(x)
        if function == "factorial":
            return self.factorial(x)
        if function in ("asin", "acos") and abs(x) > 1:
            raise _UndefinedHere
        if function == "acosh" and x < 1:
            raise _UndefinedHere
        if function == "atanh" and abs(x) >= 1:
            raise _UndefinedHere
        if function in ("sinh", "cosh") and abs(x) > _MAX_LOG_MAGNITUDE:
            raise _TooLarge
        if function in _TRIGONOMETRIC and x != 0 and mp.mag(x) > _MAX_TRIGONOMETRIC_LOG2:  # type: ignore[attr-defined]
            raise _TooLarge
        if function in ("sec", "csc", "cot"):
            denominator = {"sec": mp.cos, "csc": mp.sin, "cot": mp.tan}[function](x)  # type: ignore[attr-defined]
            if denominator == 0:
                raise _UndefinedHere
            return self.checked(1 / denominator)
        functions = {
            "sin": mp.sin, "cos": mp.cos, "tan": mp.tan,  # type: ignore[attr-defined]
            "asin": mp.asin, "acos": mp.acos, "atan": mp.atan,  # type: ignore[attr-defined]
            "sinh": mp.sinh, "cosh": mp.cosh, "tanh": mp.tanh,  # type: ignore[attr-defined]
            "asinh": mp.asinh, "acosh": mp.acosh, "atanh": mp.atanh,  # type: ignore[attr-defined]
        }
        return self.checked(functions[function](x))


def close_enough(answer: mpf, reference: mpf, rtol: float, atol: float) -> bool:
    """Apply the tolerance rule of ``equivalence.py`` to two high-precision values."""
    return bool(abs(answer - reference) <= max(rtol * abs(reference), atol))


def _is_exact(node: Node) -> bool:
    """Tell whether ``node`` evaluates without rounding at 30 digits or more, as far as its shape shows.

    Variables are floats and literals such as 1, 2 or 0.5 are sums of
    powers of two. Sums, differences, negations, products, whole powers and
    quotients by a power of two of such values are exact where they fit in
    the working precision. Constants, decimals such as 0.1, other quotients
    and powers, and calls other than ``abs`` are rounded.

    NOTE: what does not fit is rounded too, and this treats it as exact:
    ``1 + x - 1`` with x = 10^-40, a product of two 53-bit floats, or a
    literal of more than 30 digits. A sum of such terms that comes out 0 is
    then taken as a true 0.
    """
    kind = type(node)
    if kind is Variable:
        return True
    if kind is Number:
        denominator = node.value.denominator  # type: ignore[union-attr]
        return denominator & (denominator - 1) == 0
    if kind is Sum:
        return all(_is_exact(term) for term in node.terms)  # type: ignore[union-attr]
    if kind is Product:
        # Dividing by a power of two, as in x/2, is exact too.
        return all(
            _is_exact(factor) and (not divide or _is_power_of_two(factor))
            for factor, divide in zip(node.factors, node.divide)  # type: ignore[union-attr]
        )
    if kind is Power:
        # n^2 is n*n: a whole, non-negative literal exponent of an exact base.
        exponent = node.exponent  # type: ignore[union-attr]
        return _is_exact(node.base) and type(exponent) is Number and exponent.value.denominator == 1  # type: ignore[union-attr]
    if kind is Negate:
        return _is_exact(node.operand)  # type: ignore[union-attr]
    if kind is Call and node.function == "abs":  # type: ignore[union-attr]
        return _is_exact(node.args[0])  # type: ignore[union-attr]
    return False


def _is_power_of_two(node: Node) -> bool:
    """Tell whether ``node`` is a literal such as 2, 4 or 0.5."""
    if type(node) is not Number:
        return False
    value = node.value  # type: ignore[union-attr]
    return value.numerator > 0 and all(part & (part - 1) == 0 for part in (value.numerator, value.denominator))
