"""Reference solutions for homework 7 (hinge and log loss, softmax, linear and ReLU
networks, backpropagation).

This module runs only inside the trusted grader, never next to student code.
Functions without arguments compute the reference answers that
``problems/hw07.yaml`` names with ``answer_from``; the others are reference
implementations, generators of random test cases and property checks.
"""

from __future__ import annotations

import numpy as np

# The weights of problem 2: two inputs by three outputs, so z = W^T x.
SOFTMAX_WEIGHTS = np.array([[1.0, -1.0, -2.0], [-1.0, 2.0, 1.0]])
SOFTMAX_INPUT = np.array([[1.0], [1.0]])
SOFTMAX_TARGET = np.array([[0.0], [1.0], [0.0]])
LEARNING_RATE = 0.5

# The ReLU network of problem 4. Row j of HIDDEN_WEIGHTS is (W_1j, W_2j, W_0j),
# and row j of OUTPUT_WEIGHTS is (V_1j, V_2j, V_3j, V_4j, V_0j).
HIDDEN_WEIGHTS = np.array(
    [[1.0, 0.0, -1.0], [0.0, 1.0, -1.0], [-1.0, 0.0, -1.0], [0.0, -1.0, -1.0]]
)
OUTPUT_WEIGHTS = np.array([[1.0, 1.0, 1.0, 1.0, 0.0], [-1.0, -1.0, -1.0, -1.0, 2.0]])


# Problem 1.1: hinge loss with a linear unit.


def linear_hinge_grad(x: np.ndarray, y: float, a: float) -> np.ndarray:
    """Return the gradient of the hinge loss L_h(y a) with respect to the weights.

    With a = w^T x + b, the gradient is 0 where y a > 1 and -y x elsewhere. The
    result is a column vector of the same shape as ``x``.
    """
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    if y * a > 1:
        return np.zeros_like(x)
    return -y * x


def random_hinge_case(rng: np.random.Generator) -> tuple[np.ndarray, float, float]:
    """Draw (x, y, a) with y a kept away from the kink at 1, where the
    gradient of the hinge loss is not defined."""
    dimension = int(rng.integers(1, 6))
    x = rng.normal(0.0, 2.0, size=(dimension, 1))
    y = float(rng.choice([-1.0, 1.0]))
    margin = float(rng.uniform(-3.0, 3.0))
    while abs(margin - 1.0) < 1e-3:
        margin = float(rng.uniform(-3.0, 3.0))
    return x, y, margin / y


# Problem 2: softmax and negative log likelihood.


