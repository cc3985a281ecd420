"""Batch grading: many submissions in parallel, recorded in a gradebook that lets a run resume.

The modules, in the order a run uses them:

- ``items``: find the submissions under the given paths, name and hash them.
- ``plan``: decide per submission what to grade (everything, changed parts, nothing).
- ``answers``: keys that identify identical answers, and the lookup that reuses verdicts.
- ``executor``: the pool of worker processes, which survives crashed workers.
- ``worker``: the tasks a worker runs (scan, judge, grade) with its own sandbox runner.
- ``pipeline``: the phases of a run, and streaming the results to the outputs.
- ``gradebook``: the SQLite record of every graded submission.
- ``progress``, ``outputs``, ``gradescope``, ``feedback``, ``summary``: what the
  instructor sees during and after a run.
"""

from __future__ import annotations

from autograder.batch.gradebook import Gradebook
from autograder.batch.items import BatchItem, find_batch_items
from autograder.batch.pipeline import BatchOptions, assignment_name, grade_batch, write_outputs
from autograder.batch.summary import BatchSummary, RunStats, SummaryBuilder, render_summary

__all__ = [
    "BatchItem",
    "BatchOptions",
    "BatchSummary",
    "Gradebook",
    "RunStats",
    "SummaryBuilder",
    "assignment_name",
    "find_batch_items",
    "grade_batch",
    "render_summary",
    "write_outputs",
]
