"""End-to-end tests of the command line on throwaway specs and submissions."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from autograder.cli import cli
from tests.conftest import write

SPEC = """
title: Quiz
parts:
  - id: "1.1"
    type: number
    prompt: What is one half?
    answer: 0.5
  - id: "1.2"
    type: choice
    prompt: Pick the shape.
    options: [Line, Circle]
    answer: Line
  - id: "2.1"
    type: set
    points: 2
    prompt: Which facts?
    answer: [6, 8]
"""


@pytest.fixture
def quiz(tmp_path: Path) -> Path:
    write(tmp_path / "quiz.yaml", SPEC)
    write(tmp_path / "class" / "ann" / "answers.yaml", "1.1: 0.5\n1.2: line\n2.1: [8, 6]\n")
    write(tmp_path / "class" / "ben" / "answers.yaml", "1.1: 0.4\n1.2: square\n")
    write(tmp_path / "class" / "cat" / "answers.yaml", "")
    write(tmp_path / "class" / "expected.yaml", "not a submission\n")
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_grade_json(quiz):
    code, out, _ = run("grade", str(quiz / "quiz.yaml"), str(quiz / "class"), "--format", "json")
    assert code == 0
    results = {item["submission"]: item for item in json.loads(out)}
    assert sorted(results) == ["ann", "ben", "cat"]
    assert results["ann"]["score"] == 4
    assert results["ann"]["max_score"] == 4
    assert results["ben"]["score"] == 0
    statuses = {part["id"]: part["status"] for part in results["ben"]["parts"]}
    assert statuses == {"1.1": "incorrect", "1.2": "invalid", "2.1": "missing"}
    assert set(results["cat"]["parts"][0]) == {"id", "score", "max_score", "status", "feedback"}


@pytest.mark.parametrize("stage", ["grade_batch", "write_outputs"])
def test_grade_interrupted_keeps_results_and_exits_130(quiz, monkeypatch, stage):
    from autograder import batch

    def interrupt(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, stage, interrupt)
    code, out, err = run("grade", str(quiz / "quiz.yaml"), str(quiz / "class"), "--format", "json")
    assert code == 130
    assert out == ""
    assert "interrupted" in err
    assert "Run the same command again" in err
    assert "Traceback" not in err


def test_interrupt_while_the_spec_loads_exits_130(quiz, monkeypatch):
    import autograder.loader

    def interrupt(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(autograder.loader, "load_problem_set", interrupt)
    code, out, err = run("grade", str(quiz / "quiz.yaml"), str(quiz / "class"))
    assert code == 130
    assert out == ""
    assert err.strip() == "autograder: interrupted"


def test_grade_single_submission(quiz):
    code, out, _ = run("grade", str(quiz / "quiz.yaml"), str(quiz / "class" / "ann"), "--format", "json")
    assert code == 0
    assert [item["submission"] for item in json.loads(out)] == ["ann"]


def test_grade_csv_gradebook(quiz, tmp_path):
    target = tmp_path / "out" / "gradebook.csv"
    code, _, _ = run("grade", str(quiz / "quiz.yaml"), str(quiz / "class"), "--format", "csv", "-o", str(target))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert [row["student"] for row in rows] == ["ann", "ben", "cat"]
    assert rows[0]["2.1"] == "2"
    assert rows[0]["total"] == "4"
    assert rows[0]["status"] == "graded"


def test_grade_table(quiz):
    code, out, _ = run("grade", str(quiz / "quiz.yaml"), str(quiz / "class"))
    assert code == 0
    assert "ann" in out
    assert "4/4" in out
    assert "2/2" in out


def test_check_shows_feedback(quiz):
    code, out, _ = run("check", str(quiz / "quiz.yaml"), str(quiz / "class" / "ben"))
    assert code == 0
    assert "not one of the options" in out
    assert "Total: 0/4" in out


def test_check_json(quiz):
    code, out, _ = run("check", str(quiz / "quiz.yaml"), str(quiz / "class" / "ann"), "--format", "json")
    assert code == 0
    assert json.loads(out)[0]["score"] == 4


def test_missing_spec_is_usage_error(quiz):
    code, _, err = run("grade", str(quiz / "nope.yaml"), str(quiz / "class"))
    assert code == 2
    assert err.startswith("autograder: error: ")
    assert "spec file not found" in err
    assert "Traceback" not in err


def test_missing_path_is_usage_error(quiz):
    code, _, err = run("grade", str(quiz / "quiz.yaml"), str(quiz / "nowhere"))
    assert code == 2
    assert "no such file or folder" in err


def test_broken_spec_names_file_line_and_part(quiz):
    broken = write(quiz / "broken.yaml", SPEC.replace("answer: Line", "answer: Square"))
    code, _, err = run("validate", str(broken))
    assert code == 2
    assert f"{broken}:11: part 1.2:" in err
    assert len(err.strip().splitlines()) == 1


def test_validate_good_spec(quiz):
    code, out, _ = run("validate", str(quiz / "quiz.yaml"))
    assert code == 0
    assert "reference answers: 4/4" in out
    assert "empty submission: 0/4" in out


def test_validate_reports_accepted_mistake(quiz):
    spec = SPEC.replace(
        "    answer: 0.5\n",
        "    answer: 0.5\n    mistakes:\n      - answer: 0.50000001\n        feedback: Too close to tell.\n",
    )
    path = write(quiz / "mistake.yaml", spec)
    code, out, _ = run("validate", str(path))
    assert code == 1
    assert "mistake 1" in out
    assert "graded as correct" in out


def test_template_lists_every_part(quiz):
    code, out, _ = run("template", str(quiz / "quiz.yaml"))
    assert code == 0
    assert '"1.1":' in out
    assert "# Expected: one of: Line, Circle" in out
    assert "# Which facts?" in out


def test_template_refuses_to_overwrite(quiz):
    target = write(quiz / "answers.yaml", "keep me\n")
    code, _, err = run("template", str(quiz / "quiz.yaml"), "-o", str(target))
    assert code == 2
    assert "--force" in err
    assert target.read_text() == "keep me\n"


def test_console_script_runs_without_traceback(quiz):
    completed = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "grade", str(quiz / "missing.yaml"), str(quiz)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert completed.stderr.count("\n") == 1


def test_validate_reports_raising_check(tmp_path):
    write(tmp_path / "reference.py", "def picky(value):\n    raise KeyError('boom')\n")
    spec = write(
        tmp_path / "spec.yaml",
        """
        title: T
        reference: reference.py
        parts:
          - id: "1"
            type: number
            prompt: p
            answer: 2
            check: picky
        """,
    )
    code, out, _ = run("validate", str(spec))
    assert code == 1
    assert "judging the reference answer failed: reference check picky() raised KeyError: 'boom'" in out


def test_grading_survives_raising_check(tmp_path):
    write(tmp_path / "reference.py", "def picky(value):\n    if value > 5:\n        raise KeyError('boom')\n    return True\n")
    spec = write(
        tmp_path / "spec.yaml",
        """
        title: T
        reference: reference.py
        parts:
          - id: "1"
            type: number
            prompt: p
            answer: 2
            check: picky
          - id: "2"
            type: number
            prompt: q
            answer: 3
        """,
    )
    write(tmp_path / "class" / "ann" / "answers.yaml", "1: 9\n2: 3\n")
    write(tmp_path / "class" / "ben" / "answers.yaml", "1: 8\n2: 3\n")
    # A real process, because batch workers write to the process's own stderr.
    completed = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "grade", str(spec), str(tmp_path / "class"), "--format", "json", "-q", "-j", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert completed.stderr.count("autograder: ERROR: ") == 1
    assert "reference check picky() raised KeyError: 'boom'" in completed.stderr
    parts = {part["id"]: part for part in json.loads(completed.stdout)[0]["parts"]}
    assert parts["1"]["status"] == "error"
    assert "not your fault" in parts["1"]["feedback"]
    assert parts["2"]["status"] == "correct"


def test_verbose_after_command_name(quiz):
    code, out, _ = run("check", "-v", str(quiz / "quiz.yaml"), str(quiz / "class" / "ann"), "--format", "json")
    assert code == 0
    assert json.loads(out)[0]["score"] == 4


def test_check_rejects_a_plain_file(quiz):
    code, out, err = run("check", str(quiz / "quiz.yaml"), str(quiz / "quiz.yaml"))
    assert code == 2
    assert "not a submission folder or .zip file" in err
    assert out == ""


def test_template_into_unwritable_path(quiz):
    blocker = write(quiz / "blocker", "a file, not a folder\n")
    code, _, err = run("template", str(quiz / "quiz.yaml"), "-o", str(blocker / "answers.yaml"))
    assert code == 2
    assert err.startswith(f"autograder: error: cannot write {blocker / 'answers.yaml'}")


def test_gradebook_cells_are_never_formulas(tmp_path):
    write(tmp_path / "quiz.yaml", SPEC)
    write(tmp_path / "class" / "=HYPERLINK(1)" / "answers.yaml", "1.1: 0.5\n")
    write(tmp_path / "class" / "-ann" / "answers.yaml", "1.1: 0.5\n")
    code, out, _ = run("grade", str(tmp_path / "quiz.yaml"), str(tmp_path / "class"), "--format", "csv", "-q")
    assert code == 0
    students = [row["student"] for row in csv.DictReader(io.StringIO(out))]
    assert students == ["'-ann", "'=HYPERLINK(1)"]
