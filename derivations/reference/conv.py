"""A convolutional layer, forward and backward (notes, section 3.2.2).

z = a ⋆ w + b with ⋆ the VALID cross-correlation of eq. 3.9, stride 1:
z_ij = Σ_p Σ_q a_{i+p-1, j+q-1} w_pq + b   (1-based; 0-based: a[i+p, j+q]).
Given delta = ∂L/∂z:  ∂L/∂a = full-mode ⋆ of delta with rot180(w) (eq. 3.14 without
the σ' factor),  ∂L/∂w_pq = Σ_ij delta_ij a_{i+p-1, j+q-1} (CONV-BP3),
∂L/∂b = Σ_ij delta_ij (CONV-BP4).

Two layouts, chosen by ``a.ndim``:
  2-D (single channel, as in the notes): a (H, W), w (kh, kw), b scalar -> z (H-kh+1, W-kw+1);
  4-D (deep-learning layout): a (N, C_in, H, W), w (C_out, C_in, kh, kw), b (C_out,)
  -> z (N, C_out, H-kh+1, W-kw+1), summing over input channels.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .common import float_dtype

__all__ = [
    "rot180",
    "cross_correlate_valid",
    "convolve_full",
    "forward",
    "backward",
]

# Largest im2col buffer built at once (bytes); bigger batches are processed in chunks.
_IM2COL_BUDGET = 16 << 20


def _as_float(*arrays):
    dt = float_dtype(*arrays)
    return [np.asarray(x).astype(dt, copy=False) for x in arrays]


def rot180(k: np.ndarray) -> np.ndarray:
    """rot180(k)_pq = k_{r+1-p, c+1-q}: the kernel flipped along its last two axes (a copy)."""
    k = np.asarray(k)
    if k.ndim < 2:
        raise ValueError(f"rot180 needs an array with at least 2 dimensions, got shape {k.shape}")
    return np.flip(k, axis=(-2, -1)).copy()


def _check_2d(name: str, x: np.ndarray) -> None:
    if x.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array, got shape {x.shape}")


def cross_correlate_valid(a: np.ndarray, k: np.ndarray) -> np.ndarray:
    """(a ⋆ k)_ij = Σ_p Σ_q a_{i+p-1, j+q-1} k_pq, valid mode: shape (H-r+1, W-c+1) (eq. 3.9 without b)."""
    a, k = _as_float(a, k)
    _check_2d("a", a)
    _check_2d("k", k)
    if k.shape[0] > a.shape[0] or k.shape[1] > a.shape[1]:
        raise ValueError(f"kernel of shape {k.shape} is larger than the input of shape {a.shape}")
    return np.tensordot(sliding_window_view(a, k.shape), k, axes=2)


def convolve_full(d: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Full-mode ⋆ (the notes' '*', a cross-correlation): d zero-padded by (r-1, c-1) on each side, then ⋆ k.

    Shape (H+r-1, W+c-1); equals scipy.signal.correlate2d(d, k, 'full').  Eq. 3.14's
    δ * rot180(w) is ``convolve_full(delta, rot180(w))`` (= the true full convolution of delta with w).
    """
    d, k = _as_float(d, k)
    _check_2d("d", d)
    _check_2d("k", k)
    r, c = k.shape
    dp = np.pad(d, ((r - 1, r - 1), (c - 1, c - 1)))
    return np.tensordot(sliding_window_view(dp, k.shape), k, axes=2)


def _scalar_bias(b, dtype) -> np.ndarray:
    b = np.asarray(b)
    if b.ndim != 0 and b.shape != (1,):
        raise ValueError(f"b must be a scalar for the single-channel layout, got shape {b.shape}")
    return b.reshape(()).astype(dtype, copy=False)


def _check_batched(a: np.ndarray, w: np.ndarray) -> None:
    if a.ndim != 4:
        raise ValueError(f"a must have shape (N, C_in, H, W), got {a.shape}")
    if w.ndim != 4:
        raise ValueError(f"w must have shape (C_out, C_in, kh, kw) when a is 4-D, got {w.shape}")
    if w.shape[1] != a.shape[1]:
        raise ValueError(
            f"w has {w.shape[1]} input channels (shape {w.shape}) but a has {a.shape[1]} (shape {a.shape})"
        )
    if w.shape[2] > a.shape[2] or w.shape[3] > a.shape[3]:
        raise ValueError(f"kernel {w.shape[2:]} is larger than the input {a.shape[2:]}")


