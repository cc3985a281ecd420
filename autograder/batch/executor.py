"""A pool of worker processes that runs tasks in parallel and survives crashed workers.

Each worker runs one task at a time, in the order it received them, so a
failure is pinned on the task that caused it. The pool keeps
``TASKS_PER_WORKER`` tasks sent to each worker, so that a worker starts its
next task while the parent is still handling the last result. A worker that
dies (killed, out of memory, a crash in native code) is replaced and its task
is tried once more on the fresh worker. A task that runs longer than
``task_seconds`` has its worker killed and replaced. Either way the caller
gets a ``TaskFailure`` for that task, the tasks queued behind it are sent
again without counting as an attempt, and every other task goes on.

Tasks and results cross the process boundary with ``multiprocessing``'s
pickling. Both ends are the grader's own code, and student data travels only
as strings and plain containers inside the grader's dataclasses.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from types import TracebackType
from typing import Any, Generic, Literal, TypeVar

from autograder.errors import AutograderError, ReferenceError_, SandboxError, SandboxUnavailable, SpecError, UsageError

logger = logging.getLogger(__name__)

Task = TypeVar("Task")

START_SECONDS = 120.0
STOP_SECONDS = 10.0
ATTEMPTS_AFTER_DEATH = 2
# Tasks sent to a worker ahead of its results: the one it runs and one that
# waits in its pipe.
TASKS_PER_WORKER = 2

# Errors that a worker's initializer may raise for the user to fix. They are
# raised again in the parent under the same class, so the CLI reports them as
# one line.
_USER_ERRORS: dict[str, type[AutograderError]] = {
    cls.__name__: cls for cls in (SpecError, ReferenceError_, SandboxError, SandboxUnavailable, UsageError)
}


@dataclass(frozen=True)
class TaskFailure:
    """Why a task produced no value: it raised, its worker died, or it ran too long."""

    kind: Literal["raised", "died", "timed out"]
    message: str


@dataclass(frozen=True)
class Completed(Generic[Task]):
    """The outcome of one task: its position in the input, and a value or a failure."""

    index: int
    task: Task
    value: Any = None
    failure: TaskFailure | None = None


@dataclass
class _Assignment:
    """A task sent to a worker. ``started`` is when the worker began it, or None while it waits."""

    index: int
    task: Any
    attempt: int
    started: float | None = None


@dataclass
class _Worker:
    """A worker process and the tasks sent to it, the one it runs first."""

    process: BaseProcess
    connection: Connection
    assignments: deque[_Assignment] = field(default_factory=deque)
    info: Any = None


@dataclass(frozen=True)
class WorkerFunctions:
    """The module-level functions a worker calls: once at start, per task and at exit.

    They must be importable by name, because the ``spawn`` and ``forkserver``
    start methods send them to the new process by reference.
    """

    initializer: Callable[[Any], Any]
    handler: Callable[[Any], Any]
    finalizer: Callable[[], None]
    setup: Any = field(default=None)


class WorkerPool:
    """``jobs`` worker processes, started together, that run tasks from an iterable.

    Use it as a context manager. ``run`` may be called several times, and the
    workers keep their state (a loaded spec, an open sandbox) between calls.
    """

    def __init__(
        self,
        jobs: int,
        functions: WorkerFunctions,
        *,
        start_method: str = "spawn",
        task_seconds: float = 600.0,
        preload: tuple[str, ...] = (),
    ) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, got {jobs}")
        self.jobs = jobs
        self.functions = functions
        self.task_seconds = task_seconds
        self._context: BaseContext = multiprocessing.get_context(start_method)
        # A replacement starts while the parent may run other threads (a
        # progress bar's), and forking a process with threads can leave a
        # lock held forever in the child, so replacements are never forked.
        self._replacement_context: BaseContext = multiprocessing.get_context(
            "spawn" if start_method == "fork" else start_method
        )
        if start_method == "forkserver" and preload:
            self._context.set_forkserver_preload(list(preload))  # type: ignore[attr-defined]
        self._workers: list[_Worker] = []
        # Descriptors of the parent's ends of the workers' pipes.
        self._parent_ends: set[int] = set()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(kill=exc_type is not None)

    def start(self) -> list[Any]:
        """Start the workers and wait until each has run its initializer.

        Returns what each initializer returned. Raises the initializer's
        error again if it was a user error (a changed spec, no sandbox), or
        ``RuntimeError`` with the worker's traceback otherwise.
        """
        if self._context.get_start_method() == "fork":
            # Objects that exist now are never collected, so neither the
            # garbage collector of a worker nor the parent's writes to (and so
            # copies) the pages they share.
            gc.collect()
            gc.freeze()
        pending = [self._spawn(self._context) for _ in range(self.jobs)]
        try:
            for worker in pending:
                self._await_ready(worker)
                self._workers.append(worker)
        except BaseException:
            for worker in pending:
                if worker not in self._workers:
                    _kill(worker)
            raise
        logger.info("started %d worker processes: %s", self.jobs, ", ".join(str(worker.process.pid) for worker in self._workers))
        return [worker.info for worker in self._workers]

    def run(self, tasks: Iterable[Task]) -> Iterator[Completed[Task]]:
        """Run every task and yield each outcome as it completes.

        Tasks are drawn from ``tasks`` only when a worker has room for them,
        so a generator that builds large tasks keeps memory bounded.
        """
        if not self._workers:
            raise RuntimeError("start the pool before running tasks")
        source = enumerate(tasks)
        retries: deque[tuple[int, Any, int]] = deque()
        exhausted = False

        while True:
            # One task to each worker before a second one to any, so that a
            # short run spreads over every worker.
            for depth in range(1, TASKS_PER_WORKER + 1):
                for position, worker in enumerate(self._workers):
                    if len(worker.assignments) >= depth:
                        continue
                    if retries:
                        index, task, attempt = retries.popleft()
                    elif not exhausted:
                        following = next(source, None)
                        if following is None:
                            exhausted = True
                            break
                        index, task = following
                        attempt = 1
                    else:
                        break
                    if self._assign(position, _Assignment(index, task, attempt)) is None:
                        # The worker died during an earlier task; collecting reports it.
                        retries.appendleft((index, task, attempt))

            busy = [worker for worker in self._workers if worker.assignments]
            if not busy:
                return

            for completed in self._collect(busy, retries):
                yield completed

    def close(self, *, kill: bool = False) -> None:
        """Stop every worker: ask each to finish, or kill it at once with ``kill``."""
        workers, self._workers = self._workers, []
        for worker in workers:
            if kill:
                _kill(worker)
                continue
            try:
                worker.connection.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + STOP_SECONDS
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                logger.warning("worker process %s did not stop within %g s; killing it", worker.process.pid, STOP_SECONDS)
                _kill(worker)
            self._close_connection(worker)

    # Internals

    def _spawn(self, context: BaseContext) -> _Worker:
        parent_end, child_end = context.Pipe(duplex=True)
        # A forked child inherits the parent's end of its own pipe and of
        # every other worker's. It must close them, or it would never see
        # end-of-file when the parent dies.
        inherited = (
            [parent_end.fileno(), *self._parent_ends] if context.get_start_method() == "fork" else []
        )
        process = context.Process(  # type: ignore[attr-defined]
            target=_worker_main,
            args=(child_end, self.functions, inherited),
            name="autograder-worker",
            daemon=True,
        )
        process.start()
        child_end.close()
        self._parent_ends.add(parent_end.fileno())
        return _Worker(process, parent_end)

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.connection.poll(START_SECONDS):
            _kill(worker)
            raise RuntimeError(f"a worker process did not start within {START_SECONDS:g} s")
        try:
            status, payload = worker.connection.recv()
        except (EOFError, OSError):
            worker.process.join(1.0)
            raise RuntimeError(
                f"a worker process exited while starting ({_describe_exit(worker.process)})"
            ) from None
        if status == "ready":
            worker.info = payload
            return
        kind, message = payload
        worker.process.join(STOP_SECONDS)
        error_class = _USER_ERRORS.get(kind)
        if error_class is not None:
            raise error_class(message)
        raise RuntimeError(f"a worker process failed to start:\n{message}")

    def _assign(self, position: int, assignment: _Assignment) -> _Worker | None:
        """Send a task to the worker at ``position``, replacing it first if it died while idle.

        Returns the worker that got the task, or None if the worker died
        while it had other tasks: then nothing was sent.
        """
        worker = self._workers[position]
        try:
            worker.connection.send((assignment.index, assignment.task))
        except (BrokenPipeError, ConnectionResetError):
            if worker.assignments:
                return None
            logger.warning("idle worker process %s died (%s); starting another", worker.process.pid, _describe_exit(worker.process))
            worker = self._replace(worker)
            worker.connection.send((assignment.index, assignment.task))
        if not worker.assignments:
            assignment.started = time.monotonic()
        worker.assignments.append(assignment)
        return worker

    def _collect(
        self, busy: list[_Worker], retries: deque[tuple[int, Any, int]]
    ) -> Iterator[Completed[Any]]:
        """Wait for the first results, deaths or timeouts among ``busy`` workers."""
        now = time.monotonic()
        nearest = min(_running(worker).started or now for worker in busy) + self.task_seconds
        waitables: list[Any] = []
        for worker in busy:
            waitables.append(worker.connection)
            waitables.append(worker.process.sentinel)
        ready = set(multiprocessing.connection.wait(waitables, timeout=max(0.0, nearest - now)))

        for worker in busy:
            assignment = _running(worker)
            if worker.connection in ready:
                try:
                    index, status, payload = worker.connection.recv()
                except (EOFError, OSError):
                    yield from self._replace_dead(worker, retries)
                    continue
                if index != assignment.index:
                    raise RuntimeError(f"worker process {worker.process.pid} returned the result of task {index}, expected task {assignment.index}")
                worker.assignments.popleft()
                if worker.assignments:
                    worker.assignments[0].started = time.monotonic()
                if status == "ok":
                    yield Completed(index, assignment.task, value=payload)
                else:
                    yield Completed(index, assignment.task, failure=TaskFailure("raised", payload))
            elif worker.process.sentinel in ready:
                yield from self._replace_dead(worker, retries)
            elif time.monotonic() - (assignment.started or now) >= self.task_seconds:
                logger.error(
                    "task %d ran longer than %g s; killing worker process %s",
                    assignment.index,
                    self.task_seconds,
                    worker.process.pid,
                )
                _requeue_waiting(worker, retries)
                self._replace(worker)
                yield Completed(
                    assignment.index,
                    assignment.task,
                    failure=TaskFailure("timed out", f"the grader did not finish within {self.task_seconds:g} s"),
                )

    def _replace_dead(self, worker: _Worker, retries: deque[tuple[int, Any, int]]) -> Iterator[Completed[Any]]:
        assignment = _running(worker)
        worker.process.join(1.0)
        how = _describe_exit(worker.process)
        _requeue_waiting(worker, retries)
        self._replace(worker)
        if assignment.attempt < ATTEMPTS_AFTER_DEATH:
            logger.warning("worker process died (%s) during task %d; trying the task again", how, assignment.index)
            retries.append((assignment.index, assignment.task, assignment.attempt + 1))
            return
        logger.error("worker process died (%s) during task %d again; giving up on it", how, assignment.index)
        yield Completed(
            assignment.index,
            assignment.task,
            failure=TaskFailure("died", f"the grader's worker process died twice on this submission ({how})"),
        )

    def _close_connection(self, worker: _Worker) -> None:
        self._parent_ends.discard(worker.connection.fileno())
        worker.connection.close()

    def _replace(self, worker: _Worker) -> _Worker:
        _kill(worker)
        self._close_connection(worker)
        replacement = self._spawn(self._replacement_context)
        self._await_ready(replacement)
        self._workers[self._workers.index(worker)] = replacement
        return replacement


def _running(worker: _Worker) -> _Assignment:
    """Return the task that a busy worker runs now: the first one sent to it that has no result yet."""
    return worker.assignments[0]


def _requeue_waiting(worker: _Worker, retries: deque[tuple[int, Any, int]]) -> None:
    """Queue again the tasks that waited behind the running one, which are not to blame."""
    waiting = list(worker.assignments)[1:]
    worker.assignments.clear()
    for assignment in waiting:
        retries.append((assignment.index, assignment.task, assignment.attempt))


def _kill(worker: _Worker) -> None:
    """Kill a worker process this pool started; its sandbox dies with it."""
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join(STOP_SECONDS)


def _describe_exit(process: BaseProcess) -> str:
    code = process.exitcode
    if code is None:
        return "still running"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _worker_main(connection: Connection, functions: WorkerFunctions, inherited: list[int]) -> None:
    """Serve tasks over ``connection`` until the parent sends None or goes away.

    ``inherited`` lists the descriptors of the parent's pipe ends that a
    forked worker has copies of. They are closed first.
    """
    for fd in inherited:
        try:
            os.close(fd)
        except OSError:
            pass
    # Ctrl-C reaches the whole process group; the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        info = functions.initializer(functions.setup)
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which raises it
        detail = str(error) if isinstance(error, AutograderError) else traceback.format_exc()
        connection.send(("failed", (type(error).__name__, detail)))
        return
    connection.send(("ready", info))
    try:
        while True:
            try:
                message = connection.recv()
            except (EOFError, OSError):
                return
            if message is None:
                return
            index, task = message
            try:
                reply = (index, "ok", functions.handler(task))
            except Exception:  # noqa: BLE001 - one task's bug must not stop the worker
                reply = (index, "raised", traceback.format_exc())
            try:
                connection.send(reply)
            except (BrokenPipeError, ConnectionResetError):
                return  # The parent is gone, so nobody waits for this result.
            except Exception:  # noqa: BLE001 - a value that cannot be pickled fails its task only
                connection.send((index, "raised", traceback.format_exc()))
    finally:
        functions.finalizer()
