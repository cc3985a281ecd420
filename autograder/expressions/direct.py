"""Common answers read straight to their values and printed forms, without building a tree.

Judging a correct answer needs its values at the sample points and how it
was read, as plain text and LaTeX, but not its tree. A ``DirectReader``,
made once per part, walks the tokens of ``fastparse.fast_lex`` with the fast path's grammar and
computes, in the same pass, what ``printers.to_text_and_latex`` and
``numeric.evaluate_unguarded`` give for the tree that
``FastParse.parse_tree`` would build. That saves building the nodes and
walking them twice, about a quarter of the time of judging a short
correct answer.

It returns None on anything else the fast path reads (factorials, any
answer that needs ``limits.check_sizes``, decimals where they are not
allowed) and on every error, such as vectors of
different shapes. The caller then parses the text as usual, which gives the
same result or the error message. The tests compare both ways on the
corpus and on random text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

# The token codes and code sets are the fast path's own: this module reads the
# same tokens with the same grammar, so it shares them rather than copying them.
from autograder.expressions.fastparse import (
    _ADDITIVE,
    _CLOSE,
    _COMMA,
    _CONSTANT,
    _DIVIDE,
    _END,
    _FACTORIAL,
    _FUNCTION,
    _IMPLICIT,
    _NO_OPERAND,
    _NUMBER,
    _OPEN,
    _PLUS,
    _POWER,
    _PRODUCT_GOES_ON,
    _ROOT,
    _ROOT_OPERANDS,
    _TERM_END,
    _TIMES,
    _VARIABLE,
    FastParse,
)
from autograder.expressions.limits import (
    BOUNDED_FUNCTIONS,
    Limits,
    literal_plain_size,
    sized_power_passes,
)
from autograder.expressions.numeric import UNARY_FUNCTIONS, align_operands
from autograder.expressions.printers import LATEX_FUNCTIONS, latex_name, latex_number

# Kinds of reading, one per type of the node that the tree would have there.
# The printers' bracket rules depend on the kind, and a call of sqrt or abs
# has its own kind because its LaTeX encloses the argument.
_NUMBER_READ = 0
_VARIABLE_READ = 1
_CONSTANT_READ = 2
_CALL_READ = 3
_ENCLOSING_CALL_READ = 4
_SUM_READ = 5
_PRODUCT_READ = 6
_NEGATE_READ = 7
_POWER_READ = 8

# Tokens that read_atom reads alone, so one that no power follows needs no read_power.
_SIMPLE_ATOMS = frozenset((_NUMBER, _VARIABLE, _CONSTANT))
_SUM_OR_NEGATE = frozenset((_SUM_READ, _NEGATE_READ))
_SUM_OR_PRODUCT = frozenset((_SUM_READ, _PRODUCT_READ))
_BRACKETED_AFTER_FIRST = frozenset((_SUM_READ, _PRODUCT_READ, _NEGATE_READ))
_PLAIN_BASES = frozenset((_NUMBER_READ, _VARIABLE_READ, _CONSTANT_READ, _CALL_READ, _ENCLOSING_CALL_READ))
_PLAIN_EXPONENTS = _PLAIN_BASES | {_POWER_READ}

_FLOAT64 = np.float64

# A reading: the values (a numpy scalar for a constant, else an array over the
# points), the plain text, the LaTeX and the kind.
_Reading = tuple[Any, str, str, int]


class _Stop(Exception):
    """Raised where the caller must parse the text as usual."""


# Raised where the fast path's grammar does not cover the text, as at a
# factorial or an answer that needs the size check. Both stops are single
# instances, raised again and again.
_STOP = _Stop()
# Raised where the text breaks the grammar, as ``x +`` or ``2 3`` do, so that
# ``FastParse.parse_tree`` would give up too. Only the full parser's error
# message is left. The fast path reads factorials and the direct reading
# does not, so a text with a factorial is never called malformed.
_MALFORMED = _Stop()


class Malformed:
    """The result of ``read_directly`` for text that breaks the fast path's grammar."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MALFORMED"


MALFORMED = Malformed()


