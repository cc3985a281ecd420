"""Shared fixtures: throwaway specs, reference modules and submissions under tmp_path."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from autograder.checkers.base import Answer, Checker
from autograder.loader import ProblemSet, load_problem_set

REPOSITORY = Path(__file__).resolve().parent.parent


def write(path: Path, text: str) -> Path:
    """Write dedented ``text`` to ``path``, creating folders, and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def make_spec(tmp_path: Path) -> Callable[..., ProblemSet]:
    """Write a spec (and optionally a reference module) and load it."""

    def make(spec: str, reference: str | None = None, name: str = "spec.yaml") -> ProblemSet:
        if reference is not None:
            write(tmp_path / "reference.py", reference)
        return load_problem_set(write(tmp_path / name, spec))

    return make


@pytest.fixture
def checker_for(make_spec: Callable[..., ProblemSet]) -> Callable[..., Checker]:
    """Build the checker of a one-part spec written as the YAML of that part."""

    def build(part_yaml: str, reference: str | None = None) -> Checker:
        header = "title: Test\n" + ("reference: reference.py\n" if reference else "")
        body = textwrap.indent(textwrap.dedent(part_yaml).strip(), "    ").replace("    ", "  - ", 1)
        problem_set = make_spec(header + "parts:\n" + body + "\n", reference)
        return next(iter(problem_set.checkers.values()))

    return build


def answer(value: object) -> Answer:
    """An answer as the answers file would deliver it."""
    return Answer(value=value, text=value if isinstance(value, str) else None)
