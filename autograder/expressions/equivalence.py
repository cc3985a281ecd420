"""Equivalence of two expressions, decided by sampling, with high-precision and symbolic escalation.

The rule, applied entry by entry at every sample point:

- A point where the target (the reference, or a listed mistake) is NaN or
  infinite is skipped: the target is undefined there.
- Elsewhere the answer must be finite and within ``max(rtol * |target|,
  atol)`` of the target. The tolerance comes from the target value only, and
  the absolute floor lets ``sin(pi)`` (about 1e-16) match a target of 0.
- A finite answer off by more than ``CLEAR_FACTOR`` tolerances at some point
  is different, decided by floats alone, unless the difference is within
  ``RELIABLE_FACTOR`` times the estimated rounding error of the two
  evaluations (``rounding.py``), as in ``(1+x)^2 - x^2 - 2x`` at x = 1e8.
- Any other failing point (the answer is NaN or infinite there, off by less
  than ``CLEAR_FACTOR`` tolerances, or off by no more than rounding can
  explain) is re-evaluated with 30 digits in ``precise.py``. That separates overflow and rounding (``exp(z)/(1+exp(z))``
  at z = 800) from a real domain problem (``2*log(x)`` at x < 0, which makes
  the answer wrong) and from a real difference.
- Only when that stays unresolved (values beyond about 10^434294), or when
  the target is defined at fewer than ``MIN_DEFINED_POINTS`` points, does
  SymPy try to prove the difference zero, under a time limit.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from autograder.expressions.domains import SamplePoints
from autograder.expressions.nodes import Node
from autograder.expressions.rounding import UNIT_ROUNDOFF, evaluate_with_error
from autograder.spec import VariableSpec

logger = logging.getLogger(__name__)

# A float difference this many tolerances away, and this many estimated
# rounding errors away, is a real difference.
CLEAR_FACTOR = 1000.0
RELIABLE_FACTOR = 4.0
MAX_PRECISE_POINTS = 64
MIN_DEFINED_POINTS = 3

Outcome = Literal["equal", "different", "undefined"]
Method = Literal["sampling", "precise", "symbolic"]


@dataclass(frozen=True)
class Tolerance:
    """Relative tolerance with an absolute floor: ``|a - t| <= max(rtol * |t|, atol)``."""

    rtol: float
    atol: float


@dataclass(frozen=True)
class Target:
    """An expression that answers are compared with, evaluated once at every sample point.

    ``values`` has shape ``(count, *shape)`` and ``errors`` the same shape,
    with the estimated rounding error of each value. ``defined`` marks the
    points where every entry is finite.
    """

    tree: Node
    values: np.ndarray
    errors: np.ndarray
    shape: tuple[int, ...]
    defined: np.ndarray

    @classmethod
    def build(cls, tree: Node, values: np.ndarray, errors: np.ndarray | None = None) -> Target:
        count = values.shape[0]
        flat = values.reshape(count, -1)
        defined = np.isfinite(flat).all(axis=1)
        if errors is None:
            errors = np.zeros_like(values)
        return cls(tree, values, errors, tuple(values.shape[1:]), defined)


MAX_REFERENCE_REPAIRS = 256


def build_target(tree: Node, values: np.ndarray, points: SamplePoints) -> Target:
    """Prepare a target, re-evaluating with 30 digits the entries where floats overflowed.

    ``exp(-z)/(1 + exp(-z))^2`` at z = -800 is about 1e-347 in exact arithmetic
    but NaN in floats (inf/inf). Such entries get their high-precision value
    when it is a finite float, so the point still counts. At most
    ``MAX_REFERENCE_REPAIRS`` entries are tried, which bounds the cost of
    building a checker.
    """
    count = points.count
    flat = values.reshape(count, -1).copy()
    _, errors = evaluate_with_error(tree, points.values, count)
    flat_errors = errors.reshape(count, -1).copy()
    broken = np.argwhere(~np.isfinite(flat))[:MAX_REFERENCE_REPAIRS]
    if broken.size:
        from autograder.expressions import precise

        for point, entry in broken.tolist():
            value = precise.evaluate_at(tree, _point_env(points, point, entry))
            if not isinstance(value, str) and np.isfinite(float(value)):
                flat[point, entry] = float(value)
                flat_errors[point, entry] = abs(float(value)) * UNIT_ROUNDOFF
    return Target.build(tree, flat.reshape(values.shape), flat_errors.reshape(values.shape))


@dataclass(frozen=True)
class Comparison:
    """The outcome of a comparison and, when not equal, a sample point that shows why."""

    outcome: Outcome
    point: int | None = None
    method: Method = "sampling"


def compare(
    tree: Node,
    values: np.ndarray,
    target: Target,
    points: SamplePoints,
    tolerance: Tolerance,
    variables: Mapping[str, VariableSpec],
    *,
    symbolic_time_limit: float,
) -> Comparison:
    """Compare an answer (its tree and its values at the points) with ``target``.

    The caller has checked that the shapes agree.
    """
    count = points.count
    answer = values.reshape(count, -1)
    reference = target.values.reshape(count, -1)
    with np.errstate(all="ignore"):
        allowed = np.maximum(tolerance.rtol * np.abs(reference), tolerance.atol)
        difference = np.abs(answer - reference)
    finite = np.isfinite(answer)
    entry_match = finite & (difference <= allowed)
    entry_clear = finite & (difference > CLEAR_FACTOR * allowed)
    defined = target.defined

    if (entry_clear.any(axis=1) & defined).any():
        # Only now pay for the error bounds: most answers that match never need them.
        _, answer_errors = evaluate_with_error(tree, points.values, count)
        rounding = answer_errors.reshape(count, -1) + target.errors.reshape(count, -1)
        with np.errstate(invalid="ignore"):
            entry_clear &= difference > RELIABLE_FACTOR * rounding
    clear = entry_clear.any(axis=1) & defined
    if clear.any():
        return Comparison("different", int(np.argmax(clear)))

    suspects = np.flatnonzero(defined & ~entry_match.all(axis=1))
    unresolved: list[int] = []
    if suspects.size:
        from autograder.expressions import precise

        for point in suspects[:MAX_PRECISE_POINTS].tolist():
            for entry in np.flatnonzero(~entry_match[point]).tolist():
                env = _point_env(points, point, entry)
                answer_value = precise.evaluate_at(tree, env)
                target_value = precise.evaluate_at(target.tree, env)
                answer_undefined = isinstance(answer_value, str) and answer_value == "undefined"
                if answer_undefined and not isinstance(target_value, str):
                    return Comparison("undefined", point, "precise")
                if isinstance(answer_value, str) or isinstance(target_value, str):
                    unresolved.append(point)
                    continue
                if not precise.close_enough(answer_value, target_value, tolerance.rtol, tolerance.atol):
                    return Comparison("different", point, "precise")
        unresolved.extend(suspects[MAX_PRECISE_POINTS:].tolist())

    defined_count = int(defined.sum())
    if not unresolved and defined_count >= min(MIN_DEFINED_POINTS, count):
        return Comparison("equal", method="precise" if suspects.size else "sampling")

    from autograder.expressions import symbolic

    proved = symbolic.prove_equal(tree, target.tree, variables, symbolic_time_limit)
    if proved:
        return Comparison("equal", method="symbolic")
    if unresolved:
        return Comparison("different", unresolved[0], "symbolic")
    if defined_count == 0:
        return Comparison("different", method="symbolic")
    # NOTE: with fewer than MIN_DEFINED_POINTS defined points and no proof,
    # agreement at those few points is all the evidence there is.
    logger.info("accepted on %d defined sample points without a symbolic proof", defined_count)
    return Comparison("equal", method="sampling")


def _point_env(points: SamplePoints, point: int, entry: int) -> dict[str, float]:
    """Scalar values of every variable at one point, taking entry ``entry`` of vectors and matrices."""
    env: dict[str, float] = {}
    for name, array in points.values.items():
        value = array[point]
        if value.ndim:
            flat = value.reshape(-1)
            env[name] = float(flat[entry] if entry < flat.size else flat[0])
        else:
            env[name] = float(value)
    return env
