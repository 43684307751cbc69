"""Counterexamples a person can paste back: small readable values first, replayed exactly (or at 50 digits)."""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

import sympy as sp

from .link import Link, holds
from .results import Counterexample
from .strategies import Context, decidable

DIGITS = 50
_NICE_COMBOS = 200


def _decide(rel: str, a: sp.Expr, b: sp.Expr) -> tuple[bool | None, bool]:
    """(does `a rel b` fail?, was it decided exactly?) — None when neither exact nor 50 digits decide."""
    try:
        return _decide_numbers(rel, a, b)
    except (TypeError, ValueError):  # not numbers after all (a comparison SymPy cannot decide)
        return None, False


def _decide_numbers(rel: str, a: sp.Expr, b: sp.Expr) -> tuple[bool | None, bool]:
    if a.has(sp.nan, sp.zoo) or b.has(sp.nan, sp.zoo) or not (a.is_number and b.is_number):
        return None, False
    if a.is_Rational and b.is_Rational:
        return (not holds(rel, a, b)), True
    d = sp.N(a - b, DIGITS)
    scale = 1 + abs(sp.N(a, 20)) + abs(sp.N(b, 20))
    if not d.is_number or d.has(sp.nan, sp.zoo):
        return None, False
    tiny = sp.Float(10) ** (-(DIGITS - 10)) * scale
    if rel in ("=", "≈"):
        if abs(d) > tiny:
            return True, False
        return False, False
    if d.is_real is False:
        return None, False
    fails = {"<=": d > tiny, "<": d > -tiny, ">=": d < -tiny, ">": d < tiny}[rel]
    return bool(fails), False


def _as_value(sym_values, x: Any, denominator: int = 1000) -> sp.Expr | None:
    """A float candidate made readable: the simplest rational with this denominator bound, in the domain."""
    if isinstance(x, sp.Basic) or x is None:
        return x
    iv = sym_values.interval
    if sym_values.finite:
        return min(sym_values.finite, key=lambda v: abs(float(v) - x))
    if iv.integer:
        v = sp.Integer(round(x))
    else:
        f = Fraction(x).limit_denominator(denominator)
        v = sp.Rational(f.numerator, f.denominator)
    return v if iv.lo <= v <= iv.hi and (iv.integer or iv.lo < v < iv.hi) else None


def _nice_points(link: Link, ctx: Context):
    free = link.free
    lists = [link.values[s].nice()[:6] or [None] for s in free]
    if len(free) <= 4:
        combos = sorted(itertools.product(*[range(len(v)) for v in lists]), key=lambda c: (sum(c), c))
        for c in combos[:_NICE_COMBOS]:
            yield {s: lists[k][i] for k, (s, i) in enumerate(zip(free, c))}
    else:
        for _ in range(_NICE_COMBOS // 2):
            yield {s: ctx.rng.choice(lst[:3]) for s, lst in zip(free, lists)}


def evaluate(link: Link, point: dict[sp.Symbol, sp.Expr]) -> Counterexample | None:
    """The counterexample at this point, if the link fails there (decided exactly or at 50 digits)."""
    if any(v is None for v in point.values()):
        return None
    cols = sp.ImmutableMatrix(link.lhs).shape[1] if link.is_matrix else None
    for k, (a, b) in enumerate(link.pairs()):
        va, vb = a.xreplace(point), b.xreplace(point)
        if not (decidable(va) and decidable(vb)):
            va, vb = va.doit(), vb.doit()
        fails, exact = _decide(link.rel, va, vb)
        if fails:
            entry = f"({k // cols + 1}, {k % cols + 1})" if cols else None  # 1-based, as the notes index
            return _counterexample(link, point, va, vb, exact, entry)
    return None


def _show(v: sp.Expr, exact: bool) -> str:
    return str(v) if exact or v.is_Rational else str(sp.N(v, 15))


def _counterexample(link: Link, point, va, vb, exact: bool, entry: str | None = None) -> Counterexample:
    values = tuple(link.fixed.items()) + tuple((str(s), str(point[s])) for s in sorted(point, key=lambda s: s.name))
    if entry is not None:
        values += (("matrix entry", entry),)
    return Counterexample(
        values=values,
        lhs=_show(va, exact),
        rhs=_show(vb, exact),
        difference=_show(sp.simplify(va - vb) if exact else va - vb, exact),
        exact=exact,
        realization=link.realization,
    )


def search(link: Link, ctx: Context, candidates: list[dict[sp.Symbol, Any]] = (), random_tries: int = 30, nice_tries: int | None = None) -> Counterexample | None:
    """Find a counterexample: readable values first, then the candidates, then random exact points."""
    free = link.free
    for k, point in enumerate(_nice_points(link, ctx)):
        if nice_tries is not None and k >= nice_tries:
            break
        found = evaluate(link, point)
        if found:
            return found
    for cand in candidates:
        for denominator in (1, 2, 10, 100, 1000):  # shrink: the most readable variant that still fails
            point = {s: _as_value(link.values[s], cand.get(s), denominator) for s in free if s in link.values and s in cand}
            found = evaluate(link, point) if len(point) == len(free) else None
            if found:
                return found
        exact_point = {s: cand[s] for s in free if isinstance(cand.get(s), sp.Basic)}
        if len(exact_point) == len(free):
            found = evaluate(link, exact_point)
            if found:
                return found
    for _ in range(random_tries):
        point = {s: link.values[s].random_exact(ctx.rng) for s in free}
        found = evaluate(link, point)
        if found:
            return found
    return None
