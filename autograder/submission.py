"""Reading one student's submission: a folder or a .zip file holding an answers
file and the student's Python module.

Reading never raises for a bad answers file: every problem it finds is
recorded against the part it affects, so it costs that part only. Only a
submission that cannot be opened at all (a corrupt zip file) raises
``SubmissionError``.
"""

from __future__ import annotations

import difflib
import errno
import hashlib
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from autograder.checkers.base import Answer
from autograder.errors import SubmissionError
from autograder.yamlsource import Document, YAMLSyntaxError, load, split_top_level

MAX_FILE_BYTES = 1_000_000
# An archive may list this many files. Only the answers file and the Python
# files at its top are unpacked, each up to MAX_FILE_BYTES.
MAX_ZIP_MEMBERS = 100_000
MAX_PYTHON_FILES = 50
MAX_ANSWER_VALUES = 200_000
MAX_NOTES = 10
ANSWER_FILE_ALIASES = ("answers.yml",)

_KEY_AT_LINE_START = re.compile(r"""^\s*(["']?)(?P<key>[^:"'#]+?)\1\s*:""")


@dataclass(frozen=True)
class Submission:
    """What was read from one submission, ready for grading.

    ``answers`` maps part ids to answers. ``problems`` maps part ids whose
    answer could not be read to the reason. ``files`` holds the Python files
    at the top of the submission, by name. ``answers_problem`` is set when the
    answers file as a whole is missing or unreadable. ``notes`` are remarks about
    the submission as a whole, such as answers to parts that do not exist.
    """

    name: str
    source: Path
    answers: Mapping[str, Answer]
    problems: Mapping[str, str] = field(default_factory=dict)
    files: Mapping[str, str] = field(default_factory=dict)
    answers_problem: str | None = None
    notes: tuple[str, ...] = ()
    content_hash: str = ""
    # Python files at the top of the submission that are not UTF-8 text.
    undecodable_files: tuple[str, ...] = ()


def read_submission(path: Path, *, answers_name: str, part_ids: Iterable[str]) -> Submission:
    """Read the submission folder or zip file at ``path``.

    Only the answers file and the Python files at the top of the submission
    are read. Symbolic links are never followed, so a submission cannot pull
    in files from elsewhere on the grader's machine.
    """
    wanted = _FileFilter(answers_name)
    if path.suffix.lower() == ".zip":
        listing = _read_zip(path, wanted)
        name = path.stem
    else:
        listing = _read_folder(path, wanted)
        name = path.name
    raw_files = listing.files
    content_hash = _hash_files(raw_files)

    files: dict[str, str] = {}
    undecodable: list[str] = []
    notes: list[str] = list(listing.notes)
    for file_name, data in sorted(raw_files.items()):
        if data is None:
            notes.append(f"{file_name} is larger than {MAX_FILE_BYTES // 1_000_000} MB and was not read.")
            continue
        if not file_name.endswith(".py"):
            continue
        try:
            files[file_name] = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            notes.append(f"{file_name} is not UTF-8 text and was ignored.")
            undecodable.append(file_name)

    answers_file = answers_name
    if answers_file not in raw_files:
        answers_file = next((alias for alias in ANSWER_FILE_ALIASES if alias in raw_files), answers_file)
    answers_data = raw_files.get(answers_file)
    if answers_data is None:
        return Submission(
            name=name,
            source=path,
            answers={},
            files=files,
            answers_problem=(
                _not_found_message(answers_name, listing.names)
                if answers_file not in raw_files
                else f"{answers_file} is larger than {MAX_FILE_BYTES // 1_000_000} MB and was not read."
            ),
            notes=tuple(notes),
            content_hash=content_hash,
            undecodable_files=tuple(undecodable),
        )

    try:
        text = answers_data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Submission(
            name=name,
            source=path,
            answers={},
            files=files,
            answers_problem=f"{answers_file} is not UTF-8 text; save it as UTF-8.",
            notes=tuple(notes),
            content_hash=content_hash,
            undecodable_files=tuple(undecodable),
        )

    answers, problems, answers_problem, answer_notes = parse_answers(text, answers_file, set(part_ids))
    return Submission(
        name=name,
        source=path,
        answers=answers,
        problems=problems,
        files=files,
        answers_problem=answers_problem,
        notes=tuple(notes + answer_notes),
        content_hash=content_hash,
        undecodable_files=tuple(undecodable),
    )


