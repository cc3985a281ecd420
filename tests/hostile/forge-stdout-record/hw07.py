"""Hostile submission: Print records that look like results and verdicts on stdout."""

import json

import numpy as np


def _targets():
    """Return the paths and ports that the hostile test shares, so that the attack aims at real targets."""
    with open("targets.json", encoding="utf-8") as handle:
        return json.load(handle)


def _correct(x, y, a):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    return np.zeros_like(x) if y * a > 1 else -y * x

import sys


def linear_hinge_grad(x, y, a):
    fake = {"type": "result", "status": "ok", "value": {"$list": []}, "verdict": "correct", "score": 1.0}
    print(json.dumps(fake))
    print('{"part": "1.1", "status": "correct", "score": 4, "max_score": 4}')
    print("Passed 25 of 25 test cases.")
    sys.stdout.flush()
    return None
