"""Sampling: reproducible, inside the domain, every finite value used, shapes kept."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.expressions.domains import DomainError, SamplePoints, sample
from autograder.spec import VariableSpec


def specs(**variables: object) -> dict[str, VariableSpec]:
    return {name: VariableSpec.model_validate(value) for name, value in variables.items()}


def test_same_seed_same_points() -> None:
    first = sample(specs(x=[-1, 1], y={"values": [0, 1]}), 24, seed=7)
    second = sample(specs(x=[-1, 1], y={"values": [0, 1]}), 24, seed=7)
    for name in ("x", "y"):
        np.testing.assert_array_equal(first.values[name], second.values[name])


def test_other_seed_other_points() -> None:
    first = sample(specs(x=[-1, 1]), 24, seed=0)
    second = sample(specs(x=[-1, 1]), 24, seed=1)
    assert not np.array_equal(first.values["x"], second.values["x"])


def test_declaration_order_irrelevant() -> None:
    forward = sample(specs(a=[0, 1], b=[5, 6]), 10, seed=3)
    backward = sample(specs(b=[5, 6], a=[0, 1]), 10, seed=3)
    np.testing.assert_array_equal(forward.values["a"], backward.values["a"])
    np.testing.assert_array_equal(forward.values["b"], backward.values["b"])


@pytest.mark.parametrize(("low", "high"), [(-5.0, 5.0), (0.0, 1.0), (1e-3, 2e-3), (-800.0, 800.0)])
def test_interval_bounds(low: float, high: float) -> None:
    values = sample(specs(x=[low, high]), 200, seed=0).values["x"]
    assert values.shape == (200,)
    assert values.min() >= low
    assert values.max() <= high


@pytest.mark.parametrize(("pool", "count"), [([0, 1], 24), ([-1, 0, 1], 3), ([2.5], 5), ([0, 1, 2, 3], 10)])
def test_finite_set_uses_every_value(pool: list[float], count: int) -> None:
    values = sample(specs(y={"values": pool}), count, seed=0).values["y"]
    assert set(values.tolist()) == set(float(value) for value in pool)


def test_integer_interval() -> None:
    values = sample(specs(n={"interval": [-2.5, 3.5], "integer": True}), 100, seed=0).values["n"]
    assert set(values.tolist()) <= {-2.0, -1.0, 0.0, 1.0, 2.0, 3.0}
    assert np.all(values == np.round(values))


def test_integer_interval_without_integers() -> None:
    with pytest.raises(DomainError, match="contains no integer"):
        sample(specs(n={"interval": [0.2, 0.8], "integer": True}), 5, seed=0)


@pytest.mark.parametrize("shape", [[3, 1], [2, 2], [4]])
def test_vector_shapes(shape: list[int]) -> None:
    values = sample(specs(x={"interval": [-1, 1], "shape": shape}), 6, seed=0).values["x"]
    assert values.shape == (6, *shape)
    assert len(np.unique(values)) == values.size


def test_describe_point() -> None:
    points = SamplePoints(2, {"z": np.array([0.5, 1.25]), "x": np.array([[[1.0], [2.0]], [[3.0], [4.0]]])})
    assert points.describe(1) == "z = 1.25, x = [3, 4]^T"
    assert points.describe(0, ("z",)) == "z = 0.5"
