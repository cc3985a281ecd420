"""A throwaway course for batch tests: a spec, a reference module and submissions under a folder."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path

from tests.conftest import write

SPEC = """
title: Batch quiz
reference: reference.py
submission:
  answers: answers.yaml
  module: quiz.py
parts:
  - id: "1"
    type: number
    prompt: What is one half?
    answer: 0.5
  - id: "2"
    type: choice
    prompt: Pick the shape.
    options: [Line, Circle]
    answer: Line
  - id: "3"
    type: set
    points: 2
    prompt: Which facts justify the step?
    answer: [6, 8]
    check: record_facts
  - id: "4"
    type: expression
    prompt: Give the derivative of x**2.
    variables:
      x: [-2, 2]
    answer: "2*x"
  - id: "5"
    type: code
    points: 2
    prompt: Write double(x), which returns twice x.
    function: double
    cases: [[1], [2.5], [-3]]
"""

# record_facts logs every call, with the process id, so that tests can count
# how often the checker judged an answer and in which process.
REFERENCE = """
import os

LOG = {log!r}


def record_facts(value):
    with open(LOG, "a", encoding="utf-8") as handle:
        handle.write(f"{{os.getpid()}} {{value}}\\n")
    if value == [99]:
        os._exit(7)
    return sorted(set(value)) == [6, 8], ""


def double(x):
    return 2 * x
"""

RIGHT_CODE = "def double(x):\n    return 2 * x\n"
WRONG_CODE = "def double(x):\n    return x + 2\n"
SLOW_CODE = "import time\n\n\ndef double(x):\n    time.sleep({seconds})\n    return 2 * x\n"
BROKEN_CODE = "def double(x)\n    return 2 * x\n"


def write_course(root: Path, spec: str = SPEC) -> Path:
    """Write the spec and reference under ``root``; return the spec path."""
    write(root / "reference.py", REFERENCE.format(log=str(root / "calls.log")))
    return write(root / "quiz.yaml", spec)


def write_submission(folder: Path, answers: Mapping[str, str], code: str | None = RIGHT_CODE) -> Path:
    """Write one submission folder: answers as YAML lines (values as typed), and the module."""
    lines = [f'"{part}": {text}' for part, text in answers.items()]
    write(folder / "answers.yaml", "\n".join(lines) + "\n")
    if code is not None:
        write(folder / "quiz.py", code)
    return folder


def answers_for(index: int) -> dict[str, str]:
    """Answers that repeat across students, so that the batch has few distinct pairs."""
    halves = ["0.5", "1/2", "0.25"]
    shapes = ["Line", "line", "Circle"]
    facts = ["[6, 8]", "[8, 6]", "[6]"]
    derivatives = ["2*x", "2 x", "x^2"]
    return {
        "1": halves[index % 3],
        "2": shapes[(index // 3) % 3],
        "3": facts[index % 3],
        "4": derivatives[(index // 2) % 3],
    }


def write_class(folder: Path, count: int, code: str = RIGHT_CODE) -> list[Path]:
    return [write_submission(folder / f"student{index:03d}", answers_for(index), code) for index in range(count)]


def logged_calls(root: Path) -> list[str]:
    log = root / "calls.log"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def recorded_rows(gradebook: Path) -> int:
    """Count the submissions recorded in a gradebook, reading it as another program would."""
    if not gradebook.exists():
        return 0
    connection = sqlite3.connect(f"file:{gradebook}?mode=ro", uri=True, timeout=5)
    try:
        return connection.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        connection.close()


def output_files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, for byte-for-byte comparison."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def cli_environment() -> dict[str, str]:
    """The environment for a CLI subprocess: this one, with the repository importable."""
    environment = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    environment["PYTHONPATH"] = root + os.pathsep + environment.get("PYTHONPATH", "")
    return environment


def load_json(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))
