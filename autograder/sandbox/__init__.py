"""Run untrusted student code in a bubblewrap sandbox and return plain-data results.

Threat model
============

The student controls the submitted Python files completely and knows how the
grader works. Each attack and where it is stopped:

- Read the reference solution, the spec, other submissions or the grader's
  files: the sandbox's mount namespace contains only read-only system folders,
  the Python prefix, numpy and the worker files (``bwrap.template_command``).
  Student code gets an empty private /tmp. The reference runs only in the
  grader process, and only its outputs stay there; they never reach the child.
- Forge a result or a verdict: the child sends values, never verdicts, and the
  grader compares them with reference outputs that the child never sees. Values
  come back as strict JSON on a dedicated socket, never on stdout, and are
  checked by ``codec.decode``. Each reply must carry the nonce of its request,
  and exactly one reply is accepted per request. A dead, silent or crashed
  child never passes a test.
- Lie through objects: the child converts return values by exact type checks
  (``codec.encode``) and never calls ``__eq__``, ``__array__``, ``__float__``
  and the like on student objects. The grader sees only decoded plain data.
- Reach the network, or pass data to the next student's run through it:
  bubblewrap's network namespace has only a loopback interface, and the
  seccomp filter refuses to create sockets, so nothing can be bound there
  or kept in flight (children share the namespace one after another).
- Fork bomb: a seccomp filter (``seccomp.py``) refuses every process creation
  but threads, because RLIMIT_NPROC does not hold for a grader running as root.
- Infinite loop, busy loop catching signals, memory bomb, disk fill, stdout
  flood: wall-clock limits enforced by the grader, RLIMIT_CPU (SIGXCPU, then
  SIGKILL), RLIMIT_AS, RLIMIT_FSIZE with a size-limited tmpfs, and an output
  capture that keeps only ``output_kb``.
- Crash (segfault), ``sys.exit``, ``os._exit``: the call gets status ``crash``
  or ``error``; the remaining calls run in a fresh child.
- Leave a process behind, or files, to tamper with the next student: each run's
  child is PID 1 of its own PID namespace, so killing it kills every process
  in the namespace; it also dies with the template (parent death signal).
  Its /tmp and /dev/shm are its own tmpfs mounts; everything else is read-only.
- Signal or inspect the grader or the template: the child's PID namespace
  contains only its own processes, /proc is covered by an empty tmpfs, every
  capability is dropped, and ptrace is refused by seccomp.
- Read secrets from the environment: bubblewrap clears the environment, and the
  worker gets only ``bwrap.WORKER_ENVIRONMENT``.

What the sandbox does not stop: kernel exploits (the kernel is shared), CPU time
stolen from other runs up to the limits above, timing side channels, and code
that computes the right answer by any means, including copying it.

The ``process`` runner has the same protocol and limits except for the
namespaces and seccomp. It protects the grader's results from forgery but not
the machine from the code, so use it only for a student's own code on the
student's own machine.
"""

from __future__ import annotations

import logging
from typing import Literal

from autograder.errors import SandboxError, SandboxUnavailable
from autograder.sandbox.bwrap import (
    INSTALL_HINT,
    WORKER_ENVIRONMENT,
    PythonLayout,
    find_bubblewrap,
    process_command,
    template_command,
)
from autograder.sandbox.limits import SandboxLimits
from autograder.sandbox.records import Call, CallOutcome, CodeFile, ImportOutcome, RunResult
from autograder.sandbox.runner import Runner

logger = logging.getLogger(__name__)

RunnerKind = Literal["sandbox", "process"]


def open_runner(kind: RunnerKind = "sandbox") -> Runner:
    """Start a runner: ``sandbox`` (bubblewrap) or ``process`` (no OS isolation).

    Raises ``SandboxUnavailable``, with instructions to install bubblewrap, when
    a sandbox is requested and bubblewrap is missing or cannot create its
    namespaces on this machine.
    """
    layout = PythonLayout.current()
    environment = dict(WORKER_ENVIRONMENT)
    if kind == "process":
        runner = Runner(
            description="no sandbox (child process)",
            command_for=lambda control_fd: process_command(layout, control_fd),
            environment=environment,
            isolate=False,
        )
        logger.info("opened runner: %s", runner.describe())
        return runner
    if kind != "sandbox":
        raise ValueError(f"unknown runner kind {kind!r}; expected 'sandbox' or 'process'")

    bubblewrap = find_bubblewrap()
    try:
        runner = Runner(
            description=bubblewrap.describe(),
            command_for=lambda control_fd: template_command(bubblewrap, layout, control_fd),
            environment=environment,
            isolate=True,
        )
    except (SandboxError, OSError) as error:
        raise SandboxUnavailable(
            f"bubblewrap ({bubblewrap.describe()}) could not start the sandbox: {error}. {INSTALL_HINT}"
        ) from error
    _probe(runner)
    logger.info("opened runner: %s", runner.describe())
    return runner


def _probe(runner: Runner) -> None:
    """Run an empty module once, so that a sandbox that cannot confine a child fails here."""
    try:
        result = runner.run([CodeFile("probe.py", "")], "probe", [])
    except SandboxError as error:
        runner.close()
        raise SandboxUnavailable(f"the sandbox ({runner.describe()}) cannot run code: {error}. {INSTALL_HINT}") from error
    if not result.import_outcome.ok:
        runner.close()
        raise SandboxUnavailable(
            f"the sandbox ({runner.describe()}) could not import an empty module: "
            f"{result.import_outcome.message}. {INSTALL_HINT}"
        )


__all__ = [
    "Call",
    "CallOutcome",
    "CodeFile",
    "ImportOutcome",
    "Runner",
    "RunResult",
    "SandboxLimits",
    "open_runner",
]
