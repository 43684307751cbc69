"""The numpy reference implementations (derivations/*) against finite differences and
independent formulas, and the assertion helpers of verifier.testing."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from derivations import backprop, batchnorm, conv, probability
from verifier.testing import (
    GradientMismatch,
    assert_gradients_close,
    directional_derivative,
    gradcheck,
    numeric_gradient,
)


# ----------------------------------------------------------------------------- helpers


def _dirs_check(f, x, grad, rng, n=3, eps=1e-6, rtol=1e-6, atol=1e-6, name="grad"):
    """⟨grad, v⟩ against (f(x+εv) − f(x−εv))/2ε for n random directions v."""
    vs = rng.standard_normal((n,) + np.shape(x))
    num = np.array([directional_derivative(f, x, v, eps) for v in vs])
    ana = np.array([np.vdot(np.asarray(grad, np.float64), v) for v in vs])
    assert_gradients_close(ana, num, rtol=rtol, atol=atol, names=f"<{name}, v>")


def _entries_check(f, x, grad, rng, k=8, eps=1e-6, rtol=1e-6, atol=1e-8, name="grad"):
    """k random entries of grad against central differences of f."""
    idx = rng.choice(np.size(x), size=k, replace=False)
    num = numeric_gradient(f, x, eps, indices=idx)
    assert_gradients_close(np.asarray(grad).ravel()[idx], num, rtol=rtol, atol=atol, names=name)


# ----------------------------------------------------------------------------- backprop


def _net(rng, sizes, dtype=np.float64):
    ws = [(rng.standard_normal((sizes[i + 1], sizes[i])) / np.sqrt(sizes[i])).astype(dtype)
          for i in range(len(sizes) - 1)]
    bs = [(0.1 * rng.standard_normal(sizes[i + 1])).astype(dtype) for i in range(len(sizes) - 1)]
    return ws, bs


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "identity", "relu"])
def test_backprop_gradients_match_finite_differences(activation):
    rng = np.random.default_rng(1)
    sizes = [120, 300, 200, 10]
    ws, bs = _net(rng, sizes)
    x = rng.standard_normal((8, sizes[0]))
    y = rng.random((8, sizes[-1]))
    dws, dbs = backprop.gradients(ws, bs, x, y, activation=activation)
    assert [d.shape for d in dws] == [w.shape for w in ws]
    assert [d.shape for d in dbs] == [b.shape for b in bs]
    for l in range(len(ws)):
        def f_w(wl, l=l):
            return backprop.loss(ws[:l] + [wl] + ws[l + 1:], bs, x, y, activation)

        def f_b(bl, l=l):
            return backprop.loss(ws, bs[:l] + [bl] + bs[l + 1:], x, y, activation)

        _dirs_check(f_w, ws[l], dws[l], rng, n=2, rtol=1e-6, atol=1e-7, name=f"dw{l + 1}")
        _dirs_check(f_b, bs[l], dbs[l], rng, n=2, rtol=1e-6, atol=1e-7, name=f"db{l + 1}")
        _entries_check(f_w, ws[l], dws[l], rng, k=6, rtol=1e-5, atol=1e-8, name=f"dw{l + 1}")
        _entries_check(f_b, bs[l], dbs[l], rng, k=4, rtol=1e-5, atol=1e-8, name=f"db{l + 1}")


def test_backprop_batch_is_sum_over_examples_and_single_example_layout():
    rng = np.random.default_rng(2)
    ws, bs = _net(rng, [7, 5, 3])
    x = rng.standard_normal((4, 7))
    y = rng.random((4, 3))
    dws, dbs = backprop.gradients(ws, bs, x, y)
    singles = [backprop.gradients(ws, bs, x[i], y[i]) for i in range(4)]
    for l in range(2):
        assert_gradients_close(dws[l], sum(s[0][l] for s in singles), rtol=1e-12, atol=1e-14)
        assert_gradients_close(dbs[l], sum(s[1][l] for s in singles), rtol=1e-12, atol=1e-14)
    fw = backprop.forward(ws, bs, x[0])
    assert len(fw.zs) == 2 and len(fw.activations) == 3
    assert fw.zs[0].shape == (5,) and fw.activations[0].shape == (7,)
    # z^1 = w^1 x + b^1 with w_jk connecting unit k of layer 0 to unit j of layer 1
    np.testing.assert_allclose(fw.zs[0], ws[0] @ x[0] + bs[0], rtol=1e-13)
    np.testing.assert_allclose(fw.activations[-1], 1 / (1 + np.exp(-fw.zs[-1])), rtol=1e-13)
    assert backprop.loss(ws, bs, x[0], y[0]) == pytest.approx(
        0.5 * np.sum((fw.activations[-1] - y[0]) ** 2), rel=1e-13)


def test_backprop_deltas_are_dL_dz():
    """δ^l = ∂L/∂z^l (eq. 3.3): for one example, ∂L/∂b^l by finite differences equals δ^l."""
    rng = np.random.default_rng(3)
    ws, bs = _net(rng, [6, 9, 4])
    x, y = rng.standard_normal(6), rng.random(4)
    ds = backprop.deltas(ws, bs, x, y, activation="tanh")
    for l in range(2):
        num = numeric_gradient(
            lambda bl, l=l: backprop.loss(ws, bs[:l] + [bl] + bs[l + 1:], x, y, "tanh"), bs[l])
        assert_gradients_close(ds[l], num, rtol=1e-6, atol=1e-9, names=f"delta{l + 1}")


def test_activation_table_derivatives():
    z = np.linspace(-6, 6, 1001) + 1e-3  # avoid relu's kink at 0
    h = 1e-6
    for name, (f, fp) in backprop.ACTIVATIONS.items():
        num = (f(z + h) - f(z - h)) / (2 * h)
        assert_gradients_close(fp(z), num, rtol=1e-6, atol=1e-8, names=name)
        assert f(z.astype(np.float32)).dtype == np.float32
        assert fp(z.astype(np.float32)).dtype == np.float32
    np.testing.assert_allclose(backprop.ACTIVATIONS["sigmoid"][0](np.array([-800.0, 0.0, 800.0])),
                               [0.0, 0.5, 1.0])


def test_backprop_float32_follows_input_dtype():
    rng = np.random.default_rng(4)
    ws, bs = _net(rng, [100, 300, 10])
    x, y = rng.standard_normal((16, 100)), rng.random((16, 10))
    d64 = backprop.gradients(ws, bs, x, y)
    d32 = backprop.gradients([w.astype(np.float32) for w in ws], [b.astype(np.float32) for b in bs],
                             x.astype(np.float32), y.astype(np.float32))
    for a32, a64 in zip(d32[0] + d32[1], d64[0] + d64[1]):
        assert a32.dtype == np.float32
        assert_gradients_close(a32, a64, rtol=1e-3, atol=1e-5)
    assert backprop.loss([w.astype(np.float32) for w in ws], [b.astype(np.float32) for b in bs],
                         x.astype(np.float32), y.astype(np.float32)).dtype == np.float32


def test_backprop_errors():
    rng = np.random.default_rng(5)
    ws, bs = _net(rng, [3, 4, 2])
    x, y = rng.standard_normal(3), rng.random(2)
    with pytest.raises(ValueError, match="allowed: identity, relu, sigmoid, tanh"):
        backprop.gradients(ws, bs, x, y, activation="softplus")
    with pytest.raises(ValueError, match=r"weights\[1\]"):
        backprop.gradients([ws[0], ws[1].T], bs, x, y)
    with pytest.raises(ValueError, match="y must have shape"):
        backprop.gradients(ws, bs, x, rng.random(3))


# ----------------------------------------------------------------------------- conv


def _naive_conv(a, w, b):
    """Eq. 3.9 with explicit loops (batched layout), the independent reference."""
    n, c, h, wd = a.shape
    o, _, r, s = w.shape
    z = np.zeros((n, o, h - r + 1, wd - s + 1))
    for ni in range(n):
        for oi in range(o):
            for i in range(h - r + 1):
                for j in range(wd - s + 1):
                    z[ni, oi, i, j] = np.sum(a[ni, :, i:i + r, j:j + s] * w[oi]) + b[oi]
    return z


def test_conv_forward_matches_eq_3_9_loops():
    rng = np.random.default_rng(6)
    a = rng.standard_normal((2, 3, 7, 6))
    w = rng.standard_normal((4, 3, 3, 2))  # non-square kernel catches transposed indices
    b = rng.standard_normal(4)
    assert_gradients_close(conv.forward(a, w, b), _naive_conv(a, w, b), rtol=1e-12, atol=1e-12, names="z")
    z1 = conv.forward(a[0, 0], w[0, 0], b[0])
    assert_gradients_close(z1, _naive_conv(a[:1, :1], w[:1, :1], b[:1])[0, 0], rtol=1e-12, atol=1e-12)
    assert_gradients_close(conv.cross_correlate_valid(a[0, 0], w[0, 0]), z1 - b[0], rtol=1e-12, atol=1e-12)


def test_conv_backward_batched_matches_finite_differences():
    rng = np.random.default_rng(7)
    a = rng.standard_normal((2, 8, 64, 64))
    w = rng.standard_normal((8, 8, 5, 5)) / 10
    b = rng.standard_normal(8)
    delta = rng.standard_normal((2, 8, 60, 60))
    da, dw, db = conv.backward(a, w, delta)
    assert (da.shape, dw.shape, db.shape) == (a.shape, w.shape, b.shape)

    def L(a_=a, w_=w, b_=b):
        return np.vdot(delta, conv.forward(a_, w_, b_))  # ∂L/∂z = delta

    # L is linear in each argument: central differences are exact up to rounding.
    _dirs_check(lambda t: L(a_=t), a, da, rng, n=2, eps=1e-3, rtol=1e-9, atol=1e-8, name="da")
    _dirs_check(lambda t: L(w_=t), w, dw, rng, n=2, eps=1e-3, rtol=1e-9, atol=1e-8, name="dw")
    _dirs_check(lambda t: L(b_=t), b, db, rng, n=2, eps=1e-3, rtol=1e-9, atol=1e-8, name="db")
    _entries_check(lambda t: L(a_=t), a, da, rng, k=6, eps=1e-3, rtol=1e-7, atol=1e-7, name="da")
    _entries_check(lambda t: L(w_=t), w, dw, rng, k=6, eps=1e-3, rtol=1e-7, atol=1e-7, name="dw")
    # border entries of da (fewer windows cover them) and a corner
    num = numeric_gradient(lambda t: L(a_=t), a, 1e-3,
                           indices=(np.array([0, 1, 1]), np.array([0, 7, 3]),
                                    np.array([0, 63, 2]), np.array([0, 63, 61])))
    assert_gradients_close(da[[0, 1, 1], [0, 7, 3], [0, 63, 2], [0, 63, 61]], num,
                           rtol=1e-7, atol=1e-7, names="da border")


def test_conv_single_channel_backward_is_eq_conv_bp():
    """Single-channel gradients against CONV-BP2/3/4 written with loops, 1-based as in the notes."""
    rng = np.random.default_rng(8)
    a = rng.standard_normal((7, 6))
    w = rng.standard_normal((3, 2))
    delta = rng.standard_normal((5, 5))
    da, dw, db = conv.backward(a, w, delta)
    r, c = w.shape
    M, N = delta.shape
    da_ref = np.zeros_like(a)
    for i in range(1, 8):  # δ_ij = Σ_mn δ_mn w_{i+1-m, j+1-n}  (without σ')
        for j in range(1, 7):
            for m in range(1, M + 1):
                for n in range(1, N + 1):
                    p, q = i + 1 - m, j + 1 - n
                    if 1 <= p <= r and 1 <= q <= c:
                        da_ref[i - 1, j - 1] += delta[m - 1, n - 1] * w[p - 1, q - 1]
    dw_ref = np.zeros_like(w)
    for p in range(1, r + 1):  # CONV-BP3
        for q in range(1, c + 1):
            for i in range(1, M + 1):
                for j in range(1, N + 1):
                    dw_ref[p - 1, q - 1] += delta[i - 1, j - 1] * a[i + p - 2, j + q - 2]
    assert_gradients_close((da, dw, db), (da_ref, dw_ref, delta.sum()), rtol=1e-12, atol=1e-12,
                           names=("da", "dw", "db"))
    # eq. 3.14's matrix form with the helpers
    assert_gradients_close(conv.convolve_full(delta, conv.rot180(w)), da_ref, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(conv.rot180(np.arange(6).reshape(2, 3)), [[5, 4, 3], [2, 1, 0]])


def test_conv_single_channel_agrees_with_batched_and_finite_differences():
    rng = np.random.default_rng(9)
    a = rng.standard_normal((64, 64))
    w = rng.standard_normal((5, 3))
    b = 0.7
    delta = rng.standard_normal((60, 62))
    z1 = conv.forward(a, w, b)
    z4 = conv.forward(a[None, None], w[None, None], np.array([b]))
    assert_gradients_close(z1, z4[0, 0], rtol=1e-12, atol=1e-12, names="z")
    g1 = conv.backward(a, w, delta)
    g4 = conv.backward(a[None, None], w[None, None], delta[None, None])
    assert_gradients_close(g1, (g4[0][0, 0], g4[1][0, 0], g4[2][0]), rtol=1e-12, atol=1e-11,
                           names=("da", "dw", "db"))
    L = lambda t: np.vdot(delta, conv.forward(t, w, b))  # noqa: E731
    _entries_check(L, a, g1[0], rng, k=8, eps=1e-3, rtol=1e-7, atol=1e-8, name="da")
    dw_num = numeric_gradient(lambda t: np.vdot(delta, conv.forward(a, t, b)), w, 1e-3)
    assert_gradients_close(g1[1], dw_num, rtol=1e-8, atol=1e-8, names="dw")


def test_conv_float32_follows_input_dtype():
    rng = np.random.default_rng(10)
    a = rng.standard_normal((2, 8, 32, 32))
    w = rng.standard_normal((8, 8, 5, 5)) / 10
    b = rng.standard_normal(8)
    delta = rng.standard_normal((2, 8, 28, 28))
    f32 = lambda t: t.astype(np.float32)  # noqa: E731
    z32 = conv.forward(f32(a), f32(w), f32(b))
    g32 = conv.backward(f32(a), f32(w), f32(delta))
    assert z32.dtype == np.float32 and all(g.dtype == np.float32 for g in g32)
    assert_gradients_close(z32, conv.forward(a, w, b), rtol=1e-4, atol=1e-4, names="z")
    assert_gradients_close(g32, conv.backward(a, w, delta), rtol=1e-4, atol=1e-3,
                           names=("da", "dw", "db"))
    s32 = conv.backward(f32(a[0, 0]), f32(w[0, 0]), f32(delta[0, 0]))
    assert all(np.asarray(g).dtype == np.float32 for g in s32)
    assert conv.forward(f32(a[0, 0]), f32(w[0, 0]), np.float32(1)).dtype == np.float32


def test_conv_shape_errors():
    a = np.zeros((2, 3, 8, 8))
    with pytest.raises(ValueError, match="input channels"):
        conv.forward(a, np.zeros((4, 2, 3, 3)), np.zeros(4))
    with pytest.raises(ValueError, match=r"b must have shape \(4,\)"):
        conv.forward(a, np.zeros((4, 3, 3, 3)), np.zeros(3))
    with pytest.raises(ValueError, match="delta must have the shape of z"):
        conv.backward(a, np.zeros((4, 3, 3, 3)), np.zeros((2, 4, 5, 5)))
    with pytest.raises(ValueError, match="2-D .* or 4-D"):
        conv.forward(np.zeros((3, 8, 8)), np.zeros((3, 3)), 0.0)
    with pytest.raises(ValueError, match="larger than the input"):
        conv.forward(np.zeros((2, 2)), np.zeros((3, 3)), 0.0)
    with pytest.raises(ValueError, match="b must be a scalar"):
        conv.forward(np.zeros((4, 4)), np.zeros((3, 3)), np.zeros(2))


# ----------------------------------------------------------------------------- batchnorm


def _bn_data(rng, m=1024, d=256):
    x = 3.0 + 2.0 * rng.standard_normal((m, d))
    gamma = 1.0 + 0.5 * rng.standard_normal(d)
    beta = rng.standard_normal(d)
    dy = rng.standard_normal((m, d))
    return x, gamma, beta, dy


def test_batchnorm_forward_is_algorithm_1():
    rng = np.random.default_rng(11)
    x, gamma, beta, _ = _bn_data(rng, 64, 5)
    y = batchnorm.forward(x, gamma, beta, 1e-5)
    ref = gamma * (x - x.mean(0)) / np.sqrt(x.var(0, ddof=0) + 1e-5) + beta  # biased variance
    assert_gradients_close(y, ref, rtol=1e-12, atol=1e-12, names="y")
    y2, cache = batchnorm.forward_cache(x, gamma, beta)
    np.testing.assert_array_equal(y, y2)
    np.testing.assert_allclose(cache.var, x.var(0), rtol=1e-12)
    np.testing.assert_allclose(cache.mean, x.mean(0), rtol=1e-12)
    np.testing.assert_allclose(cache.xhat, (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5), rtol=1e-12)


def test_batchnorm_backward_matches_finite_differences():
    rng = np.random.default_rng(12)
    x, gamma, beta, dy = _bn_data(rng)
    dx, dgamma, dbeta = batchnorm.backward(x, gamma, dy)
    L = lambda x_=x, g_=gamma, b_=beta: np.vdot(dy, batchnorm.forward(x_, g_, b_))  # noqa: E731
    _dirs_check(lambda t: L(x_=t), x, dx, rng, n=3, eps=1e-5, rtol=1e-6, atol=1e-6, name="dx")
    _entries_check(lambda t: L(x_=t), x, dx, rng, k=8, eps=1e-5, rtol=1e-5, atol=1e-7, name="dx")
    _dirs_check(lambda t: L(g_=t), gamma, dgamma, rng, n=2, eps=1e-3, rtol=1e-9, atol=1e-8, name="dgamma")
    _dirs_check(lambda t: L(b_=t), beta, dbeta, rng, n=2, eps=1e-3, rtol=1e-9, atol=1e-8, name="dbeta")
    xhat = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5)
    assert_gradients_close((dgamma, dbeta), ((dy * xhat).sum(0), dy.sum(0)), rtol=1e-10, atol=1e-10,
                           names=("dgamma", "dbeta"))
    # reusing the forward cache gives the same result
    _, cache = batchnorm.forward_cache(x, gamma, beta)
    assert_gradients_close(batchnorm.backward(x, gamma, dy, cache=cache), (dx, dgamma, dbeta),
                           rtol=1e-12, atol=1e-12, names=("dx", "dgamma", "dbeta"))


def test_batchnorm_backward_respects_eps():
    rng = np.random.default_rng(13)
    x, gamma, beta, dy = _bn_data(rng, 32, 4)
    x *= 0.05  # variance comparable to eps
    dx = batchnorm.backward(x, gamma, dy, eps=1e-2)[0]
    num = numeric_gradient(lambda t: np.vdot(dy, batchnorm.forward(t, gamma, beta, 1e-2)), x, 1e-6)
    assert_gradients_close(dx, num, rtol=1e-6, atol=1e-8, names="dx")
    with pytest.raises(GradientMismatch):
        assert_gradients_close(batchnorm.backward(x, gamma, dy)[0], num, rtol=1e-6, atol=1e-8)


def test_batchnorm_intermediates_match_partial_derivatives():
    """dxhat, dvar, dmean of eq. 3.23 (corrected) against finite differences of L in x̂, σ², μ."""
    rng = np.random.default_rng(14)
    x, gamma, beta, dy = _bn_data(rng, 256, 16)
    eps = 1e-5
    m = x.shape[0]
    it = batchnorm.backward_intermediates(x, gamma, dy, eps)
    mu, var = x.mean(0), x.var(0)
    h = 1e-6

    def L_of_xhat(xhat):
        return np.sum(dy * (gamma * xhat + beta), axis=0)

    def L_of_var(v):  # μ fixed, σ² free (columns are independent: one call perturbs all)
        return L_of_xhat((x - mu) / np.sqrt(v + eps))

    def L_of_mean(u):  # σ² = 1/m Σ (x − μ)² follows μ, as in the notes' ∂L/∂μ line
        v = ((x - u) ** 2).sum(0) / m
        return L_of_xhat((x - u) / np.sqrt(v + eps))

    xhat = (x - mu) / np.sqrt(var + eps)
    assert_gradients_close(it.dxhat, dy * gamma, rtol=1e-14, atol=0, names="dxhat")
    dvar_num = (L_of_var(var + h) - L_of_var(var - h)) / (2 * h)
    dmean_num = (L_of_mean(mu + h) - L_of_mean(mu - h)) / (2 * h)
    assert_gradients_close((it.dvar, it.dmean), (dvar_num, dmean_num), rtol=1e-6, atol=1e-6,
                           names=("dvar", "dmean"))
    # the chain of 3.23 and the compact backward are two independent formulas for dx
    assert_gradients_close(it.dx, batchnorm.backward(x, gamma, dy, eps)[0], rtol=1e-9, atol=1e-9,
                           names="dx")
    assert xhat.shape == it.dxhat.shape


def test_batchnorm_float32_follows_input_dtype():
    rng = np.random.default_rng(15)
    x, gamma, beta, dy = _bn_data(rng, 512, 64)
    f32 = lambda t: t.astype(np.float32)  # noqa: E731
    y32 = batchnorm.forward(f32(x), f32(gamma), f32(beta))
    g32 = batchnorm.backward(f32(x), f32(gamma), f32(dy))
    it32 = batchnorm.backward_intermediates(f32(x), f32(gamma), f32(dy))
    assert y32.dtype == np.float32 and all(g.dtype == np.float32 for g in g32)
    assert all(t.dtype == np.float32 for t in it32)
    assert_gradients_close(y32, batchnorm.forward(x, gamma, beta), rtol=1e-4, atol=1e-4, names="y")
    assert_gradients_close(g32, batchnorm.backward(x, gamma, dy), rtol=1e-3, atol=1e-3,
                           names=("dx", "dgamma", "dbeta"))


def _notes_literal_backward(x, gamma, dy, eps=1e-5):
    """Eq. 3.23 with its penultimate line taken literally: coefficient 2/(2m) = 1/m on ∂L/∂σ²."""
    m = x.shape[0]
    mu = x.mean(0)
    var = ((x - mu) ** 2).mean(0)
    dxhat = dy * gamma
    dvar = -0.5 * np.sum(dxhat * (x - mu), 0) * (var + eps) ** -1.5
    dmean = -np.sum(dxhat, 0) / np.sqrt(var + eps) - dvar * (2 / m) * np.sum(x - mu, 0)
    dx = dxhat / np.sqrt(var + eps) + (2 / (2 * m)) * dvar * (x - mu) + dmean / m
    return dx, np.sum(dy * (x - mu) / np.sqrt(var + eps), 0), dy.sum(0)


def test_notes_literal_batchnorm_backward_is_caught():
    rng = np.random.default_rng(16)
    x, gamma, beta, dy = _bn_data(rng)
    wrong = _notes_literal_backward(x, gamma, dy)
    ref = batchnorm.backward(x, gamma, dy)
    with pytest.raises(GradientMismatch) as info:
        assert_gradients_close(wrong, ref, rtol=1e-6, atol=1e-8, names=("dx", "dgamma", "dbeta"))
    err = info.value
    assert err.name == "dx" and "gradient 'dx'" in str(err)
    assert 0 < err.n_bad <= err.n_total == x.size
    assert str(err).splitlines()[1].startswith(f"  worst entry dx[{err.index[0]}, {err.index[1]}]:")
    # with the correct 2/m the same construction passes
    m = x.shape[0]
    it = batchnorm.backward_intermediates(x, gamma, dy)
    mu = x.mean(0)
    fixed = wrong[0] + (1 / m) * it.dvar * (x - mu)
    assert_gradients_close(fixed, ref[0], rtol=1e-8, atol=1e-10, names="dx")


# ----------------------------------------------------------------------------- probability


def test_moments_numbers():
    m = probability.moments
    assert m("bernoulli", p=0.3) == pytest.approx((0.3, 0.21))
    assert m("binomial", n=10, p=0.5) == (5.0, 2.5)
    assert m("poisson", lam=4.0) == (4.0, 4.0)
    assert m("uniform", a=2.0, b=5.0) == (3.5, 0.75)
    assert m("normal", mu=1.5, sigma2=4.0) == (1.5, 4.0)
    assert m("normal", mu=1.5, sigma=2.0) == (1.5, 4.0)
    assert m("exponential", lam=2.0) == (0.5, 0.25)
    assert m("beta", alpha=2.0, beta=3.0) == pytest.approx((0.4, 0.04))
    assert isinstance(m("bernoulli", p=0.3)[1], float)
    # exact in, exact out
    assert m("uniform", a=2, b=5) == (Fraction(7, 2), Fraction(3, 4))
    assert m("beta", alpha=2, beta=3) == (Fraction(2, 5), Fraction(1, 25))
    assert m("bernoulli", p=Fraction(1, 3)) == (Fraction(1, 3), Fraction(2, 9))
    assert m("poisson", lam=3) == (3, 3) and isinstance(m("poisson", lam=3)[0], int)
    # float32 in, float32 out
    mu, var = m("beta", alpha=np.float32(2), beta=np.float32(3))
    assert mu.dtype == np.float32 and var.dtype == np.float32
    mu, var = m("uniform", a=np.zeros(3, np.float32), b=np.ones(3, np.float32))
    assert var.dtype == np.float32 and var.shape == (3,)


def test_moments_against_sampling():
    """An independent check of the closed forms: sample moments of numpy's generators."""
    rng = np.random.default_rng(17)
    n = 400_000
    cases = [
        (("bernoulli", dict(p=0.3)), rng.binomial(1, 0.3, n)),
        (("binomial", dict(n=12, p=0.4)), rng.binomial(12, 0.4, n)),
        (("poisson", dict(lam=3.5)), rng.poisson(3.5, n)),
        (("uniform", dict(a=-1.0, b=3.0)), rng.uniform(-1, 3, n)),
        (("normal", dict(mu=2.0, sigma=1.5)), rng.normal(2.0, 1.5, n)),
        (("exponential", dict(lam=2.0)), rng.exponential(1 / 2.0, n)),  # numpy takes the scale 1/λ
        (("beta", dict(alpha=2.0, beta=5.0)), rng.beta(2.0, 5.0, n)),
    ]
    for (name, params), s in cases:
        mean, var = probability.moments(name, **params)
        se = np.sqrt(var / n)
        assert abs(s.mean() - mean) < 5 * se + 1e-12, name
        assert abs(s.var() - var) < 0.02 * var, name


