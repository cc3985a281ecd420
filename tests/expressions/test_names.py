"""Name resolution: declared variables first, then functions and constants; suggestions."""

from __future__ import annotations

import pytest

from autograder.expressions.names import FORBIDDEN, FUNCTIONS, NameTable, join_names, name_key


@pytest.mark.parametrize(
    ("declared", "key", "kind", "name"),
    [
        (("x_1",), "x1", "variable", "x_1"),
        (("w01",), "w01", "variable", "w01"),
        ((), "ln", "function", "log"),
        ((), "arctan", "function", "atan"),
        ((), "e", "constant", "e"),
        (("e",), "e", "variable", "e"),
        ((), "pi", "constant", "pi"),
        (("lambda",), "lambda", "variable", "lambda"),
        (("sigma",), "sigma", "variable", "sigma"),
    ],
)
def test_resolve_table(declared: tuple[str, ...], key: str, kind: str, name: str) -> None:
    resolved = NameTable(declared).resolve(key)
    assert resolved is not None
    assert resolved.kind == kind
    assert resolved.name == name


@pytest.mark.parametrize("key", ["gamma", "S", "N", "E", "I", "Q", "O", "lambda", "diff", "x"])
def test_undeclared_names_unknown(key: str) -> None:
    assert NameTable(()).resolve(key) is None


@pytest.mark.parametrize(
    ("declared", "key", "suggestion"),
    [
        (("sigma",), "sigm", "'sigma'"),
        (("x", "y"), "xy", "'x*y'"),
        (("a_1", "x_1"), "a1x1", "'a_1*x_1'"),
        ((), "Sin", "'sin'"),
        ((), "PI", "'pi'"),
        (("x",), "ex", "'e*x'"),
        (("alpha",), "Alpha", "'alpha'"),
        (("w_01", "w_11", "w_21", "w_02", "w_12", "w_22"), "w10", "'w_01'"),
        (("w_01", "w_11", "w_21", "w_02", "w_12", "w_22"), "w20", "'w_02'"),
        (("w_01", "v_10"), "w10", "'w_01'"),
        (("w_01", "w_11"), "w12", "'w_11'"),
        # A function typed together with its neighbours.
        (("y", "a"), "ylog", "'y*log'"),
        (("x", "y"), "xysin", "'x*y*sin'"),
        (("x",), "xsinh", "'x*sinh'"),
        (("x",), "log2", "'log(…, 2)', the logarithm to base 2"),
        ((), "log10", "'log(…, 10)', the logarithm to base 10"),
        (("x", "a"), "xasin", "'x*asin'"),
        # The longest function that ends the name wins: arcsinh, not sinh after 'xarc'.
        (("x", "a", "r", "c"), "xarcsinh", "'x*arcsinh'"),
        (("y",), "ysec", "'y*sec'"),
        # Nothing close enough to suggest.
        (("x",), "zq", None),
        (("x",), "q", None),
    ],
)
def test_suggestions(declared: tuple[str, ...], key: str, suggestion: str | None) -> None:
    assert NameTable(declared).suggest(key) == suggestion


def test_unknown_name_message_lists_variables() -> None:
    message = NameTable(("z",)).unknown_name_message("q", "q")
    assert message == "Unknown name 'q'. The variables of this part are z."


@pytest.mark.parametrize(
    ("declared", "text", "key", "typed", "message"),
    [
        (("o",), "sigma", "sigma", "σ", "'σ' was read as sigma, and sigma is not a variable or function of this part. The variables of this part are o."),
        (("sigma_1",), "sigma_2", "sigma2", "σ_2", "'σ_2' was read as sigma_2, and sigma_2 is not a variable or function of this part. Did you mean 'sigma_1'? The variables of this part are sigma_1."),
        ((), "lambda", "lambda", "λ", "'λ' was read as lambda, and lambda is not a variable or function of this part. This part has no variables: use numbers, e, pi and functions such as log."),
        (("x",), "nan", "nan", "", "'nan' stands for NaN (not a number), which is not a number that can be graded: type an expression with a finite value."),
        ((), "Inf", "Inf", "", "'Inf' stands for infinity, which is not a number that can be graded: type an expression with a finite value."),
        (("i", "n", "f"), "inf", "inf", "", "Unknown name 'inf'. Did you mean 'i*n*f'?"),
    ],
)
def test_unknown_name_messages(declared: tuple[str, ...], text: str, key: str, typed: str, message: str) -> None:
    assert NameTable(declared).unknown_name_message(text, key, typed=typed) == message


def test_forbidden_message_unless_declared() -> None:
    assert "not a command" in NameTable(()).unknown_name_message("diff", "diff")
    assert "not code" in NameTable(()).unknown_name_message("lambda", "lambda")


def test_tables_disjoint() -> None:
    assert not set(FUNCTIONS) & set(FORBIDDEN)


@pytest.mark.parametrize(("name", "key"), [("x_1", "x1"), ("x_{1}", "x1"), ("w_01", "w01"), ("sigma", "sigma")])
def test_name_key(name: str, key: str) -> None:
    assert name_key(name) == key


@pytest.mark.parametrize(("names", "joined"), [(["z"], "z"), (["x", "y"], "x and y"), (["a", "b", "c"], "a, b and c")])
def test_join_names(names: list[str], joined: str) -> None:
    assert join_names(names) == joined
