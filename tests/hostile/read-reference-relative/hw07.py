"""Hostile submission: Read reference/hw07.py through relative paths from the working folder."""

import json

import numpy as np


def _targets():
    """Return the paths and ports that the hostile test shares, so that the attack aims at real targets."""
    with open("targets.json", encoding="utf-8") as handle:
        return json.load(handle)


def _correct(x, y, a):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    return np.zeros_like(x) if y * a > 1 else -y * x

def linear_hinge_grad(x, y, a):
    for depth in range(8):
        path = "../" * depth + "reference/hw07.py"
        try:
            with open(path, encoding="utf-8") as handle:
                source = handle.read()
        except OSError:
            continue
        namespace = {}
        exec(source, namespace)
        print("ATTACK succeeded:", path)
        return namespace["linear_hinge_grad"](x, y, a)
    print("ATTACK contained: no relative path reached the reference")
    return None
