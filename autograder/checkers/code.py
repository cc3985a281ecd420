"""The checker of ``code`` parts: student functions run in the sandbox on test cases.

A code part has no answer in the answers file. The grading loop grades it
through a runner, with every code part of a submission in one run::

    checkers = [CodeChecker(part, context) for part in code_parts]   # at spec load
    verdicts = grade_code_parts(checkers, submission, module_file="hw07.py",
                                runner=runner, include_hidden=True)

``run_code_parts``, which ``grade_code_parts`` calls, concatenates
``checker.calls(show_hidden=...)`` of every checker, runs them with the widest
of the parts' limits, and hands each checker its slice of the outcomes through
``checker.verdict(...)``. The
constructor validates the part, builds the test cases once and computes the
reference outputs in the grader process, which is trusted. Reference outputs
never reach the sandbox.

The score of a part is the share of its cases that pass. With
``show_hidden=False`` (a student's own check), hidden cases are not run at all
and the feedback says how many run only at grading.
"""

from __future__ import annotations

import builtins
import copy
import dataclasses
import difflib
import inspect
import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from autograder.checkers.base import Answer, Checker, PartContext
from autograder.results import Verdict
from autograder.sandbox import codec
from autograder.sandbox.limits import SandboxLimits
from autograder.sandbox.records import Call, CallOutcome, CodeFile, ImportOutcome, RunResult
from autograder.sandbox.runner import STOPPED_FUNCTION_NOTE, Runner
from autograder.spec import CodePart

logger = logging.getLogger(__name__)

MAX_SHOWN_CHARS = 600
MAX_HIDDEN_FAILURES_SHOWN = 5
MAX_PRINTED_LINES = 20
# Arrays up to this size are compared element by element in Python, which for
# a few numbers is several times faster than numpy's vectorized steps.
MAX_LOOPED_ELEMENTS = 64


@dataclass(frozen=True, eq=False)
class TestCase:
    """One test case: its number (from 1), arguments, reference output and visibility."""

    number: int
    args: tuple[Any, ...]
    expected: float | np.ndarray
    hidden: bool


@dataclass(frozen=True)
class Mismatch:
    """Why one case failed: ``kind`` is safe to show for a hidden case, ``detail`` is not."""

    kind: str
    detail: str


