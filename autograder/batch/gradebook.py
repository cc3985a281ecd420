"""The gradebook: a SQLite file that records every graded submission, so a batch can resume.

One row per (assignment, submission) stores the content hash, the spec
fingerprint, notes and any whole-submission error. One row per (assignment,
submission, part) stores the part's result and the fingerprint of the part it
was graded against. A submission's rows are written in one transaction, so a
run killed at any moment (SIGKILL included) leaves each submission either
fully recorded or not at all. The primary keys make a rerun replace rows
instead of adding duplicates.

The database runs in WAL mode with ``synchronous=NORMAL``: a committed
transaction survives the grader being killed, because it is in the
operating system's hands, but the last few may be lost if the machine loses
power. They are then regraded on the next run.

Only the parent process of a batch writes. Other programs may read the file
while a batch runs.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import logging
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from autograder.batch.encoded import part_from_text, part_text
from autograder.batch.plan import StoredSubmission
from autograder.errors import UsageError
from autograder.results import PartResult, SubmissionResult

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 10_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS gradebook_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
    assignment TEXT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    spec_fingerprint TEXT NOT NULL,
    layout_key TEXT NOT NULL,
    error TEXT,
    notes TEXT NOT NULL,
    failure TEXT,
    seconds REAL NOT NULL,
    graded_at TEXT NOT NULL,
    PRIMARY KEY (assignment, name)
);
CREATE TABLE IF NOT EXISTS part_results (
    assignment TEXT NOT NULL,
    name TEXT NOT NULL,
    part_id TEXT NOT NULL,
    part_fingerprint TEXT NOT NULL,
    result TEXT NOT NULL,
    PRIMARY KEY (assignment, name, part_id),
    FOREIGN KEY (assignment, name) REFERENCES submissions (assignment, name) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assignment TEXT NOT NULL,
    spec_path TEXT NOT NULL,
    spec_fingerprint TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    submissions INTEGER NOT NULL,
    graded INTEGER,
    reused INTEGER,
    failed INTEGER
);
"""


@dataclass(frozen=True)
class GradedSubmission:
    """One freshly graded submission, as the gradebook records it.

    ``graded_parts`` is None when every part was graded, so that rows of
    other parts are dropped, or the ids of the parts regraded. ``failure`` is
    the reason when grading failed through no fault of the student. Such a
    row is retried on the next run.
    """

    name: str
    source: str
    content_hash: str
    result: SubmissionResult
    graded_parts: tuple[str, ...] | None
    seconds: float
    failure: str | None = None
    # The JSON text of each part of ``result``, when the worker sent them.
    part_texts: tuple[str, ...] | None = None


@dataclass(frozen=True)
class StoredResult:
    """A submission's recorded result, with how long grading took and any failure."""

    result: SubmissionResult
    seconds: float
    failure: str | None


