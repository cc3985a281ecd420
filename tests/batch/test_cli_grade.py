"""The grade command end to end: outputs, a run killed with SIGKILL and resumed, hostile submissions."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from autograder.cli import GRADESCOPE_VISIBILITIES, cli
from autograder.batch.gradescope import VISIBILITIES
from autograder.errors import SandboxUnavailable
from tests.conftest import write

from .support import (
    BROKEN_CODE,
    RIGHT_CODE,
    SLOW_CODE,
    SPEC,
    answers_for,
    cli_environment,
    output_files,
    recorded_rows,
    write_class,
    write_course,
    write_submission,
)

KILL_CLASS_SIZE = 30
REQUIRE_SANDBOX_VARIABLE = "AUTOGRADER_REQUIRE_SANDBOX"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def command(spec: Path, submissions: Path, gradebook: Path, outputs: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "autograder.cli", "grade", str(spec), str(submissions),
        "--gradebook", str(gradebook),
        "--format", "table", "-o", str(outputs / "table.txt"),
        "--csv", str(outputs / "gradebook.csv"),
        "--json", str(outputs / "results.json"),
        "--feedback-dir", str(outputs / "feedback"),
        "-j", "2",
        *extra,
    ]


def test_visibility_choices_match():
    assert sorted(GRADESCOPE_VISIBILITIES) == sorted(VISIBILITIES)


def test_grade_writes_every_output(tmp_path):
    spec = write_course(tmp_path)
    write_class(tmp_path / "class", 4)
    outputs = tmp_path / "out"
    code, out, err = run(
        "grade", str(spec), str(tmp_path / "class"), "--no-sandbox", "--format", "json",
        "--csv", str(outputs / "gradebook.csv"), "--feedback-dir", str(outputs / "feedback"),
    )
    assert code == 0
    assert [item["submission"] for item in json.loads(out)] == [f"student{index:03d}" for index in range(4)]
    rows = list(csv.DictReader(io.StringIO((outputs / "gradebook.csv").read_text())))
    assert [row["status"] for row in rows] == ["graded"] * 4
    assert sorted(path.name for path in (outputs / "feedback").iterdir()) == [f"student{index:03d}.md" for index in range(4)]
    assert "4 submissions in" in err
    assert "Scores per part" in err
    assert (tmp_path / "quiz.gradebook.sqlite3").is_file()


def test_quiet_prints_only_the_output(tmp_path):
    spec = write_course(tmp_path)
    write_class(tmp_path / "class", 2)
    code, out, err = run("grade", str(spec), str(tmp_path / "class"), "--no-sandbox", "--format", "csv", "-q")
    assert code == 0
    assert out.startswith("student,total,max_score,status,")
    assert [line for line in err.splitlines() if "WITHOUT a sandbox" not in line] == []


def test_gradescope_results_for_one_submission(tmp_path):
    spec = write_course(tmp_path)
    submission = write_submission(tmp_path / "submission", answers_for(0))
    target = tmp_path / "results" / "results.json"
    code, _, _ = run("grade", str(spec), str(submission), "--no-sandbox", "-q", "--gradescope", str(target))
    assert code == 0
    data = json.loads(target.read_text())
    assert data["score"] == 7
    assert [test["number"] for test in data["tests"]] == ["1", "2", "3", "4", "5"]
    assert {test["status"] for test in data["tests"]} == {"passed"}
    assert {test["visibility"] for test in data["tests"]} == {"visible"}


def test_gradescope_needs_exactly_one_submission(tmp_path):
    spec = write_course(tmp_path)
    write_class(tmp_path / "class", 2)
    code, _, err = run("grade", str(spec), str(tmp_path / "class"), "--no-sandbox", "--gradescope", str(tmp_path / "r.json"))
    assert code == 2
    assert "--gradescope writes the results of one submission" in err
    assert not (tmp_path / "quiz.gradebook.sqlite3").exists()


def test_broken_submissions_still_get_rows(tmp_path):
    spec = write_course(tmp_path)
    write_submission(tmp_path / "class" / "ann", answers_for(0))
    write_submission(tmp_path / "class" / "ben", answers_for(1), BROKEN_CODE)
    write_submission(tmp_path / "class" / "cat", answers_for(2), None)
    write(tmp_path / "class" / "dan.zip", "this is not a zip archive")
    (tmp_path / "class" / "eve").mkdir()
    (tmp_path / "class" / "eve" / "answers.yaml").write_bytes(b"\xff\xfe\x00 not utf-8")
    outputs = tmp_path / "out"
    code, _, _ = run("grade", str(spec), str(tmp_path / "class"), "--no-sandbox", "-q", "--csv", str(outputs / "gradebook.csv"))
    assert code == 0
    rows = {row["student"]: row for row in csv.DictReader(io.StringIO((outputs / "gradebook.csv").read_text()))}
    assert sorted(rows) == ["ann", "ben", "cat", "dan", "eve"]
    assert rows["ann"]["status"] == "graded"
    assert rows["ben"]["status"] == "graded; 5 error"
    assert rows["cat"]["5"] == "0"
    assert rows["dan"]["status"].startswith("not graded: dan.zip is not a readable zip file")
    assert rows["eve"]["total"] == "0"
    assert rows["eve"]["status"] == "graded"


def test_killed_run_resumes_identically(tmp_path):
    spec = write_course(tmp_path)
    submissions = tmp_path / "class"
    write_class(submissions, KILL_CLASS_SIZE, SLOW_CODE.format(seconds=0.1))
    environment = cli_environment()

    clean = tmp_path / "clean"
    completed = subprocess.run(
        command(spec, submissions, tmp_path / "clean.sqlite3", clean, "--no-sandbox", "-q"),
        env=environment, capture_output=True, text=True, timeout=300, check=False,
    )
    assert completed.returncode == 0, completed.stderr

    resumed = tmp_path / "resumed"
    gradebook = tmp_path / "resumed.sqlite3"
    process = subprocess.Popen(
        command(spec, submissions, gradebook, resumed, "--no-sandbox", "-q"),
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while recorded_rows(gradebook) < 4 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = child_processes(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    killed_at = recorded_rows(gradebook)
    assert 4 <= killed_at < KILL_CLASS_SIZE
    assert not resumed.exists()
    # The workers notice that the parent is gone and exit by themselves.
    assert len(workers) == 2
    deadline = time.monotonic() + 60
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(running(pid) for pid in workers)

    completed = subprocess.run(
        command(spec, submissions, gradebook, resumed, "--no-sandbox"),
        env=environment, capture_output=True, text=True, timeout=300, check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert f"reused {killed_at} from the gradebook" in completed.stderr
    assert recorded_rows(gradebook) == KILL_CLASS_SIZE
    assert output_files(resumed) == output_files(clean)
    assert len(output_files(clean)) == KILL_CLASS_SIZE + 3


def child_processes(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
    return [int(child) for child in children.split()]


def running(pid: int) -> bool:
    """Return whether ``pid`` is a live process; a zombie waiting for its new parent counts as ended."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def sandbox_available_or_skip() -> None:
    from autograder.sandbox import open_runner

    try:
        open_runner("sandbox").close()
    except SandboxUnavailable as error:
        if os.environ.get(REQUIRE_SANDBOX_VARIABLE):
            pytest.fail(f"{REQUIRE_SANDBOX_VARIABLE} is set, but the sandbox is unavailable: {error}")
        pytest.skip(f"bubblewrap sandbox unavailable and {REQUIRE_SANDBOX_VARIABLE} is unset: {error}")


