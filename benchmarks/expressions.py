"""Benchmark the expression checker on the labelled corpus against plain SymPy.

Run from the repository root:

    python benchmarks/expressions.py

For every corpus row it times a check on first sight (caches cleared, median
of ``FIRST_SIGHT_RUNS`` runs) and the same check repeated (served from the
cache), and counts the verdicts that match the label. It then checks the same rows the plain way, with
``parse_expr`` (standard transformations, implicit multiplication and
``convert_xor``) and ``simplify(answer - reference) == 0``, each row in a
worker process with its own time limit. The plain approach evaluates corpus
text as code, which is acceptable only because the corpus is ours; the
malicious rows are skipped for it.

Between the two, it checks hostile answers that reach the expensive paths of a
check: the 30-digit re-evaluation and the symbolic check. It prints the CPU
time of each check, child processes included. The baseline is the previous
design, SymPy in the grading process, stopped after ``BASELINE_TIME_LIMIT``
seconds.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from autograder.checkers.expression import ExpressionChecker  # noqa: E402
from autograder.expressions import Limits, NameTable, parse  # noqa: E402
from autograder.expressions.equivalence import MAX_PRECISE_NODES, PreciseBudget  # noqa: E402
from autograder.expressions.parser import Expression  # noqa: E402
from autograder.expressions.symbolic import run_in_child  # noqa: E402
from autograder.expressions.tokens import number_value  # noqa: E402
from tests.expressions.corpus import CORPUS, HUGE_FRACTION_ANSWER, Case  # noqa: E402
from tests.expressions.support import make_checker, typed  # noqa: E402
from machine import machine_summary  # noqa: E402

PLAIN_TIME_LIMIT = 5.0
REPEATS = 5
# Each row is checked this many times from scratch and the median kept, which
# damps the noise of other processes on a shared machine.
FIRST_SIGHT_RUNS = 3
# Seconds after which the in-process SymPy baseline is stopped.
BASELINE_TIME_LIMIT = 10.0
FORK_RUNS = 20

SIGMOID_DERIVATIVE = "exp(-z)/(1 + exp(-z))**2"
CANCELLING_TERM = "(1+x)^2-x^2-2x+"
CANCELLING_SUM = CANCELLING_TERM * (1000 // len(CANCELLING_TERM)) + "0"
CANCELLING_TOTAL = f"{1000 // len(CANCELLING_TERM)} + 0*x"


@dataclass(frozen=True)
class Hostile:
    """An answer that reaches the expensive paths of a check, and the part it is checked in."""

    label: str
    reference: str
    variables: dict[str, Any]
    answer: str
    options: dict[str, Any]


HOSTILE = (
    Hostile("zero term with a 30-million-digit fraction", SIGMOID_DERIVATIVE, {"z": [-6, 6]}, HUGE_FRACTION_ANSWER, {}),
    Hostile(
        "0*exp(exp(exp(exp(z)))) cancelled by SymPy",
        SIGMOID_DERIVATIVE,
        {"z": [-6, 6]},
        "e^-z/(1+e^-z)^2 + 0*exp(exp(exp(exp(z))))",
        {},
    ),
    Hostile(
        "symbolic check runs out of time",
        SIGMOID_DERIVATIVE,
        {"z": [-6, 6]},
        "e^-z/(1+e^-z)^2 + 0*exp(exp(exp(exp(z)))) + (sin(z)+cos(z))^60 - (1+sin(2z))^30",
        {},
    ),
    Hostile("0*exp(exp(exp(z))), decided with 30 digits", SIGMOID_DERIVATIVE, {"z": [-6, 6]}, "e^-z/(1+e^-z)^2 + 0*exp(exp(exp(z)))", {}),
    Hostile(
        "sine of e^400000, left to SymPy",
        SIGMOID_DERIVATIVE,
        {"z": [-6, 6]},
        "e^-z/(1+e^-z)^2 + 0*sin(exp(400000+z))",
        {},
    ),
    Hostile("beyond 30 digits, no proof", "exp(-z)", {"z": [3, 4]}, "exp(-z) + exp(exp(exp(exp(z))))", {}),
    Hostile(
        "30-digit budget spent, 10x10 matrix",
        CANCELLING_TOTAL,
        {"x": {"interval": [1e7, 1e8], "shape": [10, 10]}},
        CANCELLING_SUM,
        {"samples": 100},
    ),
    Hostile(
        "cancellation at 1000 points of a 10x10 matrix",
        "1 + 0*x",
        {"x": {"interval": [1e7, 1e8], "shape": [10, 10]}},
        "(1+x)^2 - x^2 - 2x",
        {"samples": 1000},
    ),
)


@dataclass(frozen=True)
class Timing:
    status: str
    first_seconds: float
    repeat_seconds: float


def build_checkers() -> tuple[dict[str, ExpressionChecker], list[float]]:
    checkers: dict[str, ExpressionChecker] = {}
    build_seconds = []
    for case in CORPUS:
        key = json.dumps([case.reference, case.variables, case.options], sort_keys=True)
        if key not in checkers:
            started = time.perf_counter()
            checkers[key] = make_checker(case.reference, case.variables, **case.options)
            build_seconds.append(time.perf_counter() - started)
    return checkers, build_seconds


def checker_key(case: Case) -> str:
    return json.dumps([case.reference, case.variables, case.options], sort_keys=True)


def time_ours(checkers: dict[str, ExpressionChecker]) -> list[Timing]:
    timings = []
    for case in CORPUS:
        checker = checkers[checker_key(case)]
        answer = typed(case.answer)
        firsts = []
        for _ in range(FIRST_SIGHT_RUNS):
            checker.clear_cache()
            number_value.cache_clear()
            started = time.perf_counter()
            verdict = checker.judge(answer)
            firsts.append(time.perf_counter() - started)
        first = statistics.median(firsts)
        repeats = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            checker.judge(answer)
            repeats.append(time.perf_counter() - started)
        timings.append(Timing(verdict.status, first, statistics.median(repeats)))
    return timings


def plain_check(case: Case, clear_sympy_cache: bool) -> tuple[str, float]:
    """Check one row the plain SymPy way, in a worker process; returns (status, seconds).

    With ``clear_sympy_cache`` SymPy's global cache is emptied first, so the
    row is SymPy's first sight of it, as for this engine with its cache cleared.
    """
    import sympy
    from sympy.core.cache import clear_cache
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    transformations = standard_transformations + (implicit_multiplication_application, convert_xor)
    names: dict[str, Any] = {name: sympy.Symbol(name, real=True) for name in case.variables}
    names.setdefault("e", sympy.E)
    names.setdefault("ln", sympy.log)
    runs = []
    for _ in range(FIRST_SIGHT_RUNS):
        if clear_sympy_cache:
            clear_cache()
        started = time.perf_counter()
        try:
            answer = parse_expr(case.answer, local_dict=dict(names), transformations=transformations)
            reference = parse_expr(case.reference, local_dict=dict(names), transformations=transformations)
            status = "correct" if sympy.simplify(answer - reference) == 0 else "incorrect"
        except Exception:  # noqa: BLE001 - any failure of the plain approach reads as an invalid answer
            status = "invalid"
        runs.append(time.perf_counter() - started)
    return status, statistics.median(runs)


def time_plain(cases: list[Case], clear_sympy_cache: bool) -> list[tuple[str, float]]:
    """Run ``plain_check`` per row with a time limit, restarting the worker after a timeout."""
    context = multiprocessing.get_context("fork")
    pool = context.Pool(1)
    pool.apply(plain_check, (cases[0], False))  # import SymPy once, outside the timings
    results = []
    for case in cases:
        pending = pool.apply_async(plain_check, (case, clear_sympy_cache))
        try:
            results.append(pending.get(timeout=PLAIN_TIME_LIMIT * FIRST_SIGHT_RUNS))
        except multiprocessing.TimeoutError:
            pool.terminate()
            pool = context.Pool(1)
            pool.apply(plain_check, (cases[0], False))
            results.append(("timeout", PLAIN_TIME_LIMIT))
    pool.terminate()
    return results


def cpu_seconds() -> float:
    """Return the CPU time of this process and of its reaped children, such as symbolic checks."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def fork_milliseconds() -> float:
    """Return the median wall-clock time of a symbolic-check child that returns at once."""
    runs = []
    for _ in range(FORK_RUNS):
        started = time.perf_counter()
        run_in_child(lambda: True, 10.0, 512 * 2**20)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1000


