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
    ],
)
def test_suggestions(declared: tuple[str, ...], key: str, suggestion: str) -> None:
    assert NameTable(declared).suggest(key) == suggestion


def test_unknown_name_message_lists_variables() -> None:
    message = NameTable(("z",)).unknown_name_message("q", "q")
    assert message == "Unknown name 'q'. The variables of this part are z."


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
