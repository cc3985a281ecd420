"""Parser: precedence, implicit multiplication, function syntax, errors with positions, depth."""

from __future__ import annotations

import pytest

from autograder.expressions import ExpressionFailure, NameTable, parse
from autograder.expressions.nodes import Call, Number, Power, Product, Sum, Variable
from autograder.expressions.parser import Expression
from autograder.expressions.printers import to_text

NAMES = NameTable(("a", "x", "y", "x_1", "w_01", "sigma"))


def parsed(text: str) -> Expression:
    result = parse(text, NAMES)
    assert isinstance(result, Expression), getattr(result, "message", "")
    return result


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("1 + 2*x", "1 + 2*x"),
        ("2x", "2*x"),
        ("2 x", "2*x"),
        ("a(1-a)", "a*(1 - a)"),
        ("(a+1)(a-1)", "(a + 1)*(a - 1)"),
        ("2 log(a)", "2*log(a)"),
        ("2x^2", "2*x^2"),
        ("1/2x", "1/2*x"),
        ("1/(2x)", "1/(2*x)"),
        ("a/x/y", "a/x/y"),
        ("-x^2", "-x^2"),
        ("(-x)^2", "(-x)^2"),
        ("2^3^2", "2^3^2"),
        ("(2^3)^2", "(2^3)^2"),
        ("x^-2", "x^(-2)"),
        ("e^-x^2", "e^(-x^2)"),
        ("--x", "-(-x)"),
        ("+x", "x"),
        ("x*-y", "x*(-y)"),
        ("x - -y", "x - (-y)"),
        ("x-(y-a)", "x - (y - a)"),
        ("x!!", "x!!"),
        ("(x+1)!", "(x + 1)!"),
        ("3!^2", "3!^2"),
        ("sin^2(x)", "sin(x)^2"),
        ("ln(x)", "log(x)"),
        ("arcsin(x)", "asin(x)"),
        ("log(x, 2)", "log(x, 2)"),
        ("x1 w01", "x_1*w_01"),
        ("σ²", "sigma^2"),
        ("[x + 1]{y}", "(x + 1)*y"),
        ("e x", "e*x"),
        ("2e-3x", "2e-3*x"),
        ("pi x", "pi*x"),
        ("√x", "sqrt(x)"),
        ("√2", "sqrt(2)"),
        ("√(x + 1)", "sqrt(x + 1)"),
        ("√x y", "sqrt(x)*y"),
        ("√2x", "sqrt(2)*x"),
        ("x√2", "x*sqrt(2)"),
        ("√(x)^2", "sqrt(x)^2"),
        ("√√x", "sqrt(sqrt(x))"),
        ("√σ", "sqrt(sigma)"),
        ("2√x_1", "2*sqrt(x_1)"),
        ("√exp(x)", "sqrt(exp(x))"),
        ("x₁ w₀₁", "x_1*w_01"),
        ("x₁w₀₁", "x_1*w_01"),
    ],
)
def test_reading_table(text: str, reading: str) -> None:
    assert to_text(parsed(text).tree) == reading


def test_implicit_product_records_flags() -> None:
    tree = parsed("2x/y").tree
    assert isinstance(tree, Product)
    assert tree.implicit == (False, True, False)
    assert tree.divide == (False, False, True)


def test_sums_are_flat() -> None:
    tree = parsed("x + y - a + 1").tree
    assert isinstance(tree, Sum)
    assert len(tree.terms) == 4
    assert tree.subtract == (False, False, True, False)


def test_function_power_form() -> None:
    tree = parsed("cos^2(x)").tree
    assert isinstance(tree, Power)
    assert isinstance(tree.base, Call)
    assert tree.exponent == Number("2", tree.exponent.value, False)  # type: ignore[union-attr]


def test_spans_cover_source() -> None:
    tree = parsed("  x_1 + 2").tree
    assert isinstance(tree, Sum)
    assert isinstance(tree.terms[0], Variable)
    assert tree.terms[0].span == (2, 5)


