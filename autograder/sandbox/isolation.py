"""Kernel calls that confine one submission's process inside the sandbox.

Runs inside the sandbox as a standalone file: it imports only the standard
library. The calls go through ctypes because Python's ``os`` module has no
``mount`` and no capability functions.
"""

from __future__ import annotations

import ctypes
import errno
import os
import resource
import signal

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
# The namespaces that a child unshares for itself. Its PID namespace is made
# by the template when it forks the child. The network namespace is the
# template's, which bubblewrap created with nothing but a loopback interface.
# A new one per child would cost about 0.7 ms of CPU per run. Instead seccomp
# refuses to create sockets, because a socket there could outlive its run.
# The IPC namespace is the template's too, because a new one costs about
# 0.3 ms of CPU per run (an estimate from runs on a 2-CPU Xeon). Instead
# seccomp refuses every System V IPC and POSIX message queue call, so no run
# can leave an IPC object for the next.
CHILD_NAMESPACES = CLONE_NEWUSER | CLONE_NEWNS
# The identity of student code inside its user namespace.
SANDBOX_UID = 1000
SANDBOX_GID = 1000

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REC = 16384
MS_PRIVATE = 1 << 18
ST_RDONLY = 1

PR_SET_PDEATHSIG = 1
PR_CAPBSET_DROP = 24
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
LINUX_CAPABILITY_VERSION_3 = 0x20080522

_libc = ctypes.CDLL(None, use_errno=True)


class IsolationError(OSError):
    """A confinement step failed, so the child must not run student code."""


def _check(result: int, what: str) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise IsolationError(code, f"{what} failed: {errno.errorcode.get(code, code)} ({os.strerror(code)})")


def unshare(flags: int) -> None:
    """Move the calling process into new namespaces (``unshare(2)``)."""
    _check(_libc.unshare(ctypes.c_int(flags)), f"unshare({flags:#x})")


def enter_namespace(fd: int, kind: int) -> None:
    """Join the namespace that ``fd`` refers to (``setns(2)``); ``kind`` is its CLONE_NEW* flag."""
    _check(_libc.setns(ctypes.c_int(fd), ctypes.c_int(kind)), f"setns({kind:#x})")


def unshare_as(flags: int, uid: int, gid: int) -> None:
    """Unshare ``flags``, a new user namespace among them, and become ``uid`` and ``gid`` in it.

    Only this process's own user and group are mapped, so every other id,
    root included, is unmapped inside the new user namespace.
    """
    if not flags & CLONE_NEWUSER:
        raise ValueError("unshare_as needs CLONE_NEWUSER in flags")
    parent_uid, parent_gid = os.geteuid(), os.getegid()
    unshare(flags)
    _write_proc_file("/proc/self/setgroups", "deny")
    _write_proc_file("/proc/self/uid_map", f"{uid} {parent_uid} 1")
    _write_proc_file("/proc/self/gid_map", f"{gid} {parent_gid} 1")


def _write_proc_file(path: str, text: str) -> None:
    try:
        fd = os.open(path, os.O_WRONLY)
        try:
            os.write(fd, text.encode())
        finally:
            os.close(fd)
    except OSError as error:
        raise IsolationError(error.errno or 0, f"writing {text!r} to {path} failed: {error.strerror}") from error


