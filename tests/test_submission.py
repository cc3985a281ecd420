"""Reading submissions: folders, zip files and damaged answers files."""

from __future__ import annotations

import os
import stat
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


@pytest.mark.parametrize("answer", ["|o|(1-o)", ">0", "%5", "@x", "- 1/2", "? x", ",x", "`x`", "'x'+1"])
def test_answer_starting_with_indicator_is_explained(tmp_path, answer):
    write(tmp_path / "erin" / "answers.yaml", f'"1.1": 3\n"1.2": {answer}\n')
    submission = read(tmp_path / "erin")
    assert submission.answers["1.1"].value == 3
    assert "Line 2" in submission.problems["1.2"]
    assert "in quotes if it contains ': ' or ' #', or starts with a bracket, a quote, '- ', '? ' or one of , * & ! | > % @ `." in submission.problems["1.2"]


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
    assert any("is not valid YAML" in note for note in submission.notes)


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


def test_python_file_not_utf8_is_listed(tmp_path):
    folder = tmp_path / "jon"
    folder.mkdir()
    (folder / "answers.yaml").write_text("1.1: 2\n", encoding="utf-8")
    (folder / "hw07.py").write_bytes("# -*- coding: latin-1 -*-\nname = 'José'\n".encode("latin-1"))
    submission = read(folder)
    assert submission.undecodable_files == ("hw07.py",)
    assert "hw07.py" not in submission.files
    assert "hw07.py is not UTF-8 text and was ignored." in submission.notes


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


# Hostile or damaged submissions.


def test_symlinked_module_is_ignored(tmp_path):
    secret = write(tmp_path / "reference" / "hw07.py", "SECRET = 1\n")
    folder = tmp_path / "eve"
    write(folder / "answers.yaml", "1.1: 1\n")
    (folder / "hw07.py").symlink_to(secret)
    submission = read(folder)
    assert "hw07.py" not in submission.files
    assert any("hw07.py is a symbolic link" in note for note in submission.notes)


def test_symlinked_answers_file_is_ignored(tmp_path):
    secret = write(tmp_path / "secret.yaml", "secret_key: hunter2\n")
    folder = tmp_path / "eve"
    folder.mkdir()
    (folder / "answers.yaml").symlink_to(secret)
    submission = read(folder)
    assert submission.answers == {}
    assert "hunter2" not in " ".join(submission.notes)
    assert "secret_key" not in " ".join(submission.notes)
    assert "answers.yaml was not found" in submission.answers_problem


def test_symlinked_wrapper_folder_is_not_followed(tmp_path):
    write(tmp_path / "reference" / "hw07.py", "SECRET = 1\n")
    folder = tmp_path / "eve"
    folder.mkdir()
    (folder / "work").symlink_to(tmp_path / "reference")
    submission = read(folder)
    assert submission.files == {}


def test_fifo_is_skipped_without_blocking(tmp_path):
    folder = tmp_path / "eve"
    write(folder / "answers.yaml", "1.1: 1\n")
    os.mkfifo(folder / "hw07.py")
    submission = read(folder)
    assert submission.files == {}
    assert any("not a regular file" in note for note in submission.notes)


def test_alias_bomb_costs_the_answers_file_only(tmp_path):
    lines = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"a{index}: &a{index} [" + ", ".join([f"*a{index - 1}"] * 10) + "]" for index in range(1, 10)]
    lines += ['"2.1": *a9', '"1.1": 5']
    write(tmp_path / "eve" / "answers.yaml", "\n".join(lines) + "\n")
    submission = read(tmp_path / "eve")
    assert submission.answers["1.1"].value == 5
    assert any("expands to more than" in note for note in submission.notes)


def test_recursive_alias_is_a_problem(tmp_path):
    write(tmp_path / "eve" / "answers.yaml", '"2.1": &loop [*loop]\n"1.1": 5\n')
    submission = read(tmp_path / "eve")
    assert "2.1" in submission.problems
    assert "alias" in submission.problems["2.1"]
    assert submission.answers["1.1"].value == 5


def test_deep_nesting_is_a_problem(tmp_path):
    write(tmp_path / "eve" / "answers.yaml", '"2.1": ' + "[" * 5000 + "]" * 5000 + '\n"1.1": 5\n')
    submission = read(tmp_path / "eve")
    assert "nest" in submission.problems["2.1"]
    assert submission.answers["1.1"].value == 5


def test_encrypted_zip_member_is_skipped(tmp_path):
    archive = tmp_path / "eve.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("answers.yaml", "1.1: 7\n")
        handle.writestr("hw07.py", "x = 1\n")
    # zipfile cannot encrypt, so set the "encrypted" flag of hw07.py in its
    # local header (offset 6) and central directory entry (offset 8).
    data = bytearray(archive.read_bytes())
    local = data.index(b"PK\x03\x04", data.index(b"PK\x03\x04") + 4)
    central = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 4)
    data[local + 6] |= 0x1
    data[central + 8] |= 0x1
    archive.write_bytes(bytes(data))
    submission = read(archive)
    assert submission.answers["1.1"].value == 7
    assert submission.files == {}
    assert any("encrypted" in note for note in submission.notes)


def test_zip_symlink_member_is_skipped(tmp_path):
    archive = tmp_path / "eve.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        link = zipfile.ZipInfo("hw07.py")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        handle.writestr(link, "/work/main/reference/hw07.py")
    submission = read(archive)
    assert submission.files == {}
    assert any("symbolic link" in note for note in submission.notes)


def test_only_needed_files_are_read(tmp_path):
    folder = tmp_path / "eve"
    write(folder / "answers.yaml", "1.1: 1\n")
    write(folder / "data.csv", "1,2,3\n")
    first = read(folder).content_hash
    write(folder / "data.csv", "4,5,6\n")
    assert read(folder).content_hash == first


def test_python_file_count_is_capped(tmp_path):
    folder = tmp_path / "eve"
    for index in range(60):
        write(folder / f"module{index:02d}.py", "x = 1\n")
    submission = read(folder)
    assert len(submission.files) == 50
    assert any("first 50 Python files" in note for note in submission.notes)


def test_misnamed_answers_file_is_named(tmp_path):
    write(tmp_path / "eve" / "answer.yaml", "1.1: 1\n")
    assert "It contains 'answer.yaml': rename it to answers.yaml." in read(tmp_path / "eve").answers_problem


def test_unknown_part_notes_are_capped(tmp_path):
    write(tmp_path / "eve" / "answers.yaml", "".join(f"x{index}: 1\n" for index in range(100)))
    notes = read(tmp_path / "eve").notes
    assert len(notes) == 11
    assert notes[-1] == "answers.yaml answers 90 more parts that do not exist."


def test_answer_starting_with_hash_is_explained(tmp_path):
    write(tmp_path / "eve" / "answers.yaml", '1.1: #6\n"1.2":   # left blank\n2.1: 5\n')
    submission = read(tmp_path / "eve")
    assert "starts with '#'" in submission.problems["1.1"]
    assert "1.2" not in submission.problems
    assert "1.2" not in submission.answers


def test_zip_with_many_other_files_is_read(tmp_path):
    archive = tmp_path / "eve.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("answers.yaml", "1.1: 7\n")
        handle.writestr("hw07.py", "x = 1\n")
        for index in range(600):
            handle.writestr(f".git/objects/{index:03d}", "blob")
        handle.writestr("data.csv", "0" * 3_000_000)
    submission = read(archive)
    assert submission.answers["1.1"].value == 7
    assert submission.files == {"hw07.py": "x = 1\n"}
