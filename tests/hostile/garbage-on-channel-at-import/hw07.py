"""Hostile submission: Write bytes that are not a record to the result socket while the module is imported.

The grader may read them in one piece with the sandbox's "ready" record. They
must cost this submission's code part, never pass for a sandbox that failed.
"""

import os
import stat

import numpy as np

for _fd in range(3, 64):
    try:
        if stat.S_ISSOCK(os.fstat(_fd).st_mode):
            os.write(_fd, b"\x00\x00\x00\x05hello")
            print("ATTACK wrote garbage on fd", _fd)
    except OSError:
        pass


def linear_hinge_grad(x, y, a):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    return np.zeros_like(x) if y * a > 1 else -y * x
