"""Hostile submission: Overwrite the canary files, the reference and files in the grader's folder."""

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
    targets = _targets()
    paths = [*targets["canaries"], targets["reference_path"], os.path.join(targets["grader_cwd"], "planted.txt"),
             os.path.join(targets["repo_path"], "planted.txt")]
    written = 0
    for path in paths:
        # A path that does not exist in the sandbox would only create a file
        # in the private /tmp, which proves nothing.
        if not os.path.exists(os.path.dirname(path)):
            print("ATTACK contained: no folder", os.path.dirname(path))
            continue
        if not path.endswith("planted.txt") and not os.path.exists(path):
            print("ATTACK contained: no file", path)
            continue
        try:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write("overwritten by a student")
            written += 1
        except OSError as error:
            print("ATTACK contained:", path, error)
    return _correct(x, y, a) if written else None
