"""The labelled corpus: answers, references, variables and the verdict a careful TA would give.

Each row is one check. ``group`` says what the row exercises: the homework's
own expressions, a notation, a false friend (equal at some points or on part
of the domain only), or malicious text. Malicious rows must be rejected by
the lexer or parser, before anything is evaluated. The benchmark reuses this
table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["correct", "incorrect", "invalid"]
Group = Literal["homework", "notation", "names", "false friend", "vector", "form", "error", "malicious"]


@dataclass(frozen=True)
class Case:
    answer: str
    reference: str
    variables: dict[str, Any]
    status: Status
    group: Group
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.group}: {self.answer[:40]!r} vs {self.reference[:30]!r}"


# Variable sets of the homework and of the notation rows.
NONE: dict[str, Any] = {}
Z = {"z": [-5, 5]}
HOMEWORK_Z = {"z": [-6, 6]}
WIDE_Z = {"z": [-800, 800]}
LARGE_Z = {"z": [3, 4]}
O = {"o": [0, 1]}
A = {"a": [0.01, 0.99]}
AY = {"a": [0.01, 0.99], "y": {"values": [0, 1]}}
GRADIENT = {"a_1": [0.01, 0.99], "y": {"values": [0, 1]}, "x_1": [-3, 3]}
VECTOR = {"a_1": [0.01, 0.99], "y": {"values": [0, 1]}, "x": {"interval": [-3, 3], "shape": [3, 1]}}
HIDDEN = {"v_0": [-2, 2], "v_1": [-2, 2], "v_2": [-2, 2], "w_01": [-2, 2], "w_02": [-2, 2]}
OUTPUT = {"v_1": [-2, 2], "v_2": [-2, 2], "w_11": [-2, 2], "w_12": [-2, 2]}
X = {"x": [-2, 2]}
POSITIVE_X = {"x": [0.1, 3]}
UNIT_X = {"x": [-0.9, 0.9]}
BINARY_X = {"x": {"values": [0, 1]}}
INTEGER_X = {"x": {"interval": [-5, 5], "integer": True}}
LARGE_X = {"x": [1e7, 1e8]}
SUBSCRIPTS = {"x_1": [-2, 2], "x_2": [-2, 2]}
SIGMA = {"sigma": [0.5, 2], "x": [-2, 2]}
LAMBDA = {"lambda": [0.1, 2], "x": [-1, 1]}
GAMMA = {"gamma": [0.1, 2]}
CAPITAL_E = {"E": [0.1, 2]}
E_VARIABLE = {"e": [1, 2]}
COLUMN = {"x": {"interval": [-2, 2], "shape": [3, 1]}}
ROOT_XY = {"x": [0.1, 3], "y": [-2, 2]}
LINEAR_WEIGHTS = {name: [-2, 2] for name in ("w_01", "w_11", "w_21", "w_02", "w_12", "w_22", "v_0", "v_1", "v_2")}

SIGN_MISTAKE = {"mistakes": [{"answer": "(y - a_1)*x_1", "feedback": "Check the sign: the gradient is (a_1 - y)*x_1."}]}
EXACT = {"form": "exact"}
# Over z in [-800, 800] the sigmoid's derivative is below the default atol of
# 1e-9 at most points, so 0 would be accepted. A spec must lower atol there.
NO_ATOL = {"atol": 0}
# A correct answer padded with zero terms that are hard to evaluate: a triple
# exponential, and a fraction whose exact value has 30 million digits.
HUGE_FRACTION_ANSWER = (
    "e^-z/(1+e^-z)^2 + 0*exp(exp(exp(z))) + "
    "0*((123456789012345678901234567890/123456789012345678901234567891)^1000)^1000"
)

CORPUS: tuple[Case, ...] = (
    # The homework's expressions and answers students type for them.
    Case("exp(-z)/(1+exp(-z))**2", "exp(-z)/(1+exp(-z))**2", Z, "correct", "homework"),
    Case("exp(z)/(1+exp(z))^2", "exp(-z)/(1+exp(-z))**2", Z, "correct", "homework"),
    Case("1/(1+exp(-z)) * (1 - 1/(1+exp(-z)))", "exp(-z)/(1+exp(-z))**2", Z, "correct", "homework"),
    Case("e^(-z)/(1+e^(-z))^2", "exp(-z)/(1+exp(-z))**2", Z, "correct", "homework"),
    Case("1/(e^z + 2 + e^-z)", "exp(-z)/(1+exp(-z))**2", Z, "correct", "homework"),
    Case("exp(-z)/(1+exp(-z))", "exp(-z)/(1+exp(-z))**2", Z, "incorrect", "homework"),
    Case("exp(-z)/(1+exp(-z))^3", "exp(-z)/(1+exp(-z))**2", Z, "incorrect", "homework"),
    Case("-exp(-z)/(1+exp(-z))**2", "exp(-z)/(1+exp(-z))**2", Z, "incorrect", "homework"),
    Case("exp(z)/(1+exp(z))^2", "exp(-z)/(1+exp(-z))**2", WIDE_Z, "correct", "homework", NO_ATOL),
    Case("e^-z/(1+e^-z)^2 + 0*exp(exp(exp(z)))", "exp(-z)/(1 + exp(-z))**2", HOMEWORK_Z, "correct", "homework"),
    Case("o*(1-o)", "o*(1-o)", O, "correct", "homework"),
    Case("o - o**2", "o*(1-o)", O, "correct", "homework"),
    Case("o(1-o)", "o - o**2", O, "correct", "homework"),
    Case("o*(1+o)", "o*(1-o)", O, "incorrect", "homework"),
    Case("o^2 - o", "o*(1-o)", O, "incorrect", "homework"),
    Case("1 - a", "1-a", A, "correct", "homework"),
    Case("-(a - 1)", "1-a", A, "correct", "homework"),
    Case("a - 1", "1-a", A, "incorrect", "homework"),
    Case("a", "a", A, "correct", "homework"),
    Case("2a/2", "a", A, "correct", "homework"),
    Case("a^2", "a", A, "incorrect", "homework"),
    Case("y*log(a) + (1-y)*log(1-a)", "y*log(a) + (1-y)*log(1-a)", AY, "correct", "homework"),
    Case("y log(a) + (1 - y) log(1 - a)", "y*log(a) + (1-y)*log(1-a)", AY, "correct", "homework"),
    Case("y ln(a) + (1-y) ln(1-a)", "y*log(a) + (1-y)*log(1-a)", AY, "correct", "homework"),
    Case("log(a^y * (1-a)^(1-y))", "y*log(a) + (1-y)*log(1-a)", AY, "correct", "homework"),
    Case("y*log(a) + (1-y)*log(a)", "y*log(a) + (1-y)*log(1-a)", AY, "incorrect", "homework"),
    Case("log(a)", "y*log(a) + (1-y)*log(1-a)", AY, "incorrect", "homework"),
    Case("-(y*log(a) + (1-y)*log(1-a))", "y*log(a) + (1-y)*log(1-a)", AY, "incorrect", "homework"),
    Case("(a_1 - y)*x_1", "(a_1 - y)*x_1", GRADIENT, "correct", "homework"),
    Case("(a_1-y)x_1", "(a_1 - y)*x_1", GRADIENT, "correct", "homework"),
    Case("x_1(a1 - y)", "(a_1 - y)*x_1", GRADIENT, "correct", "homework"),
    Case("a_1 x_1 - y x_1", "(a_1 - y)*x_1", GRADIENT, "correct", "homework"),
    Case("(a_{1} - y)*x_{1}", "(a_1 - y)*x_1", GRADIENT, "correct", "homework"),
    Case("(y - a_1)*x_1", "(a_1 - y)*x_1", GRADIENT, "incorrect", "homework", SIGN_MISTAKE),
    Case("(a_1 - y)*x_1^2", "(a_1 - y)*x_1", GRADIENT, "incorrect", "homework"),
    Case("v_0 + v_1*w_01 + v_2*w_02", "v_0 + v_1*w_01 + v_2*w_02", HIDDEN, "correct", "homework"),
    Case("v0 + v1 w01 + v2 w02", "v_0 + v_1*w_01 + v_2*w_02", HIDDEN, "correct", "homework"),
    Case("v_0 + v_1*w_{01} + v_2*w_{02}", "v_0 + v_1*w_01 + v_2*w_02", HIDDEN, "correct", "homework"),
    Case("v_0 + v_1*w_02 + v_2*w_01", "v_0 + v_1*w_01 + v_2*w_02", HIDDEN, "incorrect", "homework"),
    Case("v_1*w_01 + v_2*w_02", "v_0 + v_1*w_01 + v_2*w_02", HIDDEN, "incorrect", "homework"),
    Case("v_1*w_11 + v_2*w_12", "v_1*w_11 + v_2*w_12", OUTPUT, "correct", "homework"),
    Case("w_11 v_1 + w_12 v_2", "v_1*w_11 + v_2*w_12", OUTPUT, "correct", "homework"),
    Case("v_1*w_11 + v_2*w_21", "v_1*w_11 + v_2*w_12", OUTPUT, "invalid", "homework"),
    Case("v_0 + v_1*w_10 + v_2*w_20", "v_0 + v_1*w_01 + v_2*w_02", LINEAR_WEIGHTS, "invalid", "homework"),
    Case("v₀ + v₁w₀₁ + v₂w₀₂", "v_0 + v_1*w_01 + v_2*w_02", LINEAR_WEIGHTS, "correct", "homework"),
    Case("-log(0.2)", "-log(0.2)", NONE, "correct", "homework"),
    Case("log(5)", "-log(0.2)", NONE, "correct", "homework"),
    Case("ln(1/0.2)", "-log(0.2)", NONE, "correct", "homework"),
    Case("1.6094379", "-log(0.2)", NONE, "correct", "homework"),
    Case("log(0.2)", "-log(0.2)", NONE, "incorrect", "homework"),
    Case("1.61", "-log(0.2)", NONE, "incorrect", "homework"),
    Case("1.6094", "-log(0.2)", NONE, "incorrect", "homework"),
    Case("e**2/(1+e**2)", "e**2/(1+e**2)", NONE, "correct", "homework"),
    Case("1/(1+e^(-2))", "e**2/(1+e**2)", NONE, "correct", "homework"),
    Case("e²/(1+e²)", "e**2/(1+e**2)", NONE, "correct", "homework"),
    Case("e^2/(1+e)^2", "e**2/(1+e**2)", NONE, "incorrect", "homework"),
    Case("0.8808", "e**2/(1+e**2)", NONE, "incorrect", "homework"),
    Case("1/(1+e**2)", "1/(1+e**2)", NONE, "correct", "homework"),
    Case("e^-2/(1+e^-2)", "1/(1+e**2)", NONE, "correct", "homework"),
    Case("1 - e^2/(1+e^2)", "1/(1+e**2)", NONE, "correct", "homework"),
    Case("0.5", "0.5", NONE, "correct", "homework"),
    Case("1/2", "0.5", NONE, "correct", "homework"),
    Case("sin(pi/6)", "0.5", NONE, "correct", "homework"),
    Case("0.49", "0.5", NONE, "incorrect", "homework"),
    Case("e**3/(e**3+1)", "e**3/(e**3+1)", NONE, "correct", "homework"),
    Case("1/(1+e**(-3))", "e**3/(e**3+1)", NONE, "correct", "homework"),
    Case("e³/(1+e³)", "1/(1+e**(-3))", NONE, "correct", "homework"),
    Case("e^3/(1+e^3)", "1/(1+e**(-3))", NONE, "correct", "homework"),
    Case("1/(1+e^3)", "1/(1+e**(-3))", NONE, "incorrect", "homework"),
    Case("e/(1+e+1/e)", "e^2/(e^2+e+1)", NONE, "correct", "homework"),
    # Notations.
    Case("2x", "2*x", X, "correct", "notation"),
    Case("2 x", "2*x", X, "correct", "notation"),
    Case("x^2", "x**2", X, "correct", "notation"),
    Case("x²", "x**2", X, "correct", "notation"),
    Case("x³ + 2x", "x**3 + 2*x", X, "correct", "notation"),
    Case("x⁻¹", "1/x", POSITIVE_X, "correct", "notation"),
    Case("(x+1)(x-1)", "x^2 - 1", X, "correct", "notation"),
    Case("x(x+1)", "x^2 + x", X, "correct", "notation"),
    Case("2 log(x)", "2*log(x)", POSITIVE_X, "correct", "notation"),
    Case("2log(x)", "2*log(x)", POSITIVE_X, "correct", "notation"),
    Case("x·x", "x^2", X, "correct", "notation"),
    Case("x×x", "x^2", X, "correct", "notation"),
    Case("x ⋅ 3", "3x", X, "correct", "notation"),
    Case("x − 1", "x - 1", X, "correct", "notation"),
    Case("x – 1", "x - 1", X, "correct", "notation"),
    Case("（x＋1）^2", "(x+1)^2", X, "correct", "notation"),
    Case("[x + 1]^2", "(x+1)^2", X, "correct", "notation"),
    Case("x ÷ 2", "x/2", X, "correct", "notation"),
    Case("σ^2", "sigma^2", SIGMA, "correct", "notation"),
    Case("2σx", "2*sigma*x", SIGMA, "correct", "notation"),
    Case("exp(-x²/(2σ²))", "exp(-x^2/(2*sigma^2))", SIGMA, "correct", "notation"),
    Case("λx", "lambda*x", LAMBDA, "correct", "notation"),
    Case("exp(x)", "e^x", X, "correct", "notation"),
    Case("e^x", "exp(x)", X, "correct", "notation"),
    Case("sqrt(x)", "x^(1/2)", POSITIVE_X, "correct", "notation"),
    Case("√(x)", "sqrt(x)", POSITIVE_X, "correct", "notation"),
    Case("√x", "sqrt(x)", POSITIVE_X, "correct", "notation"),
    Case("√2 x", "sqrt(2)*x", X, "correct", "notation"),
    Case("√2x", "sqrt(2)*x", X, "correct", "notation"),
    Case("√x y", "sqrt(x)*y", ROOT_XY, "correct", "notation"),
    Case("√(x y)", "sqrt(x)*y", ROOT_XY, "incorrect", "notation"),
    Case("1/√(2π)", "1/sqrt(2*pi)", NONE, "correct", "notation"),
    Case("abs(x)", "sqrt(x^2)", X, "correct", "notation"),
    Case("sin(x)^2 + cos(x)^2", "1", X, "correct", "notation"),
    Case("sin^2(x) + cos^2(x)", "1", X, "correct", "notation"),
    Case("cosh(x)^2 - sinh(x)^2", "1", X, "correct", "notation"),
    Case("tanh(x)", "(e^x - e^-x)/(e^x + e^-x)", X, "correct", "notation"),
    Case("arcsin(x)", "asin(x)", UNIT_X, "correct", "notation"),
    Case("tan(x)", "sin(x)/cos(x)", UNIT_X, "correct", "notation"),
    Case("sec(x)", "1/cos(x)", UNIT_X, "correct", "notation"),
    Case("log(x, 2)", "log(x)/log(2)", POSITIVE_X, "correct", "notation"),
    Case("π", "pi", NONE, "correct", "notation"),
    Case("2pi", "2*pi", NONE, "correct", "notation"),
    Case("4 arctan(1)", "pi", NONE, "correct", "notation"),
    Case("5!", "120", NONE, "correct", "notation"),
    Case("factorial(5)", "120", NONE, "correct", "notation"),
    Case("3!^2", "36", NONE, "correct", "notation"),
    Case("2^3^2", "512", NONE, "correct", "notation"),
    Case("-x^2", "-(x^2)", X, "correct", "notation"),
    Case("(-x)^2", "-(x^2)", X, "incorrect", "notation"),
    Case("1/2x", "x/2", X, "correct", "notation"),
    Case("1/(2x)", "x/2", X, "incorrect", "notation"),
    Case("e^-x^2", "exp(-(x^2))", X, "correct", "notation"),
    Case("2e-3", "0.002", NONE, "correct", "notation"),
    Case("2E-3", "0.002", NONE, "correct", "notation"),
    Case("1.5e2", "150", NONE, "correct", "notation"),
    Case("2e-3", "2*e - 3", NONE, "incorrect", "notation"),
    Case("2e - 3", "2*e - 3", NONE, "correct", "notation"),
    Case("2*e-3", "2*e - 3", NONE, "correct", "notation"),
    Case("2e", "2*e", NONE, "correct", "notation"),
    Case(".5", "1/2", NONE, "correct", "notation"),
    Case("x1 + x2", "x_1 + x_2", SUBSCRIPTS, "correct", "notation"),
    Case("x_{1} + x_{2}", "x_1 + x_2", SUBSCRIPTS, "correct", "notation"),
    Case("x_1x_2", "x_1*x_2", SUBSCRIPTS, "correct", "notation"),
    Case("x₁ + x₂", "x_1 + x_2", SUBSCRIPTS, "correct", "notation"),
    Case("x₁x₂", "x_1*x_2", SUBSCRIPTS, "correct", "notation"),
    Case("(a₁ - y)x₁", "(a_1 - y)*x_1", GRADIENT, "correct", "notation"),
    Case("1\u00a0-\u2009a", "1-a", A, "correct", "notation"),
    Case("  x_1 +\tx_2  ", "x_1 + x_2", SUBSCRIPTS, "correct", "notation"),
    # Names that collide with Python or SymPy, and names that are not allowed.
    Case("lambda*x", "lambda*x", LAMBDA, "correct", "names"),
    Case("gamma + 1", "gamma + 1", GAMMA, "correct", "names"),
    Case("γ + 1", "gamma + 1", GAMMA, "correct", "names"),
    Case("E + 1", "E + 1", CAPITAL_E, "correct", "names"),
    Case("e^2", "e*e", E_VARIABLE, "correct", "names"),
    Case("e^2", "exp(2)", E_VARIABLE, "incorrect", "names"),
    Case("gamma", "1", NONE, "invalid", "names"),
    Case("S + 1", "1", NONE, "invalid", "names"),
    Case("N(2)", "2", NONE, "invalid", "names"),
    Case("E", "e", NONE, "invalid", "names"),
    Case("I", "1", NONE, "invalid", "names"),
    Case("Q + O", "1", NONE, "invalid", "names"),
    Case("lambda", "1", NONE, "invalid", "names"),
    Case("diff(x^2, x)", "2x", X, "invalid", "names"),
    Case("integrate(x, x)", "x^2/2", X, "invalid", "names"),
    Case("simplify(x)", "x", X, "invalid", "names"),
    Case("solve(x)", "x", X, "invalid", "names"),
    Case("subs(x)", "x", X, "invalid", "names"),
    Case("y", "x", X, "invalid", "names"),
    Case("xy", "x", X, "invalid", "names"),
    Case("x2", "2x", X, "invalid", "names"),
    Case("σ(z)", "o*(1-o)", O, "invalid", "names"),
    Case("nan", "1", NONE, "invalid", "names"),
    Case("inf", "1", NONE, "invalid", "names"),
    Case("-∞", "1", NONE, "invalid", "names"),
    # False friends: equal at some points, or on part of the domain only.
    Case("sqrt(x**2)", "x", X, "incorrect", "false friend"),
    Case("sqrt(x**2)", "x", POSITIVE_X, "correct", "false friend"),
    Case("log(x**2)", "2*log(x)", X, "correct", "false friend"),
    Case("2*log(x)", "log(x**2)", X, "incorrect", "false friend"),
    Case("x", "abs(x)", X, "incorrect", "false friend"),
    Case("x", "abs(x)", POSITIVE_X, "correct", "false friend"),
    Case("sin(pi*x)", "0", INTEGER_X, "correct", "false friend"),
    Case("sin(pi*x)", "0", X, "incorrect", "false friend"),
    Case("x^2", "x", BINARY_X, "correct", "false friend"),
    Case("x^2", "x", X, "incorrect", "false friend"),
    Case("(x^2 - 1)/(x - 1)", "x + 1", X, "correct", "false friend"),
    Case("x + 1e-12", "x", X, "correct", "false friend"),
    Case("x*(1 + 1e-4)", "x", X, "incorrect", "false friend"),
    Case("exp(log(x))", "x", X, "incorrect", "false friend"),
    Case("exp(log(x))", "x", POSITIVE_X, "correct", "false friend"),
    Case("(x^3)^(1/3)", "x", X, "incorrect", "false friend"),
    Case("sqrt(x)*sqrt(x)", "x", X, "incorrect", "false friend"),
    Case("1 - x^2/2", "cos(x)", X, "incorrect", "false friend"),
    Case("x - x^3/6", "sin(x)", X, "incorrect", "false friend"),
    Case("sin(pi)", "0", NONE, "correct", "false friend"),
    Case("0", "sin(pi)", NONE, "correct", "false friend"),
    Case("x - x", "0", X, "correct", "false friend"),
    Case("3.14", "pi", NONE, "incorrect", "false friend"),
    Case("3.1415926", "pi", NONE, "correct", "false friend"),
    Case("1/(1+exp(-z))", "exp(z)/(1+exp(z))", WIDE_Z, "correct", "false friend"),
    Case("exp(z)/(1+exp(z))", "exp(-z)/(1+exp(-z))", WIDE_Z, "incorrect", "false friend"),
    Case("x + 1e-3*sin(1000*x)", "x", X, "incorrect", "false friend"),
    Case("(1+x)^2 - x^2 - 2x", "1", LARGE_X, "correct", "false friend"),
    Case("x^2 - (x-1)*(x+1)", "1", LARGE_X, "correct", "false friend"),
    Case("(1+x)^2 - x^2 - 2x", "2", LARGE_X, "incorrect", "false friend"),
    Case("exp(-z) + exp(exp(exp(z)))", "exp(-z)", LARGE_Z, "incorrect", "false friend"),
    Case("e^-z/(1+e^-z)^2 + (z+1)^300 - (z+1)^299*(z+1)", "exp(-z)/(1 + exp(-z))**2", HOMEWORK_Z, "correct", "false friend"),
    # Vector variables: elementwise arithmetic, shapes.
    Case("(a_1 - y)*x", "(a_1 - y)*x", VECTOR, "correct", "vector"),
    Case("x*(a_1 - y)", "(a_1 - y)*x", VECTOR, "correct", "vector"),
    Case("(a_1 - y) x", "(a_1 - y)*x", VECTOR, "correct", "vector"),
    Case("a_1*x - y*x", "(a_1 - y)*x", VECTOR, "correct", "vector"),
    Case("(y - a_1)*x", "(a_1 - y)*x", VECTOR, "incorrect", "vector"),
    Case("(a_1 - y)*x*x", "(a_1 - y)*x", VECTOR, "incorrect", "vector"),
    Case("a_1 - y", "(a_1 - y)*x", VECTOR, "incorrect", "vector"),
    Case("x*x", "x^2", COLUMN, "correct", "vector"),
    Case("x + x", "2x", COLUMN, "correct", "vector"),
    Case("exp(x)", "e^x", COLUMN, "correct", "vector"),
    Case("x - x", "0", COLUMN, "incorrect", "vector"),
    Case("x_1", "x", COLUMN, "invalid", "vector"),
    # Exact form.
    Case("log(5)", "-log(0.2)", NONE, "correct", "form", EXACT),
    Case("-log(0.2)", "-log(0.2)", NONE, "invalid", "form", EXACT),
    Case("(2*pi)**0.5", "sqrt(2*pi)", NONE, "invalid", "form", EXACT),
    Case("sqrt(2pi)", "(2*pi)**0.5", NONE, "correct", "form", EXACT),
    Case("2e-3", "2*e - 3", NONE, "invalid", "form", EXACT),
    Case("x/2", "0.5*x", X, "correct", "form", EXACT),
    # Malformed answers a student can fix.
    Case("(x + 1", "x + 1", X, "invalid", "error"),
    Case("x + 1)", "x + 1", X, "invalid", "error"),
    Case("(x + 1]", "x + 1", X, "invalid", "error"),
    Case("sin", "sin(x)", X, "invalid", "error"),
    Case("sin x", "sin(x)", X, "invalid", "error"),
    Case("sin()", "sin(x)", X, "invalid", "error"),
    Case("x +", "x", X, "invalid", "error"),
    Case("* x", "x", X, "invalid", "error"),
    Case("x 2", "2x", X, "invalid", "error"),
    Case("2 3", "6", NONE, "invalid", "error"),
    Case("log(x, 2, 3)", "log(x)", POSITIVE_X, "invalid", "error"),
    Case("1, 2", "1", NONE, "invalid", "error"),
    Case("()", "1", NONE, "invalid", "error"),
    Case("1.2.3", "1", NONE, "invalid", "error"),
    Case("sin^-1(x)", "asin(x)", UNIT_X, "invalid", "error"),
    Case("y = 2x", "2x", X, "invalid", "error"),
    Case("|x|", "abs(x)", X, "invalid", "error"),
    Case("1\u2003-\u2003a", "1-a", A, "invalid", "error"),
    Case("√x^2", "x", POSITIVE_X, "invalid", "error"),
    Case("x₁ₐ", "x_1", SUBSCRIPTS, "invalid", "error"),
    # Malicious text: rejected by the lexer or parser, never evaluated.
    Case("__import__('os')", "1", NONE, "invalid", "malicious"),
    Case("__import__(\"os\").system(\"ls\")", "1", NONE, "invalid", "malicious"),
    Case("a.__class__", "a", A, "invalid", "malicious"),
    Case("().__class__.__bases__[0].__subclasses__()", "1", NONE, "invalid", "malicious"),
    Case("lambda: 1", "1", NONE, "invalid", "malicious"),
    Case("(lambda x: x)(1)", "1", NONE, "invalid", "malicious"),
    Case("[x for x in range(10)]", "x", X, "invalid", "malicious"),
    Case("sum(x for x in (1, 2))", "3", NONE, "invalid", "malicious"),
    Case("9**9**9**9", "1", NONE, "invalid", "malicious"),
    Case("2**10000", "1", NONE, "invalid", "malicious"),
    Case("10**300 * 10**300", "1", NONE, "invalid", "malicious"),
    Case("factorial(10**9)", "1", NONE, "invalid", "malicious"),
    Case("(10**9)!", "1", NONE, "invalid", "malicious"),
    Case("exp(exp(exp(1000)))", "1", NONE, "invalid", "malicious"),
    Case("x**(10**6)", "x", X, "invalid", "malicious"),
    Case("1e999999", "1", NONE, "invalid", "malicious"),
    Case("'x'", "x", X, "invalid", "malicious"),
    Case('"1" + "2"', "3", NONE, "invalid", "malicious"),
    Case("getattr(x, 'real')", "x", X, "invalid", "malicious"),
    Case("getattr", "1", NONE, "invalid", "malicious"),
    Case("eval('1')", "1", NONE, "invalid", "malicious"),
    Case("exec('import os')", "1", NONE, "invalid", "malicious"),
    Case("open('/etc/passwd')", "1", NONE, "invalid", "malicious"),
    Case("x\\\nimport os", "x", X, "invalid", "malicious"),
    Case("x; import os", "x", X, "invalid", "malicious"),
    Case("import os", "1", NONE, "invalid", "malicious"),
    Case("\\N{DIGIT ONE}", "1", NONE, "invalid", "malicious"),
    Case("\\x31", "1", NONE, "invalid", "malicious"),
    Case("sympify('x')", "x", X, "invalid", "malicious"),
    Case("Symbol('x')", "x", X, "invalid", "malicious"),
    Case("x if x else 1", "x", X, "invalid", "malicious"),
    Case("{x: 1}", "x", X, "invalid", "malicious"),
    Case("x @ x", "x", X, "invalid", "malicious"),
    Case("1_000", "1000", NONE, "invalid", "malicious"),
    Case("x.real", "x", X, "invalid", "malicious"),
    Case("`ls`", "1", NONE, "invalid", "malicious"),
    Case("$(rm -rf /)", "1", NONE, "invalid", "malicious"),
    Case("x # comment", "x", X, "invalid", "malicious"),
    Case("x\u202e1", "x", X, "invalid", "malicious"),
    Case("x\x00", "x", X, "invalid", "malicious"),
    Case("(" * 10_000 + "x" + ")" * 10_000, "x", X, "invalid", "malicious"),
    Case("(" * 400 + "x" + ")" * 400, "x", X, "invalid", "malicious"),
    Case("-" * 900 + "x", "x", X, "invalid", "malicious"),
    Case("x" + "!" * 900, "x", X, "invalid", "malicious"),
    Case("x+" * 50_000 + "x", "x", X, "invalid", "malicious"),
    Case("sin(" * 200 + "x" + ")" * 200, "x", X, "invalid", "malicious"),
    Case(HUGE_FRACTION_ANSWER, "exp(-z)/(1 + exp(-z))**2", HOMEWORK_Z, "invalid", "malicious"),
    Case("((2/3*x)^1000)^1000", "x", X, "invalid", "malicious"),
)
