"""Checkers for numbers, vectors and matrices compared within a tolerance."""

from __future__ import annotations

import math

import numpy as np

from autograder.checkers.base import Answer, Checker, PartContext
from autograder.checkers.values import (
    ValueProblem,
    close_enough,
    describe_shape,
    read_array,
    read_number,
)
from autograder.results import Verdict
from autograder.spec import MatrixPart, NumberPart

# An answer within this many tolerances of the reference is "close": the
# student gets a hint to give more digits instead of a bare "incorrect".
CLOSE_FACTOR = 100


def _decimals_phrase(decimals: int) -> str:
    return f"{decimals} decimal place{'s' if decimals != 1 else ''}"


def significant_digits(rtol: float) -> int:
    """Return how many significant digits make a rounded value pass ``rtol``.

    Rounding to n significant digits moves a value by at most 5 * 10**-n of
    itself, so n is the smallest integer with 5 * 10**-n <= rtol.
    """
    return max(1, math.ceil(math.log10(5 / rtol) - 1e-9))


def accuracy_phrase(*, rtol: float, atol: float, decimals: int | None) -> str:
    """Describe, for students, how accurate a numeric answer must be."""
    if decimals is not None:
        return f"accurate to {_decimals_phrase(decimals)}"
    if rtol <= 0:
        return f"within {atol:g} of the exact value"
    phrase = f"with at least {significant_digits(rtol)} significant digits"
    if atol >= 1e-6:
        phrase += f" (or within {atol:g} of the exact value)"
    return phrase


class NumberChecker(Checker):
    part_type = "number"
    part: NumberPart

    def __init__(self, part: NumberPart, context: PartContext) -> None:
        super().__init__(part, context)
        assert self.reference_answer is not None
        reference = read_number(self.reference_answer.value, allow_expressions=True)
        if isinstance(reference, ValueProblem):
            raise self.spec_error(f"the reference answer is not a number: {reference.message}", "answer")
        self.expected = reference
        self.mistakes: list[tuple[float, str]] = []
        for index, mistake in enumerate(part.mistakes):
            value = read_number(mistake.answer, allow_expressions=True)
            if isinstance(value, ValueProblem):
                raise self.spec_error(f"mistake {index + 1} is not a number: {value.message}", "mistakes", index, "answer")
            self.mistakes.append((value, mistake.feedback))

    def _matches(self, actual: float, expected: float, *, widen: float = 1.0) -> bool:
        part = self.part
        decimals = part.decimals
        if decimals is not None and widen != 1.0:
            return bool(abs(actual - expected) <= widen * 0.5 * 10.0 ** (-decimals))
        matched = close_enough(
            np.array([actual]),
            np.array([expected]),
            rtol=part.rtol * widen,
            atol=part.atol * widen,
            decimals=decimals,
        )
        return bool(matched[0])

    def judge(self, answer: Answer) -> Verdict:
        value = read_number(answer.value, allow_expressions=self.part.allow_expressions, text=answer.text)
        if isinstance(value, ValueProblem):
            return Verdict.invalid(value.message)
        if self.property_check is not None:
            return self.run_property_check(value)
        if self._matches(value, self.expected):
            return Verdict.correct()
        for mistake_value, feedback in self.mistakes:
            if self._matches(value, mistake_value):
                return Verdict.incorrect(feedback)
        if self._matches(value, self.expected, widen=CLOSE_FACTOR):
            if self.part.decimals is not None:
                return Verdict.incorrect(
                    f"Close, but not accurate to {_decimals_phrase(self.part.decimals)}. Round the exact value rather than an intermediate result."
                )
            digits = significant_digits(self.part.rtol) if self.part.rtol > 0 else None
            advice = f"Give at least {digits} significant digits." if digits else "Give more digits."
            return Verdict.incorrect(f"Close, but not within the required accuracy. {advice}")
        return Verdict.incorrect("Incorrect.")

    def describe_format(self) -> str:
        if self.part.format:
            return self.part.format
        part = self.part
        text = "a number " + accuracy_phrase(rtol=part.rtol, atol=part.atol, decimals=part.decimals)
        if part.allow_expressions:
            text += " (an expression of constants such as sqrt(2)/3 is also accepted)"
        return text


