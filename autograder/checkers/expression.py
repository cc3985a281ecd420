"""The checker of expression parts: symbolic answers in declared variables, judged by equivalence."""

from __future__ import annotations

import dataclasses
import logging
import math
import re
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from autograder.checkers.base import Answer, Checker, PartContext
from autograder.expressions.cache import LRUCache, normalize_answer
from autograder.expressions.direct import MALFORMED, DirectReader, Malformed
from autograder.expressions.domains import DomainError, SamplePoints, sample
from autograder.expressions.equivalence import (
    RELIABLE_FACTOR,
    Band,
    Comparison,
    PreciseBudget,
    Target,
    Tolerance,
    build_band,
    build_target,
    compare,
)
from autograder.expressions.failures import (
    ExpressionError,
    ExpressionFailure,
    caret_excerpt,
)
from autograder.expressions.fastparse import FastParse, fast_lex
from autograder.expressions.forms import exact_form_message
from autograder.expressions.limits import DEFAULT_LIMITS
from autograder.expressions.names import FUNCTIONS, NameTable, join_names, shared_name_table
from autograder.expressions.nodes import Negate, Node, Number, variables_in
from autograder.expressions.numeric import (
    describe_shape,
    evaluate,
    evaluate_scalar_variables,
    evaluate_unguarded,
    ignore_float_errors,
    restore_float_errors,
)
from autograder.expressions.parser import Expression, parse, parse_lexed
from autograder.expressions.precise import DIGITS
from autograder.expressions.printers import to_text_and_latex
from autograder.expressions.symbolic import DEFAULT_TIME_LIMIT
from autograder.expressions.tokens import Kind, tokenize
from autograder.results import Reading, Verdict
from autograder.spec import ExpressionPart

logger = logging.getLogger(__name__)

# CPU seconds for the one symbolic check that judging an answer may run.
# Listed mistakes are compared without it, so one check costs at most about
# this plus the 30-digit budget (equivalence.MAX_PRECISE_NODES).
SYMBOLIC_TIME_LIMIT = DEFAULT_TIME_LIMIT
# Answers within this many tolerances of the reference at every point get a
# message that states they are close.
NEAR_MISS_FACTOR = 100.0
# Constant answers that a spec must not accept unless the reference is that constant.
TRIVIAL_CONSTANTS = (0, 1)
# Verdicts kept per part and cache. Identical answers repeat across students,
# so a thousand covers the common ones. An entry for a 35-character answer
# takes about 540 bytes (measured with tracemalloc), so both caches together
# hold about 1 MB per part.
CACHE_CAPACITY = 1024
_MAX_LENGTH = DEFAULT_LIMITS.max_length


@dataclass(frozen=True)
class _Mistake:
    target: Target
    band: Band | None
    feedback: str


