"""Running a batch: scan the submissions, judge each distinct answer once, grade in parallel, record each result.

The three phases run on one pool of worker processes:

1. Scan: each worker hashes a submission, compares the hash and the part
   fingerprints with the gradebook, and decides whether the submission
   needs a full grade, a regrade of changed parts, or nothing. For the
   parts to grade, it returns the keys of the answers (see ``answers``) and
   what it read, which the parent keeps for phase 3 up to
   ``MAX_KEPT_SUBMISSION_BYTES``.
2. Judge: the parent collects the distinct (part, answer key) pairs of the
   whole run and has the workers judge each pair exactly once.
3. Grade: each submission to grade goes to a worker with the verdicts of its
   answers and, if kept, what the scan read (used only if the files' hash
   has not changed since). The worker runs its code parts in the worker's sandbox and
   assembles the result with ``grade_submission``. The parent records each
   result in the gradebook in its own transaction as soon as it arrives.

Only phase 3 changes the gradebook, one submission per transaction, so the
run can be killed at any point and a rerun grades what is left.
"""

from __future__ import annotations

import heapq
import logging
import sys
import time
from array import array
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograder.batch import worker
from autograder.batch.answers import PairKey, SharedAnswer
from autograder.batch.executor import Completed, WorkerFunctions, WorkerPool
from autograder.batch.gradebook import GradedSubmission, Gradebook
from autograder.batch.items import BatchItem
from autograder.batch.outputs import ResultSink
from autograder.batch.plan import Decision, StoredSubmission, layout_key
from autograder.batch.progress import ProgressReporter
from autograder.batch.summary import SLOWEST_SHOWN, RunStats, SummaryBuilder
from autograder.grading import failed_result
from autograder.loader import ProblemSet
from autograder.reports import submission_status
from autograder.results import SubmissionResult

if TYPE_CHECKING:
    from autograder.sandbox import RunnerKind

logger = logging.getLogger(__name__)

# Forked workers start with the grader imported and the spec loaded, in about
# 0.1 s instead of 0.5 s for a fresh interpreter, and share those pages with
# the parent. The pool forks them before the progress bar starts its thread,
# and starts any replacement with "spawn".
DEFAULT_START_METHOD = "fork" if sys.platform == "linux" else "spawn"
DEFAULT_TASK_SECONDS = 900.0
JUDGE_CHUNK_PAIRS = 64
# The limit on the scan's pickled submissions kept for grading (about 3 kB
# each for homework 7). Beyond it, grading reads the files again, so the
# parent's memory stays bounded whatever the cohort size.
MAX_KEPT_SUBMISSION_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class BatchOptions:
    """How to run a batch.

    ``runner_kind`` is ``"sandbox"`` or ``"process"`` for student code, and is
    ignored for a spec without code parts. ``task_seconds`` is a watchdog for
    a grader that hangs; the sandbox's own limits stop student code long
    before it. ``start_method`` is the ``multiprocessing`` start method.
    """

    gradebook: Path
    jobs: int
    runner_kind: RunnerKind | None = "sandbox"
    force: bool = False
    start_method: str = DEFAULT_START_METHOD
    task_seconds: float = DEFAULT_TASK_SECONDS


def assignment_name(problem_set: ProblemSet) -> str:
    """Return the name that keys this spec's rows in a gradebook: the spec file's stem."""
    return problem_set.path.stem


