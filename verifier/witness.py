"""Counterexamples a person can paste back: small readable values first, replayed exactly (or certified to 50 digits).

A point is a witness only when `exact.decide` says the line fails there: the sign of the
difference is exact or certified by strict evalf, or a side is undefined / not real there.
Where to look, in order: readable values, critical points (where an argument of floor,
ceiling, sign or Abs crosses an integer or zero, where the difference itself vanishes, near
the domain's edges), the candidates other strategies found, then random exact points.
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

import sympy as sp

from . import dag, exact
from .errors import StepTimeout
from .link import Link
from .results import Counterexample
from .strategies.base import Context, decidable

DIGITS = exact.DIGITS
_NICE_COMBOS = 200
_CRITICAL = 48  # critical points tried per link (a count, never a clock)


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
    return v if sym_values.contains(v) else None


def nice_points(link: Link, ctx: Context):
    """Readable points of the domain, smallest first (a fixed count)."""
    free = link.free
    per = {1: 16, 2: 12}.get(len(free), 6)  # fewer symbols: more readable values each, same total
    lists = [link.values[s].nice()[:per] or [None] for s in free]
    if len(free) <= 4:
        combos = sorted(itertools.product(*[range(len(v)) for v in lists]), key=lambda c: (sum(c), c))
        for c in combos[:_NICE_COMBOS]:
            yield {s: lists[k][i] for k, (s, i) in enumerate(zip(free, c))}
    else:
        for _ in range(_NICE_COMBOS // 2):
            yield {s: ctx.rng.choice(lst[:3]) for s, lst in zip(free, lists)}


_nice_points = nice_points  # the name other modules used


def decisions(link: Link, point: dict[sp.Symbol, sp.Expr]):
    """Each pair of the link's sides decided at this point: (its position, the two values, the
    `exact.Decision`); a pair that cannot be evaluated there is left out."""
    if any(v is None for v in point.values()):
        return
    memo: dict = {}  # the entries of a network's matrix share their subexpressions (σ(z¹), …): each is evaluated once
    for k, (a, b) in enumerate(link.pairs()):
        if exact.explodes(a, point) or exact.explodes(b, point):
            continue  # a value with millions of digits: no readable witness, and minutes to build
        try:
            va, vb = dag.xreplace(a, point, memo), dag.xreplace(b, point, memo)
            if not (decidable(va) and decidable(vb)):
                va, vb = va.doit(), vb.doit()
            verdict = exact.decide(link.rel, va, vb)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, RecursionError, AttributeError):
            continue
        yield k, va, vb, verdict


def evaluate(link: Link, point: dict[sp.Symbol, sp.Expr]) -> Counterexample | None:
    """The counterexample at this point, if the link fails there (decided exactly or certified)."""
    cols = sp.ImmutableMatrix(link.lhs).shape[1] if link.is_matrix else None
    for k, va, vb, verdict in decisions(link, point):
        if verdict.fails:
            entry = f"({k // cols + 1}, {k % cols + 1})" if cols else None  # 1-based, as the notes index
            return _counterexample(link, point, va, vb, verdict, entry)
    return None


def fails_where_defined(link: Link, point: dict[sp.Symbol, sp.Expr]) -> bool:
    """The link fails at this point with both sides real numbers there (decided exactly or
    certified); False when only a failure where a side is undefined is found (a line that holds
    wherever it is defined may fail there)."""
    return any(verdict.fails and not verdict.why for *_, verdict in decisions(link, point))


def _counterexample(link: Link, point, va, vb, verdict: exact.Decision, entry: str | None = None) -> Counterexample:
    values = tuple(link.fixed.items()) + tuple((str(s), exact.show(point[s])) for s in sorted(point, key=lambda s: s.name))
    if entry is not None:
        values += (("matrix entry", entry),)
    if verdict.why:
        return Counterexample(values=values, lhs=exact.show(va, False), rhs=exact.show(vb, False),
                              difference=verdict.why, exact=True, realization=link.realization)
    if verdict.exact:
        diff = exact.show(sp.nsimplify(va - vb) if not (va - vb).is_Rational else va - vb)
    else:
        diff = exact.show(sp.N(va - vb, DIGITS), False, DIGITS)
    return Counterexample(
        values=values,
        lhs=exact.show(va, verdict.exact),
        rhs=exact.show(vb, verdict.exact),
        difference=diff,
        exact=verdict.exact,
        realization=link.realization,
        relation=link.rel,
    )


def critical_points(link: Link, ctx: Context) -> list[dict[sp.Symbol, sp.Expr]]:
    """Points where the line is most likely to break: jumps of floor/ceiling, zeros of Abs/sign
    arguments and of the difference itself, and points next to the domain's edges.

    One symbol at a time, the others held at a readable value; a fixed number of points.
    """
    free = [s for s in link.free if link.values[s].interval is not None and not link.values[s].interval.integer]
    if not free:
        return []
    base = next(iter(nice_points(link, ctx)), None)
    if base is None or any(v is None for v in base.values()):
        return []
    out: list[dict] = []
    diffs = [a - b for a, b in link.pairs()][:4]
    for s in free:
        iv = link.values[s].interval
        others = {t: v for t, v in base.items() if t != s}
        targets: list[tuple[sp.Expr, sp.Expr]] = []  # (expression in s, value it crosses)
        for d in diffs:
            d1 = d.xreplace(others)
            for f in d1.atoms(sp.floor, sp.ceiling, sp.frac):
                targets += [(f.args[0], sp.Integer(k)) for k in _integers_crossed(f.args[0], s, iv)]
            for f in d1.atoms(sp.Abs, sp.sign, sp.Heaviside, sp.Min, sp.Max):
                if f.func in (sp.Min, sp.Max):
                    targets += [(f.args[0] - f.args[1], sp.Integer(0))] if len(f.args) == 2 else []
                else:
                    targets.append((f.args[0], sp.Integer(0)))
            if link.rel != "=" and not d1.has(sp.floor, sp.ceiling, sp.frac):
                targets.append((d1, sp.Integer(0)))
                if d1.free_symbols == {s}:
                    targets.append((sp.diff(d1, s), sp.Integer(0)))  # where the margin is smallest
        for expr, value in targets[:16]:
            for root in _roots(expr - value, s, iv):
                for p in (root, *_beside(root, iv)):
                    out.append({**others, s: p})
        for p in _edges(iv):
            out.append({**others, s: p})
        if len(out) >= _CRITICAL:
            break
    return out[:_CRITICAL]


def _integers_crossed(arg: sp.Expr, s: sp.Symbol, iv) -> list[int]:
    """The integers an argument takes between the domain's ends (monotone arguments; a few dozen at most)."""
    if not (iv.lo.is_finite and iv.hi.is_finite) or not arg.is_polynomial(s) or sp.degree(arg, s) != 1:
        return []
    ends = sorted(arg.xreplace({s: e}) for e in (iv.lo, iv.hi))
    if not all(e.is_number for e in ends):
        return []
    lo, hi = int(sp.floor(ends[0])), int(sp.ceiling(ends[1]))
    if hi - lo > 40:
        return []
    return list(range(lo, hi + 1))


