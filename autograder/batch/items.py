"""Finding the submissions of a batch, naming them and hashing their content."""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from autograder.discovery import find_submissions
from autograder.errors import UsageError
from autograder.submission import MAX_FILE_BYTES

logger = logging.getLogger(__name__)

HASH_CHUNK_BYTES = 1 << 20
MAX_HASHED_BYTES = 20_000_000


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
            f"so rename one, or grade them in separate runs with different --gradebook files "
            f"({len(clashes)} name(s) clash in total)"
        )
    return sorted(items, key=lambda item: item.name)


def hash_submission(path: Path) -> str:
    """Return a SHA-256 digest of everything that reading the submission can see.

    For a .zip file this is the archive's bytes. For a folder it covers the
    entries at the top and one level down (where an LMS wraps the work):
    each entry's name and kind, the target of a symbolic link (which is
    never followed, as the reader never follows one), and the content of
    each regular file. A file larger than the reader's size limit, and any
    file after the first ``MAX_HASHED_BYTES`` of content, contributes its
    size and modification time instead, so that a folder full of data files
    costs little to hash. Any change that could change a grade changes the
    digest. Some changes that cannot (a new hidden file) change it too.
    """
    digest = hashlib.sha256()
    if _is_zip(path):
        # The archive itself may be a link that the instructor's export made; follow it.
        _feed_file(digest, path, os.stat(path), limit=None, budget=[MAX_HASHED_BYTES], follow=True)
        return digest.hexdigest()
    if not path.is_dir():
        digest.update(b"missing")
        return digest.hexdigest()
    budget = [MAX_HASHED_BYTES]
    for entry in _sorted_entries(path):
        is_folder = _feed_entry(digest, entry, entry.name, budget)
        if is_folder:
            for inner in _sorted_entries(entry):
                _feed_entry(digest, inner, f"{entry.name}/{inner.name}", budget)
    return digest.hexdigest()


def _sorted_entries(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError as error:
        logger.debug("cannot list %s while hashing: %s", folder, error)
        return []


def _feed_entry(digest: hashlib._Hash, entry: Path, relative: str, budget: list[int]) -> bool:
    """Add one entry to the digest without following links; return whether it is a folder."""
    try:
        status = os.lstat(entry)
    except OSError:
        status = None
    if status is None:
        kind = b"?"
    elif stat.S_ISLNK(status.st_mode):
        kind = b"l"
    elif stat.S_ISDIR(status.st_mode):
        kind = b"d"
    elif stat.S_ISREG(status.st_mode):
        kind = b"f"
    else:
        kind = b"o"
    encoded = relative.encode("utf-8", "surrogateescape")
    digest.update(kind + len(encoded).to_bytes(8, "big") + encoded)
    if kind == b"l":
        try:
            target = os.fsencode(os.readlink(entry))
        except OSError:
            target = b"?"
        digest.update(len(target).to_bytes(8, "big") + target)
    elif kind == b"f" and status is not None:
        _feed_file(digest, entry, status, limit=MAX_FILE_BYTES, budget=budget, follow=False)
    return kind == b"d"


def _feed_file(
    digest: hashlib._Hash,
    path: Path,
    status: os.stat_result,
    *,
    limit: int | None,
    budget: list[int],
    follow: bool,
) -> None:
    """Add a regular file's size and content, or its size and modification time when over a limit.

    ``budget`` is a one-element list with the content bytes still to hash in
    this submission, shared between calls.
    """
    digest.update(status.st_size.to_bytes(8, "big"))
    over_limit = limit is not None and status.st_size > limit
    if over_limit or status.st_size > budget[0]:
        digest.update(status.st_mtime_ns.to_bytes(8, "big", signed=True))
        return
    budget[0] -= status.st_size
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow else os.O_NOFOLLOW)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        # The reader reports an unreadable file to the student; here it only
        # has to change the digest, so that a later readable version regrades.
        logger.debug("cannot open %s while hashing: %s", path, error)
        digest.update(b"unreadable")
        return
    with os.fdopen(descriptor, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK_BYTES):
            digest.update(chunk)


def _is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip" and path.is_file()


def _single_archive(path: Path, markers: tuple[str, ...]) -> Path | None:
    """Return the one .zip inside a folder that holds nothing else, if it is one."""
    if not path.is_dir() or any((path / marker).is_file() for marker in markers):
        return None
    entries = [entry for entry in path.iterdir() if not entry.name.startswith(".")]
    # A link inside a student's folder is the student's doing, so it is never followed.
    if len(entries) == 1 and _is_zip(entries[0]) and not entries[0].is_symlink():
        return entries[0]
    return None