class _AnswerIndex:
    """The distinct (part, answer key) pairs of a run, numbered, and which pairs each submission has."""

    def __init__(self) -> None:
        self.ids: dict[PairKey, int] = {}
        self.pairs: list[tuple[str, SharedAnswer]] = []
        self.verdicts: list[dict[str, Any] | None] = []
        self.by_submission: dict[str, array[int]] = {}
        self.shared = 0
        self.kept: dict[str, bytes] = {}
        self.kept_bytes = 0

    def keep(self, name: str, submission: bytes | None) -> None:
        """Keep what the scan read of one submission, while the total stays under ``MAX_KEPT_SUBMISSION_BYTES``."""
        if submission is None or self.kept_bytes + len(submission) > MAX_KEPT_SUBMISSION_BYTES:
            return
        self.kept[name] = submission
        self.kept_bytes += len(submission)

    def take(self, name: str) -> bytes | None:
        """Return and forget what the scan read of one submission, or None if it was not kept."""
        submission = self.kept.pop(name, None)
        if submission is not None:
            self.kept_bytes -= len(submission)
        return submission

    def add(self, name: str, answers: Sequence[tuple[str, SharedAnswer]]) -> None:
        numbers: array[int] = array("I")
        for part_id, shared in answers:
            key = (part_id, shared.key)
            number = self.ids.get(key)
            if number is None:
                number = len(self.pairs)
                self.ids[key] = number
                self.pairs.append((part_id, shared))
                self.verdicts.append(None)
            numbers.append(number)
        self.shared += len(numbers)
        if numbers:
            self.by_submission[name] = numbers

    def verdicts_for(self, name: str) -> dict[PairKey, dict[str, Any]]:
        """Return the judged verdicts of one submission's answers, and forget its pairs."""
        found: dict[PairKey, dict[str, Any]] = {}
        for number in self.by_submission.pop(name, ()):
            verdict = self.verdicts[number]
            if verdict is not None:
                part_id, shared = self.pairs[number]
                found[(part_id, shared.key)] = verdict
        return found


def grade_batch(
    problem_set: ProblemSet,
    items: Sequence[BatchItem],
    gradebook: Gradebook,
    options: BatchOptions,
    progress: ProgressReporter,
) -> RunStats:
    """Grade every submission in ``items`` that the gradebook lacks or has out of date.

    Returns what the run did. Results are in the gradebook when it returns;
    ``write_outputs`` turns them into files. Raises ``KeyboardInterrupt``
    unchanged after stopping the workers; what was recorded stays recorded.
    """
    started = time.perf_counter()
    assignment = assignment_name(problem_set)
    layout = layout_key(problem_set)
    stored = gradebook.stored_submissions(assignment, problem_set.part_fingerprints)
    run_id = gradebook.start_run(assignment, problem_set.path, problem_set.fingerprint, len(items))

    runner_kind = options.runner_kind if problem_set.code_parts else None
    setup = worker.WorkerSetup(
        problem_set.path.resolve(),
        problem_set.fingerprint,
        runner_kind,
        logging.getLogger("autograder").getEffectiveLevel(),
    )
    functions = WorkerFunctions(worker.initialize, worker.handle, worker.shutdown, setup)
    jobs = max(1, min(options.jobs, len(items)))
    with WorkerPool(
        jobs,
        functions,
        start_method=options.start_method,
        task_seconds=_watchdog_seconds(problem_set, options.task_seconds),
    ) as pool:
        descriptions = [info for info in pool.start() if info]
        runner = descriptions[0] if descriptions else ""
        if runner:
            logger.info("student code runs in: %s", runner)

        decisions, hashes, index = _scan(pool, items, stored, layout, options.force, progress)
        _judge(pool, index, progress)
        outcome = _grade(pool, problem_set, items, decisions, hashes, index, gradebook, layout, progress)

    reasons = Counter(decision.reason for decision in decisions.values())
    logger.info("decisions: %s", ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items())))
    reused = sum(1 for decision in decisions.values() if decision.reuse)
    regraded = sum(1 for decision in decisions.values() if decision.parts)
    gradebook.finish_run(run_id, graded=len(items) - reused, reused=reused, failed=outcome.failed)
    return RunStats(
        submissions=len(items),
        graded=len(items) - reused - regraded,
        regraded=regraded,
        reused=reused,
        failed=outcome.failed,
        distinct_answers=len(index.pairs),
        shared_answers=index.shared,
        lookup_misses=outcome.lookup_misses,
        seconds=time.perf_counter() - started,
        jobs=jobs,
        runner=runner,
        gradebook=gradebook.path,
        slowest=outcome.slowest(),
        reasons=dict(reasons),
    )


