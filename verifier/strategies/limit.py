"""Approximate lines (≈): lhs − rhs → 0 as the limit symbol tends to its value, for every point of the domain.

When its `proved` is a proof:
- the limit is taken from every side the domain allows (two-sided at an interior point, from
  inside at an end of the domain, or as declared with limit=(t, value, "+" | "-" | "+-")), and
  it is 0 from each side for generic values of the other symbols, shown to be 0 identically by
  a sound identity strategy. The limit is read off Taylor coefficients when the numerator and
  denominator are smooth in the limit symbol (`taylor_limit`: exact, and valid at every value of
  the other symbols); otherwise it is SymPy's `limit`;
- the exceptional points, where the limit can differ from the generic one, come from the
  expression: the zeros of every factor that multiplies the limit symbol, of every coefficient
  of numerator and denominator as polynomials in it, and of every base raised to a power that
  contains it. Each zero set is found exactly (one symbol, a finite set of roots in the domain)
  and the limit re-taken there. When a zero set cannot be enumerated (several symbols, an
  equation SymPy cannot solve), the verdict is at most `checked` and says which set was not.
A nonzero one-sided limit, or a nonzero limit at an exceptional point, is an exact refutation.

Little-o terms (`Step(small=(o,))`, the limit t → 0): each o(t) is one unknown function with
o(t)/t → 0. It is written t·ε with ε = o(t)/t, and lhs − rhs must then be a polynomial in t and
the ε's whose coefficients are finite wherever the line is defined (no denominator with a symbol).
Such a polynomial tends to its constant term however ε depends on t, since every ε → 0: the
limit is that term exactly, for every value of the other symbols (so no exceptional point), and
it is checked to be 0 — or refuted at a point — like any generic limit. An o(·) of anything but
t, or a difference that is not such a polynomial, leaves the line inconclusive.
"""
from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from .. import algebra, exact
from ..errors import StepTimeout
from ..link import Link
from ..results import Counterexample, LinkResult
from . import probing, sampling, structural
from .base import Context, Outcome

_EXCEPTIONS = 24  # exceptional points examined (a count, never a clock)


def settle(link: Link, ctx: Context, concrete_points: bool = True) -> LinkResult:
    """The verdict on an approximate line."""
    index = link.index
    if link.limit is None:
        return LinkResult(index, "inconclusive", "approximation",
                          "an approximate line (≈) needs limit=(symbol, value) to say in what sense it holds")
    sym, to = link.limit[0], link.limit[1]
    dirs = _directions(link, sym, to)
    if isinstance(dirs, str):
        return LinkResult(index, "inconclusive", "limit", dirs)
    arrow = f"{sym} → {to}"
    if len(dirs) == 1 and to.is_finite:
        arrow = f"{sym} → {to}{'⁺' if dirs[0] == '+' else '⁻'}"
    if link.small:
        return _little_o(link, ctx, sym, to, arrow)
    try:
        diffs = [sp.cancel(sp.together(a - b)) for a, b in link.pairs()]
        limits = []
        for d in diffs:
            for direction in dirs:
                value = _limit(d, sym, to, direction)
                if value is None:
                    return LinkResult(index, "inconclusive", "limit", f"SymPy left the limit as {arrow} undecided")
                limits.append((d, direction, value))
    except (ValueError, TypeError, NotImplementedError, AttributeError) as exc:
        return LinkResult(index, "inconclusive", "limit", f"SymPy could not take the limit as {arrow}: {exc}")
    # 1. The generic limit must be 0 from every side, identically in the other symbols.
    others = {s: v for s, v in link.values.items() if s != sym}
    for d, direction, value in limits:
        if not value.free_symbols:
            if exact.sign(value) not in (0, None):
                return _refuted(link, {}, sym, to, direction, value)
            if exact.sign(value) is None:
                return LinkResult(index, "inconclusive", "limit", f"could not decide whether the limit {value} is 0")
    generic, found = _vanishes([value for _, _, value in limits], link, others, ctx, may_refute=True)
    if found is not None:
        return LinkResult(index, "refuted", "counterexample", f"lhs − rhs does not vanish as {arrow}: {found}", counterexample=found)
    if generic is None:
        return LinkResult(index, "inconclusive", "limit", f"could not show the limit as {arrow} is 0 for every value of the other symbols")
    # 2. Exceptional points: where what multiplies the limit symbol vanishes.
    points, missing = exceptional_points(diffs, sym, others)
    for point in points[:_EXCEPTIONS]:
        for d in diffs:
            for direction in dirs:
                at = d.xreplace(point)
                if at.has(sp.nan, sp.zoo):
                    continue  # the line itself is undefined there: a definedness matter, reported as such
                value = _limit(at, sym, to, direction)
                if value is None:
                    missing.append(f"the limit at {_show(point)}")
                    continue
                found = _nonzero_at(value, point, others, ctx)
                if found is not None:
                    return _refuted(link, found, sym, to, direction, value.xreplace(found))
    # 3. When a zero set could not be enumerated: readable points, each substituted before the
    #    limit is taken (concrete links only: free moment symbols may take values no distribution has).
    if missing and concrete_points and link.concrete:
        special = _readable_exception(link, diffs, sym, to, dirs, others, ctx)
        if special is not None:
            return special
    if missing:
        return LinkResult(index, "checked", f"limit+{generic.method}",
                          f"lhs − rhs → 0 as {arrow} for generic values and at {len(points)} exceptional point(s); "
                          f"not enumerated: {'; '.join(dict.fromkeys(missing))}", points=generic.points)
    verdict = generic.verdict
    where = f" and at each of the {len(points)} exceptional point(s)" if points else " (no exceptional point in the domain)"
    return LinkResult(index, verdict, f"limit+{generic.method}",
                      f"lhs − rhs → 0 as {arrow} for generic values{where}; {generic.detail}", points=generic.points)


