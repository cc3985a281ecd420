"""The process that runs student code: a warm template that forks one child per run.

This file runs as a standalone script, inside bubblewrap or as a plain child
process, and never imports ``autograder``. It loads its sibling files
``codec.py``, ``isolation.py`` and ``seccomp.py`` by path. Start it as::

    python -I -S worker.py template CONFIG_JSON

CONFIG_JSON has ``control_fd`` (a SOCK_SEQPACKET socket to the grader),
``isolate`` (whether to confine each child with namespaces, dropped
capabilities and seccomp) and ``package_paths`` (folders that hold numpy).

The template imports numpy once and then serves requests on the control socket.
Each request is one JSON object per packet:

- ``{"op": "start", "id": N, "limits": {...}}`` with two file descriptors
  attached (SCM_RIGHTS): the child's end of a socket for calls and the write end
  of a pipe for its stdout and stderr. The reply is ``started`` or ``failed``.
- ``{"op": "kill", "id": N}`` kills child N and its whole process tree, and
  replies ``{"op": "killed", "id": N}`` without waiting for it to be gone:
  the kernel's teardown of a child's namespaces takes a while, and the
  template reaps killed children before each later request.
- ``{"op": "wait", "id": N, "seconds": S}`` waits up to S seconds for child N
  to exit by itself, and replies ``{"op": "exited", "id": N, "exit_code": C,
  "signal": S}`` (one of C and S is null), or ``{"op": "running", "id": N}``
  if the child is still alive.

The child speaks the frame protocol of ``codec.py`` on its call socket: it
receives one ``load`` message, replies ``loaded``, and then replies to each
``call`` with one ``result`` that repeats the call's nonce, in order. The
grader may send several calls before the first reply.
"""

from __future__ import annotations

import array
import gc
import importlib
import importlib.util
import json
import os
import re
import select
import shutil
import signal
import socket
import sys
import tempfile
import traceback
from collections import deque
from dataclasses import dataclass
from types import ModuleType
from typing import Any

SANDBOX_WORK_FOLDER = "/tmp/work"
FILE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")
MAX_CONTROL_BYTES = 65536
# Bytes asked of the call channel per read: CPython allocates the whole buffer
# for each read, so a larger one costs more, and a long record arrives in pieces.
RECEIVE_BYTES = 1 << 16
MAX_MESSAGE_CHARS = 2000
MAX_TRACEBACK_CHARS = 8000
EXIT_SETUP_FAILED = 70
# sys.path as the interpreter set it up (-I -S: the standard library only).
STANDARD_LIBRARY_PATHS = list(sys.path)


def _load_sibling(name: str) -> ModuleType:
    """Import ``name`` from this file's package, or by path when run as a script."""
    if __package__:
        return importlib.import_module(f"{__package__}.{name}")
    module_name = f"_autograder_sandbox_{name}"
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{name}.py")
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


# Template: the long-lived process that forks children.


@dataclass(frozen=True)
class _Template:
    """The state the template process needs to start a child.

    ``pid_namespace`` is a descriptor of the template's own PID namespace.
    ``lifeline`` is a pipe whose write end only the template keeps open.
    Both are None without isolation.
    """

    isolate: bool
    package_paths: list[str]
    control: socket.socket
    codec: ModuleType
    isolation: ModuleType | None
    seccomp: ModuleType | None
    pid_namespace: int | None
    lifeline: tuple[int, int] | None


