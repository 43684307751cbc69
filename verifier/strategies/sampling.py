"""Floating-point sampling of the domain, confirmed at high precision: earns `checked`, never `proved`.

Thousands of float64 points screen the line; every point where the sides seem to differ, where
a side is not a finite real number, or (for an inequality) where the margin is within float
noise, is replayed exactly and becomes a candidate counterexample when the replay fails.
Float agreement is then confirmed at `CONFIRM` random exact points of the domain, each decided
to 50 digits or more (`exact.agree`): only then is the line `checked`. A float64 tolerance
alone never earns a verdict — differences of 10⁻¹² survive it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp

from .. import exact
from ..link import Link
from .base import Context, Outcome, decidable

POINTS = 2000
RTOL = 1e-9  # float screening only: anything above is replayed exactly
CONFIRM = 8  # random exact points each confirmed to ≥ 50 digits before `checked`
REPLAY = 6  # suspicious float points replayed exactly

if TYPE_CHECKING:  # numpy loads on the first sampled line: a line settled before it never pays for it
    import numpy as np


def _draw(link: Link, sym: sp.Symbol, gen: np.random.Generator) -> np.ndarray:
    import numpy as np

    values = link.values[sym]
    if values.finite:
        return gen.choice(np.array([float(v) for v in values.finite]), POINTS)
    lo, hi = values.float_bounds()
    if values.interval.integer:
        lo_i, hi_i = int(np.ceil(lo)), int(np.floor(hi))
        if hi_i - lo_i > 2**62:
            lo_i, hi_i = max(lo_i, -(2**62)), min(hi_i, 2**62)
        return gen.integers(lo_i, hi_i + 1, POINTS).astype(float)
    # Stay strictly inside the interval: the domain is open.
    pad = (hi - lo) * 1e-6
    return gen.uniform(lo + pad, hi - pad, POINTS)


def attempt(link: Link, ctx: Context) -> Outcome | None:
    """Checked when float screening and a 50-digit confirmation agree; candidates where they don't."""
    if link.rel == "≈":
        return None
    pairs = link.pairs()
    if not all(decidable(a) and decidable(b) for a, b in pairs):
        return None
    import numpy as np

    free = link.free
    gen = np.random.default_rng(ctx.seed)
    columns = [_draw(link, s, gen) for s in free]
    fn = sp.lambdify(free, [x for ab in pairs for x in ab], modules="numpy", dummify=True)
    with np.errstate(all="ignore"):
        raw = fn(*columns)
    values = [np.broadcast_to(np.asarray(v, dtype=complex), (POINTS,)) for v in raw]
    suspect = np.zeros(POINTS)  # how suspicious each point is (0: not at all)
    worst = np.zeros(POINTS)
    for k in range(len(pairs)):
        a, b = values[2 * k], values[2 * k + 1]
        scale = np.maximum(np.maximum(abs(a), abs(b)), 1.0)
        real = (abs(a.imag) <= 1e-12 * scale) & (abs(b.imag) <= 1e-12 * scale)
        finite = np.isfinite(a) & np.isfinite(b)
        err = np.where(finite, abs(a - b) / scale, np.inf)
        if link.rel == "=":
            off = err > RTOL
            score = np.where(off, err, 0.0)
        else:
            # Absolute, not relative: any wrong sign, or a margin within float noise, is replayed.
            d = a.real - b.real
            noise = 1e-12 * scale
            off = {"<=": d > -noise, "<": d >= -noise, ">=": d < noise, ">": d <= noise}[link.rel]
            score = np.where(off, 1.0 + np.where(np.isfinite(d), np.sign(d) * (1 if link.rel in ("<", "<=") else -1), 0), 0.0)
        score = np.where(~(finite & real), 10.0, score)
        suspect = np.maximum(suspect, score)
        worst = np.maximum(worst, np.where(finite & real, err, 0.0))
    if suspect.any():
        order = np.argsort(-suspect)[:REPLAY]
        for i in order:
            if suspect[i] <= 0:
                break
            point = _exact_point(link, free, columns, i)
            if point is None:
                continue
            if _fails(link, pairs, point):
                return Outcome(None, "sampling", "a float sample fails when replayed exactly", candidates=[point], points=POINTS)
    # Jumps and edges that random floats miss: where a floor/ceiling argument crosses an integer,
    # where an Abs/sign argument or the difference vanishes, next to the domain's ends.
    from ..witness import critical_points

    for point in critical_points(link, ctx):
        if _fails(link, pairs, point):
            return Outcome(None, "sampling", "fails at a critical point", candidates=[point], points=POINTS)
    # Confirmation: random exact points, each decided to 50 digits or more.
    confirmed = 0
    for _ in range(CONFIRM):
        point = {s: link.values[s].random_exact(ctx.rng) for s in free}
        verdict = _confirm(link, pairs, point)
        if verdict is False:
            return Outcome(None, "sampling", "a 50-digit evaluation differs", candidates=[point], points=POINTS)
        if verdict:
            confirmed += 1
    if confirmed < CONFIRM:
        return None
    valid = int(np.isfinite(worst).sum())
    worst_err = float(worst.max()) if valid else 0.0
    screened = f"agrees at {POINTS} float64 points (worst relative error {worst_err:.1e})" if link.rel == "=" else f"holds at {POINTS} float64 points"
    return Outcome(
        "checked",
        "sampling",
        f"{screened}, at the critical points and edges found, and at {CONFIRM} random exact points "
        f"to {exact.DIGITS}+ digits",
        points=POINTS + confirmed,
        worst_error=worst_err,
    )


def _exact_point(link: Link, free, columns, i: int) -> dict | None:
    """The float sample as an exact point of the domain (the float's own rational value)."""
    from ..witness import _as_float_exact

    point = {s: _as_float_exact(link.values[s], float(col[i])) for s, col in zip(free, columns)}
    return None if any(v is None for v in point.values()) else point


def _fails(link: Link, pairs, point) -> bool:
    for a, b in pairs:
        if exact.decide(link.rel, a.xreplace(point), b.xreplace(point)).fails:
            return True
    return False


def _confirm(link: Link, pairs, point) -> bool | None:
    """True when the line holds at the point to 50+ digits, False when it certifiably fails, None if unsure."""
    ok = True
    for a, b in pairs:
        va, vb = a.xreplace(point), b.xreplace(point)
        if link.rel == "=":
            same = exact.agree(va, vb)
            if same is False:
                return False
            ok = ok and bool(same)
        else:
            d = exact.decide(link.rel, va, vb)
            if d.fails:
                return False
            ok = ok and d.fails is False
    return ok
