"""Finding the submissions under the paths given on the command line."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from autograder.errors import UsageError
from autograder.submission import ANSWER_FILE_ALIASES

logger = logging.getLogger(__name__)

# Files that mark a folder with no subfolders as one student's work, even
# when they are misnamed (answer.yaml, hw7.py).
SUBMISSION_SUFFIXES = (".yaml", ".yml", ".py")


def is_submission(path: Path, marker_files: Iterable[str]) -> bool:
    """Return whether ``path`` is itself one submission.

    That is a .zip file, a folder that directly contains the answers file or
    the student module, or a folder without subfolders or archives that is
    empty or holds YAML or Python files (a submission with misnamed files,
    which grading then explains to the student).
    """
    if path.is_file():
        return path.suffix.lower() == ".zip"
    if any((path / name).is_file() for name in (*marker_files, *ANSWER_FILE_ALIASES)):
        return True
    children = [child for child in path.iterdir() if not child.name.startswith(".")]
    if any(child.is_dir() or child.suffix.lower() == ".zip" for child in children):
        return False
    return not children or any(child.suffix.lower() in SUBMISSION_SUFFIXES for child in children)


def find_submissions(paths: Iterable[Path], marker_files: Iterable[str]) -> list[Path]:
    """Expand each path to the submissions it holds, sorted by name.

    A path that is a submission stands for itself. Any other folder stands for
    every non-hidden subfolder and .zip file directly inside it; loose files
    such as a list of expected scores are ignored, and so are symbolic links,
    which could point anywhere on the machine. Raises ``UsageError`` for a
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
        children: list[Path] = []
        for child in sorted(path.iterdir()):
            if child.name.startswith((".", "_")) or not (child.is_dir() or child.suffix.lower() == ".zip"):
                continue
            if child.is_symlink():
                logger.warning("skipping %s: it is a symbolic link", child)
                continue
            children.append(child)
        if not children:
            raise UsageError(f"{path}: no submission folders or .zip files inside")
        found.extend(children)
    return found
