"""The work a batch does inside each worker process: read, judge and grade submissions.

A worker loads the spec itself, checks that it is the one the parent loaded,
and opens one runner for student code that serves every submission it
grades. Each task is a pure function of the spec and the task's data, which
is plain and picklable, so the same tasks could run on another executor.
"""

from __future__ import annotations

import dataclasses
import logging
import pickle
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograder.batch.answers import LookupProblemSet, PairKey, SharedAnswer, shared_answer, verdict_to_dict
from autograder.batch.encoded import EncodedResult
from autograder.batch.items import BatchItem, hash_submission
from autograder.batch.plan import Decision, StoredSubmission, decide
from autograder.errors import SandboxError, SpecError, SubmissionError
from autograder.grading import failed_result, grade_submission
from autograder.loader import load_problem_set
from autograder.spec import CodePart
from autograder.submission import Submission, read_submission

if TYPE_CHECKING:
    from autograder.sandbox import RunnerKind
    from autograder.sandbox.runner import Runner

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerSetup:
    """The inputs a worker starts from: the spec, its expected fingerprint and the runner kind.

    ``runner_kind`` is None when no submission code is to run (a spec
    without code parts). ``log_level`` is the parent's level for the
    ``autograder`` loggers, so that ``-v`` and ``-q`` reach the workers too.
    """

    spec_path: Path
    fingerprint: str
    runner_kind: RunnerKind | None
    log_level: int = logging.WARNING


@dataclass(frozen=True)
class ScanTask:
    """Hash one submission, decide what it needs and collect the answers to judge."""

    item: BatchItem
    stored: StoredSubmission | None
    layout: str
    force: bool


@dataclass(frozen=True)
class ScanResult:
    """The decision for one submission, its shareable answers to the parts it needs, and what was read.

    ``submission`` is the pickled ``Submission``, which the grading task may
    bring back so that the files need not be read and parsed again.
    """

    name: str
    content_hash: str
    decision: Decision
    answers: tuple[tuple[str, SharedAnswer], ...]
    submission: bytes | None = None


@dataclass(frozen=True)
class JudgeTask:
    """Judge distinct answers, each given with its part id."""

    pairs: tuple[tuple[str, SharedAnswer], ...]


@dataclass(frozen=True)
class JudgeResult:
    """The verdict of each pair of a ``JudgeTask``, or None where the checker raised."""

    verdicts: tuple[tuple[PairKey, dict[str, Any] | None], ...]


@dataclass(frozen=True)
class GradeTask:
    """Grade one submission (or only ``parts``), reusing ``verdicts`` for its answers.

    ``scanned_hash`` is the content hash that the decision to grade only
    ``parts`` was based on. If the files changed since, every part is graded.
    ``submission`` is what the scan read (``ScanResult.submission``), used
    only while the content hash is still ``scanned_hash``.
    """

    item: BatchItem
    parts: tuple[str, ...] | None
    verdicts: Mapping[PairKey, Mapping[str, Any]]
    scanned_hash: str = ""
    submission: bytes | None = None


@dataclass(frozen=True)
class GradeResult:
    """One graded submission, as plain data.

    ``failure`` is set when the grade is not the student's doing (the sandbox
    failed) and should be retried. ``lookup_misses`` counts answers that were
    judged here because no shared verdict covered them.
    """

    name: str
    content_hash: str
    result: EncodedResult
    graded_parts: tuple[str, ...] | None
    seconds: float
    failure: str | None
    lookup_misses: int


class _WorkerState:
    """The problem set and runner of this worker process."""

    def __init__(self, setup: WorkerSetup) -> None:
        self.setup = setup
        self.problem_set = load_problem_set(setup.spec_path)
        if self.problem_set.fingerprint != setup.fingerprint:
            raise SpecError(
                "the spec or its reference module changed after the batch started; run the command again",
                path=setup.spec_path,
            )
        self.lookup = LookupProblemSet.wrap(self.problem_set)
        self.part_ids = [part.id for part in self.problem_set.parts]
        self.needs_runner = setup.runner_kind is not None and bool(self.problem_set.code_parts)
        self.runner: Runner | None = None
        if self.needs_runner:
            self.runner = self._open_runner()

    def _open_runner(self) -> Runner:
        from autograder.sandbox import open_runner

        assert self.setup.runner_kind is not None
        return open_runner(self.setup.runner_kind)

    def runner_for(self, parts: tuple[str, ...] | None) -> Runner | None:
        """Return the runner if the parts to grade include code; reopen it after a failure."""
        if not self.needs_runner:
            return None
        code_ids = {part.id for part in self.problem_set.code_parts}
        if parts is not None and not code_ids.intersection(parts):
            return None
        if self.runner is None:
            self.runner = self._open_runner()
        return self.runner

    def discard_runner(self) -> None:
        if self.runner is not None:
            try:
                self.runner.close()
            except OSError as error:
                logger.warning("closing a failed runner raised %s", error)
            self.runner = None

    def read(self, item: BatchItem) -> Submission:
        submission = read_submission(
            item.path,
            answers_name=self.problem_set.header.submission.answers,
            part_ids=self.part_ids,
        )
        return dataclasses.replace(submission, name=item.name)