def _correlate_batched(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """z[n,o] = Σ_c x[n,c] ⋆ w[o,c] (valid): im2col per chunk of the batch + one matmul."""
    n, c, hx, wx = x.shape
    o, _, kh, kw = w.shape
    ho, wo = hx - kh + 1, wx - kw + 1
    k, p = c * kh * kw, ho * wo
    w2 = np.ascontiguousarray(w).reshape(o, k)
    z = np.empty((n, o, p), dtype=x.dtype)
    chunk = max(1, min(n, _IM2COL_BUDGET // max(1, k * p * x.itemsize)))
    cols = np.empty((chunk, c, kh, kw, ho, wo), dtype=x.dtype)
    windows = sliding_window_view(x, (kh, kw), axis=(2, 3)).transpose(0, 1, 4, 5, 2, 3)
    for s in range(0, n, chunk):  # loop over chunks of the batch, not over entries
        e = min(n, s + chunk)
        m = e - s
        np.copyto(cols[:m], windows[s:e])
        np.matmul(w2, cols[:m].reshape(m, k, p), out=z[s:e])
    return z.reshape(n, o, ho, wo)


def _dw_batched(a: np.ndarray, delta: np.ndarray, kh: int, kw: int) -> np.ndarray:
    """dw[o,c,p,q] = Σ_n Σ_ij delta[n,o,i,j] a[n,c,i+p,j+q] (CONV-BP3), no im2col copy.

    Flattening rows of width W turns the shift (p, q) into the flat offset p·W + q, so each
    (p, q) is one batched matmul of delta (zero-padded to width W) with a strided view of a.
    """
    n, c, h, w_ = a.shape
    o, ho, wo = delta.shape[1], delta.shape[2], delta.shape[3]
    length = ho * w_
    dfull = np.zeros((n, o, ho, w_), dtype=a.dtype)
    dfull[..., :wo] = delta
    dfull = dfull.reshape(n, o, length)
    aflat = np.zeros((n, c, h * w_ + kw - 1), dtype=a.dtype)
    aflat[:, :, : h * w_] = a.reshape(n, c, h * w_)
    dw = np.empty((o, c, kh, kw), dtype=a.dtype)
    for p in range(kh):  # loop over kernel offsets only
        for q in range(kw):
            off = p * w_ + q
            view = aflat[:, :, off : off + length].transpose(0, 2, 1)  # (n, length, c)
            dw[:, :, p, q] = np.matmul(dfull, view).sum(axis=0)
    return dw


def forward(a: np.ndarray, w: np.ndarray, b) -> np.ndarray:
    """z = a ⋆ w + b (eq. 3.9/3.10): valid cross-correlation, stride 1; 2-D or (N, C, H, W) layout."""
    a = np.asarray(a)
    if a.ndim == 2:
        a, w = _as_float(a, w)
        _check_2d("w (single-channel layout)", w)
        return cross_correlate_valid(a, w) + _scalar_bias(b, a.dtype)
    if a.ndim != 4:
        raise ValueError(
            f"a must be 2-D (H, W) or 4-D (N, C_in, H, W), got {a.ndim}-D of shape {a.shape}"
        )
    a, w, b = _as_float(a, w, b)
    _check_batched(a, w)
    if b.shape != (w.shape[0],):
        raise ValueError(f"b must have shape ({w.shape[0]},) (one bias per output channel), got {b.shape}")
    z = _correlate_batched(a, w)
    z += b[:, None, None]
    return z


def backward(a: np.ndarray, w: np.ndarray, delta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(∂L/∂a, ∂L/∂w, ∂L/∂b) from delta = ∂L/∂z: (convolve_full(delta, rot180(w)), a ⋆ delta, Σ delta)."""
    a = np.asarray(a)
    if a.ndim == 2:
        a, w, delta = _as_float(a, w, delta)
        _check_2d("w (single-channel layout)", w)
        want = (a.shape[0] - w.shape[0] + 1, a.shape[1] - w.shape[1] + 1)
        if w.shape[0] > a.shape[0] or w.shape[1] > a.shape[1]:
            raise ValueError(f"kernel of shape {w.shape} is larger than the input of shape {a.shape}")
        if delta.shape != want:
            raise ValueError(f"delta must have the shape of z, {want}, got {delta.shape}")
        da = convolve_full(delta, rot180(w))  # eq. 3.14 (before ⊙ σ')
        dw = cross_correlate_valid(a, delta)  # CONV-BP3
        db = delta.sum()  # CONV-BP4
        return da, dw, db
    if a.ndim != 4:
        raise ValueError(
            f"a must be 2-D (H, W) or 4-D (N, C_in, H, W), got {a.ndim}-D of shape {a.shape}"
        )
    a, w, delta = _as_float(a, w, delta)
    _check_batched(a, w)
    o, _, kh, kw = w.shape
    want = (a.shape[0], o, a.shape[2] - kh + 1, a.shape[3] - kw + 1)
    if delta.shape != want:
        raise ValueError(f"delta must have the shape of z, {want}, got {delta.shape}")
    dpad = np.pad(delta, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
    w_rot = np.flip(w, axis=(2, 3)).transpose(1, 0, 2, 3)  # (C_in, C_out, kh, kw)
    da = _correlate_batched(dpad, w_rot)  # Σ_o full(delta[n,o]) ⋆ rot180(w[o,c])
    dw = _dw_batched(a, delta, kh, kw)
    db = delta.sum(axis=(0, 2, 3))
    return da, dw, db
