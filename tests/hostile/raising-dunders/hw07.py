"""Hostile submission: Return objects whose __repr__, __float__, __array__ and __len__ raise, and a float subclass."""

import json

import numpy as np


def _targets():
    """Return the paths and ports that the hostile test shares, so that the attack aims at real targets."""
    with open("targets.json", encoding="utf-8") as handle:
        return json.load(handle)


def _correct(x, y, a):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    return np.zeros_like(x) if y * a > 1 else -y * x

class Raiser(float):
    def __repr__(self):
        raise RuntimeError("repr")

    def __float__(self):
        raise RuntimeError("float")

    def __array__(self, *args, **kwargs):
        raise RuntimeError("array")

    def __len__(self):
        raise RuntimeError("len")


def linear_hinge_grad(x, y, a):
    return [Raiser(1.0), Raiser(2.0)]
