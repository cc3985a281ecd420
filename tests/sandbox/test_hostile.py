"""Hostile submissions graded in one batch beside a correct one, inside the sandbox.

Every folder under tests/hostile contains one attack. The batch runs through the
public API (``open_runner`` and the code checker) against the real reference
module. Each attack must score zero, the correct submission must score full
marks before and after the attacks, and nothing outside the sandbox may change.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.checkers.code import CodeChecker, run_code_parts
from autograder.loader import load_problem_set
from autograder.results import Verdict
from autograder.sandbox import CodeFile, Runner, RunResult

REPOSITORY = Path(__file__).resolve().parents[2]
HOSTILE = REPOSITORY / "tests" / "hostile"
REFERENCE = REPOSITORY / "reference" / "hw07.py"
ATTACKS = sorted(path.name for path in HOSTILE.iterdir() if (path / "hw07.py").is_file())
SECRET_NAME = "AUTOGRADER_SECRET"
SECRET_VALUE = "s3cret-value-that-must-not-leak"
OUTPUT_KB = 16

CORRECT = """
import numpy as np


def linear_hinge_grad(x, y, a):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    return np.zeros_like(x) if y * a > 1 else -y * x
"""

# Runs after every attack and returns the correct gradient only if it finds
# no trace of them: no files in its private folders and no other process.
LEFTOVER_DETECTOR = """
import os

import numpy as np


def _clean():
    leftovers = [name for name in os.listdir("/tmp") if name != "work"]
    leftovers += os.listdir("/dev/shm")
    leftovers += [name for name in os.listdir(".") if name not in ("hw07.py", "targets.json")]
    others = []
    for pid in range(2, 300):
        try:
            os.kill(pid, 0)
            others.append(pid)
        except OSError:
            pass
    print("leftover files:", leftovers, "other processes:", others)
    return not leftovers and not others


def linear_hinge_grad(x, y, a):
    if not _clean():
        return None
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    return np.zeros_like(x) if y * a > 1 else -y * x
"""

SPEC = """
title: Hostile submissions
reference: {reference}
parts:
  - id: "1.1"
    type: code
    prompt: Gradient of the hinge loss.
    function: linear_hinge_grad
    shape: [null, 1]
    limits:
      call_seconds: 1
      submission_seconds: 3
      cpu_seconds: 2
      memory_mb: 256
      file_size_mb: 4
      output_kb: {output_kb}
    cases:
      - [[[1.0], [2.0]], 1, 0.5]
      - [[[3.0], [-1.0], [0.5]], -1, 0.25]
      - [[[2.0]], -1, 3.0]
    random:
      generator: random_hinge_case
      count: 3
      seed: 7