def read_directly(
    lexed: FastParse, env: Mapping[str, np.ndarray], count: int, *, allow_decimals: bool, align_shapes: bool
) -> tuple[np.ndarray, str, str] | Malformed | None:
    """Read one answer with a ``DirectReader`` made for it; see ``DirectReader.read``."""
    return DirectReader(env, count, allow_decimals=allow_decimals, align_shapes=align_shapes).read(lexed)


def _is_one(literal: str) -> bool:
    """Tell whether a literal has the value 1, as ``1``, ``1.0``, ``01.`` and ``0.1e1`` do."""
    if literal[0] not in "01.":
        # A literal of value 1 starts with 0, 1 or the point.
        return False
    if "e" in literal:
        return Fraction(literal) == 1
    whole, _, decimals = literal.partition(".")
    return whole.lstrip("0") == "1" and not decimals.strip("0")


class DirectReader:
    """A reader of one part's answers: recursive descent with the grammar of ``FastParse``, giving a reading per subexpression.

    One is made per part, for the part's points, and it reads one answer at
    a time. ``read`` keeps the answer's state in the reader, so the reader
    is not safe to share between threads.

    It keeps the counts that ``FastParse`` keeps to decide on the size
    check, and stops wherever ``FastParse`` would set ``needs_size_check``.
    """

    __slots__ = (
        "variables", "allow_decimals", "align_count", "codes", "values", "limits", "index", "plain_size", "variable_count", "power_count",
    )

    def __init__(self, env: Mapping[str, np.ndarray], count: int, *, allow_decimals: bool, align_shapes: bool) -> None:
        # Each variable's reading, the same for every answer.
        self.variables: dict[str, _Reading] = {
            name: (values, name, latex_name(name), _VARIABLE_READ) for name, values in env.items()
        }
        self.allow_decimals = allow_decimals
        # The number of points where operands are aligned before they are combined, or 0 where every value is a scalar.
        self.align_count = count if align_shapes else 0

    def read(self, lexed: FastParse) -> tuple[np.ndarray, str, str] | Malformed | None:
        """Return the values of an answer at the part's points, its plain text and its LaTeX.

        Returns ``MALFORMED`` where the text breaks the fast path's grammar, so
        that ``FastParse.parse_tree`` would give up too, and None where the
        parser must read it for another reason.

        The values of a constant answer are one numpy scalar, which
        ``numeric.evaluate_unguarded`` spreads over the points with ``np.full``.

        ``lexed`` comes from ``fastparse.fast_lex`` and is left as it was, so
        it can still be parsed. Every array of the points must be a float64 array
        of shape ``(count,)``, as ``numeric.evaluate_scalar_variables`` requires,
        or, with ``align_shapes``, of shape ``(count, *shape)``: operands are then
        aligned as ``numeric.evaluate_unguarded`` aligns them, and operands of
        different shapes stop the reading. Call it inside
        ``numeric.ignore_float_errors``.
        """
        codes = self.codes = lexed.codes
        self.values = lexed.values
        limits = self.limits = lexed.limits
        self.index = 0
        self.plain_size = 0
        self.variable_count = 0
        self.power_count = 0
        try:
            values, text, latex, _ = self.read_sum()
        except _Stop as stop:
            # The shared instance would otherwise keep the frames of every stopped reading in its traceback.
            stop.__traceback__ = None
            return MALFORMED if stop is _MALFORMED and _FACTORIAL not in codes else None
        if codes[self.index] != _END:
            # A bracket, comma or factorial after a whole expression.
            return MALFORMED if _FACTORIAL not in codes else None
        if self.plain_size > limits.max_plain_size:
            return None
        return values, text, latex

    def read_sum(self) -> _Reading:
        codes = self.codes
        first = self.read_product()
        code = codes[self.index]
        if code not in _ADDITIVE:
            return first
        total, text, latex, _ = first
        texts = [text]
        latexes = [latex]
        align_count = self.align_count
        while code in _ADDITIVE:
            self.index += 1
            if codes[self.index] in _NO_OPERAND:
                raise _MALFORMED
            values, text, latex, kind = self.read_product()
            if align_count:
                aligned = align_operands(total, values, align_count)
                if aligned is None:
                    raise _STOP
                total, values = aligned
            if kind in _SUM_OR_NEGATE:
                text = "(" + text + ")"
                latex = r"\left(" + latex + r"\right)"
            if code == _PLUS:
                total = total + values
                texts.append(" + " + text)
                latexes.append(" + " + latex)
            else:
                total = total - values
                texts.append(" - " + text)
                latexes.append(" - " + latex)
            code = codes[self.index]
        return total, "".join(texts), "".join(latexes), _SUM_READ

    def read_product(self) -> _Reading:
        codes = self.codes
        code = codes[self.index]
        # A name or number that no power follows, the most common factor, is
        # read without read_power. A simple atom is never the last token.
        if code in _SIMPLE_ATOMS and codes[self.index + 1] != _POWER:
            if code == _VARIABLE and codes[self.index + 1] in _TERM_END:
                return self.read_atom()
            first = self.read_atom()
        elif code in _ADDITIVE:
            first = self.read_signed()
        else:
            first = self.read_power()
        code = codes[self.index]
        if code not in _PRODUCT_GOES_ON:
            if code == _NUMBER:
                raise _MALFORMED
            return first

        result = first[0]
        kind = first[3]
        texts = ["(" + first[1] + ")" if kind in _SUM_OR_PRODUCT else first[1]]
        # The LaTeX puts the factors that divide under a fraction bar, and
        # drops literal 1s from the numerator unless every factor there is one.
        # Each list contains LaTeX ready to join, bracketed as the printers
        # bracket a factor after the first. The first factor of a list stays
        # plain, with its kind kept, until _joined_factors finds whether others follow.
        top: list[str] = []
        top_kind = _NUMBER_READ
        bottom: list[str] = []
        bottom_kind = _NUMBER_READ
        first_one = ""
        if kind == _NUMBER_READ and _is_one(first[1]):
            first_one = first[2]
        else:
            top.append(first[2])
            top_kind = kind
        align_count = self.align_count
        while True:
            # Read the next factor, combine its values and print it.
            if code == _TIMES or code == _DIVIDE:
                self.index += 1
                following = codes[self.index]
                if following in _NO_OPERAND:
                    raise _MALFORMED
                divides = code == _DIVIDE
                if following in _SIMPLE_ATOMS and codes[self.index + 1] != _POWER:
                    factor = self.read_atom()
                elif following in _ADDITIVE:
                    factor = self.read_signed()
                else:
                    factor = self.read_power()
            elif code in _IMPLICIT:
                divides = False
                if code in _SIMPLE_ATOMS and codes[self.index + 1] != _POWER:
                    factor = self.read_atom()
                else:
                    factor = self.read_power()
            elif code == _NUMBER:
                raise _MALFORMED
            else:
                break
            value, text, latex, kind = factor
            if align_count:
                aligned = align_operands(result, value, align_count)
                if aligned is None:
                    raise _STOP
                result, value = aligned
            if kind in _BRACKETED_AFTER_FIRST:
                text = "(" + text + ")"
                bracketed = r"\left(" + latex + r"\right)"
            else:
                bracketed = latex
            if divides:
                result = result / value
                texts.append("/" + text)
                if bottom:
                    bottom.append(bracketed)
                else:
                    bottom.append(latex)
                    bottom_kind = kind
            else:
                result = result * value
                texts.append("*" + text)
                if kind == _NUMBER_READ and _is_one(factor[1]):
                    if not first_one:
                        first_one = latex
                elif top:
                    top.append(bracketed)
                else:
                    top.append(latex)
                    top_kind = kind
            code = codes[self.index]

        latex = _joined_factors(top, top_kind) if top else first_one
        if bottom:
            latex = r"\frac{" + latex + "}{" + _joined_factors(bottom, bottom_kind) + "}"
        return result, "".join(texts), latex, _PRODUCT_READ

    def read_signed(self) -> _Reading:
        codes = self.codes
        index = self.index
        code = codes[index]
        if code not in _ADDITIVE:
            return self.read_power()
        self.index = index + 1
        if codes[index + 1] in _NO_OPERAND:
            raise _MALFORMED
        operand = self.read_signed()
        if code == _PLUS:
            return operand
        values, text, latex, kind = operand
        if kind in _SUM_OR_NEGATE:
            return -values, "-(" + text + ")", r"-\left(" + latex + r"\right)", _NEGATE_READ
        return -values, "-" + text, "-" + latex, _NEGATE_READ

    def read_power(self) -> _Reading:
        size_before = self.plain_size
        variables_before = self.variable_count
        powers_before = self.power_count
        base = self.read_atom()
        codes = self.codes
        if codes[self.index] != _POWER:
            return base
        self.index += 1
        following = codes[self.index]
        if following in _NO_OPERAND:
            raise _MALFORMED
        size_between = self.plain_size
        variables_between = self.variable_count
        powers_between = self.power_count
        if following in _SIMPLE_ATOMS and codes[self.index + 1] != _POWER:
            # A name or number alone, as read_signed would read it, with two calls fewer.
            exponent = self.read_atom()
        else:
            exponent = self.read_signed()
        base_values, base_text, base_latex, base_kind = base
        exponent_values, exponent_text, exponent_latex, exponent_kind = exponent

        # The exponent is a literal integer k if its tree is a Number of digits alone or a negated one.
        if exponent_kind == _NUMBER_READ:
            integer = int(exponent_text) if exponent_text.isdigit() else None
        elif exponent_kind == _NEGATE_READ and exponent_text[1:].isdigit():
            integer = int(exponent_text[1:])
        else:
            integer = None
        if (
            powers_between != powers_before
            or self.power_count != powers_between
            or not sized_power_passes(
                integer,
                size_between - size_before,
                self.plain_size - size_between,
                base_has_variable=variables_between != variables_before,
                base_is_constant=base_kind == _CONSTANT_READ,
                exponent_has_variable=self.variable_count != variables_between,
                limits=self.limits,
            )
        ):
            raise _STOP
        self.power_count += 1

        if self.align_count:
            base_values, exponent_values = self.align(base_values, exponent_values)
        if base_kind not in _PLAIN_BASES:
            base_text = "(" + base_text + ")"
            base_latex = r"\left(" + base_latex + r"\right)"
        elif base_kind == _CALL_READ or (base_kind == _NUMBER_READ and "e" in base_text):
            # \sin\left(x\right)^{2} would read as sin(x^2), and 2 \cdot 10^{3}^{2} is invalid.
            base_latex = r"\left(" + base_latex + r"\right)"
        if exponent_kind not in _PLAIN_EXPONENTS:
            exponent_text = "(" + exponent_text + ")"
        if type(base_values) is _FLOAT64 and type(exponent_values) is _FLOAT64:
            # numeric.power, written out here, where it saves a call per power.
            values = base_values**exponent_values
        else:
            values = np.power(base_values, exponent_values)
        return (
            values,
            base_text + "^" + exponent_text,
            base_latex + "^{" + exponent_latex + "}",
            _POWER_READ,
        )

    def read_atom(self) -> _Reading:
        codes = self.codes
        index = self.index
        code = codes[index]
        if code == _VARIABLE:
            self.index = index + 1
            self.variable_count += 1
            return self.variables[self.values[index]]  # type: ignore[index]
        if code == _NUMBER:
            self.index = index + 1
            text: str = self.values[index]  # type: ignore[assignment]
            if "e" in text:
                # A literal in scientific notation is a decimal for the exact form.
                if not self.allow_decimals:
                    raise _STOP
                self.plain_size += literal_plain_size(text)
                if self.plain_size > self.limits.max_plain_size:
                    # Beyond the bound the literal may exceed the largest float, as 1000000000e300 does.
                    raise _STOP
                latex = latex_number(text)
            else:
                if "." in text and not self.allow_decimals:
                    raise _STOP
                self.plain_size += len(text) + 20
                latex = text
            # numeric divides the literal's exact numerator by its denominator,
            # which rounds correctly, and so does float() of the text: the same
            # float, in 0.12 us against 0.7 us (CPython 3.11).
            return np.float64(float(text)), text, latex, _NUMBER_READ
        if code == _CONSTANT:
            self.index = index + 1
            self.plain_size += 21
            if self.values[index] == "e":
                return np.float64(math.e), "e", "e", _CONSTANT_READ
            return np.float64(math.pi), "pi", r"\pi", _CONSTANT_READ
        if code == _FUNCTION:
            return self.read_call()
        if code == _ROOT:
            return self.read_root()
        if code == _OPEN:
            self.index = index + 1
            if codes[index + 1] == _CLOSE:
                raise _MALFORMED
            inner = self.read_sum()
            if codes[self.index] != _CLOSE:
                raise _MALFORMED
            self.index += 1
            return inner
        # A closing bracket, an operator or the end.
        raise _MALFORMED

    def align(self, left: Any, right: Any) -> tuple[Any, Any]:
        aligned = align_operands(left, right, self.align_count)
        if aligned is None:
            raise _STOP
        return aligned

    def read_root(self) -> _Reading:
        """Read ``√(x + 1)`` as a call of sqrt, or ``√`` before one name, number or call, as ``FastParse.parse_root`` does."""
        index = self.index
        following = self.codes[index + 1]
        if following == _OPEN:
            # The token's value is sqrt's info.
            return self.read_call()
        if following not in _ROOT_OPERANDS:
            raise _MALFORMED
        self.index = index + 1
        values, text, latex, kind = self.read_power()
        # A power here is ambiguous (√x^2), and a factorial (√x!) stops the reading when it reaches the '!'.
        if kind == _POWER_READ:
            raise _MALFORMED
        return np.sqrt(values), "sqrt(" + text + ")", r"\sqrt{" + latex + "}", _ENCLOSING_CALL_READ

    def read_call(self) -> _Reading:
        codes = self.codes
        index = self.index
        info = self.values[index]
        function: str = info.name  # type: ignore[attr-defined]
        # A function takes its argument in brackets, which may not be empty.
        if function == "factorial":
            raise _STOP
        if codes[index + 1] != _OPEN or codes[index + 2] == _CLOSE:
            raise _MALFORMED
        variables_before = self.variable_count
        self.index = index + 2
        argument = self.read_sum()
        second = None
        if codes[self.index] == _COMMA:
            self.index += 1
            if codes[self.index] in _NO_OPERAND:
                raise _MALFORMED
            second = self.read_sum()
        if codes[self.index] != _CLOSE:
            raise _MALFORMED
        if not info.min_args <= (1 if second is None else 2) <= info.max_args:  # type: ignore[attr-defined]
            raise _MALFORMED
        if self.variable_count == variables_before and function not in BOUNDED_FUNCTIONS:
            raise _STOP
        self.index += 1

        values, text, latex, _ = argument
        if second is not None:
            if function != "log":
                raise _MALFORMED
            base_values, base_text, base_latex, _ = second
            if self.align_count:
                values, base_values = self.align(values, base_values)
            return (
                np.log(values) / np.log(base_values),
                "log(" + text + ", " + base_text + ")",
                r"\log_{" + base_latex + r"}\left(" + latex + r"\right)",
                _CALL_READ,
            )
        text = function + "(" + text + ")"
        if function == "log":
            return np.log(values), text, r"\log\left(" + latex + r"\right)", _CALL_READ
        if function == "sqrt":
            return np.sqrt(values), text, r"\sqrt{" + latex + "}", _ENCLOSING_CALL_READ
        if function == "abs":
            return np.abs(values), text, r"\left|" + latex + r"\right|", _ENCLOSING_CALL_READ
        return (
            UNARY_FUNCTIONS[function](values),
            text,
            LATEX_FUNCTIONS[function] + r"\left(" + latex + r"\right)",
            _CALL_READ,
        )


def _joined_factors(latexes: list[str], first_kind: int) -> str:
    """Join the LaTeX of a product's factors with ``\\cdot``, bracketing the first, of kind ``first_kind``, where it needs it.

    Every factor after the first arrives bracketed already. The list is changed in place.
    """
    if len(latexes) == 1:
        return latexes[0]
    if first_kind in _SUM_OR_PRODUCT:
        latexes[0] = r"\left(" + latexes[0] + r"\right)"
    return r" \cdot ".join(latexes)