def test_moments_symbolic():
    sp = pytest.importorskip("sympy")
    p, lam, a, b, mu, s2, s = sp.symbols("p lambda a b mu sigma2 sigma", positive=True)
    n = sp.Symbol("n", positive=True, integer=True)
    al, be = sp.symbols("alpha beta", positive=True)
    m = probability.moments
    assert m("bernoulli", p=p) == (p, p * (1 - p))
    assert m("binomial", n=n, p=p) == (n * p, n * p * (1 - p))
    assert m("poisson", lam=lam) == (lam, lam)
    assert m("normal", mu=mu, sigma2=s2) == (mu, s2)
    assert m("normal", mu=mu, sigma=s) == (mu, s**2)
    known = {
        "uniform": (dict(a=a, b=b), ((a + b) / 2, (b - a) ** 2 / 12)),
        "exponential": (dict(lam=lam), (1 / lam, lam**-2)),
        "beta": (dict(alpha=al, beta=be), (al / (al + be), al * be / ((al + be) ** 2 * (al + be + 1)))),
    }
    for name, (params, (em, ev)) in known.items():
        mean, var = m(name, **params)
        assert isinstance(mean, sp.Basic) and isinstance(var, sp.Basic)
        assert sp.simplify(mean - em) == 0 and sp.simplify(var - ev) == 0, name
    # integers mixed with a symbol stay exact
    assert m("uniform", a=0, b=b) == (b / 2, b**2 / 12)
    assert m("beta", alpha=sp.Integer(2), beta=3) == (sp.Rational(2, 5), sp.Rational(1, 25))


