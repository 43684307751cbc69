"""The numeric tier of sections 3.1 and 3.2.1: the dense-network oracle against central finite
differences of its loss, at realistic sizes (the claims are declared in derivations/backprop.py).
"""
from __future__ import annotations

import numpy as np

from ..reference.dense import ACTIVATIONS, deltas, forward, gradients, loss

# The oracle (`forward`, `loss`, `deltas`, `gradients`) implements 3.2 and BP1–BP4 in matrix form
# (3.8, with L = ½ Σ_batch ‖a^L − y‖²). Here it meets central differences of the loss at
# 300→200→100, batch 8, float64, everything vectorized: a stack of perturbed parameter sets goes
# through one batched forward pass (`forward_stack`, itself checked against `forward` in
# 3.2:oracle), so no Python loop runs over entries or directions.
# Step and tolerances: with h the step along a unit direction, the central difference is off by
# truncation h²|L'''|/6 plus round-off ≈ ε|L|/h (ε = 2.2e-16; |L| ≤ 250 here; the sum over the
# 800 outputs costs a few ε more). h = 1e-5 balances them (measured worst errors: 3e-9 absolute for
# sigmoid, 2e-8 for tanh, both directional and per entry; h = 1e-6 is 10× worse, round-off-bound),
# so atol = 1e-7 and rtol = 1e-5 leave a 5× margin. A wrong formula (a missing σ', a transposed
# w) is off by the size of the gradient itself (1e-3 … 1), far beyond the 1000× margin the engine
# needs to call a line refuted.
NUM_SIZES = (300, 200, 100)
BATCH = 8
STEP = 1e-5
RTOL, ATOL = 1e-5, 1e-7
DIRECTIONS = 16  # random unit directions per directional check
ENTRIES = 16  # random entries per parameter array per entry check


def net_data(rng: np.random.Generator, activation: str, sizes=NUM_SIZES, batch: int = BATCH) -> dict:
    """Weights ~ N(0, 1/n_in), biases ~ N(0, 0.01), x ~ N(0, 1), targets in σ's range."""
    ws = [rng.standard_normal((n, m)) / np.sqrt(m) for m, n in zip(sizes, sizes[1:])]
    bs = [0.1 * rng.standard_normal(n) for n in sizes[1:]]
    x = rng.standard_normal((batch, sizes[0]))
    lo = 0.0 if activation == "sigmoid" else -1.0
    y = rng.uniform(lo, 1.0, (batch, sizes[-1]))
    return {"weights": ws, "biases": bs, "x": x, "y": y, "activation": activation}


def forward_stack(weights, biases, x, activation, start: int = 0, z_start=None):
    """z^l and a^l for a stack of m parameter sets at once.

    weights[l] is (n_{l+1}, n_l) (shared) or (m, n_{l+1}, n_l); biases likewise with (n,) or (m, n);
    x is (batch, n_0). With z_start (m, batch, n_start) the pass starts at layer `start` + 1's
    weighted input instead (layers below are skipped). Returns lists of (m, batch, n) arrays.
    """
    f, _ = ACTIVATIONS[activation]
    zs, acts = [], []
    if z_start is None:
        a = np.asarray(x, dtype=np.float64)[None]
        layers = range(len(weights))
    else:
        zs.append(z_start)
        a = f(z_start)
        acts.append(a)
        layers = range(start + 1, len(weights))
    for l in layers:
        w, b = weights[l], biases[l]
        w = w if w.ndim == 3 else w[None]
        b = b if b.ndim == 2 else b[None]
        z = a @ np.swapaxes(w, -1, -2) + b[:, None, :]
        a = f(z)
        zs.append(z)
        acts.append(a)
    return zs, acts


def stack_loss(acts, y) -> np.ndarray:
    r = acts[-1] - y
    return 0.5 * np.einsum("mbi,mbi->m", r, r)


def perturbed(params, directions, h):
    """params ± h·v for every direction: two lists of (m, *shape) stacks."""
    return ([p[None] + h * v for p, v in zip(params, directions)],
            [p[None] - h * v for p, v in zip(params, directions)])


def unit_directions(rng: np.random.Generator, shapes, m: int) -> list[np.ndarray]:
    """m random directions in the space of all parameters together, each of unit norm."""
    vs = [rng.standard_normal((m, *s)) for s in shapes]
    norm = np.sqrt(sum((v.reshape(m, -1) ** 2).sum(axis=1) for v in vs))
    return [v / norm.reshape((m,) + (1,) * (v.ndim - 1)) for v in vs]


# 3.2 (and 3.1): the oracle's forward pass against the element form and against forward_stack.
def forward_oracle(weights, biases, x, y, activation, **_):
    fw = forward(weights, biases, x, activation)
    out = [v for pair in zip(fw.zs, fw.activations[1:]) for v in pair]
    return (*out, np.asarray(loss(weights, biases, x, y, activation)))


