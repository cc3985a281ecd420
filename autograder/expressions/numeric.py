"""Numeric evaluation of an expression tree with numpy, vectorized over all sample points at once.

Semantics are real: a value outside a function's real domain (``log(-1)``,
``sqrt(-1)``, ``(-8)^(1/3)``) is NaN, never a complex number, and overflow is
``inf``. Variables may be vectors or matrices; arithmetic and functions act
elementwise, and a scalar combines with any shape.
"""

from __future__ import annotations

import contextvars
import functools
import math
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

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
)

Array = np.ndarray

UNARY_FUNCTIONS: Mapping[str, Callable[[Array], Array]] = MappingProxyType(
    {
        "exp": np.exp,
        "sqrt": np.sqrt,
        "abs": np.abs,
        "sin": np.sin,
        "cos": np.cos,
        "tan": np.tan,
        "sec": lambda x: 1.0 / np.cos(x),
        "csc": lambda x: 1.0 / np.sin(x),
        "cot": lambda x: 1.0 / np.tan(x),
        "asin": np.arcsin,
        "acos": np.arccos,
        "atan": np.arctan,
        "sinh": np.sinh,
        "cosh": np.cosh,
        "tanh": np.tanh,
        "asinh": np.arcsinh,
        "acosh": np.arccosh,
        "atanh": np.arctanh,
    }
)


def power(base: Array, exponent: Array) -> Array:
    """Return ``base`` to the power ``exponent`` as every evaluation of a tree computes it.

    Two numpy scalars, as two constants are, go through numpy's scalar
    ``**``, in about 0.04 us against 0.5 us for ``np.power`` (CPython 3.11,
    numpy 2.4). On a machine with AVX-512, ``np.power`` runs other code and
    differs from ``**`` in the last bit for about 2% of values. Where they
    differed in a sample of 100,000 powers of constants, ``**`` gave the
    correctly rounded value 3,032 times out of 3,052 and ``np.power`` 20
    times: ``27^(1/3)`` is 3.0, not 2.9999999999999996. Every evaluation of
    a tree (numeric, so also number parts, rounding and the direct reading)
    takes this rule, so all give the same values. Both follow IEEE rules
    under ``np.errstate``: ``0**-1`` is inf and ``(-8)**(1/3)`` is NaN,
    without an exception.
    """
    if type(base) is np.float64 and type(exponent) is np.float64:
        return base**exponent
    return np.power(base, exponent)


def _ignore_errors_by_context() -> tuple[Callable[[], Any], Callable[[Any], None]]:
    """Return the functions that enter and leave ``np.errstate(all="ignore")``.

    Entering ``np.errstate`` builds numpy's error-state object anew each time,
    which costs about 0.7 µs (numpy 2.4, CPython 3.11). numpy keeps that
    object in a context variable, so setting the variable to an object built
    once and resetting it afterwards costs about 0.1 µs. The object built here
    also fixes the ufunc buffer size and error callback that were in force at
    import, which the grader never changes. Where a numpy version keeps the
    state elsewhere, the functions enter and leave an ``np.errstate``.
    """
    try:
        from numpy._core._ufunc_config import _extobj_contextvar
    except ImportError:
        _extobj_contextvar = None
    if isinstance(_extobj_contextvar, contextvars.ContextVar):
        with np.errstate(all="ignore"):
            ignoring = _extobj_contextvar.get()
        return functools.partial(_extobj_contextvar.set, ignoring), _extobj_contextvar.reset

    def enter() -> np.errstate:
        state = np.errstate(all="ignore")
        state.__enter__()
        return state

    def leave(state: np.errstate) -> None:
        state.__exit__(None, None, None)

    return enter, leave


# ``token = ignore_float_errors()`` starts ignoring floating-point errors in
# numpy as ``np.errstate(all="ignore")`` does, and ``restore_float_errors(token)``
# restores the state before it. Use them in a try/finally on hot paths.
ignore_float_errors, restore_float_errors = _ignore_errors_by_context()


