"""Writing a batch's outputs: atomic files fed one result at a time, in submission order.

Held as objects, the results of 10,000 homework-7 submissions take about
240 MB (measured with tracemalloc), so each output is a sink that takes one
``SubmissionResult`` at a time and writes it out. Files are written to a temporary sibling and renamed into
place on ``commit``, so a reader never sees half a file and an interrupted
run leaves the previous file as it was. Given the same results in the same
order, every sink writes the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import stat
import tempfile
from pathlib import Path
from typing import IO, Protocol

from rich.console import Console

from autograder.batch.feedback import feedback_file_names, feedback_markdown
from autograder.batch.gradescope import Visibility, gradescope_json
from autograder.errors import UsageError
from autograder.loader import ProblemSet
from autograder.reports import add_results_row, empty_results_table, gradebook_header, gradebook_row
from autograder.results import SubmissionResult

logger = logging.getLogger(__name__)

TABLE_WIDTH = 120


class AtomicFile:
    """A text file written under a temporary name and renamed to ``path`` on commit.

    A path that already names something other than a regular file, such as
    ``/dev/null``, ``/dev/stdout`` or a named pipe, is written to directly,
    because renaming over it would replace the device or pipe with a file. A
    symbolic link is kept, and the file it points to is replaced.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._temporary: Path | None = None
        try:
            status = os.stat(path)
        except FileNotFoundError:
            status = None
        except OSError as error:
            raise UsageError(f"cannot write {path}: {error}") from None
        try:
            if status is not None and not stat.S_ISREG(status.st_mode):
                self.handle: IO[str] = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
                return
            target = path.resolve() if path.is_symlink() else path
            target.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        except OSError as error:
            raise UsageError(f"cannot write {path}: {error}") from None
        self._target = target
        self._temporary = Path(temporary)
        self.handle = os.fdopen(descriptor, "w", encoding="utf-8", newline="")

    def commit(self) -> None:
        """Flush the file to disk and move it into place."""
        self.handle.flush()
        if self._temporary is None:
            self.handle.close()
            logger.info("wrote %s", self.path)
            return
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.chmod(self._temporary, 0o644)
        os.replace(self._temporary, self._target)
        logger.info("wrote %s", self.path)

    def discard(self) -> None:
        if not self.handle.closed:
            self.handle.close()
        if self._temporary is not None:
            self._temporary.unlink(missing_ok=True)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    target = AtomicFile(path)
    try:
        target.handle.write(text)
    except BaseException:
        target.discard()
        raise
    target.commit()


class ResultSink(Protocol):
    """An output that takes the batch's results one at a time, sorted by submission name."""

    def add(self, result: SubmissionResult) -> None: ...

    def commit(self) -> None: ...

    def discard(self) -> None: ...


class _Target:
    """Standard output, or an ``AtomicFile`` when a path is given."""

    def __init__(self, path: Path | None, stream: IO[str] | None) -> None:
        self.file = AtomicFile(path) if path is not None else None
        stream_or_file = self.file.handle if self.file is not None else stream
        if stream_or_file is None:
            raise ValueError("give a path or a stream")
        self.stream: IO[str] = stream_or_file

    def commit(self) -> None:
        if self.file is not None:
            self.file.commit()
        else:
            self.stream.flush()

    def discard(self) -> None:
        if self.file is not None:
            self.file.discard()


class JsonSink:
    """The results as one JSON array, byte for byte what ``reports.results_json`` returns."""

    def __init__(self, path: Path | None, stream: IO[str] | None = None) -> None:
        self._target = _Target(path, stream)
        self._count = 0

    def add(self, result: SubmissionResult) -> None:
        text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
        indented = "\n".join("  " + line for line in text.split("\n"))
        self._target.stream.write(("[\n" if self._count == 0 else ",\n") + indented)
        self._count += 1

    def commit(self) -> None:
        self._target.stream.write("\n]\n" if self._count else "[]\n")
        self._target.commit()

    def discard(self) -> None:
        self._target.discard()


class CsvSink:
    """The gradebook CSV, byte for byte what ``reports.gradebook_csv`` returns."""

    def __init__(self, problem_set: ProblemSet, path: Path | None, stream: IO[str] | None = None) -> None:
        self._target = _Target(path, stream)
        self._part_ids = [part.id for part in problem_set.parts]
        self._writer = csv.writer(self._target.stream, lineterminator="\n")
        self._writer.writerow(gradebook_header(self._part_ids))

    def add(self, result: SubmissionResult) -> None:
        self._writer.writerow(gradebook_row(result, self._part_ids))

    def commit(self) -> None:
        self._target.commit()

    def discard(self) -> None:
        self._target.discard()


class TableSink:
    """The table of ``reports.results_table``, built row by row.

    Only the row cells are kept, not the results. Printed to a file, the table
    is 120 columns wide; printed to a terminal, it takes the terminal's width.
    """

    def __init__(self, problem_set: ProblemSet, path: Path | None, console: Console | None = None) -> None:
        self._problem_set = problem_set
        self._path = path
        self._console = console
        self._table = empty_results_table(problem_set)

    def add(self, result: SubmissionResult) -> None:
        add_results_row(self._table, result, self._problem_set)

    def commit(self) -> None:
        if self._path is None:
            console = self._console or Console(soft_wrap=False)
            console.print(self._table)
            return
        buffer = io.StringIO()
        Console(record=True, width=TABLE_WIDTH, file=buffer).print(self._table)
        write_atomic(self._path, buffer.getvalue())

    def discard(self) -> None:
        pass


class FeedbackSink:
    """One Markdown feedback file per submission in ``folder``, each written atomically.

    File names come from ``feedback_file_names``, computed for the whole
    batch up front so that two students never share a file.
    """

    def __init__(self, problem_set: ProblemSet, folder: Path, names: list[str]) -> None:
        self._problem_set = problem_set
        self._folder = folder
        self._file_names = feedback_file_names(names)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UsageError(f"cannot create the feedback folder {folder}: {error}") from None

    def add(self, result: SubmissionResult) -> None:
        write_atomic(self._folder / self._file_names[result.submission], feedback_markdown(result, self._problem_set))

    def commit(self) -> None:
        logger.info("wrote %d feedback files to %s", len(self._file_names), self._folder)

    def discard(self) -> None:
        pass


class GradescopeSink:
    """Gradescope's results.json for the one submission of the batch."""

    def __init__(self, problem_set: ProblemSet, path: Path, visibility: Visibility) -> None:
        self._problem_set = problem_set
        self._path = path
        self._visibility = visibility
        self._results: list[SubmissionResult] = []

    def add(self, result: SubmissionResult) -> None:
        self._results.append(result)
        if len(self._results) > 1:
            raise UsageError("Gradescope's results.json describes one submission, but the batch has several")

    def commit(self) -> None:
        if not self._results:
            raise UsageError("Gradescope's results.json needs one submission, but the batch has none")
        write_atomic(self._path, gradescope_json(self._results[0], self._problem_set, self._visibility))

    def discard(self) -> None:
        pass