def _little_o(link: Link, ctx: Context, sym, to, arrow: str) -> LinkResult:
    """The limit of a difference with little-o terms: its constant term as a polynomial in t and ε = o(t)/t."""
    index = link.index
    if to != 0:
        return LinkResult(index, "inconclusive", "limit", f"little-o terms are read as {sym} → 0 only (here {arrow})")
    small = set(link.small)
    eps: dict[sp.Basic, sp.Dummy] = {}
    constants = []
    bound: dict[tuple, sp.Dummy] = {}

    def same_index(e: sp.Sum) -> sp.Basic:
        """Σ_k f(k) and Σ_s f(s) over one range written with one index, so that they cancel."""
        (k, lo, hi), = e.limits
        key = (lo, hi, bool(k.is_integer))
        new = bound.setdefault(key, sp.Dummy("κ", integer=True) if k.is_integer else sp.Dummy("κ"))
        return sp.Sum(e.function.xreplace({k: new}), (new, lo, hi))

    for a, b in link.pairs():
        d = (a - b).replace(lambda e: isinstance(e, sp.Sum) and len(e.limits) == 1 and not e.function.has(sp.Sum), same_index)
        for app in sorted({x for x in d.atoms(AppliedUndef) if x.func in small}, key=sp.default_sort_key):
            if app.args != (sym,):
                return LinkResult(index, "inconclusive", "limit", f"{app} is little-o of something other than {sym}")
            eps.setdefault(app, sp.Dummy(f"ε_{app.func}"))
        d = sp.expand(d.xreplace({app: sym * e for app, e in eps.items()}))
        if any(x.func in small for x in d.atoms(AppliedUndef)):
            return LinkResult(index, "inconclusive", "limit", "a little-o term inside another function")
        gens = (sym, *eps.values())
        if not d.is_polynomial(*gens):
            return LinkResult(index, "inconclusive", "limit",
                              f"lhs − rhs is not a polynomial in {sym} and the little-o terms: its limit is not read")
        terms = sp.Poly(d, *gens).terms()
        for _, coeff in terms:
            if sp.denom(sp.together(coeff)).free_symbols or coeff.has(sp.zoo, sp.nan, sp.oo, sp.S.NegativeInfinity):
                return LinkResult(index, "inconclusive", "limit",
                                  f"a coefficient of lhs − rhs ({coeff}) may be infinite: its limit is not read")
        constants.append(sum((c for m, c in terms if not any(m)), sp.Integer(0)))
    others = {s: v for s, v in link.values.items() if s != sym}
    # the little-o terms are gone from the limit: it is concrete unless something else is unknown
    concrete = link.concrete or not any(c.has(AppliedUndef) or any(x.name.startswith("E[") for x in c.free_symbols)
                                        for c in constants)
    how = (f"lhs − rhs is a polynomial in {sym} and ε = o({sym})/{sym} (each ε → 0), so it tends to its constant term"
           f" as {arrow}")
    out, found = _vanishes(constants, link, others, ctx, may_refute=concrete)
    if out is not None:
        return LinkResult(index, out.verdict, f"limit+{out.method}", f"{how}, which is 0: {out.detail}", points=out.points)
    if found is not None:
        return LinkResult(index, "refuted", "counterexample", f"{how}, which is not 0: {found}", counterexample=found)
    return LinkResult(index, "inconclusive", "limit", f"{how}; that term could not be decided")


