"""The runner API: run a submission's functions on test inputs and collect outcomes."""

from __future__ import annotations

import logging
import os
import secrets
import selectors
import signal
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from autograder.errors import SandboxError
from autograder.sandbox import codec
from autograder.sandbox.limits import SandboxLimits
from autograder.sandbox.output import OutputCapture
from autograder.sandbox.records import (
    MODULE_NAME,
    Call,
    CallOutcome,
    CodeFile,
    ImportOutcome,
    RunResult,
)
from autograder.sandbox.template import ChildHandle, ExitStatus, Template, TemplateBroken

logger = logging.getLogger(__name__)

# How long to wait for a child that closed its channel to finish exiting.
EXIT_WAIT_SECONDS = 2.0
# How long a new child may take to confine itself and report that it is ready.
READY_SECONDS = 10.0
# The most encoded calls a runner keeps. A checker makes a few dozen calls.
MAX_ENCODED_CALLS = 10_000
# Bytes asked of the channel per read. A larger buffer makes every read slower
# (CPython allocates the whole buffer), and a long record arrives in pieces anyway.
RECEIVE_BYTES = 1 << 16
# How many calls of one function in a row may end their child, by status,
# before the function's last remaining call runs next. If that call fails the
# same way, the function's remaining calls are not run. If it finishes, the
# count starts again and the calls go on in order. So a function that loops on
# every input costs two call limits, and one that only fails on its first few
# (edge) cases keeps the others. A crash costs milliseconds, not a whole call
# limit, so three crashes in a row are allowed before the last case runs.
PROBE_AFTER_IN_A_ROW = {"timeout": 1, "crash": 3}
# The end of the message of every call that this rule skips.
STOPPED_FUNCTION_NOTE = "and so did its last case"
# NOTE: a function that fails that way on its first cases and on its last one
# loses the cases in between, even if it would pass them.
MAX_EXCEPTION_NAME_CHARS = 200
MAX_MESSAGE_CHARS = 2000
MAX_TRACEBACK_CHARS = 8000
WORKER_CALL_STATUSES = frozenset({"ok", "error", "memory", "output_invalid"})
WORKER_IMPORT_STATUSES = frozenset({"missing_module", "syntax_error", "exception", "memory"})
# Every key a worker record may have; a record with any other key is invalid.
RESULT_KEYS = frozenset({"type", "status", "value", "message", "exception", "traceback", "nonce"})
LOADED_KEYS = frozenset({"type", "status", "missing", "nonce"})
CRASH_SIGNALS = {
    signal.SIGSEGV: "a segmentation fault (SIGSEGV)",
    signal.SIGBUS: "a bus error (SIGBUS)",
    signal.SIGILL: "an illegal instruction (SIGILL)",
    signal.SIGFPE: "a floating-point exception (SIGFPE)",
    signal.SIGABRT: "an abort (SIGABRT)",
    signal.SIGSYS: "a forbidden system call (SIGSYS)",
}


