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
