"""A seccomp filter that stops student code from creating processes.

Runs inside the sandbox as a standalone file: it imports only the standard
library. RLIMIT_NPROC does not hold when the grader runs as root, because the
sandbox user maps to host uid 0, which the kernel exempts from that limit. So
process creation is refused here instead: ``clone`` is allowed only with
``CLONE_THREAD`` (threads), ``clone3`` fails with ENOSYS so that glibc falls back
to ``clone``, and ``fork`` and ``vfork`` fail with EPERM. The filter also refuses
calls that could change namespaces, mounts or the kernel, as a second layer
behind the dropped capabilities, the creation of sockets, and System V IPC and
POSIX message queues. Every other system call is allowed, because
the namespaces, not this filter, are what hide the host.

Syscall numbers come from the kernel headers ``asm/unistd_64.h`` (x86_64) and
``asm-generic/unistd.h`` (aarch64) of Linux 6.1 as shipped by Debian 12.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import platform
import struct

# struct seccomp_data { int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; }
# Both supported architectures are little-endian, so the low 32 bits of args[0]
# (the clone flags) start at byte 16.
OFFSET_NR = 0
OFFSET_ARCH = 4
OFFSET_ARG0_LOW = 16

BPF_LD_W_ABS = 0x20
BPF_JMP_JEQ_K = 0x15
BPF_JMP_JGE_K = 0x35
BPF_JMP_JSET_K = 0x45
BPF_RET_K = 0x06

SECCOMP_RET_KILL_PROCESS = 0x80000000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_ALLOW = 0x7FFF0000

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2

CLONE_THREAD = 0x00010000
X32_SYSCALL_BIT = 0x40000000

ARCHITECTURES: dict[str, dict[str, int]] = {
    "x86_64": {
        "audit_arch": 0xC000003E,
        "clone": 56,
        "fork": 57,
        "vfork": 58,
        "clone3": 435,
        "ptrace": 101,
        "mount": 165,
        "umount2": 166,
        "unshare": 272,
        "setns": 308,
        "pivot_root": 155,
        "chroot": 161,
        "bpf": 321,
        "perf_event_open": 298,
        "keyctl": 250,
        "add_key": 248,
        "request_key": 249,
        "userfaultfd": 323,
        "io_uring_setup": 425,
        "kexec_load": 246,
        "kexec_file_load": 320,
        "init_module": 175,
        "finit_module": 313,
        "delete_module": 176,
        "open_by_handle_at": 304,
        "process_vm_readv": 310,
        "process_vm_writev": 311,
        "reboot": 169,
        "open_tree": 428,
        "move_mount": 429,
        "fsopen": 430,
        "fsmount": 432,
        "fspick": 433,
        "mount_setattr": 442,
        "socket": 41,
        "socketpair": 53,
        "shmget": 29,
        "shmat": 30,
        "shmctl": 31,
        "shmdt": 67,
        "semget": 64,
        "semop": 65,
        "semtimedop": 220,
        "semctl": 66,
        "msgget": 68,
        "msgsnd": 69,
        "msgrcv": 70,
        "msgctl": 71,
        "mq_open": 240,
        "mq_unlink": 241,
        "mq_timedsend": 242,
        "mq_timedreceive": 243,
        "mq_notify": 244,
        "mq_getsetattr": 245,
    },
    "aarch64": {
        "audit_arch": 0xC00000B7,
        "clone": 220,
        "clone3": 435,
        "ptrace": 117,
        "mount": 40,
        "umount2": 39,
        "unshare": 97,
        "setns": 268,
        "pivot_root": 41,
        "chroot": 51,
        "bpf": 280,
        "perf_event_open": 241,
        "keyctl": 219,
        "add_key": 217,
        "request_key": 218,
        "userfaultfd": 282,
        "io_uring_setup": 425,
        "kexec_load": 104,
        "kexec_file_load": 294,
        "init_module": 105,
        "finit_module": 273,
        "delete_module": 106,
        "open_by_handle_at": 265,
        "process_vm_readv": 270,
        "process_vm_writev": 271,
        "reboot": 142,
        "open_tree": 428,
        "move_mount": 429,
        "fsopen": 430,
        "fsmount": 432,
        "fspick": 433,
        "mount_setattr": 442,
        "socket": 198,
        "socketpair": 199,
        "shmget": 194,
        "shmat": 196,
        "shmctl": 195,
        "shmdt": 197,
        "semget": 190,
        "semop": 193,
        "semtimedop": 192,
        "semctl": 191,
        "msgget": 186,
        "msgsnd": 189,
        "msgrcv": 188,
        "msgctl": 187,
        "mq_open": 180,
        "mq_unlink": 181,
        "mq_timedsend": 182,
        "mq_timedreceive": 183,
        "mq_notify": 184,
        "mq_getsetattr": 185,
    },
}

DENIED_WITH_EPERM = (
    "ptrace",
    "mount",
    "umount2",
    "unshare",
    "setns",
    "pivot_root",
    "chroot",
    "bpf",
    "perf_event_open",
    "keyctl",
    "add_key",
    "request_key",
    "userfaultfd",
    "io_uring_setup",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "open_by_handle_at",
    "process_vm_readv",
    "process_vm_writev",
    "reboot",
    "open_tree",
    "move_mount",
    "fsopen",
    "fsmount",
    "fspick",
    "mount_setattr",
    # No new sockets of any family, because student code needs none. The runs
    # of one template share its network namespace one after another, and a
    # socket there could outlive its run (a TCP port in TIME_WAIT, a unix
    # socket kept in flight) and carry data to the next student.
    "socket",
    "socketpair",
    # No System V IPC objects or POSIX message queues, for the same reason:
    # the runs share the template's IPC namespace, and such an object stays
    # after its process exits.
    "shmget",
    "shmat",
    "shmctl",
    "shmdt",
    "semget",
    "semop",
    "semtimedop",
    "semctl",
    "msgget",
    "msgsnd",
    "msgrcv",
    "msgctl",
    "mq_open",
    "mq_unlink",
    "mq_timedsend",
    "mq_timedreceive",
    "mq_notify",
    "mq_getsetattr",
)


class SeccompUnsupported(RuntimeError):
    """The machine's architecture has no syscall table here."""


