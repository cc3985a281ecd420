"""The SQLite gradebook: recording, replacing, partial updates and stale parts."""

from __future__ import annotations

import sqlite3

import pytest

from autograder.batch.gradebook import Gradebook, GradedSubmission
from autograder.errors import UsageError
from autograder.results import PartResult, SubmissionResult

FINGERPRINTS = {"1": "f1", "2": "f2", "3": "f3"}


def result(name: str, scores: dict[str, float], *, notes: tuple[str, ...] = (), error: str | None = None) -> SubmissionResult:
    parts = tuple(PartResult(part_id, score, 1.0, "correct" if score else "incorrect", "Feedback.") for part_id, score in scores.items())
    return SubmissionResult(submission=name, parts=parts, error=error, notes=notes)


def graded(name: str, scores: dict[str, float], *, parts: tuple[str, ...] | None = None, content: str = "c1", failure: str | None = None, notes: tuple[str, ...] = ()) -> GradedSubmission:
    return GradedSubmission(
        name=name,
        source=f"/class/{name}",
        content_hash=content,
        result=result(name, scores, notes=notes),
        graded_parts=parts,
        seconds=0.5,
        failure=failure,
    )


def record(gradebook: Gradebook, submission: GradedSubmission, fingerprints: dict[str, str] = FINGERPRINTS) -> None:
    gradebook.record("hw", submission, spec_fingerprint="spec", layout="L", part_fingerprints=fingerprints)


@pytest.fixture
def gradebook(tmp_path):
    with Gradebook(tmp_path / "course.sqlite3") as book:
        yield book


def test_round_trip(gradebook):
    record(gradebook, graded("ann", {"1": 1.0, "2": 0.0, "3": 1.0}, notes=("A note.",)))
    stored = gradebook.result("hw", "ann", ["1", "2", "3"])
    assert stored is not None
    assert stored.result == result("ann", {"1": 1.0, "2": 0.0, "3": 1.0}, notes=("A note.",))
    assert stored.failure is None
    assert stored.seconds == 0.5


def test_result_in_spec_order(gradebook):
    record(gradebook, graded("ann", {"1": 1.0, "2": 0.0, "3": 1.0}))
    stored = gradebook.result("hw", "ann", ["3", "1"])
    assert [part.id for part in stored.result.parts] == ["3", "1"]


def test_missing_submission_has_no_result(gradebook):
    assert gradebook.result("hw", "nobody", ["1"]) is None


def test_recording_twice_replaces(gradebook):
    record(gradebook, graded("ann", {"1": 0.0, "2": 0.0, "3": 0.0}))
    record(gradebook, graded("ann", {"1": 1.0, "2": 1.0, "3": 1.0}, content="c2"))
    assert gradebook.counts("hw") == {"submissions": 1, "part_results": 3}
    assert gradebook.result("hw", "ann", ["1", "2", "3"]).result.score == 3


def test_full_grade_drops_parts_it_did_not_grade(gradebook):
    record(gradebook, graded("ann", {"1": 1.0, "2": 1.0, "3": 1.0}))
    record(gradebook, graded("ann", {"1": 0.0, "2": 0.0}), {"1": "f1", "2": "f2"})
    assert gradebook.counts("hw") == {"submissions": 1, "part_results": 2}


def test_partial_grade_keeps_other_parts(gradebook):
    record(gradebook, graded("ann", {"1": 1.0, "2": 1.0, "3": 1.0}))
    record(gradebook, graded("ann", {"2": 0.0}, parts=("2",)), {**FINGERPRINTS, "2": "f2-new"})
    stored = gradebook.result("hw", "ann", ["1", "2", "3"]).result
    assert [part.score for part in stored.parts] == [1.0, 0.0, 1.0]


def test_stale_parts(gradebook):
    record(gradebook, graded("ann", {"1": 1.0, "2": 1.0, "3": 1.0}))
    record(gradebook, graded("ben", {"1": 1.0, "2": 1.0}), {"1": "f1", "2": "f2"})
    states = gradebook.stored_submissions("hw", {"1": "f1", "2": "f2-new", "3": "f3", "4": "f4"})
    assert states["ann"].stale_parts == {"2", "4"}
    assert states["ben"].stale_parts == {"2", "3", "4"}
    assert states["ann"].content_hash == "c1"
    assert states["ann"].layout_key == "L"
    assert states["ann"].final


def test_failed_row_is_not_final(gradebook):
    record(gradebook, graded("ann", {"1": 0.0, "2": 0.0, "3": 0.0}, failure="died: exit code 9"))
    assert not gradebook.stored_submissions("hw", FINGERPRINTS)["ann"].final
    assert gradebook.result("hw", "ann", ["1"]).failure == "died: exit code 9"


def test_assignments_are_separate(gradebook):
    record(gradebook, graded("ann", {"1": 1.0, "2": 1.0, "3": 1.0}))
    assert gradebook.stored_submissions("other", FINGERPRINTS) == {}
    assert gradebook.result("other", "ann", ["1"]) is None


def test_runs_are_logged(gradebook, tmp_path):
    run = gradebook.start_run("hw", tmp_path / "hw.yaml", "spec", 3)
    gradebook.finish_run(run, graded=2, reused=1, failed=0)
    row = sqlite3.connect(gradebook.path).execute("SELECT submissions, graded, reused, failed, finished_at FROM runs").fetchone()
    assert row[:4] == (3, 2, 1, 0)
    assert row[4] is not None


def test_wal_mode(gradebook):
    assert sqlite3.connect(gradebook.path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_keeps_rows(tmp_path):
    with Gradebook(tmp_path / "course.sqlite3") as book:
        record(book, graded("ann", {"1": 1.0, "2": 1.0, "3": 1.0}))
    with Gradebook(tmp_path / "course.sqlite3") as book:
        assert book.counts("hw") == {"submissions": 1, "part_results": 3}


def test_not_a_database(tmp_path):
    path = tmp_path / "course.sqlite3"
    path.write_text("this is not SQLite, but long enough to have a header " * 20)
    with pytest.raises(UsageError, match="not a usable gradebook"):
        Gradebook(path)


def test_newer_schema_is_rejected(tmp_path):
    path = tmp_path / "course.sqlite3"
    Gradebook(path).close()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE gradebook_meta SET value = '99' WHERE key = 'schema_version'")
    connection.commit()
    connection.close()
    with pytest.raises(UsageError, match="schema version 99"):
        Gradebook(path)


def test_unwritable_location(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UsageError, match="cannot open the gradebook"):
        Gradebook(blocker / "course.sqlite3")
