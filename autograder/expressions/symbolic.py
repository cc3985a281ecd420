"""Conversion of expression trees to SymPy and a time-limited symbolic equality check.

SymPy is imported on first use, never when this module is imported, because
it costs tens of megabytes in every grading process. Objects are built from
the tree, one constructor per node type; no text is ever given to SymPy.
A vector or matrix variable becomes a matrix of scalar symbols, one per entry,
and every operation acts entry by entry, as in ``numeric.py``. So ``x*x`` for
a column vector ``x`` is the elementwise square, and SymPy never treats a
vector as one commuting scalar.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Mapping
from types import FrameType
from typing import TYPE_CHECKING, Any

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
from autograder.spec import VariableSpec

if TYPE_CHECKING:
    import sympy

logger = logging.getLogger(__name__)

DEFAULT_TIME_LIMIT = 2.0


class SymbolicTimeout(BaseException):
    """Raised inside SymPy when the time limit passes.

    It derives from ``BaseException`` so that SymPy's own ``except Exception``
    blocks do not swallow it.
    """


def make_symbols(variables: Mapping[str, VariableSpec]) -> dict[str, Any]:
    """Build a SymPy symbol (scalar) or matrix of symbols (vector, matrix) per variable.

    Each symbol carries what its domain guarantees: real, a sign where the
    domain has one, and integer. So SymPy may simplify ``sqrt(o^2)`` to ``o``
    for ``o`` in (0, 1), but not for ``x`` in (-1, 1).
    """
    import sympy

    symbols: dict[str, Any] = {}
    for name, spec in variables.items():
        assumptions = _assumptions(spec)
        if not spec.shape:
            symbols[name] = sympy.Symbol(name, **assumptions)
            continue
        rows, columns = (spec.shape[0], 1) if len(spec.shape) == 1 else spec.shape[:2]
        entries = [
            [sympy.Symbol(f"{name}[{row},{column}]", **assumptions) for column in range(columns)]
            for row in range(rows)
        ]
        symbols[name] = sympy.ImmutableMatrix(entries)
    return symbols


def _assumptions(spec: VariableSpec) -> dict[str, bool]:
    assumptions = {"real": True}
    if spec.interval is not None:
        low, high = spec.interval
    else:
        assert spec.values is not None
        low, high = min(spec.values), max(spec.values)
        if all(float(value).is_integer() for value in spec.values):
            assumptions["integer"] = True
    if spec.integer:
        assumptions["integer"] = True
    if low > 0:
        assumptions["positive"] = True
    elif low >= 0:
        assumptions["nonnegative"] = True
    if high < 0:
        assumptions["negative"] = True
    elif high <= 0:
        assumptions["nonpositive"] = True
    return assumptions


def to_sympy(tree: Node, symbols: Mapping[str, Any]) -> Any:
    """Build the SymPy expression (or immutable matrix) of ``tree``."""
    import sympy

    return _Converter(sympy, symbols).run(tree)


class _Converter:
    def __init__(self, sympy_module: Any, symbols: Mapping[str, Any]) -> None:
        self.sp = sympy_module
        self.symbols = symbols
        sp = sympy_module
        self.functions: dict[str, Callable[..., Any]] = {
            "exp": sp.exp,
            "sqrt": sp.sqrt,
            "abs": sp.Abs,
            "factorial": sp.factorial,
            "sin": sp.sin,
            "cos": sp.cos,
            "tan": sp.tan,
            "sec": sp.sec,
            "csc": sp.csc,
            "cot": sp.cot,
            "asin": sp.asin,
            "acos": sp.acos,
            "atan": sp.atan,
            "sinh": sp.sinh,
            "cosh": sp.cosh,
            "tanh": sp.tanh,
            "asinh": sp.asinh,
            "acosh": sp.acosh,
            "atanh": sp.atanh,
        }

    def elementwise(self, operation: Callable[..., Any], *args: Any) -> Any:
        """Apply ``operation`` entry by entry when any argument is a matrix."""
        matrices = [arg for arg in args if isinstance(arg, self.sp.MatrixBase)]
        if not matrices:
            return operation(*args)
        shape = matrices[0].shape
        entries = [
            [
                operation(*(arg[row, column] if isinstance(arg, self.sp.MatrixBase) else arg for arg in args))
                for column in range(shape[1])
            ]
            for row in range(shape[0])
        ]
        return self.sp.ImmutableMatrix(entries)

    def run(self, node: Node) -> Any:
        sp = self.sp
        if isinstance(node, Number):
            return sp.Rational(node.value.numerator, node.value.denominator)
        if isinstance(node, Variable):
            return self.symbols[node.name]
        if isinstance(node, Constant):
            return sp.E if node.name == "e" else sp.pi
        if isinstance(node, Negate):
            return self.elementwise(lambda value: -value, self.run(node.operand))

        if isinstance(node, Sum):
            total = self.run(node.terms[0])
            for term, subtract in zip(node.terms[1:], node.subtract[1:]):
                operation = (lambda a, b: a - b) if subtract else (lambda a, b: a + b)
                total = self.elementwise(operation, total, self.run(term))
            return total

        if isinstance(node, Product):
            result = self.run(node.factors[0])
            for factor, divide in zip(node.factors[1:], node.divide[1:]):
                operation = (lambda a, b: a / b) if divide else (lambda a, b: a * b)
                result = self.elementwise(operation, result, self.run(factor))
            return result

        if isinstance(node, Power):
            return self.elementwise(sp.Pow, self.run(node.base), self.run(node.exponent))

        if isinstance(node, Factorial):
            return self.elementwise(sp.factorial, self.run(node.operand))

        assert isinstance(node, Call)
        args = [self.run(arg) for arg in node.args]
        if node.function == "log":
            if len(args) == 2:
                return self.elementwise(lambda value, base: sp.log(value) / sp.log(base), *args)
            return self.elementwise(sp.log, args[0])
        return self.elementwise(self.functions[node.function], args[0])


def prove_equal(
    answer: Node,
    target: Node,
    variables: Mapping[str, VariableSpec],
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> bool | None:
    """Try to prove ``answer - target`` is identically zero on the variables' domains.

    Returns ``True`` when SymPy simplifies every entry of the difference to
    zero, and ``None`` when it does not, fails, or runs out of time: failing to
    simplify to zero proves nothing either way.
    """
    started = time.perf_counter()
    try:
        proved = _with_time_limit(lambda: _difference_is_zero(answer, target, variables), time_limit)
    except SymbolicTimeout:
        logger.info("symbolic check timed out after %.2f s", time_limit)
        return None
    except (Exception, RecursionError) as error:  # noqa: BLE001 - any SymPy failure means "not proved"
        logger.info("symbolic check failed with %s: %s", type(error).__name__, error)
        return None
    logger.debug("symbolic check finished in %.1f ms", (time.perf_counter() - started) * 1000)
    return True if proved else None


def _difference_is_zero(answer: Node, target: Node, variables: Mapping[str, VariableSpec]) -> bool:
    import sympy

    symbols = make_symbols(variables)
    converter = _Converter(sympy, symbols)
    difference = converter.elementwise(lambda a, b: a - b, converter.run(answer), converter.run(target))
    entries = list(difference) if isinstance(difference, sympy.MatrixBase) else [difference]
    return all(sympy.simplify(entry) == 0 for entry in entries)


def _with_time_limit(function: Callable[[], bool], seconds: float) -> bool:
    """Run ``function`` and raise ``SymbolicTimeout`` in it once ``seconds`` have passed.

    The check runs at every Python function call, through ``sys.settrace``,
    so it works in any thread, unlike an alarm signal. A single long C-level
    operation cannot be interrupted, which is why ``limits.check_sizes`` keeps
    huge integers out of the tree. The previous trace function (a debugger or
    coverage tool) is restored afterwards.
    """
    deadline = time.monotonic() + seconds
    previous = sys.gettrace()

    def tracer(frame: FrameType, event: str, arg: object) -> None:
        if time.monotonic() > deadline:
            raise SymbolicTimeout
        return None

    sys.settrace(tracer)
    try:
        return function()
    finally:
        sys.settrace(previous)
