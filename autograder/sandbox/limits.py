"""Resource limits for one run of student code, and their defaults."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from autograder.spec import Limits


@dataclass(frozen=True)
class SandboxLimits:
    """Resource limits applied to the process that runs one submission.

    Wall-clock limits are enforced by the grader. The others are kernel limits
    set inside the child before student code runs, so they hold whatever the
    student does. ``cpu_seconds`` and ``memory_mb`` apply to the whole worker
    process (Python and numpy included, about 100 MB of address space), not to
    one call. A restarted child gets a fresh CPU budget.
    """

    call_seconds: float = 5.0
    """Maximum wall-clock time of one call, and of importing the module."""
    submission_seconds: float = 60.0
    """Maximum wall-clock time of a whole run: import, every call and restarts."""
    cpu_seconds: float = 30.0
    """Maximum CPU time of one worker process (RLIMIT_CPU)."""
    memory_mb: int = 512
    """Maximum address space of the worker process in MiB (RLIMIT_AS)."""
    processes: int = 1
    """Maximum number of processes; 1 means the student code may not fork."""
    file_size_mb: int = 16
    """Maximum size of one file the student code writes, in MiB (RLIMIT_FSIZE); 0 forbids writing."""
    disk_mb: int = 64
    """Size in MiB of the private temporary file system (sandbox runner only)."""
    open_files: int = 64
    """Maximum number of open file descriptors (RLIMIT_NOFILE)."""
    output_kb: int = 64
    """Captured stdout and stderr kept per run, in KiB; the rest is cut with a note."""
    result_mb: int = 16
    """Maximum size of one encoded message from the worker, in MiB."""

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            minimum_ok = value >= 0 if field.name == "file_size_mb" else value > 0
            if not minimum_ok:
                raise ValueError(f"sandbox limit {field.name} must be positive, got {value!r}")
        if self.open_files < 8:
            raise ValueError(f"sandbox limit open_files must be at least 8, got {self.open_files}")

    @classmethod
    def from_spec(cls, *layers: Limits | None) -> SandboxLimits:
        """Build limits from spec ``Limits``, where earlier layers take precedence.

        A field that is ``None`` in every layer keeps the default of this class,
        so ``from_spec(part.limits, spec_limits)`` lets a part override its spec.
        """
        values: dict[str, float | int] = {}
        for field in dataclasses.fields(cls):
            for layer in layers:
                value = getattr(layer, field.name, None) if layer is not None else None
                if value is not None:
                    values[field.name] = value
                    break
        return cls(**values)

    def widest(self, other: SandboxLimits) -> SandboxLimits:
        """Return the field-by-field maximum, for several parts graded in one run."""
        values = {
            field.name: max(getattr(self, field.name), getattr(other, field.name))
            for field in dataclasses.fields(self)
        }
        return SandboxLimits(**values)

    def to_worker(self) -> dict[str, float | int]:
        """Return the limits that the worker applies, as plain data."""
        return {
            "cpu_seconds": self.cpu_seconds,
            "memory_bytes": self.memory_mb * 1024 * 1024,
            "processes": self.processes,
            "file_size_bytes": self.file_size_mb * 1024 * 1024,
            "disk_bytes": self.disk_mb * 1024 * 1024,
            "open_files": self.open_files,
            "result_bytes": self.result_mb * 1024 * 1024,
        }