def set_parent_death_signal(signal_number: int) -> None:
    """Have the kernel send ``signal_number`` when the parent thread exits."""
    _check(_libc.prctl(PR_SET_PDEATHSIG, signal_number, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")


def mount(source: str, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    """Call ``mount(2)``."""
    result = _libc.mount(
        source.encode(),
        target.encode(),
        fstype.encode() if fstype is not None else None,
        ctypes.c_ulong(flags),
        data.encode() if data is not None else None,
    )
    _check(result, f"mount {fstype or source} on {target}")


def make_mounts_private() -> None:
    """Stop mount events from propagating between this namespace and others."""
    mount("none", "/", None, MS_REC | MS_PRIVATE)


def mount_private_folders(disk_bytes: int) -> None:
    """Give the process fresh /tmp and /dev/shm and an empty, read-only /proc.

    The template's /tmp and /dev/shm are shared by every child, so each child
    covers them with tmpfs mounts of its own that vanish with its mount
    namespace. An empty tmpfs over /proc hides other processes; a new procfs
    cannot be mounted because bubblewrap covers parts of the outer one.
    """
    size_kib = max(disk_bytes // 1024, 64)
    private_flags = MS_NOSUID | MS_NODEV | MS_NOEXEC
    mount("tmpfs", "/tmp", "tmpfs", private_flags, f"size={size_kib}k,nr_inodes=4096,mode=0755")
    mount("tmpfs", "/dev/shm", "tmpfs", private_flags, f"size={size_kib}k,nr_inodes=1024,mode=1777")
    mount("tmpfs", "/proc", "tmpfs", private_flags | MS_RDONLY, "size=4k,nr_inodes=2,mode=0555")


def require_read_only(paths: tuple[str, ...]) -> None:
    """Raise ``IsolationError`` unless every path is on a read-only mount.

    Anything writable that is not private to this child would let one
    submission leave files for the next.
    """
    for path in paths:
        if not os.statvfs(path).f_flag & ST_RDONLY:
            raise IsolationError(errno.EROFS, f"{path} is writable inside the sandbox; expected a read-only mount")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def drop_capabilities() -> None:
    """Drop every capability: bounding set, ambient set and the current sets.

    Afterwards ``execve`` cannot regain any, because the sandbox uid is not 0
    inside its user namespace.
    """
    capability = 0
    while True:
        if _libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            code = ctypes.get_errno()
            if code == errno.EINVAL:  # past the kernel's last capability
                break
            raise IsolationError(code, f"prctl(PR_CAPBSET_DROP, {capability}) failed: {os.strerror(code)}")
        capability += 1
    _check(_libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "prctl(PR_CAP_AMBIENT_CLEAR_ALL)")

    header = _CapHeader(LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    _check(_libc.capset(ctypes.byref(header), data), "capset")


def effective_capabilities() -> int:
    """Return the effective capability set of the calling thread as a bit mask."""
    header = _CapHeader(LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    _check(_libc.capget(ctypes.byref(header), data), "capget")
    return data[0].effective | (data[1].effective << 32)


def apply_rlimits(limits: dict[str, float | int], *, limit_processes: bool) -> None:
    """Set the kernel resource limits of the calling process from worker limits.

    RLIMIT_CPU gets a hard limit one second above the soft one: the soft limit
    sends SIGXCPU, and the hard one SIGKILL for code that catches SIGXCPU.
    """
    cpu = max(1, int(limits["cpu_seconds"] + 0.999))
    memory = int(limits["memory_bytes"])
    settings = [
        (resource.RLIMIT_CPU, cpu, cpu + 1),
        (resource.RLIMIT_AS, memory, memory),
        (resource.RLIMIT_FSIZE, int(limits["file_size_bytes"]), int(limits["file_size_bytes"])),
        (resource.RLIMIT_NOFILE, int(limits["open_files"]), int(limits["open_files"])),
        (resource.RLIMIT_CORE, 0, 0),
        (resource.RLIMIT_MEMLOCK, 0, 0),
        (resource.RLIMIT_MSGQUEUE, 0, 0),
    ]
    processes = int(limits["processes"])
    # With one process allowed, seccomp already refuses every new process but
    # lets threads start. RLIMIT_NPROC counts threads too, and for a grader
    # that is not root every process of the grader's user. A limit of 1 would
    # forbid threads, so it is set only for larger limits.
    if limit_processes and processes > 1:
        settings.append((resource.RLIMIT_NPROC, processes, processes))
    for which, soft, hard in settings:
        # A limit can only be lowered: where the grader itself runs under a
        # smaller hard limit (of open files, say), that one applies.
        _, current_hard = resource.getrlimit(which)
        if current_hard != resource.RLIM_INFINITY:
            soft, hard = min(soft, current_hard), min(hard, current_hard)
        resource.setrlimit(which, (soft, hard))


def reset_signal_handlers() -> None:
    """Restore default actions for the signals that the template changed."""
    for signal_number in (signal.SIGINT, signal.SIGTERM, signal.SIGXCPU, signal.SIGCHLD):
        signal.signal(signal_number, signal.SIG_DFL)
