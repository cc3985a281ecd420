"""Builders shared by the expression tests: parts, checkers and name tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autograder.checkers.base import Answer, PartContext
from autograder.checkers.expression import ExpressionChecker
from autograder.spec import ExpressionPart
from autograder.yamlsource import Document


def make_part(answer: Any, variables: dict[str, Any] | None = None, **options: Any) -> ExpressionPart:
    """Build an expression part as the spec loader would, from YAML-shaped data."""
    return ExpressionPart(
        id="1.1",
        prompt="Enter the expression.",
        type="expression",
        answer=answer,
        variables=variables or {},
        **options,
    )


def make_checker(answer: Any, variables: dict[str, Any] | None = None, **options: Any) -> ExpressionChecker:
    """Build the checker of a one-part spec without going through a YAML file."""
    context = PartContext(spec_path=Path("problems/test.yaml"), index=0, document=Document(data=None), reference=None)
    return ExpressionChecker(make_part(answer, variables, **options), context)


def typed(text: str) -> Answer:
    """An answer typed as text, as the answers file delivers a string."""
    return Answer(value=text, text=text)
