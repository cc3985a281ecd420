"""The inputs and outcomes of one run of student code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

CallStatus = Literal["ok", "error", "timeout", "memory", "crash", "output_invalid", "not_run"]
ImportStatus = Literal[
    "ok",
    "missing_module",
    "syntax_error",
    "exception",
    "timeout",
    "memory",
    "crash",
    "output_invalid",
    "not_run",
]

FILE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")
MODULE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")


@dataclass(frozen=True)
class CodeFile:
    """A file of the submission, written into the sandbox's work folder.

    ``name`` is a bare file name (letters, digits, ``_``, ``.`` and ``-``, not
    starting with a dot); use ``is_valid_name`` to filter names that come from
    a student's folder before building a ``CodeFile``.
    """

    name: str
    text: str

    def __post_init__(self) -> None:
        if not self.is_valid_name(self.name):
            raise ValueError(f"invalid sandbox file name {self.name!r}: use a bare name such as 'hw07.py'")

    @staticmethod
    def is_valid_name(name: str) -> bool:
        return bool(FILE_NAME.match(name)) and ".." not in name


@dataclass(frozen=True)
class Call:
    """One call of a student function with positional arguments.

    ``seconds`` overrides the run's ``call_seconds`` for this call.
    """

    function: str
    args: tuple[Any, ...]
    seconds: float | None = None


@dataclass(frozen=True)
class CallOutcome:
    """What one call produced.

    ``value`` is set only for status ``ok``: decoded plain data (None, bool,
    int, float, str, list, tuple or numpy array). ``message`` is written for the
    student. ``exception`` is the name of the exception type, and
    ``traceback`` contains only the frames in the student's own files.
    """

    status: CallStatus
    value: Any = None
    message: str = ""
    exception: str | None = None
    traceback: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class ImportOutcome:
    """Whether the module imported, and which requested functions it lacks."""

    status: ImportStatus
    message: str = ""
    exception: str | None = None
    traceback: str = ""
    missing_functions: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class RunResult:
    """The outcome of one run: the import, one ``CallOutcome`` per call, in
    order, and the captured stdout and stderr (cut at the output limit with a
    note)."""

    import_outcome: ImportOutcome
    outcomes: tuple[CallOutcome, ...]
    output: str = ""
    output_truncated: bool = False
    restarts: int = 0
    notes: tuple[str, ...] = field(default=())
