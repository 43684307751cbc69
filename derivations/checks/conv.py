"""The numeric tier of section 3.2.2: the conv-layer reference implementation against an
independent, vectorized evaluation of eq. 3.9 and central finite differences of a loss, at 64×64
maps with 5×5 kernels (the claims are declared in derivations/conv.py).
"""
from __future__ import annotations

import numpy as np

from ..reference.common import sigmoid, sigmoid_prime
from ..reference.conv import backward, convolve_full, forward, rot180


# Independent evaluation of eq. 3.9 for whole maps at once (loops over the r·c kernel offsets
# only, never over entries); leading axes of a, w and b broadcast, so one call evaluates a batch
# of perturbed inputs or kernels for the finite differences.
def eq39_np(a: np.ndarray, w: np.ndarray, b) -> np.ndarray:
    """z = Σ_{p,q} w[..., p, q] · a[..., p : p+H', q : q+W'] + b  (eq. 3.9, 0-based; single channel)."""
    r, c = w.shape[-2:]
    h, wd = a.shape[-2] - r + 1, a.shape[-1] - c + 1
    z = np.asarray(b, dtype=float)[..., None, None]
    for p in range(r):
        for q in range(c):
            z = z + w[..., p, q, None, None] * a[..., p : p + h, q : q + wd]
    return z