def serve_template(config: dict[str, Any]) -> None:
    """Serve control requests until the grader closes the control socket."""
    control = socket.socket(fileno=int(config["control_fd"]))
    isolate = bool(config["isolate"])
    children: dict[int, tuple[int, str | None]] = {}
    # Killed children not reaped yet: pid -> work folder to remove.
    dying: dict[int, str | None] = {}

    import numpy  # noqa: F401 - imported once here so that every child starts warm

    template = _Template(
        isolate=isolate,
        package_paths=[str(path) for path in config["package_paths"]],
        control=control,
        codec=_load_sibling("codec"),
        isolation=_load_sibling("isolation") if isolate else None,
        seccomp=_load_sibling("seccomp") if isolate else None,
        pid_namespace=os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC) if isolate else None,
        lifeline=os.pipe() if isolate else None,
    )
    if template.seccomp is not None:
        for allow_processes in (False, True):
            template.seccomp.filter_for_this_machine(allow_processes=allow_processes)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    # Objects that exist now are never collected, so the garbage collector of
    # a child does not write to (and so copy) the pages it shares with this
    # process.
    gc.collect()
    gc.freeze()

    _send_control(control, {"op": "ready", "python": sys.version.split()[0], "numpy": numpy.__version__})
    while True:
        try:
            data, fds = _receive_control(control)
        except ConnectionError:
            break
        if not data:
            break
        _reap(dying, isolate, block=False)
        request = json.loads(data.decode("utf-8"))
        operation = request.get("op")
        child_id = int(request.get("id", -1))

        if operation == "start":
            reply = _start_child(child_id, request, fds, children, template)
        elif operation == "kill":
            for fd in fds:
                os.close(fd)
            reply = _kill_child(child_id, children, dying, isolate)
        elif operation == "wait":
            for fd in fds:
                os.close(fd)
            reply = _wait_child(child_id, children, float(request.get("seconds", 0.0)), isolate)
        else:
            for fd in fds:
                os.close(fd)
            reply = {"op": "failed", "id": child_id, "error": f"unknown operation {operation!r}"}
        _send_control(control, reply)

    for child_id in list(children):
        _kill_child(child_id, children, dying, isolate)
    _reap(dying, isolate, block=True)


def _send_control(control: socket.socket, message: dict[str, Any]) -> None:
    control.sendall(json.dumps(message).encode("utf-8"))


def _receive_control(control: socket.socket) -> tuple[bytes, list[int]]:
    fds = array.array("i")
    data, ancillary, _flags, _address = control.recvmsg(MAX_CONTROL_BYTES, socket.CMSG_LEN(4 * fds.itemsize))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            usable = len(payload) - len(payload) % fds.itemsize
            fds.frombytes(payload[:usable])
    return data, list(fds)


def _start_child(
    child_id: int,
    request: dict[str, Any],
    fds: list[int],
    children: dict[int, tuple[int, str | None]],
    template: _Template,
) -> dict[str, Any]:
    if len(fds) != 2:
        for fd in fds:
            os.close(fd)
        return {"op": "failed", "id": child_id, "error": f"expected 2 file descriptors, got {len(fds)}"}
    call_fd, output_fd = fds
    limits = request["limits"]
    work_folder = SANDBOX_WORK_FOLDER if template.isolate else tempfile.mkdtemp(prefix="autograder-run-")

    try:
        pid = _fork(template)
    except OSError as error:
        os.close(call_fd)
        os.close(output_fd)
        return {"op": "failed", "id": child_id, "error": f"could not start a child: {error}"}
    if pid == 0:
        code = EXIT_SETUP_FAILED
        try:
            template.control.close()
            run_child(call_fd, output_fd, limits, work_folder, template)
            code = 0
        except BaseException:  # noqa: BLE001 - the child must never return into the template loop
            try:
                traceback.print_exc()
                sys.stderr.flush()
            except BaseException:  # noqa: BLE001
                pass
        finally:
            os._exit(code)

    os.close(call_fd)
    os.close(output_fd)
    children[child_id] = (pid, None if template.isolate else work_folder)
    return {"op": "started", "id": child_id}


