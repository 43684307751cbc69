"""Floating-point sampling of the domain, vectorized with lambdify: earns `checked`, never `proved`."""
from __future__ import annotations

import numpy as np
import sympy as sp

from ..link import Link
from . import Context, Outcome, decidable

POINTS = 2000
RTOL = 1e-9  # float64 round-off on these expressions stays far below; anything above is replayed exactly


def _draw(link: Link, sym: sp.Symbol, gen: np.random.Generator) -> np.ndarray:
    values = link.values[sym]
    if values.finite:
        return gen.choice(np.array([float(v) for v in values.finite]), POINTS)
    lo, hi = values.float_bounds()
    if values.interval.integer:
        return gen.integers(int(np.ceil(lo)), int(np.floor(hi)) + 1, POINTS).astype(float)
    # Stay strictly inside the interval: the domain is open and endpoints are often poles.
    pad = (hi - lo) * 1e-6
    return gen.uniform(lo + pad, hi - pad, POINTS)


def attempt(link: Link, ctx: Context) -> Outcome | None:
    """Checked when the sides agree to RTOL at thousands of points; candidates where they don't."""
    if link.rel == "≈":
        return None
    pairs = link.pairs()
    if not all(decidable(a) and decidable(b) for a, b in pairs):
        return None
    free = link.free
    gen = np.random.default_rng(ctx.seed)
    columns = [_draw(link, s, gen) for s in free]
    fn = sp.lambdify(free, [x for ab in pairs for x in ab], modules="numpy", dummify=True)
    with np.errstate(all="ignore"):
        raw = fn(*columns)
    values = [np.broadcast_to(np.asarray(v, dtype=complex), (POINTS,)) for v in raw]
    ok = np.ones(POINTS, dtype=bool)
    bad = np.zeros(POINTS, dtype=bool)
    worst = np.zeros(POINTS)
    for k in range(len(pairs)):
        a, b = values[2 * k], values[2 * k + 1]
        scale = np.maximum(np.maximum(abs(a), abs(b)), 1.0)
        real = (abs(a.imag) <= 1e-12 * scale) & (abs(b.imag) <= 1e-12 * scale)
        finite = np.isfinite(a) & np.isfinite(b) & real
        ok &= finite
        err = abs(a - b) / scale
        if link.rel == "=":
            off = err > RTOL
        else:
            d = (a.real - b.real) / scale
            off = {"<=": d > RTOL, "<": d >= -RTOL, ">=": d < -RTOL, ">": d <= RTOL}[link.rel]
        bad |= off & finite
        worst = np.maximum(worst, np.where(finite, err, 0.0))
    valid = int(ok.sum())
    if valid < POINTS // 10:
        return None
    if bad.any():
        order = np.argsort(-np.where(bad, worst, -1.0))[:3]
        cands = [{s: float(col[i]) for s, col in zip(free, columns)} for i in order if bad[i]]
        return Outcome(None, "sampling", "float sampling differs", candidates=cands, points=valid)
    worst_err = float(worst[ok].max()) if valid else 0.0
    return Outcome(
        "checked",
        "sampling",
        f"agrees at {valid} float64 points (worst relative error {worst_err:.1e})",
        points=valid,
        worst_error=worst_err,
    )
