"""Hostile submission: Connect to a TCP port that the grader's test listens on at 127.0.0.1."""

import json

import numpy as np


def _targets():
    """Return the paths and ports that the hostile test shares, so that the attack aims at real targets."""
    with open("targets.json", encoding="utf-8") as handle:
        return json.load(handle)


def _correct(x, y, a):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    return np.zeros_like(x) if y * a > 1 else -y * x

import socket


def linear_hinge_grad(x, y, a):
    try:
        with socket.create_connection(("127.0.0.1", _targets()["tcp_port"]), timeout=0.5) as connection:
            connection.sendall(b"leaked")
    except OSError as error:
        print("ATTACK contained:", error)
        return None
    print("ATTACK succeeded: connected")
    return _correct(x, y, a)
