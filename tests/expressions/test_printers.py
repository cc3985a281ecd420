"""Printers: plain text and LaTeX readings of the tree."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.expressions import NameTable, parse
from autograder.expressions.parser import Expression
from autograder.expressions.printers import latex_name, to_latex, to_text, to_text_and_latex

from .corpus import CORPUS

NAMES = NameTable(("x", "y", "x_1", "w_01", "sigma", "lambda", "loss", "x2", "Omega"))


def tree_of(text: str):  # noqa: ANN201 - a node of any type
    expression = parse(text, NAMES)
    assert isinstance(expression, Expression)
    return expression.tree


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("x/2", r"\frac{x}{2}"),
        ("1/(1+e^-x)", r"\frac{1}{1 + e^{-x}}"),
        ("1/(1+x)*y", r"\frac{y}{1 + x}"),
        ("2x", r"2 \cdot x"),
        ("(x+1)(x-1)", r"\left(x + 1\right) \cdot \left(x - 1\right)"),
        ("x^2", "x^{2}"),
        ("(x+1)^2", r"\left(x + 1\right)^{2}"),
        ("sin(x)^2", r"\left(\sin\left(x\right)\right)^{2}"),
        ("sqrt(x)", r"\sqrt{x}"),
        ("sqrt(x)^3", r"\sqrt{x}^{3}"),
        ("abs(x)", r"\left|x\right|"),
        ("log(x, 2)", r"\log_{2}\left(x\right)"),
        ("ln(x)", r"\log\left(x\right)"),
        ("asin(x)", r"\arcsin\left(x\right)"),
        ("atanh(x)", r"\operatorname{artanh}\left(x\right)"),
        ("-x", "-x"),
        ("-(x+y)", r"-\left(x + y\right)"),
        ("x - (y - 1)", r"x - \left(y - 1\right)"),
        ("x!", "x!"),
        ("(x+1)!", r"\left(x + 1\right)!"),
        ("factorial(x)", "x!"),
        ("pi*x", r"\pi \cdot x"),
        ("2e-3", r"2 \cdot 10^{-3}"),
        # A literal in scientific notation prints as a product, so it is bracketed as a base or before '!'.
        ("2e3^2", r"\left(2 \cdot 10^{3}\right)^{2}"),
        ("1.5e2^x", r"\left(1.5 \cdot 10^{2}\right)^{x}"),
        ("2e1!", r"\left(2 \cdot 10^{1}\right)!"),
        ("factorial(2e1)", r"\left(2 \cdot 10^{1}\right)!"),
        ("x^2e2", r"x^{2 \cdot 10^{2}}"),
        ("exp(x)", r"\exp\left(x\right)"),
        ("x_1*w_01", r"x_{1} \cdot w_{01}"),
        ("σ²", r"\sigma^{2}"),
    ],
)
def test_latex_table(text: str, latex: str) -> None:
    assert to_latex(tree_of(text)) == latex


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("x/(2y)", "x/(2*y)"),
        ("x/2/y", "x/2/y"),
        ("x*(y/2)", "x*(y/2)"),
        ("(x - 1)/(x + 1)", "(x - 1)/(x + 1)"),
        ("x^(1/2)", "x^(1/2)"),
        ("x^y^2", "x^y^2"),
        ("(x^y)^2", "(x^y)^2"),
        ("-(-x)", "-(-x)"),
        ("x + (-y)", "x + (-y)"),
        ("sin(x)", "sin(x)"),
    ],
)
def test_text_table(text: str, plain: str) -> None:
    assert to_text(tree_of(text)) == plain


@pytest.mark.parametrize(
    "text",
    ["x/(2y)", "1/2x", "-x^2", "(-x)^2", "2^3^2", "x - (y - 1)", "x/2/y", "(x+1)!^2", "e^-x^2", "sin^2(x) + 1"],
)
def test_text_reading_parses_to_same_tree(text: str) -> None:
    tree = tree_of(text)
    assert tree_of(to_text(tree)) == tree


@pytest.mark.parametrize(
    ("name", "latex"),
    [
        ("x", "x"),
        ("x_1", "x_{1}"),
        ("x2", "x_{2}"),
        ("w_01", "w_{01}"),
        ("x_{12}", "x_{12}"),
        ("sigma", r"\sigma"),
        ("lambda", r"\lambda"),
        ("Omega", r"\Omega"),
        ("sigma_1", r"\sigma_{1}"),
        ("loss", r"\mathit{loss}"),
    ],
)
def test_latex_name(name: str, latex: str) -> None:
    assert latex_name(name) == latex


ONE_WALK_CASES = [
    "x/2", "1/(1+e^-x)", "1/(1+x)*y", "1/x", "1*1/x", "1.0*x", "x*1", "1*1", "2x", "(x+1)(x-1)", "x*(-y)", "-x*y",
    "x/(-y)", "x^2", "(x+1)^2", "(-x)^2", "x^-2", "2^3^2", "(2^3)^2", "x^(y+1)", "e^x^2", "sin(x)^2", "sqrt(x)^3",
    "abs(x)^2", "factorial(x)^2", "x!^2", "(x!)!", "sqrt(x)!", "factorial(x+1)", "factorial(2)", "log(x, 2)",
    "log(x + 1, y)", "ln(x)", "asin(x)", "atanh(x)", "-x", "-(x+y)", "-(-x)", "--x", "x - (y - 1)", "x + (-y)",
    "x - (y*2)", "(x + y) + 1", "x!", "(x+1)!", "(x*y)!", "pi*x", "2e-3", "2e-3x", "1.5E2/x", "exp(x)", "x_1*w_01",
    "σ²", "sigma*lambda", "loss/Omega", "x2 w_01", "1/2x", "x/2/y", "x*(y/2)", "(x/y)/(x*y)", "√x y", "√(x+1)^2",
    "2e3^2", "1.5e2^x", "2e1!", "factorial(2e1)", "-2e3^2",
]


@pytest.mark.parametrize("text", ONE_WALK_CASES)
def test_one_walk_matches_printers(text: str) -> None:
    tree = tree_of(text)
    text_printed, latex_printed = to_text_and_latex(tree)
    assert text_printed == to_text(tree)
    assert latex_printed == to_latex(tree)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("x y 1 2 0.5 e pi + - * / ^ ! ( ) ( ) sqrt( log( exp( sin( abs( x_1 σ 2e-3 √".split(" ")) + [" "]), max_size=25).map("".join))
def test_one_walk_matches_printers_on_random_text(text: str) -> None:
    expression = parse(text, NAMES)
    if not isinstance(expression, Expression):
        return
    text_printed, latex_printed = to_text_and_latex(expression.tree)
    assert text_printed == to_text(expression.tree)
    assert latex_printed == to_latex(expression.tree)


def test_one_walk_matches_printers_on_corpus() -> None:
    compared = 0
    for case in CORPUS:
        names = NameTable(tuple(case.variables))
        for text in (case.answer, case.reference):
            expression = parse(text, names) if isinstance(text, str) else None
            if not isinstance(expression, Expression):
                continue
            compared += 1
            assert to_text_and_latex(expression.tree) == (to_text(expression.tree), to_latex(expression.tree)), text
    assert compared > len(CORPUS)
