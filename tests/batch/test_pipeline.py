"""Whole batches through the library: judging once, reruns that regrade only what changed, -j 1 against -j 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.batch import BatchOptions, Gradebook, SummaryBuilder, find_batch_items, grade_batch, write_outputs
from autograder.batch.outputs import CsvSink, FeedbackSink, JsonSink
from autograder.batch.progress import SilentProgress
from autograder.batch.summary import RunStats
from autograder.loader import load_problem_set
from autograder.results import SubmissionResult
from tests.conftest import write

from .support import SPEC, WRONG_CODE, answers_for, logged_calls, output_files, write_class, write_course, write_submission

COUNT = 12


class Course:
    """A spec, a class of submissions and a gradebook under one folder."""

    def __init__(self, root: Path, count: int = COUNT) -> None:
        self.root = root
        self.spec = write_course(root)
        self.submissions = root / "class"
        write_class(self.submissions, count)
        self.gradebook = root / "course.sqlite3"

    def grade(self, *, jobs: int = 2, force: bool = False) -> RunStats:
        problem_set = load_problem_set(self.spec)
        items = find_batch_items([self.submissions], ["answers.yaml", "quiz.py"])
        options = BatchOptions(gradebook=self.gradebook, jobs=jobs, runner_kind="process", force=force)
        with Gradebook(self.gradebook) as gradebook:
            return grade_batch(problem_set, items, gradebook, options, SilentProgress())

    def results(self) -> dict[str, SubmissionResult]:
        problem_set = load_problem_set(self.spec)
        items = find_batch_items([self.submissions], ["answers.yaml", "quiz.py"])
        collected: dict[str, SubmissionResult] = {}

        class Collector:
            def add(self, result: SubmissionResult) -> None:
                collected[result.submission] = result

            def commit(self) -> None:
                pass

            def discard(self) -> None:
                pass

        with Gradebook(self.gradebook) as gradebook:
            write_outputs(problem_set, items, gradebook, [Collector()], SummaryBuilder(problem_set))
        return collected

    def write_outputs(self, folder: Path) -> None:
        problem_set = load_problem_set(self.spec)
        items = find_batch_items([self.submissions], ["answers.yaml", "quiz.py"])
        sinks = [
            CsvSink(problem_set, folder / "gradebook.csv"),
            JsonSink(folder / "results.json"),
            FeedbackSink(problem_set, folder / "feedback", [item.name for item in items]),
        ]
        with Gradebook(self.gradebook) as gradebook:
            write_outputs(problem_set, items, gradebook, sinks, SummaryBuilder(problem_set))


@pytest.fixture
def course(tmp_path) -> Course:
    return Course(tmp_path)


def test_distinct_answer_judged_once(course):
    stats = course.grade(jobs=2)
    calls = logged_calls(course.root)
    judged = sorted(line.split(" ", 1)[1] for line in calls)
    assert judged == ["[6, 8]", "[6]", "[8, 6]"]
    assert stats.shared_answers == COUNT * 4
    assert stats.lookup_misses == 0
    distinct = {(part, text) for index in range(COUNT) for part, text in answers_for(index).items()}
    assert stats.distinct_answers == len(distinct)


def test_judged_once_across_workers(tmp_path):
    course = Course(tmp_path, count=0)
    for index in range(70):
        write_submission(course.submissions / f"student{index:03d}", {**answers_for(index), "3": f"[{index}]"})
    write_submission(course.submissions / "student070", {**answers_for(70), "3": "[0]"})
    course.grade(jobs=2)
    calls = logged_calls(course.root)
    judged = sorted(line.split(" ", 1)[1] for line in calls)
    assert judged == sorted(f"[{index}]" for index in range(70))
    assert len({line.split(" ", 1)[0] for line in calls}) == 2


def test_first_run_grades_everything(course):
    stats = course.grade()
    assert (stats.submissions, stats.graded, stats.regraded, stats.reused, stats.failed) == (COUNT, COUNT, 0, 0, 0)
    results = course.results()
    assert results["student000"].score == 7
    assert results["student000"].part("5").status == "correct"


def test_rerun_reuses_everything(course):
    course.grade()
    before = course.results()
    calls = len(logged_calls(course.root))
    stats = course.grade()
    assert (stats.graded, stats.regraded, stats.reused) == (0, 0, COUNT)
    assert len(logged_calls(course.root)) == calls
    assert course.results() == before


def test_changed_submission_only_regraded(course):
    course.grade()
    before = course.results()
    calls = len(logged_calls(course.root))
    write_submission(course.submissions / "student004", {**answers_for(4), "3": "[6, 8, 9]"})

    stats = course.grade()
    after = course.results()
    assert (stats.graded, stats.regraded, stats.reused) == (1, 0, COUNT - 1)
    assert [line.split(" ", 1)[1] for line in logged_calls(course.root)[calls:]] == ["[6, 8, 9]"]
    assert after["student004"].part("3").status == "incorrect"
    assert {name: result for name, result in after.items() if name != "student004"} == {
        name: result for name, result in before.items() if name != "student004"
    }


def test_changed_code_regrades_that_submission(course):
    course.grade()
    write(course.submissions / "student002" / "quiz.py", WRONG_CODE)
    stats = course.grade()
    assert (stats.graded, stats.reused) == (1, COUNT - 1)
    assert course.results()["student002"].part("5").status == "incorrect"


def test_changed_part_only_regraded(course):
    course.grade()
    before = course.results()
    calls = len(logged_calls(course.root))
    write(course.spec, SPEC.replace("answer: 0.5", "answer: 0.25"))

    stats = course.grade()
    after = course.results()
    assert (stats.graded, stats.regraded, stats.reused) == (0, COUNT, 0)
    assert len(logged_calls(course.root)) == calls
    for name, result in after.items():
        old = before[name]
        assert result.part("1").status != old.part("1").status
        assert [result.part(part) for part in ("2", "3", "4", "5")] == [old.part(part) for part in ("2", "3", "4", "5")]
    assert after["student002"].part("1").status == "correct"
    assert after["student000"].part("1").status == "incorrect"


def test_changed_reference_regrades_every_part(course):
    course.grade()
    reference = course.root / "reference.py"
    reference.write_text(reference.read_text() + "\n# edited\n")
    stats = course.grade()
    assert (stats.graded, stats.regraded, stats.reused) == (COUNT, 0, 0)


def test_force_regrades_everything(course):
    course.grade()
    stats = course.grade(force=True)
    assert (stats.graded, stats.reused) == (COUNT, 0)
    assert stats.reasons == {"forced": COUNT}


def test_removed_submission_not_output(course, tmp_path):
    course.grade()
    for path in (course.submissions / "student011").iterdir():
        path.unlink()
    (course.submissions / "student011").rmdir()
    course.grade()
    assert "student011" not in course.results()


def test_jobs_one_and_two_identical(tmp_path):
    outputs = {}
    for jobs in (1, 2):
        course = Course(tmp_path / f"j{jobs}")
        course.grade(jobs=jobs)
        course.write_outputs(tmp_path / f"out{jobs}")
        outputs[jobs] = output_files(tmp_path / f"out{jobs}")
    assert sorted(outputs[1]) == ["feedback/" + f"student{index:03d}.md" for index in range(COUNT)] + ["gradebook.csv", "results.json"]
    assert outputs[1] == outputs[2]


def test_files_changed_after_scan_grade_every_part(course):
    from autograder.batch import worker

    problem_set = load_problem_set(course.spec)
    worker.initialize(worker.WorkerSetup(course.spec.resolve(), problem_set.fingerprint, "process"))
    try:
        item = find_batch_items([course.submissions], ["answers.yaml"])[0]
        result = worker.handle(worker.GradeTask(item, ("1",), {}, scanned_hash="stale"))
    finally:
        worker.shutdown()
    assert result.graded_parts is None
    assert [part.id for part in result.result.decode().parts] == ["1", "2", "3", "4", "5"]


def test_watchdog_outlasts_long_code_limits(tmp_path):
    from autograder.batch.pipeline import _watchdog_seconds

    long_spec = SPEC.replace("submission:\n", "limits:\n  submission_seconds: 1000\nsubmission:\n")
    long_limits = load_problem_set(write_course(tmp_path / "long", long_spec))
    default_limits = load_problem_set(write_course(tmp_path / "default"))
    assert _watchdog_seconds(long_limits, 900.0) == 2060.0
    assert _watchdog_seconds(default_limits, 900.0) == 900.0


def _scan_then_grade(course: Course, before_grading) -> dict:  # type: ignore[no-untyped-def]
    """Scan student000, call ``before_grading(item)``, then grade it with what the scan read."""
    from autograder.batch import worker

    problem_set = load_problem_set(course.spec)
    worker.initialize(worker.WorkerSetup(course.spec.resolve(), problem_set.fingerprint, "process"))
    try:
        item = find_batch_items([course.submissions], ["answers.yaml"])[0]
        scanned = worker.handle(worker.ScanTask(item, None, "layout", True))
        before_grading(item)
        task = worker.GradeTask(item, None, {}, scanned.content_hash, scanned.submission)
        return worker.handle(task).result.decode().to_dict()
    finally:
        worker.shutdown()


def test_grading_reuses_what_the_scan_read(course, monkeypatch):
    from autograder.batch import worker

    def forbid_reading(item) -> None:  # type: ignore[no-untyped-def]
        def read_again(self, item):  # type: ignore[no-untyped-def]
            raise AssertionError("the submission was read again")

        monkeypatch.setattr(worker._WorkerState, "read", read_again)

    result = _scan_then_grade(course, forbid_reading)
    assert result["parts"][0]["status"] == "correct"


def test_grading_reads_again_after_a_change(course):
    def change_answer(item) -> None:  # type: ignore[no-untyped-def]
        (item.path / "answers.yaml").write_text('"1": 0.75\n', encoding="utf-8")

    result = _scan_then_grade(course, change_answer)
    parts = {part["id"]: part["status"] for part in result["parts"]}
    assert parts["1"] == "incorrect"
    assert parts["2"] == "missing"


def test_kept_submissions_stay_under_the_limit(monkeypatch):
    from autograder.batch import pipeline

    monkeypatch.setattr(pipeline, "MAX_KEPT_SUBMISSION_BYTES", 10)
    index = pipeline._AnswerIndex()
    index.keep("a", b"123456")
    index.keep("b", b"123456")
    index.keep("c", b"1234")
    assert sorted(index.kept) == ["a", "c"]
    assert index.take("b") is None
    assert index.take("a") == b"123456"
    assert index.take("a") is None
    assert index.kept_bytes == 4
