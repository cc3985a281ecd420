"""Progress of a batch: a live bar on a terminal, plain lines in a log, or nothing."""

from __future__ import annotations

import time
from typing import IO, Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

PLAIN_INTERVAL_SECONDS = 10.0
PLAIN_STEPS = 10


class ProgressReporter(Protocol):
    """Receives the phases of a batch and the items finished in each.

    ``failed`` marks the items as failures, which the reporter counts.
    """

    def start_phase(self, label: str, total: int) -> None: ...

    def advance(self, count: int = 1, *, failed: bool = False) -> None: ...

    def finish_phase(self) -> None: ...

    def close(self) -> None: ...


class SilentProgress:
    """Reports nothing, for ``--quiet`` and for library callers."""

    def start_phase(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int = 1, *, failed: bool = False) -> None:
        pass

    def finish_phase(self) -> None:
        pass

    def close(self) -> None:
        pass


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f}/s" if speed else "-/s", style="progress.data.speed")


class _FailedColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        failed = int(task.fields.get("failed", 0))
        return Text(f"{failed} failed", style="red" if failed else "dim")


class BarProgress:
    """A rich progress bar per phase: count, rate, time left and failures so far."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description}", style="bold"),
            BarColumn(),
            MofNCompleteColumn(),
            _RateColumn(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            _FailedColumn(),
            console=console,
        )
        self._started = False
        self._task: TaskID | None = None
        self._failed = 0

    def start_phase(self, label: str, total: int) -> None:
        # The bar's refresh thread starts only now, after the batch has
        # forked its worker processes.
        if not self._started:
            self._progress.start()
            self._started = True
        self._failed = 0
        self._task = self._progress.add_task(label, total=total, failed=0)

    def advance(self, count: int = 1, *, failed: bool = False) -> None:
        if self._task is None:
            return
        if failed:
            self._failed += count
        self._progress.update(self._task, advance=count, failed=self._failed)

    def finish_phase(self) -> None:
        if self._task is not None:
            self._progress.refresh()
        self._task = None

    def close(self) -> None:
        self._progress.stop()


class PlainProgress:
    """Plain lines for logs and CI output: one per tenth of a phase, at least every 10 s, and one at its end.

    Phases of fewer than 20 items get only the closing line (unless they take
    longer than 10 s), and empty phases get none.
    """

    def __init__(self, stream: IO[str], *, interval: float = PLAIN_INTERVAL_SECONDS) -> None:
        self._stream = stream
        self._interval = interval
        self._label = ""
        self._total = 0
        self._done = 0
        self._failed = 0
        self._started = 0.0
        self._last_line = 0.0
        self._next_step = 0

    def start_phase(self, label: str, total: int) -> None:
        self._label = label
        self._total = total
        self._done = 0
        self._failed = 0
        self._started = self._last_line = time.monotonic()
        self._next_step = max(1, total // PLAIN_STEPS)

    def advance(self, count: int = 1, *, failed: bool = False) -> None:
        self._done += count
        if failed:
            self._failed += count
        now = time.monotonic()
        if self._total < 2 * PLAIN_STEPS and now - self._last_line < self._interval:
            return
        if self._done >= self._next_step or now - self._last_line >= self._interval:
            if self._done < self._total:
                self._write(self._line(now))
            self._last_line = now
            while self._next_step <= self._done:
                self._next_step += max(1, self._total // PLAIN_STEPS)

    def finish_phase(self) -> None:
        if self._total == 0:
            return
        elapsed = time.monotonic() - self._started
        failed = f", {self._failed} failed" if self._failed else ""
        self._write(f"{self._label}: {self._done} done in {elapsed:.1f} s{failed}")

    def close(self) -> None:
        pass

    def _line(self, now: float) -> str:
        elapsed = max(now - self._started, 1e-9)
        rate = self._done / elapsed
        left = (self._total - self._done) / rate if rate > 0 else float("inf")
        share = 100 * self._done / self._total if self._total else 100
        return (
            f"{self._label}: {self._done}/{self._total} ({share:.0f}%), {rate:.1f}/s, "
            f"{self._failed} failed, about {_duration(left)} left"
        )

    def _write(self, line: str) -> None:
        self._stream.write(f"autograder: {line}\n")
        self._stream.flush()


def _duration(seconds: float) -> str:
    if seconds == float("inf"):
        return "an unknown time"
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def progress_for(console: Console, *, quiet: bool) -> ProgressReporter:
    """Choose the reporter: nothing when quiet, a bar on a terminal, plain lines otherwise."""
    if quiet:
        return SilentProgress()
    if console.is_terminal:
        return BarProgress(console)
    return PlainProgress(console.file)
