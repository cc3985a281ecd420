"""Measure the per-submission overhead of the sandbox against its baselines.

Run from the repository root::

    python benchmarks/sandbox.py [--submissions 100]

Each measurement is one submission from start to its first call result: the
sandbox runner forks a confined child from its warm template, writes and
imports a small module and makes one call. The baselines are a fresh
``python -c "import numpy"`` per submission, a fresh bubblewrap sandbox running
the same, and the process runner, which forks from a warm template without
confinement. All figures are medians and 90th percentiles over the same number
of submissions, measured one after another on this machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np

from autograder.errors import SandboxUnavailable
from autograder.sandbox import Call, CodeFile, open_runner
from autograder.sandbox.bwrap import PACKAGES_FOLDER, PythonLayout, find_bubblewrap, template_command
from machine import machine_summary

SOURCE = """
import numpy as np


def linear_hinge_grad(x, y, a):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    return np.zeros_like(x) if y * a > 1 else -y * x
"""
CALL = Call("linear_hinge_grad", (np.array([[1.0], [2.0], [3.0]]), 1.0, 0.5))


def measure(label: str, count: int, action: Callable[[], None]) -> tuple[str, float, float]:
    """Run ``action`` once to warm up, then ``count`` times; return milliseconds."""
    action()
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return label, statistics.median(samples), samples[int(0.9 * (len(samples) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=100, help="number of submissions per measurement")
    count = parser.parse_args().submissions

    print(machine_summary())
    rows = []
    layout = PythonLayout.current()

    def fresh_python() -> None:
        subprocess.run([sys.executable, "-c", "import numpy"], check=True)

    rows.append(measure("fresh python -c 'import numpy'", count, fresh_python))

    try:
        bubblewrap = find_bubblewrap()
        sandbox = open_runner("sandbox")
    except SandboxUnavailable as error:
        print(f"sandbox unavailable, so only the baselines were measured: {error}")
        bubblewrap = None
        sandbox = None

    if bubblewrap is not None:
        prefix = template_command(bubblewrap, layout, control_fd=0)
        arguments = prefix[: prefix.index("--") + 1]
        code = f"import sys; sys.path.insert(0, '{PACKAGES_FOLDER}'); import numpy"

        def fresh_bubblewrap() -> None:
            subprocess.run([*arguments, str(layout.executable), "-I", "-S", "-c", code], check=True)

        rows.append(measure("fresh bwrap sandbox + import numpy", count, fresh_bubblewrap))

    with open_runner("process") as process_runner:
        print(f"process runner: {process_runner.describe()}")
        rows.append(measure("process runner (no isolation)", count, lambda: _run_once(process_runner)))

    if sandbox is not None:
        with sandbox:
            print(f"sandbox runner: {sandbox.describe()}")
            rows.append(measure("sandbox runner (warm template)", count, lambda: _run_once(sandbox)))

    print(f"\nper submission, start to first call result, {count} submissions each:")
    print(f"{'':40s} {'median ms':>10s} {'p90 ms':>10s}")
    for label, median, p90 in rows:
        print(f"{label:40s} {median:10.1f} {p90:10.1f}")


def _run_once(runner: object) -> None:
    result = runner.run([CodeFile("hw07.py", SOURCE)], "hw07", [CALL])  # type: ignore[attr-defined]
    if result.outcomes[0].status != "ok":
        raise RuntimeError(f"benchmark call failed: {result.outcomes[0]}")


if __name__ == "__main__":
    main()