class MatrixChecker(Checker):
    """Vectors and matrices typed as lists, with shape rules.

    A list of numbers is a vector and a list of rows is a matrix. When a
    vector is asked for, a single row or column holding the right numbers is
    accepted too. A matrix of the transposed shape gets a message that says so.
    """

    part_type = "matrix"
    part: MatrixPart

    def __init__(self, part: MatrixPart, context: PartContext) -> None:
        super().__init__(part, context)
        assert self.reference_answer is not None
        reference = read_array(self.reference_answer.value, allow_expressions=True)
        if isinstance(reference, ValueProblem):
            raise self.spec_error(f"the reference answer is not a vector or matrix: {reference.message}", "answer")
        if part.shape is not None and tuple(part.shape) != reference.shape:
            raise self.spec_error(
                f"'shape' is {list(part.shape)} but the reference answer has shape {list(reference.shape)}",
                "shape",
            )
        self.expected = reference
        self.shape: tuple[int, ...] = reference.shape
        self.mistakes: list[tuple[np.ndarray, str]] = []
        for index, mistake in enumerate(part.mistakes):
            value = read_array(mistake.answer, allow_expressions=True)
            if isinstance(value, ValueProblem):
                raise self.spec_error(f"mistake {index + 1} is not a vector or matrix: {value.message}", "mistakes", index, "answer")
            self.mistakes.append((value, mistake.feedback))

    def _all_close(self, actual: np.ndarray, expected: np.ndarray) -> bool:
        if actual.shape != expected.shape:
            return False
        part = self.part
        return bool(close_enough(actual, expected, rtol=part.rtol, atol=part.atol, decimals=part.decimals).all())

    def _fit_shape(self, value: np.ndarray) -> np.ndarray | Verdict:
        """Return the answer in the expected shape, or the verdict on a wrong shape."""
        expected = self.shape
        if value.shape == expected:
            return value
        if len(expected) == 1 and value.ndim == 2 and 1 in value.shape and value.size == expected[0]:
            return value.reshape(expected)

        if value.ndim == 2 and len(expected) == 2 and value.shape == expected[::-1]:
            message = (
                f"Your answer is {describe_shape(value.shape)}, but {describe_shape(expected)} is asked for: "
                "yours has the transposed shape."
            )
            if self.property_check is None and self._all_close(value.T, self.expected):
                message += " Its entries are right but in the wrong layout: enter one list per row of the matrix."
            else:
                message += " Enter one list per row, so that each column holds what the question puts in a column."
            return Verdict.incorrect(message)

        return Verdict.incorrect(
            f"Your answer is {describe_shape(value.shape)}, but {describe_shape(expected)} is asked for."
        )

    def judge(self, answer: Answer) -> Verdict:
        value = read_array(answer.value, allow_expressions=self.part.allow_expressions)
        if isinstance(value, ValueProblem):
            return Verdict.invalid(value.message)
        fitted = self._fit_shape(value)
        if isinstance(fitted, Verdict):
            return fitted
        if self.property_check is not None:
            return self.run_property_check(fitted)
        if self._all_close(fitted, self.expected):
            return Verdict.correct()
        for mistake_value, feedback in self.mistakes:
            if self._all_close(fitted, mistake_value):
                return Verdict.incorrect(feedback)

        part = self.part
        wrong = ~close_enough(fitted, self.expected, rtol=part.rtol, atol=part.atol, decimals=part.decimals)
        count = int(wrong.sum())
        first = tuple(int(index) + 1 for index in np.argwhere(wrong)[0])
        where = f"entry {first[0]}" if len(first) == 1 else f"row {first[0]}, column {first[1]}"
        accuracy = f" to {_decimals_phrase(part.decimals)}" if part.decimals is not None else ""
        if count == 1:
            return Verdict.incorrect(f"One entry is not correct{accuracy}: {where}.")
        return Verdict.incorrect(f"{count} of {fitted.size} entries are not correct{accuracy}; the first is {where}.")

    def describe_format(self) -> str:
        if self.part.format:
            return self.part.format
        if len(self.shape) == 1:
            text = f"{describe_shape(self.shape)} in square brackets, such as [0.1, 0.2]"
        else:
            text = f"{describe_shape(self.shape)} as a list of rows, such as [[1, 2], [3, 4]]"
        part = self.part
        if self.property_check is None:
            text += ", " + accuracy_phrase(rtol=part.rtol, atol=part.atol, decimals=part.decimals)
        return text
