"""The labelled corpus: every verdict right, every malicious answer stopped by the lexer or parser."""

from __future__ import annotations

import builtins
import json
from collections import Counter
from typing import Any

import pytest

import numpy as np

from autograder.checkers.expression import ExpressionChecker
from autograder.expressions import ExpressionFailure, NameTable, parse
from autograder.expressions.cache import normalize_answer
from autograder.expressions.equivalence import compare
from autograder.expressions.failures import ExpressionError
from autograder.expressions.numeric import evaluate

from .corpus import CORPUS, Case
from .support import make_checker, typed

_CHECKERS: dict[str, ExpressionChecker] = {}


def checker_for(case: Case) -> ExpressionChecker:
    """Build one checker per (reference, variables, options) and reuse it, as grading does."""
    key = json.dumps([case.reference, case.variables, case.options], sort_keys=True)
    if key not in _CHECKERS:
        _CHECKERS[key] = make_checker(case.reference, case.variables, **case.options)
    return _CHECKERS[key]


def test_corpus_size_and_coverage() -> None:
    groups = Counter(case.group for case in CORPUS)
    assert len(CORPUS) >= 150
    for group in ("homework", "notation", "names", "false friend", "vector", "form", "error", "malicious"):
        assert groups[group] >= 5, group


@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.id)
def test_corpus_verdict(case: Case) -> None:
    verdict = checker_for(case).judge(typed(case.answer))
    assert verdict.status == case.status, verdict.feedback
    if case.status != "invalid":
        assert verdict.reading is not None
    if "mistakes" in case.options and case.status == "incorrect":
        assert verdict.feedback == case.options["mistakes"][0]["feedback"]


@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.id)
def test_normalized_answer_gets_same_verdict(case: Case) -> None:
    # Batch grading judges the normalized text once for every student who typed a variant of it.
    checker = checker_for(case)
    checker.clear_cache()
    as_typed = checker.judge(typed(case.answer))
    checker.clear_cache()
    normalized = checker.judge(typed(normalize_answer(case.answer)))
    checker.clear_cache()
    assert normalized.status == as_typed.status
    assert normalized.reading == as_typed.reading


def test_band_agrees_with_compare() -> None:
    # The checker accepts an answer inside the reference's band without calling compare.
    outcomes: Counter[bool] = Counter()
    for case in CORPUS:
        checker = checker_for(case)
        parsed = parse(case.answer, checker.names)
        if isinstance(parsed, ExpressionFailure):
            continue
        try:
            values = evaluate(parsed.tree, checker.points.values, checker.points.count)
        except ExpressionError:
            continue
        band = checker.reference_band
        if band is None or values.shape[1:] != checker.reference.shape:
            continue
        comparison = compare(
            parsed.tree,
            values,
            checker.reference,
            checker.points,
            checker.tolerance,
            checker.part.variables,
            symbolic_time_limit=None,
        )
        with np.errstate(all="ignore"):
            inside = band.contains(values)
        assert inside == (comparison.outcome == "equal" and comparison.method == "sampling"), case.id
        outcomes[inside] += 1
    assert outcomes[True] >= 100
    assert outcomes[False] >= 40


def _forbid(name: str) -> Any:
    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"{name} was called while judging an answer")

    return forbidden


MALICIOUS = tuple(case for case in CORPUS if case.group == "malicious")


@pytest.mark.parametrize("case", MALICIOUS, ids=lambda case: case.id)
def test_malicious_rejected_by_parser(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    checker = checker_for(case)
    names = NameTable(case.variables)
    for name in ("eval", "exec", "compile", "__import__"):
        monkeypatch.setattr(builtins, name, _forbid(name))

    parsed = parse(case.answer, names)
    verdict = checker.judge(typed(case.answer))

    monkeypatch.undo()
    assert isinstance(parsed, ExpressionFailure)
    assert verdict.status == "invalid"
    assert verdict.feedback.startswith(parsed.message.split("\n")[0])
    assert verdict.reading is None
