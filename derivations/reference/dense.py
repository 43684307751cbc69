"""A dense network by the notes' conventions (section 3.1): forward pass, loss, errors, gradients.

``weights[l]`` has shape ``(n_l, n_{l-1})`` and its entry ``w_jk`` connects unit k of layer l-1
to unit j of layer l; ``biases[l]`` has shape ``(n_l,)``;  z^l = w^l a^{l-1} + b^l,
a^l = σ(z^l) on every layer including the last;  L = ½‖a^L − y‖², summed over the batch.
Vectorized, float64 or float32 (the inputs' float type).
"""
from __future__ import annotations

from typing import Callable, NamedTuple, Sequence

import numpy as np

from .common import float_dtype, sigmoid, sigmoid_prime

__all__ = [
    "ACTIVATIONS",
    "Forward",
    "forward",
    "loss",
    "deltas",
    "gradients",
]


def _tanh_prime(z: np.ndarray) -> np.ndarray:
    """tanh'(z) = 1 − tanh²(z)."""
    t = np.tanh(z)
    return 1.0 - t * t


def _identity(z: np.ndarray) -> np.ndarray:
    """id(z) = z."""
    return np.array(z, copy=True)


def _identity_prime(z: np.ndarray) -> np.ndarray:
    """id'(z) = 1."""
    return np.ones_like(z)


def _relu(z: np.ndarray) -> np.ndarray:
    """relu(z) = max(z, 0)."""
    return np.maximum(z, 0)


def _relu_prime(z: np.ndarray) -> np.ndarray:
    """relu'(z) = 1 if z > 0 else 0 (0 at the kink)."""
    return (z > 0).astype(z.dtype)


#: name -> (σ, σ'), both elementwise numpy functions preserving dtype.
ACTIVATIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]] = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (np.tanh, _tanh_prime),
    "identity": (_identity, _identity_prime),
    "relu": (_relu, _relu_prime),
}


class Forward(NamedTuple):
    """Result of :func:`forward`: ``zs[l-1]`` = z^l (l = 1..L), ``activations[l]`` = a^l (a^0 = x)."""

    zs: list[np.ndarray]
    activations: list[np.ndarray]


def _activation(name: str):
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation {name!r}; allowed: {', '.join(sorted(ACTIVATIONS))}"
        ) from None


def _prepare(weights, biases, x, y=None):
    """Validate shapes, cast to one float dtype; x (and y) promoted to 2-D (batch, n)."""
    if len(weights) != len(biases):
        raise ValueError(f"got {len(weights)} weight matrices but {len(biases)} bias vectors")
    if len(weights) == 0:
        raise ValueError("the network needs at least one layer")
    ws = [np.asarray(w) for w in weights]
    bs = [np.asarray(b) for b in biases]
    xa = np.asarray(x)
    ya = None if y is None else np.asarray(y)
    dt = float_dtype(*ws, *bs, xa, *(() if ya is None else (ya,)))
    ws = [w.astype(dt, copy=False) for w in ws]
    bs = [b.astype(dt, copy=False) for b in bs]
    if xa.ndim not in (1, 2):
        raise ValueError(f"x must have shape (n_0,) or (batch, n_0), got {xa.shape}")
    single = xa.ndim == 1
    xa = xa.astype(dt, copy=False)
    if single:
        xa = xa[None, :]
    n_prev = xa.shape[1]
    for l, (w, b) in enumerate(zip(ws, bs), start=1):
        if w.ndim != 2 or w.shape[1] != n_prev:
            raise ValueError(
                f"weights[{l - 1}] (layer {l}) must have shape (n_{l}, {n_prev}), got {w.shape}"
            )
        if b.shape != (w.shape[0],):
            raise ValueError(
                f"biases[{l - 1}] (layer {l}) must have shape ({w.shape[0]},), got {b.shape}"
            )
        n_prev = w.shape[0]
    if ya is not None:
        want = (n_prev,) if single else (xa.shape[0], n_prev)
        if ya.shape != want:
            raise ValueError(f"y must have shape {want} to match x {np.shape(x)}, got {ya.shape}")
        ya = ya.astype(dt, copy=False)
        if single:
            ya = ya[None, :]
    return ws, bs, xa, ya, single


def _forward2d(ws, bs, x2, f):
    zs, acts = [], [x2]
    a = x2
    for w, b in zip(ws, bs):
        z = a @ w.T  # row-batched form of z = w a + b
        z += b
        zs.append(z)
        a = f(z)
        acts.append(a)
    return zs, acts


def forward(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    x: np.ndarray,
    activation: str = "sigmoid",
) -> Forward:
    """Forward pass z^l = w^l a^{l-1} + b^l, a^l = σ(z^l) (eq. 3.2); returns (zs, activations), activations[0] = x."""
    f, _ = _activation(activation)
    ws, bs, x2, _, single = _prepare(weights, biases, x)
    zs, acts = _forward2d(ws, bs, x2, f)
    if single:
        zs = [z[0] for z in zs]
        acts = [a[0] for a in acts]
    return Forward(zs, acts)


def loss(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    activation: str = "sigmoid",
) -> np.floating:
    """L = ½ Σ_batch ‖a^L − y‖² (a scalar of the input dtype)."""
    f, _ = _activation(activation)
    ws, bs, x2, y2, _ = _prepare(weights, biases, x, y)
    _, acts = _forward2d(ws, bs, x2, f)
    r = acts[-1] - y2
    return 0.5 * np.vdot(r, r)


def _backward2d(ws, zs, acts, y2, fprime):
    """BP1 and BP2, row-batched: returns [δ^1, ..., δ^L], each (batch, n_l)."""
    L = len(ws)
    ds = [None] * L
    d = acts[-1] - y2  # ∇_{a^L} L for L = ½‖a^L − y‖²
    d *= fprime(zs[-1])  # BP1: δ^L = ∇_a L ⊙ σ'(z^L)
    ds[-1] = d
    for l in range(L - 2, -1, -1):
        d = d @ ws[l + 1]  # ((w^{l+1})^T δ^{l+1}) per row
        d *= fprime(zs[l])  # BP2: ⊙ σ'(z^l)
        ds[l] = d
    return ds


def deltas(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    activation: str = "sigmoid",
) -> list[np.ndarray]:
    """Errors δ^l = ∂L/∂z^l (eq. 3.3) by BP1/BP2; list for l = 1..L, shaped like z^l (per example)."""
    f, fprime = _activation(activation)
    ws, bs, x2, y2, single = _prepare(weights, biases, x, y)
    zs, acts = _forward2d(ws, bs, x2, f)
    ds = _backward2d(ws, zs, acts, y2, fprime)
    return [d[0] for d in ds] if single else ds


def gradients(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    activation: str = "sigmoid",
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(∂L/∂w^l, ∂L/∂b^l) for all l by BP1–BP4: ∂L/∂w^l = δ^l (a^{l-1})^T, ∂L/∂b^l = δ^l, summed over the batch."""
    f, fprime = _activation(activation)
    ws, bs, x2, y2, _ = _prepare(weights, biases, x, y)
    zs, acts = _forward2d(ws, bs, x2, f)
    ds = _backward2d(ws, zs, acts, y2, fprime)
    dws = [d.T @ a for d, a in zip(ds, acts[:-1])]  # BP3: Σ_batch δ^l (a^{l-1})^T
    dbs = [d.sum(axis=0) for d in ds]  # BP4: Σ_batch δ^l
    return dws, dbs