def precise_microseconds_per_node() -> float:
    """Return the time of 30-digit re-evaluation per tree node, on answers whose every point is suspect."""
    checker = make_checker(CANCELLING_TOTAL, {"x": [1e7, 1e8]}, samples=100)
    parsed = parse(CANCELLING_SUM, checker.names)
    assert isinstance(parsed, Expression)
    from autograder.expressions.numeric import evaluate

    values = evaluate(parsed.tree, checker.points.values, checker.points.count)
    checker._compare(parsed.tree, values, checker.reference, PreciseBudget(), symbolic=False)  # warm-up
    budget = PreciseBudget()
    started = time.perf_counter()
    checker._compare(parsed.tree, values, checker.reference, budget, symbolic=False)
    elapsed = time.perf_counter() - started
    return elapsed / (MAX_PRECISE_NODES - budget.remaining) * 1e6


def in_process_sympy(answer: str, reference: str, variable: str) -> bool:
    """Run the symbolic check in this process, as before it moved to a child; the size limits are lifted."""
    from autograder.expressions.symbolic import _difference_is_zero
    from autograder.spec import VariableSpec

    names = NameTable((variable,))
    unlimited = Limits(max_exact_digits=float("inf"))
    answer_tree = parse(answer, names, unlimited)
    reference_tree = parse(reference, names, unlimited)
    assert isinstance(answer_tree, Expression) and isinstance(reference_tree, Expression)
    return _difference_is_zero(answer_tree.tree, reference_tree.tree, {variable: VariableSpec.model_validate([-6, 6])})


