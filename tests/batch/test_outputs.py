"""Output sinks: the same bytes as the report functions, atomic files, feedback and Gradescope files."""

from __future__ import annotations

import io
import json
import os
import stat
import threading

import pytest
from rich.console import Console

from autograder import reports
from autograder.batch.feedback import feedback_file_names, feedback_markdown
from autograder.batch.gradescope import gradescope_results
from autograder.batch.outputs import AtomicFile, CsvSink, FeedbackSink, GradescopeSink, JsonSink, TableSink, write_atomic
from autograder.errors import UsageError
from autograder.results import PartResult, Reading, SubmissionResult

SPEC = """
title: Quiz
parts:
  - id: "1.1"
    type: number
    prompt: What is one half?
    answer: 0.5
  - id: "2.1"
    type: set
    points: 2
    prompt: Which facts?
    answer: [6, 8]
"""

RESULTS = [
    SubmissionResult(
        "ann",
        (
            PartResult("1.1", 1.0, 1.0, "correct", "Correct.", Reading("1/2", "\\frac{1}{2}")),
            PartResult("2.1", 1.0, 2.0, "partial", "One fact is missing:\n  [6, *]\n   ^"),
        ),
        notes=("answers.yaml answers a part '9' that does not exist",),
    ),
    SubmissionResult("ben", (PartResult("1.1", 0.0, 1.0, "error", "The grader failed | oops"),), error="ben.zip is not a readable zip file"),
    SubmissionResult("cat", ()),
]


@pytest.fixture
def problem_set(make_spec):
    return make_spec(SPEC)


def feed(sink, results=RESULTS) -> None:
    for result in results:
        sink.add(result)
    sink.commit()


@pytest.mark.parametrize("count", [0, 1, 3])
def test_json_sink_matches_results_json(tmp_path, count):
    target = tmp_path / "results.json"
    feed(JsonSink(target), RESULTS[:count])
    assert target.read_text(encoding="utf-8") == reports.results_json(RESULTS[:count])


def test_json_sink_to_stream():
    stream = io.StringIO()
    feed(JsonSink(None, stream))
    assert stream.getvalue() == reports.results_json(RESULTS)


def test_csv_sink_matches_gradebook_csv(tmp_path, problem_set):
    target = tmp_path / "gradebook.csv"
    feed(CsvSink(problem_set, target))
    assert target.read_text(encoding="utf-8") == reports.gradebook_csv(RESULTS, problem_set)


def test_table_sink_matches_results_table(tmp_path, problem_set):
    target = tmp_path / "table.txt"
    feed(TableSink(problem_set, target))
    expected = io.StringIO()
    Console(record=True, width=120, file=expected).print(reports.results_table(RESULTS, problem_set))
    assert target.read_text(encoding="utf-8") == expected.getvalue()


def test_atomic_file_appears_only_on_commit(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    pending = AtomicFile(target)
    pending.handle.write("new\n")
    assert target.read_text() == "old\n"
    pending.commit()
    assert target.read_text() == "new\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.csv"]


def test_atomic_file_discard_keeps_old_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    pending = AtomicFile(target)
    pending.handle.write("half a fi")
    pending.discard()
    assert target.read_text() == "old\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.csv"]


def test_write_atomic_creates_folders(tmp_path):
    write_atomic(tmp_path / "a" / "b" / "out.txt", "text\n")
    assert (tmp_path / "a" / "b" / "out.txt").read_text() == "text\n"


def test_feedback_sink_writes_one_file_each(tmp_path, problem_set):
    folder = tmp_path / "feedback"
    feed(FeedbackSink(problem_set, folder, [result.submission for result in RESULTS]))
    assert sorted(path.name for path in folder.iterdir()) == ["ann.md", "ben.md", "cat.md"]
    assert (folder / "ann.md").read_text(encoding="utf-8") == feedback_markdown(RESULTS[0], problem_set)


def test_feedback_markdown_content(problem_set):
    text = feedback_markdown(RESULTS[0], problem_set)
    assert text.startswith("# Quiz\n")
    assert "**Total: 2 / 3**" in text
    assert "| 2.1 | partial | 1 / 2 |" in text
    assert "> What is one half?" in text
    assert "```text\nOne fact is missing:\n  [6, *]\n   ^\n```" in text
    assert "Your answer was read as:\n\n```text\n1/2\n```" in text
    assert "does not exist" in text


def test_feedback_markdown_reports_unreadable_submission(problem_set):
    text = feedback_markdown(RESULTS[1], problem_set)
    assert "Your submission could not be graded:" in text
    assert "ben.zip is not a readable zip file" in text


def test_feedback_fence_outgrows_backticks(problem_set):
    result = SubmissionResult("dan", (PartResult("1.1", 0.0, 1.0, "invalid", "Remove the ``` from your answer."),))
    assert "````text\nRemove the ``` from your answer.\n````" in feedback_markdown(result, problem_set)


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["ann", "ben"], {"ann": "ann.md", "ben": "ben.md"}),
        (["Ann", "ann"], None),
        (["a/b", "a_b"], None),
        ([".hidden"], None),
        (["Jo Lee (2)"], None),
    ],
)
def test_feedback_file_names_safe(names, expected):
    files = feedback_file_names(names)
    if expected is not None:
        assert files == expected
    lowered = [name.lower() for name in files.values()]
    assert len(set(lowered)) == len(names)
    for file_name in files.values():
        assert "/" not in file_name
        assert not file_name.startswith(".")
        assert file_name.endswith(".md")


def test_gradescope_results(problem_set):
    data = gradescope_results(RESULTS[0], problem_set, "after_published")
    assert data["score"] == 2.0
    assert data["visibility"] == "after_published"
    assert "does not exist" in data["output"]
    first, second = data["tests"]
    assert first == {
        "name": "Part 1.1: What is one half?",
        "number": "1.1",
        "score": 1.0,
        "max_score": 1.0,
        "status": "passed",
        "output": "Correct.\nRead as: 1/2",
        "visibility": "after_published",
    }
    assert second["status"] == "failed"
    assert second["score"] == 1.0
    assert second["max_score"] == 2.0


def test_gradescope_sink_writes_json(tmp_path, problem_set):
    target = tmp_path / "results" / "results.json"
    feed(GradescopeSink(problem_set, target, "visible"), RESULTS[:1])
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [test["number"] for test in data["tests"]] == ["1.1", "2.1"]


def test_gradescope_sink_rejects_several(tmp_path, problem_set):
    sink = GradescopeSink(problem_set, tmp_path / "results.json", "visible")
    sink.add(RESULTS[0])
    with pytest.raises(UsageError, match="one submission"):
        sink.add(RESULTS[1])


def test_atomic_write_to_named_pipe_keeps_the_pipe(tmp_path):
    # A device or pipe such as /dev/null must be written to, never renamed over.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    write_atomic(pipe, "gradebook\n")
    reader.join(timeout=10)
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert received == [b"gradebook\n"]


def test_atomic_write_through_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_atomic(link, "new\n")
    assert link.is_symlink()
    assert real.read_text() == "new\n"