def _fork(template: _Template) -> int:
    """Fork a child; with isolation it is PID 1 of a new PID namespace.

    ``unshare(CLONE_NEWPID)`` moves only the children forked afterwards, so the
    template unshares, forks, and then enters its own PID namespace again:
    a second ``unshare`` would fail while the first one's namespace is still
    the one for new children.
    """
    isolation = template.isolation
    if isolation is None or template.pid_namespace is None:
        return os.fork()
    isolation.unshare(isolation.CLONE_NEWPID)
    try:
        pid = os.fork()
    except OSError:
        isolation.enter_namespace(template.pid_namespace, isolation.CLONE_NEWPID)
        raise
    if pid == 0:
        return 0
    try:
        isolation.enter_namespace(template.pid_namespace, isolation.CLONE_NEWPID)
    except OSError:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    return pid


def _kill_child(
    child_id: int, children: dict[int, tuple[int, str | None]], dying: dict[int, str | None], isolate: bool
) -> dict[str, Any]:
    entry = children.pop(child_id, None)
    if entry is not None:
        pid, work_folder = entry
        if not isolate:
            # The child leads its own process group; kill everything it started.
            _signal_quietly(lambda: os.killpg(pid, signal.SIGKILL))
        _signal_quietly(lambda: os.kill(pid, signal.SIGKILL))
        dying[pid] = work_folder
    return {"op": "killed", "id": child_id}


def _reap(dying: dict[int, str | None], isolate: bool, *, block: bool) -> None:
    """Collect the killed children that have exited (all of them with ``block``) and clean up after them."""
    for pid in list(dying):
        try:
            reaped, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            reaped = pid
        if reaped:
            _clean_up(pid, dying.pop(pid), isolate)


def _wait_child(
    child_id: int, children: dict[int, tuple[int, str | None]], seconds: float, isolate: bool
) -> dict[str, Any]:
    entry = children.get(child_id)
    if entry is None:
        return {"op": "exited", "id": child_id, "exit_code": None, "signal": None}
    pid, work_folder = entry
    pidfd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([pidfd], [], [], max(seconds, 0.0))
    finally:
        os.close(pidfd)
    if not ready:
        return {"op": "running", "id": child_id}
    _, status = os.waitpid(pid, 0)
    children.pop(child_id)
    _clean_up(pid, work_folder, isolate)
    return _exit_message(child_id, status)


def _clean_up(pid: int, work_folder: str | None, isolate: bool) -> None:
    if not isolate:
        _signal_quietly(lambda: os.killpg(pid, signal.SIGKILL))
    if work_folder is not None:
        shutil.rmtree(work_folder, ignore_errors=True)


def _signal_quietly(send: Any) -> None:
    try:
        send()
    except (ProcessLookupError, PermissionError):
        pass


def _exit_message(child_id: int, status: int) -> dict[str, Any]:
    if os.WIFSIGNALED(status):
        return {"op": "exited", "id": child_id, "exit_code": None, "signal": os.WTERMSIG(status)}
    return {"op": "exited", "id": child_id, "exit_code": os.waitstatus_to_exitcode(status), "signal": None}


# Child: one run of one submission.


def run_child(call_fd: int, output_fd: int, limits: dict[str, Any], work_folder: str, template: _Template) -> None:
    """Confine this process, then serve the load and call requests of one run.

    With isolation this process is PID 1 of its own PID namespace, so killing
    it kills every process that the student's code started.
    """
    _check_lifeline(template)
    _redirect_standard_streams(output_fd)
    _close_other_fds({0, 1, 2, call_fd})
    channel = socket.socket(fileno=call_fd)
    channel.setblocking(True)
    try:
        confine(limits, work_folder, template.isolation, template.seccomp)
    except BaseException as error:  # noqa: BLE001 - reported to the grader as a sandbox failure
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        _send_quietly(channel, template.codec, {"type": "setup_failed", "message": detail[:MAX_MESSAGE_CHARS]})
        os._exit(EXIT_SETUP_FAILED)
    # No student code has run yet, so this record can be trusted.
    channel.sendall(template.codec.pack_frame({"type": "ready"}))
    serve_calls(channel, limits, work_folder, template.package_paths, template.codec)
    os._exit(0)