_SOLVE_SIZE = 40  # solveset is tried on expressions of at most this many operations (work, not time)


def _roots(expr: sp.Expr, s: sp.Symbol, iv) -> list[sp.Expr]:
    """Exact real roots of expr in s inside the open interval: polynomials by real_roots, small
    transcendental expressions by solveset (a finite set, or as many of a periodic family as fit)."""
    if expr.free_symbols - {s}:
        return []
    roots: list[sp.Expr] = []
    try:
        num = sp.numer(sp.together(expr))
        if num.is_polynomial(s) and sp.degree(num, s) <= 12 and all(c.is_Rational for c in sp.Poly(num, s).coeffs()):
            roots = [r for r in sp.Poly(num, s).real_roots() if iv.lo < r < iv.hi]
        elif sp.count_ops(expr) <= _SOLVE_SIZE and iv.lo.is_finite and iv.hi.is_finite:
            found = sp.solveset(expr, s, sp.Interval.open(iv.lo, iv.hi))
            if isinstance(found, sp.FiniteSet):
                roots = [r for r in found if r.is_real]
    except StepTimeout:
        raise
    except Exception:  # a solver's gap (DomainError, NotImplementedError, …) only means fewer points to try
        return []
    return list(dict.fromkeys(roots))[:6]


def _beside(root: sp.Expr, iv) -> list[sp.Expr]:
    """Rationals just left and right of a root (a jump is seen on one side of it)."""
    out = []
    width = (iv.hi - iv.lo) if (iv.lo.is_finite and iv.hi.is_finite) else sp.Integer(1)
    centre = root if root.is_Rational else _rational_near(root)
    if centre is None:
        return out
    for k in (6, 12, 18, 30):
        eps = width / 10**k
        for q in (centre - eps, centre + eps):
            if iv.lo < q < iv.hi:
                out.append(q)
    return out


def _rational_near(v: sp.Expr) -> sp.Expr | None:
    """A rational within 10^-40 of a real number (for stepping just beside an irrational root)."""
    try:
        f = sp.N(v, 50)
        return sp.Rational(str(f)) if f.is_Float else None
    except (TypeError, ValueError):
        return None


def _edges(iv) -> list[sp.Expr]:
    """Points just inside each finite end of an open interval."""
    out = []
    width = (iv.hi - iv.lo) if (iv.lo.is_finite and iv.hi.is_finite) else sp.Integer(1)
    for k in (3, 9, 15, 30):
        eps = width / 10**k
        if iv.lo.is_finite:
            out.append(iv.lo + eps)
        if iv.hi.is_finite:
            out.append(iv.hi - eps)
    return out


def search(link: Link, ctx: Context, candidates: list[dict[sp.Symbol, Any]] = (), random_tries: int = 30, nice_tries: int | None = None) -> Counterexample | None:
    """Find a counterexample: readable values, critical points, the candidates, then random exact points."""
    free = link.free
    for k, point in enumerate(nice_points(link, ctx)):
        if nice_tries is not None and k >= nice_tries:
            break
        found = evaluate(link, point)
        if found:
            return found
    try:
        critical = critical_points(link, ctx)
    except StepTimeout:
        raise
    except Exception:  # a root finder's gap is no reason to stop looking
        critical = []
    for point in critical:
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
        if len(exact_point) != len(free):
            exact_point = {s: _as_float_exact(link.values[s], cand.get(s)) for s in free}
        if all(v is not None for v in exact_point.values()) and len(exact_point) == len(free):
            found = evaluate(link, exact_point)
            if found:
                return found
    for _ in range(random_tries):
        point = {s: link.values[s].random_exact(ctx.rng) for s in free}
        found = evaluate(link, point)
        if found:
            return found
    return None


def _as_float_exact(values, x: Any) -> sp.Expr | None:
    """The float itself as an exact rational (a float sample is a point of the domain too)."""
    if isinstance(x, sp.Basic):
        return x
    if x is None:
        return None
    if values.finite or values.interval.integer:
        return _as_value(values, x)
    v = sp.Rational(Fraction(x).numerator, Fraction(x).denominator)
    return v if values.contains(v) else None
