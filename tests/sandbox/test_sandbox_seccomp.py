"""The seccomp program as data; its effect is tested in the runner tests."""

from __future__ import annotations

import struct

import pytest

from autograder.sandbox import seccomp


def _statements(program: bytes) -> list[tuple[int, int, int, int]]:
    return [struct.unpack("=HBBI", program[offset:offset + 8]) for offset in range(0, len(program), 8)]


@pytest.mark.parametrize("machine", sorted(seccomp.ARCHITECTURES))
def test_filter_checks_architecture_first(machine: str) -> None:
    statements = _statements(seccomp.build_filter(machine, allow_processes=False))
    assert statements[0] == (seccomp.BPF_LD_W_ABS, 0, 0, seccomp.OFFSET_ARCH)
    assert statements[1][3] == seccomp.ARCHITECTURES[machine]["audit_arch"]
    assert statements[2] == (seccomp.BPF_RET_K, 0, 0, seccomp.SECCOMP_RET_KILL_PROCESS)
    assert statements[-1] == (seccomp.BPF_RET_K, 0, 0, seccomp.SECCOMP_RET_ALLOW)


@pytest.mark.parametrize("machine", sorted(seccomp.ARCHITECTURES))
def test_every_jump_stays_inside_the_program(machine: str) -> None:
    statements = _statements(seccomp.build_filter(machine, allow_processes=False))
    for index, (code, jump_true, jump_false, _) in enumerate(statements):
        if code in (seccomp.BPF_JMP_JEQ_K, seccomp.BPF_JMP_JGE_K, seccomp.BPF_JMP_JSET_K):
            assert index + 1 + max(jump_true, jump_false) < len(statements)


@pytest.mark.parametrize("machine", sorted(seccomp.ARCHITECTURES))
def test_clone_is_checked_for_clone_thread(machine: str) -> None:
    statements = _statements(seccomp.build_filter(machine, allow_processes=False))
    clone = seccomp.ARCHITECTURES[machine]["clone"]
    index = next(i for i, s in enumerate(statements) if s[0] == seccomp.BPF_JMP_JEQ_K and s[3] == clone)
    assert statements[index + 1] == (seccomp.BPF_LD_W_ABS, 0, 0, seccomp.OFFSET_ARG0_LOW)
    assert statements[index + 2][3] == seccomp.CLONE_THREAD


def test_clone3_fails_with_enosys_when_processes_are_denied() -> None:
    statements = _statements(seccomp.build_filter("x86_64", allow_processes=False))
    clone3 = seccomp.ARCHITECTURES["x86_64"]["clone3"]
    index = next(i for i, s in enumerate(statements) if s[0] == seccomp.BPF_JMP_JEQ_K and s[3] == clone3)
    assert statements[index + 1][3] == seccomp.SECCOMP_RET_ERRNO | 38  # ENOSYS


def test_allowing_processes_drops_the_process_rules() -> None:
    denied = seccomp.build_filter("x86_64", allow_processes=False)
    allowed = seccomp.build_filter("x86_64", allow_processes=True)
    assert len(allowed) < len(denied)
    fork = seccomp.ARCHITECTURES["x86_64"]["fork"]
    assert all(s[3] != fork for s in _statements(allowed) if s[0] == seccomp.BPF_JMP_JEQ_K)


def test_x86_64_rejects_the_x32_abi() -> None:
    statements = _statements(seccomp.build_filter("x86_64", allow_processes=False))
    assert (seccomp.BPF_JMP_JGE_K, 0, 1, seccomp.X32_SYSCALL_BIT) in statements


def test_unknown_architecture_raises() -> None:
    with pytest.raises(seccomp.SeccompUnsupported):
        seccomp.build_filter("riscv64", allow_processes=False)
