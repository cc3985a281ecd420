import numpy as np


def linear_hinge_grad(x, y, a):
    # Uses the wrong threshold: the hinge loss is flat only where y*a > 1.
    if y * a > 0:
        return np.zeros_like(x, dtype=float)
    return -y * x
