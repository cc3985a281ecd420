"""Answer checkers, one module per part type, looked up by the part's ``type``."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import MappingProxyType

from autograder.checkers.base import Answer, Checker, PartContext
from autograder.spec import PartBase

# Each type maps to "module:class". Modules are imported on first use, so a
# spec without expression parts never loads the expression engine.
CHECKER_CLASSES: Mapping[str, str] = MappingProxyType(
    {
        "expression": "autograder.checkers.expression:ExpressionChecker",
        "number": "autograder.checkers.numeric:NumberChecker",
        "matrix": "autograder.checkers.numeric:MatrixChecker",
        "choice": "autograder.checkers.choice:ChoiceChecker",
        "set": "autograder.checkers.collection:SetChecker",
        "list": "autograder.checkers.collection:ListChecker",
        "polygon": "autograder.checkers.polygon:PolygonChecker",
        "code": "autograder.checkers.code:CodeChecker",
    }
)


def build_checker(part: PartBase, context: PartContext) -> Checker:
    """Build the checker for ``part``; raises ``SpecError`` if the part is invalid."""
    module_name, class_name = CHECKER_CLASSES[part.type].split(":")  # type: ignore[attr-defined]
    checker_class = getattr(importlib.import_module(module_name), class_name)
    return checker_class(part, context)


__all__ = ["Answer", "Checker", "PartContext", "CHECKER_CLASSES", "build_checker"]