def test_decimals_and_variables() -> None:
    expression = parsed("0.5*x + 2e-3 + 3*y")
    assert [number.text for number in expression.decimals] == ["0.5", "2e-3"]
    assert expression.variables == frozenset({"x", "y"})


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("", None, "empty"),
        ("   ", None, "empty"),
        ("(x + 1", 0, "never closed"),
        ("x + 1)", 5, "no matching opening bracket"),
        ("(x + 1]", 6, "does not match the '('"),
        ("sin", 3, "put its argument in brackets"),
        ("sin x", 4, "put its argument in brackets"),
        ("sin()", 4, "needs an argument"),
        ("sin^-1(x)", 3, "inverse function"),
        ("x +", 3, "value is missing after '+'"),
        ("x + * y", 4, "value is missing after '+'"),
        ("* x", 0, "value is missing before '*'"),
        ("x 2", 2, "number cannot follow 'x'"),
        ("(x)2", 3, "number cannot follow ')'"),
        ("1, 2", 1, "','"),
        ("()", 0, "brackets are empty"),
        ("exp(x, 2)", 0, "'exp' takes 1 argument, but 2 were given"),
        ("log(x, 2, 3)", 0, "1 or 2 arguments"),
        ("sigm", 0, "Did you mean 'sigma'?"),
        ("xy", 0, "Did you mean 'x*y'?"),
        ("foo(x)", 0, "Unknown name 'foo'"),
        ("diff(x)", 0, "not a command"),
        ("x^", 2, "value is missing after '^'"),
        ("!x", 0, "value is missing before '!'"),
        ("√x^2", 2, "This '^' after √x is ambiguous: use brackets to show what the root covers, as in √(x^2) or √(x)^2."),
        ("√x!", 2, "as in √(x!) or √(x)!"),
        ("√", 1, "A value is missing after '√'"),
        ("√-x", 1, "A value is missing after '√'"),
        ("√()", 2, "'√' needs an argument inside the brackets, as in √(x)."),
        ("√(x, 2)", 0, "'√' takes 1 argument, but 2 were given"),
        ("w_10", 0, "Unknown name 'w_10'. Did you mean 'w_01'?"),
        ("nan", 0, "'nan' stands for NaN (not a number), which is not a number that can be graded"),
        ("inf", 0, "'inf' stands for infinity, which is not a number that can be graded"),
        ("-Infinity", 1, "'Infinity' stands for infinity"),
        ("λ", 0, "'λ' was read as lambda, and lambda is not a variable or function of this part. The variables of this part are a, x, y, x_1, w_01 and sigma."),
    ],
)
def test_error_table(text: str, position: int | None, fragment: str) -> None:
    result = parse(text, NAMES)
    assert isinstance(result, ExpressionFailure)
    assert result.position == position
    assert fragment in result.message


def test_error_message_has_caret_line() -> None:
    result = parse("x + sigm", NAMES)
    assert isinstance(result, ExpressionFailure)
    lines = result.message.split("\n")
    assert lines[1] == "    x + sigm"
    assert lines[2] == "        ^"


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("(" * 49 + "x" + ")" * 49, True),
        ("(" * 51 + "x" + ")" * 51, False),
        ("-" * 50 + "x", True),
        ("-" * 51 + "x", False),
        ("x" + "^x" * 50, True),
        ("x" + "^x" * 51, False),
        ("x" + "!" * 51, False),
        ("x" + "+x" * 400, True),
        ("sqrt(" * 30 + "x" + ")" * 30, True),
    ],
)
def test_depth_limit(text: str, accepted: bool) -> None:
    result = parse(text, NAMES)
    assert isinstance(result, Expression) is accepted
    if not accepted:
        assert isinstance(result, ExpressionFailure)
        assert "levels deep" in result.message


def test_deep_nesting_over_length_limit() -> None:
    result = parse("(" * 10_000 + "x" + ")" * 10_000, NAMES)
    assert isinstance(result, ExpressionFailure)
    assert "20,001 characters" in result.message
