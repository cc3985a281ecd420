"""First-order bounds on the rounding error of numeric evaluation, to tell cancellation from a real difference.

``(1+x)^2 - x^2 - 2x`` is exactly 1, but at x = 1e8 the float result is off
by about 2, because ``x^2`` carries an error near 1e16 * 2^-53 that the
subtraction exposes. ``evaluate_with_error`` returns, next to each value, an
estimate of that error, propagated with the derivative of every operation
(the standard running error analysis, to first order). The comparison treats
a difference within a few such bounds as unreliable and re-evaluates it with
30 digits instead of declaring the answer wrong.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from types import MappingProxyType

import numpy as np

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
from autograder.expressions.numeric import (
    UNARY_FUNCTIONS,
    Array,
    factorial_values,
    ignore_float_errors,
    power,
    restore_float_errors,
    shape_of,
)

UNIT_ROUNDOFF = 2.0**-53
_SMALLEST_SUBNORMAL = float(np.finfo(float).smallest_subnormal)

# |f'(x)| in terms of x and the value v = f(x), for each function of the
# answer language except log with a base and factorial, handled separately.
_DERIVATIVES: Mapping[str, Callable[[Array, Array], Array]] = MappingProxyType(
    {
        "exp": lambda x, v: np.abs(v),
        "log": lambda x, v: 1.0 / np.abs(x),
        "sqrt": lambda x, v: 0.5 / np.abs(v),
        "abs": lambda x, v: np.ones_like(x),
        "sin": lambda x, v: np.abs(np.cos(x)),
        "cos": lambda x, v: np.abs(np.sin(x)),
        "tan": lambda x, v: 1.0 + v * v,
        "sec": lambda x, v: np.abs(v * np.tan(x)),
        "csc": lambda x, v: np.abs(v / np.tan(x)),
        "cot": lambda x, v: 1.0 + v * v,
        "asin": lambda x, v: 1.0 / np.sqrt(np.abs(1.0 - x * x)),
        "acos": lambda x, v: 1.0 / np.sqrt(np.abs(1.0 - x * x)),
        "atan": lambda x, v: 1.0 / (1.0 + x * x),
        "sinh": lambda x, v: np.abs(np.cosh(x)),
        "cosh": lambda x, v: np.abs(np.sinh(x)),
        "tanh": lambda x, v: np.abs(1.0 - v * v),
        "asinh": lambda x, v: 1.0 / np.sqrt(x * x + 1.0),
        "acosh": lambda x, v: 1.0 / np.sqrt(np.abs(x * x - 1.0)),
        "atanh": lambda x, v: 1.0 / np.abs(1.0 - x * x),
    }
)


def evaluate_with_error(tree: Node, env: Mapping[str, Array], count: int) -> tuple[Array, Array]:
    """Return the values of ``tree`` (as ``numeric.evaluate`` computes them) and error bounds.

    Each bound estimates the absolute rounding error of the matching value.
    It is NaN or infinite where the value is, and where the estimate breaks
    down (a derivative that is infinite at the point). The tree must already
    have evaluated without a shape error.
    """
    token = ignore_float_errors()
    try:
        values, errors = _ErrorEvaluator(env, count).run(tree)
    finally:
        restore_float_errors(token)
    if values.ndim == 0:
        return np.full(count, values, dtype=float), np.full(count, errors, dtype=float)
    return values, errors


class _ErrorEvaluator:
    def __init__(self, env: Mapping[str, Array], count: int) -> None:
        self.env = env
        self.count = count

    def constant(self, value: float, exact: bool) -> tuple[Array, Array]:
        # A numpy scalar, as in numeric.py, so that the values match that evaluation bit for bit:
        # numpy computes x^2 with a scalar exponent 2 as x*x, unlike an array of 2s.
        values = np.float64(value)
        return values, np.float64(0.0) if exact else np.abs(values) * UNIT_ROUNDOFF

    def broadcast(self, left: Array, right: Array) -> tuple[Array, Array]:
        if np.ndim(left) == 0 or np.ndim(right) == 0:
            return left, right
        left_shape, right_shape = shape_of(left), shape_of(right)
        if len(left_shape) < len(right_shape):
            left = left.reshape((self.count,) + (1,) * len(right_shape))
        elif len(right_shape) < len(left_shape):
            right = right.reshape((self.count,) + (1,) * len(left_shape))
        return left, right

    def run(self, node: Node) -> tuple[Array, Array]:
        if isinstance(node, Number):
            value = float(node.value)
            return self.constant(value, exact=value == node.value)
        if isinstance(node, Variable):
            values = np.asarray(self.env[node.name], dtype=float)
            return values, np.zeros_like(values)
        if isinstance(node, Constant):
            return self.constant(math.e if node.name == "e" else math.pi, exact=False)
        if isinstance(node, Negate):
            values, errors = self.run(node.operand)
            return -values, errors

        if isinstance(node, Sum):
            return self.sum(node)

        if isinstance(node, Product):
            return self.product(node)

        if isinstance(node, Power):
            return self.power(node)

        if isinstance(node, Factorial):
            return self.factorial(*self.run(node.operand))

        assert isinstance(node, Call)
        args = [self.run(arg) for arg in node.args]
        if node.function == "log" and len(args) == 2:
            return self.log_base(args[0], args[1])
        if node.function == "factorial":
            return self.factorial(*args[0])
        x, x_error = args[0]
        values = UNARY_FUNCTIONS[node.function](x) if node.function != "log" else np.log(x)
        derivative = _DERIVATIVES[node.function](x, values)
        # A value that underflowed to 0, such as exp(-800), may be off by the smallest float, not by 0.
        return values, _propagated(derivative, x_error) + np.abs(values) * UNIT_ROUNDOFF + _SMALLEST_SUBNORMAL

    def sum(self, node: Sum) -> tuple[Array, Array]:
        total, error = self.run(node.terms[0])
        for term, subtract in zip(node.terms[1:], node.subtract[1:]):
            values, errors = self.run(term)
            total, values = self.broadcast(total, values)
            error, errors = self.broadcast(error, errors)
            total = total - values if subtract else total + values
            # Each addition rounds its result once, and inherits both operands' errors.
            error = error + errors + np.abs(total) * UNIT_ROUNDOFF
        return total, error

    def product(self, node: Product) -> tuple[Array, Array]:
        result, error = self.run(node.factors[0])
        for factor, divide in zip(node.factors[1:], node.divide[1:]):
            values, errors = self.run(factor)
            result, values = self.broadcast(result, values)
            error, errors = self.broadcast(error, errors)
            if divide:
                quotient = result / values
                # d(a/b) = da/b - a db/b^2
                error = _propagated(1.0 / np.abs(values), error) + _propagated(np.abs(quotient / values), errors)
                result = quotient
            else:
                error = _propagated(np.abs(values), error) + _propagated(np.abs(result), errors)
                result = result * values
            error = error + np.abs(result) * UNIT_ROUNDOFF
        return result, error

    def power(self, node: Power) -> tuple[Array, Array]:
        base, base_error = self.run(node.base)
        exponent, exponent_error = self.run(node.exponent)
        base, exponent = self.broadcast(base, exponent)
        base_error, exponent_error = self.broadcast(base_error, exponent_error)
        values = power(base, exponent)
        # d(b^p) = p b^(p-1) db + b^p ln|b| dp. With p > 1 the slope grows with
        # |b|, so it is taken at |b| + db: at b = 0, which may be a lost 10^-95,
        # the first-order slope is 0 and would call any difference clear.
        slope_base = np.maximum(np.abs(base), np.where(exponent > 1.0, np.abs(base) + base_error, 0.0))
        by_base = np.abs(exponent * np.power(slope_base, exponent - 1.0))
        by_exponent = np.abs(values * np.log(np.abs(base)))
        error = _propagated(by_base, base_error) + _propagated(by_exponent, exponent_error)
        return values, error + np.abs(values) * UNIT_ROUNDOFF

    def log_base(self, argument: tuple[Array, Array], base: tuple[Array, Array]) -> tuple[Array, Array]:
        x, x_error = argument
        b, b_error = base
        x, b = self.broadcast(x, b)
        x_error, b_error = self.broadcast(x_error, b_error)
        log_base = np.log(b)
        values = np.log(x) / log_base
        by_argument = 1.0 / np.abs(x * log_base)
        by_base = np.abs(values / (b * log_base))
        error = _propagated(by_argument, x_error) + _propagated(by_base, b_error)
        return values, error + np.abs(values) * UNIT_ROUNDOFF

    def factorial(self, x: Array, x_error: Array) -> tuple[Array, Array]:
        values = factorial_values(x)
        # NOTE: |d/dx gamma(x + 1)| = gamma(x + 1) |digamma(x + 1)|, and numpy has
        # no digamma. log(|x| + 2) + 1 bounds |digamma(x + 1)| for x >= 0, not
        # near the poles at negative integers, where the bound is too small.
        derivative = np.abs(values) * (np.log(np.abs(x) + 2.0) + 1.0)
        return values, _propagated(derivative, x_error) + np.abs(values) * UNIT_ROUNDOFF


def _propagated(derivative: Array, error: Array) -> Array:
    """Return ``|derivative| * error``, counting an exact input (error 0) as adding nothing."""
    return np.where(error == 0.0, 0.0, np.abs(derivative) * error)
