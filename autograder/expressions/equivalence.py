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
  explain) is re-evaluated with 30 digits in ``precise.py``. That separates
  overflow and rounding (``exp(z)/(1+exp(z))`` at z = 800) from a real domain
  problem (``2*log(x)`` at x < 0, which makes the answer wrong) and from a
  real difference. A difference found with 30 digits is re-evaluated with
  enough digits to resolve the tolerance next to the largest intermediate
  value (``confirmation_digits``). The point matches if the answer is then
  within the tolerance, and differs if the difference is the same as with
  30 digits, or as with 30 more digits where cancellation made the 30-digit
  difference noise. So the cancellation of terms near 10^253, or of
  ``1 - 1/(1 + e^-z)`` where its value is 10^-96, is not taken for a
  difference and needs no symbolic check. One check
  visits at most ``MAX_PRECISE_NODES`` tree nodes this way
  (``PreciseBudget``); points beyond that stay unsettled.
- Only when points stay unsettled (values beyond about 10^434294, sines,
  cosines or tangents of values beyond about 10^308, a difference that
  more digits neither confirm nor remove, or the budget
  spent), or when the target is defined at fewer than
  ``MIN_DEFINED_POINTS`` points, does SymPy try to prove the difference zero,
  in a child process under a time and memory limit (``symbolic.py``).
- If SymPy proves it, the answer is equal. Otherwise an answer that is too
  large to evaluate at a point is ``"overflow"``, and one whose points stayed
  unsettled for another reason is ``"undecided"``. Neither is ever equal.
  An answer that 30-digit evaluation shows to be beyond about 10^434294 at
  a point where the target is not (``exp(exp(exp(z)))`` where z > 2.6) is
  ``"overflow"`` at once, without SymPy, because it cannot be equal.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from autograder.expressions.domains import SamplePoints
from autograder.expressions.nodes import Node, walk
from autograder.expressions.numeric import ignore_float_errors, restore_float_errors
from autograder.expressions.rounding import UNIT_ROUNDOFF, evaluate_with_error
from autograder.spec import VariableSpec

if TYPE_CHECKING:
    from autograder.expressions.symbolic import ProofOutcome

logger = logging.getLogger(__name__)

# A float difference this many tolerances away, and this many estimated
# rounding errors away, is a real difference.
CLEAR_FACTOR = 1000.0
RELIABLE_FACTOR = 4.0
MIN_DEFINED_POINTS = 3
# Tree nodes that 30-digit evaluation may visit in one check. A node took
# about 4 us on the machine in docs/benchmarks.md (measured with
# benchmarks/expressions.py), so this bounds that work to about 0.1 s there,
# whatever the answer and the shapes.
MAX_PRECISE_NODES = 25_000
# A difference found with 30 digits is confirmed with enough digits to
# resolve the tolerance next to the largest intermediate value (see
# ``confirmation_digits``). A confirmation that would need more digits than
# this is skipped, and the point stays unsettled.
MAX_CONFIRMATION_DIGITS = 2000

Outcome = Literal["equal", "different", "undefined", "overflow", "undecided"]
Method = Literal["sampling", "precise", "symbolic"]