def test_moments_on_numbers_never_imports_sympy(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "sympy", None)  # any `import sympy` now raises ImportError
    assert probability.moments("beta", alpha=2.0, beta=3.0) == pytest.approx((0.4, 0.04))
    assert probability.moments("uniform", a=1, b=2) == (Fraction(3, 2), Fraction(1, 12))


def test_moments_errors():
    with pytest.raises(ValueError, match="accepted: bernoulli"):
        probability.moments("gauss", mu=0.0, sigma=1.0)
    with pytest.raises(ValueError, match=r"\(mu, sigma2\) or \(mu, sigma\)"):
        probability.moments("normal", mean=0.0, sd=1.0)
    with pytest.raises(ValueError, match=r"\(n, p\)"):
        probability.moments("binomial", p=0.5)
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\]"):
        probability.moments("bernoulli", p=1.5)
    with pytest.raises(ValueError, match="a < b"):
        probability.moments("uniform", a=2.0, b=1.0)
    with pytest.raises(ValueError, match="non-negative integer"):
        probability.moments("binomial", n=2.5, p=0.5)


# ----------------------------------------------------------------------------- verifier.testing


def test_assert_gradients_close_passes_on_equal_and_close_arrays():
    rng = np.random.default_rng(18)
    a = rng.standard_normal((5, 4))
    assert_gradients_close(a, a.copy(), rtol=0, atol=0)
    assert_gradients_close((a, a[0]), [a * (1 + 1e-9), a[0]], rtol=1e-8, atol=0)
    nan = np.array([1.0, np.nan, np.inf])
    assert_gradients_close(nan, nan.copy(), rtol=1e-6, atol=1e-8)
    assert_gradients_close(np.float64(2.0), 2.0, rtol=0, atol=0)


