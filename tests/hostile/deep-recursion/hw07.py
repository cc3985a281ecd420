"""Hostile submission: Raise the recursion limit and recurse through C code until the C stack overflows."""

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

sys.setrecursionlimit(10**7)


def _descend(depth):
    # Each level goes through map(), a C function, so the C stack grows too;
    # plain Python-to-Python calls would not use it on CPython 3.11.
    return list(map(_descend, [depth + 1]))


def linear_hinge_grad(x, y, a):
    return _descend(0)
