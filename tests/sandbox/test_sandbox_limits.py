"""Sandbox limits: defaults, spec layers and validation."""

from __future__ import annotations

import pytest

from autograder.sandbox import SandboxLimits
from autograder.spec import Limits


def test_from_spec_prefers_earlier_layers() -> None:
    part = Limits(call_seconds=2)
    spec = Limits(call_seconds=9, memory_mb=128)
    limits = SandboxLimits.from_spec(part, spec)
    assert limits.call_seconds == 2
    assert limits.memory_mb == 128
    assert limits.cpu_seconds == SandboxLimits().cpu_seconds


def test_from_spec_without_layers_keeps_defaults() -> None:
    assert SandboxLimits.from_spec(None, Limits()) == SandboxLimits()


def test_widest_takes_each_maximum() -> None:
    first = SandboxLimits(call_seconds=1, memory_mb=1024)
    second = SandboxLimits(call_seconds=3, memory_mb=256)
    widest = first.widest(second)
    assert widest.call_seconds == 3
    assert widest.memory_mb == 1024


def test_file_size_may_be_zero() -> None:
    assert SandboxLimits(file_size_mb=0).to_worker()["file_size_bytes"] == 0


@pytest.mark.parametrize(
    "arguments",
    [{"call_seconds": 0}, {"memory_mb": -1}, {"open_files": 4}, {"file_size_mb": -1}],
)
def test_invalid_limits_raise(arguments: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        SandboxLimits(**arguments)


def test_to_worker_converts_units() -> None:
    worker = SandboxLimits(memory_mb=2, disk_mb=3, result_mb=1).to_worker()
    assert worker["memory_bytes"] == 2 * 1024 * 1024
    assert worker["disk_bytes"] == 3 * 1024 * 1024
    assert worker["result_bytes"] == 1024 * 1024


def _nproc_after_apply_rlimits(processes: int) -> int:
    """Apply the worker's rlimits in a forked child and report its RLIMIT_NPROC soft limit."""
    import os
    import resource

    from autograder.sandbox import isolation

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            # A large address space: the test process may already map more than the default.
            limits = SandboxLimits(processes=processes, memory_mb=1_000_000).to_worker()
            isolation.apply_rlimits(limits, limit_processes=True)
            os.write(write_end, str(resource.getrlimit(resource.RLIMIT_NPROC)[0]).encode())
        except BaseException as error:  # noqa: BLE001 - reported to the parent through the pipe
            os.write(write_end, repr(error).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    with os.fdopen(read_end) as handle:
        reply = handle.read()
    assert reply.lstrip("-").isdigit(), reply
    return int(reply)


def test_one_process_leaves_nproc_to_seccomp() -> None:
    # RLIMIT_NPROC counts threads and, for a grader that is not root, every
    # process of its user, so a limit of 1 would forbid the threads that
    # seccomp allows.
    import resource

    assert _nproc_after_apply_rlimits(1) == resource.getrlimit(resource.RLIMIT_NPROC)[0]


def test_more_processes_set_nproc() -> None:
    import resource

    assert resource.getrlimit(resource.RLIMIT_NPROC)[0] != 4
    assert _nproc_after_apply_rlimits(4) == 4
