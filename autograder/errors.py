"""Exceptions raised by autograder, addressed to the person who can fix them.

Student mistakes are not exceptions: a wrong or unreadable answer becomes a part
result with a status and feedback. Exceptions are for broken specs, unusable
command-line input, a missing sandbox, and bugs.

    AutograderError
    ├── UsageError              bad command-line input (a path that does not exist)
    ├── SpecError               a problem spec that cannot be loaded or is invalid
    │   └── ReferenceError_     the reference module is missing, broken or incomplete
    ├── SubmissionError         a submission that cannot be opened at all
    └── SandboxError            no working sandbox, or the sandbox itself failed
        └── SandboxUnavailable  bubblewrap is missing or cannot create namespaces
"""

from __future__ import annotations

from pathlib import Path


class AutograderError(Exception):
    """Root of the errors that autograder reports as one clean line."""


class UsageError(AutograderError):
    """Invalid command-line input."""


class SpecError(AutograderError):
    """A problem spec that cannot be loaded or fails validation.

    The message names the file, the line (when known) and the part (when the
    error belongs to one), so that the author can go straight to it.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        part: str | None = None,
    ) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.part = part
        super().__init__(self.describe())

    def describe(self) -> str:
        location = ""
        if self.path is not None:
            location = str(self.path)
            if self.line is not None:
                location += f":{self.line}"
            location += ": "
        part = f"part {self.part}: " if self.part else ""
        return f"{location}{part}{self.message}"


class ReferenceError_(SpecError):
    """The reference module named by a spec is missing, broken or incomplete.

    The trailing underscore keeps the name apart from Python's built-in
    ``ReferenceError``, which is about weak references.
    """


class SubmissionError(AutograderError):
    """A submission that cannot be opened at all (not a folder or zip file)."""


class SandboxError(AutograderError):
    """The sandbox failed in a way that is not the student's fault."""


class SandboxUnavailable(SandboxError):
    """No working bubblewrap sandbox on this machine."""
