"""Exact probing: evaluate both sides at exact points of the domain, in exact arithmetic.

When its `proved` is a proof:
- **Enumeration.** Every free symbol ranges over a finite set (outcomes of a finite
  distribution, a finite integer range) and the whole grid, at most `ENUMERATE` points, is
  evaluated: each point decided exactly (or, for an inequality, with a certified sign). Any
  function class: floor, Abs, factorials, anything that evaluates to numbers.
- **Rational functions (Schwartz–Zippel).** lhs − rhs is a rational function of the free
  symbols whose numerator has total degree ≤ D (bounded from the expression tree, without
  expanding). Each probe is a uniform draw from S₁×…×Sₙ (`Values.grid_size`, 10⁶ values of a
  real interval, all integers of an integer range); a nonzero numerator vanishes at a draw with
  probability ≤ D/min|Sᵢ|. Proved when k independent probes all vanish and (D/min|Sᵢ|)ᵏ ≤ 2⁻⁶⁰;
  the bound is printed with the verdict. Finite symbols of a small grid are enumerated, the rest probed.
- **Square roots.** Each √g (and g^(p/2)) is replaced by a new symbol s with s² = g and the
  numerator reduced modulo s² − g; when every coefficient of the reduced form is the zero
  rational function (tested as above), the identity holds wherever the roots are real.
Anything else (Abs, floor, exp, … over an infinite set) is not this strategy's case.
"""
from __future__ import annotations

import itertools
import math

import sympy as sp

from .. import exact
from ..link import Link
from .base import Context, Outcome, decidable

ENUMERATE = 4096  # grid points evaluated exhaustively when every symbol is finite
MIXED_GRID = 64  # finite-symbol combinations enumerated when real symbols are probed too
ERROR_BITS = 60  # a rational identity is proved when the chance of a false pass is ≤ 2^-60
MAX_PROBES = 24
_WORK = 4_000_000  # nodes × points: an enumeration larger than this is left to other strategies


def attempt(link: Link, ctx: Context) -> Outcome | None:
    """Proved by enumeration or by degree-bounded identity testing; a candidate where a point fails."""
    if link.rel == "≈":
        return None
    pairs = link.pairs()
    if not all(decidable(a) and decidable(b) for a, b in pairs):
        return None
    free = link.free
    finite = [s for s in free if _all(link.values[s]) is not None]
    grid_size = math.prod(len(_all(link.values[s])) for s in finite) if finite else 1
    if free and len(finite) == len(free) and grid_size <= ENUMERATE:
        size = sum(_nodes(a) + _nodes(b) for a, b in pairs)
        if grid_size * size <= _WORK:
            return _enumerate(link, pairs, finite, grid_size)
    diffs = [a - b for a, b in pairs]
    real = [s for s in free if s not in finite or grid_size > MIXED_GRID]
    enum = [s for s in free if s not in real]
    degree = _degree_of(diffs, real)
    if degree is not None:
        return _probe(link, pairs, diffs, real, enum, degree, ctx, "rational")
    if link.rel == "=":
        reduced = _radical_coefficients(diffs, real)
        if reduced is not None:
            coeffs, degree = reduced
            out = _probe(link, pairs, coeffs, real, enum, degree, ctx, "square-root", zero_test=True)
            if out is not None and out.verdict != "proved" and not out.candidates:
                return None
            return out
    return None


def _enumerate(link: Link, pairs, finite, grid_size: int) -> Outcome | None:
    """Every point of a finite grid, each decided: a proof by exhaustion, or a failing point."""
    lists = [_all(link.values[s]) for s in finite]
    fast = _fast_pairs(pairs, finite)
    undecided = 0
    for combo in itertools.product(*lists):
        point = dict(zip(finite, combo))
        exact_point = _exact_values(combo)
        for (a, b), f in zip(pairs, fast):
            fails = _fast_fails(link.rel, f, exact_point)
            if fails is False:
                continue
            if fails:  # (decided in rational arithmetic: both sides are numbers there)
                return Outcome(None, "enumeration", "a point of the finite domain fails", candidates=[point], fails_where_defined=True)
            d = exact.decide(link.rel, a.xreplace(point), b.xreplace(point))
            if d.fails:
                return Outcome(None, "enumeration", "a point of the finite domain fails", candidates=[point], fails_where_defined=not d.why)
            if d.fails is None or (link.rel == "=" and not d.exact):
                undecided += 1
    if undecided:
        return None
    return Outcome("proved", "enumeration", f"holds at every one of the {grid_size} points of the finite domain (exhaustive, exact)", points=grid_size)