def eq39_channels_np(a: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """z[..., n, o] = Σ_c Σ_{p,q} w[..., o, c, p, q] a[..., n, c, p : p+H', q : q+W'] + b[..., o]."""
    r, c = w.shape[-2:]
    h, wd = a.shape[-2] - r + 1, a.shape[-1] - c + 1
    z = 0.0
    for p in range(r):
        for q in range(c):
            window = np.moveaxis(a[..., p : p + h, q : q + wd], -3, -1)  # (..., N, H', W', C_in)
            z = z + window @ np.swapaxes(w[..., p, q], -1, -2)[..., None, None, :, :]
    return np.moveaxis(z, -1, -3) + np.asarray(b)[..., None, :, None, None]


def logcosh(z: np.ndarray) -> np.ndarray:
    """log cosh z (stable): the loss per entry; its derivative is tanh z."""
    return np.logaddexp(z, -z) - np.log(2.0)


STEP = 3e-5  # central-difference step (see the tolerances below)
CHUNK = 8  # perturbed copies evaluated per call (bounds memory; the loop is over chunks, not entries)


def central(f, x: np.ndarray, dirs: np.ndarray) -> np.ndarray:
    """(f(x + h·d) − f(x − h·d)) / 2h for every direction d in `dirs` (leading axis), vectorized."""
    out = np.empty(len(dirs))
    for s in range(0, len(dirs), CHUNK):
        d = dirs[s : s + CHUNK]
        vals = f(np.concatenate([x + STEP * d, x - STEP * d]))
        out[s : s + CHUNK] = (vals[: len(d)] - vals[len(d) :]) / (2 * STEP)
    return out


def random_probes(rng: np.random.Generator, shape: tuple, k: int, s: int) -> tuple[np.ndarray, tuple]:
    """k random unit directions and s random entries (as unit vectors), and those entries' indices."""
    dirs = rng.normal(size=(k, *shape))
    dirs /= np.sqrt((dirs**2).reshape(k, -1).sum(axis=1)).reshape(k, *([1] * len(shape)))
    flat = rng.choice(int(np.prod(shape)), size=s, replace=False)
    idx = np.unravel_index(flat, shape)
    units = np.zeros((s, *shape))
    units[(np.arange(s), *idx)] = 1.0
    return np.concatenate([dirs, units]), idx


def project(g: np.ndarray, probes: np.ndarray) -> np.ndarray:
    """⟨g, d⟩ for every probe direction d: what the central differences estimate."""
    return probes.reshape(len(probes), -1) @ g.reshape(-1)


# Tolerances. Evaluating L (≤ 57,600 log-cosh terms of size O(1), L ≲ 3e4) loses ≈ 5e-12, so a
# difference quotient with 2h = 6e-5 carries ≲ 1e-7 of round-off. Truncation is h²/6·|L'''| along
# the probe: O(1)·1.5e-10 for unit directions in a or w; for b, which moves every z entry at once,
# |L'''| = |Σ tanh''(z)| ≤ 0.77·57,600, a worst case of 7e-6. Measured over five seeds: worst
# absolute error 4.4e-7 (about 1e-9 relative on ∂L/∂w, ∂L/∂b of size 1e2–1e3). atol = 1e-5
# covers even that worst case; rtol = 1e-6. A wrong formula (σ' dropped, kernel not flipped,
# w transposed) is off by O(1) relative, far beyond 1000× tolerance: refuted.
RTOL, ATOL = 1e-6, 1e-5


def single_inputs(rng: np.random.Generator) -> dict:
    a = rng.normal(size=(64, 64))
    w = rng.normal(size=(5, 5)) / 5.0
    return {"a": a, "w": w, "b": rng.normal(), "probes": random_probes(rng, a.shape, 16, 48)[0]}


def batched_inputs(rng: np.random.Generator) -> dict:
    a = rng.normal(size=(2, 8, 64, 64))
    w = rng.normal(size=(8, 8, 5, 5)) / np.sqrt(8 * 25)
    return {"a": a, "w": w, "b": rng.normal(size=8),
            "probes_a": random_probes(rng, a.shape, 4, 12)[0], "probes_w": random_probes(rng, w.shape, 4, 12)[0]}


def forward_inputs(rng: np.random.Generator) -> dict:
    """The single-channel draw without its probes: 3.9 compares whole maps."""
    return {k: v for k, v in single_inputs(rng).items() if k != "probes"}


def batched_forward_inputs(rng: np.random.Generator) -> dict:
    """The batched draw without its probes."""
    return {k: v for k, v in batched_inputs(rng).items() if not k.startswith("probes")}


def forward_eq39(a, w, b, **_):
    return eq39_np(a, w, b)


def forward_reference(a, w, b, **_):
    return forward(a, w, b)


def forward_eq39_channels(a, w, b, **_):
    return eq39_channels_np(a, w, b)


# 3.14 at 64×64: z^l → a^l = σ(z^l) (sigmoid) → z^{l+1} = a^l ⋆ w + b → L = Σ log cosh z^{l+1},
# so δ^{l+1} = tanh z^{l+1}; central differences of L in z^l against eq. 3.14.
def loss_314(z, w, b):
    return logcosh(eq39_np(sigmoid(z), w, b)).sum(axis=(-2, -1))


def fd_314(a, w, b, probes):
    return central(lambda z: loss_314(z, w, b), a, probes)


def formula_314(a, w, b, probes):
    delta_next = np.tanh(forward(sigmoid(a), w, b))
    delta = convolve_full(delta_next, rot180(w)) * sigmoid_prime(a)  # (δ^{l+1} * rot180(w)) ⊗ σ'(z^l)
    return project(delta, probes)


# 3.15 / CONV-BP3 / CONV-BP4 through the reference backward(): L(a, w, b) = Σ log cosh z, δ = tanh z.
def fd_315(a, w, b, probes):
    lw = lambda ws: logcosh(eq39_np(a, ws, b)).sum(axis=(-2, -1))  # noqa: E731
    lb = lambda bs: logcosh(eq39_np(a, w, bs)).sum(axis=(-2, -1))  # noqa: E731
    la = lambda xs: logcosh(eq39_np(xs, w, b)).sum(axis=(-2, -1))  # noqa: E731
    units_w = np.eye(w.size).reshape(w.size, *w.shape)  # every entry of the 5×5 kernel
    dw = central(lw, w, units_w).reshape(w.shape)
    db = central(lb, np.asarray(b, dtype=float), np.ones((1,)))[0]
    return dw, db, central(la, a, probes)


def backward_315(a, w, b, probes):
    da, dw, db = backward(a, w, np.tanh(forward(a, w, b)))
    return dw, db, project(da, probes)


def fd_315_batched(a, w, b, probes_a, probes_w):
    loss = lambda x, ws, bs: logcosh(eq39_channels_np(x, ws, bs)).sum(axis=(-4, -3, -2, -1))  # noqa: E731
    db = central(lambda bs: loss(a, w, bs), b, np.eye(b.size))
    dw = central(lambda ws: loss(a, ws, b), w, probes_w)
    da = central(lambda xs: loss(xs, w, b), a, probes_a)
    return db, dw, da


def backward_315_batched(a, w, b, probes_a, probes_w):
    da, dw, db = backward(a, w, np.tanh(forward(a, w, b)))
    return db, project(dw, probes_w), project(da, probes_a)
