"""Finding the submissions under the paths given on the command line."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from autograder.errors import UsageError


def is_submission(path: Path, marker_files: Iterable[str]) -> bool:
    """Return whether ``path`` is itself one submission: a .zip file, or a folder that
    directly contains the answers file or the student module."""
    if path.is_file():
        return path.suffix.lower() == ".zip"
    return any((path / name).is_file() for name in marker_files)


def find_submissions(paths: Iterable[Path], marker_files: Iterable[str]) -> list[Path]:
    """Expand each path to the submissions it holds, sorted by name.

    A path that is a submission stands for itself. Any other folder stands for
    every non-hidden subfolder and .zip file directly inside it; loose files
    such as a list of expected scores are ignored. Raises ``UsageError`` for a
    path that does not exist or contains no submissions.
    """
    markers = tuple(marker_files)
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if is_submission(path, markers):
            found.append(path)
            continue
        if not path.is_dir():
            raise UsageError(f"{path}: not a submission folder or .zip file")
        children = sorted(
            child
            for child in path.iterdir()
            if not child.name.startswith((".", "_"))
            and (child.is_dir() or child.suffix.lower() == ".zip")
        )
        if not children:
            raise UsageError(f"{path}: no submission folders or .zip files inside")
        found.extend(children)
    return found
