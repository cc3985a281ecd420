"""Reading submissions: folders, zip files and damaged answers files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from autograder.errors import SubmissionError
from autograder.submission import read_submission
from tests.conftest import write

PARTS = ["1.1", "1.2", "2.1", "2.2"]


def read(path: Path):
    return read_submission(path, answers_name="answers.yaml", part_ids=PARTS)


def test_folder_answers_and_module(tmp_path):
    write(tmp_path / "alice" / "answers.yaml", "1.2: a*(1-a)\n2.1: [1, 2]\n")
    write(tmp_path / "alice" / "hw07.py", "def f():\n    return 1\n")
    submission = read(tmp_path / "alice")
    assert submission.name == "alice"
    assert submission.answers["1.2"].text == "a*(1-a)"
    assert submission.answers["2.1"].value == [1, 2]
    assert submission.answers["1.2"].line == 1
    assert "hw07.py" in submission.files
    assert submission.answers_problem is None


def test_missing_answers_file(tmp_path):
    write(tmp_path / "bob" / "hw07.py", "x = 1\n")
    submission = read(tmp_path / "bob")
    assert submission.answers == {}
    assert "answers.yaml was not found" in submission.answers_problem


def test_empty_answers_file(tmp_path):
    write(tmp_path / "carol" / "answers.yaml", "# nothing yet\n")
    assert read(tmp_path / "carol").answers_problem == "answers.yaml is empty."


def test_blank_answers_are_missing(tmp_path):
    write(tmp_path / "dan" / "answers.yaml", '"1.1":\n"1.2": a\n')
    submission = read(tmp_path / "dan")
    assert list(submission.answers) == ["1.2"]


def test_syntax_error_costs_one_part(tmp_path):
    write(tmp_path / "erin" / "answers.yaml", "1.1: 3\n1.2: [1, 2\n2.1: x: y\n2.2: ok\n")
    submission = read(tmp_path / "erin")
    assert submission.answers["1.1"].value == 3
    assert submission.answers["2.2"].value == "ok"
    assert "Line 2" in submission.problems["1.2"]
    assert "Line 3" in submission.problems["2.1"]
    assert any("syntax error" in note for note in submission.notes)


def test_duplicate_answer_is_a_problem(tmp_path):
    write(tmp_path / "fay" / "answers.yaml", "1.1: 3\n1.2: a\n1.1: 4\n")
    submission = read(tmp_path / "fay")
    assert "1.1" not in submission.answers
    assert "answered twice" in submission.problems["1.1"]
    assert submission.answers["1.2"].value == "a"


def test_unknown_part_is_noted_with_suggestion(tmp_path):
    write(tmp_path / "gus" / "answers.yaml", "1.3: 3\n2.2: 1\n")
    submission = read(tmp_path / "gus")
    assert "1.3" not in submission.answers
    assert any("'1.3' that does not exist" in note for note in submission.notes)


def test_not_a_mapping(tmp_path):
    write(tmp_path / "hal" / "answers.yaml", "- 1\n- 2\n")
    assert "must map part ids" in read(tmp_path / "hal").answers_problem


def test_yml_alias_and_bom(tmp_path):
    folder = tmp_path / "ida"
    folder.mkdir()
    (folder / "answers.yml").write_bytes("\ufeff1.1: 5\n".encode("utf-8"))
    assert read(folder).answers["1.1"].value == 5


def test_not_utf8(tmp_path):
    folder = tmp_path / "jo"
    folder.mkdir()
    (folder / "answers.yaml").write_bytes(b"1.1: \xff\xfe\n")
    assert "not UTF-8" in read(folder).answers_problem


def test_wrapped_folder_is_unwrapped(tmp_path):
    write(tmp_path / "kim" / "kim_hw07" / "answers.yaml", "1.1: 2\n")
    assert read(tmp_path / "kim").answers["1.1"].value == 2


def test_zip_with_top_folder(tmp_path):
    archive = tmp_path / "lee.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("lee/answers.yaml", "1.1: 7\n")
        handle.writestr("lee/hw07.py", "x = 1\n")
        handle.writestr("__MACOSX/lee/._answers.yaml", "junk")
    submission = read(archive)
    assert submission.name == "lee"
    assert submission.answers["1.1"].value == 7
    assert submission.files["hw07.py"] == "x = 1\n"


def test_corrupt_zip_raises(tmp_path):
    archive = tmp_path / "max.zip"
    archive.write_bytes(b"not a zip file")
    with pytest.raises(SubmissionError, match="not a readable zip file"):
        read(archive)


def test_content_hash_changes_with_content(tmp_path):
    write(tmp_path / "ned" / "answers.yaml", "1.1: 1\n")
    first = read(tmp_path / "ned").content_hash
    write(tmp_path / "ned" / "answers.yaml", "1.1: 2\n")
    assert read(tmp_path / "ned").content_hash != first
