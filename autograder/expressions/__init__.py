"""The expression engine: reads student math safely, evaluates it and decides equivalence.

Text is tokenized and parsed into a tree of whitelisted nodes (``parser``),
evaluated with numpy at seeded sample points (``numeric``, ``domains``),
compared with a tolerance rule (``equivalence``) and printed back as plain
text and LaTeX (``printers``). SymPy is imported only for the rare symbolic
fallback (``symbolic``).
"""

from __future__ import annotations

from autograder.expressions.constants import ConstantValue, evaluate_constant
from autograder.expressions.failures import ExpressionFailure
from autograder.expressions.limits import DEFAULT_LIMITS, Limits
from autograder.expressions.names import NameTable
from autograder.expressions.parser import Expression, parse

__all__ = [
    "ConstantValue",
    "DEFAULT_LIMITS",
    "Expression",
    "ExpressionFailure",
    "Limits",
    "NameTable",
    "evaluate_constant",
    "parse",
]