_state: _WorkerState | None = None


def initialize(setup: WorkerSetup) -> str:
    """Load the spec and open the runner in this process; return the runner's description."""
    global _state
    configure_worker_logging(setup.log_level)
    _state = _WorkerState(setup)
    return _state.runner.describe() if _state.runner is not None else ""


def configure_worker_logging(level: int) -> None:
    """Log to standard error in the command line's format, at the parent's level."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("autograder: %(levelname)s: %(message)s"))
    root = logging.getLogger("autograder")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def shutdown() -> None:
    """Close the runner of this process."""
    if _state is not None:
        _state.discard_runner()


def handle(task: ScanTask | JudgeTask | GradeTask) -> ScanResult | JudgeResult | GradeResult:
    """Run one task in this worker process."""
    if _state is None:
        raise RuntimeError("the worker was not initialized")
    if isinstance(task, ScanTask):
        return _scan(_state, task)
    if isinstance(task, JudgeTask):
        return _judge(_state, task)
    return _grade(_state, task)


def _scan(state: _WorkerState, task: ScanTask) -> ScanResult:
    content_hash = hash_submission(task.item.path)
    decision = decide(
        task.stored,
        content_hash=content_hash,
        current_layout=task.layout,
        part_ids=tuple(state.part_ids),
        force=task.force,
    )
    if decision.reuse:
        return ScanResult(task.item.name, content_hash, decision, ())
    try:
        submission = state.read(task.item)
    except SubmissionError:
        return ScanResult(task.item.name, content_hash, decision, ())

    wanted = set(decision.parts) if decision.parts is not None else None
    answers: list[tuple[str, SharedAnswer]] = []
    for part in state.problem_set.parts:
        if isinstance(part, CodePart) or (wanted is not None and part.id not in wanted):
            continue
        answer = submission.answers.get(part.id)
        if answer is None or part.id in submission.problems:
            continue
        shared = shared_answer(part, answer)
        if shared is not None:
            answers.append((part.id, shared))
    pickled = pickle.dumps(submission, protocol=pickle.HIGHEST_PROTOCOL)
    return ScanResult(task.item.name, content_hash, decision, tuple(answers), pickled)


def _judge(state: _WorkerState, task: JudgeTask) -> JudgeResult:
    verdicts: list[tuple[PairKey, dict[str, Any] | None]] = []
    for part_id, shared in task.pairs:
        try:
            verdict = state.problem_set.checkers[part_id].judge(shared.answer)
        except Exception as error:  # noqa: BLE001 - grading this answer again reports it where it occurs
            logger.debug("checker for part %s failed on a shared answer (%s: %s); it is judged again per submission", part_id, type(error).__name__, error)
            verdicts.append(((part_id, shared.key), None))
            continue
        verdicts.append(((part_id, shared.key), verdict_to_dict(verdict)))
    return JudgeResult(tuple(verdicts))


def _grade(state: _WorkerState, task: GradeTask) -> GradeResult:
    started = time.perf_counter()
    item = task.item
    content_hash = hash_submission(item.path)
    parts = task.parts
    if parts is not None and content_hash != task.scanned_hash:
        logger.info("submission %s changed after it was read; grading every part", item.name)
        parts = None
    lookup = state.lookup
    misses_before = lookup.misses
    failure: str | None = None
    try:
        try:
            if task.submission is not None and content_hash == task.scanned_hash:
                submission = pickle.loads(task.submission)
                lookup.use(task.verdicts, same_answers=True)
            else:
                lookup.use(task.verdicts)
                submission = state.read(item)
        except SubmissionError as error:
            result = failed_result(state.problem_set, item.name, str(error), only_parts=parts)
        else:
            try:
                runner = state.runner_for(parts)
                result = grade_submission(
                    lookup.problem_set, submission, runner=runner, include_hidden=True, only_parts=parts
                )
            except SandboxError as error:
                logger.warning("the sandbox failed on submission %s: %s", item.name, error)
                state.discard_runner()
                failure = f"the sandbox failed: {error}"
                result = failed_result(state.problem_set, item.name, failure, only_parts=parts)
    finally:
        lookup.use({})
    return GradeResult(
        name=item.name,
        content_hash=content_hash,
        result=EncodedResult.encode(result),
        graded_parts=parts,
        seconds=time.perf_counter() - started,
        failure=failure,
        lookup_misses=lookup.misses - misses_before,
    )
