"""The description of this machine that every benchmark prints with its figures."""

from __future__ import annotations

import os
import platform
import sys

import numpy as np


def machine_summary() -> str:
    """Return two lines: the CPU, core count and kernel, then Python and numpy."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            model = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    except OSError:
        pass
    return (
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs ({model}), Linux {platform.release()}\n"
        f"python: {sys.version.split()[0]} ({sys.executable}), numpy {np.__version__}"
    )