def _vanishes(values: list, link: Link, others: dict, ctx: Context, may_refute: bool) -> tuple[Outcome | None, object]:
    """Are the limits `values` 0 for every value of the other symbols? (the strategy's outcome that
    proves or checks it, None) — or (None, a point where one is not 0, found by the strategies'
    candidates when `may_refute`) — or (None, None): undecided."""
    limited = Link(link.index, sp.ImmutableMatrix(values) if len(values) > 1 else values[0],
                   sp.zeros(len(values), 1) if len(values) > 1 else sp.Integer(0), "=", others,
                   realization=link.realization, fixed=link.fixed)
    for attempt in (structural.attempt, probing.attempt, sampling.attempt):
        try:
            out = attempt(limited, ctx)
        except (TypeError, ValueError, NotImplementedError, ZeroDivisionError):
            continue
        if out is None:
            continue
        if out.verdict in ("proved", "checked"):
            return out, None
        if out.candidates and may_refute:
            from ..witness import evaluate

            found = evaluate(limited, out.candidates[0])
            if found is not None:
                return None, found
    return None, None


def _directions(link: Link, sym, to) -> list[str] | str:
    """The sides the limit is taken from: declared, else those the symbol's domain allows."""
    declared = link.limit[2] if len(link.limit) > 2 else None
    if not to.is_finite:
        return ["+"]  # SymPy's limit at ±oo has one side
    if declared is not None:
        return ["+", "-"] if declared == "+-" else [declared]
    values = link.values.get(sym)
    iv = values.interval if values is not None else None
    if iv is None:
        return ["+", "-"]
    if to == iv.lo:
        return ["+"]
    if to == iv.hi:
        return ["-"]
    if iv.lo < to < iv.hi:
        return ["+", "-"]
    return f"the limit point {sym} = {to} is outside the domain {iv} of {sym}"


def _limit(d: sp.Expr, sym, to, direction: str) -> sp.Expr | None:
    if to.is_finite:
        value = taylor_limit(d, sym, to)
        if value is not None:
            return value
    try:
        value = sp.limit(d, sym, to, direction) if to.is_finite else sp.limit(d, sym, to)
    except (ValueError, TypeError, NotImplementedError, AttributeError, ZeroDivisionError):
        return None
    if value.has(sp.Limit, sp.AccumBounds, sp.nan):
        return None
    return value


# Functions analytic on the whole real line. Sums, products, whole nonnegative powers of them and
# of the limit symbol, and a positive number raised to such an expression, are smooth in it
# everywhere: near the limit point they are their Taylor polynomials.
_ENTIRE = (sp.exp, sp.sin, sp.cos, sp.sinh, sp.cosh)
_TAYLOR_ORDER = 4  # derivatives taken at most: a count, never a clock


def _smooth(e: sp.Basic, sym: sp.Symbol) -> bool:
    """True when e is built from `sym` by the smooth operations above (a part without `sym` is a constant)."""
    if e == sym or not e.has(sym):
        return True
    if isinstance(e, (sp.Add, sp.Mul)):
        return all(_smooth(a, sym) for a in e.args)
    if isinstance(e, sp.Pow):
        base, power = e.args
        if power.is_Integer and power >= 0:
            return _smooth(base, sym)
        return not base.has(sym) and base.is_number and exact.sign(base) == 1 and _smooth(power, sym)  # bˣ = eˣˡⁿᵇ
    return isinstance(e, _ENTIRE) and _smooth(e.args[0], sym)


def _is_zero(e: sp.Expr) -> bool:
    """e is 0 for every value of its symbols (wherever defined): its expansion is 0."""
    return e == 0 or algebra.expands_to_zero(e) is True or sp.expand(e) == 0