def _statement(code: int, k: int, jump_true: int = 0, jump_false: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jump_true, jump_false, k)


def build_filter(machine: str, *, allow_processes: bool) -> bytes:
    """Return the BPF program for ``machine`` as packed ``struct sock_filter``s.

    A call from another architecture (and, on x86_64, from the x32 ABI, whose
    numbers carry bit 30) kills the process, because its numbers would bypass
    the table.
    """
    table = ARCHITECTURES.get(machine)
    if table is None:
        raise SeccompUnsupported(f"no seccomp syscall table for architecture {machine!r}")

    kill = SECCOMP_RET_KILL_PROCESS
    allow = SECCOMP_RET_ALLOW
    eperm = SECCOMP_RET_ERRNO | errno.EPERM
    program = [
        _statement(BPF_LD_W_ABS, OFFSET_ARCH),
        _statement(BPF_JMP_JEQ_K, table["audit_arch"], 1, 0),
        _statement(BPF_RET_K, kill),
        _statement(BPF_LD_W_ABS, OFFSET_NR),
    ]
    if machine == "x86_64":
        program += [
            _statement(BPF_JMP_JGE_K, X32_SYSCALL_BIT, 0, 1),
            _statement(BPF_RET_K, kill),
        ]

    denied: list[tuple[int, int]] = [(table[name], eperm) for name in DENIED_WITH_EPERM]
    if not allow_processes:
        denied.append((table["clone3"], SECCOMP_RET_ERRNO | errno.ENOSYS))
        for name in ("fork", "vfork"):
            if name in table:
                denied.append((table[name], eperm))
    for number, action in denied:
        program += [
            _statement(BPF_JMP_JEQ_K, number, 0, 1),
            _statement(BPF_RET_K, action),
        ]

    if not allow_processes:
        # clone(flags, ...) takes its flags first on both architectures.
        program += [
            _statement(BPF_JMP_JEQ_K, table["clone"], 0, 4),
            _statement(BPF_LD_W_ABS, OFFSET_ARG0_LOW),
            _statement(BPF_JMP_JSET_K, CLONE_THREAD, 0, 1),
            _statement(BPF_RET_K, allow),
            _statement(BPF_RET_K, eperm),
        ]
    program.append(_statement(BPF_RET_K, allow))
    return b"".join(program)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


@functools.lru_cache(maxsize=None)
def filter_for_this_machine(*, allow_processes: bool) -> bytes:
    """Return ``build_filter`` for this machine, built once per process.

    The template calls it before forking, so that children get the program
    without building it again.
    """
    return build_filter(platform.machine(), allow_processes=allow_processes)


_libc = ctypes.CDLL(None, use_errno=True)


def install(*, allow_processes: bool) -> None:
    """Set no_new_privs and install the filter on the calling thread.

    Threads created afterwards inherit the filter. Raises ``OSError`` if the
    kernel rejects either step.
    """
    libc = _libc
    program = filter_for_this_machine(allow_processes=allow_processes)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"prctl(PR_SET_NO_NEW_PRIVS) failed: {errno.errorcode.get(code, code)}")

    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"prctl(PR_SET_SECCOMP) failed: {errno.errorcode.get(code, code)}")
