"""Hostile submission: Fork as many processes as possible (bounded at 64 so that a failure cannot take the machine down)."""

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
import subprocess
import time


def linear_hinge_grad(x, y, a):
    started = 0
    for _ in range(64):
        try:
            pid = os.fork()
        except OSError as error:
            print("ATTACK contained: fork failed:", error)
            break
        if pid == 0:
            time.sleep(30)
            os._exit(0)
        started += 1
    try:
        subprocess.run(["/bin/true"], check=True)
        started += 1
    except OSError as error:
        print("ATTACK contained: subprocess failed:", error)
    return _correct(x, y, a) if started else None
