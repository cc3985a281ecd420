"""Grade synthetic cohorts with ``autograder grade`` and compare with grading the plain way.

Run from the repository root::

    python benchmarks/grade_batch.py [--sizes 1000 10000] [--plain 100] [-j N]

For each size, ``benchmarks/make_cohort.py`` writes a cohort of homework-7
submissions (with ``--hostile-each`` of each hostile kind), and the real
command line grades it against ``problems/hw07.yaml`` with the sandbox, into
a fresh gradebook. The script prints:

- submissions per second, from the wall-clock time of the whole command;
- CPU milliseconds per submission: user plus system time of the command and
  every process under it (workers, the fork server, bubblewrap, the sandbox
  template and each sandboxed child). This script makes itself a child
  subreaper, so orphaned descendants are reparented to it and reaped, and
  their CPU time lands in ``RUSAGE_CHILDREN``;
- peak memory of the process tree, sampled every 50 ms from
  ``/proc/PID/smaps_rollup``. PSS splits each shared page among the processes
  that map it, so the summed PSS is the tree's real footprint. RSS counts a
  shared page once per process, so the summed RSS is an upper bound. Both
  peaks are printed.

It then grades a slice of the same cohort the plain way, one submission at a
time in this process. Each code part gets a fresh ``python`` that imports
numpy and the student module and runs every test case. Each expression part
gets ``parse_expr`` and ``simplify(answer - reference) == 0``. The other parts
go to the project's own checkers. Submissions with hostile code are left out
of that slice, because the plain way runs code without a sandbox. The plain
way evaluates answer text with SymPy, which is acceptable here only because
the cohort's text comes from this repository's own tables.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPOSITORY = Path(__file__).resolve().parent.parent
SPEC = REPOSITORY / "problems" / "hw07.yaml"
SAMPLE_SECONDS = 0.05
PR_SET_CHILD_SUBREAPER = 36
PLAIN_CODE_SECONDS = 30.0
PLAIN_EXPRESSION_SECONDS = 10

sys.path.insert(0, str(REPOSITORY / "benchmarks"))
import make_cohort  # noqa: E402
from machine import machine_summary  # noqa: E402


@dataclass(frozen=True)
class BatchFigures:
    """The cost of grading one cohort."""

    submissions: int
    seconds: float
    cpu_seconds: float
    peak_pss_mb: float
    peak_rss_mb: float
    peak_processes: int


# Measuring the process tree


def _children_of() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def _tree(root: int) -> list[int]:
    children = _children_of()
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, ()))
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """Return (PSS, RSS) of one process in KiB, or zeros if it is gone."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


class TreeSampler(threading.Thread):
    """Samples the summed PSS and RSS of this process's descendants until stopped."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_pss = self.peak_rss = self.peak_processes = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(SAMPLE_SECONDS):
            # The subreaper (this process) adopts orphans, so sample its whole
            # tree minus itself and this benchmark's own memory.
            pids = [pid for pid in _tree(os.getpid()) if pid != os.getpid()]
            totals = [_memory_kb(pid) for pid in pids]
            self.peak_pss = max(self.peak_pss, sum(pss for pss, _ in totals))
            self.peak_rss = max(self.peak_rss, sum(rss for _, rss in totals))
            self.peak_processes = max(self.peak_processes, len(pids))

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def become_subreaper() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def reap_orphans(deadline_seconds: float = 30.0) -> None:
    """Wait for every descendant adopted by this subreaper, so their CPU time is counted."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.02)


def limited_spec(work: Path, submission_seconds: float) -> Path:
    """Write a copy of the homework-7 spec whose code parts stop after ``submission_seconds``."""
    text = SPEC.read_text(encoding="utf-8")
    reference = (SPEC.parent / "../reference/hw07.py").resolve()
    text = text.replace("reference: ../reference/hw07.py", f"reference: {reference}", 1)
    text = text.replace("\nsubmission:\n", f"\nlimits:\n  submission_seconds: {submission_seconds:g}\nsubmission:\n", 1)
    target = work / "hw07-limited.yaml"
    target.write_text(text, encoding="utf-8")
    return target