class CodeChecker(Checker):
    """Runs a student function on listed and random cases and compares with the reference."""

    part_type = "code"

    def __init__(self, part: CodePart, context: PartContext) -> None:  # type: ignore[override]
        super().__init__(part, context)
        self.part: CodePart = part
        self.reference = context.reference_function(part.id, part.reference_name, "reference_function")
        self.argument_names = _argument_names(self.reference)
        # The loader has already merged the spec's top-level limits into the part's.
        self.limits = SandboxLimits.from_spec(part.limits)
        self.cases = tuple(self._build_cases())
        # The calls of every run, by show_hidden. Nothing in the grader
        # changes a call's arguments: the runner only encodes them.
        self._calls: dict[bool, tuple[Call, ...]] = {}
        logger.debug("part %s: %d test cases", part.id, len(self.cases))

    # Building the cases (spec errors are raised here, at load time).

    def _build_cases(self) -> list[TestCase]:
        arguments: list[tuple[tuple[Any, ...], bool, tuple[str | int, ...]]] = []
        for index, case in enumerate(self.part.cases):
            keys: tuple[str | int, ...] = ("cases", index)
            args = tuple(self._listed_argument(value, index, position) for position, value in enumerate(case.args))
            arguments.append((args, case.hidden, keys))

        if self.part.random is not None:
            random = self.part.random
            generator = self.context.reference_function(self.part.id, random.generator, "random", "generator")
            for index in range(random.count):
                args = self._generated_arguments(generator, index)
                arguments.append((args, random.hidden, ("random",)))

        cases = []
        for number, (args, hidden, keys) in enumerate(arguments, start=1):
            self._check_arity(args, number, keys)
            expected = self._reference_output(args, number, keys)
            cases.append(TestCase(number, args, expected, hidden))
        return cases

    def _listed_argument(self, value: Any, index: int, position: int) -> Any:
        keys = ("cases", index)
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, (list, tuple)):
            try:
                array = np.array(value, dtype=float)
            except (ValueError, TypeError) as error:
                raise self.spec_error(
                    f"case {index + 1}, argument {position + 1}: a list must be a rectangular table of numbers ({error})",
                    *keys,
                ) from error
            return array
        raise self.spec_error(
            f"case {index + 1}, argument {position + 1}: {type(value).__name__} is not a supported argument; use numbers, strings or lists of numbers",
            *keys,
        )

    def _generated_arguments(self, generator: Callable[..., Any], index: int) -> tuple[Any, ...]:
        assert self.part.random is not None
        name = self.part.random.generator
        try:
            produced = generator(np.random.default_rng([self.part.random.seed, index]))
        except Exception as error:  # noqa: BLE001 - a broken generator is the author's to fix
            raise self.spec_error(
                f"generator {name}() raised {type(error).__name__} for random case {index + 1}: {error}",
                "random",
                "generator",
            ) from error
        if not isinstance(produced, (list, tuple)):
            raise self.spec_error(
                f"generator {name}() must return a list or tuple of arguments, got {type(produced).__name__}",
                "random",
                "generator",
            )
        args = tuple(_plain_argument(value) for value in produced)
        try:
            codec.encode(list(args))
        except codec.CodecError as error:
            raise self.spec_error(
                f"generator {name}() produced arguments that cannot be sent to student code: {error}",
                "random",
                "generator",
            ) from error
        return args

    def _check_arity(self, args: tuple[Any, ...], number: int, keys: tuple[str | int, ...]) -> None:
        try:
            inspect.signature(self.reference).bind(*args)
        except TypeError as error:
            raise self.spec_error(
                f"case {number} has {len(args)} arguments, which {self.part.reference_name}() does not accept: {error}",
                *keys,
            ) from error
        except ValueError:  # no signature available (a builtin), so nothing to check
            return

    def _reference_output(self, args: tuple[Any, ...], number: int, keys: tuple[str | int, ...]) -> float | np.ndarray:
        name = self.part.reference_name
        try:
            output = self.reference(*copy.deepcopy(args))
        except Exception as error:  # noqa: BLE001 - a broken reference is the author's to fix
            raise self.spec_error(
                f"reference function {name}() raised {type(error).__name__} on case {number}: {error}", *keys
            ) from error
        expected = _expected_value(output)
        if expected is None:
            raise self.spec_error(
                f"reference function {name}() returned {type(output).__name__} on case {number}; "
                "a code part compares numbers or numeric arrays",
                *keys,
            )
        if self.part.shape is not None:
            shape = np.shape(expected)
            pattern = self.part.shape
            matches = len(shape) == len(pattern) and all(
                wanted is None or wanted == size for wanted, size in zip(pattern, shape)
            )
            if not matches:
                raise self.spec_error(
                    f"reference function {name}() returned shape {shape} on case {number}, "
                    f"which does not match the part's shape {_pattern_text(pattern)}",
                    "shape",
                )
        return expected

    # The interface used by the grading loop.

    def cases_for(self, *, show_hidden: bool) -> tuple[TestCase, ...]:
        """Return the cases that run: all of them, or only the visible ones."""
        return self.cases if show_hidden else tuple(case for case in self.cases if not case.hidden)

    def calls(self, *, show_hidden: bool) -> list[Call]:
        """Return one call per case that runs, in the order of ``cases_for``.

        The arguments are copies of the cases' own, made once per checker.
        """
        if show_hidden not in self._calls:
            self._calls[show_hidden] = tuple(
                Call(self.part.function, copy.deepcopy(case.args), self.limits.call_seconds)
                for case in self.cases_for(show_hidden=show_hidden)
            )
        return list(self._calls[show_hidden])

    def verdict(
        self,
        import_outcome: ImportOutcome,
        outcomes: Sequence[CallOutcome],
        *,
        module: str,
        show_hidden: bool,
    ) -> Verdict:
        """Grade this part from the import outcome and the outcomes of ``calls``."""
        cases = self.cases_for(show_hidden=show_hidden)
        if len(outcomes) != len(cases):
            raise ValueError(f"part {self.part.id}: expected {len(cases)} outcomes, got {len(outcomes)}")
        hidden_count = len(self.cases) - len(cases)
        hidden_note = (
            f"\n{hidden_count} hidden test case{'s' if hidden_count != 1 else ''} "
            f"{'run' if hidden_count != 1 else 'runs'} only at grading."
            if hidden_count
            else ""
        )

        import_failure = _import_failure(import_outcome, module, self.part.function)
        if import_failure is not None:
            return import_failure
        if self.part.function in import_outcome.missing_functions:
            return Verdict.missing(f"{module}.py defines no function named {self.part.function}.")
        if not cases:
            return Verdict.partial(
                0.0,
                f"{module}.py imports and defines {self.part.function}, but this part has no visible "
                f"test cases to run here.{hidden_note}",
            )

        failed: list[tuple[TestCase, CallOutcome, Mismatch]] = []
        for case, outcome in zip(cases, outcomes):
            mismatch = _judge_case(case, outcome, self.part)
            if mismatch is not None:
                failed.append((case, outcome, mismatch))
        passed = len(cases) - len(failed)
        lines = [f"Passed {passed} of {len(cases)} test cases."]

        visible = [entry for entry in failed if not entry[0].hidden]
        if visible:
            lines.append(self._describe_visible_failure(*visible[0]))
        hidden_failed = [entry for entry in failed if entry[0].hidden]
        for case, _, mismatch in hidden_failed[:MAX_HIDDEN_FAILURES_SHOWN]:
            lines.append(f"Hidden case {case.number} failed: {mismatch.kind}.")
        if len(hidden_failed) > MAX_HIDDEN_FAILURES_SHOWN:
            lines.append(f"{len(hidden_failed) - MAX_HIDDEN_FAILURES_SHOWN} more hidden cases failed.")

        feedback = "\n".join(lines) + hidden_note
        statuses = {outcome.status for _, outcome, _ in failed}
        if passed == 0 and "timeout" in statuses and statuses <= {"timeout", "not_run"}:
            return Verdict("timeout", 0.0, feedback)
        return Verdict.partial(passed / len(cases), feedback)

    def _describe_visible_failure(self, case: TestCase, outcome: CallOutcome, mismatch: Mismatch) -> str:
        inputs = ", ".join(
            f"{name} = {_show(value)}" for name, value in zip(self._names_for(case.args), case.args)
        )
        lines = [f"Case {case.number} failed: {mismatch.detail}", f"  Inputs: {inputs}"]
        if outcome.status == "ok":
            lines.append(f"  Expected: {_show(case.expected)}")
            lines.append(f"  Your function returned: {_show(outcome.value)}")
        if outcome.traceback:
            lines.append("  Traceback (your code only):\n" + outcome.traceback)
        return "\n".join(lines)

    def _names_for(self, args: tuple[Any, ...]) -> list[str]:
        names = list(self.argument_names)
        return names + [f"argument {index + 1}" for index in range(len(names), len(args))]

    def judge(self, answer: Answer) -> Verdict:
        """Reject an answers-file entry: a code part is graded from the submitted module."""
        return Verdict.invalid(
            f"Part {self.part.id} is graded by running your function {self.part.function}; "
            "remove it from the answers file."
        )

    def describe_format(self) -> str:
        return f"a Python function {self.part.function}({', '.join(self.argument_names)}) in your module"


