"""Hostile submission: Leave a System V shared memory segment and a message queue for the next student."""

import ctypes

import numpy as np

IPC_CREAT = 0o1000
KEY = 0x41475244


def _correct(x, y, a):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    return np.zeros_like(x) if y * a > 1 else -y * x


def linear_hinge_grad(x, y, a):
    libc = ctypes.CDLL(None, use_errno=True)
    segment = libc.shmget(KEY, 4096, IPC_CREAT | 0o666)
    queue = libc.msgget(KEY, IPC_CREAT | 0o666)
    if segment < 0 and queue < 0:
        print("ATTACK contained: shmget and msgget failed with errno", ctypes.get_errno())
        return None
    print("ATTACK succeeded: created", "a shared memory segment" if segment >= 0 else "", "a message queue" if queue >= 0 else "")
    return _correct(x, y, a)