class Runner:
    """Runs student code in a child of a warm template process.

    Use one runner from one process and one thread at a time, and open it from
    a thread that lives as long as the runner: bubblewrap's
    ``--die-with-parent`` ends the sandbox when the thread that started it
    exits. ``run`` never raises for anything the student code does. It raises
    ``SandboxError`` only when the template breaks twice in one run.
    """

    def __init__(
        self,
        *,
        description: str,
        command_for: Callable[[int], list[str]],
        environment: dict[str, str],
        isolate: bool,
    ) -> None:
        self._description = description
        self._command_for = command_for
        self._environment = environment
        self.isolate = isolate
        self.processes_enforced = isolate and os.geteuid() != 0
        self._warned_processes = False
        self._call_frames = CallFrames()
        self._spare: _SpareChild | None = None
        self._template: Template | None = self._start_template()

    def describe(self) -> str:
        """Return which sandbox runs the code, e.g. "bubblewrap 0.11.0 at /usr/bin/bwrap (system)"."""
        return self._description

    def run(
        self,
        files: Sequence[CodeFile],
        module: str,
        calls: Sequence[Call],
        limits: SandboxLimits | None = None,
    ) -> RunResult:
        """Import ``module`` from ``files`` in a fresh child and make every call in order.

        A call that times out, crashes or sends an invalid result gets that
        status. The later calls then run in a new child that imports the module
        again. Calls of functions that the module lacks get status ``not_run``.
        """
        if not MODULE_NAME.match(module):
            raise ValueError(f"invalid module name {module!r}")
        limits = limits or SandboxLimits()
        self._warn_if_processes_unenforced(limits)
        for attempt in (1, 2):
            try:
                return self._run_once(files, module, calls, limits)
            except TemplateBroken as error:
                logger.warning("sandbox template failed (attempt %d of 2): %s", attempt, error)
                self._restart_template()
                if attempt == 2:
                    raise SandboxError(f"the sandbox failed twice while running one submission: {error}") from error
        raise AssertionError("unreachable")

    def close(self) -> None:
        self._drop_spare()
        if self._template is not None:
            self._template.close()
            self._template = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _start_template(self) -> Template:
        return Template(self._command_for, self._environment)

    def _new_session(
        self,
        template: Template,
        limits: SandboxLimits,
        worker_limits: dict[str, Any],
        capture: OutputCapture,
        load_message: dict[str, Any],
    ) -> _Session:
        """Start a session in the spare child if it has these limits, else in a new child; then start the next spare.

        The spare child confines itself while the grader does other work, so
        a new session seldom waits for the fork and the confinement. The next
        spare is started after the session's load message is sent, so that its
        fork overlaps with the import of the student's module.
        """
        key = _limits_key(worker_limits)
        spare, self._spare = self._spare, None
        if spare is not None and (spare.template is not template or spare.key != key):
            self._discard(spare)
            spare = None
        handle = spare.handle if spare is not None else template.start_child(worker_limits)
        session = _Session(template, handle, limits, capture, load_message, self._call_frames)
        try:
            self._spare = _SpareChild(template, key, template.start_child(worker_limits))
        except (TemplateBroken, OSError) as error:
            # The session's own child is running. A broken template, or a lack
            # of file descriptors, shows up again when the next child is needed.
            logger.debug("failed to start a spare sandbox child: %s", error)
        return session

    def _drop_spare(self) -> None:
        spare, self._spare = self._spare, None
        if spare is not None:
            self._discard(spare)

    @staticmethod
    def _discard(spare: _SpareChild) -> None:
        try:
            spare.template.kill_child(spare.handle.id)
        except TemplateBroken as error:
            logger.debug("failed to kill spare sandbox child %d: %s", spare.handle.id, error)
        finally:
            spare.handle.channel.close()
            os.close(spare.handle.output_fd)

    def _restart_template(self) -> None:
        self._drop_spare()
        if self._template is not None:
            self._template.close()
        self._template = None
        self._template = self._start_template()

    def _warn_if_processes_unenforced(self, limits: SandboxLimits) -> None:
        if limits.processes > 1 and self.isolate and not self.processes_enforced and not self._warned_processes:
            logger.warning(
                "a process limit of %d cannot be enforced while the grader runs as root; "
                "student code is not allowed to start any process",
                limits.processes,
            )
            self._warned_processes = True

    @staticmethod
    def _skip_reason(
        call: Call,
        module: str,
        missing: set[str],
        stopped: Mapping[str, str],
        deadline: float,
        limits: SandboxLimits,
    ) -> CallOutcome | None:
        """Return the outcome of a call that must not run, or None if it may."""
        if call.function in missing:
            return CallOutcome("not_run", message=f"{module}.py defines no function named {call.function}")
        if call.function in stopped:
            return CallOutcome("not_run", message=stopped[call.function])
        if time.monotonic() >= deadline:
            return CallOutcome(
                "not_run",
                message=f"not run, because the time limit of {limits.submission_seconds:g} s for the whole submission was used up",
            )
        return None

    def _run_once(
        self, files: Sequence[CodeFile], module: str, calls: Sequence[Call], limits: SandboxLimits
    ) -> RunResult:
        if self._template is None:
            self._template = self._start_template()
        template = self._template
        deadline = time.monotonic() + limits.submission_seconds
        capture = OutputCapture(limits.output_kb * 1024)
        worker_limits = {**limits.to_worker(), "processes_enforced": self.processes_enforced}
        functions = list(dict.fromkeys(call.function for call in calls))
        load_message = {
            "type": "load",
            "files": [{"name": file.name, "text": file.text} for file in files],
            "module": module,
            "functions": functions,
        }

        session = self._new_session(template, limits, worker_limits, capture, load_message)
        try:
            import_outcome = session.load(_remaining(deadline, limits.call_seconds))
            if not import_outcome.ok:
                note = f"not run, because {module} did not import"
                outcomes = tuple(CallOutcome("not_run", message=note) for _ in calls)
                return RunResult(import_outcome, outcomes, capture.text(), capture.truncated)

            missing = set(import_outcome.missing_functions)
            outcomes: list[CallOutcome | None] = [None] * len(calls)
            restarts = 0
            # Per function: the status of its latest calls that ended a child, and their count.
            streaks: dict[str, tuple[str, int]] = {}
            # Per stopped function: the message for its calls that are not run.
            stopped: dict[str, str] = {}
            # Calls run out of order to see whether a function that keeps
            # failing (see PROBE_AFTER_IN_A_ROW) finishes on its last case.
            probes: list[int] = []
            probed: set[int] = set()
            current: _Session | None = session
            while True:
                if probes:
                    indices = [probes.pop()]
                else:
                    indices = [index for index, outcome in enumerate(outcomes) if outcome is None]
                    if not indices:
                        break
                first = indices[0]
                skipped = self._skip_reason(calls[first], module, missing, stopped, deadline, limits)
                if skipped is not None:
                    outcomes[first] = skipped
                    continue
                if current is None:
                    restarts += 1
                    current = self._new_session(template, limits, worker_limits, capture, load_message)
                    session = current
                    reload = current.load(_remaining(deadline, limits.call_seconds))
                    if not reload.ok:
                        outcomes[first] = CallOutcome(
                            "not_run",
                            message=f"not run, because {module} failed to import again after a restart: {reload.message}",
                        )
                        current.close()
                        current = None
                        continue

                # Send every call up to the next one that cannot run at once,
                # so that the child works through them without waiting for
                # the grader between calls.
                batch = [first]
                for index in indices[1:]:
                    if calls[index].function in missing or calls[index].function in stopped:
                        break
                    batch.append(index)
                for outcome, index in zip(current.call_batch([calls[index] for index in batch], deadline, limits), batch):
                    outcomes[index] = outcome
                    function = calls[index].function
                    if outcome.status not in PROBE_AFTER_IN_A_ROW:
                        streaks.pop(function, None)
                        continue
                    kind, count = streaks.get(function, ("", 0))
                    if index in probed and kind == outcome.status:
                        stopped[function] = _stopped_message(function, kind, count)
                        continue
                    count = count + 1 if kind == outcome.status else 1
                    streaks[function] = (outcome.status, count)
                    later = [
                        other
                        for other in range(index + 1, len(calls))
                        if outcomes[other] is None and calls[other].function == function
                    ]
                    if count >= PROBE_AFTER_IN_A_ROW[outcome.status] and later:
                        probes.append(later[-1])
                        probed.add(later[-1])
                if not current.usable:
                    current.close()
                    current = None
            outcomes_list = [outcome for outcome in outcomes if outcome is not None]
            assert len(outcomes_list) == len(calls), "every call gets an outcome"
            if current is not None:
                current.close()
            return RunResult(
                import_outcome, tuple(outcomes_list), capture.text(), capture.truncated, restarts=restarts
            )
        finally:
            session.close()