class ExpressionChecker(Checker):
    """Judges answers that are expressions in the part's declared variables.

    The constructor parses the reference answer and every listed mistake with
    the same parser as student answers, draws the sample points and evaluates
    the reference there once. ``judge`` then costs one parse and one
    vectorized evaluation per new answer, and a dict lookup per repeated one.
    """

    part_type = "expression"
    part: ExpressionPart

    def __init__(self, part: ExpressionPart, context: PartContext) -> None:
        super().__init__(part, context)
        self.names = self._build_names()
        self.tolerance = Tolerance(part.rtol, part.atol)
        answer_key = "answer_from" if part.answer_from is not None else "answer"
        reference = self._parse_spec_expression(self.reference_answer, "reference answer", (answer_key,))
        self.points: SamplePoints = self._draw_points(reference)
        # Parts without vectors or matrices evaluate answers on the shorter path that skips aligning operands.
        self._evaluate = (
            evaluate_scalar_variables
            if all(
                type(values) is np.ndarray and values.dtype == np.float64 and values.shape == (self.points.count,)
                for values in self.points.values.values()
            )
            else evaluate_unguarded
        )
        self.reference = self._build_target(reference, "reference answer", (answer_key,))
        self.reference_band = build_band(self.reference, self.tolerance)
        # Answers that the band accepts are judged without a tree (see direct.py).
        self._reads_directly = self.reference_band is not None and all(
            type(values) is np.ndarray and values.dtype == np.float64 for values in self.points.values.values()
        )
        self._direct_reader = DirectReader(
            self.points.values,
            self.points.count,
            allow_decimals=part.form != "exact",
            align_shapes=self._evaluate is not evaluate_scalar_variables,
        )
        # Copied out of the points and the reference: every answer reads them.
        self._point_count = self.points.count
        self._reference_shape = self.reference.shape
        self.reference_variables = variables_in(self.reference.tree)
        self.mistakes = tuple(
            self._build_mistake(index, mistake.answer, mistake.feedback)
            for index, mistake in enumerate(part.mistakes)
        )
        self._reject_unreachable_mistakes()
        self._reject_trivial_constants(reference)
        self._cache: LRUCache[Verdict] = LRUCache(CACHE_CAPACITY)
        self._cache_by_reading: LRUCache[Verdict] = LRUCache(CACHE_CAPACITY)
        logger.debug("part %s: expression checker with %d sample points", part.id, self.points.count)

    # Construction and spec validation

    def _build_names(self) -> NameTable:
        seen: dict[str, str] = {}
        for name in self.part.variables:
            try:
                tokens = tokenize(name, DEFAULT_LIMITS)
            except ExpressionError:
                tokens = []
            if len(tokens) != 2 or tokens[0].kind is not Kind.NAME:
                raise self.spec_error(
                    f"variable name {name!r} cannot be typed as one name: use letters, then digits, then an optional subscript, as in x, x_1, w_01 or sigma",
                    "variables", name,
                )
            key = tokens[0].key
            if key in FUNCTIONS:
                raise self.spec_error(
                    f"variable name {name!r} is the name of a function; choose another name", "variables", name
                )
            if key in seen:
                raise self.spec_error(
                    f"variables {seen[key]!r} and {name!r} are both typed as {key!r}; rename one of them",
                    "variables", name,
                )
            seen[key] = name
        return shared_name_table(tuple(self.part.variables))

    def _build_mistake(self, index: int, answer: object, feedback: str) -> _Mistake:
        keys = ("mistakes", index, "answer")
        label = f"mistake {index + 1}"
        parsed = self._parse_spec_expression(Answer.of(answer), label, keys)
        target = self._build_target(parsed, label, keys)
        return _Mistake(target, build_band(target, self.tolerance), feedback)

    def _reject_unreachable_mistakes(self) -> None:
        for index, mistake in enumerate(self.mistakes):
            if mistake.target.shape != self.reference.shape:
                continue
            comparison = self._compare(mistake.target.tree, mistake.target.values, self.reference)
            if comparison.outcome == "equal":
                raise self.spec_error(
                    f"mistake {index + 1} is equivalent to the reference answer, so it would never be reached",
                    "mistakes", index, "answer",
                )

    def _reject_trivial_constants(self, reference: Expression) -> None:
        """Raise ``SpecError`` if the answer 0 or 1 is accepted although the reference is not that constant.

        That happens when the reference is within the tolerance of the
        constant at every sample point, as the sigmoid's derivative is within
        atol = 1e-9 of 0 for most z in [-800, 800]. The reference counts as
        that constant where it differs from it by no more than its rounding
        error can explain (``sin(pi)`` for 0), or where SymPy proves it.

        NOTE: a reference that underflows to exactly 0.0 at every sample point
        (``exp(-z)`` with every z above 745) looks like the constant 0 to this
        check, so such a spec is not rejected.
        """
        if self.reference.shape:
            # A constant answer is a scalar, which a vector or matrix part rejects for its shape.
            return
        for constant in TRIVIAL_CONSTANTS:
            values = np.full(self.points.count, float(constant))
            tree = Number(str(constant), Fraction(constant), False)
            comparison = self._compare(tree, values, self.reference)
            if comparison.outcome != "equal" or comparison.method == "symbolic":
                continue
            defined = self.reference.defined
            distance = np.abs(self.reference.values[defined] - constant)
            if not (distance > RELIABLE_FACTOR * self.reference.errors[defined]).any():
                continue
            largest = float(np.max(distance))
            raise self.spec_error(
                f"the answer {constant} would be accepted: the reference answer {reference.text!r} is within "
                f"the tolerance (rtol {self.part.rtol:g}, atol {self.part.atol:g}) of {constant} at every sample point "
                f"(at most {largest:.3g} away), although it is not identically {constant}. "
                "Set a smaller atol (or rtol), or a narrower domain for the variables.",
                "answer_from" if self.part.answer_from is not None else "answer",
            )

    def _parse_spec_expression(self, answer: Answer | None, label: str, keys: tuple[str | int, ...]) -> Expression:
        text = answer.as_text if answer is not None else None
        if text is None:
            raise self.spec_error(f"the {label} must be a single expression written as text", *keys)
        parsed = parse(text, self.names)
        if isinstance(parsed, ExpressionFailure):
            where = f" at column {parsed.position + 1}" if parsed.position is not None else ""
            raise self.spec_error(f"the {label} {text!r} does not parse{where}: {parsed.reason}", *keys)
        return parsed

    def _draw_points(self, reference: Expression) -> SamplePoints:
        """Draw the sample points, with more candidates when the reference is often undefined.

        The reference may be undefined at some of the ``samples`` points, as
        ``sqrt(x - 0.9)`` is for most x in (0, 1). Then eight times as many
        candidates are drawn, and the first ``samples`` points where the
        reference is defined are kept, so answers are still compared at
        ``samples`` points.
        """
        count = self.part.samples
        try:
            points = sample(self.part.variables, count, self.part.seed)
            if not self.part.variables or self._defined_mask(reference, points).all():
                return points
            candidates = sample(self.part.variables, count * 8, self.part.seed)
        except DomainError as error:
            raise self.spec_error(f"{error}; widen the interval or drop 'integer'", "variables") from error
        keep = np.flatnonzero(self._defined_mask(reference, candidates))[:count]
        if keep.size == 0:
            return points
        return SamplePoints(int(keep.size), {name: array[keep] for name, array in candidates.values.items()})

    def _defined_mask(self, reference: Expression, points: SamplePoints) -> np.ndarray:
        try:
            values = evaluate(reference.tree, points.values, points.count)
        except ExpressionError:
            return np.ones(points.count, dtype=bool)
        return np.isfinite(values.reshape(points.count, -1)).all(axis=1)

    def _build_target(self, parsed: Expression, label: str, keys: tuple[str | int, ...]) -> Target:
        try:
            values = evaluate(parsed.tree, self.points.values, self.points.count)
        except ExpressionError as error:
            raise self.spec_error(f"the {label} {parsed.text!r} cannot be evaluated: {error.message}", *keys) from error
        target = build_target(parsed.tree, values, self.points)
        if not target.defined.any():
            raise self.spec_error(
                f"the {label} {parsed.text!r} is undefined (or infinite, or too large to evaluate even with {DIGITS} digits) "
                "at every sample point; check the expression and the variables' domains",
                *keys,
            )
        return target

    def clear_cache(self) -> None:
        """Forget every cached verdict, so the next answer is judged from scratch."""
        self._cache = LRUCache(CACHE_CAPACITY)
        self._cache_by_reading = LRUCache(CACHE_CAPACITY)

    # Judging

    def describe_format(self) -> str:
        variables = self.part.variables
        if variables:
            description = f"an expression in {join_names(variables)}"
            shaped = [f"{name} is {describe_shape(spec.shape)}" for name, spec in variables.items() if spec.shape]
            if shaped:
                description += f" ({join_names(shaped)})"
        else:
            description = "an expression of constants such as sqrt(2)/3"
        if self.part.form == "exact":
            description += " in exact form (no decimals)"
        return description

    def judge(self, answer: Answer) -> Verdict:
        # Typed text is the usual answer, and as_text is read only where there is none.
        text = None if isinstance(answer.value, (list, tuple, dict)) else answer.text or answer.as_text
        if text is None:
            if answer.value is None:
                return Verdict.missing()
            kind = "a list" if isinstance(answer.value, (list, tuple)) else "not a single expression"
            return Verdict.invalid(
                f"This part expects a single expression ({self.describe_format()}), but your answer is {kind}. "
                "Type it on one line, in quotes if it starts with '[' or '{'."
            )
        if len(text) > _MAX_LENGTH:
            # Rejected without caching: keys of that size would let one student fill memory.
            return self._judge_text(text)
        key = normalize_answer(text)
        if not key:
            return Verdict.missing()
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        verdict = self._judge_text(text)
        self._cache.add(key, verdict)
        return verdict

    def _judge_text(self, text: str) -> Verdict:
        lexed = fast_lex(text, self.names, DEFAULT_LIMITS)
        direct = self._read_directly(lexed) if lexed is not None and self._reads_directly else None
        if direct is MALFORMED:
            # The fast path would give up too, so the full parser reads the text for its error message.
            lexed = direct = None
        parsed: Expression | ExpressionFailure | None = None
        if direct is None:
            parsed = parse_lexed(text, lexed, self.names)
            if isinstance(parsed, ExpressionFailure):
                return _note_decimal_comma(Verdict.invalid(parsed.message), text)
            reading_text, reading_latex = to_text_and_latex(parsed.tree)
            reading = Reading(reading_text, reading_latex)
            values = None
            accepted = False
        else:
            values, reading, accepted = direct
        cached = self._cache_by_reading.get(reading.text)
        if cached is not None:
            return _note_decimal_comma(_note_scientific_notation(cached, text), text)
        if accepted:
            verdict = Verdict("correct", 1.0, "Correct.", reading)
        else:
            if parsed is None:
                # The tree is needed only now. The parser reads whatever read_directly read, and tests check that.
                parsed = parse_lexed(text, lexed, self.names)
            if isinstance(parsed, ExpressionFailure):
                return _note_decimal_comma(Verdict.invalid(parsed.message), text)
            verdict = self._judge_expression(parsed, reading, values)
        status = verdict.status
        # An invalid verdict's caret line quotes this text, which another
        # spelling of the same reading would not match.
        if status != "invalid":
            self._cache_by_reading.add(reading.text, verdict)
        if status != "incorrect":
            # Only an incorrect verdict gets the notes on scientific notation and decimal commas, so most skip the calls.
            return verdict
        return _note_decimal_comma(_note_scientific_notation(verdict, text), text)

    def _read_directly(self, lexed: FastParse) -> tuple[np.ndarray, Reading, bool] | Malformed | None:
        """Read an answer without a tree (see direct.py), or return None or ``MALFORMED`` where it must be parsed.

        Returns its values, its reading and whether the reference's band
        accepts the values, which makes the answer correct. The values are
        those of ``numeric.evaluate_unguarded``, unless the band accepts a
        constant answer: then they are one numpy scalar.
        """
        token = ignore_float_errors()
        try:
            read = self._direct_reader.read(lexed)
            if read.__class__ is not tuple:
                # None or MALFORMED.
                return read  # type: ignore[return-value]
            values, reading_text, reading_latex = read  # type: ignore[misc]
            band: Band = self.reference_band  # type: ignore[assignment]
            if values.ndim == 0:
                # A constant answer: one comparison where the reference is constant too.
                accepted = not self._reference_shape and band.contains_scalar(values, self._point_count)
                if not accepted:
                    values = np.full(self._point_count, values, dtype=float)
            else:
                accepted = values.shape[1:] == self._reference_shape and band.contains(values)
        finally:
            restore_float_errors(token)
        return values, Reading(reading_text, reading_latex), accepted

    def _judge_expression(self, parsed: Expression, reading: Reading, values: np.ndarray | None = None) -> Verdict:
        """Judge a parsed answer: by its values, where ``_read_directly`` found them, or by evaluating its tree."""
        if values is not None:
            # read_directly read the answer in the part's form, and the band has not accepted these values.
            shape = values.shape[1:]
        else:
            if self.part.form == "exact":
                message = exact_form_message(parsed)
                if message is not None:
                    return Verdict("invalid", 0.0, message, reading)
            # One error state for the evaluation and the fast comparison, set without np.errstate (see numeric).
            token = ignore_float_errors()
            try:
                values = self._evaluate(parsed.tree, self.points.values, self.points.count)
                shape = values.shape[1:]
                band = self.reference_band
                if band is not None and shape == self.reference.shape and band.contains(values):
                    return Verdict("correct", 1.0, "Correct.", reading)
            except ExpressionError as error:
                message = error.message
                if error.position is not None:
                    message = f"{message}\n{caret_excerpt(parsed.text, error.position)}"
                return Verdict("invalid", 0.0, message, reading)
            finally:
                restore_float_errors(token)
        budget = PreciseBudget()
        if shape == self.reference.shape:
            comparison = self._compare(parsed.tree, values, self.reference, budget)
            if comparison.outcome == "equal":
                return Verdict.correct("Correct.", reading)
        # A listed mistake may have another shape than the reference, such as
        # a scalar where a vector is expected, and still gets its feedback.
        for mistake in self.mistakes:
            if mistake.target.shape != shape:
                continue
            if mistake.band is not None:
                token = ignore_float_errors()
                try:
                    accepted = mistake.band.contains(values)
                finally:
                    restore_float_errors(token)
                if accepted:
                    return Verdict.incorrect(mistake.feedback, reading)
            if self._compare(parsed.tree, values, mistake.target, budget, symbolic=False).outcome == "equal":
                return Verdict.incorrect(mistake.feedback, reading)
        if shape != self.reference.shape:
            return Verdict.incorrect(
                f"Your answer is {describe_shape(shape)}, but the answer should be {describe_shape(self.reference.shape)}.",
                reading,
            )
        if comparison.outcome == "undecided" or (
            comparison.outcome == "overflow" and comparison.proof in ("timeout", "failed")
        ):
            return Verdict("error", 0.0, self._explain_undecided(comparison, parsed), reading)
        return Verdict.incorrect(self._explain(comparison, parsed, values), reading)

    def _compare(
        self,
        tree: Node,
        values: np.ndarray,
        target: Target,
        budget: PreciseBudget | None = None,
        *,
        symbolic: bool = True,
    ) -> Comparison:
        return compare(
            tree,
            values,
            target,
            self.points,
            self.tolerance,
            self.part.variables,
            symbolic_time_limit=SYMBOLIC_TIME_LIMIT if symbolic else None,
            budget=budget,
        )

    def _where(self, comparison: Comparison, parsed: Expression) -> str:
        """Describe the comparison's sample point as `` at z = 0.5``, or return "" if there is none to show."""
        if comparison.point is None or not self.part.variables:
            return ""
        used = parsed.variables | self.reference_variables
        shown = tuple(name for name in self.part.variables if name in used)
        if not shown:
            return ""
        return f" at {self.points.describe(comparison.point, shown)}"

    def _explain(self, comparison: Comparison, parsed: Expression, values: np.ndarray) -> str:
        where = self._where(comparison, parsed)
        if comparison.outcome == "undefined":
            return f"Your answer is undefined{where or ' somewhere'}, where the correct expression has a value. Check for logarithms, roots or divisions that are only defined for part of the domain."
        if comparison.outcome == "overflow" and comparison.method == "precise":
            return (
                f"Your answer cannot be evaluated{where or ' at some points'}: it grows beyond about 10^434294, "
                f"too large even for the grader's {DIGITS}-digit arithmetic, and far larger than the correct "
                "expression there. Rewrite it so that no part of it grows that large."
            )
        if comparison.outcome == "overflow":
            return (
                f"Your answer cannot be evaluated{where or ' at some points'}: part of it is too large even for the "
                f"grader's {DIGITS}-digit arithmetic (a value beyond about 10^434294 or below 10^-434294 in size, or the "
                "sine, cosine or tangent of one beyond about 10^308), and simplifying it did not show it equal to the correct expression. "
                "Rewrite it so that no part of it grows that large."
            )
        near_miss = self._near_miss_message(parsed, values)
        if near_miss is not None:
            return near_miss
        if where:
            return f"Your answer is not equivalent to the correct expression: for example, the two differ{where}."
        return "Your answer is not equivalent to the correct expression."

    def _explain_undecided(self, comparison: Comparison, parsed: Expression) -> str:
        where = self._where(comparison, parsed)
        if comparison.outcome == "overflow":
            cause = f"part of it is too large to evaluate{where or ' at some points'}, even with {DIGITS} digits"
        else:
            cause = f"its value could not be checked precisely enough{where or ' at some points'}"
        if comparison.proof == "timeout":
            cause += f", and the symbolic check ran out of its {SYMBOLIC_TIME_LIMIT:g}-second time limit"
        elif comparison.proof == "failed":
            cause += ", and the symbolic check failed (it ran out of memory or could not be run)"
        else:
            cause += ", and simplifying it did not show it equal to the correct expression"
        return (
            f"The grader could not decide whether your answer is correct: {cause}. It scores 0 for now and is "
            "marked as a grader error, which your instructor sees for review. A simpler form of the same answer "
            "may be decided automatically."
        )

    def _near_miss_message(self, parsed: Expression, values: np.ndarray) -> str | None:
        """Say that an answer is close but not accurate enough, or return None if it is not close.

        Close means within ``NEAR_MISS_FACTOR`` tolerances at every point
        where the reference is defined. An answer that is one decimal number,
        such as 1.61, is also close when it is less than one unit of its last
        digit away from the reference there, as a rounded or truncated value is.
        """
        count = self.points.count
        defined = self.reference.defined
        answer = values.reshape(count, -1)[defined]
        reference = self.reference.values.reshape(count, -1)[defined]
        token = ignore_float_errors()
        try:
            allowed = np.maximum(self.part.rtol * np.abs(reference), self.part.atol)
            difference = np.abs(answer - reference)
            close = bool(np.all(difference <= NEAR_MISS_FACTOR * allowed))
        finally:
            restore_float_errors(token)
        unit = _last_digit_unit(parsed.tree)
        if not close and unit is not None:
            close = bool(np.all(difference < unit))
        if not close:
            return None
        needed = _significant_digits(self.part.rtol)
        if not parsed.variables:
            accuracy = (
                f"give at least {needed} significant digits, or an exact expression"
                if needed is not None
                else f"it must be within {self.part.atol:g} of the correct value"
            )
            return f"Your answer is close to the correct value but not accurate enough: {accuracy}."
        accuracy = (
            f"this part needs about {needed} significant digits"
            if needed is not None
            else f"this part needs it within {self.part.atol:g} of the correct value"
        )
        return (
            "Your answer is close to the correct expression at every point checked, but not within the tolerance: "
            f"{accuracy}. Check for a rounded constant, such as 3.14 for pi."
        )