class SubmissionFiles(Protocol):
    """The part of a submission that code parts need: its Python files by name, and those that could not be read."""

    @property
    def files(self) -> Mapping[str, str]: ...

    @property
    def undecodable_files(self) -> tuple[str, ...]: ...


def grade_code_parts(
    checkers: Sequence[CodeChecker],
    submission: SubmissionFiles,
    *,
    module_file: str | None,
    runner: Runner,
    include_hidden: bool,
) -> dict[str, Verdict]:
    """Grade every code part of one submission in one run; return verdicts by part id.

    ``module_file`` is the student module's file name, e.g. ``hw07.py``. The
    submission's other Python files with valid names are written beside it,
    so that the module can import its own helpers.
    """
    if module_file is None or not module_file.endswith(".py"):
        return {
            checker.part.id: Verdict("error", 0.0, "The spec names no student module (submission.module), so code was not run.")
            for checker in checkers
        }
    files = [CodeFile(name, text) for name, text in submission.files.items() if CodeFile.is_valid_name(name)]
    verdicts, result = run_code_parts(runner, checkers, files, module_file[: -len(".py")], show_hidden=include_hidden)
    if module_file in submission.undecodable_files:
        verdicts = {
            part_id: dataclasses.replace(
                verdict, feedback=f"Your {module_file} is not UTF-8 text, so it could not be read. Save it as UTF-8 and submit it again."
            )
            if verdict.status == "missing"
            else verdict
            for part_id, verdict in verdicts.items()
        }
    elif module_file not in submission.files:
        guesses = difflib.get_close_matches(module_file, list(submission.files), n=1, cutoff=0.6)
        if guesses:
            hint = f" Your submission has {guesses[0]}: rename it to {module_file}."
            verdicts = {
                part_id: dataclasses.replace(verdict, feedback=verdict.feedback + hint) if verdict.status == "missing" else verdict
                for part_id, verdict in verdicts.items()
            }
    if include_hidden or not result.output.strip():
        return verdicts
    # A student's own check shows what the code printed. Grading does not,
    # because printed arguments would reveal the hidden cases.
    printed = _printed_output(result)
    return {
        part_id: dataclasses.replace(verdict, feedback=f"{verdict.feedback}\n{printed}")
        for part_id, verdict in verdicts.items()
    }


