"""Hostile submission: Patch numpy, builtins and the worker's codec so that any returned value looks right."""

import json

import numpy as np


def _targets():
    """Return the paths and ports that the hostile test shares, so that the attack aims at real targets."""
    with open("targets.json", encoding="utf-8") as handle:
        return json.load(handle)


def _correct(x, y, a):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    return np.zeros_like(x) if y * a > 1 else -y * x

import builtins
import sys


def linear_hinge_grad(x, y, a):
    np.allclose = lambda *args, **kwargs: True
    np.array_equal = lambda *args, **kwargs: True
    np.isclose = lambda *args, **kwargs: np.True_
    builtins.isinstance = lambda *args: True
    builtins.len = lambda value: 0
    for name, module in list(sys.modules.items()):
        if "codec" in name and hasattr(module, "decode"):
            module.decode = lambda value, **kwargs: value
    return np.zeros((1, 1))
