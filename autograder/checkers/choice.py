"""Checker for multiple choice: one option out of a list, typed as text."""

from __future__ import annotations

import difflib
import re
import unicodedata

from autograder.checkers.base import Answer, Checker, PartContext
from autograder.results import Verdict
from autograder.spec import ChoicePart

_IGNORED = re.compile(r"[\s_\-.'\"]+")


def normalize_choice(text: str) -> str:
    """Fold case, Unicode forms, spaces, dashes, underscores, dots and quotes."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text).casefold())


class ChoiceChecker(Checker):
    part_type = "choice"
    part: ChoicePart

    def __init__(self, part: ChoicePart, context: PartContext) -> None:
        super().__init__(part, context)
        self.labels = [option.label for option in part.options]
        self.lookup: dict[str, str] = {}
        for index, option in enumerate(part.options):
            for spelling in (option.label, *option.aliases):
                key = normalize_choice(spelling)
                if not key:
                    raise self.spec_error(f"option {index + 1} has an empty spelling", "options", index)
                owner = self.lookup.setdefault(key, option.label)
                if owner != option.label:
                    raise self.spec_error(
                        f"options {owner!r} and {option.label!r} cannot be told apart once case and spacing are ignored",
                        "options",
                        index,
                    )
        assert self.reference_answer is not None
        reference_text = self.reference_answer.as_text
        if reference_text is None or normalize_choice(reference_text) not in self.lookup:
            raise self.spec_error(
                f"the answer {self.reference_answer.value!r} is not one of the options: {', '.join(self.labels)}",
                "answer",
            )
        self.expected = self.lookup[normalize_choice(reference_text)]
        self.mistakes: dict[str, str] = {}
        for index, mistake in enumerate(part.mistakes):
            key = normalize_choice(str(mistake.answer))
            if key not in self.lookup:
                raise self.spec_error(f"mistake {mistake.answer!r} is not one of the options", "mistakes", index, "answer")
            self.mistakes[self.lookup[key]] = mistake.feedback

    def judge(self, answer: Answer) -> Verdict:
        text = answer.as_text
        if text is None:
            return Verdict.invalid(f"Enter one option as text: {self._options_phrase()}.")
        chosen = self.lookup.get(normalize_choice(text))
        if chosen is None:
            message = f"{text.strip()!r} is not one of the options: {self._options_phrase()}."
            guesses = difflib.get_close_matches(normalize_choice(text), list(self.lookup), n=1, cutoff=0.6)
            if guesses:
                message += f" Did you mean {self.lookup[guesses[0]]!r}?"
            return Verdict.invalid(message)
        if self.property_check is not None:
            return self.run_property_check(chosen)
        if chosen == self.expected:
            return Verdict.correct()
        return Verdict.incorrect(self.mistakes.get(chosen, "Incorrect."))

    def _options_phrase(self) -> str:
        return ", ".join(self.labels)

    def describe_format(self) -> str:
        if self.part.format:
            return self.part.format
        return f"one of: {self._options_phrase()}"
