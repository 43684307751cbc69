"""Exact probing: evaluate both sides at random rational points in the domain, in exact arithmetic.

For rational functions this is polynomial-identity testing (Schwartz–Zippel): a nonzero
difference of degree d vanishes at a random point of a set S with probability at most d/|S|,
here |S| ≈ 10^6 per coordinate, over several independent points. A nonzero value is an exact witness.
"""
from __future__ import annotations

import itertools

import sympy as sp

from ..link import Link, holds
from . import Context, Outcome, decidable

PROBES = 4
_TRIES = 40


def attempt(link: Link, ctx: Context) -> Outcome | None:
    """Proved for rational-function identities that vanish at every probe; a candidate where one doesn't."""
    if link.rel == "≈":
        return None
    pairs = link.pairs()
    if not all(decidable(a) and decidable(b) for a, b in pairs):
        return None
    free = link.free
    rational = all((a - b).is_rational_function(*free) for a, b in pairs) if free else True
    # Square roots of rational functions (e.g. sqrt(σ² + ε)) still give exact algebraic numbers,
    # which SymPy brings to a canonical a + b·√r form: the same identity test applies.
    algebraic = not rational and all((a - b).is_algebraic_expr(*free) for a, b in pairs)
    if not (rational or algebraic):
        return None
    # A small finite integer range is covered exhaustively: random draws from it are no PIT set.
    small = [s for s in free if len(_all(link.values[s])) <= 16]
    grid = [dict(zip(small, combo)) for combo in itertools.product(*(_all(link.values[s]) for s in small))]
    if len(grid) > 64:
        return None
    good = 0
    wanted = PROBES * len(grid) if free else 1
    for _ in range(_TRIES * len(grid)):
        point = {s: link.values[s].random_exact(ctx.rng) for s in free}
        point.update(grid[good % len(grid)])
        verdicts = []
        for a, b in pairs:
            va, vb = a.xreplace(point), b.xreplace(point)
            if algebraic and link.rel == "=":
                v = _algebraic_zero(va - vb)
                if v is None:
                    verdicts = None
                    break
                verdicts.append(v)
                continue
            if not (va.is_Rational and vb.is_Rational):
                verdicts = None  # a pole (or a value SymPy left unevaluated): try another point
                break
            verdicts.append(holds(link.rel, va, vb))
        if verdicts is None:
            continue
        if not all(verdicts):
            return Outcome(None, "exact-probe", "an exact probe differs", candidates=[point], points=good + 1)
        good += 1
        if good >= wanted:
            break
    if good < wanted:
        return None
    if link.rel != "=":
        # Holding at a few points is no proof of an inequality.
        return Outcome(None, "exact-probe", f"holds at {good} exact points", points=good)
    kind = "rational" if rational else "algebraic"
    return Outcome(
        "proved",
        "exact-probe",
        f"{kind} identity: exact at {good} random rational points (Schwartz–Zippel, |S|≈10^6 per variable)",
        points=good,
    )


def _algebraic_zero(value: sp.Expr) -> bool | None:
    """Is an algebraic number (rationals and square roots) exactly zero? None if it is not one."""
    if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or not value.is_number:
        return None
    if value.is_Rational:
        return value == 0
    canonical = sp.expand(sp.radsimp(value))
    if canonical == 0:
        return True
    if not canonical.is_algebraic:
        return None
    return False if sp.N(canonical, 30) != 0 else None


def _all(values) -> list[sp.Expr]:
    """Every value of a small finite domain; a long dummy list for anything larger."""
    if values.finite:
        return list(values.finite)
    size = values.interval.finite_size
    if size is None or size > 16:
        return [None] * 17
    lo = int(sp.ceiling(values.interval.lo))
    return [sp.Integer(v) for v in range(lo, lo + size)]
