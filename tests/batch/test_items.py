"""Finding, naming and hashing the submissions of a batch."""

from __future__ import annotations

import os
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


def test_folder_with_one_archive(tmp_path):
    archive = make_zip(tmp_path / "export" / "Ann Lee_123" / "hw.zip", {"answers.yaml": "1: 0.5\n"})
    write(tmp_path / "export" / "ben" / "answers.yaml", "1: 0.5\n")
    items = find_batch_items([tmp_path / "export"], MARKERS)
    assert [item.name for item in items] == ["Ann Lee_123", "ben"]
    assert items[0].path == archive


def test_linked_single_archive_is_not_followed(tmp_path):
    archive = make_zip(tmp_path / "elsewhere" / "hw.zip", {"answers.yaml": "1: 0.5\n"})
    (tmp_path / "export" / "ann").mkdir(parents=True)
    (tmp_path / "export" / "ann" / "hw.zip").symlink_to(archive)
    items = find_batch_items([tmp_path / "export"], MARKERS)
    assert items[0].path == tmp_path / "export" / "ann"


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


def test_hash_of_big_file_uses_size_and_time(tmp_path, monkeypatch):
    monkeypatch.setattr("autograder.batch.items.MAX_FILE_BYTES", 10)
    folder = write(tmp_path / "ann" / "answers.yaml", "1: 0.5\n").parent
    big = write(folder / "data.csv", "a" * 100)
    stamp = big.stat().st_mtime_ns
    before = hash_submission(folder)

    big.write_text("b" * 100)
    os.utime(big, ns=(stamp, stamp))
    unread = hash_submission(folder)
    big.write_text("b" * 101)
    os.utime(big, ns=(stamp, stamp))
    assert unread == before
    assert hash_submission(folder) != before


def test_hash_does_not_follow_links(tmp_path):
    secret = write(tmp_path / "secret.txt", "one\n")
    folder = write(tmp_path / "ann" / "answers.yaml", "1: 0.5\n").parent
    (folder / "quiz.py").symlink_to(secret)
    before = hash_submission(folder)
    secret.write_text("two\n")
    assert hash_submission(folder) == before
    (folder / "quiz.py").unlink()
    (folder / "quiz.py").symlink_to(tmp_path / "elsewhere.txt")
    assert hash_submission(folder) != before


def test_hash_skips_fifos(tmp_path):
    folder = write(tmp_path / "ann" / "answers.yaml", "1: 0.5\n").parent
    os.mkfifo(folder / "quiz.py")
    assert len(hash_submission(folder)) == 64


def test_hash_follows_a_linked_archive(tmp_path):
    archive = make_zip(tmp_path / "store" / "ann.zip", {"answers.yaml": "1: 0.5\n"})
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "ann.zip").symlink_to(archive)
    before = hash_submission(tmp_path / "class" / "ann.zip")
    make_zip(archive, {"answers.yaml": "1: 0.25\n"})
    assert hash_submission(tmp_path / "class" / "ann.zip") != before