def parse_answers(
    text: str, file_name: str, part_ids: set[str]
) -> tuple[dict[str, Answer], dict[str, str], str | None, list[str]]:
    """Parse an answers file into answers, per-part problems, a whole-file
    problem and notes.

    A file with a YAML syntax error is parsed again one top-level entry at a
    time, so that one broken answer costs only its own part.
    """
    answers: dict[str, Answer] = {}
    problems: dict[str, str] = {}
    notes: list[str] = []

    document = load(text, max_values=MAX_ANSWER_VALUES)
    if isinstance(document, YAMLSyntaxError):
        notes.append(
            f"{file_name} is not valid YAML (the parser stopped"
            + (f" near line {document.line}" if document.line else "")
            + f": {document.message}), so each answer was read on its own; "
            "the parts whose lines could not be read say so."
        )
        for start, chunk in split_top_level(text):
            piece = load("\n" * (start - 1) + chunk, max_values=MAX_ANSWER_VALUES)
            if isinstance(piece, YAMLSyntaxError) or not isinstance(piece.data, dict):
                match = _KEY_AT_LINE_START.match(chunk)
                if match:
                    problems[match.group("key").strip()] = _describe_broken_entry(piece, chunk, start, file_name)
                continue
            _collect(piece, answers, problems, file_name, text)
    elif document.data is None:
        return {}, {}, f"{file_name} is empty.", notes
    elif not isinstance(document.data, dict):
        return {}, {}, f"{file_name} must map part ids to answers, one per line, like '2.4: 0.665'.", notes
    else:
        _collect(document, answers, problems, file_name, text)

    unknown = sorted((set(answers) | set(problems)) - part_ids)
    for key in unknown:
        answers.pop(key, None)
        problems.pop(key, None)
    for key in unknown[:MAX_NOTES]:
        guess = difflib.get_close_matches(key, sorted(part_ids), n=1, cutoff=0.6)
        hint = f"; did you mean {guess[0]!r}?" if guess else ""
        notes.append(f"{file_name} answers a part {key!r} that does not exist{hint}")
    if len(unknown) > MAX_NOTES:
        notes.append(f"{file_name} answers {len(unknown) - MAX_NOTES} more parts that do not exist.")
    return answers, problems, None, notes


def _starts_with_comment(source_line: str) -> bool:
    """Return whether the value after the key looks like an answer that YAML
    read as a comment: a '#' directly followed by text, as in ``5.A.i: #6``.
    A comment with a space after the '#' is taken as a real comment."""
    match = _KEY_AT_LINE_START.match(source_line)
    if not match:
        return False
    rest = source_line[match.end() :].lstrip()
    return rest.startswith("#") and len(rest) > 1 and not rest[1].isspace()


def _describe_broken_entry(
    piece: Document | YAMLSyntaxError, chunk: str, start: int, file_name: str
) -> str:
    """Explain to the student why one entry of the answers file is unreadable."""
    detail = piece.message if isinstance(piece, YAMLSyntaxError) else "not a 'part: answer' entry"
    message = f"Line {start} of {file_name} could not be read as YAML ({detail})."
    for opening, closing in ("[]", "()", "{}"):
        if chunk.count(opening) != chunk.count(closing):
            return f"{message} Its {opening}{closing} brackets are unbalanced: {chunk.count(opening)} '{opening}' and {chunk.count(closing)} '{closing}'."
    return f"{message} Put the answer in quotes if it contains ': ' or ' #', or starts with a bracket, a quote, '- ', '? ' or one of , * & ! | > % @ `."


def _collect(
    document: Document, answers: dict[str, Answer], problems: dict[str, str], file_name: str, text: str
) -> None:
    source_lines = text.splitlines()
    for key, value in document.data.items():
        line = document.line((key,))
        key = key.strip()
        if value is None:
            if line is not None and _starts_with_comment(source_lines[line - 1]):
                problems[key] = (
                    f"Your answer on line {line} starts with '#', which YAML reads as a comment, so it is empty. "
                    "Remove the '#', or put the answer in quotes."
                )
            continue
        answers[key] = Answer(value=value, text=document.texts.get((key,)), line=line)
    for key_path, first, second in document.duplicates:
        key = str(key_path[0]).strip()
        answers.pop(key, None)
        problems[key] = f"Part {key} is answered twice in {file_name} (lines {first} and {second}); keep only one answer."


@dataclass(frozen=True)
class _FileFilter:
    """The test for the top-level files of a submission that the grader reads."""

    answers_name: str

    def __call__(self, name: str) -> bool:
        return name == self.answers_name or name in ANSWER_FILE_ALIASES or name.endswith(".py")


