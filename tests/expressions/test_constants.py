"""evaluate_constant: the entry point of the number and matrix checkers."""

from __future__ import annotations

import math

import pytest

from autograder.expressions import ConstantValue, ExpressionFailure, evaluate_constant


@pytest.mark.parametrize(
    ("text", "value", "reading"),
    [
        ("-log(0.2)", math.log(5), "-log(0.2)"),
        ("e**2/(1+e**2)", math.e**2 / (1 + math.e**2), "e^2/(1 + e^2)"),
        ("1/(1+e**2)", 1 / (1 + math.e**2), "1/(1 + e^2)"),
        ("0.5", 0.5, "0.5"),
        ("e**3/(e**3+1)", math.e**3 / (math.e**3 + 1), "e^3/(e^3 + 1)"),
        ("1/(1+e**(-3))", 1 / (1 + math.e**-3), "1/(1 + e^(-3))"),
        ("e/(1+e+1/e)", math.e / (1 + math.e + 1 / math.e), "e/(1 + e + 1/e)"),
        ("2pi", 2 * math.pi, "2*pi"),
        ("sqrt(2)/2", math.sqrt(2) / 2, "sqrt(2)/2"),
        ("−3", -3.0, "-3"),
        ("2e-3", 0.002, "2e-3"),
        ("5!", 120.0, "5!"),
    ],
)
def test_values(text: str, value: float, reading: str) -> None:
    result = evaluate_constant(text)
    assert isinstance(result, ConstantValue)
    assert result.value == pytest.approx(value, rel=1e-12)
    assert result.reading.text == reading


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # The float nearest to the real power of the float operands; np.power
        # on two numpy scalars gave 2.9999999999999996 and 5.0 on an AVX-512 machine.
        ("27^(1/3)", 3.0),
        ("3125^(1/5)", 5.000000000000001),
    ],
)
def test_constant_powers_correctly_rounded(text: str, value: float) -> None:
    result = evaluate_constant(text)
    assert isinstance(result, ConstantValue)
    assert result.value == value


def test_latex_reading() -> None:
    result = evaluate_constant("e**2/(1+e**2)")
    assert isinstance(result, ConstantValue)
    assert result.reading.latex == r"\frac{e^{2}}{1 + e^{2}}"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("x + 1", "Unknown name 'x'"),
        ("log(-1)", "no real value"),
        ("sqrt(-2)", "no real value"),
        ("1/0", "infinite"),
        ("log(0)", "infinite"),
        ("(1", "never closed"),
        ("10**400", "too large"),
        ("__import__('os')", "'_' may only join"),
    ],
)
def test_failures(text: str, fragment: str) -> None:
    result = evaluate_constant(text)
    assert isinstance(result, ExpressionFailure)
    assert fragment in result.message


def test_exact_form_rejects_decimals() -> None:
    result = evaluate_constant("-log(0.2)", allow_decimals=False)
    assert isinstance(result, ExpressionFailure)
    assert "exact form" in result.message
    assert result.position == 5
    assert isinstance(evaluate_constant("log(5)", allow_decimals=False), ConstantValue)


def test_exact_form_explains_scientific_notation() -> None:
    result = evaluate_constant("2e-3", allow_decimals=False)
    assert isinstance(result, ExpressionFailure)
    assert "write 2*e - 3" in result.message


def test_repeated_text_is_cached() -> None:
    assert evaluate_constant("e/(2+e)") is evaluate_constant("e/(2+e)")