def forward_element_form(weights, biases, x, y, activation, **_):
    f, _ = ACTIVATIONS[activation]
    a, out = x, []
    for w, b in zip(weights, biases):
        z = np.einsum("jk,bk->bj", w, a) + b  # z^l_j = Σ_k w^l_jk a^{l-1}_k + b^l_j (3.1)
        a = f(z)
        out += [z, a]
    return (*out, np.asarray(0.5 * np.sum((a - y) ** 2)))


def forward_stacked(weights, biases, x, y, activation, **_):
    zs, acts = forward_stack(weights, biases, x, activation)
    out = [v[0] for pair in zip(zs, acts) for v in pair]
    return (*out, stack_loss(acts, y)[0])


# 3.3: δ^l = ∂L/∂z^l — `deltas` against central differences in z^l, along random unit directions.
def deltas_oracle(weights, biases, x, y, activation, zdirs, **_):
    ds = deltas(weights, biases, x, y, activation)
    return tuple(np.einsum("mbj,bj->m", v, d) for v, d in zip(zdirs, ds))


def deltas_fd(weights, biases, x, y, activation, zdirs, **_):
    zs = forward(weights, biases, x, activation).zs
    out = []
    for l, (z, v) in enumerate(zip(zs, zdirs)):  # one batched pass per layer
        lp = stack_loss(forward_stack(weights, biases, x, activation, l, z[None] + STEP * v)[1], y)
        lm = stack_loss(forward_stack(weights, biases, x, activation, l, z[None] - STEP * v)[1], y)
        out.append((lp - lm) / (2 * STEP))
    return tuple(out)


# 3.8: `gradients` against central differences of the loss — along random unit directions …
def grad_directional(weights, biases, x, y, activation, directions, **_):
    dw, db = gradients(weights, biases, x, y, activation)
    return sum(v.reshape(len(v), -1) @ g.ravel() for v, g in zip(directions, (*dw, *db)))


def fd_directional(weights, biases, x, y, activation, directions, **_):
    n = len(weights)
    plus, minus = perturbed((*weights, *biases), directions, STEP)
    lp = stack_loss(forward_stack(plus[:n], plus[n:], x, activation)[1], y)
    lm = stack_loss(forward_stack(minus[:n], minus[n:], x, activation)[1], y)
    return (lp - lm) / (2 * STEP)


# … and entry by entry on a random subset (a mismatch names its array and (j, k)).
def grad_entries(weights, biases, x, y, activation, entries, **_):
    dw, db = gradients(weights, biases, x, y, activation)
    out = []
    for g, idx in zip((*dw, *db), entries):
        masked = np.zeros_like(g)
        masked.flat[idx] = g.flat[idx]
        out.append(masked)
    return tuple(out)


def fd_entries(weights, biases, x, y, activation, entries, **_):
    n = len(weights)
    params = [np.asarray(p, dtype=np.float64) for p in (*weights, *biases)]
    out = []
    for i, (p, idx) in enumerate(zip(params, entries)):  # one batched pass per parameter array
        basis = np.zeros((idx.size, p.size))
        basis[np.arange(idx.size), idx] = 1.0
        values = []
        for sign in (1.0, -1.0):
            stack = p.reshape(1, -1) + sign * STEP * basis
            ps = list(params)
            ps[i] = stack.reshape((idx.size, *p.shape))
            values.append(stack_loss(forward_stack(ps[:n], ps[n:], x, activation)[1], y))
        fd = np.zeros_like(p)
        fd.flat[idx] = (values[0] - values[1]) / (2 * STEP)
        out.append(fd)
    return tuple(out)


def inputs_forward(rng):
    return net_data(rng, "sigmoid")


def inputs_deltas(activation):
    def draw(rng):
        data = net_data(rng, activation)
        shapes = [(BATCH, n) for n in NUM_SIZES[1:]]
        data["zdirs"] = [unit_directions(rng, [s], DIRECTIONS)[0] for s in shapes]
        return data
    return draw


def inputs_directional(activation):
    def draw(rng):
        data = net_data(rng, activation)
        shapes = [w.shape for w in data["weights"]] + [b.shape for b in data["biases"]]
        data["directions"] = unit_directions(rng, shapes, DIRECTIONS)
        return data
    return draw


def inputs_entries(activation):
    def draw(rng):
        data = net_data(rng, activation)
        arrays = (*data["weights"], *data["biases"])
        data["entries"] = [rng.choice(a.size, size=min(ENTRIES, a.size), replace=False) for a in arrays]
        return data
    return draw
