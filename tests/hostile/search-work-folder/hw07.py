"""Hostile submission: List /work, /root and /home and search them for any reference module."""

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
    for top in ("/work", "/root", "/home", "/srv", "/mnt", "/opt"):
        for folder, _, names in os.walk(top):
            if "hw07.py" in names and "reference" in folder:
                with open(os.path.join(folder, "hw07.py"), encoding="utf-8") as handle:
                    namespace = {}
                    exec(handle.read(), namespace)
                print("ATTACK succeeded: found", folder)
                return namespace["linear_hinge_grad"](x, y, a)
    print("ATTACK contained: nothing found under", os.listdir("/"))
    return None