class PreciseBudget:
    """The number of tree nodes that 30-digit evaluation may still visit in one check.

    A checker passes one budget to every comparison of one answer, so that
    the reference and all listed mistakes share it.
    """

    def __init__(self, nodes: int = MAX_PRECISE_NODES) -> None:
        self.remaining = nodes

    def spend(self, nodes: int) -> bool:
        """Take ``nodes`` from the budget and return True, or return False if too few remain."""
        if nodes > self.remaining:
            return False
        self.remaining -= nodes
        return True


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
    points where every entry is finite. ``size`` is the number of nodes in
    the tree, which one 30-digit evaluation visits.
    """

    tree: Node
    values: np.ndarray
    errors: np.ndarray
    shape: tuple[int, ...]
    defined: np.ndarray
    size: int

    @classmethod
    def build(cls, tree: Node, values: np.ndarray, errors: np.ndarray | None = None) -> Target:
        count = values.shape[0]
        flat = values.reshape(count, -1)
        defined = np.isfinite(flat).all(axis=1)
        if errors is None:
            errors = np.zeros_like(values)
        return cls(tree, values, errors, tuple(values.shape[1:]), defined, tree_size(tree))


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
class Band:
    """The target's values and allowed differences at its defined points, prepared once per target.

    ``rows`` lists the points where the target is defined, or is ``None``
    when it is defined at every point. ``reference`` and ``allowed`` hold
    the target's values and ``max(rtol * |value|, atol)`` at those points.
    """

    rows: np.ndarray | None
    reference: np.ndarray
    allowed: np.ndarray
    # The target's value and allowed difference where the target is a scalar
    # defined at every point with the same value there, as a constant is.
    constant: tuple[float, float] | None = None

    def contains_scalar(self, value: np.floating, count: int) -> bool:
        """Tell whether ``value`` at each of the ``count`` points is within the band, with the result ``contains`` gives for that array.

        A band with ``constant`` compares the one value once. Call it as ``contains``.
        """
        if self.constant is not None:
            reference, allowed = self.constant
            return bool(abs(value - reference) <= allowed)
        return bool(self.contains(np.full(count, value, dtype=float)))

    def contains(self, values: np.ndarray) -> bool:
        """Tell whether every entry of ``values`` is finite and within the tolerance of the target.

        When this returns True, ``compare`` returns ``"equal"`` by sampling
        for the same values, so a caller may skip it. When it returns False,
        only ``compare`` can tell why. Call it inside ``np.errstate(all="ignore")`` or ``numeric.ignore_float_errors``
        with ``values`` of the target's shape.
        """
        if self.rows is not None:
            values = values[self.rows]
        # NaN and inf fail the comparison, because every allowed value is finite.
        within = abs(values - self.reference) <= self.allowed
        # A boolean array stores one byte per entry, 0 for False. Searching its
        # bytes took 0.05 us against 0.2 us for np.count_nonzero and 0.6 us
        # for ndarray.all, whose wrappers run in Python (numpy 2.4).
        return 0 not in within.tobytes()


def build_band(target: Target, tolerance: Tolerance) -> Band | None:
    """Prepare the fast path of ``compare`` for ``target``, or return None where it does not apply.

    It does not apply when the target is defined at fewer than
    ``MIN_DEFINED_POINTS`` points (or all of them, if there are fewer),
    because ``compare`` then runs the symbolic check even if the values
    match. Nor does it apply when an allowed
    difference overflows to ``inf``, which ``compare`` treats differently
    from a finite one.
    """
    count = target.values.shape[0]
    defined = target.defined
    if int(defined.sum()) < min(MIN_DEFINED_POINTS, count):
        return None
    rows = None if defined.all() else np.flatnonzero(defined)
    reference = target.values if rows is None else target.values[rows]
    with np.errstate(all="ignore"):
        allowed = np.maximum(tolerance.rtol * np.abs(reference), tolerance.atol)
    if not np.isfinite(allowed).all():
        return None
    constant = None
    if rows is None and reference.ndim == 1 and (reference == reference[0]).all() and (allowed == allowed[0]).all():
        constant = (float(reference[0]), float(allowed[0]))
    return Band(rows, reference, allowed, constant)


@dataclass(frozen=True)
class Comparison:
    """The outcome of a comparison and, when not equal, a sample point that shows why.

    ``proof`` is what the symbolic check returned, when it ran.
    """

    outcome: Outcome
    point: int | None = None
    method: Method = "sampling"
    proof: ProofOutcome | None = None


@dataclass(frozen=True)
class _Unsettled:
    """Points that 30-digit evaluation could not settle.

    ``overflow`` is the first point where the answer is too large to
    evaluate even with 30 digits. ``points`` lists every unsettled point,
    including that one, in order.
    """

    overflow: int | None
    points: tuple[int, ...]


def compare(
    tree: Node,
    values: np.ndarray,
    target: Target,
    points: SamplePoints,
    tolerance: Tolerance,
    variables: Mapping[str, VariableSpec],
    *,
    symbolic_time_limit: float | None,
    budget: PreciseBudget | None = None,
) -> Comparison:
    """Compare an answer (its tree and its values at the points) with ``target``.

    The caller has checked that the shapes agree. ``symbolic_time_limit``
    ``None`` skips the symbolic check, which then counts as unproved.
    ``budget`` bounds the 30-digit work, and is fresh for each call if not
    given.
    """
    count = points.count
    answer = values.reshape(count, -1)
    reference = target.values.reshape(count, -1)
    # The error state is set as in numeric.ignore_float_errors: np.errstate costs about 0.7 us to enter.
    token = ignore_float_errors()
    try:
        allowed = np.maximum(tolerance.rtol * np.abs(reference), tolerance.atol)
        difference = np.abs(answer - reference)
        finite = np.isfinite(answer)
        entry_match = finite & (difference <= allowed)
        # An allowed difference near the largest float overflows here, to inf.
        entry_clear = finite & (difference > CLEAR_FACTOR * allowed)
    finally:
        restore_float_errors(token)
    defined = target.defined

    if (entry_clear.any(axis=1) & defined).any():
        # Only now pay for the error bounds: most answers that match never need them.
        _, answer_errors = evaluate_with_error(tree, points.values, count)
        token = ignore_float_errors()
        try:
            rounding = answer_errors.reshape(count, -1) + target.errors.reshape(count, -1)
            entry_clear &= difference > RELIABLE_FACTOR * rounding
        finally:
            restore_float_errors(token)
    clear = entry_clear.any(axis=1) & defined
    if clear.any():
        return Comparison("different", int(np.argmax(clear)))

    suspects = np.flatnonzero(defined & ~entry_match.all(axis=1))
    unsettled = _Unsettled(None, ())
    if suspects.size:
        settled = _settle_precisely(tree, target, points, tolerance, suspects, entry_match, budget or PreciseBudget())
        if isinstance(settled, Comparison):
            return settled
        unsettled = settled

    defined_count = int(defined.sum())
    if not unsettled.points and defined_count >= min(MIN_DEFINED_POINTS, count):
        return Comparison("equal", method="precise" if suspects.size else "sampling")

    proof: ProofOutcome = "unproved"
    if symbolic_time_limit is not None:
        from autograder.expressions import symbolic

        proof = symbolic.prove_equal(tree, target.tree, variables, symbolic_time_limit)
    if proof == "proved":
        return Comparison("equal", method="symbolic", proof=proof)
    if unsettled.overflow is not None:
        return Comparison("overflow", unsettled.overflow, "symbolic", proof)
    if unsettled.points:
        return Comparison("undecided", unsettled.points[0], "symbolic", proof)
    if defined_count == 0:
        return Comparison("different", method="symbolic", proof=proof)
    # NOTE: with fewer than MIN_DEFINED_POINTS defined points and no proof,
    # agreement at those few points is all the evidence there is.
    logger.info("accepted on %d defined sample points without a symbolic proof", defined_count)
    return Comparison("equal", method="sampling", proof=proof)


def _settle_precisely(
    tree: Node,
    target: Target,
    points: SamplePoints,
    tolerance: Tolerance,
    suspects: np.ndarray,
    entry_match: np.ndarray,
    budget: PreciseBudget,
) -> Comparison | _Unsettled:
    """Re-evaluate the failing entries of the suspect points with 30 digits.

    Returns a decisive comparison (``"undefined"`` or ``"different"``) as soon
    as one entry gives one, or else the points left unsettled: where either
    side is too large to evaluate, and every point that the budget no longer
    covers. Once more digits have shown one entry close, later entries are
    first tried at that precision, because cancellation in one answer
    usually hits every point: a match there settles the entry at once.
    """
    from autograder.expressions import precise

    answer_size = tree_size(tree)
    overflow: int | None = None
    unsettled: list[int] = []
    suspect_points = suspects.tolist()
    cancelling_digits: int | None = None
    for index, point in enumerate(suspect_points):
        for entry in np.flatnonzero(~entry_match[point]).tolist():
            env = _point_env(points, point, entry)
            if cancelling_digits is not None and budget.spend(precise_cost(answer_size + target.size, cancelling_digits)):
                if _close_at(tree, target.tree, env, tolerance, cancelling_digits):
                    continue
            if not budget.spend(answer_size + target.size):
                unsettled.extend(suspect_points[index:])
                return _Unsettled(overflow, tuple(unsettled))
            answer = precise.evaluate_precisely(tree, env)
            reference = precise.evaluate_precisely(target.tree, env)
            answer_value, target_value = answer.value, reference.value
            if isinstance(answer_value, str) and not (answer_value == "undefined" and answer.cancelled):
                if answer_value == "undefined" and not isinstance(target_value, str):
                    return Comparison("undefined", point, "precise")
                if answer_value == "huge" and not isinstance(target_value, str):
                    # At least 2^64 times any value that 30 digits can hold, so it cannot be within the tolerance.
                    return Comparison("overflow", point, "precise")
                if answer_value in ("unresolved", "huge") and overflow is None:
                    overflow = point
                unsettled.append(point)
                break
            if isinstance(target_value, str):
                unsettled.append(point)
                break
            if not isinstance(answer_value, str) and precise.close_enough(
                answer_value, target_value, tolerance.rtol, tolerance.atol
            ):
                continue
            # More digits decide a difference, or an answer that is undefined only because a sum cancelled to 0.
            trusted = None if isinstance(answer_value, str) or answer.cancelled else answer_value - target_value
            digits = confirmation_digits(max(answer.scale, reference.scale), target_value, tolerance)
            outcome, digits = _recheck(
                tree, target.tree, env, trusted, tolerance, digits, budget, answer_size + target.size
            )
            if outcome == "different":
                return Comparison("different", point, "precise")
            if outcome == "undefined":
                return Comparison("undefined", point, "precise")
            if outcome == "close":
                cancelling_digits = digits
                continue
            unsettled.append(point)
            break
    return _Unsettled(overflow, tuple(unsettled))


def _close_at(tree: Node, target: Node, env: dict[str, float], tolerance: Tolerance, digits: int) -> bool:
    """Tell whether the answer and the target are within the tolerance when evaluated with ``digits`` digits.

    A match with at least 30 digits settles an entry as a 30-digit match
    does, and more digits only make the values more accurate.
    """
    from autograder.expressions import precise

    answer_value = precise.evaluate_at(tree, env, digits)
    target_value = precise.evaluate_at(target, env, digits)
    if isinstance(answer_value, str) or isinstance(target_value, str):
        return False
    return precise.close_enough(answer_value, target_value, tolerance.rtol, tolerance.atol)


def confirmation_digits(scale: int, target_value: Any, tolerance: Tolerance) -> int:
    """Return the digits that settle whether an answer is within the tolerance of the target.

    With intermediate values up to about 10^``scale``, p digits leave an
    error of about 10^(scale - p). The allowed difference,
    ``max(rtol * |target|, atol)``, is about 10^a, so p = scale - a leaves an
    error as large as the tolerance, and 30 more digits shrink it to 10^-30
    of the tolerance. Cancellation can need either part. In ``e^-z +
    (z+1)^300 - (z+1)^299*(z+1)`` the intermediates near 10^253 swamp the
    first term. In ``1 - 1/(1 + e^-z)`` at z = 219, where the target is
    6.7*10^-96, a 30-digit evaluation of the answer gives 0. The result is
    at least 60, and a target of 0 with no absolute floor gets more than
    ``MAX_CONFIRMATION_DIGITS``, because only an exact match could pass.
    """
    import mpmath

    from autograder.expressions import precise

    allowed = max(tolerance.rtol * abs(target_value), tolerance.atol)
    if not allowed > 0:
        # NOTE: with rtol and atol both 0 the point stays unsettled, so a wrong
        # decimal close to the target (1.6094379124341 for log(5)) ends as
        # "error" rather than incorrect once SymPy cannot prove it equal.
        return MAX_CONFIRMATION_DIGITS + 1
    # mag gives m with 2^(m-1) <= allowed < 2^m, which no float can hold near the size limit.
    allowed_exponent = math.floor((mpmath.mag(allowed) - 1) * math.log10(2))
    return precise.DIGITS + max(precise.DIGITS, max(scale, 0) - min(allowed_exponent, 0))


# At most this many evaluations of both trees confirm one point.
MAX_RECHECK_EVALUATIONS = 6


def precise_cost(size: int, digits: int) -> int:
    """Return what evaluating ``size`` nodes with ``digits`` digits takes from a ``PreciseBudget``.

    One node with 30 digits is one unit, and the units grow linearly with
    the digits, as mpmath's arithmetic does.
    """
    from autograder.expressions import precise

    # NOTE: mpmath's functions grow faster. Log, asinh and non-integer powers
    # took 0.7 to 1 ms per call with 960 digits and 2.2 to 3.3 ms with 1920
    # (mpmath 1.3.0 on the machine in docs/benchmarks.md). That is 5 to 13
    # times these units at 4 µs each. A quadratic charge left common
    # wide-domain answers undecided, so a tree of many functions confirmed
    # with about 2000 digits can take several times the budget's 0.1 s.
    return size * math.ceil(digits / precise.DIGITS)


def _recheck(
    tree: Node,
    target: Node,
    env: dict[str, float],
    difference: Any,
    tolerance: Tolerance,
    digits: int,
    budget: PreciseBudget,
    size: int,
) -> tuple[Literal["different", "close", "undefined", "unsettled"], int]:
    """Re-evaluate a point with ``digits`` digits or more, and classify it; also return the digits last used.

    ``digits`` comes from ``confirmation_digits``, which makes the rounding
    error far smaller than the tolerance. ``difference`` is the 30-digit
    difference, or None where it cannot be trusted. Returns ``"close"`` when
    the two values are within the tolerance, and ``"different"`` when a
    difference stays the same at two precisions: the 30-digit one and
    ``digits``, or ``digits`` and 30 more. An evaluation in which a sum
    cancelled to exactly 0 proves nothing, because a term below its last
    digit may be lost at both precisions, as in ``(1 - 1/(1 + e^-z))/e^-z``
    at z = 400. So the digits are doubled instead, and an answer undefined
    there is ``"undefined"`` once no sum cancelled, or once it stays
    undefined up to the last evaluation or ``MAX_CONFIRMATION_DIGITS``. Anything else,
    such as a value too large even now or a spent budget, is
    ``"unsettled"``. ``size`` is the number of nodes of both trees, and each
    evaluation takes ``precise_cost`` from ``budget``.
    """
    from autograder.expressions import precise

    undefined_throughout = False
    for _ in range(MAX_RECHECK_EVALUATIONS):
        if digits > MAX_CONFIRMATION_DIGITS:
            break
        if not budget.spend(precise_cost(size, digits)):
            return "unsettled", digits
        answer = precise.evaluate_precisely(tree, env, digits)
        reference = precise.evaluate_precisely(target, env, digits)
        answer_value, target_value = answer.value, reference.value
        if isinstance(target_value, str):
            return "unsettled", digits
        cancelled = answer.cancelled or reference.cancelled
        undefined_throughout = answer_value == "undefined"
        if isinstance(answer_value, str):
            if answer_value != "undefined":
                return "unsettled", digits
            if not cancelled:
                return "undefined", digits
            difference = None
            digits *= 2
            continue
        if precise.close_enough(answer_value, target_value, tolerance.rtol, tolerance.atol):
            return "close", digits
        if cancelled:
            difference = None
            digits *= 2
            continue
        confirmed = answer_value - target_value
        if difference is not None and precise.close_enough(confirmed, difference, tolerance.rtol, tolerance.atol):
            return "different", digits
        difference = confirmed
        digits += precise.DIGITS
    if undefined_throughout:
        # Undefined with every number of digits tried: a domain error, such as (n - m)/(n^2 - m^2) at n = m.
        return "undefined", digits
    return "unsettled", digits


def tree_size(tree: Node) -> int:
    """Return the number of nodes in ``tree``."""
    return sum(1 for _ in walk(tree))


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
