"""The exact-form rule: where a part requires an exact answer, decimal literals are rejected."""

from __future__ import annotations

from autograder.expressions.failures import caret_excerpt
from autograder.expressions.parser import Expression


def exact_form_message(expression: Expression) -> str | None:
    """Describe the first decimal in ``expression``, or return ``None`` if it has none.

    The message asks for an exact form and points at the decimal. For
    scientific notation such as ``2e-3`` it also says how to write 2·e − 3,
    which a student may have meant.
    """
    decimals = expression.decimals
    if not decimals:
        return None
    number = decimals[0]
    message = (
        f"This answer must be in exact form, but it contains the decimal number {number.text}: "
        "use fractions, roots, e, pi and functions such as log(5) instead of decimals."
    )
    if "e" in number.text and "." not in number.text:
        mantissa, exponent = number.text.split("e")
        sign = "-" if exponent.startswith("-") else "+"
        message += (
            f" ({number.text} is read as scientific notation, {mantissa}×10^{int(exponent)}; "
            f"if you meant {mantissa}·e {sign} {exponent.lstrip('+-')}, write {mantissa}*e {sign} {exponent.lstrip('+-')}.)"
        )
    return f"{message}\n{caret_excerpt(expression.text, number.span[0])}"