def _printed_output(result: RunResult) -> str:
    lines = result.output.rstrip().splitlines()
    shown = lines[:MAX_PRINTED_LINES]
    text = "Your code printed:\n" + "\n".join(f"  | {line}" for line in shown)
    if len(lines) > len(shown) or result.output_truncated:
        text += "\n  | ... (more output not shown)"
    return text


def run_code_parts(
    runner: Runner,
    checkers: Sequence[CodeChecker],
    files: Sequence[CodeFile],
    module: str,
    *,
    show_hidden: bool,
) -> tuple[dict[str, Verdict], RunResult]:
    """Run every code part of one submission in one run and grade each part.

    Returns the verdict of each part by id, and the run itself for its output.
    ``module`` is the module name without ``.py``.
    """
    calls: list[Call] = []
    slices: list[tuple[CodeChecker, int, int]] = []
    limits: SandboxLimits | None = None
    for checker in checkers:
        part_calls = checker.calls(show_hidden=show_hidden)
        slices.append((checker, len(calls), len(calls) + len(part_calls)))
        calls.extend(part_calls)
        limits = checker.limits if limits is None else limits.widest(checker.limits)

    result = runner.run(files, module, calls, limits)
    if result.output:
        logger.debug("output of module %s:\n%s", module, result.output)
    verdicts = {
        checker.part.id: checker.verdict(
            result.import_outcome, result.outcomes[start:end], module=module, show_hidden=show_hidden
        )
        for checker, start, end in slices
    }
    return verdicts, result


# Comparison of one outcome with the reference output.


def _judge_case(case: TestCase, outcome: CallOutcome, part: CodePart) -> Mismatch | None:
    if outcome.status != "ok":
        return _failed_call(outcome)
    return _compare(case.expected, outcome.value, rtol=part.rtol, atol=part.atol)


# Exception classes whose names may be shown for a hidden case. A class that
# the student defines can carry any text in its name, such as the hidden
# inputs, so only the names of Python's own exceptions are shown.
BUILTIN_EXCEPTION_NAMES = frozenset(
    name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)
)