"""

# Words that the feedback of an attack must contain, where the attack has one
# clear outcome.
EXPECTED_FEEDBACK = {
    "busy-loop-ignoring-signals": "time limit",
    "deep-recursion": "segmentation fault",
    "huge-array": "cannot be graded",
    "import-reference-package": "No module named 'reference'",
    "infinite-loop": "time limit",
    "lying-dunder-object": "cannot be graded",
    "memory-bomb": "memory limit of 256 MB exceeded",
    "nan-and-infinity": "NaN",
    "ndarray-subclass": "cannot be graded",
    "os-exit-at-import": "exited with code 0",
    "os-exit-in-call": "exited with code 0",
    "raising-dunders": "cannot be graded",
    "segfault-ctypes": "segmentation fault",
    "sys-exit-at-import": "sys.exit(0)",
    "sys-exit-in-call": "sys.exit(0)",
}


@dataclass(frozen=True)
class Graded:
    verdict: Verdict
    run: RunResult


@dataclass(frozen=True)
class Batch:
    results: dict[str, Graded]
    before: dict[str, str]
    after: dict[str, str]
    tcp_connections: int
    udp_packets: int


def _fingerprint(paths: list[Path]) -> dict[str, str]:
    """Hash every file under ``paths`` and list every folder's entries."""
    state: dict[str, str] = {}
    for root in paths:
        if root.is_file():
            state[str(root)] = hashlib.sha256(root.read_bytes()).hexdigest()
            continue
        for folder, folders, files in os.walk(root):
            folders[:] = [name for name in folders if name != "__pycache__"]
            state[folder] = ",".join(sorted(files + folders))
            for name in files:
                path = Path(folder) / name
                state[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


def _submission(folder: Path | None, source: str | None, targets: dict[str, object]) -> list[CodeFile]:
    files = [CodeFile("targets.json", json.dumps(targets))]
    if folder is not None:
        files += [CodeFile(path.name, path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.py"))]
    if source is not None:
        files.append(CodeFile("hw07.py", textwrap.dedent(source)))
    return files


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, open_sandbox: Callable[[], Runner]) -> Iterator[Batch]:
    grader_folder = tmp_path_factory.mktemp("grader")
    canary = grader_folder / "canary.txt"
    canary.write_text("grader canary\n", encoding="utf-8")
    shared_fd, shared_canary = tempfile.mkstemp(prefix="autograder-canary-")
    os.write(shared_fd, b"shared canary\n")
    os.close(shared_fd)
    spec_path = grader_folder / "spec.yaml"
    spec_path.write_text(SPEC.format(reference=REFERENCE, output_kb=OUTPUT_KB), encoding="utf-8")

    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    dns_mock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    dns_mock.bind(("127.0.0.1", 0))
    dns_mock.setblocking(False)
    targets = {
        "reference_path": str(REFERENCE),
        "repo_path": str(REPOSITORY),
        "grader_cwd": str(grader_folder),
        "grader_pid": os.getpid(),
        "canaries": [str(canary), shared_canary],
        "tcp_port": listener.getsockname()[1],
        "udp_port": dns_mock.getsockname()[1],
        "secret_name": SECRET_NAME,
    }
    watched = [REPOSITORY / "reference", REPOSITORY / "problems", HOSTILE, grader_folder, Path(shared_canary)]

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SECRET_NAME, SECRET_VALUE)
        patch.chdir(grader_folder)
        runner = open_sandbox()
        before = _fingerprint(watched)
        root_entries = sorted(os.listdir(REPOSITORY))
        try:
            checker = load_problem_set(spec_path).checkers["1.1"]
            assert isinstance(checker, CodeChecker)
            results = {"correct-first": _grade(runner, checker, _submission(None, CORRECT, targets))}
            for attack in ATTACKS:
                results[attack] = _grade(runner, checker, _submission(HOSTILE / attack, None, targets))
            results["leftover-detector"] = _grade(runner, checker, _submission(None, LEFTOVER_DETECTOR, targets))
            results["correct-last"] = _grade(runner, checker, _submission(None, CORRECT, targets))
        finally:
            runner.close()
        after = _fingerprint(watched)
        assert sorted(os.listdir(REPOSITORY)) == root_entries

    tcp_connections = 0
    try:
        while True:
            connection, _ = listener.accept()
            connection.close()
            tcp_connections += 1
    except BlockingIOError:
        pass
    udp_packets = 0
    try:
        while True:
            dns_mock.recvfrom(512)
            udp_packets += 1
    except BlockingIOError:
        pass
    listener.close()
    dns_mock.close()
    os.unlink(shared_canary)
    yield Batch(results, before, after, tcp_connections, udp_packets)


def _grade(runner: Runner, checker: CodeChecker, files: list[CodeFile]) -> Graded:
    verdicts, run = run_code_parts(runner, [checker], files, "hw07", show_hidden=True)
    return Graded(verdicts["1.1"], run)


def test_hostile_set_has_enough_attacks() -> None:
    assert len(ATTACKS) >= 25


@pytest.mark.parametrize("name", ["correct-first", "correct-last", "leftover-detector"])
def test_clean_submission_full_marks(batch: Batch, name: str) -> None:
    graded = batch.results[name]
    assert graded.verdict.status == "correct", graded.verdict.feedback + "\n" + graded.run.output
    assert graded.verdict.fraction == 1.0


@pytest.mark.parametrize("attack", ATTACKS)
def test_attack_scores_zero(batch: Batch, attack: str) -> None:
    verdict = batch.results[attack].verdict
    assert verdict.fraction == 0.0, verdict.feedback
    assert verdict.status != "correct"
    expected = EXPECTED_FEEDBACK.get(attack)
    if expected is not None:
        assert expected in verdict.feedback


def test_attacks_change_no_file_outside(batch: Batch) -> None:
    changed = sorted(key for key in set(batch.before) | set(batch.after) if batch.before.get(key) != batch.after.get(key))
    assert changed == []


def test_secret_never_reaches_the_child(batch: Batch) -> None:
    output = batch.results["environment-secret"].run.output
    assert SECRET_NAME not in output
    for graded in batch.results.values():
        assert SECRET_VALUE not in graded.run.output


def test_loopback_listeners_see_nothing(batch: Batch) -> None:
    assert batch.tcp_connections == 0
    assert batch.udp_packets == 0


def test_stdout_flood_is_cut(batch: Batch) -> None:
    run = batch.results["stdout-flood"].run
    assert run.output_truncated
    assert len(run.output.encode()) < OUTPUT_KB * 1024 + 200
    assert "[output cut:" in run.output


def test_forged_stdout_record_is_only_output(batch: Batch) -> None:
    graded = batch.results["forge-stdout-record"]
    assert '"verdict": "correct"' in graded.run.output
    assert "Passed 0 of 6 test cases." in graded.verdict.feedback


def test_forged_channel_record_is_rejected(batch: Batch) -> None:
    graded = batch.results["forge-channel-record"]
    statuses = {outcome.status for outcome in graded.run.outcomes}
    assert statuses <= {"output_invalid", "not_run"}
    assert "output_invalid" in statuses


def test_fork_bomb_cannot_fork(batch: Batch) -> None:
    output = batch.results["fork-bomb"].run.output
    assert "fork failed" in output
    assert "subprocess failed" in output


def test_privileged_operations_all_fail(batch: Batch) -> None:
    output = batch.results["namespace-escape"].run.output
    assert "privileged operations that worked: []" in output


def test_proc_shows_no_process(batch: Batch) -> None:
    output = batch.results["proc-parent-memory"].run.output
    assert "ATTACK read 0 proc files" in output
    assert "/proc holds []" in output