@dataclass
class _Listing:
    """The files read from a submission, a file over the size limit mapping to
    None, with every top-level name seen and notes on what was skipped."""

    files: dict[str, bytes | None] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    python_files: int = 0

    def add(self, name: str, data: bytes | None) -> None:
        if name.endswith(".py"):
            self.python_files += 1
            if self.python_files > MAX_PYTHON_FILES:
                if self.python_files == MAX_PYTHON_FILES + 1:
                    self.notes.append(f"Only the first {MAX_PYTHON_FILES} Python files were read.")
                return
        self.files[name] = data


def _read_folder(path: Path, wanted: _FileFilter) -> _Listing:
    if path.is_symlink() and not path.is_dir():
        raise SubmissionError(f"{path} is a symbolic link, not a submission folder")
    if not path.is_dir():
        raise SubmissionError(f"{path} is neither a folder nor a .zip file")
    folder = path
    try:
        entries = [entry for entry in folder.iterdir() if not entry.name.startswith(".")]
        # An LMS export may wrap the work in one more folder.
        if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink():
            folder = entries[0]
            entries = [entry for entry in folder.iterdir() if not entry.name.startswith(".")]
    except OSError as error:
        raise SubmissionError(f"{path} cannot be read: {error.strerror}") from None

    listing = _Listing()
    for entry in sorted(entries)[: MAX_ZIP_MEMBERS]:
        listing.names.append(entry.name)
        if not wanted(entry.name):
            continue
        if entry.is_symlink():
            listing.notes.append(f"{entry.name} is a symbolic link and was ignored; submit the file itself.")
            continue
        data = _read_regular_file(entry)
        if isinstance(data, str):
            listing.notes.append(f"{entry.name} {data} and was ignored.")
            continue
        listing.add(entry.name, data)
    return listing


def _read_regular_file(path: Path) -> bytes | None | str:
    """Read a regular file without following links; None when it is too
    large, or the reason it cannot be read."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        return "cannot be opened" if error.errno != errno.ELOOP else "is a symbolic link"
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return "is not a regular file"
        if status.st_size > MAX_FILE_BYTES:
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        return None if len(data) > MAX_FILE_BYTES else data
    except OSError:
        return "cannot be read"
    finally:
        os.close(descriptor)


def _read_zip(path: Path, wanted: _FileFilter) -> _Listing:
    """Read the wanted files at the top of an archive (or of its one top folder).

    Other members, such as a ``.git`` folder or a data set next to the
    answers, are listed but never unpacked, so they cost nothing and do not
    count toward any limit.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir() and not info.filename.startswith("__MACOSX/")
            ]
            if len(members) > MAX_ZIP_MEMBERS:
                raise SubmissionError(f"{path.name} lists more than {MAX_ZIP_MEMBERS} files; submit only your work")
            names = [PurePosixPath(info.filename) for info in members]
            prefix = _common_folder(names)
            listing = _Listing()
            for info, name in zip(members, names):
                relative = name.relative_to(prefix) if prefix else name
                if len(relative.parts) != 1 or relative.name.startswith("."):
                    continue
                listing.names.append(relative.name)
                if not wanted(relative.name):
                    continue
                if stat.S_ISLNK(info.external_attr >> 16):
                    listing.notes.append(f"{relative.name} is a symbolic link and was ignored; submit the file itself.")
                    continue
                if info.flag_bits & 0x1:
                    listing.notes.append(f"{relative.name} is encrypted and was ignored; submit it without a password.")
                    continue
                if info.file_size > MAX_FILE_BYTES:
                    listing.add(relative.name, None)
                    continue
                listing.add(relative.name, _read_member(archive, info))
            return listing
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error) as error:
        raise SubmissionError(f"{path.name} is not a readable zip file: {error}") from None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """Read a member, stopping at the size limit whatever its header claims."""
    with archive.open(info) as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    return None if len(data) > MAX_FILE_BYTES else data


def _not_found_message(expected: str, names: list[str]) -> str:
    message = f"{expected} was not found in the submission."
    if not names:
        return message + " The submission is empty."
    guesses = difflib.get_close_matches(expected, names, n=1, cutoff=0.5)
    if guesses:
        return message + f" It contains {guesses[0]!r}: rename it to {expected}."
    shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
    return message + f" It contains: {shown}."


def _common_folder(names: list[PurePosixPath]) -> PurePosixPath | None:
    """Return the one folder that contains every member, if there is one."""
    tops = {name.parts[0] for name in names if len(name.parts) > 1}
    if len(tops) == 1 and all(len(name.parts) > 1 for name in names):
        return PurePosixPath(tops.pop())
    return None


def _hash_files(files: Mapping[str, bytes | None]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        encoded = name.encode("utf-8")
        data = files[name] or b""
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()
