import numpy as np


def linear_hinge_grad(x, y, a):
    """Gradient of the hinge loss L_h(y a) with respect to the weights."""
    if y * a <= 1:
        return -y * x
    return np.zeros((x.shape[0], 1))