def taylor_limit(d: sp.Expr, sym: sp.Symbol, to: sp.Expr) -> sp.Expr | None:
    """lim d as sym → to, from either side, when d = N/D with N and D smooth in sym (see `_smooth`):
    with k the first order at which D's derivative at `to` is a nonzero number, and N's derivatives
    of every lower order 0 there, the limit is N⁽ᵏ⁾(to)/D⁽ᵏ⁾(to) (Taylor's theorem: both are their
    k-th Taylor polynomials plus o((sym − to)ᵏ)). It holds at every value of the other symbols
    where d is defined, so it is also the limit at each exceptional point. None when the rule
    does not apply (then SymPy's `limit` is asked)."""
    num, den = sp.fraction(d)
    if not (_smooth(num, sym) and _smooth(den, sym)):
        return None
    at = {sym: to}
    for _ in range(_TAYLOR_ORDER + 1):
        n0, d0 = num.xreplace(at), den.xreplace(at)  # (sym is gone: substituted by the point)
        if d0.is_number and exact.sign(d0) in (-1, 1):
            return n0 / d0
        if not _is_zero(d0) or not _is_zero(n0):
            return None  # a denominator not known to vanish or not, or a pole: SymPy decides
        num, den = sp.diff(num, sym), sp.diff(den, sym)
    return None


def exceptional_points(diffs, sym, others: dict) -> tuple[list[dict], list[str]]:
    """Points of the other symbols where the limit may differ: zeros of what multiplies `sym`."""
    coefficients: list[sp.Expr] = []
    for d in diffs:
        for sub in sp.preorder_traversal(d):
            if sub.is_Mul and sub.has(sym):
                c = sp.Mul(*[f for f in sub.args if not f.has(sym)])
                coefficients.append(c)
            elif sub.is_Pow and sub.exp.has(sym) and not sub.base.has(sym):
                coefficients += [sub.base, sub.base - 1]
        num, den = sp.fraction(sp.together(d))
        for part in (num, den):
            if part.has(sym) and part.is_polynomial(sym):
                try:
                    coefficients += sp.Poly(part, sym).coeffs()
                except sp.PolynomialError:
                    pass
    points: list[dict] = []
    missing: list[str] = []
    seen = set()
    for c in coefficients:
        c = sp.factor(c) if c.free_symbols else c
        for factor in sp.Mul.make_args(c):
            if factor.is_Pow and factor.exp.is_negative:
                continue  # 1/g never vanishes; where g = 0 the line is undefined (a definedness matter)
            base = factor.base if factor.is_Pow and factor.exp.is_positive else factor
            free = base.free_symbols & set(others)
            if not free or base in seen:
                continue
            seen.add(base)
            if len(free) > 1:
                origin = _sum_of_squares_zero(base, free)
                if origin is not None:
                    points.append(origin)
                    continue
                curve = _solved(base, free, others)
                if curve is not None:
                    points.append(curve)
                    continue
                missing.append(f"the zeros of {exact.show(base)}")
                continue
            (s,) = free
            iv = others[s].interval
            if iv is None:
                for v in others[s].finite:
                    if base.xreplace({s: v}) == 0:
                        points.append({s: v})
                continue
            domain = sp.Interval.open(iv.lo, iv.hi) if not iv.integer else sp.Range(int(sp.ceiling(iv.lo)), int(sp.floor(iv.hi)) + 1) if iv.hi.is_finite and iv.lo.is_finite else sp.S.Integers
            try:
                roots = sp.solveset(base, s, domain if not iv.integer else sp.S.Reals)
            except (NotImplementedError, ValueError, TypeError):
                roots = None
            if roots is sp.S.EmptySet:
                continue
            if not isinstance(roots, sp.FiniteSet):
                missing.append(f"the zeros of {exact.show(base)}")
                continue
            for r in roots:
                if iv.integer and not (r.is_integer and iv.lo <= r <= iv.hi):
                    continue
                points.append({s: r})
    unique = []
    for p in points:
        if p not in unique:
            unique.append(p)
    return unique, missing


def _sum_of_squares_zero(c: sp.Expr, free) -> dict | None:
    """The single zero of a sum of positive multiples of even powers (d₁² + d₂² vanishes only at 0)."""
    terms = sp.Add.make_args(sp.expand(c))
    for t in terms:
        coeff, rest = t.as_coeff_Mul()
        if not coeff.is_positive:
            return None
        for f in sp.Mul.make_args(rest):
            b, k = f.as_base_exp()
            if b not in free or not (k.is_Integer and k % 2 == 0):
                return None
    return {s: sp.Integer(0) for s in free} if all(t.free_symbols for t in terms) else None


