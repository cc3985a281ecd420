"""Finding the submissions of a batch, naming them and hashing their content."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from autograder.discovery import find_submissions
from autograder.errors import UsageError
from autograder.submission import MAX_FILE_BYTES

logger = logging.getLogger(__name__)

HASH_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class BatchItem:
    """One submission of a batch: the name it is recorded under and where it is.

    ``name`` is the student's folder name, or the stem of a .zip file. It keys
    the gradebook and the outputs, so it is unique within a batch.
    """

    name: str
    path: Path


def find_batch_items(paths: Iterable[Path], marker_files: Iterable[str]) -> list[BatchItem]:
    """Expand the command-line paths to the batch's submissions, sorted by name.

    Besides what ``find_submissions`` accepts, a student folder that holds
    nothing but one .zip file (as some LMS exports lay out an upload) stands
    for that archive, under the folder's name. Raises ``UsageError`` when two
    submissions would get the same name.
    """
    markers = tuple(marker_files)
    items: list[BatchItem] = []
    for path in find_submissions(paths, markers):
        name = path.stem if _is_zip(path) else path.name
        items.append(BatchItem(name, _single_archive(path, markers) or path))

    by_name: dict[str, list[BatchItem]] = {}
    for item in items:
        by_name.setdefault(item.name, []).append(item)
    clashes = {name: found for name, found in by_name.items() if len(found) > 1}
    if clashes:
        name, found = sorted(clashes.items())[0]
        where = " and ".join(str(item.path) for item in found)
        raise UsageError(
            f"two submissions are named {name!r} ({where}); the gradebook keys results by name, "
            f"so rename one or grade them in separate runs ({len(clashes)} name(s) clash in total)"
        )
    return sorted(items, key=lambda item: item.name)


def hash_submission(path: Path) -> str:
    """Return a SHA-256 digest of everything that reading the submission can see.

    For a .zip file this is the archive's bytes. For a folder it is the names
    of the entries at the top and one level down (where an LMS wraps the
    work), and the content of each file there. A file larger than the
    submission reader's limit contributes its size only, because the reader
    does not open it either. Any change that could change a grade changes
    the digest. Some changes that cannot (a new hidden file) change it too.
    """
    digest = hashlib.sha256()
    if _is_zip(path):
        _feed_file(digest, path, limit=None)
        return digest.hexdigest()
    if not path.is_dir():
        digest.update(b"missing")
        return digest.hexdigest()
    for entry in sorted(path.iterdir()):
        _feed_entry(digest, entry, entry.name)
        if entry.is_dir():
            for inner in sorted(entry.iterdir()):
                _feed_entry(digest, inner, f"{entry.name}/{inner.name}")
    return digest.hexdigest()


def _feed_entry(digest: hashlib._Hash, entry: Path, relative: str) -> None:
    encoded = relative.encode("utf-8", "surrogateescape")
    kind = b"d" if entry.is_dir() else b"f" if entry.is_file() else b"o"
    digest.update(kind + len(encoded).to_bytes(8, "big") + encoded)
    if kind == b"f":
        _feed_file(digest, entry, limit=MAX_FILE_BYTES)


def _feed_file(digest: hashlib._Hash, path: Path, *, limit: int | None) -> None:
    try:
        size = path.stat().st_size
        digest.update(size.to_bytes(8, "big"))
        if limit is not None and size > limit:
            return
        with path.open("rb") as handle:
            while chunk := handle.read(HASH_CHUNK_BYTES):
                digest.update(chunk)
    except OSError as error:
        # The reader reports an unreadable file to the student; here it only
        # has to change the digest, so that a later readable version regrades.
        logger.debug("cannot read %s while hashing: %s", path, error)
        digest.update(b"unreadable")


def _is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip" and path.is_file()


def _single_archive(path: Path, markers: tuple[str, ...]) -> Path | None:
    """Return the one .zip inside a folder that holds nothing else, if it is one."""
    if not path.is_dir() or any((path / marker).is_file() for marker in markers):
        return None
    entries = [entry for entry in path.iterdir() if not entry.name.startswith(".")]
    if len(entries) == 1 and _is_zip(entries[0]):
        return entries[0]
    return None
