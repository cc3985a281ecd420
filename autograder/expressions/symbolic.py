"""Conversion of expression trees to SymPy, and a symbolic equality check in a child process.

SymPy is imported on first use, never when this module is imported, because
it costs tens of megabytes in every grading process. Objects are built from
the tree, one constructor per node type; no text is ever given to SymPy.
A vector or matrix variable becomes a matrix of scalar symbols, one per entry,
and every operation acts entry by entry, as in ``numeric.py``. So ``x*x`` for
a column vector ``x`` is the elementwise square, and SymPy never treats a
vector as one commuting scalar.

``prove_equal`` runs SymPy in a forked child process, because one SymPy call
can spend minutes or gigabytes inside a single C operation (such as building
a fraction with millions of digits) that no in-process timer can interrupt.
The child gets a CPU-time limit and an address-space limit, and the parent
kills it once the wall-clock time limit has passed.
"""

from __future__ import annotations

import logging
import math
import os
import resource
import select
import signal
import time
from collections.abc import Callable, Mapping
from typing import Any, Literal, NoReturn

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

logger = logging.getLogger(__name__)

# CPU seconds that one proof may take. The limit counts CPU time rather than
# wall-clock time, so that a loaded machine gives the same verdicts as an
# idle one; the wall-clock limit, WALL_CLOCK_FACTOR times longer, only stops
# a child that waits instead of computing.
DEFAULT_TIME_LIMIT = 1.0
WALL_CLOCK_FACTOR = 5.0
# Bytes of address space that the child may add to what it inherits.
DEFAULT_MEMORY_LIMIT = 512 * 2**20

ProofOutcome = Literal["proved", "unproved", "timeout", "failed"]

# The one byte that the child writes to the pipe, by outcome.
_CHILD_CODES: Mapping[bytes, ProofOutcome] = {b"P": "proved", b"U": "unproved", b"M": "failed", b"E": "failed"}


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
    """Build the SymPy expression (or immutable matrix) of ``tree``, in this process.

    Call it only on trees that passed ``limits.check_sizes``, whose exact
    values SymPy can build quickly. ``prove_equal`` converts in its child.
    """
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
    memory_limit: int = DEFAULT_MEMORY_LIMIT,
) -> ProofOutcome:
    """Try to prove ``answer - target`` identically zero on the variables' domains.

    Returns ``"proved"`` when SymPy simplifies every entry of the difference
    to zero, and ``"unproved"`` when ``simplify`` finished without reaching
    zero, which proves nothing either way. ``"timeout"`` means that the child
    was killed after ``time_limit`` seconds, and ``"failed"`` that SymPy
    raised, the child ran out of its ``memory_limit`` bytes, or no child could
    be started.
    """
    import sympy  # noqa: F401 - imported once in this process, so that every child inherits it

    started = time.perf_counter()
    outcome = run_in_child(lambda: _difference_is_zero(answer, target, variables), time_limit, memory_limit)
    elapsed = (time.perf_counter() - started) * 1000
    if outcome in ("timeout", "failed"):
        logger.info("symbolic check %s after %.1f ms", "timed out" if outcome == "timeout" else "failed", elapsed)
    else:
        logger.debug("symbolic check %s in %.1f ms", outcome, elapsed)
    return outcome


def _difference_is_zero(answer: Node, target: Node, variables: Mapping[str, VariableSpec]) -> bool:
    import sympy

    symbols = make_symbols(variables)
    converter = _Converter(sympy, symbols)
    difference = converter.elementwise(lambda a, b: a - b, converter.run(answer), converter.run(target))
    entries = list(difference) if isinstance(difference, sympy.MatrixBase) else [difference]
    return all(_entry_is_zero(sympy, entry) for entry in entries)