class Gradebook:
    """An open gradebook file; use it as a context manager, from one thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except (sqlite3.Error, OSError) as error:
            raise UsageError(f"cannot open the gradebook {path}: {error}; choose another file with --gradebook") from None
        try:
            self._configure()
        except sqlite3.DatabaseError as error:
            self._connection.close()
            raise UsageError(
                f"{path} is not a usable gradebook ({error}); move it away or choose another file with --gradebook"
            ) from None

    def _configure(self) -> None:
        connection = self._connection
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        with self._transaction():
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    connection.execute(statement)
            row = connection.execute("SELECT value FROM gradebook_meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                connection.execute(
                    "INSERT INTO gradebook_meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
                )
            elif int(row[0]) != SCHEMA_VERSION:
                raise UsageError(
                    f"{self.path} has gradebook schema version {row[0]}, but this autograder reads version "
                    f"{SCHEMA_VERSION}; use a new file with --gradebook"
                )

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block in one write transaction, rolled back if it raises."""
        connection = self._connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    # Reading

    def stored_submissions(
        self, assignment: str, part_fingerprints: Mapping[str, str]
    ) -> dict[str, StoredSubmission]:
        """Return what is recorded for each submission of ``assignment``, by name.

        The comparison of part fingerprints happens in SQL, so the parent
        keeps one small record per submission in memory, not one per part.
        """
        connection = self._connection
        with self._transaction():
            connection.execute("CREATE TEMP TABLE IF NOT EXISTS current_parts (part_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL)")
            connection.execute("DELETE FROM current_parts")
            connection.executemany(
                "INSERT INTO current_parts (part_id, fingerprint) VALUES (?, ?)", sorted(part_fingerprints.items())
            )
            stale: dict[str, set[str]] = {}
            for name, part_id in connection.execute(
                """
                SELECT s.name, c.part_id
                FROM submissions AS s
                CROSS JOIN current_parts AS c
                LEFT JOIN part_results AS p
                    ON p.assignment = s.assignment AND p.name = s.name AND p.part_id = c.part_id
                WHERE s.assignment = ?
                    AND (p.part_fingerprint IS NULL OR p.part_fingerprint != c.fingerprint)
                """,
                (assignment,),
            ):
                stale.setdefault(name, set()).add(part_id)
            stored = {
                name: StoredSubmission(
                    content_hash=content_hash,
                    layout_key=layout,
                    final=failure is None,
                    stale_parts=frozenset(stale.get(name, ())),
                )
                for name, content_hash, layout, failure in connection.execute(
                    "SELECT name, content_hash, layout_key, failure FROM submissions WHERE assignment = ?",
                    (assignment,),
                )
            }
        return stored

    def result(self, assignment: str, name: str, part_ids: Sequence[str]) -> StoredResult | None:
        """Return the stored result of one submission, with its parts in ``part_ids`` order.

        Rows of parts that are no longer in the spec are left out.
        """
        row = self._connection.execute(
            "SELECT error, notes, seconds, failure FROM submissions WHERE assignment = ? AND name = ?",
            (assignment, name),
        ).fetchone()
        if row is None:
            return None
        error, notes, seconds, failure = row
        stored = {
            part_id: part_from_text(text)
            for part_id, text in self._connection.execute(
                "SELECT part_id, result FROM part_results WHERE assignment = ? AND name = ?", (assignment, name)
            )
        }
        parts = tuple(stored[part_id] for part_id in part_ids if part_id in stored)
        result = SubmissionResult(submission=name, parts=parts, error=error, notes=tuple(json.loads(notes)))
        return StoredResult(result, seconds, failure)

    # Writing

    def record(
        self,
        assignment: str,
        graded: GradedSubmission,
        *,
        spec_fingerprint: str,
        layout: str,
        part_fingerprints: Mapping[str, str],
    ) -> None:
        """Record one graded submission in one transaction, replacing what it supersedes."""
        result = graded.result
        with self._transaction() as connection:
            connection.execute(
                """
                INSERT INTO submissions (
                    assignment, name, source, content_hash, spec_fingerprint, layout_key,
                    error, notes, failure, seconds, graded_at
                ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (assignment, name) DO UPDATE SET
                    source = excluded.source,
                    content_hash = excluded.content_hash,
                    spec_fingerprint = excluded.spec_fingerprint,
                    layout_key = excluded.layout_key,
                    error = excluded.error,
                    notes = excluded.notes,
                    failure = excluded.failure,
                    seconds = excluded.seconds,
                    graded_at = excluded.graded_at
                """,
                (
                    assignment,
                    graded.name,
                    graded.source,
                    graded.content_hash,
                    spec_fingerprint,
                    layout,
                    result.error,
                    json.dumps(list(result.notes), ensure_ascii=False),
                    graded.failure,
                    graded.seconds,
                    _now(),
                ),
            )
            if graded.graded_parts is None:
                connection.execute(
                    "DELETE FROM part_results WHERE assignment = ? AND name = ?", (assignment, graded.name)
                )
            connection.executemany(
                """
                INSERT INTO part_results (assignment, name, part_id, part_fingerprint, result)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (assignment, name, part_id) DO UPDATE SET
                    part_fingerprint = excluded.part_fingerprint,
                    result = excluded.result
                """,
                [
                    (
                        assignment,
                        graded.name,
                        part.id,
                        part_fingerprints[part.id],
                        text,
                    )
                    for part, text in zip(result.parts, graded.part_texts or map(part_text, result.parts))
                ],
            )

    def start_run(self, assignment: str, spec_path: Path, spec_fingerprint: str, submissions: int) -> int:
        with self._transaction() as connection:
            cursor = connection.execute(
                """
                INSERT INTO runs (assignment, spec_path, spec_fingerprint, started_at, submissions)
                VALUES (?, ?, ?, ?, ?)
                """,
                (assignment, str(spec_path), spec_fingerprint, _now(), submissions),
            )
            run_id = cursor.lastrowid
        assert run_id is not None
        return run_id

    def finish_run(self, run_id: int, *, graded: int, reused: int, failed: int) -> None:
        with self._transaction() as connection:
            connection.execute(
                "UPDATE runs SET finished_at = ?, graded = ?, reused = ?, failed = ? WHERE id = ?",
                (_now(), graded, reused, failed, run_id),
            )

    def counts(self, assignment: str) -> dict[str, Any]:
        """Return row counts for ``assignment``, for tests and diagnostics."""
        connection = self._connection
        submissions = connection.execute(
            "SELECT COUNT(*) FROM submissions WHERE assignment = ?", (assignment,)
        ).fetchone()[0]
        parts = connection.execute(
            "SELECT COUNT(*) FROM part_results WHERE assignment = ?", (assignment,)
        ).fetchone()[0]
        return {"submissions": submissions, "part_results": parts}


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