def grade_cohort(spec: Path, cohort: Path, work: Path, jobs: int | None) -> BatchFigures:
    gradebook = work / f"{cohort.name}.sqlite3"
    for stale in work.glob(f"{cohort.name}.sqlite3*"):
        stale.unlink()
    command = [
        sys.executable, "-m", "autograder.cli", "grade", str(spec), str(cohort),
        "--gradebook", str(gradebook), "--format", "csv", "-o", str(work / f"{cohort.name}.csv"), "--quiet",
    ]
    if jobs is not None:
        command += ["-j", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPOSITORY)
    sampler = TreeSampler()
    sampler.start()
    code = process.wait()
    seconds = time.perf_counter() - started
    sampler.stop()
    reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if code not in (0, 1):
        raise SystemExit(f"autograder grade exited with {code}")
    submissions = sum(1 for entry in cohort.iterdir() if not entry.name.startswith(("_", ".")))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return BatchFigures(submissions, seconds, cpu, sampler.peak_pss / 1024, sampler.peak_rss / 1024, sampler.peak_processes)


# The plain way

PLAIN_HARNESS = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    sys.path.insert(0, sys.argv[1])
    cases = json.loads(sys.stdin.read())
    import hw07
    out = []
    for args in cases:
        try:
            value = hw07.linear_hinge_grad(*[np.array(a) if isinstance(a, list) else a for a in args])
            out.append(np.asarray(value, dtype=float).tolist())
        except Exception as error:
            out.append(repr(error))
    print(json.dumps(out))
    """
)


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout


@dataclass
class PlainFigures:
    """Seconds spent by the plain way, in total and on code and expression parts."""

    submissions: int = 0
    seconds: float = 0.0
    code_seconds: float = 0.0
    expression_seconds: float = 0.0


def grade_plain(spec: Path, cohort: Path, count: int) -> PlainFigures:
    """Grade up to ``count`` non-hostile submissions the plain way, one at a time."""
    from sympy import Symbol, simplify
    from sympy.parsing.sympy_parser import convert_xor, implicit_multiplication_application, parse_expr, standard_transformations

    from autograder.checkers.code import CodeChecker
    from autograder.loader import load_problem_set
    from autograder.spec import CodePart, ExpressionPart
    from autograder.submission import read_submission
    from autograder.errors import SubmissionError

    manifest = json.loads((cohort / "_cohort.json").read_text(encoding="utf-8"))["submissions"]
    names = [entry["name"] for entry in manifest if not entry["code"].startswith("hostile")][:count]
    problem_set = load_problem_set(spec)
    transformations = standard_transformations + (implicit_multiplication_application, convert_xor)
    part_ids = [part.id for part in problem_set.parts]
    references = {}
    for part in problem_set.parts:
        if isinstance(part, ExpressionPart):
            local = {name: Symbol(name) for name in part.variables}
            references[part.id] = (local, parse_expr(str(part.answer), local_dict=local, transformations=transformations))

    signal.signal(signal.SIGALRM, _alarm)
    figures = PlainFigures(submissions=len(names))
    started = time.perf_counter()
    for name in names:
        path = cohort / name if (cohort / name).exists() else cohort / f"{name}.zip"
        try:
            submission = read_submission(path, answers_name="answers.yaml", part_ids=part_ids)
        except SubmissionError:
            continue
        for part in problem_set.parts:
            if isinstance(part, CodePart):
                checker = problem_set.checkers[part.id]
                assert isinstance(checker, CodeChecker)
                if "hw07.py" not in submission.files:
                    continue
                part_started = time.perf_counter()
                with tempfile.TemporaryDirectory() as folder:
                    (Path(folder) / "hw07.py").write_text(submission.files["hw07.py"], encoding="utf-8")
                    cases = [[a.tolist() if isinstance(a, np.ndarray) else a for a in case.args] for case in checker.cases]
                    try:
                        subprocess.run(
                            [sys.executable, "-c", PLAIN_HARNESS, folder],
                            input=json.dumps(cases), capture_output=True, text=True, timeout=PLAIN_CODE_SECONDS, check=False,
                        )
                    except subprocess.TimeoutExpired:
                        pass
                figures.code_seconds += time.perf_counter() - part_started
                continue
            answer = submission.answers.get(part.id)
            if answer is None:
                continue
            if isinstance(part, ExpressionPart):
                text = answer.as_text
                if text is None:
                    continue
                local, reference = references[part.id]
                part_started = time.perf_counter()
                signal.alarm(PLAIN_EXPRESSION_SECONDS)
                try:
                    simplify(parse_expr(text, local_dict=local, transformations=transformations) - reference) == 0  # noqa: B015
                except _Timeout:
                    pass
                except Exception:  # noqa: BLE001 - any parse or SymPy failure counts as judged
                    pass
                finally:
                    signal.alarm(0)
                figures.expression_seconds += time.perf_counter() - part_started
                continue
            try:
                problem_set.checkers[part.id].judge(answer)
            except Exception:  # noqa: BLE001 - a failing checker counts as judged here
                pass
    figures.seconds = time.perf_counter() - started
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="cohort sizes to grade (default: 1000 10000)")
    parser.add_argument("--plain", type=int, default=100, help="submissions graded the plain way (default: 100; 0 skips it)")
    parser.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: the grader's default, one per CPU)")
    parser.add_argument("--seed", type=int, default=7, help="cohort seed (default: 7)")
    parser.add_argument("--hostile-each", type=int, default=2, help="submissions per hostile kind in each cohort (default: 2)")
    parser.add_argument(
        "--slow-steps",
        type=int,
        default=make_cohort.DEFAULT_SLOW_STEPS,
        help=f"loop steps per call in the cohort's slow submissions (default: {make_cohort.DEFAULT_SLOW_STEPS}, about 1 ms per call)",
    )
    parser.add_argument("--work", type=Path, default=None, help="folder for cohorts and gradebooks (default: a temporary folder)")
    parser.add_argument(
        "--submission-seconds",
        type=float,
        default=None,
        help="grade a copy of the spec with this limit on the run time of one submission's code (default: the spec as it is)",
    )
    args = parser.parse_args()

    become_subreaper()
    work = args.work or Path(tempfile.mkdtemp(prefix="autograder-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    spec = SPEC if args.submission_seconds is None else limited_spec(work, args.submission_seconds)
    limits = "the spec's own limits" if args.submission_seconds is None else f"limits: submission_seconds: {args.submission_seconds:g}"
    print(machine_summary())
    print(f"load average before: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    print(
        f"spec: {SPEC.relative_to(REPOSITORY)} ({limits}); cohorts: seed {args.seed}, {args.hostile_each} of each hostile kind, "
        f"{args.slow_steps} loop steps per call in slow code; work folder: {work}"
    )
    print()

    figures: dict[int, BatchFigures] = {}
    for size in args.sizes:
        cohort = work / f"cohort-{size}"
        make_cohort.make_cohort(cohort, size, args.seed, args.hostile_each, args.slow_steps)
        result = grade_cohort(spec, cohort, work, args.jobs)
        figures[size] = result
        print(
            f"batch {result.submissions:>6} submissions: {result.seconds:8.1f} s wall, "
            f"{result.submissions / result.seconds:6.1f} submissions/s, "
            f"{1000 * result.cpu_seconds / result.submissions:6.1f} CPU ms/submission, "
            f"peak memory {result.peak_pss_mb:6.1f} MB PSS ({result.peak_rss_mb:.1f} MB RSS) "
            f"over up to {result.peak_processes} processes",
            flush=True,
        )

    if args.plain > 0 and figures:
        size = min(figures)
        cohort = work / f"cohort-{size}"
        plain = grade_plain(spec, cohort, args.plain)
        plain_rate = plain.seconds / plain.submissions
        print(
            f"plain  {plain.submissions:>6} submissions: {plain.seconds:8.1f} s wall, {plain.submissions / plain.seconds:6.1f} submissions/s "
            f"(one at a time: {plain.code_seconds:.1f} s in a fresh python per code part, "
            f"{plain.expression_seconds:.1f} s in parse_expr + simplify per expression)"
        )
        for graded in sorted(figures):
            batch_rate = figures[graded].seconds / figures[graded].submissions
            print(f"batch of {graded}: {plain_rate / batch_rate:.1f} times faster per submission than the plain way")

    print(f"load average after: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
