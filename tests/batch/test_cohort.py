"""The benchmark cohort's labels agree with the grader: every answer it calls
right is graded correct, every mistake wrong and every unreadable one invalid."""

from __future__ import annotations

import json
import sys
from collections import Counter

import pytest

from autograder.grading import grade_path
from autograder.loader import load_problem_set
from tests.conftest import REPOSITORY

sys.path.insert(0, str(REPOSITORY / "benchmarks"))
import make_cohort  # noqa: E402

EXPECTED_STATUSES = {
    "right": {"correct"},
    "mistake": {"incorrect", "partial"},
    "unreadable": {"invalid"},
    "missing": {"missing"},
}


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cohort") / "class"
    make_cohort.make_cohort(folder, 60, seed=11, hostile_each=0)
    return folder


def test_labels_match_grades(cohort):
    problem_set = load_problem_set(REPOSITORY / "problems" / "hw07.yaml")
    manifest = json.loads((cohort / "_cohort.json").read_text(encoding="utf-8"))
    checked: Counter[str] = Counter()
    for student in manifest["submissions"]:
        if student["layout"] != "folder":
            continue
        result = grade_path(problem_set, cohort / student["name"], runner=None)
        for part_id, kind in student["parts"].items():
            status = result.part(part_id).status
            assert status in EXPECTED_STATUSES[kind], (student["name"], part_id, kind, status, result.part(part_id).feedback)
            checked[kind] += 1
    assert checked["right"] > 500
    assert checked["mistake"] > 100
    assert checked["unreadable"] > 10
