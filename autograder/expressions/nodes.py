"""The expression tree: the only node types an answer can be built from.

Sums and products are n-ary, so a long chain such as ``x+x+...+x`` makes a
wide tree, not a deep one: tree depth grows only with the nesting that the
parser counts against its depth limit. Spans are ``[start, end)`` indices into
the text as typed, excluded from equality so that equal trees compare equal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction

from autograder.expressions.names import ConstantName

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Number:
    """A literal: ``text`` as read, ``value`` exact, ``is_decimal`` if it has '.' or 'e'."""

    text: str
    value: Fraction
    is_decimal: bool
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True, slots=True)
class Variable:
    """A declared variable, by the name the part declares it with."""

    name: str
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True, slots=True)
class Constant:
    """Euler's number ``e`` or ``pi``."""

    name: ConstantName
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True, slots=True)
class Call:
    """A whitelisted function applied to its arguments, by canonical name (``ln`` is ``log``)."""

    function: str
    args: tuple[Node, ...]
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True, slots=True)
class Negate:
    """Unary minus."""

    operand: Node
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True, slots=True)
class Sum:
    """``terms[0] ± terms[1] ± ...``: ``subtract[i]`` is true where term i is subtracted."""

    terms: tuple[Node, ...]
    subtract: tuple[bool, ...]
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True, slots=True)
class Product:
    """``factors[0] */÷ factors[1] ...`` left to right: ``divide[i]`` is true where factor i divides.

    ``implicit[i]`` records that factor i followed the previous one without an
    operator (``2x``). It is left out of equality, like spans, because ``2x``
    and ``2*x`` mean the same.
    """

    factors: tuple[Node, ...]
    divide: tuple[bool, ...]
    implicit: tuple[bool, ...] = field(compare=False)
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True, slots=True)
class Power:
    """``base ^ exponent``."""

    base: Node
    exponent: Node
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True, slots=True)
class Factorial:
    """Postfix ``!``, the same as ``factorial(operand)``."""

    operand: Node
    span: Span = field(default=(0, 0), compare=False)


Node = Number | Variable | Constant | Call | Negate | Sum | Product | Power | Factorial


def children(node: Node) -> tuple[Node, ...]:
    """Return the direct subtrees of ``node``."""
    kind = type(node)
    if kind is Product:
        return node.factors  # type: ignore[union-attr]
    if kind is Sum:
        return node.terms  # type: ignore[union-attr]
    if kind is Call:
        return node.args  # type: ignore[union-attr]
    if kind is Power:
        return (node.base, node.exponent)  # type: ignore[union-attr]
    if kind is Negate or kind is Factorial:
        return (node.operand,)  # type: ignore[union-attr]
    return ()


def walk(node: Node) -> Iterator[Node]:
    """Yield every node of the tree, parents before children, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def variables_in(node: Node) -> frozenset[str]:
    """Return the names of the variables that occur in the tree."""
    return frozenset(item.name for item in walk(node) if isinstance(item, Variable))


def decimal_literals(node: Node) -> tuple[Number, ...]:
    """Return the decimal literals (``0.5``, ``2e-3``) in source order."""
    found = [item for item in walk(node) if isinstance(item, Number) and item.is_decimal]
    return tuple(sorted(found, key=lambda number: number.span[0]))