def _watchdog_seconds(problem_set: ProblemSet, default: float) -> float:
    """Return the task watchdog: ``default``, or more if a code part may legitimately run longer.

    One grading task runs all code parts of a submission in one sandbox run,
    which the widest part's ``submission_seconds`` bounds.
    """
    if not problem_set.code_parts:
        return default
    from autograder.checkers.code import CodeChecker

    longest = 0.0
    for part in problem_set.code_parts:
        checker = problem_set.checkers[part.id]
        if isinstance(checker, CodeChecker):
            longest = max(longest, checker.limits.submission_seconds)
    return max(default, 2 * longest + 60)


def _scan(
    pool: WorkerPool,
    items: Sequence[BatchItem],
    stored: Mapping[str, StoredSubmission],
    layout: str,
    force: bool,
    progress: ProgressReporter,
) -> tuple[dict[str, Decision], dict[str, str], _AnswerIndex]:
    progress.start_phase("Reading", len(items))
    tasks = (worker.ScanTask(item, stored.get(item.name), layout, force) for item in items)
    decisions: dict[str, Decision] = {}
    hashes: dict[str, str] = {}
    index = _AnswerIndex()
    for completed in pool.run(tasks):
        item = completed.task.item
        if completed.failure is not None:
            logger.error("reading submission %s failed (%s): %s", item.name, completed.failure.kind, completed.failure.message)
            decisions[item.name] = Decision(None, "retry")
            hashes[item.name] = ""
            progress.advance(failed=True)
            continue
        scanned: worker.ScanResult = completed.value
        decisions[item.name] = scanned.decision
        hashes[item.name] = scanned.content_hash
        index.add(item.name, scanned.answers)
        index.keep(item.name, scanned.submission)
        progress.advance()
    progress.finish_phase()
    return decisions, hashes, index


def _judge(pool: WorkerPool, index: _AnswerIndex, progress: ProgressReporter) -> None:
    progress.start_phase("Judging answers", len(index.pairs))
    order = sorted(range(len(index.pairs)), key=lambda number: index.pairs[number][0])
    chunks = [order[start : start + JUDGE_CHUNK_PAIRS] for start in range(0, len(order), JUDGE_CHUNK_PAIRS)]
    tasks = (worker.JudgeTask(tuple(index.pairs[number] for number in chunk)) for chunk in chunks)
    for completed in pool.run(tasks):
        chunk = chunks[completed.index]
        if completed.failure is not None:
            # The answers are judged again where they occur, during grading.
            logger.error("judging %d answers failed (%s): %s", len(chunk), completed.failure.kind, completed.failure.message)
            progress.advance(len(chunk), failed=True)
            continue
        judged: worker.JudgeResult = completed.value
        for number, (_, verdict) in zip(chunk, judged.verdicts):
            index.verdicts[number] = verdict
        progress.advance(len(chunk))
    progress.finish_phase()


@dataclass
class _GradeOutcome:
    """Counts from the grading phase, and the slowest submissions in a min-heap."""

    failed: int = 0
    lookup_misses: int = 0
    heap: list[tuple[float, str]] = field(default_factory=list)

    def note_duration(self, name: str, seconds: float) -> None:
        entry = (seconds, name)
        if len(self.heap) < SLOWEST_SHOWN:
            heapq.heappush(self.heap, entry)
        elif entry > self.heap[0]:
            heapq.heapreplace(self.heap, entry)

    def slowest(self) -> tuple[tuple[str, float], ...]:
        return tuple((name, seconds) for seconds, name in sorted(self.heap, reverse=True))