def evaluate(tree: Node, env: Mapping[str, Array], count: int) -> Array:
    """Evaluate ``tree`` at ``count`` points; the result has shape ``(count, *shape)``.

    ``env`` maps each variable to an array of shape ``(count, *shape)``.
    Raises ``ExpressionError`` when two operands have different non-scalar
    shapes, with the position of the operation.
    """
    with np.errstate(all="ignore"):
        return evaluate_unguarded(tree, env, count)


def evaluate_unguarded(tree: Node, env: Mapping[str, Array], count: int) -> Array:
    """Evaluate like ``evaluate``, called inside ``np.errstate(all="ignore")`` or ``ignore_float_errors``.

    Entering ``np.errstate`` costs about a microsecond, which matters when one
    answer is judged in tens of microseconds.
    """
    values = _Evaluator(env, count).run(tree)
    if values.ndim == 0:
        # Constant subtrees are evaluated once, as numpy scalars, and spread over the points at the end.
        return np.full(count, values, dtype=float)
    return values


def evaluate_scalar_variables(tree: Node, env: Mapping[str, Array], count: int) -> Array:
    """Evaluate like ``evaluate_unguarded`` where every variable is a scalar.

    Every array of ``env`` must be a float64 array of shape ``(count,)``, so
    no operands need aligning and the result has shape ``(count,)``. Judging
    an answer of a part without vectors takes this path, which makes about
    half as many Python calls per node.
    """
    values = _run_scalar(tree, env)
    if values.ndim == 0:
        return np.full(count, values, dtype=float)
    return values


def _run_scalar(node: Node, env: Mapping[str, Array]) -> Array:
    kind = type(node)
    if kind is Variable:
        return env[node.name]  # type: ignore[union-attr]
    if kind is Product:
        factors = node.factors  # type: ignore[union-attr]
        divide = node.divide  # type: ignore[union-attr]
        result = _run_scalar(factors[0], env)
        for index in range(1, len(factors)):
            value = _run_scalar(factors[index], env)
            result = result / value if divide[index] else result * value
        return result
    if kind is Sum:
        terms = node.terms  # type: ignore[union-attr]
        subtract = node.subtract  # type: ignore[union-attr]
        total = _run_scalar(terms[0], env)
        for index in range(1, len(terms)):
            value = _run_scalar(terms[index], env)
            total = total - value if subtract[index] else total + value
        return total
    if kind is Number:
        value = node.value  # type: ignore[union-attr]
        return np.float64(value.numerator / value.denominator)
    if kind is Power:
        base = _run_scalar(node.base, env)  # type: ignore[union-attr]
        exponent = _run_scalar(node.exponent, env)  # type: ignore[union-attr]
        if type(base) is np.float64 and type(exponent) is np.float64:
            # power(), written out on this path, where it saves a call per power.
            return base**exponent
        return np.power(base, exponent)
    if kind is Negate:
        return -_run_scalar(node.operand, env)  # type: ignore[union-attr]
    if kind is Constant:
        return np.float64(math.e if node.name == "e" else math.pi)  # type: ignore[union-attr]
    if kind is Factorial:
        return factorial_values(_run_scalar(node.operand, env))  # type: ignore[union-attr]
    assert isinstance(node, Call)
    function = node.function
    if len(node.args) == 1:
        argument = _run_scalar(node.args[0], env)
        if function == "log":
            return np.log(argument)
        if function == "factorial":
            return factorial_values(argument)
        return UNARY_FUNCTIONS[function](argument)
    # Only log takes two arguments.
    return np.log(_run_scalar(node.args[0], env)) / np.log(_run_scalar(node.args[1], env))


def shape_of(values: Array) -> tuple[int, ...]:
    """Return the shape of one value: ``()`` for a scalar, ``(3, 1)`` for a column vector."""
    return tuple(values.shape[1:])


def describe_shape(shape: tuple[int, ...]) -> str:
    """Describe a shape for students: 'a scalar', 'a 3×1 vector', 'a 2×2 matrix'."""
    if not shape:
        return "a scalar"
    dimensions = "×".join(str(size) for size in shape)
    if len(shape) == 1 or 1 in shape:
        return f"a {dimensions} vector"
    return f"a {dimensions} matrix"


