"""The worker pool: results, raised errors, dead workers, the watchdog and start failures."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from autograder.batch.executor import WorkerFunctions, WorkerPool
from autograder.errors import SpecError

from . import executor_functions


def pool(jobs: int, setup: object = None, *, task_seconds: float = 60.0) -> WorkerPool:
    functions = WorkerFunctions(
        executor_functions.initialize, executor_functions.handle, executor_functions.shutdown, setup
    )
    return WorkerPool(jobs, functions, start_method="spawn", task_seconds=task_seconds)


@pytest.mark.parametrize("jobs", [1, 2])
def test_pool_returns_every_value(jobs):
    with pool(jobs) as workers:
        workers.start()
        outcomes = list(workers.run(("square", number) for number in range(20)))
    assert sorted(outcome.index for outcome in outcomes) == list(range(20))
    assert all(outcome.failure is None for outcome in outcomes)
    assert {outcome.index: outcome.value for outcome in outcomes} == {number: number * number for number in range(20)}


def test_pool_spreads_tasks_over_workers():
    with pool(2) as workers:
        pids = set(workers.start())
        outcomes = list(workers.run([("sleep", 0.2)] * 4 + [("pid", None)] * 8))
    assert len(pids) == 2
    seen = {outcome.value for outcome in outcomes if outcome.task[0] == "pid"}
    assert seen <= pids


def test_raised_error_costs_one_task():
    with pool(2) as workers:
        workers.start()
        outcomes = {outcome.index: outcome for outcome in workers.run([("square", 3), ("raise", 1), ("square", 4)])}
    assert outcomes[0].value == 9
    assert outcomes[2].value == 16
    failure = outcomes[1].failure
    assert failure is not None
    assert failure.kind == "raised"
    assert "task 1 is broken" in failure.message


def test_worker_death_is_retried_once(tmp_path):
    marker = tmp_path / "died"
    with pool(1) as workers:
        workers.start()
        outcomes = list(workers.run([("exit once", str(marker)), ("square", 5)]))
    by_index = {outcome.index: outcome for outcome in outcomes}
    assert marker.exists()
    assert by_index[0].failure is None
    assert by_index[0].value == "survived"
    assert by_index[1].value == 25


def test_worker_dying_twice_fails_only_its_task():
    with pool(2) as workers:
        workers.start()
        outcomes = {outcome.index: outcome for outcome in workers.run([("exit", None), ("square", 2), ("square", 3)])}
        after = list(workers.run([("square", 6)]))
    failure = outcomes[0].failure
    assert failure is not None
    assert failure.kind == "died"
    assert "exit code 3" in failure.message
    assert outcomes[1].value == 4
    assert outcomes[2].value == 9
    assert after[0].value == 36


def test_watchdog_kills_a_hung_task():
    with pool(1, task_seconds=1.0) as workers:
        first = workers.start()
        outcomes = {outcome.index: outcome for outcome in workers.run([("sleep", 30), ("pid", None)])}
    failure = outcomes[0].failure
    assert failure is not None
    assert failure.kind == "timed out"
    assert outcomes[1].value not in first


def test_user_error_at_start_is_raised_as_is():
    with pytest.raises(SpecError, match="the spec changed"):
        with pool(2, "spec error") as workers:
            workers.start()


def test_bug_at_start_shows_the_traceback():
    with pytest.raises(RuntimeError, match="broken initializer"):
        with pool(1, "bug") as workers:
            workers.start()


def test_run_before_start_is_an_error():
    workers = pool(1)
    with pytest.raises(RuntimeError, match="start the pool"):
        list(workers.run([("square", 1)]))


def test_tasks_are_drawn_lazily():
    drawn: list[int] = []

    def tasks():
        for number in range(10):
            drawn.append(number)
            yield ("square", number)

    with pool(1) as workers:
        workers.start()
        iterator = workers.run(tasks())
        next(iterator)
        assert len(drawn) <= 2
        rest = list(iterator)
    assert len(rest) == 9


def test_close_stops_every_worker(tmp_path: Path):
    workers = pool(2)
    workers.start()
    processes = [worker.process for worker in workers._workers]
    workers.close()
    assert all(not process.is_alive() for process in processes)


def test_idle_worker_death_is_replaced():
    with pool(1) as workers:
        (pid,) = workers.start()
        os.kill(pid, signal.SIGKILL)
        workers._workers[0].process.join(10)
        outcomes = list(workers.run([("pid", None), ("square", 7)]))
    assert outcomes[0].failure is None
    assert outcomes[0].value != pid
    assert outcomes[1].value == 49


def test_next_task_sent_before_result_handled():
    with pool(1) as workers:
        workers.start()
        iterator = workers.run([("square", 2), ("square", 3), ("square", 4)])
        first = next(iterator)
        waiting = [assignment.index for assignment in workers._workers[0].assignments]
        rest = list(iterator)
    assert first.value == 4
    assert waiting == [1]
    assert [outcome.value for outcome in rest] == [9, 16]


def test_tasks_waiting_behind_a_dying_task_still_run():
    with pool(1) as workers:
        workers.start()
        outcomes = {outcome.index: outcome for outcome in workers.run([("exit", None), ("square", 6), ("square", 7)])}
    failure = outcomes[0].failure
    assert failure is not None
    assert failure.kind == "died"
    assert outcomes[1].value == 36
    assert outcomes[2].value == 49