def _entry_is_zero(sympy: Any, entry: Any) -> bool:
    """Decide one entry of the difference, trying the cheap tests before ``simplify``.

    SymPy cancels many differences while building them (``0*exp(x)`` is 0).
    Its assumptions often show a difference to be nonzero for every value the
    symbols may take (``exp(exp(z))`` is positive). ``simplify`` can take far
    longer on such entries.
    """
    if entry == 0:
        return True
    if entry.is_zero is False:
        return False
    return bool(sympy.simplify(entry) == 0)


def run_in_child(check: Callable[[], bool], time_limit: float, memory_limit: int) -> ProofOutcome:
    """Run ``check`` in a forked child and return ``"proved"`` if it returned true.

    The child may use ``time_limit`` seconds of CPU time (rounded up to whole
    seconds, the unit of RLIMIT_CPU), at most ``WALL_CLOCK_FACTOR`` times as
    much wall-clock time (it is killed with SIGKILL after that), and
    ``memory_limit`` bytes of address space on top of what it inherits. Returns ``"unproved"`` if ``check`` returned
    false, ``"timeout"`` if the child was killed for time, and ``"failed"`` if
    ``check`` raised (``MemoryError`` included), the child died otherwise, or
    the fork failed. Linux only, as is the rest of the grader.

    NOTE: the child has only the calling thread. A lock that another thread
    held at the fork stays locked in the child, which then hangs until the
    wall-clock limit kills it, so a multithreaded caller may see "timeout"
    for a proof that would have succeeded.
    """
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError as error:
        os.close(read_end)
        os.close(write_end)
        logger.warning("symbolic check not run: fork failed: %s", error)
        return "failed"
    if pid == 0:
        os.close(read_end)
        _run_child(check, write_end, time_limit, memory_limit)
    os.close(write_end)
    try:
        return _await_child(pid, read_end, time_limit * WALL_CLOCK_FACTOR)
    finally:
        os.close(read_end)


def _run_child(check: Callable[[], bool], write_end: int, time_limit: float, memory_limit: int) -> NoReturn:
    """Run ``check`` in the child, write its one-byte outcome and exit without cleanup.

    ``os._exit`` skips the parent's ``atexit`` handlers and buffered output,
    which belong to the parent.
    """
    code = b"E"
    try:
        _limit_resources(time_limit, memory_limit)
        code = b"P" if check() else b"U"
    except MemoryError:
        code = b"M"
    except BaseException:  # noqa: BLE001 - any failure in the child means "not proved"
        code = b"E"
    finally:
        try:
            os.write(write_end, code)
        finally:
            os._exit(0)


def _limit_resources(time_limit: float, memory_limit: int) -> None:
    """Set the child's CPU-time and address-space limits, never above the inherited hard limits.

    The CPU limit ends the proof with SIGXCPU. The address-space limit is the
    child's current size (read from ``/proc/self/status``) plus
    ``memory_limit``, because a forked child already maps everything the
    parent had mapped. A forked child's CPU time starts from zero.
    """
    cpu_seconds = max(1, math.ceil(time_limit))
    _lower_limit(resource.RLIMIT_CPU, cpu_seconds)
    current = _address_space_bytes()
    if current is not None:
        _lower_limit(resource.RLIMIT_AS, current + memory_limit)


def _lower_limit(which: int, value: int) -> None:
    soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, hard))


def _address_space_bytes() -> int | None:
    """Return this process's virtual memory size, or None where ``/proc`` does not report it."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _await_child(pid: int, read_end: int, wall_seconds: float) -> ProofOutcome:
    """Wait up to ``wall_seconds`` for the child's outcome, then kill and reap it."""
    code = b""
    ready: list[int] = []
    try:
        ready, _, _ = select.select([read_end], [], [], wall_seconds)
        if ready:
            code = os.read(read_end, 1)
    finally:
        if not code:
            # Killing a child that already exited is harmless until it is reaped.
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if code:
        return _CHILD_CODES.get(code, "failed")
    if not ready or (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU):
        return "timeout"
    return "failed"