def time_baseline() -> str:
    """Time the in-process SymPy check of the 30-million-digit answer in a worker, stopped after BASELINE_TIME_LIMIT."""
    context = multiprocessing.get_context("fork")
    pool = context.Pool(1)
    started = time.perf_counter()
    pending = pool.apply_async(in_process_sympy, (HUGE_FRACTION_ANSWER, SIGMOID_DERIVATIVE, "z"))
    try:
        proved = pending.get(timeout=BASELINE_TIME_LIMIT)
        outcome = f"finished in {time.perf_counter() - started:.1f} s, proved: {proved}"
    except multiprocessing.TimeoutError:
        outcome = f"no result after {BASELINE_TIME_LIMIT:g} s, stopped"
    except MemoryError:
        outcome = f"MemoryError after {time.perf_counter() - started:.1f} s"
    pool.terminate()
    return outcome


def report_bounds() -> None:
    print()
    print("bounds on hostile answers (CPU time includes the symbolic check's child process)")
    print(f"  fork of one symbolic check: median {fork_milliseconds():.1f} ms over {FORK_RUNS} (a child that returns at once)")
    per_node = precise_microseconds_per_node()
    print(f"  30-digit re-evaluation: {per_node:.1f} us per node, so the budget of {MAX_PRECISE_NODES:,} nodes is about {per_node * MAX_PRECISE_NODES / 1000:.0f} ms")
    for hostile in HOSTILE:
        checker = make_checker(hostile.reference, hostile.variables, **hostile.options)
        cpu_before, wall_before = cpu_seconds(), time.perf_counter()
        verdict = checker.judge(typed(hostile.answer))
        cpu, wall = cpu_seconds() - cpu_before, time.perf_counter() - wall_before
        print(f"  {hostile.label + ':':48} {verdict.status:9} CPU {cpu:5.2f} s, wall {wall:5.2f} s")
    children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  peak RSS of any child so far: {children_peak:.0f} MB")
    print(f"  baseline, the 30-million-digit answer with SymPy in this process and no size limit: {time_baseline()}")


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def microseconds(seconds: float) -> str:
    return f"{seconds * 1e6:.1f} us"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-plain", action="store_true", help="time only this engine, not plain SymPy")
    parser.add_argument("--skip-bounds", action="store_true", help="skip the hostile answers and the in-process baseline")
    arguments = parser.parse_args()

    print(machine_summary())
    import numpy

    print(f"numpy {numpy.__version__}; corpus: {len(CORPUS)} rows, {dict(Counter(case.group for case in CORPUS))}")

    checkers, build_seconds = build_checkers()
    time_ours(checkers)  # warm-up pass: first-call costs of numpy and lazy imports
    timings = time_ours(checkers)
    firsts = [timing.first_seconds for timing in timings]
    repeats = [timing.repeat_seconds for timing in timings]
    right = sum(timing.status == case.status for timing, case in zip(timings, CORPUS))
    worst = max(range(len(CORPUS)), key=lambda index: firsts[index])
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print()
    print("this engine (whitelisting parser, numpy sampling, cached verdicts)")
    print(f"  checkers built: {len(build_seconds)}, median {milliseconds(statistics.median(build_seconds))}, max {milliseconds(max(build_seconds))}")
    print(f"  first sight:    median {milliseconds(statistics.median(firsts))}, worst {milliseconds(firsts[worst])} ({CORPUS[worst].id})")
    print(f"  repeated:       median {microseconds(statistics.median(repeats))}, worst {microseconds(max(repeats))}")
    print(f"  accuracy:       {right}/{len(CORPUS)} verdicts match the labels")
    print(f"  sympy imported: {'sympy' in sys.modules}; peak RSS {peak_rss_mb:.0f} MB")
    for timing, case in zip(timings, CORPUS):
        if timing.status != case.status:
            print(f"    wrong: {case.id}: {timing.status}, expected {case.status}")

    if not arguments.skip_bounds:
        report_bounds()

    if arguments.skip_plain:
        return

    plain_cases = [case for case in CORPUS if case.group != "malicious"]
    ours_on_same = [timing for timing, case in zip(timings, CORPUS) if case.group != "malicious"]
    ours_right_on_same = sum(timing.status == case.status for timing, case in zip(ours_on_same, plain_cases))
    ours_median_same = statistics.median(timing.first_seconds for timing in ours_on_same)
    print()
    print(f"plain SymPy (parse_expr + simplify(a - r) == 0) on {len(plain_cases)} rows; the {len(CORPUS) - len(plain_cases)} malicious rows are skipped")
    print(f"  this engine on the same rows: first sight median {milliseconds(ours_median_same)}, accuracy {ours_right_on_same}/{len(plain_cases)}")
    results = time_plain(plain_cases, clear_sympy_cache=True)
    seconds = [elapsed for _, elapsed in results]
    right = sum(status == case.status for (status, _), case in zip(results, plain_cases))
    timeouts = sum(status == "timeout" for status, _ in results)
    ratios = [elapsed / timing.first_seconds for elapsed, timing in zip(seconds, ours_on_same)]
    total_ratio = sum(seconds) / sum(timing.first_seconds for timing in ours_on_same)
    print("  plain, SymPy cache cleared before each run (first sight):")
    print(f"    per check:    median {milliseconds(statistics.median(seconds))}, worst {milliseconds(max(seconds))}, timeouts ({PLAIN_TIME_LIMIT:g} s per check): {timeouts}")
    print(f"    accuracy:     {right}/{len(plain_cases)}")
    print(f"    speed-up:     {statistics.median(seconds) / ours_median_same:.0f}x median over median, {statistics.median(ratios):.0f}x median of per-row ratios, {total_ratio:.0f}x on total time")
    wrong_plain = Counter(case.group for (status, _), case in zip(results, plain_cases) if status != case.status)
    print(f"    plain verdicts that differ from the labels, by group: {dict(wrong_plain)}")

if __name__ == "__main__":
    main()
