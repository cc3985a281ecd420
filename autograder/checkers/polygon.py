"""Checker for polygons and piecewise linear curves given as vertex lists.

Two closed polygons are equal when they have the same corners in the same
cyclic order, whatever the starting corner and direction. An open curve may be
listed from either end. Before comparing, a repeated closing vertex, repeated
points and points in the middle of a straight edge are dropped, so a student
who also lists the midpoint of a side is not marked wrong.
"""

from __future__ import annotations

import numpy as np

from autograder.checkers.base import Answer, Checker, PartContext
from autograder.checkers.values import ValueProblem, read_array
from autograder.results import Verdict
from autograder.spec import PolygonPart


MAX_VERTICES = 500


def simplify_vertices(points: np.ndarray, *, closed: bool, atol: float) -> np.ndarray:
    """Drop repeated points, a repeated closing point and collinear middle points."""
    vertices = [points[0]]
    for point in points[1:]:
        if not np.allclose(point, vertices[-1], atol=atol, rtol=0):
            vertices.append(point)
    if closed and len(vertices) > 1 and np.allclose(vertices[0], vertices[-1], atol=atol, rtol=0):
        vertices.pop()

    # Each pass compares a point with the last kept one and the next one, so a
    # whole run of collinear points goes in one pass. A closed polygon needs
    # another pass only where a run wraps around its start.
    while len(vertices) > 2:
        count = len(vertices)
        kept: list[np.ndarray] = []
        for index, point in enumerate(vertices):
            at_end = index == 0 or index == count - 1
            if at_end and not closed:
                kept.append(point)
                continue
            before = kept[-1] if kept else vertices[-1]
            after = vertices[(index + 1) % count]
            if not _collinear(before, point, after, atol):
                kept.append(point)
        if len(kept) == count:
            break
        vertices = kept
    return np.array(vertices)


def _collinear(before: np.ndarray, point: np.ndarray, after: np.ndarray, atol: float) -> bool:
    """Return whether ``point`` lies on the segment from ``before`` to ``after``."""
    edge = after - before
    length = float(np.hypot(*edge))
    if length <= atol:
        return False
    offset = point - before
    distance = abs(float(edge[0] * offset[1] - edge[1] * offset[0])) / length
    along = float(np.dot(offset, edge)) / length
    return distance <= atol and -atol <= along <= length + atol


def same_shape(actual: np.ndarray, expected: np.ndarray, *, closed: bool, atol: float) -> bool:
    """Return whether two simplified vertex lists describe the same polygon or curve."""
    if actual.shape != expected.shape:
        return False
    candidates = [actual, actual[::-1]]
    if closed:
        count = len(actual)
        candidates = [np.roll(order, shift, axis=0) for order in candidates for shift in range(count)]
    return any(np.allclose(candidate, expected, atol=atol, rtol=0) for candidate in candidates)


class PolygonChecker(Checker):
    part_type = "polygon"
    part: PolygonPart

    def __init__(self, part: PolygonPart, context: PartContext) -> None:
        super().__init__(part, context)
        assert self.reference_answer is not None
        reference = self._read(self.reference_answer.value)
        if isinstance(reference, ValueProblem):
            raise self.spec_error(f"the reference answer is not a vertex list: {reference.message}", "answer")
        self.expected = simplify_vertices(reference, closed=part.closed, atol=part.atol)
        self.mistakes: list[tuple[np.ndarray, str]] = []
        for index, mistake in enumerate(part.mistakes):
            value = self._read(mistake.answer)
            if isinstance(value, ValueProblem):
                raise self.spec_error(f"mistake {index + 1}: {value.message}", "mistakes", index, "answer")
            self.mistakes.append((simplify_vertices(value, closed=part.closed, atol=part.atol), mistake.feedback))

    @staticmethod
    def _read(value: object) -> np.ndarray | ValueProblem:
        points = read_array(value, allow_expressions=True)
        if isinstance(points, ValueProblem):
            return points
        if points.ndim != 2 or points.shape[1] != 2:
            if points.ndim == 2 and points.shape[0] == 2 and points.shape[1] > 2:
                return ValueProblem(
                    "Your list has two rows of coordinates. Enter one [x_1, x_2] pair per vertex instead, such as [[1, 1], [-1, 1], ...]."
                )
            return ValueProblem("Enter a list of vertices, each an [x_1, x_2] pair, such as [[0, 0], [2, 0], [2, 1]].")
        if len(points) < 2:
            return ValueProblem("Enter at least two vertices.")
        if len(points) > MAX_VERTICES:
            return ValueProblem(f"Enter at most {MAX_VERTICES} vertices.")
        return points

    def judge(self, answer: Answer) -> Verdict:
        points = self._read(answer.value)
        if isinstance(points, ValueProblem):
            return Verdict.invalid(points.message)
        closed, atol = self.part.closed, self.part.atol
        simplified = simplify_vertices(points, closed=closed, atol=atol)
        if self.property_check is not None:
            return self.run_property_check(simplified)
        if same_shape(simplified, self.expected, closed=closed, atol=atol):
            return Verdict.correct()
        for mistake, feedback in self.mistakes:
            if same_shape(simplified, mistake, closed=closed, atol=atol):
                return Verdict.incorrect(feedback)
        if len(simplified) != len(self.expected):
            count = len(simplified)
            noun = ("corner" if count == 1 else "corners") if closed else ("vertex" if count == 1 else "vertices")
            return Verdict.incorrect(f"Incorrect: your answer has {count} {noun} after removing repeated and collinear points.")
        return Verdict.incorrect("Incorrect: the vertices do not match, in any starting point or direction.")

    def describe_format(self) -> str:
        if self.part.format:
            return self.part.format
        shape = "the corners of the boundary, in order around it" if self.part.closed else "the vertices of the curve, in order along it"
        return f"a list of [x_1, x_2] pairs giving {shape}, such as [[0, 0], [2, 0], [2, 1]]"