def _last_digit_unit(tree: Node) -> float | None:
    """Return the value of one unit in the last digit of an answer that is one decimal number, such as 0.01 for 1.61."""
    if isinstance(tree, Negate):
        tree = tree.operand
    if not isinstance(tree, Number) or not tree.is_decimal:
        return None
    mantissa, _, exponent = tree.text.partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


def _significant_digits(rtol: float) -> int | None:
    """Return how many significant digits a decimal needs to be within ``rtol`` of any value, or None if rtol is 0.

    Rounding to k significant digits changes a value by at most 5 * 10^-k of
    itself, so k = ceil(log10(5 / rtol)).
    """
    if rtol <= 0:
        return None
    return max(1, math.ceil(math.log10(5.0 / rtol) - 1e-9))


_SIGNED_EXPONENT = re.compile(r"(?<![\w.])(\d+(?:\.\d*)?)[eE]([+-])(\d+)")
# A decimal typed with a comma, such as 0,2, where no space follows the comma.
_DECIMAL_COMMA = re.compile(r"(?<![\w.])\d+,\d+(?![\d.])")
# 1,000 or 25,000: more likely a thousands separator than a decimal comma.
_THOUSANDS = re.compile(r"[1-9][0-9]{0,2},[0-9]{3}")


def _note_scientific_notation(verdict: Verdict, text: str) -> Verdict:
    """Add to a wrong answer's feedback how a literal like ``2e-3`` was read.

    A student who meant 2·e − 3 may not see from the reading alone that the
    grader took scientific notation.
    """
    if verdict.status != "incorrect":
        return verdict
    match = _SIGNED_EXPONENT.search(text)
    if match is None:
        return verdict
    mantissa, sign, digits = match.groups()
    note = (
        f" Note: {match.group(0)} was read as scientific notation, {float(match.group(0)):g}; "
        f"for {mantissa}·e {sign} {digits}, write {mantissa}*e {sign} {digits}."
    )
    return dataclasses.replace(verdict, feedback=verdict.feedback + note)


def _note_decimal_comma(verdict: Verdict, text: str) -> Verdict:
    """Add to an incorrect or invalid answer's feedback that a comma does not make a decimal.

    ``-ln(0,2)`` reads as the base-2 logarithm of 0, and ``0,5`` alone as two
    numbers, which a student who writes decimals with a comma may not see.
    """
    # An answer over the length limit is rejected for its length alone, and searching it would cost milliseconds.
    if "," not in text or verdict.status not in ("incorrect", "invalid") or len(text) > DEFAULT_LIMITS.max_length:
        return verdict
    match = _DECIMAL_COMMA.search(text)
    if match is None or _THOUSANDS.fullmatch(match.group(0)):
        return verdict
    typed = match.group(0)
    note = f" If {typed} is meant as a decimal, write {typed.replace(',', '.')}."
    # The note goes on the first line, before the excerpt and caret of an invalid answer.
    first, newline, rest = verdict.feedback.partition("\n")
    if "separate the arguments" not in first:
        note = " Note: a comma separates the arguments of a function." + note
    return dataclasses.replace(verdict, feedback=first + note + newline + rest)
