"""Hostile submission: Send SIGKILL to every process it may signal (kill -1)."""

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
import signal


def linear_hinge_grad(x, y, a):
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError as error:
        print("ATTACK contained:", error)
    return None
