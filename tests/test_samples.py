"""The shipped homework: the spec validates, and every sample submission gets
exactly the score and status recorded in submissions/expected.yaml."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

from autograder.errors import SandboxUnavailable
from autograder.loader import load_problem_set
from autograder.sandbox import open_runner
from tests.conftest import REPOSITORY

SPEC = REPOSITORY / "problems" / "hw07.yaml"
SUBMISSIONS = REPOSITORY / "submissions"
EXPECTED = yaml.safe_load((SUBMISSIONS / "expected.yaml").read_text(encoding="utf-8"))

# The part ids that tools and other specs rely on, in order.
HW07_PART_IDS = (
    ["1.1"]
    + [f"1.2.{index}" for index in range(1, 8)]
    + [f"2.{index}" for index in range(1, 7)]
    + ["3.1", "3.2", "3.3", "4.1.1", "4.1.2", "4.2.1", "4.2.2", "4.2.3"]
    + [f"4.3.{case}{letter}" for case in (1, 2, 3) for letter in "abc"]
    + [f"4.4.{case}{letter}" for case in (1, 2, 3) for letter in "abcd"]
    + ["5.A.i", "5.A.ii", "5.A.iii", "5.B.i", "5.B.ii", "5.B.iii", "5.B.v", "5.B.vi"]
    + ["5.C.i", "5.C.ii", "5.D.i", "5.D.ii"]
)


@pytest.fixture(scope="module")
def sandbox_available() -> None:
    try:
        open_runner("sandbox").close()
    except SandboxUnavailable as error:
        if os.environ.get("AUTOGRADER_REQUIRE_SANDBOX"):
            pytest.fail(f"AUTOGRADER_REQUIRE_SANDBOX is set, but the sandbox is unavailable: {error}")
        pytest.skip(f"grading the samples needs the bubblewrap sandbox: {error}")


def autograder(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "autograder.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPOSITORY,
        check=False,
    )


def test_hw07_part_ids():
    assert [part.id for part in load_problem_set(SPEC).parts] == HW07_PART_IDS


def test_every_sample_has_expectations():
    folders = sorted(path.name for path in SUBMISSIONS.iterdir() if path.is_dir())
    assert folders == sorted(EXPECTED)
    for name, expected in EXPECTED.items():
        assert list(expected["parts"]) == HW07_PART_IDS, name


def test_validate_hw07(sandbox_available):
    completed = autograder("validate", str(SPEC))
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "reference answers: 64/64" in completed.stdout
    assert "empty submission: 0/64" in completed.stdout


@pytest.fixture(scope="module")
def graded(sandbox_available, tmp_path_factory) -> dict[str, dict]:
    gradebook = tmp_path_factory.mktemp("gradebook") / "hw07.sqlite3"
    completed = autograder("grade", str(SPEC), str(SUBMISSIONS), "--format", "json", "--gradebook", str(gradebook), "-q")
    assert completed.returncode == 0, completed.stderr
    return {result["submission"]: result for result in json.loads(completed.stdout)}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_scores(graded, name):
    result = graded[name]
    expected = EXPECTED[name]
    actual = {part["id"]: {"score": part["score"], "status": part["status"]} for part in result["parts"]}
    assert actual == {
        part_id: {"score": pytest.approx(value["score"]), "status": value["status"]}
        for part_id, value in expected["parts"].items()
    }
    assert result["score"] == pytest.approx(expected["total"])
    assert result["max_score"] == 64


def test_full_marks_sample_is_full(graded):
    assert graded["full-marks"]["score"] == graded["full-marks"]["max_score"]


def test_empty_sample_is_zero(graded):
    assert graded["empty"]["score"] == 0


def test_expressions_show_how_they_were_read(graded):
    part = next(part for part in graded["typical"]["parts"] if part["id"] == "1.2.6")
    assert part["read_as"]["text"] == "(y - a_1)*x_1"
    assert "x_{1}" in part["read_as"]["latex"]


def test_template_covers_every_part():
    completed = autograder("template", str(SPEC))
    assert completed.returncode == 0, completed.stderr
    template = yaml.safe_load(completed.stdout)
    answerable = [part_id for part_id in HW07_PART_IDS if part_id != "1.1"]
    assert list(template) == answerable
    assert all(value is None for value in template.values())
    assert "linear_hinge_grad" in completed.stdout