def _failed_call(outcome: CallOutcome) -> Mismatch:
    if outcome.status == "error":
        name = outcome.exception or "an exception"
        detail = f"your function raised {name}" + (f": {outcome.message}" if outcome.message else "")
        shown = name if name in BUILTIN_EXCEPTION_NAMES else "an exception of a class from your code"
        return Mismatch(f"raised {shown}", detail + ".")
    kinds = {
        "timeout": "timed out",
        "memory": "exceeded the memory limit",
        "crash": "crashed",
        "output_invalid": "returned a value that cannot be graded",
        "not_run": "not run",
    }
    kind = kinds.get(outcome.status, outcome.status)
    if outcome.status == "not_run" and outcome.message.endswith(STOPPED_FUNCTION_NOTE):
        # The runner's own message, which names the rule and no input, so it
        # is safe to show for a hidden case too.
        return Mismatch(outcome.message, f"{outcome.message}, and the grader stops calling a function after that.")
    return Mismatch(kind, f"{kind}: {outcome.message}." if outcome.message else f"{kind}.")


def _compare(expected: float | np.ndarray, actual: Any, *, rtol: float, atol: float) -> Mismatch | None:
    converted = _as_numbers(actual)
    if isinstance(converted, Mismatch):
        return converted

    if not isinstance(expected, np.ndarray):
        if converted.ndim != 0:
            return Mismatch(
                "wrong shape",
                f"returned an array of shape {converted.shape}; return a single number, e.g. with float(...).",
            )
    else:
        if converted.ndim == 0:
            return Mismatch("wrong shape", f"returned a number; return an array of shape {expected.shape}.")
        if converted.shape != expected.shape:
            return Mismatch("wrong shape", _shape_advice(converted.shape, expected.shape))

    if np.iscomplexobj(converted) and not np.iscomplexobj(expected):
        if np.any(np.imag(converted) != 0):
            return Mismatch("wrong values", "returned complex numbers; expected real numbers.")
        converted = np.real(converted)
    if np.any(np.isnan(converted)):
        return Mismatch("returned NaN", "returned a value that contains NaN.")
    if not _all_close(converted, expected, rtol=rtol, atol=atol):
        return Mismatch("wrong values", f"returned wrong values (compared with rtol={rtol:g}, atol={atol:g}).")
    return None


def _all_close(actual: np.ndarray, expected: float | np.ndarray, *, rtol: float, atol: float) -> bool:
    """Return ``np.allclose(actual, expected, rtol=rtol, atol=atol)`` for arrays of the same shape, in fewer steps.

    Equal infinities are close, as in ``np.allclose``; NaN is close to nothing.
    Complex values take ``np.allclose`` itself.
    """
    pairs = _float_pairs(actual, expected)
    if pairs is not None:
        # Python floats are IEEE doubles like float64, so this is the same test
        # as below, without a numpy call per step on a handful of numbers.
        for value, reference in pairs:
            if value != reference and not (abs(value - reference) <= atol + rtol * abs(reference) and math.isfinite(reference)):
                return False
        return True
    if np.iscomplexobj(actual) or np.iscomplexobj(expected):
        return bool(np.allclose(actual, expected, rtol=rtol, atol=atol, equal_nan=False))
    with np.errstate(invalid="ignore", over="ignore"):
        actual = np.asarray(actual, dtype=float)
        within = np.abs(actual - expected) <= atol + rtol * np.abs(expected)
        close = (actual == expected) | (within & np.isfinite(expected))
    return bool(close.all())


def _float_pairs(actual: np.ndarray, expected: float | np.ndarray) -> Iterable[tuple[float, float]] | None:
    """Return the (actual, expected) elements as Python floats if both are float64 of one shape and few elements, else None."""
    if type(actual) is not np.ndarray or actual.dtype != np.float64 or actual.size > MAX_LOOPED_ELEMENTS:
        return None
    if type(expected) is float and actual.ndim == 0:
        return ((actual.item(), expected),)
    if type(expected) is np.ndarray and expected.dtype == np.float64 and expected.shape == actual.shape:
        return zip(actual.ravel().tolist(), expected.ravel().tolist())
    return None


