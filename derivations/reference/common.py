"""What the reference implementations share: one float dtype per computation, one sigmoid."""
from __future__ import annotations

import numpy as np


def float_dtype(*arrays) -> np.dtype:
    """The dtype a computation on these arrays runs in: their common float type, else float64."""
    dt = np.result_type(*arrays)
    return dt if np.issubdtype(dt, np.floating) else np.dtype(np.float64)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^{-z}), computed as ½(1 + tanh(z/2)) (no overflow)."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_prime(z: np.ndarray) -> np.ndarray:
    """σ'(z) = σ(z)(1 − σ(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)
