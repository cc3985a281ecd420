"""The README's two set-up commands stay true: CI runs the test command
verbatim, and the main command grades the shipped samples."""

from __future__ import annotations

import re

from tests.conftest import REPOSITORY

README = (REPOSITORY / "README.md").read_text(encoding="utf-8")


def shell_blocks() -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL)]


def test_readme_has_two_commands():
    assert len(shell_blocks()) == 2


def test_ci_runs_readme_test_command():
    test_command = shell_blocks()[1]
    ci_script = (REPOSITORY / ".ci" / "run").read_text(encoding="utf-8")
    assert "pytest" in test_command
    assert test_command in ci_script.splitlines()


def test_main_command_grades_samples():
    main_command = shell_blocks()[0]
    assert main_command.startswith("python3 -m venv .venv && ")
    assert main_command.endswith("autograder grade problems/hw07.yaml submissions/")


def test_linked_docs_exist():
    for link in re.findall(r"\]\((docs/[^)#]+)\)", README):
        assert (REPOSITORY / link).is_file(), link
