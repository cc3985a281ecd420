"""The end-of-run summary: statistics per part, failures by kind, the histogram and the slowest."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from autograder.batch.summary import RunStats, SummaryBuilder, render_summary, slowest
from autograder.results import PartResult, SubmissionResult

SPEC = """
title: Quiz
reference: reference.py
submission:
  module: quiz.py
parts:
  - id: a
    type: number
    prompt: Half.
    answer: 0.5
  - id: code
    type: code
    prompt: Double.
    function: double
    cases: [[1]]
"""
REFERENCE = "def double(x):\n    return 2 * x\n"


def stats(**changes: object) -> RunStats:
    values: dict[str, object] = {
        "submissions": 4,
        "graded": 3,
        "regraded": 0,
        "reused": 1,
        "failed": 0,
        "distinct_answers": 2,
        "shared_answers": 4,
        "lookup_misses": 0,
        "seconds": 2.0,
        "jobs": 2,
        "runner": "no sandbox (child process)",
        "gradebook": Path("course.sqlite3"),
        "slowest": (("ann", 1.5), ("ben", 0.5)),
        "reasons": {"new": 3, "unchanged": 1},
    }
    values.update(changes)
    return RunStats(**values)  # type: ignore[arg-type]


def result(name: str, a: tuple[float, str], code: tuple[float, str], *, error: str | None = None) -> SubmissionResult:
    return SubmissionResult(
        name,
        (PartResult("a", a[0], 1.0, a[1], "."), PartResult("code", code[0], 1.0, code[1], ".")),  # type: ignore[arg-type]
        error=error,
    )


@pytest.fixture
def builder(make_spec):
    summary = SummaryBuilder(make_spec(SPEC, REFERENCE))
    summary.add(result("ann", (1.0, "correct"), (1.0, "correct")))
    summary.add(result("ben", (0.0, "incorrect"), (0.0, "timeout")))
    summary.add(result("cat", (0.0, "error"), (0.0, "error")))
    summary.add(result("dan", (0.0, "error"), (0.0, "error"), error="dan.zip is not a readable zip file"))
    summary.add(result("eve", (0.0, "missing"), (0.0, "error")), infrastructure_failure=True)
    return summary


def test_part_statistics(builder):
    summary = builder.build(stats())
    by_part = {part.part_id: part for part in summary.parts}
    assert by_part["a"].mean == pytest.approx(0.2)
    assert by_part["a"].statuses == {"correct": 1, "incorrect": 1, "error": 2, "missing": 1}
    assert by_part["code"].statuses == {"correct": 1, "timeout": 1, "error": 3}


def test_failures_by_kind(builder):
    failures = builder.build(stats()).failures
    assert failures["code timeout"] == (1, ("ben",))
    assert failures["code error"] == (1, ("cat",))
    assert failures["grader error"] == (1, ("cat",))
    assert failures["unreadable"] == (1, ("dan",))
    assert failures["infrastructure"] == (1, ("eve",))


def test_histogram_covers_every_total(builder):
    histogram = builder.build(stats()).histogram
    assert len(histogram) == 10
    assert sum(count for _, _, count in histogram) == 5
    assert histogram[0][2] == 4
    assert histogram[-1][2] == 1
    assert histogram[-1][1] == pytest.approx(2.0)


def test_slowest_keeps_the_longest():
    durations = [("a", 0.1), ("b", 3.0), ("c", 2.0), ("d", 3.0)]
    assert slowest(durations, 3) == (("d", 3.0), ("b", 3.0), ("c", 2.0))


def test_render_mentions_the_essentials(builder):
    console = Console(record=True, width=120, file=io.StringIO())
    console.print(render_summary(builder.build(stats())))
    text = console.export_text()
    assert "4 submissions in 2.0 s" in text
    assert "Graded 3 in full and 0 in changed parts only; reused 1 from the gradebook" in text
    assert "Why: 3 new, 1 unchanged." in text
    assert "student code timed out" in text
    assert "e.g. dan" in text
    assert "Scores per part" in text
    assert "ann" in text