# Each attack, and the score of the code part (2 points) when it is contained:
# the output flood and the search for the reference still return right values.
HOSTILE_CODE = {
    "infinite-loop": ("def double(x):\n    while True:\n        pass\n", "0"),
    "fork-bomb": ("import os\n\n\ndef double(x):\n    while True:\n        os.fork()\n", "0"),
    "abort": ("import os\n\n\ndef double(x):\n    os.abort()\n", "0"),
    "output-flood": ("print('x' * 10_000_000)\n\n\ndef double(x):\n    print('y' * 1_000_000)\n    return 2 * x\n", "2"),
    "exit-at-import": ("import sys\nsys.exit(0)\n", "0"),
    "read-reference": (
        "import os\n\n\ndef double(x):\n    return 0 if os.path.exists(REFERENCE) else 2 * x\n",
        "2",
    ),
}


def test_hostile_submissions_contained(tmp_path):
    sandbox_available_or_skip()
    spec = write_course(tmp_path, SPEC.replace("submission:\n", "limits:\n  call_seconds: 1\n  submission_seconds: 4\nsubmission:\n"))
    submissions = tmp_path / "class"
    write_submission(submissions / "good", answers_for(0), RIGHT_CODE)
    for name, (code, _) in HOSTILE_CODE.items():
        code = f"REFERENCE = {str(tmp_path / 'reference.py')!r}\n" + code
        write_submission(submissions / name, answers_for(0), code)
    write_submission(submissions / "worker-killer", {**answers_for(0), "3": "[99]"}, RIGHT_CODE)
    with zipfile.ZipFile(submissions / "zipped.zip", "w") as archive:
        archive.writestr("zipped/answers.yaml", '"1": 0.5\n')
        archive.writestr("zipped/quiz.py", RIGHT_CODE)

    outputs = tmp_path / "out"
    completed = subprocess.run(
        command(spec, submissions, tmp_path / "course.sqlite3", outputs),
        env=cli_environment(), capture_output=True, text=True, timeout=600, check=False,
    )
    assert completed.returncode == 1, completed.stderr
    rows = {row["student"]: row for row in csv.DictReader(io.StringIO((outputs / "gradebook.csv").read_text()))}
    assert sorted(rows) == sorted(["good", "worker-killer", "zipped", *HOSTILE_CODE])
    assert rows["good"]["total"] == "7"
    assert rows["zipped"]["1"] == "1"
    assert rows["zipped"]["5"] == "2"
    assert rows["worker-killer"]["status"].startswith("not graded: the grader's worker process died twice")
    for name, (_, score) in HOSTILE_CODE.items():
        assert rows[name]["5"] == score, name
        assert rows[name]["1"] == "1", name
    assert "grader or sandbox failed" in completed.stderr
    assert len(list((outputs / "feedback").iterdir())) == len(rows)