class _Evaluator:
    """Evaluates a tree bottom up.

    A constant subtree evaluates to a numpy float64 scalar. That follows the
    same IEEE rules as the arrays (``1/0`` is ``inf``, not an exception) and
    gives the same values, so a constant is spread over the points only
    where it meets a variable.
    """

    def __init__(self, env: Mapping[str, Array], count: int) -> None:
        self.env = env
        self.count = count

    def run(self, node: Node) -> Array:
        kind = type(node)
        if kind is Number:
            # The same correctly rounded division as Fraction.__float__, without its call.
            value = node.value  # type: ignore[union-attr]
            return np.float64(value.numerator / value.denominator)
        if kind is Variable:
            values = self.env[node.name]  # type: ignore[union-attr]
            if type(values) is np.ndarray and values.dtype == np.float64:
                return values
            return np.asarray(values, dtype=float)
        if kind is Product:
            return self.product(node)  # type: ignore[arg-type]
        if kind is Sum:
            return self.sum(node)  # type: ignore[arg-type]
        if kind is Power:
            base, exponent = self.align(self.run(node.base), self.run(node.exponent), node)  # type: ignore[union-attr]
            return power(base, exponent)
        if kind is Negate:
            return -self.run(node.operand)  # type: ignore[union-attr]
        if kind is Constant:
            return np.float64(math.e if node.name == "e" else math.pi)  # type: ignore[union-attr]
        if kind is Factorial:
            return factorial_values(self.run(node.operand))  # type: ignore[union-attr]
        assert isinstance(node, Call)
        args = [self.run(arg) for arg in node.args]
        if node.function == "log":
            if len(args) == 2:
                value, base = self.align(args[0], args[1], node)
                return np.log(value) / np.log(base)
            return np.log(args[0])
        if node.function == "factorial":
            return factorial_values(args[0])
        return UNARY_FUNCTIONS[node.function](args[0])

    def sum(self, node: Sum) -> Array:
        terms = node.terms
        total = self.run(terms[0])
        for index in range(1, len(terms)):
            total, value = self.align(total, self.run(terms[index]), node)
            total = total - value if node.subtract[index] else total + value
        return total

    def product(self, node: Product) -> Array:
        factors = node.factors
        result = self.run(factors[0])
        for index in range(1, len(factors)):
            result, value = self.align(result, self.run(factors[index]), node)
            result = result / value if node.divide[index] else result * value
        return result

    def align(self, left: Array, right: Array, node: Node) -> tuple[Array, Array]:
        """Align two operands as ``align_operands`` does, or raise ``ExpressionError`` at ``node``."""
        aligned = align_operands(left, right, self.count)
        if aligned is None:
            raise ExpressionError(
                f"This combines {describe_shape(shape_of(left))} with {describe_shape(shape_of(right))}; "
                "vectors and matrices can only be combined elementwise with one of the same shape, or with a scalar.",
                node.span[0],
            )
        return aligned


def align_operands(left: Array, right: Array, count: int) -> tuple[Array, Array] | None:
    """Reshape a scalar operand so that it broadcasts against a vector or matrix, or return None if the shapes differ.

    Both operands hold values at ``count`` points. A constant (a numpy
    scalar) broadcasts against anything as it is.
    """
    left_ndim = left.ndim
    right_ndim = right.ndim
    if left_ndim == right_ndim:
        # Two constants, two scalars or two of the same shape, or two that cannot be combined.
        return (left, right) if left_ndim <= 1 or left.shape == right.shape else None
    if left_ndim == 0 or right_ndim == 0:
        return left, right
    if left_ndim == 1:
        return left.reshape((count,) + (1,) * (right_ndim - 1)), right
    if right_ndim == 1:
        return left, right.reshape((count,) + (1,) * (left_ndim - 1))
    return None


def factorial_values(values: Array) -> Array:
    """Return gamma(values + 1) elementwise: NaN at negative integers, inf on overflow."""
    flat = values.reshape(-1)
    result = np.empty_like(flat)
    for index, value in enumerate(flat.tolist()):
        try:
            result[index] = math.gamma(value + 1.0)
        except ValueError:
            result[index] = math.nan
        except OverflowError:
            result[index] = math.inf
    return result.reshape(values.shape)