def softmax(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    shifted = np.exp(z - z.max())
    return shifted / shifted.sum()


def softmax_of_example() -> list[float]:
    """2.1: the distribution represented by z = [-1, 0, 1]."""
    return softmax(np.array([-1.0, 0.0, 1.0])).tolist()


def _softmax_gradient(weights: np.ndarray) -> np.ndarray:
    activation = softmax(weights.T @ SOFTMAX_INPUT)
    return SOFTMAX_INPUT @ (activation - SOFTMAX_TARGET).T


def softmax_weight_gradient() -> list[list[float]]:
    """2.3: the gradient of NLL with respect to the 2 x 3 weight matrix."""
    return _softmax_gradient(SOFTMAX_WEIGHTS).tolist()


def class_one_probability() -> float:
    """2.4: the predicted probability of class 1 (classes 0, 1 and 2)."""
    return float(softmax(SOFTMAX_WEIGHTS.T @ SOFTMAX_INPUT)[1, 0])


def _updated_weights() -> np.ndarray:
    return SOFTMAX_WEIGHTS - LEARNING_RATE * _softmax_gradient(SOFTMAX_WEIGHTS)


def updated_weights() -> list[list[float]]:
    """2.5: the weights after one gradient step with learning rate 0.5."""
    return _updated_weights().tolist()


def updated_class_one_probability() -> float:
    """2.6: the probability of class 1 under the updated weights."""
    return float(softmax(_updated_weights().T @ SOFTMAX_INPUT)[1, 0])


# Problem 4: the ReLU network.


def relu(values: np.ndarray) -> np.ndarray:
    return np.maximum(values, 0.0)


def hidden_outputs(x1: float, x2: float) -> np.ndarray:
    """Return (f(z_1), ..., f(z_4)) for the input (x1, x2)."""
    return relu(HIDDEN_WEIGHTS @ np.array([x1, x2, 1.0]))


def network_outputs(x1: float, x2: float) -> np.ndarray:
    """Return (o_1, o_2), the softmax of the ReLU output units."""
    hidden = hidden_outputs(x1, x2)
    output_units = relu(OUTPUT_WEIGHTS @ np.append(hidden, 1.0))
    return softmax(output_units)


def hidden_outputs_at_example() -> list[float]:
    """4.1.1: the hidden outputs at x = (3, 14)."""
    return hidden_outputs(3.0, 14.0).tolist()


def network_outputs_at_example() -> list[float]:
    """4.1.2: (o_1, o_2) at x = (3, 14)."""
    return network_outputs(3.0, 14.0).tolist()


def hidden_outputs_for_three_inputs() -> list[list[float]]:
    """4.2.3: one column of hidden outputs per input vector (a 4 x 3 matrix)."""
    inputs = [(0.5, 0.5), (0.0, 2.0), (-3.0, 0.5)]
    return np.column_stack([hidden_outputs(*point) for point in inputs]).tolist()


def check_first_unit_boundary(points: np.ndarray) -> tuple[bool, str]:
    """4.2.2: accept any four distinct inputs, one per column, with z_1 = 0.

    z_1 = x_1 W_11 + x_2 W_21 + W_01 = x_1 - 1, so every column needs x_1 = 1.
    The matrix checker has already enforced the 2 x 4 shape.
    """
    columns = [points[:, index] for index in range(points.shape[1])]
    for index, (x1, x2) in enumerate(columns, start=1):
        z1 = x1 * HIDDEN_WEIGHTS[0, 0] + x2 * HIDDEN_WEIGHTS[0, 1] + HIDDEN_WEIGHTS[0, 2]
        if abs(z1) > 1e-6:
            return False, f"Column {index}, [{x1:g}, {x2:g}], gives z_1 = {z1:g}, not 0."
    for first in range(len(columns)):
        for second in range(first + 1, len(columns)):
            if np.allclose(columns[first], columns[second], atol=1e-9):
                return False, f"Columns {first + 1} and {second + 1} are the same point; give four different points."
    return True, "Correct: every column lies on the line x_1 = 1."


def four_points_on_first_boundary() -> list[list[float]]:
    """A sample answer for 4.2.2: the points (1, 0), (1, 1), (1, 2) and (1, 3)."""
    return [[1.0, 1.0, 1.0, 1.0], [0.0, 1.0, 2.0, 3.0]]


def level_set_vertices(level: float) -> list[list[float]]:
    """4.4: the vertices of the curve where f(z_1) + ... + f(z_4) = level.

    For level 0 this is the square |x_1| <= 1, |x_2| <= 1. For a positive level
    it is the octagon through (1 + level, +-1), (+-1, 1 + level) and their
    mirror images, listed counterclockwise.
    """
    if level == 0:
        return [[1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]]
    far = 1.0 + level
    return [
        [far, 1.0], [1.0, far], [-1.0, far], [-far, 1.0],
        [-far, -1.0], [-1.0, -far], [1.0, -far], [far, -1.0],
    ]


def region_vertices() -> list[list[float]]:
    return level_set_vertices(0.0)


def level_one_vertices() -> list[list[float]]:
    return level_set_vertices(1.0)


def level_three_vertices() -> list[list[float]]:
    return level_set_vertices(3.0)
