"""The end-of-run summary: what was graded or reused, failures by kind, score statistics, slowest submissions."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from autograder.loader import ProblemSet
from autograder.reports import format_score
from autograder.results import STATUSES, SubmissionResult
from autograder.spec import CodePart

HISTOGRAM_BINS = 10
HISTOGRAM_WIDTH = 40
SLOWEST_SHOWN = 5
EXAMPLES_SHOWN = 3

FAILURE_KINDS = {
    "infrastructure": "grader or sandbox failed (retried on the next run)",
    "unreadable": "submission could not be read",
    "code timeout": "student code timed out and passed no test case of a part",
    "code error": "student code failed (exception, crash, syntax error, missing file)",
    "grader error": "a checker failed unexpectedly on an answer",
}


@dataclass(frozen=True)
class RunStats:
    """What one run did, apart from the grades themselves.

    ``graded`` counts submissions graded in full, ``regraded`` those where
    only changed parts were graded, and ``reused`` those taken from the
    gradebook unchanged. ``distinct_answers`` is the number of (part, answer)
    pairs judged, ``shared_answers`` the number of answers those verdicts
    covered, and ``lookup_misses`` the answers judged during grading instead.
    """

    submissions: int
    graded: int
    regraded: int
    reused: int
    failed: int
    distinct_answers: int
    shared_answers: int
    lookup_misses: int
    seconds: float
    jobs: int
    runner: str
    gradebook: Path
    slowest: tuple[tuple[str, float], ...] = ()
    reasons: Mapping[str, int] = field(default_factory=dict)


@dataclass
class _PartTally:
    max_score: float
    total: float = 0.0
    count: int = 0
    statuses: Counter[str] = field(default_factory=Counter)


class SummaryBuilder:
    """Accumulates score statistics and failures over the results of a batch, one at a time."""

    def __init__(self, problem_set: ProblemSet) -> None:
        self._code_parts = {part.id for part in problem_set.parts if isinstance(part, CodePart)}
        self._parts = {part.id: _PartTally(part.points) for part in problem_set.parts}
        self._totals: list[float] = []
        self._max_total = problem_set.max_score
        self._failures: dict[str, list[str]] = {}
        self._failure_counts: Counter[str] = Counter()

    def add(self, result: SubmissionResult, *, infrastructure_failure: bool = False) -> None:
        self._totals.append(result.score)
        for kind in self._failure_kinds(result, infrastructure_failure):
            self._failure_counts[kind] += 1
            examples = self._failures.setdefault(kind, [])
            if len(examples) < EXAMPLES_SHOWN:
                examples.append(result.submission)
        for part in result.parts:
            tally = self._parts.get(part.id)
            if tally is None:
                continue
            tally.total += part.score
            tally.count += 1
            tally.statuses[part.status] += 1

    def _failure_kinds(self, result: SubmissionResult, infrastructure_failure: bool) -> set[str]:
        if infrastructure_failure:
            return {"infrastructure"}
        if result.error is not None:
            return {"unreadable"}
        kinds: set[str] = set()
        for part in result.parts:
            if part.status == "timeout":
                kinds.add("code timeout")
            elif part.status == "error":
                kinds.add("code error" if part.id in self._code_parts else "grader error")
        return kinds

    def build(self, stats: RunStats) -> BatchSummary:
        return BatchSummary(
            stats=stats,
            failures={kind: (self._failure_counts[kind], tuple(names)) for kind, names in self._failures.items()},
            parts=tuple(
                PartStatistics(part_id, tally.max_score, tally.total / tally.count if tally.count else 0.0, dict(tally.statuses))
                for part_id, tally in self._parts.items()
            ),
            histogram=_histogram(self._totals, self._max_total),
            mean_total=sum(self._totals) / len(self._totals) if self._totals else 0.0,
            max_total=self._max_total,
        )


@dataclass(frozen=True)
class PartStatistics:
    """Mean score of one part over the batch and how many answers got each status."""

    part_id: str
    max_score: float
    mean: float
    statuses: Mapping[str, int]


@dataclass(frozen=True)
class BatchSummary:
    """Everything the end-of-run summary shows, as data."""

    stats: RunStats
    failures: Mapping[str, tuple[int, tuple[str, ...]]]
    parts: tuple[PartStatistics, ...]
    histogram: tuple[tuple[float, float, int], ...]
    mean_total: float
    max_total: float


def _histogram(totals: list[float], maximum: float) -> tuple[tuple[float, float, int], ...]:
    """Count totals in ``HISTOGRAM_BINS`` equal bins from 0 to ``maximum``; the last bin includes the maximum."""
    if maximum <= 0:
        return ()
    width = maximum / HISTOGRAM_BINS
    counts = [0] * HISTOGRAM_BINS
    for total in totals:
        index = min(int(total / width), HISTOGRAM_BINS - 1) if total > 0 else 0
        counts[index] += 1
    return tuple((index * width, (index + 1) * width, count) for index, count in enumerate(counts))


def slowest(durations: list[tuple[str, float]], count: int = SLOWEST_SHOWN) -> tuple[tuple[str, float], ...]:
    """Return the ``count`` longest (name, seconds) pairs, longest first."""
    return tuple(heapq.nlargest(count, durations, key=lambda pair: (pair[1], pair[0])))


def render_summary(summary: BatchSummary) -> RenderableType:
    """Lay the summary out as text and tables for a console."""
    stats = summary.stats
    rate = stats.submissions / stats.seconds if stats.seconds > 0 else 0.0
    lines = [
        Text(
            f"{stats.submissions} submissions in {stats.seconds:.1f} s ({rate:.1f}/s) with {stats.jobs} "
            f"worker process{'es' if stats.jobs != 1 else ''}.",
            style="bold",
        ),
        Text(
            f"Graded {stats.graded} in full and {stats.regraded} in changed parts only; "
            f"reused {stats.reused} from the gradebook {stats.gradebook}."
        ),
    ]
    if stats.reasons:
        decisions = ", ".join(f"{count} {reason}" for reason, count in sorted(stats.reasons.items(), key=lambda item: (-item[1], item[0])))
        lines.append(Text(f"Why: {decisions}."))
    if stats.runner:
        lines.append(Text(f"Student code ran in: {stats.runner}"))
    if stats.distinct_answers or stats.shared_answers:
        lines.append(
            Text(
                f"Answers: {stats.shared_answers} checked through {stats.distinct_answers} distinct "
                f"(part, answer) pairs judged once each; {stats.lookup_misses} judged during grading."
            )
        )
    lines.append(Text(f"Mean total: {format_score(summary.mean_total)}/{format_score(summary.max_total)}"))

    if summary.failures:
        lines.append(Text("Failures by kind:", style="bold red"))
        for kind, (count, examples) in sorted(summary.failures.items(), key=lambda item: -item[1][0]):
            more = ", ..." if count > len(examples) else ""
            lines.append(Text(f"  {count:>6}  {FAILURE_KINDS[kind]} (e.g. {', '.join(examples)}{more})"))
    else:
        lines.append(Text("Failures: none.", style="green"))

    renderables: list[RenderableType] = [*lines, _histogram_table(summary), _parts_table(summary)]
    if stats.slowest:
        slow = Table(title="Slowest submissions graded in this run", title_justify="left", box=box.SIMPLE_HEAD)
        slow.add_column("Submission")
        slow.add_column("Seconds", justify="right")
        for name, seconds in stats.slowest:
            slow.add_row(name, f"{seconds:.2f}")
        renderables.append(slow)
    return Group(*renderables)


def _histogram_table(summary: BatchSummary) -> Table:
    table = Table(title="Distribution of totals", title_justify="left", show_header=False, box=None)
    table.add_column("Range", justify="right")
    table.add_column("Count", justify="right")
    table.add_column("Bar")
    largest = max((count for _, _, count in summary.histogram), default=0)
    for index, (low, high, count) in enumerate(summary.histogram):
        closing = "]" if index == len(summary.histogram) - 1 else ")"
        bar = "#" * round(HISTOGRAM_WIDTH * count / largest) if largest else ""
        table.add_row(f"[{format_score(low)}, {format_score(high)}{closing}", str(count), bar)
    return table


def _parts_table(summary: BatchSummary) -> Table:
    table = Table(title="Scores per part: mean, and number of answers per status", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("Part", no_wrap=True)
    table.add_column("Mean", justify="right", no_wrap=True)
    for status in STATUSES:
        table.add_column(status, justify="right", no_wrap=True)
    for part in summary.parts:
        table.add_row(
            part.part_id,
            f"{format_score(part.mean)}/{format_score(part.max_score)}",
            *(str(part.statuses.get(status, 0) or "") for status in STATUSES),
        )
    return table