def _check_lifeline(template: _Template) -> None:
    """Have the kernel kill this child when the template exits, and exit now if it already has.

    Only the template keeps the write end of the lifeline pipe open, so the read
    end shows end-of-file exactly when the template is gone.
    """
    if template.isolation is None or template.lifeline is None:
        return
    lifeline_read, lifeline_write = template.lifeline
    os.close(lifeline_write)
    template.isolation.set_parent_death_signal(signal.SIGKILL)
    ready, _, _ = select.select([lifeline_read], [], [], 0)
    if ready:
        os._exit(EXIT_SETUP_FAILED)


def confine(
    limits: dict[str, Any],
    work_folder: str,
    isolation: ModuleType | None,
    seccomp: ModuleType | None,
) -> None:
    """Apply the namespaces, mounts, limits, capabilities and seccomp filter."""
    if isolation is None or seccomp is None:
        os.setsid()
        os.makedirs(work_folder, exist_ok=True)
        _load_sibling("isolation").apply_rlimits(limits, limit_processes=False)
        return

    isolation.reset_signal_handlers()
    # The PID namespace is new already (see _fork). The new user namespace
    # owns the new mount and IPC namespaces, and in it this process has every
    # capability until drop_capabilities, but none outside it.
    isolation.unshare_as(isolation.CHILD_NAMESPACES, isolation.SANDBOX_UID, isolation.SANDBOX_GID)
    # A new session and process group: kill(0, ...) from student code would
    # otherwise reach the template, which shares the inherited process group
    # although it is outside this PID namespace.
    os.setsid()

    isolation.make_mounts_private()
    isolation.mount_private_folders(int(limits["disk_bytes"]))
    isolation.require_read_only(("/", "/dev", "/usr"))
    os.makedirs(work_folder, exist_ok=True)
    isolation.apply_rlimits(limits, limit_processes=True)
    isolation.drop_capabilities()
    if isolation.effective_capabilities() != 0:
        raise isolation.IsolationError(0, "capabilities are still effective after dropping them")
    allow_processes = int(limits["processes"]) > 1 and bool(limits.get("processes_enforced", False))
    seccomp.install(allow_processes=allow_processes)


def _send_quietly(channel: socket.socket, codec: ModuleType, message: dict[str, Any]) -> None:
    try:
        channel.sendall(codec.pack_frame(message))
    except OSError:
        pass


def _redirect_standard_streams(output_fd: int) -> None:
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    os.close(output_fd)


def _close_other_fds(keep: set[int]) -> None:
    # os.closerange(low, high) with low == high closes every descriptor on
    # CPython 3.11 (it calls close_range(low, high - 1)), so empty ranges are skipped.
    low = 0
    for fd in sorted(keep):
        if fd > low:
            os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 65536)


def serve_calls(
    channel: socket.socket, limits: dict[str, Any], work_folder: str, package_paths: list[str], codec: ModuleType
) -> None:
    """Reply to the ``load`` message and then to each ``call`` until the grader closes the socket."""
    max_bytes = int(limits["result_bytes"])
    reader = codec.FrameBuffer(max_frame_bytes=1 << 30)
    module: ModuleType | None = None
    sys.dont_write_bytecode = True
    pending: deque[dict[str, Any]] = deque()

    while True:
        message = _next_message(channel, reader, pending)
        if message is None:
            return
        kind = message.get("type")
        if kind == "load":
            reply, module = load_module(message, work_folder, package_paths)
        elif kind == "call":
            reply = call_function(module, message, codec, max_bytes)
        else:
            reply = {"type": "invalid", "message": f"unknown message type {kind!r}"}
        reply["nonce"] = message.get("nonce")
        _flush_standard_streams()
        frame = codec.pack_frame(reply)
        if len(frame) > max_bytes:
            reply = _error_reply("output_invalid", f"returned a value of {len(frame)} bytes once encoded; the limit is {max_bytes}")
            reply["nonce"] = message.get("nonce")
            frame = codec.pack_frame(reply)
        channel.sendall(frame)


