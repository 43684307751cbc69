"""Where a line is defined, read off the line as written (before SymPy cancels anything).

Every denominator must be nonzero, every log argument positive, every log base positive and not
1, every even root's radicand nonnegative, every bound of a sum or product an integer, at every
point of the domain. SymPy turns
`floor(x)/floor(x)` into 1 as soon as it evaluates, so the conditions are collected from the
unevaluated line; a point of the domain where one fails is a finding (the line is undefined
there), never a point to skip. A condition is shown to hold from the domain's assumptions, or by
counting a polynomial's real roots in the interval; otherwise it is searched at readable points,
the roots of polynomial conditions and random exact points, and, if no violation turns up, the
verdict says which condition it could not establish.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import AppliedUndef

from . import exact
from .link import Link, Values
from .results import Counterexample
from .strategies.base import Context

_SKIP = (sp.Sum, sp.Product, sp.Integral, sp.Derivative, sp.Limit, sp.Subs, AppliedUndef)
_RANDOM_POINTS = 12


@dataclass(frozen=True)
class Condition:
    """What must hold for a line to be defined: `expr` is nonzero / positive / nonnegative / not one / an integer."""

    kind: str
    expr: sp.Expr
    why: str


def conditions(expr: sp.Basic, symbols: set[sp.Symbol], skip: tuple = (), rename: Callable[[sp.Basic], sp.Basic] | None = None) -> list[Condition]:
    """The definedness conditions of a line, over the given domain symbols only.

    `rename`, if given, is applied to each condition's expression (and to a sum's bounds before
    they are asked whether they are integers): the symbols of the line as written swapped for the
    ones that carry the domain's assumptions. Only the conditions are renamed, not the whole line:
    a network's line is large and its conditions few. The line is walked as a DAG, each distinct
    subexpression once, in the order of a tree walk (so the first condition found is the same)."""
    out: list[Condition] = []
    stop = _SKIP + tuple(skip)
    seen: set = set()
    named = rename or (lambda e: e)

    def walk(e: sp.Basic) -> None:
        if isinstance(e, sp.Basic) and e.args:
            if e in seen:
                return  # its conditions are already in `out`, found where it first occurred
            seen.add(e)
        if isinstance(e, (sp.Sum, sp.Product)) and not isinstance(e, tuple(skip)):
            # A sum runs over integers: a bound that is not one (Σ_{k=1}^{p} with p ∈ (0, 1)) is a
            # typo, not SymPy's Karr convention. (Bounds only: the body is the sum's own business.)
            for limit in e.limits:
                for bound in map(named, limit[1:]):
                    if bound.is_finite is not False and bound.is_integer is not True:
                        out.append(Condition("integer", bound, f"{_s(bound)} is not an integer as the bound of a {type(e).__name__.lower()}"))
        if isinstance(e, stop) or not isinstance(e, sp.Basic):
            return
        if isinstance(e, sp.MatrixBase):
            for x in e:
                walk(x)
            return
        if e.is_Pow:
            b, k = e.args
            if k.is_number and k.is_negative:
                b = named(b)
                out.append(Condition("nonzero", b, f"{_s(b)} is 0 in a denominator"))
            if k.is_Rational and not k.is_Integer and k.q % 2 == 0:
                b = named(b)
                out.append(Condition("nonnegative", b, f"{_s(b)} is negative under an even root"))
        elif isinstance(e, (sp.tan, sp.sec)):
            a = named(e.args[0])
            out.append(Condition("nonzero", sp.cos(a), f"cos({_s(a)}) is 0 under {type(e).__name__}"))
        elif isinstance(e, (sp.cot, sp.csc)):
            a = named(e.args[0])
            out.append(Condition("nonzero", sp.sin(a), f"sin({_s(a)}) is 0 under {type(e).__name__}"))
        elif isinstance(e, (sp.asin, sp.acos)):
            a = named(e.args[0])
            out.append(Condition("nonnegative", 1 - a ** 2, f"{_s(a)} is outside [-1, 1] under {type(e).__name__}"))
        elif isinstance(e, sp.atanh):
            a = named(e.args[0])
            out.append(Condition("positive", 1 - a ** 2, f"{_s(a)} is outside (-1, 1) under atanh"))
        elif isinstance(e, sp.acosh):
            a = named(e.args[0])
            out.append(Condition("nonnegative", a - 1, f"{_s(a)} < 1 under acosh"))
        elif isinstance(e, sp.log):
            a = named(e.args[0])
            out.append(Condition("positive", a, f"log of {_s(a)} ≤ 0"))
            if len(e.args) > 1:
                base = named(e.args[1])
                out.append(Condition("positive", base, f"log base {_s(base)} ≤ 0"))
                out.append(Condition("not one", base, f"log base {_s(base)} is 1"))
        for a in e.args:
            walk(a)

    walk(expr)
    found: dict = {}
    for c in out:
        if c.expr.free_symbols <= symbols and not c.expr.has(*stop):
            found.setdefault((c.kind, c.expr), c)
    return list(found.values())


def _s(e: sp.Basic) -> str:
    return exact.show(e)


def _holds(kind: str, value: sp.Expr) -> bool | None:
    if kind == "integer":
        return value.is_integer if value.is_Rational else None
    s = exact.sign(value)
    if s is None:
        return None
    return {"nonzero": s != 0, "positive": s > 0, "nonnegative": s >= 0, "not one": s != 0}[kind]


def _value(kind: str, e: sp.Expr) -> sp.Expr:
    return e - 1 if kind == "not one" else e


def _shown(c: Condition, values: dict[sp.Symbol, Values]) -> bool:
    """True when the condition holds on the whole domain, by assumptions or by counting roots."""
    e = _value(c.kind, c.expr)
    if c.kind == "integer":
        return e.is_integer is True
    attr = {"nonzero": "is_nonzero", "positive": "is_positive", "nonnegative": "is_nonnegative", "not one": "is_nonzero"}[c.kind]
    if getattr(e, attr) is True:
        return True
    if e.has(sp.beta) and getattr(e.rewrite(sp.gamma), attr) is True:
        return True  # B(a, b) = Γ(a)Γ(b)/Γ(a + b), an identity: SymPy's assumptions know the sign of Γ, not of B
    free = list(e.free_symbols)
    if len(free) != 1:
        return False
    s = free[0]
    iv = values[s].interval if s in values else None
    if iv is None or iv.integer or not (iv.lo.is_finite and iv.hi.is_finite):
        return False
    try:
        num, den = sp.fraction(sp.together(e))
        if not (num.is_polynomial(s) and den.is_polynomial(s)):
            return False
        if sp.Poly(den, s).count_roots(iv.lo, iv.hi) - _at_ends(den, s, iv) > 0:
            return False
        odd = sp.Integer(1)  # the factors that can change sign: odd multiplicity
        for f, k in sp.factor_list(num, s)[1]:
            if k % 2:
                odd *= f
        inside = sp.Poly(num, s).count_roots(iv.lo, iv.hi) - _at_ends(num, s, iv)
        if c.kind in ("nonzero", "not one", "positive") and inside > 0:
            return False
        if sp.Poly(odd, s).count_roots(iv.lo, iv.hi) - _at_ends(odd, s, iv) > 0:
            return False
        mid = (iv.lo + iv.hi) / 2
        for k in range(1, 50):  # a point where e is not 0 tells the constant sign
            p = iv.lo + (iv.hi - iv.lo) * sp.Rational(k, 50) if k > 1 else mid
            v = e.xreplace({s: p})
            sign = exact.sign(v)
            if sign:
                return sign > 0 if c.kind in ("positive", "nonnegative") else True
    except Exception:  # a root counter's gap (DomainError over irrational coefficients, …): not shown
        return False
    return False


def _at_ends(p: sp.Expr, s: sp.Symbol, iv) -> int:
    """How many of the interval's two ends are roots of p (count_roots counts a closed interval)."""
    return sum(1 for end in (iv.lo, iv.hi) if p.xreplace({s: end}) == 0)