@dataclass(frozen=True)
class _SpareChild:
    """A child started ahead of its run, with the limits it confined itself to."""

    template: Template
    key: tuple[tuple[str, Any], ...]
    handle: ChildHandle


def _limits_key(worker_limits: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(worker_limits.items()))


class CallFrames:
    """The encoded ``call`` messages of a runner, kept per ``Call`` object.

    A checker sends the same calls for every submission, so each call's
    arguments are encoded once, not once per submission. Only the nonce
    differs between two frames of one call.
    """

    def __init__(self, max_calls: int = MAX_ENCODED_CALLS) -> None:
        self.max_calls = max_calls
        # id(call) -> (call, the frame body up to the nonce). Keeping the call
        # keeps its id from being reused by another object.
        self._prefixes: dict[int, tuple[Call, bytes]] = {}

    def frame(self, call: Call, nonce: str) -> bytes:
        """Return the call message for ``call`` as a frame, tagged with ``nonce``."""
        entry = self._prefixes.get(id(call))
        if entry is not None and entry[0] is call:
            prefix = entry[1]
        else:
            prefix = self._prefix(call)
            if len(self._prefixes) >= self.max_calls:
                self._prefixes.clear()
            self._prefixes[id(call)] = (call, prefix)
        body = prefix + nonce.encode("ascii") + b'"}'
        return codec.HEADER.pack(len(body)) + body

    @staticmethod
    def _prefix(call: Call) -> bytes:
        try:
            arguments = codec.encode(list(call.args))
        except codec.CodecError as error:
            raise ValueError(f"arguments of {call.function} cannot be sent to the sandbox: {error}") from error
        body = codec.pack_frame({"type": "call", "function": call.function, "args": arguments, "nonce": ""})
        prefix = body[codec.HEADER.size :]
        assert prefix.endswith(b'"nonce":""}'), "the nonce is the last key of a call frame"
        return prefix[: -len(b'"}')]


