"""Hostile submission: Return an object whose __eq__, __array__ and __float__ lie."""

import json

import numpy as np


def _targets():
    """Return the paths and ports that the hostile test shares, so that the attack aims at real targets."""
    with open("targets.json", encoding="utf-8") as handle:
        return json.load(handle)


def _correct(x, y, a):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    return np.zeros_like(x) if y * a > 1 else -y * x

class Liar:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("never asked")

    def __float__(self):
        return 0.0

    def __len__(self):
        return 10**9


def linear_hinge_grad(x, y, a):
    return Liar()