def _solved(c: sp.Expr, free, others: dict) -> dict | None:
    """A zero set given as one real symbol solved linearly in terms of the others (a curve), or None."""
    for s in sorted(free, key=lambda x: x.name):
        if others[s].interval is None or others[s].interval.integer or str(s).startswith("E["):
            continue
        try:
            if not c.is_polynomial(s) or sp.degree(c, s) != 1:
                continue
            (root,) = sp.solve(c, s)
        except (ValueError, NotImplementedError, TypeError, sp.PolynomialError):
            continue
        return {s: root}
    return None


def _nonzero_at(value: sp.Expr, point: dict, others: dict, ctx: Context) -> dict | None:
    """A full point (the exceptional one completed by readable values) where `value` is not 0."""
    rest = sorted(value.free_symbols & set(others), key=lambda s: s.name)
    if not rest:
        s = exact.sign(value)
        return dict(point) if s not in (0, None) and _inside(point, {}, others) else None
    from ..witness import nice_points

    probe = Link(0, sp.Add(*rest), sp.Integer(0), "=", {s: others[s] for s in rest})
    for k, completion in enumerate(nice_points(probe, ctx)):
        if k >= 24:
            break
        if any(v is None for v in completion.values()):
            continue
        v = value.xreplace(completion)
        if exact.sign(v) not in (0, None) and _inside(point, completion, others):
            return {**{s: e.xreplace(completion) for s, e in point.items()}, **completion}
    return None


def _inside(point: dict, completion: dict, others: dict) -> bool:
    """True when every value of the point (a curve evaluated at the completion) is in its domain."""
    for s, e in point.items():
        v = e.xreplace(completion) if isinstance(e, sp.Basic) else e
        if not (isinstance(v, sp.Basic) and v.is_number and others[s].contains(v)):
            return False
    return True


def _readable_exception(link: Link, diffs, sym, to, dirs, others, ctx: Context) -> LinkResult | None:
    """A readable point of the domain where the limit is not 0 (the point substituted first)."""
    from ..witness import nice_points

    free = sorted({s for d in diffs for s in d.free_symbols} - {sym}, key=lambda s: s.name)
    if not free:
        return None
    probe = Link(link.index, sp.Add(*free), sp.Integer(0), "=", {s: others[s] for s in free})
    try:
        for k, point in enumerate(nice_points(probe, ctx)):
            if k >= _EXCEPTIONS:
                break
            if any(v is None for v in point.values()):
                continue
            for d in diffs:
                for direction in dirs:
                    value = _limit(d.xreplace(point), sym, to, direction)
                    if value is not None and not value.free_symbols and exact.sign(value) not in (0, None):
                        return _refuted(link, point, sym, to, direction, value)
    except StepTimeout:
        raise
    except (ValueError, TypeError, NotImplementedError):
        return None
    return None


def _refuted(link: Link, point: dict, sym, to, direction: str, value: sp.Expr) -> LinkResult:
    side = "" if not to.is_finite else ("⁺" if direction == "+" else "⁻")
    values = tuple(link.fixed.items()) + tuple((str(s), exact.show(point[s])) for s in sorted(point, key=lambda s: s.name))
    lhs, rhs = f"{exact.show(value)} + lim(this line)", "lim(this line)"
    if not link.is_matrix:  # each side's own limit, when SymPy can take them apart
        la, lb = (_limit(x.xreplace(point), sym, to, direction) for x in (link.lhs, link.rhs))
        if la is not None and lb is not None and la.is_number and lb.is_number:
            lhs, rhs = exact.show(la), exact.show(lb)
    cx = Counterexample(values=values + (("limit", f"{sym} → {to}{side}"),), lhs=lhs,
                        rhs=rhs, difference=exact.show(value), exact=True, realization=link.realization)
    return LinkResult(link.index, "refuted", "counterexample", f"lhs − rhs does not vanish as {sym} → {to}{side}: {cx}", counterexample=cx)


def _show(point: dict) -> str:
    return ", ".join(f"{s} = {exact.show(v)}" for s, v in point.items())