def _probe(link: Link, pairs, targets, real, enum, degree: int, ctx: Context, kind: str, zero_test: bool = False) -> Outcome | None:
    """k probes per combination of the enumerated symbols; each target must vanish (or the relation hold)."""
    grid = [dict(zip(enum, combo)) for combo in itertools.product(*(_all(link.values[s]) for s in enum))] or [{}]
    smallest = min((link.values[s].grid_size() for s in real), default=0)
    if real and degree >= smallest:
        return None
    if not real:
        probes = 1
    elif degree == 0:
        probes = 1
    else:
        probes = max(4, math.ceil(ERROR_BITS / math.log2(smallest / degree)))
    if probes > MAX_PROBES:
        probes_ok = False
        probes = MAX_PROBES
    else:
        probes_ok = True
    order = list(real) + list(enum)
    fast = _fast_pairs(pairs, order) if not zero_test else [None] * len(pairs)
    good = 0
    for fixed in grid:
        for _ in range(probes):
            point = {s: link.values[s].random_exact(ctx.rng) for s in real}
            point.update(fixed)
            if zero_test:
                # Coefficients of the reduced form: a nonzero one is no witness (the roots may still
                # make the whole vanish); evaluate the sides themselves to look for one.
                if all(exact.sign(t.xreplace(point)) == 0 for t in targets):
                    good += 1
                    continue
                for a, b in pairs:
                    d = exact.decide("=", a.xreplace(point), b.xreplace(point))
                    if d.fails:
                        return Outcome(None, "exact-probe", "an exact probe differs", candidates=[point], points=good,
                                       fails_where_defined=not d.why)
                return None
            exact_point = _exact_values([point[s] for s in order])
            for (a, b), f in zip(pairs, fast):
                fails = _fast_fails(link.rel, f, exact_point)
                if fails is False:
                    continue
                if fails:  # (decided in rational arithmetic: both sides are numbers there)
                    return Outcome(None, "exact-probe", "an exact probe differs", candidates=[point], points=good, fails_where_defined=True)
                d = exact.decide(link.rel, a.xreplace(point), b.xreplace(point))
                if d.fails:
                    return Outcome(None, "exact-probe", "an exact probe differs", candidates=[point], points=good,
                                   fails_where_defined=not d.why)
                if d.fails is None:
                    return None
            good += 1
    if link.rel != "=" or not probes_ok:
        # Holding at a few points is no proof of an inequality (nor of an identity of too high a degree).
        return Outcome(None, "exact-probe", f"holds at {good} exact points", points=good)
    if not real:
        where = f"every one of the {len(grid)} points of the finite domain" if enum else "its only point"
        return Outcome("proved", "exact-probe", f"{kind} identity: exact at {where}", points=good)
    bound = f"(D/|S|)^k ≤ ({degree}/{smallest})^{probes}" if degree else "a constant difference, exact at one point"
    enumerated = f", for each of the {len(grid)} values of {', '.join(map(str, enum))}" if enum else ""
    return Outcome(
        "proved",
        "exact-probe",
        f"{kind} identity: exact at {probes} random points{enumerated}; numerator degree ≤ {degree}, "
        f"so a false identity passes with probability ≤ {bound} (Schwartz–Zippel)",
        points=good,
    )


def _degree_of(diffs, syms) -> int | None:
    """A bound on the numerator's total degree of every difference, or None when one is not rational."""
    worst = 0
    for d in diffs:
        b = degree_bound(d, set(syms))
        if b is None:
            return None
        worst = max(worst, b[0] + b[1])
    return worst


def degree_bound(e: sp.Expr, syms: set) -> tuple[int, int] | None:
    """(numerator, denominator) total-degree bounds of e as a rational function of syms, read off the tree.

    None when e is not a rational function of syms (a symbol inside sqrt, exp, Abs, …).
    """
    memo: dict = {}

    def walk(x: sp.Basic) -> tuple[int, int] | None:
        if x in memo:
            return memo[x]
        if not (x.free_symbols & syms):
            out = (0, 0)
        elif x in syms:
            out = (1, 0)
        elif x.is_Add or x.is_Mul:
            # p/q + r/s = (ps + rq)/(qs); (p/q)(r/s) = pr/(qs)
            combine = _add_degrees if x.is_Add else _mul_degrees
            out = (0, 0)
            for a in x.args:
                b = walk(a)
                if b is None:
                    out = None
                    break
                out = combine(out, b)
        elif x.is_Pow and x.exp.is_Integer:
            b = walk(x.base)
            k = int(x.exp)
            out = None if b is None else ((k * b[0], k * b[1]) if k >= 0 else (-k * b[1], -k * b[0]))
        else:
            out = None
        memo[x] = out
        return out

    return walk(e)