def test_assert_gradients_close_message_text():
    expected = np.full((4, 8), 0.03125)
    actual = expected.copy()
    actual[2, 5] = 0.015625
    actual[0, 1] = 0.03124
    with pytest.raises(GradientMismatch) as info:
        assert_gradients_close(actual, expected, rtol=1e-6, atol=1e-8, names="dx")
    assert str(info.value) == (
        "gradient 'dx' differs from the reference at 2 of 32 entries (rtol=1e-06, atol=1e-08)\n"
        "  worst entry dx[2, 5]: expected 0.0312, got 0.0156\n"
        "  absolute error 0.0156, relative error 0.5\n"
        "  (criterion: |actual - expected| <= atol + rtol * |expected|, as numpy.isclose)"
    )
    e = info.value
    assert isinstance(e, AssertionError)
    assert (e.name, e.index, e.expected, e.actual) == ("dx", (2, 5), 0.03125, 0.015625)
    assert (e.abs_err, e.rel_err, e.n_bad, e.n_total) == (0.015625, 0.5, 2, 32)


def test_assert_gradients_close_failures():
    a = np.ones((3, 2))
    with pytest.raises(GradientMismatch, match=r"'array' has shape \(2, 3\) but the reference has shape \(3, 2\)"):
        assert_gradients_close(a.T, a, rtol=1e-6, atol=0)
    with pytest.raises(GradientMismatch, match="got 2 gradients but the reference has 3"):
        assert_gradients_close((a, a), (a, a, a), rtol=1e-6, atol=0)
    with pytest.raises(GradientMismatch, match="a single array but the reference is a sequence of 2"):
        assert_gradients_close(a, (a, a), rtol=1e-6, atol=0)
    b = a.copy()
    b[1, 1] = np.nan
    with pytest.raises(GradientMismatch, match=r"at 1 of 6 entries.*\n.*array 1\[1, 1\]: expected 1, got nan"):
        assert_gradients_close((a, b), (a, a), rtol=1e-6, atol=1e-8)
    # close digits are shown with enough precision to tell them apart
    with pytest.raises(GradientMismatch, match="expected 1, got 1.00001"):
        assert_gradients_close(a + 1e-5, a, rtol=1e-6, atol=0)
    with pytest.raises(TypeError):
        assert_gradients_close(a, a)  # rtol and atol are required
    with pytest.raises(ValueError):
        assert_gradients_close(a, a, rtol=-1, atol=0)


