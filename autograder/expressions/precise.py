"""High-precision evaluation at single points with mpmath, for points where float evaluation cannot decide.

Used where an answer overflowed to ``inf`` or NaN, or lies just outside the
tolerance, at a point where the reference is defined. The semantics match
``numeric.py`` (real values only), but with 30 significant digits and an
exponent range that does not overflow. Values whose size passes
``_MAX_LOG_MAGNITUDE`` (about 10^434294) stop the evaluation as unresolved,
so a tower such as ``exp(exp(exp(z)))`` cannot make mpmath build a number
with billions of digits. mpmath is imported on first use.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
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

Undefined = Literal["undefined"]
Unresolved = Literal["unresolved"]


class _UndefinedHere(Exception):
    pass


class _TooLarge(Exception):
    pass


def evaluate_at(tree: Node, env: Mapping[str, float], digits: int = DIGITS) -> mpf | Undefined | Unresolved:
    """Evaluate ``tree`` at one point of scalar values with ``digits`` significant digits.

    Returns the value, ``"undefined"`` where the real value does not exist
    (outside a function's domain, division by zero), or ``"unresolved"``
    where the value is too large even for this evaluation.
    """
    return evaluate_with_scale(tree, env, digits)[0]


def evaluate_with_scale(
    tree: Node, env: Mapping[str, float], digits: int = DIGITS
) -> tuple[mpf | Undefined | Unresolved, int]:
    """Evaluate like ``evaluate_at`` and also bound the decimal exponent of the largest intermediate value.

    A value computed from intermediates near 10^k with p digits may be off
    by about 10^(k - p), so k gives the digits that a confirmation needs.
    The bound k is the smallest integer with every intermediate (variables
    and literals included) at most about 10^k in size, and 0 when all are
    below 1.
    """
    import mpmath

    with mpmath.workdps(digits):
        evaluator = _Evaluator(mpmath, env)
        try:
            value: mpf | Undefined | Unresolved = evaluator.run(tree)
        except _UndefinedHere:
            value = "undefined"
        except _TooLarge:
            value = "unresolved"
    return value, math.ceil(evaluator.largest_log2 * math.log10(2))


class _Evaluator:
    def __init__(self, mpmath: object, env: Mapping[str, float]) -> None:
        self.mp = mpmath
        self.env = env
        self.largest_log2 = 0

    def note(self, value: mpf) -> mpf:
        """Record the size of an intermediate value and return it."""
        if value:
            self.largest_log2 = max(self.largest_log2, self.mp.mag(value))  # type: ignore[attr-defined]
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
            return -self.run(node.operand)

        if isinstance(node, Sum):
            total = mp.mpf(0)  # type: ignore[attr-defined]
            for term, subtract in zip(node.terms, node.subtract):
                value = self.run(term)
                total = total - value if subtract else total + value
            return self.note(self.checked(total))

        if isinstance(node, Product):
            result = mp.mpf(1)  # type: ignore[attr-defined]
            for factor, divide in zip(node.factors, node.divide):
                value = self.run(factor)
                if divide:
                    if value == 0:
                        raise _UndefinedHere
                    result = result / value
                else:
                    result = result * value
                self.note(result)
            return self.checked(result)

        if isinstance(node, Power):
            return self.note(self.power(self.run(node.base), self.run(node.exponent)))

        if isinstance(node, Factorial):
            return self.note(self.factorial(self.run(node.operand)))

        assert isinstance(node, Call)
        args = [self.run(arg) for arg in node.args]
        return self.note(self.call(node.function, args))

    def power(self, base: mpf, exponent: mpf) -> mpf:
        mp = self.mp
        if base == 0:
            if exponent > 0:
                return mp.mpf(0)  # type: ignore[attr-defined]
            raise _UndefinedHere
        if base < 0 and exponent != mp.floor(exponent):  # type: ignore[attr-defined]
            raise _UndefinedHere
        if abs(exponent * mp.log(abs(base))) > _MAX_LOG_MAGNITUDE:  # type: ignore[attr-defined]
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
        return self.checked(mp.gamma(value + 1))  # type: ignore[attr-defined]

    def call(self, function: str, args: list[mpf]) -> mpf:
        mp = self.mp
        x = args[0]
        if function == "exp":
            if x > _MAX_LOG_MAGNITUDE:
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
