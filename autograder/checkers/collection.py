"""Checkers for lists of integers, such as the numbers of the facts a proof
step uses: ``set`` ignores order and repeats, ``list`` compares in order."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from autograder.checkers.base import Answer, Checker, PartContext
from autograder.checkers.values import ValueProblem
from autograder.results import Verdict
from autograder.spec import ListPart, SetPart

MAX_ITEMS = 1000
_SEPARATED = re.compile(r"[\s,;]+")
_BRACKETS = re.compile(r"[\[\](){}]")


def read_integers(value: Any) -> list[int] | ValueProblem:
    """Read a list of integers.

    Accepted: a YAML list, a string like "[6, 8]", "(6, 8)" or "6, 8", a
    single integer, and ``{6, 8}`` (which YAML reads as a mapping with empty
    values). Brackets inside a string are ignored, since the list is flat. An
    empty list is a valid answer.
    """
    if isinstance(value, bool):
        return ValueProblem("Enter a list of whole numbers, such as [1, 5].")
    if isinstance(value, int):
        return [value]
    if isinstance(value, dict) and all(item is None for item in value.values()):
        value = list(value)
    if isinstance(value, str):
        value = [item for item in _SEPARATED.split(_BRACKETS.sub(" ", value)) if item]
    if isinstance(value, float):
        value = [value]
    if not isinstance(value, list):
        return ValueProblem("Enter a list of whole numbers, such as [1, 5].")
    if len(value) > MAX_ITEMS:
        return ValueProblem(f"The list has more than {MAX_ITEMS} entries.")

    numbers: list[int] = []
    for index, item in enumerate(value, start=1):
        if isinstance(item, bool) or isinstance(item, list):
            return ValueProblem(f"Entry {index} is not a whole number.")
        if isinstance(item, float) and item.is_integer():
            item = int(item)
        if isinstance(item, str) and re.fullmatch(r"[+-]?\d{1,18}", item.strip()):
            item = int(item)
        if not isinstance(item, int):
            return ValueProblem(f"Entry {index}, {item!r}, is not a whole number.")
        numbers.append(item)
    return numbers


class _IntegerCollectionChecker(Checker):
    ordered: bool
    part: SetPart | ListPart

    def __init__(self, part: SetPart | ListPart, context: PartContext) -> None:
        super().__init__(part, context)
        assert self.reference_answer is not None
        reference = read_integers(self.reference_answer.value)
        if isinstance(reference, ValueProblem):
            raise self.spec_error(f"the reference answer is not a list of integers: {reference.message}", "answer")
        self.expected = reference
        self.mistakes: list[tuple[list[int], str]] = []
        for index, mistake in enumerate(part.mistakes):
            value = read_integers(mistake.answer)
            if isinstance(value, ValueProblem):
                raise self.spec_error(f"mistake {index + 1}: {value.message}", "mistakes", index, "answer")
            self.mistakes.append((value, mistake.feedback))

    def _same(self, actual: list[int], expected: list[int]) -> bool:
        if self.ordered:
            return actual == expected
        return set(actual) == set(expected)

    def judge(self, answer: Answer) -> Verdict:
        value = read_integers(answer.value)
        if isinstance(value, ValueProblem):
            return Verdict.invalid(value.message)
        if self.property_check is not None:
            return self.run_property_check(value)
        if self._same(value, self.expected):
            return Verdict.correct()
        for mistake, feedback in self.mistakes:
            if self._same(value, mistake):
                return Verdict.incorrect(feedback)
        return self._explain(value)

    def _explain(self, value: list[int]) -> Verdict:
        given, needed = set(value), set(self.expected)
        extra, absent = given - needed, needed - given
        if not extra and not absent:
            if Counter(value) != Counter(self.expected):
                return Verdict.incorrect("The right numbers, but some are repeated or missing a repeat.")
            return Verdict.incorrect("The right numbers, but not in the right order.")
        sentences = []
        if extra:
            sentences.append("Your list includes something that is not needed.")
        if absent:
            sentences.append("Something needed is missing from your list.")
        feedback = " ".join(sentences)
        if not self.part.partial_credit:
            return Verdict.incorrect(feedback)
        # Each right entry earns a share and each wrong one takes a share back.
        fraction = 1.0 if not needed else max(0.0, (len(given & needed) - len(extra)) / len(needed))
        return Verdict.partial(fraction, feedback)

    def describe_format(self) -> str:
        if self.part.format:
            return self.part.format
        order = "in order" if self.ordered else "in any order"
        return f"a list of whole numbers {order}, such as [1, 5], or [] for none"


class SetChecker(_IntegerCollectionChecker):
    part_type = "set"
    ordered = False


class ListChecker(_IntegerCollectionChecker):
    part_type = "list"
    ordered = True