def test_numeric_gradient_and_gradcheck():
    rng = np.random.default_rng(19)
    x = rng.standard_normal((3, 4))
    f = lambda t: np.sum(np.sin(t) * t)  # noqa: E731
    g = np.cos(x) * x + np.sin(x)
    assert_gradients_close(numeric_gradient(f, x), g, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(numeric_gradient(f, x, indices=[0, 5]), g.ravel()[[0, 5]], rtol=1e-7)
    fb = lambda s: np.sum(np.sin(s) * s, axis=(1, 2))  # noqa: E731  (a stack of inputs)
    assert_gradients_close(numeric_gradient(fb, x, batched=True, chunk=5), g, rtol=1e-7, atol=1e-9)
    x32 = x.astype(np.float32)
    assert numeric_gradient(f, x32).dtype == np.float64
    np.testing.assert_array_equal(x32, x.astype(np.float32))  # input untouched
    gradcheck(f, x, g, rtol=1e-7, atol=1e-9)
    gradcheck(f, x, g, rtol=1e-7, atol=1e-9, n_directions=3)
    with pytest.raises(GradientMismatch, match="'gradient'"):
        gradcheck(f, x, np.cos(x) * x, rtol=1e-6, atol=1e-8)
    with pytest.raises(GradientMismatch, match="<gradient, v>"):
        gradcheck(f, x, np.cos(x) * x, rtol=1e-6, atol=1e-8, n_directions=2)
    # several inputs: f(*inputs), one analytic gradient per input
    y = rng.standard_normal((3, 4))
    h = lambda s, t: np.sum(s * t**2)  # noqa: E731
    gradcheck(h, (x, y), (y**2, 2 * x * y), rtol=1e-7, atol=1e-9, names=("ds", "dt"))
    with pytest.raises(GradientMismatch, match="'dt'"):
        gradcheck(h, (x, y), (y**2, x * y), rtol=1e-7, atol=1e-9, names=("ds", "dt"), n_directions=None)


def test_gradient_mismatch_pickles_with_its_fields():
    import pickle

    with pytest.raises(GradientMismatch) as info:
        assert_gradients_close(np.array([1.0, 2.0]), np.array([1.0, 3.0]), rtol=0, atol=0, names="g")
    e = pickle.loads(pickle.dumps(info.value))
    assert (str(e), e.name, e.index, e.n_bad) == (str(info.value), "g", (1,), 1)


def test_testing_helpers_and_plugin_import_without_sympy():
    """verifier/testing.py and the pytest plugin, loaded on their own, import only numpy and pytest:
    a user's test suite pays for SymPy only when it verifies claims."""
    import subprocess
    import sys

    code = (
        "import sys, importlib.util\n"
        "mods = {}\n"
        "for path in ['verifier/testing.py', 'verifier/pytest_plugin.py']:\n"
        "    spec = importlib.util.spec_from_file_location('_m' + str(len(mods)), path)\n"
        "    mods[path] = importlib.util.module_from_spec(spec)\n"
        "    spec.loader.exec_module(mods[path])\n"
        "print('sympy' in sys.modules)\n"
    )
    root = __file__.rsplit("/tests/", 1)[0]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == "False"