def _stopped_message(function: str, status: str, count: int) -> str:
    verb = "timed out" if status == "timeout" else "crashed"
    calls = "a call" if count == 1 else f"{count} calls"
    in_a_row = "" if count == 1 else " in a row"
    return f"not run, because {calls} of {function}{in_a_row} {verb}, {STOPPED_FUNCTION_NOTE}"


def _remaining(deadline: float, limit: float) -> float:
    return max(0.0, min(limit, deadline - time.monotonic()))


@dataclass(frozen=True)
class _Failure:
    """Why no valid reply arrived: ``timeout``, ``exited`` or ``invalid``."""

    kind: str
    detail: str = ""
    exit_status: ExitStatus | None = None


class _Session:
    """One child process: its channel, its output pipe and the request protocol.

    The ``load`` message is sent with the start of the child, before its
    ``ready`` record arrives, so that the child finds it waiting as soon as it
    is confined. The child reads nothing before that.
    """

    def __init__(
        self,
        template: Template,
        handle: ChildHandle,
        limits: SandboxLimits,
        capture: OutputCapture,
        load_message: dict[str, Any],
        call_frames: CallFrames,
    ) -> None:
        self.template = template
        self.call_frames = call_frames
        self.limits = limits
        self.capture = capture
        self.handle = handle
        self.reader = codec.FrameBuffer(max_frame_bytes=limits.result_mb * 1024 * 1024)
        self.usable = True
        self.closed = False
        self._output_open = True
        self._outgoing = memoryview(b"")
        self._replies: deque[dict[str, Any]] = deque()
        # The failure of a channel that carried invalid data, returned once
        # the records that arrived before that data are taken.
        self._broken: _Failure | None = None
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.handle.channel, selectors.EVENT_READ, "channel")
        self._channel_events = selectors.EVENT_READ
        self._selector.register(self.handle.output_fd, selectors.EVENT_READ, "output")
        self._load_message = load_message
        self._load_nonce = secrets.token_hex(16)
        self._outgoing = memoryview(codec.pack_frame({**load_message, "nonce": self._load_nonce}))
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        """Wait for the child's ``ready`` record, sent before any student code runs.

        Raises ``TemplateBroken`` when the child could not confine itself,
        which is a failure of the sandbox, not of the student.
        """
        reply = self._await(None, time.monotonic() + READY_SECONDS)
        if isinstance(reply, dict) and reply.get("type") == "ready":
            return
        self.close()
        if isinstance(reply, dict) and reply.get("type") == "setup_failed":
            detail = _text(reply.get("message"), MAX_MESSAGE_CHARS)
        elif isinstance(reply, _Failure):
            detail = f"{reply.kind} {reply.detail} {reply.exit_status}".strip()
        else:
            detail = _summary(reply)
        raise TemplateBroken(f"a sandbox child could not be set up: {detail}. Output: {self.capture.text()[-2000:]}")

    def load(self, seconds: float) -> ImportOutcome:
        """Wait up to ``seconds`` for the reply to the ``load`` message sent at the start."""
        message = self._load_message
        started = time.monotonic()
        reply = self._await(self._load_nonce, started + seconds)
        elapsed = time.monotonic() - started
        if isinstance(reply, _Failure):
            self.usable = False
            status, text = self._describe_failure(reply, seconds, self.limits.call_seconds, "the import")
            return ImportOutcome(status, message=text, seconds=elapsed)  # type: ignore[arg-type]

        status = reply.get("status")
        if not set(reply) <= (LOADED_KEYS if reply.get("type") == "loaded" else RESULT_KEYS):
            self.usable = False
            return ImportOutcome("output_invalid", message=f"the worker sent a record with unknown keys: {_summary(reply)}", seconds=elapsed)
        if reply.get("type") == "loaded" and status == "ok":
            missing = reply.get("missing")
            requested = set(message["functions"])
            if type(missing) is not list or not all(type(name) is str and name in requested for name in missing):
                self.usable = False
                return ImportOutcome("output_invalid", message="the worker sent an invalid list of missing functions", seconds=elapsed)
            return ImportOutcome("ok", missing_functions=tuple(missing), seconds=elapsed)
        if reply.get("type") == "result" and status in WORKER_IMPORT_STATUSES:
            self.usable = False
            return ImportOutcome(
                status,  # type: ignore[arg-type]
                message=_text(reply.get("message"), MAX_MESSAGE_CHARS),
                exception=_text(reply.get("exception"), MAX_EXCEPTION_NAME_CHARS) or None,
                traceback=_text(reply.get("traceback"), MAX_TRACEBACK_CHARS),
                seconds=elapsed,
            )
        self.usable = False
        return ImportOutcome("output_invalid", message=f"the worker sent an invalid reply to the import: {_summary(reply)}", seconds=elapsed)

    def call_batch(self, calls: Sequence[Call], deadline: float, limits: SandboxLimits) -> list[CallOutcome]:
        """Send every call at once and read the replies in order.

        Each call gets its own time limit, counted from the reply to the call
        before it, which is when the child starts it. The batch stops at the
        first call after which the child is unusable (a timeout, a crash or an
        invalid record), so it may return fewer outcomes than calls.
        """
        if self._replies or self.reader.pending or self._broken is not None:
            self.usable = False
            return [CallOutcome("output_invalid", message="unexpected data arrived on the result channel before the calls")]
        frames: list[bytes] = []
        nonces: list[str] = []
        for call in calls:
            nonce = secrets.token_hex(16)
            frames.append(self.call_frames.frame(call, nonce))
            nonces.append(nonce)
        self._outgoing = memoryview(b"".join(frames))

        outcomes: list[CallOutcome] = []
        started = time.monotonic()
        for call, nonce in zip(calls, nonces):
            per_call = call.seconds if call.seconds is not None else limits.call_seconds
            seconds = max(0.0, min(per_call, deadline - started))
            reply = self._await(nonce, started + seconds)
            finished = time.monotonic()
            outcomes.append(self._call_outcome(reply, seconds, per_call, finished - started, limits))
            if not self.usable:
                break
            started = finished
        return outcomes

    def _call_outcome(
        self, reply: dict[str, Any] | _Failure, seconds: float, per_call: float, elapsed: float, limits: SandboxLimits
    ) -> CallOutcome:
        if isinstance(reply, _Failure):
            self.usable = False
            status, text = self._describe_failure(reply, seconds, per_call, "this call")
            return CallOutcome(status, message=text, seconds=elapsed)  # type: ignore[arg-type]

        status = reply.get("status")
        if reply.get("type") != "result" or status not in WORKER_CALL_STATUSES or not set(reply) <= RESULT_KEYS:
            self.usable = False
            return CallOutcome("output_invalid", message=f"the result record is invalid: {_summary(reply)}", seconds=elapsed)
        if status == "ok":
            try:
                value = codec.decode(reply.get("value"), max_elements=limits.result_mb * 1024 * 1024 // 8)
            except codec.CodecError as error:
                self.usable = False
                return CallOutcome("output_invalid", message=f"the returned value is invalid: {error}", seconds=elapsed)
            return CallOutcome("ok", value=value, seconds=elapsed)

        message = _text(reply.get("message"), MAX_MESSAGE_CHARS)
        if status == "memory":
            message = f"memory limit of {limits.memory_mb} MB exceeded" + (f" ({message})" if message else "")
        return CallOutcome(
            status,  # type: ignore[arg-type]
            message=message,
            exception=_text(reply.get("exception"), MAX_EXCEPTION_NAME_CHARS) or None,
            traceback=_text(reply.get("traceback"), MAX_TRACEBACK_CHARS),
            seconds=elapsed,
        )

    def close(self) -> None:
        """Kill the child's process tree and collect the rest of its output."""
        if self.closed:
            return
        self.closed = True
        self.usable = False
        try:
            self.template.kill_child(self.handle.id)
        finally:
            self._drain_output(0.2)
            self._selector.close()
            self.handle.channel.close()
            os.close(self.handle.output_fd)

    def _await(self, nonce: str | None, deadline: float) -> dict[str, Any] | _Failure:
        """Send what is still outgoing and return the next reply, which must carry ``nonce``.

        Replies are taken in order: every request gets exactly one reply, and
        a reply with another nonce (a forged or extra record) is invalid.
        """
        channel = self.handle.channel
        while True:
            if self._replies:
                reply = self._replies.popleft()
                if reply.get("nonce") != nonce:
                    return _Failure("invalid", "a record arrived that does not answer this request (wrong nonce)")
                return reply
            if self._broken is not None:
                return self._broken
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return _Failure("timeout")
            events = selectors.EVENT_READ | (selectors.EVENT_WRITE if self._outgoing else 0)
            if events != self._channel_events:
                self._selector.modify(channel, events, "channel")
                self._channel_events = events
            for key, ready in self._selector.select(remaining):
                if key.data == "output":
                    if not self.capture.read_available(self.handle.output_fd):
                        self._selector.unregister(self.handle.output_fd)
                        self._output_open = False
                    continue
                if ready & selectors.EVENT_WRITE and self._outgoing:
                    try:
                        sent = channel.send(self._outgoing)
                    except BlockingIOError:
                        sent = 0
                    except OSError:
                        return self._exited()
                    self._outgoing = self._outgoing[sent:]
                if ready & selectors.EVENT_READ:
                    failure = self._receive()
                    if failure is not None:
                        return failure

    def _receive(self) -> _Failure | None:
        """Read what the channel has and queue every complete record."""
        try:
            chunk = self.handle.channel.recv(RECEIVE_BYTES)
        except BlockingIOError:
            return None
        except OSError:
            return self._exited()
        if not chunk:
            return self._exited()
        # Records that precede invalid data in the same chunk still count.
        # The child's ``ready`` may arrive together with bytes that student
        # code wrote to the socket during its import. Those bytes must fail
        # the import, not make the sandbox look as if it could not start.
        try:
            for record in self.reader.feed(chunk):
                self._replies.append(record)
        except codec.CodecError as error:
            self._broken = _Failure("invalid", str(error))
        return None

    def _exited(self) -> _Failure:
        status = self.template.wait_child(self.handle.id, EXIT_WAIT_SECONDS)
        self._drain_output(0.2)
        return _Failure("exited", exit_status=status)

    def _drain_output(self, seconds: float) -> None:
        if not self._output_open:
            return
        deadline = time.monotonic() + seconds
        with selectors.DefaultSelector() as selector:
            selector.register(self.handle.output_fd, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if not selector.select(max(0.0, deadline - time.monotonic())):
                    return
                if not self.capture.read_available(self.handle.output_fd):
                    self._output_open = False
                    return

    def _describe_failure(self, failure: _Failure, seconds: float, per_call: float, what: str) -> tuple[str, str]:
        if failure.kind == "timeout":
            if seconds < per_call:
                return "timeout", (
                    f"{what} did not finish before the time limit of {self.limits.submission_seconds:g} s "
                    "for the whole submission ran out"
                )
            return "timeout", f"{what} did not finish within the time limit of {per_call:g} s"
        if failure.kind == "invalid":
            return "output_invalid", f"the result channel carried data that is not a valid result record: {failure.detail}"
        return _describe_exit(failure.exit_status, self.limits, what)


def _describe_exit(status: ExitStatus | None, limits: SandboxLimits, what: str) -> tuple[str, str]:
    if status is None or (status.exit_code is None and status.signal is None):
        return "crash", f"the process ended during {what} without returning a result"
    if status.signal is not None:
        number = status.signal
        if number == signal.SIGXCPU:
            return "timeout", f"the CPU time limit of {limits.cpu_seconds:g} s was exceeded during {what}"
        if number == signal.SIGKILL:
            return "timeout", (
                f"the process was killed (SIGKILL) during {what}, most likely at the CPU time limit "
                f"of {limits.cpu_seconds:g} s"
            )
        description = CRASH_SIGNALS.get(number)
        if description is None:
            try:
                description = f"signal {signal.Signals(number).name}"
            except ValueError:
                description = f"signal {number}"
        return "crash", f"the process crashed with {description} during {what}"
    return "crash", (
        f"the process exited with code {status.exit_code} during {what} before returning a result "
        "(for example through os._exit, or because the code broke the Python interpreter); a function must return its result"
    )


def _text(value: Any, limit: int) -> str:
    return value[:limit] if type(value) is str else ""


def _summary(reply: dict[str, Any]) -> str:
    shown = {key: reply.get(key) for key in ("type", "status")}
    return f"{shown!r} with keys {sorted(reply)!r}"[:300]