def check(line: sp.Basic, values: dict[sp.Symbol, Values], ctx: Context, label: str,
          rename: Callable[[sp.Basic], sp.Basic] | None = None) -> tuple[Counterexample | None, list[str]]:
    """(a point where the line is undefined, the conditions not established on the whole domain);
    `rename` as in `conditions`."""
    conds = [Condition(c.kind, exact.rationalize(c.expr), c.why) for c in conditions(line, set(values), rename=rename)]
    if not conds:
        return None, []
    from .witness import _beside, _roots, nice_points  # a line with conditions to probe needs the witness search
    unshown: list[str] = []
    for c in conds:
        if _shown(c, values):
            continue
        free = sorted(c.expr.free_symbols, key=lambda s: s.name)
        if not free:
            ok = _holds(c.kind, _value(c.kind, c.expr))
            if ok is False:
                return _finding({}, c, label, {}), []
            if ok is None:
                unshown.append(c.why.replace(" is ", " may be ", 1))
            continue
        probe = Link(0, _value(c.kind, c.expr), sp.Integer(0), "=", {s: values[s] for s in free})
        points = list(nice_points(probe, ctx))
        if len(free) == 1 and values[free[0]].interval is not None and not values[free[0]].interval.integer:
            iv = values[free[0]].interval
            points += [{free[0]: r} for r in _roots(_value(c.kind, c.expr), free[0], iv)]
            if c.kind in ("positive", "nonnegative"):  # where the sign can change: zeros, and just beside them
                points += [{free[0]: p} for r in _roots(_value(c.kind, c.expr), free[0], iv) for p in _beside(r, iv)]
        points += [{s: values[s].random_exact(ctx.rng) for s in free} for _ in range(_RANDOM_POINTS)]
        for point in points:
            if any(v is None for v in point.values()):
                continue
            try:
                v = _value(c.kind, c.expr).xreplace(point)
            except (TypeError, ValueError, ZeroDivisionError):
                continue
            if exact.undefined(v) or _holds(c.kind, v) is False:
                return _finding(point, c, label, {"value": v}), []
        unshown.append(f"{_condition_text(c)}")
    return None, unshown


def _condition_text(c: Condition) -> str:
    e = _s(c.expr)
    return {"nonzero": f"{e} ≠ 0", "positive": f"{e} > 0", "nonnegative": f"{e} ≥ 0", "not one": f"{e} ≠ 1", "integer": f"{e} is an integer"}[c.kind]


def _finding(point: dict, c: Condition, label: str, extra: dict) -> Counterexample:
    values = tuple((str(s), exact.show(point[s])) for s in sorted(point, key=lambda s: s.name))
    value = extra.get("value")
    shown = f" ({_s(c.expr)} = {exact.show(value if c.kind != 'not one' else value + 1)})" if value is not None else ""
    return Counterexample(values=values, lhs="undefined", rhs="", difference=f"{label} is undefined here: {c.why}{shown}", exact=True)