def _grade(
    pool: WorkerPool,
    problem_set: ProblemSet,
    items: Sequence[BatchItem],
    decisions: dict[str, Decision],
    hashes: dict[str, str],
    index: _AnswerIndex,
    gradebook: Gradebook,
    layout: str,
    progress: ProgressReporter,
) -> _GradeOutcome:
    assignment = assignment_name(problem_set)
    to_grade = [item for item in items if not decisions[item.name].reuse]
    progress.start_phase("Grading", len(to_grade))

    def tasks() -> Iterator[worker.GradeTask]:
        for item in to_grade:
            yield worker.GradeTask(
                item, decisions[item.name].parts, index.verdicts_for(item.name), hashes[item.name], index.take(item.name)
            )

    outcome = _GradeOutcome()
    for completed in pool.run(tasks()):
        graded = _graded_submission(problem_set, completed, hashes)
        gradebook.record(
            assignment,
            graded,
            spec_fingerprint=problem_set.fingerprint,
            layout=layout,
            part_fingerprints=problem_set.part_fingerprints,
        )
        if graded.failure is not None:
            outcome.failed += 1
        else:
            outcome.note_duration(graded.name, graded.seconds)
        if completed.value is not None:
            outcome.lookup_misses += completed.value.lookup_misses
        progress.advance(failed=graded.failure is not None or submission_status(graded.result) != "graded")
    progress.finish_phase()
    return outcome


def _graded_submission(
    problem_set: ProblemSet, completed: Completed[worker.GradeTask], hashes: dict[str, str]
) -> GradedSubmission:
    task = completed.task
    item = task.item
    if completed.failure is None:
        value: worker.GradeResult = completed.value
        return GradedSubmission(
            name=item.name,
            source=str(item.path),
            content_hash=value.content_hash,
            result=value.result.decode(),
            graded_parts=value.graded_parts,
            seconds=value.seconds,
            failure=value.failure,
            part_texts=value.result.parts,
        )
    failure = completed.failure
    if failure.kind == "raised":
        logger.error("grading submission %s failed unexpectedly:\n%s", item.name, failure.message)
        reason = "the grader failed unexpectedly on this submission; this is not your fault, and it is retried on the next run"
    else:
        logger.error("grading submission %s failed: %s", item.name, failure.message)
        reason = f"{failure.message}; it is retried on the next run"
    # A traceback's last line names the exception, which is enough for the gradebook.
    lines = failure.message.strip().splitlines()
    last_line = lines[-1] if lines else ""
    return GradedSubmission(
        name=item.name,
        source=str(item.path),
        content_hash=hashes.get(item.name, ""),
        result=failed_result(problem_set, item.name, reason, only_parts=task.parts),
        graded_parts=task.parts,
        seconds=0.0,
        failure=f"{failure.kind}: {last_line}",
    )


def write_outputs(
    problem_set: ProblemSet,
    items: Sequence[BatchItem],
    gradebook: Gradebook,
    sinks: Sequence[ResultSink],
    summary: SummaryBuilder,
) -> None:
    """Feed each item's recorded result, in name order, to every sink and the summary; then commit the sinks.

    A submission without a recorded result (which only an interrupted run
    leaves) still gets a row, with that reason. If anything raises, no sink is
    committed and files from earlier runs stay as they were.
    """
    assignment = assignment_name(problem_set)
    part_ids = [part.id for part in problem_set.parts]
    try:
        for item in items:
            stored = gradebook.result(assignment, item.name, part_ids)
            if stored is None:
                result = failed_result(problem_set, item.name, "no result is recorded; run the command again to grade it")
                failure = True
            else:
                result = stored.result
                failure = stored.failure is not None
            for sink in sinks:
                sink.add(result)
            summary.add(result, infrastructure_failure=failure)
    except BaseException:
        for sink in sinks:
            sink.discard()
        raise
    for sink in sinks:
        sink.commit()
