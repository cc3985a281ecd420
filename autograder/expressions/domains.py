"""Seeded sampling of variable values from their declared domains."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from autograder.spec import VariableSpec


class DomainError(ValueError):
    """A variable's domain cannot be sampled, for example an integer interval with no integer in it."""


@dataclass(frozen=True)
class SamplePoints:
    """Values of every variable at ``count`` points: each array has shape ``(count, *shape)``."""

    count: int
    values: Mapping[str, np.ndarray]

    def describe(self, index: int, names: tuple[str, ...] | None = None) -> str:
        """Describe point ``index`` for a student, as ``z = 0.531, y = 1``."""
        shown = []
        for name in names if names is not None else tuple(self.values):
            value = self.values[name][index]
            shown.append(f"{name} = {_format_value(value)}")
        return ", ".join(shown)


def sample(variables: Mapping[str, VariableSpec], count: int, seed: int) -> SamplePoints:
    """Draw ``count`` points, reproducibly for a given seed.

    Variables are drawn in name order from one ``numpy.random.Generator``, so
    reordering the declarations does not change the points. An interval is
    sampled uniformly, or as integers in it (inclusive) when ``integer`` is
    set. A finite set is tiled so that every value occurs at least once when
    ``count`` allows, then shuffled. Each entry of a vector or matrix is drawn
    independently.
    """
    rng = np.random.default_rng(seed)
    values: dict[str, np.ndarray] = {}
    for name in sorted(variables):
        values[name] = _sample_one(name, variables[name], count, rng)
    return SamplePoints(count, {name: values[name] for name in variables})


def _sample_one(name: str, spec: VariableSpec, count: int, rng: np.random.Generator) -> np.ndarray:
    shape = (count, *spec.shape)
    size = math.prod(shape)
    if spec.values is not None:
        pool = np.asarray(spec.values, dtype=float)
        tiled = np.resize(pool, size)
        return rng.permutation(tiled).reshape(shape)
    assert spec.interval is not None
    low, high = spec.interval
    if spec.integer:
        first, last = math.ceil(low), math.floor(high)
        if first > last:
            raise DomainError(f"the interval [{low:g}, {high:g}] of '{name}' contains no integer")
        return rng.integers(first, last, size=shape, endpoint=True).astype(float)
    return rng.uniform(low, high, size=shape)


def _format_value(value: np.ndarray | float) -> str:
    array = np.asarray(value)
    if array.ndim == 0:
        return f"{float(array):.6g}"
    rows = array.reshape(array.shape[0], -1) if array.ndim > 1 else array.reshape(-1, 1)
    if array.ndim == 2 and array.shape[1] == 1:
        return "[" + ", ".join(f"{float(item):.4g}" for item in array.reshape(-1)) + "]^T"
    return "[" + "; ".join(", ".join(f"{float(item):.4g}" for item in row) for row in rows) + "]"