def _next_message(channel: socket.socket, reader: Any, pending: deque[dict[str, Any]]) -> dict[str, Any] | None:
    """Return the next request. The grader sends a batch of calls at once, so
    one read may bring several; the rest wait in ``pending``."""
    while not pending:
        chunk = channel.recv(RECEIVE_BYTES)
        if not chunk:
            return None
        pending.extend(reader.feed(chunk))
    return pending.popleft()


def _flush_standard_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001 - a broken stream must not stop the reply
            pass


def load_module(message: dict[str, Any], work_folder: str, package_paths: list[str]) -> tuple[dict[str, Any], ModuleType | None]:
    """Write the submitted files, import the module and report which functions exist."""
    module_name = message["module"]
    module_source: str | None = None
    for entry in message["files"]:
        name = entry["name"]
        if not FILE_NAME.match(name) or name in (".", ".."):
            return _error_reply("invalid", f"invalid file name {name!r}"), None
        # os.write touches far fewer Python objects than open(), and each page
        # of objects that a child writes to is a page the kernel must copy.
        fd = os.open(os.path.join(work_folder, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            data = entry["text"].encode("utf-8")
            while data:
                data = data[os.write(fd, data) :]
        finally:
            os.close(fd)
        if name == f"{module_name}.py":
            module_source = entry["text"]

    os.chdir(work_folder)
    sys.path[:] = [work_folder, *package_paths, *STANDARD_LIBRARY_PATHS]
    try:
        if module_source is None:
            # Let the import system report the missing module.
            importlib.invalidate_caches()
            module = importlib.import_module(module_name)
        else:
            module = _run_module(module_name, os.path.join(work_folder, f"{module_name}.py"), module_source)
    except SyntaxError as error:
        line = f"line {error.lineno}: " if error.lineno else ""
        text = (error.text or "").rstrip()
        reason = error.msg if type(error.msg) is str else "invalid syntax"
        detail = f"{line}{reason}" + (f"\n    {text}" if text else "")
        file_name = os.path.basename(error.filename or "")
        if file_name.endswith(".py") and file_name != f"{module_name}.py":
            # Another file of the submission, imported by the module, is the broken one.
            reply = _error_reply("exception", f"{file_name}, {detail}")
            reply["exception"] = "SyntaxError"
            return reply, None
        return _error_reply("syntax_error", detail), None
    except ModuleNotFoundError as error:
        if error.name == module_name:
            return _error_reply("missing_module", f"no module named {module_name}"), None
        return _exception_reply("exception", error, work_folder), None
    except MemoryError as error:
        return _exception_reply("memory", error, work_folder), None
    except BaseException as error:  # noqa: BLE001 - SystemExit and all are the student's
        return _exception_reply("exception", error, work_folder), None

    missing = []
    for function_name in message["functions"]:
        try:
            found = callable(getattr(module, function_name, None))
        except BaseException:  # noqa: BLE001 - a module __getattr__ may raise anything
            found = False
        if not found:
            missing.append(function_name)
    return {"type": "loaded", "status": "ok", "missing": missing}, module


def _run_module(name: str, path: str, source: str) -> ModuleType:
    """Run ``source`` as the top-level module ``name``, registered in ``sys.modules``.

    This skips the import system's search, loader and spec objects, which
    cost a forked child about 1 ms of CPU, mostly copying the pages they
    touch (measured on a 2-CPU Xeon). The module is in ``sys.modules`` while
    it runs, so that circular imports of it work, and removed again if it
    raises. Unlike an imported module it has no ``__spec__``, ``__loader__``
    or ``__cached__``, so ``importlib.resources`` and ``pkgutil.get_data`` do
    not find it. Other modules of the submission are imported from the work
    folder as usual.
    """
    module = ModuleType(name)
    module.__file__ = path
    sys.modules[name] = module
    try:
        exec(compile(source, path, "exec", dont_inherit=True), module.__dict__)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return sys.modules[name]


def call_function(module: ModuleType | None, message: dict[str, Any], codec: ModuleType, max_bytes: int) -> dict[str, Any]:
    """Call one function with decoded arguments and encode what it returns."""
    if module is None:
        return _error_reply("not_run", "the module is not loaded")
    try:
        arguments = codec.decode(message["args"])
        function = getattr(module, message["function"])
    except BaseException as error:  # noqa: BLE001
        return _exception_reply("error", error, None)
    if type(arguments) is not list:
        return _error_reply("invalid", "arguments must be a list")

    work_folder = sys.path[0]
    try:
        value = function(*arguments)
    except MemoryError as error:
        return _exception_reply("memory", error, work_folder)
    except BaseException as error:  # noqa: BLE001 - SystemExit, KeyboardInterrupt and all
        return _exception_reply("error", error, work_folder)

    try:
        encoded = codec.encode(value, max_elements=max(1, max_bytes // 8))
    except codec.CodecError as error:
        return _error_reply("output_invalid", str(error))
    except MemoryError:
        return _error_reply("memory", "ran out of memory while sending the returned value")
    except BaseException as error:  # noqa: BLE001
        return _error_reply("output_invalid", f"the returned value could not be encoded: {codec.type_name(error)}")
    return {"type": "result", "status": "ok", "value": encoded}


def _error_reply(status: str, message: str) -> dict[str, Any]:
    return {"type": "result", "status": status, "message": message[:MAX_MESSAGE_CHARS]}


def _exception_reply(status: str, error: BaseException, work_folder: str | None) -> dict[str, Any]:
    name = _exception_name(error)
    message = _exception_message(error)
    if isinstance(error, SystemExit):
        message = f"called sys.exit({message})" if message else "called sys.exit()"
    reply = _error_reply(status, message)
    reply["exception"] = name
    reply["traceback"] = _student_traceback(error, work_folder)
    return reply


def _exception_name(error: BaseException) -> str:
    try:
        name = type.__dict__["__name__"].__get__(type(error), type)
    except BaseException:  # noqa: BLE001
        return "Exception"
    return name if type(name) is str else "Exception"


def _exception_message(error: BaseException) -> str:
    # BaseException.__str__ formats the arguments; a class's own __str__ is skipped.
    try:
        text = BaseException.__str__(error)
    except BaseException:  # noqa: BLE001
        return "<the exception message could not be formatted>"
    if type(text) is not str:
        return ""
    return text[:MAX_MESSAGE_CHARS]


def _student_traceback(error: BaseException, work_folder: str | None) -> str:
    """Format the traceback frames that are in the student's own files.

    Frames of the worker and of libraries are left out; file names are shown
    relative to the submission folder.
    """
    if work_folder is None:
        return ""
    prefix = work_folder.rstrip("/") + "/"
    try:
        frames = traceback.extract_tb(error.__traceback__)
        lines = []
        for frame in frames:
            if not frame.filename.startswith(prefix):
                continue
            lines.append(f'  File "{frame.filename[len(prefix):]}", line {frame.lineno}, in {frame.name}')
            if frame.line:
                lines.append(f"    {frame.line}")
    except BaseException:  # noqa: BLE001 - a traceback is a courtesy, never a reason to fail
        return ""
    return "\n".join(lines)[-MAX_TRACEBACK_CHARS:]


def main(argv: list[str]) -> None:
    if len(argv) != 3 or argv[1] != "template":
        sys.stderr.write("usage: python -I -S worker.py template CONFIG_JSON\n")
        sys.exit(2)
    config = json.loads(argv[2])
    sys.path[:0] = [str(path) for path in config["package_paths"]]
    serve_template(config)


if __name__ == "__main__":
    main(sys.argv)
