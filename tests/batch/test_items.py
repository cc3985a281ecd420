"""Finding, naming and hashing the submissions of a batch."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from autograder.batch.items import find_batch_items, hash_submission
from autograder.errors import UsageError
from tests.conftest import write

MARKERS = ["answers.yaml", "quiz.py"]


def make_zip(path: Path, files: dict[str, str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def test_items_sorted_by_name(tmp_path):
    write(tmp_path / "class" / "cat" / "answers.yaml", "1: 0.5\n")
    write(tmp_path / "class" / "ann" / "answers.yaml", "1: 0.5\n")
    make_zip(tmp_path / "class" / "ben.zip", {"ben/answers.yaml": "1: 0.5\n"})
    write(tmp_path / "class" / "notes.txt", "not a submission\n")
    items = find_batch_items([tmp_path / "class"], MARKERS)
    assert [item.name for item in items] == ["ann", "ben", "cat"]
    assert items[1].path.name == "ben.zip"


def test_folder_holding_one_archive_stands_for_it(tmp_path):
    archive = make_zip(tmp_path / "export" / "Ann Lee_123" / "hw.zip", {"answers.yaml": "1: 0.5\n"})
    write(tmp_path / "export" / "ben" / "answers.yaml", "1: 0.5\n")
    items = find_batch_items([tmp_path / "export"], MARKERS)
    assert [item.name for item in items] == ["Ann Lee_123", "ben"]
    assert items[0].path == archive


def test_duplicate_names_are_rejected(tmp_path):
    write(tmp_path / "a" / "ann" / "answers.yaml", "1: 0.5\n")
    make_zip(tmp_path / "b" / "ann.zip", {"answers.yaml": "1: 0.5\n"})
    with pytest.raises(UsageError, match="two submissions are named 'ann'"):
        find_batch_items([tmp_path / "a", tmp_path / "b"], MARKERS)


def test_hash_is_stable(tmp_path):
    folder = write(tmp_path / "ann" / "answers.yaml", "1: 0.5\n").parent
    write(folder / "quiz.py", "x = 1\n")
    assert hash_submission(folder) == hash_submission(folder)


@pytest.mark.parametrize(
    "change",
    [
        lambda folder: (folder / "answers.yaml").write_text("1: 0.25\n"),
        lambda folder: (folder / "quiz.py").unlink(),
        lambda folder: (folder / "helper.py").write_text("y = 2\n"),
        lambda folder: (folder / "quiz.py").rename(folder / "quiz2.py"),
    ],
    ids=["edited", "deleted", "added", "renamed"],
)
def test_hash_changes_with_content(tmp_path, change):
    folder = write(tmp_path / "ann" / "answers.yaml", "1: 0.5\n").parent
    write(folder / "quiz.py", "x = 1\n")
    before = hash_submission(folder)
    change(folder)
    assert hash_submission(folder) != before


def test_hash_sees_inside_a_wrapper_folder(tmp_path):
    inner = write(tmp_path / "ann" / "attempt-1" / "answers.yaml", "1: 0.5\n")
    before = hash_submission(tmp_path / "ann")
    inner.write_text("1: 0.25\n")
    assert hash_submission(tmp_path / "ann") != before


def test_hash_of_zip_follows_its_bytes(tmp_path):
    archive = make_zip(tmp_path / "ann.zip", {"answers.yaml": "1: 0.5\n"})
    before = hash_submission(archive)
    make_zip(archive, {"answers.yaml": "1: 0.25\n"})
    assert hash_submission(archive) != before


def test_hash_of_big_file_uses_its_size(tmp_path, monkeypatch):
    monkeypatch.setattr("autograder.batch.items.MAX_FILE_BYTES", 10)
    folder = write(tmp_path / "ann" / "answers.yaml", "1: 0.5\n").parent
    big = write(folder / "data.csv", "a" * 100)
    before = hash_submission(folder)
    big.write_text("b" * 100)
    same_size = hash_submission(folder)
    big.write_text("b" * 101)
    assert same_size == before
    assert hash_submission(folder) != before
