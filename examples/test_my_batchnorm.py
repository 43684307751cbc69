"""A user's batch-norm backward, tested against the verified oracle (run: pytest examples/)."""
import numpy as np
import pytest

from derivations import batchnorm
from verifier.testing import GradientMismatch, assert_gradients_close


def my_batchnorm_backward(x, gamma, dy, eps=1e-5, var_coefficient=2.0):
    """Ioffe & Szegedy's backward pass, as one would write it by hand (eq. 3.23 of the notes)."""
    m = x.shape[0]
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv = 1.0 / np.sqrt(var + eps)
    dxhat = dy * gamma
    dvar = -0.5 * np.sum(dxhat * (x - mu), axis=0) * inv**3
    dmu = -np.sum(dxhat, axis=0) * inv - dvar * 2.0 / m * np.sum(x - mu, axis=0)
    dx = dxhat * inv + dvar * var_coefficient / m * (x - mu) + dmu / m
    return dx, np.sum(dy * (x - mu) * inv, axis=0), np.sum(dy, axis=0)


def test_my_backward_matches_the_oracle():
    rng = np.random.default_rng(0)
    x, gamma, dy = rng.normal(size=(64, 16)), rng.normal(size=16), rng.normal(size=(64, 16))
    assert_gradients_close(
        my_batchnorm_backward(x, gamma, dy), batchnorm.backward(x, gamma, dy),
        rtol=1e-7, atol=1e-9, names=("dx", "dgamma", "dbeta"),
    )


def test_the_notes_2_over_2m_line_taken_literally_is_caught():
    rng = np.random.default_rng(0)
    x, gamma, dy = rng.normal(size=(64, 16)), rng.normal(size=16), rng.normal(size=(64, 16))
    wrong = my_batchnorm_backward(x, gamma, dy, var_coefficient=2.0 / 2.0)  # the middle line of 3.23: 2/(2m)
    with pytest.raises(GradientMismatch) as info:
        assert_gradients_close(wrong, batchnorm.backward(x, gamma, dy), rtol=1e-7, atol=1e-9, names=("dx", "dgamma", "dbeta"))
    print(info.value)
    assert info.value.name == "dx"