def _as_numbers(value: Any) -> np.ndarray | Mismatch:
    """Convert a decoded value to a numeric numpy array, or explain why not.

    ``value`` is plain data from ``codec.decode``, so no student code runs here.
    """
    if value is None:
        return Mismatch("returned None", "returned None; did you forget a return statement?")
    if type(value) is bool:
        return Mismatch("returned a bool", f"returned the bool {value}; return a number or an array of numbers.")
    if type(value) is str:
        return Mismatch("returned a string", f"returned the string {_show(value)}; return a number or an array of numbers.")
    if type(value) in (int, float):
        return np.asarray(float(value))
    if type(value) is np.ndarray:
        if value.dtype == np.bool_:
            return Mismatch("returned booleans", "returned an array of booleans; return an array of numbers.")
        return value
    if type(value) in (list, tuple):
        try:
            return np.array(value, dtype=float)
        except (ValueError, TypeError):
            return Mismatch(
                "returned an invalid list",
                "returned a list that is not a rectangular table of numbers; return a numpy array.",
            )
    return Mismatch("returned an unsupported value", f"returned a value of type {codec.type_name(value)}.")


def _shape_advice(actual: tuple[int, ...], expected: tuple[int, ...]) -> str:
    if len(expected) == 2 and expected[1] == 1:
        if actual == (expected[0],):
            return (
                f"returned an array of shape {actual}; return a column vector of shape {expected}, "
                "e.g. with .reshape(-1, 1)."
            )
        if actual == (1, expected[0]):
            return (
                f"returned a row vector of shape {actual}, the transpose of the expected column vector "
                f"of shape {expected}; transpose it with .T or use .reshape(-1, 1)."
            )
    if len(expected) == 1 and actual == (expected[0], 1):
        return f"returned a column vector of shape {actual}; return a 1-D array of shape {expected}, e.g. with .ravel()."
    if len(expected) == 2 and actual == (expected[1], expected[0]):
        return f"returned an array of shape {actual}, the transpose of the expected shape {expected}; transpose it with .T."
    return f"returned an array of shape {actual}; expected shape {expected}."


def _import_failure(outcome: ImportOutcome, module: str, function: str) -> Verdict | None:
    if outcome.ok:
        return None
    if outcome.status == "missing_module":
        return Verdict.missing(f"Your submission has no {module}.py, so {function} could not be tested.")
    if outcome.status == "syntax_error":
        return Verdict("error", 0.0, f"{module}.py has a syntax error, so {function} could not be tested: {outcome.message}")
    if outcome.status == "timeout":
        return Verdict("timeout", 0.0, f"Importing {module}.py timed out: {outcome.message}.")
    detail = outcome.message
    if outcome.exception:
        detail = f"{outcome.exception}: {outcome.message}" if outcome.message else outcome.exception
    feedback = f"Importing {module}.py failed, so {function} could not be tested: {detail}"
    if outcome.traceback:
        feedback += "\n  Traceback (your code only):\n" + outcome.traceback
    return Verdict("error", 0.0, feedback)


def _expected_value(output: Any) -> float | np.ndarray | None:
    if isinstance(output, (bool, np.bool_)):
        return float(output)
    if isinstance(output, (int, float, np.integer, np.floating)):
        return float(output)
    if isinstance(output, np.ndarray) and output.dtype.kind in "biuf":
        return np.array(output, dtype=float)
    if isinstance(output, np.ndarray) and output.dtype.kind == "c":
        return np.array(output)
    if isinstance(output, (list, tuple)):
        try:
            return np.array(output, dtype=float)
        except (ValueError, TypeError):
            return None
    return None


def _plain_argument(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return np.array(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        try:
            return np.array(value, dtype=float)
        except (ValueError, TypeError):
            return value
    return value


def _argument_names(function: Callable[..., Any]) -> tuple[str, ...]:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return ()
    return tuple(
        parameter.name
        for parameter in parameters
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD)
    )


def _pattern_text(pattern: tuple[int | None, ...]) -> str:
    return "(" + ", ".join("n" if size is None else str(size) for size in pattern) + ")"


def _show(value: Any) -> str:
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=6, separator=", ", threshold=50)
        text = " ".join(text.split())
        if value.ndim > 0:
            text += f" (shape {value.shape})"
    else:
        text = repr(value)
    if len(text) > MAX_SHOWN_CHARS:
        text = text[:MAX_SHOWN_CHARS] + " ..."
    return text
