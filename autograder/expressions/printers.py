"""Printers from the expression tree to plain text and LaTeX, showing how an answer was read.

Both printers make every implicit operation explicit (``2x`` prints as
``2*x``) and add only the brackets needed to keep the tree's meaning, so a
student can check the reading against what they meant: ``1/2x`` prints as
``1/2*x``, which is x/2.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
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


_ATOMS = frozenset((Number, Variable, Constant, Call))
_SUM_OR_NEGATE = frozenset((Sum, Negate))
_SUM_OR_PRODUCT = frozenset((Sum, Product))
# Node types printed without brackets as the base of a power or the operand of '!'.
_PLAIN_BASES = frozenset((Number, Variable, Constant, Call, Factorial))
_PLAIN_EXPONENTS = frozenset((Number, Variable, Constant, Call, Power))


def _is_atom(node: Node) -> bool:
    return type(node) in _ATOMS


def to_text(node: Node) -> str:
    """Print ``node`` as plain text with ``*``, ``/``, ``^`` and minimal brackets."""
    kind = type(node)
    if kind is Number:
        return node.text  # type: ignore[union-attr]
    if kind is Variable or kind is Constant:
        return node.name  # type: ignore[union-attr]
    if kind is Product:
        pieces = []
        divide = node.divide  # type: ignore[union-attr]
        for index, factor in enumerate(node.factors):  # type: ignore[union-attr]
            factor_kind = type(factor)
            if index > 0:
                pieces.append("/" if divide[index] else "*")
            if factor_kind in _SUM_OR_PRODUCT or (factor_kind is Negate and index > 0):
                pieces.append("(" + to_text(factor) + ")")
            else:
                pieces.append(to_text(factor))
        return "".join(pieces)
    if kind is Sum:
        terms = node.terms  # type: ignore[union-attr]
        subtract = node.subtract  # type: ignore[union-attr]
        pieces = [to_text(terms[0])]
        for index in range(1, len(terms)):
            term = terms[index]
            pieces.append(" - " if subtract[index] else " + ")
            pieces.append("(" + to_text(term) + ")" if type(term) in _SUM_OR_NEGATE else to_text(term))
        return "".join(pieces)
    if kind is Call:
        return node.function + "(" + ", ".join([to_text(arg) for arg in node.args]) + ")"  # type: ignore[union-attr]
    if kind is Power:
        base = _text_wrapped(node.base, type(node.base) not in _PLAIN_BASES)  # type: ignore[union-attr]
        exponent = node.exponent  # type: ignore[union-attr]
        return base + "^" + _text_wrapped(exponent, type(exponent) not in _PLAIN_EXPONENTS)
    if kind is Negate:
        return "-" + _text_wrapped(node.operand, type(node.operand) in _SUM_OR_NEGATE)  # type: ignore[union-attr]
    assert isinstance(node, Factorial)
    return _text_wrapped(node.operand, type(node.operand) not in _PLAIN_BASES) + "!"


def _text_wrapped(node: Node, wrap: bool) -> str:
    text = to_text(node)
    return "(" + text + ")" if wrap else text


def to_latex(node: Node) -> str:
    """Print ``node`` as LaTeX math (without ``$`` delimiters)."""
    kind = type(node)
    if kind is Number:
        return _latex_number(node.text)  # type: ignore[union-attr]
    if kind is Variable:
        return latex_name(node.name)  # type: ignore[union-attr]
    if kind is Product:
        return _latex_product(node)  # type: ignore[arg-type]
    if kind is Sum:
        terms = node.terms  # type: ignore[union-attr]
        subtract = node.subtract  # type: ignore[union-attr]
        pieces = [to_latex(terms[0])]
        for index in range(1, len(terms)):
            term = terms[index]
            pieces.append(" - " if subtract[index] else " + ")
            pieces.append(_latex_wrapped(term, type(term) in _SUM_OR_NEGATE))
        return "".join(pieces)
    if kind is Call:
        return _latex_call(node)  # type: ignore[arg-type]
    if kind is Constant:
        return "e" if node.name == "e" else r"\pi"  # type: ignore[union-attr]
    if kind is Negate:
        return "-" + _latex_wrapped(node.operand, type(node.operand) in _SUM_OR_NEGATE)  # type: ignore[union-attr]
    if kind is Power:
        # \sin\left(x\right)^{2} would read as sin(x^2), so a function call gets brackets,
        # except sqrt and abs, whose LaTeX already encloses the argument.
        base = node.base  # type: ignore[union-attr]
        is_call = type(base) is Call and base.function not in ("sqrt", "abs", "factorial")
        wrapped = _latex_wrapped(base, is_call or type(base) not in _PLAIN_BASES)
        return wrapped + "^{" + to_latex(node.exponent) + "}"  # type: ignore[union-attr]
    assert isinstance(node, Factorial)
    return _latex_wrapped(node.operand, not isinstance(node.operand, (Number, Variable, Constant))) + "!"


def _latex_wrapped(node: Node, wrap: bool) -> str:
    latex = to_latex(node)
    return r"\left(" + latex + r"\right)" if wrap else latex


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
    factors = node.factors
    divide = node.divide
    denominator: list[Node] = []
    if True in divide:
        numerator: list[Node] = []
        for factor, divides in zip(factors, divide):
            (denominator if divides else numerator).append(factor)
    else:
        numerator = list(factors)
    # 1/(1 + x)*y prints as \frac{y}{1 + x}: a literal 1 beside other factors adds nothing.
    numerator = [factor for factor in numerator if type(factor) is not Number or not _is_one(factor)] or numerator[:1]
    top = _latex_factors(numerator) if numerator else "1"
    if not denominator:
        return top
    return r"\frac{" + top + "}{" + _latex_factors(denominator) + "}"


def _is_one(node: Node) -> bool:
    # Comparing numerator and denominator avoids Fraction.__eq__, which is slow.
    return type(node) is Number and node.value.numerator == 1 and node.value.denominator == 1  # type: ignore[union-attr]


def _latex_factors(factors: list[Node]) -> str:
    if len(factors) == 1:
        return to_latex(factors[0])
    pieces = []
    for index, factor in enumerate(factors):
        kind = type(factor)
        latex = to_latex(factor)
        if kind in _SUM_OR_PRODUCT or (kind is Negate and index > 0):
            latex = r"\left(" + latex + r"\right)"
        pieces.append(latex)
    return r" \cdot ".join(pieces)


# Only declared variable names reach this function, so the cache keeps a few entries per spec.
@lru_cache(maxsize=1024)
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