def _add_degrees(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return (max(a[0] + b[1], b[0] + a[1]), a[1] + b[1])


def _mul_degrees(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return (a[0] + b[0], a[1] + b[1])


def _radical_coefficients(diffs, syms) -> tuple[list[sp.Expr], int] | None:
    """Each difference with √g as a formal s (s² = g), reduced: its coefficients and a degree bound."""
    out: list[sp.Expr] = []
    degree = 0
    sset = set(syms)
    for d in diffs:
        pows = [p for p in d.atoms(sp.Pow) if p.exp.is_Rational and p.exp.q == 2 and p.base.free_symbols & sset]
        if not pows:
            b = degree_bound(d, sset)
            if b is None:
                return None
            out.append(d)
            degree = max(degree, b[0] + b[1])
            continue
        bases = list(dict.fromkeys(p.base for p in pows))
        if any(degree_bound(g, sset) is None for g in bases):
            return None  # a root inside a root, or of something not rational
        roots = [sp.Dummy(f"r{i}") for i in range(len(bases))]
        swap = {p: roots[bases.index(p.base)] ** int(2 * p.exp) for p in pows}
        e = d.xreplace(swap)
        if degree_bound(e, sset | set(roots)) is None:
            return None
        num = sp.numer(sp.together(e))
        try:
            poly = sp.Poly(sp.expand(num), *roots)
        except sp.PolynomialError:
            return None
        groups: dict[tuple[int, ...], sp.Expr] = {}
        for powers, coeff in poly.terms():
            term = coeff
            for g, k in zip(bases, powers):
                term *= g ** (k // 2)
            key = tuple(k % 2 for k in powers)
            groups[key] = groups.get(key, sp.Integer(0)) + term
        for c in groups.values():
            b = degree_bound(c, sset)
            if b is None:
                return None
            degree = max(degree, b[0] + b[1])
            out.append(c)
    return out, degree


def _fast_pairs(pairs, symbols: list) -> list:
    """For each pair, its two sides as exact rational functions of `symbols` (verifier.exact), or None."""
    out = []
    for a, b in pairs:
        try:
            fa, fb = exact.rational_function(a, symbols), exact.rational_function(b, symbols)
        except RecursionError:
            fa = fb = None
        out.append((fa, fb) if fa is not None and fb is not None else None)
    return out


_HOLDS = {"=": lambda x, y: x == y, "<=": lambda x, y: x <= y, "<": lambda x, y: x < y,
          ">=": lambda x, y: x >= y, ">": lambda x, y: x > y}


def _exact_values(values) -> list | None:
    """The point's values as ints and Fractions (once per point, for every pair), or None when one is not rational."""
    p = [exact.exact_number(v) for v in values]
    return None if any(v is None for v in p) else p


def _fast_fails(rel: str, f, p: list | None) -> bool | None:
    """Whether `rel` fails at the point `p` (see _exact_values), decided exactly with Python's
    integers and fractions — the verdict SymPy's evaluation gives for a rational point — or None
    when it is SymPy's to decide (a side that is not rational arithmetic, a division by zero, or a
    value that is not rational)."""
    if f is None or p is None or rel not in _HOLDS:
        return None
    try:
        x, y = f[0](p), f[1](p)
    except RecursionError:
        return None
    if x is None or y is None:
        return None
    return not _HOLDS[rel](x, y)


def _nodes(e: sp.Basic) -> int:
    """Size of an expression tree (a measure of work, never of time)."""
    return sum(1 for _ in sp.preorder_traversal(e))


def _all(values) -> list[sp.Expr] | None:
    """Every value of a finite domain (up to ENUMERATE of them), or None for an infinite or larger one."""
    if values.finite:
        return list(dict.fromkeys(values.finite))
    size = values.interval.finite_size
    if size is None or size > ENUMERATE:
        return None
    lo = int(sp.ceiling(values.interval.lo))
    return [sp.Integer(v) for v in range(lo, lo + size)]
