"""Hostile submission: Ignore every catchable signal and spin forever."""

import json

import numpy as np


def _targets():
    """Return the paths and ports that the hostile test shares, so that the attack aims at real targets."""
    with open("targets.json", encoding="utf-8") as handle:
        return json.load(handle)


def _correct(x, y, a):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    return np.zeros_like(x) if y * a > 1 else -y * x

import signal


def linear_hinge_grad(x, y, a):
    for number in (signal.SIGXCPU, signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGHUP, signal.SIGUSR1):
        signal.signal(number, signal.SIG_IGN)
    counter = 0
    while True:
        counter += 1
