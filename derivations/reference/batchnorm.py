"""Batch normalization, training mode (notes, section 3.3.3, Algorithm 1 and eqs. 3.22-3.23).

x has shape (m, d): m examples of d features, each feature normalized over the batch with
the BIASED variance σ² = 1/m Σ (x_i − μ)²:
    x̂_i = (x_i − μ) / √(σ² + ε),   y_i = γ x̂_i + β.
Backward (correct versions of 3.23's lines; the notes' first line should read ∂L/∂y_i · γ):
    ∂L/∂x̂_i = ∂L/∂y_i γ
    ∂L/∂σ²  = −½ Σ_i ∂L/∂x̂_i (x_i − μ)(σ² + ε)^{-3/2}
    ∂L/∂μ   = −Σ_i ∂L/∂x̂_i /√(σ² + ε) − ∂L/∂σ² (2/m) Σ_i (x_i − μ)
    ∂L/∂x_i = ∂L/∂x̂_i /√(σ² + ε) + ∂L/∂σ² · 2(x_i − μ)/m + ∂L/∂μ /m
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .common import float_dtype

__all__ = [
    "Cache",
    "Intermediates",
    "forward",
    "forward_cache",
    "backward",
    "backward_intermediates",
]


class Cache(NamedTuple):
    """Forward quantities of Algorithm 1: mean, var, inv_std of shape (d,), centred x − μ (m, d)."""

    mean: np.ndarray  # μ_B
    var: np.ndarray  # σ²_B (biased)
    inv_std: np.ndarray  # 1/√(σ²_B + ε)
    centred: np.ndarray  # x − μ_B

    @property
    def xhat(self) -> np.ndarray:
        """x̂ = (x − μ_B)/√(σ²_B + ε) (computed on access)."""
        return self.centred * self.inv_std


class Intermediates(NamedTuple):
    """The lines of eq. 3.23 (corrected): dxhat (m, d), dvar (d,), dmean (d,), dx (m, d)."""

    dxhat: np.ndarray  # ∂L/∂x̂_i = ∂L/∂y_i γ
    dvar: np.ndarray  # ∂L/∂σ²_B
    dmean: np.ndarray  # ∂L/∂μ_B
    dx: np.ndarray  # ∂L/∂x_i assembled from the three above


def _prepare(x, gamma, *rest):
    arrays = [np.asarray(v) for v in (x, gamma, *rest)]
    dt = float_dtype(*arrays)
    arrays = [v.astype(dt, copy=False) for v in arrays]
    x = arrays[0]
    if x.ndim != 2:
        raise ValueError(f"x must have shape (m, d), got {x.shape}")
    m, d = x.shape
    if m < 1:
        raise ValueError("x must hold at least one example (m >= 1)")
    return arrays, m, d


def _check_param(name: str, v: np.ndarray, d: int) -> None:
    if v.shape != (d,):
        raise ValueError(f"{name} must have shape ({d},) to match x of shape (m, {d}), got {v.shape}")


def _colsum(x: np.ndarray) -> np.ndarray:
    """Σ_i x_i over the batch axis (a BLAS gemv: faster than x.sum(axis=0), same accuracy class)."""
    return np.ones(x.shape[0], dtype=x.dtype) @ x


def _stats(x: np.ndarray, eps: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    mean = _colsum(x) / x.shape[0]
    xc = x - mean
    var = np.einsum("ij,ij->j", xc, xc) / x.shape[0]  # biased: 1/m Σ (x_i − μ)²
    inv_std = 1.0 / np.sqrt(var + eps)
    return mean, xc, var, inv_std.astype(x.dtype, copy=False)


def forward_cache(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5
) -> tuple[np.ndarray, Cache]:
    """Algorithm 1: y_i = γ (x_i − μ)/√(σ² + ε) + β; returns (y, Cache(mean, var, inv_std, centred))."""
    (x, gamma, beta), m, d = _prepare(x, gamma, beta)
    _check_param("gamma", gamma, d)
    _check_param("beta", beta, d)
    mean, xc, var, inv_std = _stats(x, eps)
    y = xc * (gamma * inv_std)  # γ x̂ without materializing x̂
    y += beta
    return y, Cache(mean, var, inv_std, xc)


def forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """y = γ x̂ + β with x̂ = (x − μ_B)/√(σ²_B + ε), batch statistics over axis 0 (Algorithm 1)."""
    return forward_cache(x, gamma, beta, eps)[0]


def backward(
    x: np.ndarray,
    gamma: np.ndarray,
    dy: np.ndarray,
    eps: float = 1e-5,
    *,
    cache: Cache | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(∂L/∂x, ∂L/∂γ, ∂L/∂β) from dy = ∂L/∂y; dx = γ/(m√(σ²+ε)) (m dy − Σ dy − x̂ Σ dy x̂) (eqs. 3.22-3.23).

    ``cache`` (from :func:`forward_cache` on the same x, eps) skips recomputing the batch statistics.
    """
    (x, gamma, dy), m, d = _prepare(x, gamma, dy)
    _check_param("gamma", gamma, d)
    if dy.shape != x.shape:
        raise ValueError(f"dy must have the shape of x, {x.shape}, got {dy.shape}")
    if cache is None:
        _, xc, _, inv_std = _stats(x, eps)
    else:
        inv_std = np.asarray(cache.inv_std).astype(x.dtype, copy=False)
        xc = np.asarray(cache.centred).astype(x.dtype, copy=False)
        if xc.shape != x.shape or inv_std.shape != (d,):
            raise ValueError("cache does not match x: pass the Cache from forward_cache(x, ...)")
    dbeta = _colsum(dy)  # eq. 3.22: Σ_i ∂L/∂y_i
    dgamma = np.einsum("ij,ij->j", dy, xc) * inv_std  # eq. 3.22: Σ_i ∂L/∂y_i x̂_i
    # The three terms of 3.23's last line summed, with Σ_i (x_i − μ) = 0 dropped from ∂L/∂μ:
    # dx = γ/√(σ²+ε) · (dy − Σdy/m − x̂ Σ(dy x̂)/m), in four passes over (m, d).
    dx = xc * (dgamma * inv_std * (-1.0 / m))
    dx += dy
    dx += dbeta * (-1.0 / m)
    dx *= gamma * inv_std
    return dx, dgamma, dbeta


def backward_intermediates(
    x: np.ndarray, gamma: np.ndarray, dy: np.ndarray, eps: float = 1e-5
) -> Intermediates:
    """The corrected lines of eq. 3.23 evaluated literally: (dxhat, dvar, dmean, dx)."""
    (x, gamma, dy), m, d = _prepare(x, gamma, dy)
    _check_param("gamma", gamma, d)
    if dy.shape != x.shape:
        raise ValueError(f"dy must have the shape of x, {x.shape}, got {dy.shape}")
    mean, xc, var, inv_std = _stats(x, eps)
    dxhat = dy * gamma  # ∂L/∂x̂_i = ∂L/∂y_i γ
    dvar = -0.5 * np.einsum("ij,ij->j", dxhat, xc) * inv_std**3  # (σ²+ε)^{-3/2}
    dmean = -dxhat.sum(axis=0) * inv_std - dvar * (2.0 / m) * xc.sum(axis=0)
    dx = dxhat * inv_std + dvar * (2.0 / m) * xc + dmean / m
    return Intermediates(dxhat, dvar, dmean, dx)
