"""Printers from the expression tree to plain text and LaTeX, showing how an answer was read.

Both printers make every implicit operation explicit (``2x`` prints as
``2*x``) and add only the brackets needed to keep the tree's meaning, so a
student can check the reading against what they meant: ``1/2x`` prints as
``1/2*x``, which is x/2.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from autograder.expressions.nodes import (
    Call,
    Constant,
    Factorial,
    Negate,
    Node,
    Number,
    Power,
    Product,
    Sum,
    Variable,
)
from autograder.expressions.tokens import GREEK_LETTERS

_GREEK_NAMES = frozenset(GREEK_LETTERS.values())

_LATEX_FUNCTIONS: Mapping[str, str] = MappingProxyType(
    {
        "exp": r"\exp",
        "log": r"\log",
        "sin": r"\sin",
        "cos": r"\cos",
        "tan": r"\tan",
        "sec": r"\sec",
        "csc": r"\csc",
        "cot": r"\cot",
        "asin": r"\arcsin",
        "acos": r"\arccos",
        "atan": r"\arctan",
        "sinh": r"\sinh",
        "cosh": r"\cosh",
        "tanh": r"\tanh",
        "asinh": r"\operatorname{arsinh}",
        "acosh": r"\operatorname{arcosh}",
        "atanh": r"\operatorname{artanh}",
    }
)


def _is_atom(node: Node) -> bool:
    return isinstance(node, (Number, Variable, Constant, Call))


def to_text(node: Node) -> str:
    """Print ``node`` as plain text with ``*``, ``/``, ``^`` and minimal brackets."""
    if isinstance(node, Number):
        return node.text
    if isinstance(node, (Variable, Constant)):
        return node.name
    if isinstance(node, Call):
        return f"{node.function}({', '.join(to_text(arg) for arg in node.args)})"
    if isinstance(node, Negate):
        return "-" + _text_wrapped(node.operand, isinstance(node.operand, (Sum, Negate)))
    if isinstance(node, Sum):
        pieces = [_text_wrapped(node.terms[0], False)]
        for term, subtract in zip(node.terms[1:], node.subtract[1:]):
            wrap = isinstance(term, (Sum, Negate))
            pieces.append((" - " if subtract else " + ") + _text_wrapped(term, wrap))
        return "".join(pieces)
    if isinstance(node, Product):
        pieces = []
        for index, (factor, divide) in enumerate(zip(node.factors, node.divide)):
            wrap = isinstance(factor, (Sum, Product)) or (isinstance(factor, Negate) and index > 0)
            if index > 0:
                pieces.append("/" if divide else "*")
            pieces.append(_text_wrapped(factor, wrap))
        return "".join(pieces)
    if isinstance(node, Power):
        base = _text_wrapped(node.base, not (_is_atom(node.base) or isinstance(node.base, Factorial)))
        exponent_is_plain = _is_atom(node.exponent) or isinstance(node.exponent, Power)
        return f"{base}^{_text_wrapped(node.exponent, not exponent_is_plain)}"
    assert isinstance(node, Factorial)
    return _text_wrapped(node.operand, not (_is_atom(node.operand) or isinstance(node.operand, Factorial))) + "!"


def _text_wrapped(node: Node, wrap: bool) -> str:
    text = to_text(node)
    return f"({text})" if wrap else text


def to_latex(node: Node) -> str:
    """Print ``node`` as LaTeX math (without ``$`` delimiters)."""
    if isinstance(node, Number):
        return _latex_number(node.text)
    if isinstance(node, Variable):
        return latex_name(node.name)
    if isinstance(node, Constant):
        return "e" if node.name == "e" else r"\pi"
    if isinstance(node, Call):
        return _latex_call(node)
    if isinstance(node, Negate):
        return "-" + _latex_wrapped(node.operand, isinstance(node.operand, (Sum, Negate)))
    if isinstance(node, Sum):
        pieces = [_latex_wrapped(node.terms[0], False)]
        for term, subtract in zip(node.terms[1:], node.subtract[1:]):
            wrap = isinstance(term, (Sum, Negate))
            pieces.append((" - " if subtract else " + ") + _latex_wrapped(term, wrap))
        return "".join(pieces)
    if isinstance(node, Product):
        return _latex_product(node)
    if isinstance(node, Power):
        # \sin\left(x\right)^{2} would read as sin(x^2), so a function call gets brackets,
        # except sqrt and abs, whose LaTeX already encloses the argument.
        is_call = isinstance(node.base, Call) and node.base.function not in ("sqrt", "abs", "factorial")
        base = _latex_wrapped(node.base, is_call or not (_is_atom(node.base) or isinstance(node.base, Factorial)))
        return f"{base}^{{{to_latex(node.exponent)}}}"
    assert isinstance(node, Factorial)
    return _latex_wrapped(node.operand, not isinstance(node.operand, (Number, Variable, Constant))) + "!"


def _latex_wrapped(node: Node, wrap: bool) -> str:
    latex = to_latex(node)
    return rf"\left({latex}\right)" if wrap else latex


def _latex_number(text: str) -> str:
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"


def _latex_call(node: Call) -> str:
    args = [to_latex(arg) for arg in node.args]
    if node.function == "sqrt":
        return rf"\sqrt{{{args[0]}}}"
    if node.function == "abs":
        return rf"\left|{args[0]}\right|"
    if node.function == "factorial":
        return _latex_wrapped(node.args[0], not isinstance(node.args[0], (Number, Variable, Constant))) + "!"
    if node.function == "log" and len(args) == 2:
        return rf"\log_{{{args[1]}}}\left({args[0]}\right)"
    return rf"{_LATEX_FUNCTIONS[node.function]}\left({args[0]}\right)"


def _latex_product(node: Product) -> str:
    numerator = [factor for factor, divide in zip(node.factors, node.divide) if not divide]
    # 1/(1 + x)*y prints as \frac{y}{1 + x}: a literal 1 beside other factors adds nothing.
    numerator = [factor for factor in numerator if not _is_one(factor)] or numerator[:1]
    denominator = [factor for factor, divide in zip(node.factors, node.divide) if divide]
    top = _latex_factors(numerator) if numerator else "1"
    if not denominator:
        return top
    return rf"\frac{{{top}}}{{{_latex_factors(denominator)}}}"


def _is_one(node: Node) -> bool:
    return isinstance(node, Number) and node.value == 1


def _latex_factors(factors: list[Node]) -> str:
    if len(factors) == 1:
        return to_latex(factors[0])
    pieces = []
    for index, factor in enumerate(factors):
        wrap = isinstance(factor, (Sum, Product)) or (isinstance(factor, Negate) and index > 0)
        pieces.append(_latex_wrapped(factor, wrap))
    return r" \cdot ".join(pieces)


def latex_name(name: str) -> str:
    """Print a variable name: ``x_1`` as ``x_{1}``, ``sigma`` as ``\\sigma``, ``w01`` as ``w_{01}``."""
    if "_" in name:
        base, subscript = name.split("_", 1)
        subscript = subscript.strip("{}")
    else:
        stripped = name.rstrip("0123456789")
        base, subscript = (stripped, name[len(stripped):]) if stripped else (name, "")
    if base in _GREEK_NAMES:
        base_latex = "\\" + base
    elif len(base) > 1:
        base_latex = rf"\mathit{{{base}}}"
    else:
        base_latex = base
    return f"{base_latex}_{{{subscript}}}" if subscript else base_latex
