"""The whitelisting parser: turns tokens into an expression tree of allowed nodes only.

Threat model. Answers (and the spec's reference text) are untrusted strings;
the attacker wants to run code, read data, or hang or crash the grader.

- Running code (``__import__('os')``, ``a.__class__``, ``lambda: 1``,
  ``getattr(...)``, ``\\N{...}`` escapes, comprehensions, ``;``): text is never
  given to ``eval``, ``exec``, ``compile``, ``sympify`` or ``parse_expr``. The
  lexer accepts only digits, ASCII and Greek letters, ``+ - * / ^ ! , ( ) [ ]
  { }``, spaces and a fixed table of typographic characters, so quotes,
  dots outside numbers, colons, backslashes, ``_`` outside a subscript,
  ``;``, ``=`` and ``@`` stop at the lexer. A name becomes a node only if it is
  a declared variable, a function of the whitelist in ``names.FUNCTIONS``, or
  ``e`` or ``pi``. Calls are built only for whitelisted functions.
- Reaching SymPy's namespace (``S``, ``N``, ``E``, ``I``, ``Q``, ``O``,
  ``gamma``, ``lambda``): these are ordinary names, variables where declared
  and unknown elsewhere. SymPy objects are built from the tree by
  ``symbolic.py``, one constructor per node type, never from text.
- Exhausting time or memory: ``limits.Limits`` bounds the length (checked
  before lexing), the digits and exponent of each literal (in the lexer), and
  the nesting depth (here, before each recursive step). After parsing and
  before any evaluation, ``check_sizes`` bounds constant exponents,
  factorials, every constant subexpression, and the estimated digits of the
  exact fractions that SymPy would build for a power. So ``9**9**9**9``,
  ``factorial(10**9)`` and ``((123/124)^1000)^1000`` are rejected without
  being computed. Numeric evaluation uses floats, where overflow gives
  ``inf`` rather than a hang. The 30-digit re-evaluation in ``precise.py``
  gives up on values beyond about 10^434294 and on the sine, cosine or
  tangent of a value beyond about 10^308, whose argument reduction would
  take mpmath seconds, except that ``exp`` of a
  larger argument is kept as a sign and a size without digits, and one
  check visits at most ``equivalence.MAX_PRECISE_NODES`` nodes with it. SymPy runs in a forked
  child with CPU-time and address-space limits, which is killed after a
  wall-clock time limit, because one SymPy call can spend minutes inside
  a single C operation.
- Bypassing these checks through the fast path: ``fastparse.py`` reads
  common answers in one pass, accepting a subset of the same characters
  and resolving names through the same ``NameTable``. It hands anything
  else, errors included, to the lexer and parser here, and ``parse``
  applies the same size-check rule to its trees.
- Crashing the grader: every failure on student input is an
  ``ExpressionError`` raised inside the engine and returned as an
  ``ExpressionFailure`` value at the boundary (``parse``); tests feed
  arbitrary strings through it with Hypothesis.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property

from autograder.expressions.failures import (
    ExpressionError,
    ExpressionFailure,
    failure_at,
)
from autograder.expressions.fastparse import (
    FastParse,
    fast_lex,
    new_call,
    new_constant,
    new_number,
    new_power,
    new_product,
    new_sum,
    new_unary,
    new_variable,
)
from autograder.expressions.limits import (
    BOUNDED_FUNCTIONS,
    DEFAULT_LIMITS,
    Limits,
    check_sizes,
    literal_plain_size,
    power_passes_size_check,
)
from autograder.expressions.names import FUNCTIONS, FunctionInfo, NameTable
from autograder.expressions.nodes import (
    Factorial,
    Negate,
    Node,
    Number,
    decimal_literals,
    variables_in,
)
from autograder.expressions.tokens import (
    SQUARE_ROOT,
    Kind,
    Token,
    number_value,
    tokenize,
)

logger = logging.getLogger(__name__)

_MATCHING_CLOSE = {"(": ")", "[": "]", "{": "}"}
_OPERATOR = Kind.OPERATOR
_NAME = Kind.NAME
_NUMBER = Kind.NUMBER
_OPEN = Kind.OPEN
_CLOSE = Kind.CLOSE
_COMMA = Kind.COMMA
_END = Kind.END
_ADDITIVE = frozenset("+-")
_MULTIPLICATIVE = frozenset("*/")
# Operators that cannot start an operand.
_NOT_OPERAND_START = frozenset("*/^!")


@dataclass(frozen=True)
class Expression:
    """A parsed answer: the text as typed and its tree."""

    text: str
    tree: Node

    # One Expression is built per answer, so it writes its fields straight into
    # the instance dict: about half the cost of the generated frozen __init__.
    def __init__(self, text: str, tree: Node) -> None:
        fields = self.__dict__
        fields["text"] = text
        fields["tree"] = tree

    @cached_property
    def variables(self) -> frozenset[str]:
        return variables_in(self.tree)

    @property
    def decimals(self) -> tuple[Number, ...]:
        return decimal_literals(self.tree)


def parse(text: str, names: NameTable, limits: Limits = DEFAULT_LIMITS) -> Expression | ExpressionFailure:
    """Parse ``text`` with the names of one part, or describe what is wrong and where."""
    return parse_lexed(text, fast_lex(text, names, limits), names, limits)


def parse_lexed(
    text: str, lexed: FastParse | None, names: NameTable, limits: Limits = DEFAULT_LIMITS
) -> Expression | ExpressionFailure:
    """Parse like ``parse``, given what ``fastparse.fast_lex(text, names, limits)`` returned."""
    try:
        fast = lexed.parse_tree() if lexed is not None else None
        if fast is not None:
            tree = fast.tree
            if fast.needs_size_check or fast.plain_size > limits.max_plain_size:
                check_sizes(tree, limits)
            return Expression(text, tree)
        tokens = tokenize(text, limits)
        parser = _Parser(tokens, names, limits)
        tree = parser.parse()
        if parser.needs_size_check or parser.plain_size > limits.max_plain_size:
            check_sizes(tree, limits)
    except ExpressionError as error:
        return failure_at(text, error.message, error.position)
    return Expression(text, tree)


class _Parser:
    """Recursive descent with one token of lookahead.

    Grammar, loosest first (implicit multiplication binds like ``*``)::

        sum      = product (("+" | "-") product)*
        product  = signed (("*" | "/") signed | implicit)*
        signed   = ("+" | "-") signed | power
        implicit = power            (not starting with a number)
        power    = postfix ("^" exponent)?
        exponent = ("+" | "-") exponent | power
        postfix  = atom "!"*
        atom     = NUMBER | variable | constant | call | root | "(" sum ")"
        call     = function ("^" INTEGER)? "(" sum ("," sum)* ")"
        root     = "√" ("(" sum ")" | NUMBER | variable | constant | call | root)

    A root without brackets takes one atom, so ``√x y`` is ``sqrt(x)*y``,
    and ``√x^2`` and ``√x!`` are rejected as ambiguous.
    """

    def __init__(self, tokens: list[Token], names: NameTable, limits: Limits) -> None:
        self.tokens = tokens
        self.names = names
        self.limits = limits
        self.index = 0
        # What ``parse`` needs to skip ``check_sizes`` (see ``Limits.max_plain_size``):
        # whether the tree has a factorial, a call without a variable in its
        # arguments or a power that ``power_passes_size_check`` does not
        # accept, and the sum over its literals and constants of their plain
        # sizes (``literal_plain_size``, 21 for ``e`` and ``pi``). The counts
        # of variables and powers show what a call or a power contains.
        self.needs_size_check = False
        self.plain_size = 0
        self.variable_count = 0
        self.power_count = 0

    def peek(self) -> Token:
        # The parser never advances past the END token, so the index is always valid.
        return self.tokens[self.index]

    def peek_next(self) -> Token:
        return self.tokens[min(self.index + 1, len(self.tokens) - 1)]

    def previous_end(self) -> int:
        return self.tokens[self.index - 1].end

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def is_operator(self, token: Token, *symbols: str) -> bool:
        return token.kind is _OPERATOR and token.text in symbols

    def check_depth(self, depth: int, token: Token) -> None:
        if depth > self.limits.max_depth:
            raise ExpressionError(
                f"Your answer nests brackets, functions, exponents or signs more than {self.limits.max_depth} levels deep.",
                token.start,
            )

    def parse(self) -> Node:
        if self.peek().kind is Kind.END:
            raise ExpressionError("Your answer is empty.")
        tree = self.parse_sum(0)
        extra = self.peek()
        if extra.kind is Kind.END:
            return tree
        if extra.kind is Kind.CLOSE:
            raise ExpressionError(f"This '{extra.text}' has no matching opening bracket.", extra.start)
        if extra.kind is Kind.COMMA:
            raise ExpressionError(
                "A ',' may only separate the arguments of a function, as in log(x, 2). Type a single expression.",
                extra.start,
            )
        raise ExpressionError(f"Unexpected '{extra.text}': an operator or the end of the answer is expected here.", extra.start)

    # The methods below run once per token or node, so they read self.tokens directly instead of through peek().

    def parse_sum(self, depth: int) -> Node:
        tokens = self.tokens
        start = tokens[self.index].start
        first = self.parse_product(depth)
        token = tokens[self.index]
        if token.kind is not _OPERATOR or token.text not in _ADDITIVE:
            return first
        terms = [first]
        subtract = [False]
        while token.kind is _OPERATOR and token.text in _ADDITIVE:
            self.index += 1
            self.expect_operand_after(token)
            terms.append(self.parse_product(depth))
            subtract.append(token.text == "-")
            token = tokens[self.index]
        return new_sum(tuple(terms), tuple(subtract), (start, tokens[self.index - 1].end))

    def parse_product(self, depth: int) -> Node:
        tokens = self.tokens
        start = tokens[self.index].start
        # parse_signed reads a sign or hands over to parse_power, so the common unsigned factor goes there directly.
        first = self.parse_signed(depth) if tokens[self.index].kind is _OPERATOR else self.parse_power(depth)
        token = tokens[self.index]
        kind = token.kind
        # A product goes on by implicit multiplication, or stops with an error at a misplaced number.
        # Kinds are compared by identity because hashing an enum member runs Python code.
        if not (
            kind is _NAME or kind is _OPEN or kind is _NUMBER or (kind is _OPERATOR and token.text in _MULTIPLICATIVE)
        ):
            return first
        factors = [first]
        divide = [False]
        implicit = [False]
        while True:
            if kind is _OPERATOR and token.text in _MULTIPLICATIVE:
                self.index += 1
                self.expect_operand_after(token)
                factors.append(
                    self.parse_signed(depth) if tokens[self.index].kind is _OPERATOR else self.parse_power(depth)
                )
                divide.append(token.text == "/")
                implicit.append(False)
            elif kind is _NAME or kind is _OPEN:
                factors.append(self.parse_power(depth))
                divide.append(False)
                implicit.append(True)
            elif kind is _NUMBER:
                previous = tokens[self.index - 1]
                raise ExpressionError(
                    f"A number cannot follow '{previous.text}' directly: put an operator such as * or ^ between them.",
                    token.start,
                )
            else:
                break
            token = tokens[self.index]
            kind = token.kind
        return new_product(tuple(factors), tuple(divide), tuple(implicit), (start, tokens[self.index - 1].end))

    def parse_signed(self, depth: int) -> Node:
        token = self.tokens[self.index]
        if token.kind is _OPERATOR and token.text in _ADDITIVE:
            self.check_depth(depth + 1, token)
            self.index += 1
            self.expect_operand_after(token)
            operand = self.parse_signed(depth + 1)
            if token.text == "+":
                return operand
            return new_unary(Negate, operand, (token.start, self.tokens[self.index - 1].end))
        return self.parse_power(depth)

    def parse_power(self, depth: int) -> Node:
        """Read ``postfix ("^" exponent)?``, where ``postfix = atom "!"*``."""
        tokens = self.tokens
        token = tokens[self.index]
        kind = token.kind
        size_before = self.plain_size
        variables_before = self.variable_count
        powers_before = self.power_count
        # Numbers and variables, the most common atoms, are read here rather than in parse_atom and parse_name.
        resolved = self.names.resolve(token.key) if kind is _NAME else None
        if kind is _NUMBER:
            self.index += 1
            text = token.text
            node = new_number(text, number_value(text), "." in text or "e" in text, (token.start, token.end))
            self.plain_size += literal_plain_size(text)
        elif resolved is not None and resolved.kind == "variable":
            self.index += 1
            self.variable_count += 1
            node = new_variable(resolved.name, (token.start, token.end))
        else:
            node = self.parse_atom(depth)
        token = tokens[self.index]
        if token.kind is not _OPERATOR:
            return node
        postfix_depth = depth
        while token.text == "!":
            self.index += 1
            postfix_depth += 1
            self.check_depth(postfix_depth, token)
            self.needs_size_check = True
            node = new_unary(Factorial, node, (node.span[0], token.end))
            token = tokens[self.index]
            if token.kind is not _OPERATOR:
                return node
        if token.text != "^":
            return node
        self.check_depth(depth + 1, token)
        self.index += 1
        self.expect_operand_after(token)
        size_between = self.plain_size
        variables_between = self.variable_count
        exponent = self.parse_exponent(depth + 1)
        self.record_power(
            node,
            exponent,
            size_between - size_before,
            self.plain_size - size_between,
            contains_power=self.power_count != powers_before,
            base_has_variable=variables_between != variables_before,
            exponent_has_variable=self.variable_count != variables_between,
        )
        return new_power(node, exponent, (node.span[0], tokens[self.index - 1].end))

    def record_power(
        self,
        base: Node,
        exponent: Node,
        base_size: int,
        exponent_size: int,
        *,
        contains_power: bool,
        base_has_variable: bool,
        exponent_has_variable: bool,
    ) -> None:
        """Count a power, and set ``needs_size_check`` unless ``check_sizes`` provably passes on it.

        ``power_passes_size_check`` requires base and exponent to be plain and
        to contain no power. They are plain when nothing in them set
        ``needs_size_check``. ``contains_power`` is true when they contain an
        accepted power, whose digits their plain sizes do not bound.
        """
        if not self.needs_size_check and (
            contains_power
            or not power_passes_size_check(
                base,
                exponent,
                base_size,
                exponent_size,
                base_has_variable=base_has_variable,
                exponent_has_variable=exponent_has_variable,
                limits=self.limits,
            )
        ):
            self.needs_size_check = True
        self.power_count += 1

    def parse_exponent(self, depth: int) -> Node:
        token = self.tokens[self.index]
        if token.kind is _OPERATOR and token.text in _ADDITIVE:
            self.check_depth(depth + 1, token)
            self.index += 1
            self.expect_operand_after(token)
            operand = self.parse_exponent(depth + 1)
            if token.text == "+":
                return operand
            return new_unary(Negate, operand, (token.start, self.tokens[self.index - 1].end))
        return self.parse_power(depth)

    def parse_atom(self, depth: int) -> Node:
        token = self.tokens[self.index]
        kind = token.kind
        if kind is _NUMBER:
            self.index += 1
            text = token.text
            self.plain_size += literal_plain_size(text)
            return new_number(text, number_value(text), "." in text or "e" in text, (token.start, token.end))
        if kind is _NAME:
            return self.parse_name(depth)
        if kind is _OPEN:
            return self.parse_group(depth)
        raise self.missing_operand(token)

    def parse_name(self, depth: int) -> Node:
        token = self.advance()
        if token.text == SQUARE_ROOT:
            return self.parse_root(token, depth)
        resolved = self.names.resolve(token.key)
        if resolved is None:
            message = self.names.unknown_name_message(token.text, token.key, typed=token.typed)
            raise ExpressionError(message, token.start)
        span = (token.start, token.end)
        if resolved.kind == "variable":
            self.variable_count += 1
            return new_variable(resolved.name, span)
        if resolved.kind == "constant":
            self.plain_size += 21
            return new_constant(resolved.name, span)
        assert resolved.function is not None
        return self.parse_call(token, resolved.function, depth)

    def parse_call(self, name: Token, info: FunctionInfo, depth: int) -> Node:
        size_before = self.plain_size
        variables_before = self.variable_count
        powers_before = self.power_count
        power = self.parse_function_power(name)
        opening = self.peek()
        if opening.kind is not Kind.OPEN:
            raise ExpressionError(
                f"'{name.text}' is a function: put its argument in brackets, as in {name.text}(x).",
                opening.start,
            )
        self.check_depth(depth + 1, opening)
        self.advance()
        if self.peek().kind is Kind.CLOSE:
            raise ExpressionError(
                f"'{name.text}' needs an argument inside the brackets, as in {name.text}(x).",
                self.peek().start,
            )
        args = [self.parse_sum(depth + 1)]
        while self.peek().kind is Kind.COMMA:
            comma = self.advance()
            self.expect_operand_after(comma)
            args.append(self.parse_sum(depth + 1))
        self.expect_close(opening)
        if not info.min_args <= len(args) <= info.max_args:
            expected = _count_phrase(info.min_args, info.max_args)
            raise ExpressionError(
                f"'{name.text}' takes {expected}, but {len(args)} were given.", name.start
            )
        if self.variable_count == variables_before and info.name not in BOUNDED_FUNCTIONS:
            self.needs_size_check = True
        call: Node = new_call(info.name, tuple(args), (name.start, self.previous_end()))
        if power is None:
            return call
        # ``sin^2(x)`` is the power ``sin(x)^2``, and its exponent a literal.
        base_size = self.plain_size - size_before
        exponent_size = len(power.text) + 20
        self.plain_size += exponent_size
        self.record_power(
            call,
            power,
            base_size,
            exponent_size,
            contains_power=self.power_count != powers_before,
            base_has_variable=self.variable_count != variables_before,
            exponent_has_variable=False,
        )
        return new_power(call, power, call.span)

    def parse_root(self, root: Token, depth: int) -> Node:
        """Read the square root sign: ``√(x + 1)``, or ``√`` before one name, number or call."""
        following = self.peek()
        if following.kind is Kind.OPEN or self.is_operator(following, "^"):
            return self.parse_call(root, FUNCTIONS["sqrt"], depth)
        if following.kind not in (Kind.NAME, Kind.NUMBER):
            raise ExpressionError("A value is missing after '√': write √x, √2 or √(x + 1).", following.start)
        self.check_depth(depth + 1, following)
        operand = self.parse_atom(depth + 1)
        after = self.peek()
        if self.is_operator(after, "^", "!"):
            argument = self.source_of(operand)
            examples = f"√({argument}^2) or √({argument})^2" if after.text == "^" else f"√({argument}!) or √({argument})!"
            raise ExpressionError(
                f"This '{after.text}' after √{argument} is ambiguous: use brackets to show what the root covers, as in {examples}.",
                after.start,
            )
        # sqrt is one of BOUNDED_FUNCTIONS, so the root needs no size check of its own, as sqrt(...) needs none.
        return new_call("sqrt", (operand,), (root.start, self.previous_end()))

    def source_of(self, node: Node) -> str:
        """Return the tokens of ``node`` as the lexer read them, joined without spaces."""
        return "".join(token.text for token in self.tokens if node.span[0] <= token.start and token.end <= node.span[1])

    def parse_function_power(self, name: Token) -> Number | None:
        """Read the ``^2`` of ``sin^2(x)`` or ``sin²(x)``, which mean ``sin(x)^2``.

        The lexer turns a superscript ``²`` into ``^(2)``, so a bracketed
        whole number is accepted too.
        """
        if not self.is_operator(self.peek(), "^"):
            return None
        caret = self.advance()
        exponent = self.peek()
        if exponent.kind is Kind.NUMBER and exponent.text.isdigit() and self.peek_next().kind is Kind.OPEN:
            self.advance()
            return Number(exponent.text, number_value(exponent.text), False, span=(exponent.start, exponent.end))
        following = self.tokens[self.index : self.index + 4]
        if (
            len(following) == 4
            and [token.kind for token in following] == [Kind.OPEN, Kind.NUMBER, Kind.CLOSE, Kind.OPEN]
            and following[1].text.isdigit()
        ):
            self.index += 3
            digits = following[1]
            return Number(digits.text, number_value(digits.text), False, span=(digits.start, digits.end))
        raise ExpressionError(
            f"Write the power of a function after its argument, as in {name.text}(x)^2; "
            f"for an inverse function use its name, such as asin(x).",
            caret.start,
        )

    def parse_group(self, depth: int) -> Node:
        opening = self.advance()
        self.check_depth(depth + 1, opening)
        if self.peek().kind is Kind.CLOSE:
            raise ExpressionError("These brackets are empty.", opening.start)
        inner = self.parse_sum(depth + 1)
        self.expect_close(opening)
        return inner

    def expect_close(self, opening: Token) -> None:
        token = self.peek()
        expected = _MATCHING_CLOSE[opening.text]
        if token.kind is Kind.CLOSE and token.text == expected:
            self.advance()
            return
        if token.kind is Kind.END:
            raise ExpressionError(f"This '{opening.text}' is never closed: add a '{expected}'.", opening.start)
        if token.kind is Kind.CLOSE:
            raise ExpressionError(
                f"This '{token.text}' does not match the '{opening.text}' at position {opening.start + 1}: expected '{expected}'.",
                token.start,
            )
        if token.kind is Kind.COMMA:
            raise ExpressionError(
                "A ',' may only separate the arguments of a function, as in log(x, 2).", token.start
            )
        raise ExpressionError(f"Expected '{expected}' here, to close the '{opening.text}' at position {opening.start + 1}.", token.start)

    def expect_operand_after(self, operator: Token) -> None:
        following = self.tokens[self.index]
        kind = following.kind
        if kind is _END or kind is _CLOSE or kind is _COMMA or (kind is _OPERATOR and following.text in _NOT_OPERAND_START):
            raise ExpressionError(f"A value is missing after '{operator.text}'.", following.start)

    def missing_operand(self, token: Token) -> ExpressionError:
        if token.kind is Kind.END:
            return ExpressionError("Your answer ends where a value is expected.", token.start)
        if token.kind is Kind.CLOSE:
            return ExpressionError(f"A value is missing before '{token.text}'.", token.start)
        return ExpressionError(f"A value is missing before '{token.text}'.", token.start)


def _count_phrase(low: int, high: int) -> str:
    if low == high:
        return f"{low} argument" + ("s" if low != 1 else "")
    return f"{low} or {high} arguments"
