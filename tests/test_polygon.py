"""Polygon checker: vertex lists equal up to start, direction, repeats and
collinear points."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.checkers.polygon import same_shape, simplify_vertices
from tests.conftest import answer

SQUARE = """
id: "p"
type: polygon
prompt: p
answer: [[1, 1], [-1, 1], [-1, -1], [1, -1]]
"""


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ([[1, 1], [-1, 1], [-1, -1], [1, -1]], "correct"),
        ([[-1, -1], [1, -1], [1, 1], [-1, 1]], "correct"),
        ([[1, -1], [-1, -1], [-1, 1], [1, 1]], "correct"),
        ([[1, 1], [-1, 1], [-1, -1], [1, -1], [1, 1]], "correct"),
        ([[1, 1], [0, 1], [-1, 1], [-1, -1], [1, -1]], "correct"),
        ([[1, 1], [1, 1], [-1, 1], [-1, -1], [1, -1]], "correct"),
        ("[[1, 1], [-1, 1], [-1, -1], [1, -1]]", "correct"),
        ([[1, 1], [-1, -1], [-1, 1], [1, -1]], "incorrect"),
        ([[2, 2], [-2, 2], [-2, -2], [2, -2]], "incorrect"),
        ([[1, 1], [-1, 1], [-1, -1]], "incorrect"),
        ([[1, -1, -1, 1], [1, 1, -1, -1]], "invalid"),
        ([[1, 1, 1], [2, 2, 2]], "invalid"),
        ([[1, 1]], "invalid"),
        ("a square", "invalid"),
    ],
)
def test_polygon_verdicts(checker_for, value, status):
    assert checker_for(SQUARE).judge(answer(value)).status == status


def test_two_row_answer_message(checker_for):
    verdict = checker_for(SQUARE).judge(answer([[1, -1, -1, 1], [1, 1, -1, -1]]))
    assert "one [x_1, x_2] pair per vertex" in verdict.feedback


def test_open_curve_either_end(checker_for):
    checker = checker_for(
        """
        id: "c"
        type: polygon
        prompt: p
        closed: false
        answer: [[0, 0], [1, 1], [2, 0]]
        """
    )
    assert checker.judge(answer([[2, 0], [1, 1], [0, 0]])).status == "correct"
    assert checker.judge(answer([[1, 1], [2, 0], [0, 0]])).status == "incorrect"


def test_simplify_drops_collinear_and_closing_points():
    points = np.array([[0, 0], [1, 0], [2, 0], [2, 2], [0, 2], [0, 0]], dtype=float)
    simplified = simplify_vertices(points, closed=True, atol=1e-9)
    assert simplified.tolist() == [[0, 0], [2, 0], [2, 2], [0, 2]]


def test_same_shape_rejects_different_counts():
    square = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float)
    assert not same_shape(square[:3], square, closed=True, atol=1e-9)


def test_simplify_keeps_open_ends():
    points = np.array([[0, 0], [1, 0], [2, 0], [3, 1]], dtype=float)
    assert simplify_vertices(points, closed=False, atol=1e-9).tolist() == [[0, 0], [2, 0], [3, 1]]


def test_simplify_run_across_closed_start():
    points = np.array([[1, 0], [2, 0], [2, 2], [0, 2], [0, 0]], dtype=float)
    simplified = simplify_vertices(points, closed=True, atol=1e-9)
    assert sorted(map(tuple, simplified.tolist())) == [(0, 0), (0, 2), (2, 0), (2, 2)]


def test_many_collinear_points_on_square(checker_for):
    side = [[x / 100, -1.0] for x in range(-100, 101)]
    verdict = checker_for(SQUARE).judge(answer(side + [[1, 1], [-1, 1]]))
    assert verdict.status == "correct"


def test_vertex_count_is_limited(checker_for):
    verdict = checker_for(SQUARE).judge(answer([[index, index % 3] for index in range(600)]))
    assert verdict.status == "invalid"
    assert "at most 500 vertices" in verdict.feedback
