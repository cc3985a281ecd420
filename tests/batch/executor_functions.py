"""Worker functions for the executor tests, importable by name in spawned processes."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from autograder.errors import SpecError


def initialize(setup: Any) -> int:
    if setup == "spec error":
        raise SpecError("the spec changed after the batch started")
    if setup == "bug":
        raise ValueError("broken initializer")
    return os.getpid()


def handle(task: tuple[str, Any]) -> Any:
    kind, value = task
    if kind == "square":
        return value * value
    if kind == "raise":
        raise ValueError(f"task {value} is broken")
    if kind == "exit":
        os._exit(3)
    if kind == "exit once":
        marker = Path(value)
        if not marker.exists():
            marker.write_text("died once\n", encoding="utf-8")
            os._exit(3)
        return "survived"
    if kind == "sleep":
        time.sleep(value)
        return value
    if kind == "pid":
        return os.getpid()
    raise AssertionError(f"unknown task kind {kind!r}")


def shutdown() -> None:
    pass
