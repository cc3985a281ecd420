"""Finding submissions under the command-line paths."""

from __future__ import annotations

import pytest

from autograder.discovery import find_submissions
from autograder.errors import UsageError
from tests.conftest import write

MARKERS = ("answers.yaml", "hw07.py")


def test_class_folder_expands_to_children(tmp_path):
    write(tmp_path / "class" / "ann" / "answers.yaml", "1: 1\n")
    write(tmp_path / "class" / "ben" / "hw07.py", "x = 1\n")
    (tmp_path / "class" / "cat.zip").write_bytes(b"")
    write(tmp_path / "class" / "expected.yaml", "loose file\n")
    found = find_submissions([tmp_path / "class"], MARKERS)
    assert [path.name for path in found] == ["ann", "ben", "cat.zip"]


@pytest.mark.parametrize("files", [[], ["answers.yml"], ["answer.yaml"], ["hw7.py"]])
def test_leaf_folder_is_one_submission(tmp_path, files):
    folder = tmp_path / "submission"
    folder.mkdir()
    for name in files:
        write(folder / name, "x: 1\n")
    assert find_submissions([folder], MARKERS) == [folder]


def test_symlinked_child_is_skipped(tmp_path):
    write(tmp_path / "reference" / "hw07.py", "SECRET = 1\n")
    write(tmp_path / "class" / "ann" / "answers.yaml", "1: 1\n")
    (tmp_path / "class" / "eve").symlink_to(tmp_path / "reference")
    assert [path.name for path in find_submissions([tmp_path / "class"], MARKERS)] == ["ann"]


def test_folder_with_only_loose_data_is_an_error(tmp_path):
    write(tmp_path / "class" / "roster.csv", "ann\n")
    with pytest.raises(UsageError, match="no submission folders"):
        find_submissions([tmp_path / "class"], MARKERS)


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(UsageError, match="no such file or folder"):
        find_submissions([tmp_path / "nowhere"], MARKERS)
