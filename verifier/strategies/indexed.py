"""Sums with symbolic bounds (Σ_{i=lo}^{m+c} f(i), m an integer size symbol): one proof for every size.

Each side is rewritten, by identities that hold for every integer value of the sizes on their
domain, into an expression with no sum left; the two rewritten sides are then compared as rational
functions of independent symbols.

The rewriting rules (each function's docstring states its side conditions):
  * derivatives of sums are taken term by term (`_derivatives`), giving Kronecker deltas;
  * bounds are normalized to Σ_{i=1}^{m} plus finitely many explicit terms (`_normalize_bounds`);
  * a sum is split over the terms of its expanded summand; factors free of i come out (`Reducer.sum`);
  * Σ_i δ(i, k) f(i) = f(k) when 1 ≤ k ≤ m on the whole domain (`_collapse_delta`);
  * Σ_i c = m·c, and a polynomial in i alone by Faulhaber's formula (`_polynomial_in_index`);
  * Σ_k C(N, k + t) k^r a^k b^{N−k}: the binomial theorem, differentiated (`_binomial`);
  * any other Σ_i M(i) becomes a fresh symbol, the same one for the same (flattened, index-renamed)
    sum (`_power_sum`): Σ_i x_i, Σ_i x_i², Σ_i g_i x_i are treated as independent variables, and
    Σ_i Σ_j w_ij x_i y_j is one variable whichever order the sums are written in.

When its `proved` is a proof: every rewrite above is an identity for each value of the sizes its
side conditions allow, and those conditions are checked against the domain (a condition not
decided for the whole domain means "not my case"). The final comparison replaces each radical
B^(p/q) by u^p with u = B^(1/q) ≥ 0, eliminates a symbol in which B is linear (ε = u² − σ²), and
proves the difference is 0 as a rational function of the remaining symbols, treated as
independent (exact `cancel`, no sampling). An identity of independent symbols holds under every
specialization, in particular at the actual sums: so the proof is sound, and incomplete — a
different normal form (an identity that needs a relation between power sums) is "not my case",
never a refutation. This strategy never refutes; wrong lines are left to the instances.
Work is bounded by counts (terms of an expanded summand, explicit boundary terms), never by the clock.
"""
from __future__ import annotations

import itertools
import math
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.polys.polyerrors import BasePolynomialError

from ..link import Link
from .base import Context, Outcome

MAX_TERMS = 4000  # terms of one expanded summand: beyond this the normal form is not worth building
MAX_OFFSET = 8  # explicit terms split off to normalize a bound (Σ_{i=0}^{m-1} → Σ_{i=1}^{m} − f(m) + f(0))
MAX_UNROLL = 64  # a sum with concrete bounds is written out when it has at most this many terms
MAX_DEGREE = 12  # of a polynomial in the index (Faulhaber) or of k in a binomial sum
MAX_INDICES = 4  # indices of one flattened multiple sum (their orders are all tried: 4! = 24)


class NotMine(Exception):
    """The expression is outside what the rules handle (or a side condition is not decided)."""


def attempt(link: Link, ctx: Context) -> Outcome | None:
    """Proved when both sides rewrite to the same rational function of independent symbols; else None."""
    if link.rel != "=" or link.is_matrix:
        return None
    if not any(isinstance(x, sp.Basic) and x.has(sp.Sum) for x in (link.lhs, link.rhs)):
        return None
    sizes = {s: v.interval for s, v in link.values.items() if v.interval is not None and v.interval.integer}
    try:
        red = Reducer(sizes, ctx.memo)
        lhs, rhs = red.reduce(link.lhs), red.reduce(link.rhs)
        if not same(lhs, rhs):
            return None
    except (NotMine, BasePolynomialError):
        return None  # not my case (a polynomial step SymPy cannot take is not a finding either)
    used = sorted(red.rules)
    return Outcome("proved", "indexed", "the two lines are the same function of the sizes and sums "
                   f"({', '.join(used) or 'algebra'}; {red.conditions()})")


# --- the reduction ---------------------------------------------------------------------------------


class Reducer:
    """Rewrites sums with symbolic bounds away; remembers the rules it used and the sizes' conditions."""

    def __init__(self, sizes: dict, memo: dict | None = None) -> None:
        self.sizes = sizes  # integer symbol -> Interval
        # `_derivatives` of each side, kept for the claim's other links (a pure function of the side)
        self._derived: dict = {} if memo is None else memo.setdefault("derivatives of sums", {})
        self.symbols: dict[tuple, Any] = {}  # (summand over the canonical index, bounds) -> its function
        self.rules: set[str] = set()
        self.used: set[sp.Symbol] = set()  # the size symbols whose domain the rules relied on
        self._c = [sp.Dummy(f"k{n}", integer=True) for n in range(MAX_INDICES)]  # canonical summation indices
        self.flat: dict[Any, tuple] = {}  # power-sum function -> (its parameters, summand, [(index, lo, hi)])

    def conditions(self) -> str:
        """The side conditions the rules checked, in words."""
        if not self.used:
            return "for every value of the sizes"
        return "for every " + ", ".join(f"{s} ≥ {self.sizes[s].lo}" for s in sorted(self.used, key=str) if s in self.sizes)

    def named(self) -> dict:
        """{each power-sum function: the (multiple) sum it names, as a Lambda of its other symbols}."""
        out = {}
        for f, (params, body, lims) in self.flat.items():
            total = sp.Sum(body, *[(d, a, b) for d, a, b in lims])
            out[f] = sp.Lambda(params, total) if params else total
        return out

    def reduce(self, e: Any) -> sp.Expr:
        """e without derivatives of sums and without sums over symbolic bounds (NotMine otherwise)."""
        if not isinstance(e, sp.Basic):
            raise NotMine("not a SymPy expression")
        if any(d.expr.has(sp.Sum) for d in e.atoms(sp.Derivative)):
            self.rules.add("derivatives of sums term by term")
        if e not in self._derived:
            try:
                self._derived[e] = _derivatives(e)
            except NotMine as exc:
                self._derived[e] = exc  # the same side is not this strategy's case in its next link either
        if isinstance(self._derived[e], NotMine):
            raise self._derived[e]
        e = self._derived[e]
        # A bound variable is no size, whatever the claim's domain says of it (Σ_j Σ_{i=1}^{j}: j runs
        # over the outer range, not over its own domain).
        bound = {lim[0] for s in e.atoms(sp.Sum, sp.Product) for lim in s.limits}
        self.sizes = {s: iv for s, iv in self.sizes.items() if s not in bound}
        e = self._sums(e)
        # Derivatives of undefined functions (σ'(z_j)) are atoms like any other; a sum left anywhere is not.
        if e.has(sp.Sum, sp.Product, sp.Integral) or any(not d.atoms(AppliedUndef) for d in e.atoms(sp.Derivative, sp.Subs)):
            raise NotMine("something is left unevaluated")
        return e

    def _sums(self, e: sp.Basic) -> sp.Basic:
        if not e.has(sp.Sum):
            return e
        if isinstance(e, sp.Sum):
            body = self._sums(e.function)  # inner sums first: they are constants of the outer index
            for lim in e.limits:
                body = self.sum(body, *lim)
            return body
        if isinstance(e, sp.Product):
            raise NotMine("a product")
        return e.func(*[self._sums(a) if isinstance(a, sp.Basic) else a for a in e.args])

    def sum(self, body: sp.Expr, i: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> sp.Expr:
        """Σ_{i=lo}^{hi} body, body without sums (an inner sum is a symbol or written out already)."""
        if lo.is_Integer and hi.is_Integer:
            if hi - lo + 1 > MAX_UNROLL or hi < lo - 1:
                raise NotMine("a long sum with concrete bounds")
            return sp.Add(*[body.xreplace({i: sp.Integer(v)}) for v in range(int(lo), int(hi) + 1)])
        size, lo_n, terms = self._normalize_bounds(body, i, lo, hi)
        total = sp.Add(*terms)
        expanded = _terms(body, i)
        rest = []
        for term in expanded:
            coeff, dep = _split(term, i)
            if dep == 1:
                self.rules.add("Σ c = (count)·c")
                total += coeff * (size - lo_n + 1)
                continue
            if dep.has(sp.KroneckerDelta):
                total += coeff * self._collapse_delta(dep, i, lo_n, size)
                continue
            rest.append((coeff, dep))
        # Binomial sums are decided on the whole summand's k-dependent part, term by term.
        for coeff, dep in rest:
            if dep.has(sp.binomial):
                total += coeff * self._binomial(dep, i, lo_n, size)
            elif _polynomial_in(dep, i):
                total += coeff * self._polynomial_in_index(dep, i, lo_n, size)
            else:
                total += coeff * self._power_sum(dep, i, lo_n, size)
        return total

    # --- rules ------------------------------------------------------------------------------------

    def _normalize_bounds(self, body: sp.Expr, i: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> tuple[sp.Symbol, sp.Integer, list]:
        """Σ_{i=lo}^{s+c} f = Σ_{i=1}^{s} f + (explicit terms): f(lo)…f(0) added when lo < 1, f(1)…f(lo−1)
        taken away when lo > 1, f(s+1)…f(s+c) added when c > 0, f(s+c+1)…f(s) taken away when c < 0.

        Side conditions: lo is an integer; hi = s + c with s a combination of size symbols (integer
        symbols with a domain) with natural coefficients and c an integer, |c| ≤ MAX_OFFSET,
        |lo − 1| ≤ MAX_OFFSET; i occurs in neither bound; and s + c ≥ lo − 1, s ≥ lo − 1 and s ≥ 0 on
        the whole domain (at its least value), so that every sum involved is an ordinary sum
        (possibly empty) and the split is one over disjoint ranges."""
        if not lo.is_Integer or i in hi.free_symbols:
            raise NotMine("bounds")
        size, c = self._offset(hi)
        if abs(c) > MAX_OFFSET or abs(lo - 1) > MAX_OFFSET:
            raise NotMine("offset")
        least = self._least(size)
        if not (least + min(c, 0) >= lo - 1 and least >= max(lo - 1, 0)):
            raise NotMine("a sum that may run backwards on the domain")
        self._need(size)
        terms = [body.xreplace({i: size + v}) for v in range(1, c + 1)]
        terms += [-body.xreplace({i: size + v}) for v in range(c + 1, 1)]
        terms += [body.xreplace({i: sp.Integer(v)}) for v in range(int(lo), 1)]
        terms += [-body.xreplace({i: sp.Integer(v)}) for v in range(1, int(lo))]
        if terms:
            self.rules.add("splitting off terms")
        return size, sp.Integer(1), terms

    def _collapse_delta(self, dep: sp.Expr, i: sp.Symbol, lo: sp.Integer, size: sp.Symbol) -> sp.Expr:
        """Σ_{i=lo}^{s} δ(i, k) f(i) = f(k) when lo ≤ k ≤ s for every s of the domain; = 0 when k < lo
        or k > s for every s of the domain.

        Side conditions: k is free of i and is an integer combination of size symbols (e.g. 1, m, j
        for a width m = j + r); its position relative to the range is decided for the whole domain
        from the sizes' least values (else not my case)."""
        factors = sp.Mul.make_args(dep)
        deltas = [f for f in factors if _is_delta_in(f, i)]
        if not deltas:
            raise NotMine("a delta that does not involve the index")
        delta = deltas[0]
        base = delta.base if isinstance(delta, sp.Pow) else delta
        if isinstance(delta, sp.Pow) and not (delta.exp.is_Integer and delta.exp > 0):
            raise NotMine("a delta to a negative power")
        a, b = base.args
        k = b if a == i else a if b == i else None
        if k is None or i in k.free_symbols:
            raise NotMine("a delta of an expression in the index")
        # lo ≤ k ≤ s for every size (inside), or k < lo or k > s for every size (outside)
        inside = self._nonnegative(k - lo) and self._nonnegative(size - k)
        outside = self._nonnegative(lo - 1 - k) or self._nonnegative(k - size - 1)
        self.rules.add("Kronecker delta")
        self._need(size)
        if outside:
            return sp.Integer(0)
        if not inside:
            raise NotMine("the delta's index is inside the range for some sizes only")
        rest = sp.Mul(*[f for f in factors if f is not delta])
        return rest.xreplace({i: k})

    def _polynomial_in_index(self, dep: sp.Expr, i: sp.Symbol, lo: sp.Integer, size: sp.Symbol) -> sp.Expr:
        """Σ_{i=lo}^{s} P(i) for a polynomial P of degree ≤ MAX_DEGREE: Faulhaber's closed form
        (SymPy's `summation` of a polynomial), an identity for every s ≥ lo − 1."""
        poly = sp.Poly(dep, i)
        if poly.degree() > MAX_DEGREE:
            raise NotMine("degree")
        self.rules.add("Faulhaber")
        k = sp.Dummy("k", integer=True)
        return sp.expand(sp.summation(dep.xreplace({i: k}), (k, lo, size)))

    def _power_sum(self, dep: sp.Expr, i: sp.Symbol, lo: sp.Integer, size: sp.Expr) -> sp.Expr:
        """Σ_{i=lo}^{s} M(i) as a fresh variable: a function of M's other symbols, the same one for the
        same sum. "The same" is decided on the flattened sum: a factor that is itself such a variable
        (an inner Σ_j) is written back into the summand (Σ_i a_i Σ_j b_ij = Σ_i Σ_j a_i b_ij, linearity),
        and the indices are renamed in the order that gives the least canonical form (Σ_i Σ_j = Σ_j Σ_i,
        exchange of finite sums).

        Side conditions: every range is 1…(a combination of sizes), none depends on another index
        (bounds that depend on a summation index are refused earlier), so the multiple sum is over a
        box and its order is free; at most MAX_INDICES indices. Naming a value needs no condition: an
        identity proved with it as an independent variable holds at its actual value."""
        if dep.has(sp.KroneckerDelta, sp.Sum) or any(not d.atoms(AppliedUndef) for d in dep.atoms(sp.Derivative, sp.Subs)):
            raise NotMine("a summand the rules cannot name")
        factors, limits = [], [(i, lo, size)]
        for f in sp.Mul.make_args(dep):
            base, e = f.as_base_exp()
            if getattr(base, "func", None) in self.flat and e.is_Integer and e > 0:
                params, body, lims = self.flat[base.func]
                for _ in range(int(e)):
                    fresh = {d: sp.Dummy("k", integer=True) for d, _, _ in lims}
                    factors.append(body.xreplace({**dict(zip(params, base.args)), **fresh}))
                    limits += [(fresh[d], a, b) for d, a, b in lims]
            else:
                factors.append(f)
        if len(limits) > MAX_INDICES:
            raise NotMine("too many nested indices")
        body = sp.Mul(*factors)
        best = None
        for order in itertools.permutations(range(len(limits))):
            rename = {limits[k][0]: self._c[n] for n, k in enumerate(order)}
            cand = body.xreplace(rename)
            bounds = tuple((limits[k][1], limits[k][2]) for k in order)
            rank = (sp.default_sort_key(cand), tuple(map(str, bounds)))
            if best is None or rank < best[0]:
                best = (rank, cand, bounds)
        _, canon, bounds = best
        key = (canon, bounds)
        if key not in self.symbols:
            # A function of the summand's other free symbols: an outer index j of Σ_j Σ_i w_ij x_i
            # stays visible to the outer sum (a bare symbol would hide it).
            f = sp.Function(f"Σ{len(self.symbols)}_{self._c[0].dummy_index}")
            dummies = self._c[:len(bounds)]
            params = tuple(_parameters(canon, *dummies))
            self.symbols[key] = f
            self.flat[f] = (params, canon, [(d, a, b) for d, (a, b) in zip(dummies, bounds)])
        self.rules.add("power sums as variables")
        if len(limits) > 1:
            self.rules.add("exchange of finite sums")
        f = self.symbols[key]
        return f(*self.flat[f][0])

    def _binomial(self, dep: sp.Expr, k: sp.Symbol, lo: sp.Integer, size: sp.Symbol) -> sp.Expr:
        """Σ_{k=lo}^{s} C(N, k + t) P(k) Π_b b^{α_b k + β_b} by the binomial theorem, differentiated:

            Σ_{j=0}^{N} C(N, j) j^(r) a^j b^(N−j) = N^(r) a^r (a + b)^(N−r)     (j^(r) falling factorial)

        Side conditions: N = s + c is an integer ≥ 0 on the whole domain, t is an integer (j = k + t);
        P is a polynomial in k (degree ≤ MAX_DEGREE), written in falling factorials of j; every base's
        exponent is linear in k with an integer slope; a is the product of the bases with positive
        slope, b of those with negative slope; what is left of each exponent once a^j and b^(N−j)
        are taken out is a natural number, or the base is nonzero; the range in j differs from 0…N by at most
        MAX_OFFSET explicit terms at each end; and for each r used, N ≥ r on the whole domain or
        a + b is nonzero (so (a + b)^(N−r) is defined)."""
        factors = sp.Mul.make_args(dep)
        binoms = [f for f in factors if isinstance(f, sp.binomial)]
        if len(binoms) != 1:
            raise NotMine("not one binomial")
        (binom,) = binoms
        N, top = binom.args
        if k in N.free_symbols:
            raise NotMine("the binomial's top depends on the index")
        t = sp.expand(top - k)
        if not t.is_Integer:
            raise NotMine("binomial(N, k + t) with t not an integer")
        sN, cN = self._offset(N)
        least = self._least(sN)
        if not least + cN >= 0:
            raise NotMine("N may be negative")
        j = sp.Dummy("j", integer=True)
        poly_part, powers = sp.Integer(1), {}
        for f in factors:
            if f is binom:
                continue
            f = f.xreplace({k: j - t})
            if j not in f.free_symbols:
                raise NotMine("a factor free of the index inside the index part")
            if _polynomial_in(f, j):
                poly_part *= f
                continue
            base, exp = f.as_base_exp()
            if j in base.free_symbols:
                raise NotMine("a base that depends on the index")
            exp = sp.expand(exp)
            slope = exp.coeff(j)
            if not (slope.is_Integer and sp.expand(exp - slope * j).free_symbols.isdisjoint({j})):
                raise NotMine("an exponent not linear in the index")
            s, c = powers.get(base, (sp.Integer(0), sp.Integer(0)))
            powers[base] = (s + slope, c + sp.expand(exp - slope * j))
        a, b, const = sp.Integer(1), sp.Integer(1), sp.Integer(1)
        for base, (slope, c) in powers.items():
            # base^(slope·j + c) = (base^slope)^j · base^c, or (base^(−slope))^(N − j) · base^(c + slope·N):
            # exact when the constant exponent is a natural number or the base is nonzero
            left = c if slope >= 0 else sp.expand(c + slope * N)
            if not ((left.is_Integer and left >= 0) or base.is_zero is False):
                raise NotMine("a base that may vanish with a negative or symbolic exponent left")
            if slope > 0:
                a *= base**slope
            elif slope < 0:
                b *= base ** (-slope)
            const *= base**left
        poly = sp.Poly(sp.expand(poly_part), j)
        if poly.degree() > MAX_DEGREE:
            raise NotMine("degree")
        # j^d = Σ_r S(d, r) j^(r): the polynomial in the falling-factorial basis
        ff: dict[int, sp.Expr] = {}
        for (d,), coeff in poly.terms():
            for r in range(d + 1):
                st = _stirling2(d, r)
                if st:
                    ff[r] = ff.get(r, 0) + coeff * st
        a_plus_b = a + b
        closed = sp.Integer(0)
        for r, coeff in ff.items():
            if not (least + cN >= r or a_plus_b.is_zero is False):
                raise NotMine("(a + b)^(N − r) may be undefined")
            closed += coeff * sp.ff(N, r) * a**r * a_plus_b ** (N - r)
        total = const * closed  # Σ_{j=0}^{N}; the explicit terms below are the summand itself
        # The range in j: lo + t … s + t, against 0 … N.
        j_lo, j_hi = lo + t, size + t
        gap_hi = sp.expand(N - j_hi)
        if not (gap_hi.is_Integer and abs(gap_hi) <= MAX_OFFSET and abs(j_lo) <= MAX_OFFSET):
            raise NotMine("the range is far from 0…N")

        def term(v: sp.Expr) -> sp.Expr:
            return sp.expand_func(dep.xreplace({k: v - t}))

        # Σ_{j_lo}^{j_hi} = Σ_0^N − Σ_0^{j_lo−1} − Σ_{j_hi+1}^N, each piece read as an ordinary sum of its terms
        total -= sum((term(sp.Integer(v)) for v in range(0, int(j_lo))), sp.Integer(0))
        total += sum((term(sp.Integer(v)) for v in range(int(j_lo), 0)), sp.Integer(0))
        total -= sum((term(N - v) for v in range(0, int(gap_hi))), sp.Integer(0))
        total += sum((term(N + v) for v in range(1, -int(gap_hi) + 1)), sp.Integer(0))
        self.rules.add("binomial theorem")
        return total

    def _need(self, size: sp.Expr) -> None:
        self.used |= size.free_symbols

    def _offset(self, e: sp.Expr) -> tuple[sp.Expr, int]:
        """(s, c) with e = s + c, c an integer and s a nonconstant combination of sizes with natural
        coefficients; NotMine otherwise."""
        e = sp.expand(e)
        c = sum((a for a in sp.Add.make_args(e) if a.is_Integer), sp.Integer(0))
        s = e - c
        coeffs = self._coefficients(s)
        if not coeffs or any(v < 0 for v in coeffs.values()):
            raise NotMine("a bound that is not sizes plus an integer")
        self._need(s)
        return s, int(c)

    def _coefficients(self, e: sp.Expr) -> dict:
        """{size: integer coefficient} of e, an integer combination of sizes (NotMine otherwise)."""
        out = {}
        for term in sp.Add.make_args(sp.expand(e)):
            if term.is_Integer:
                continue
            coeff, rest = term.as_coeff_Mul()
            if rest not in self.sizes or not coeff.is_Integer:
                raise NotMine("not an integer combination of sizes")
            out[rest] = out.get(rest, 0) + int(coeff)
        return out

    def _least(self, e: sp.Expr) -> sp.Expr:
        """The least value of an integer combination of sizes on the domain (−oo when unbounded)."""
        e = sp.expand(e)
        total = sum((a for a in sp.Add.make_args(e) if a.is_Integer), sp.Integer(0))
        for sym, coeff in self._coefficients(e).items():
            iv = self.sizes[sym]
            end = iv.lo if coeff > 0 else iv.hi
            if not end.is_finite:
                return -sp.oo
            total += coeff * end
        return total

    def _nonnegative(self, e: sp.Expr) -> bool:
        """e ≥ 0 on the whole domain (e an integer combination of sizes)."""
        try:
            return bool(self._least(e) >= 0)
        except NotMine:
            return False


# --- helpers ---------------------------------------------------------------------------------------


def _derivatives(e: sp.Basic) -> sp.Basic:
    """Derivatives and substitutions evaluated bottom-up, sums left as sums (SymPy's
    Sum._eval_derivative: d/dv Σ_i f = Σ_i ∂f/∂v for v free of the bounds — finite sums, term by
    term; ∂x_l/∂x_1 = δ(1, l)). UnevaluatedExpr is unwrapped."""
    if not e.has(sp.Derivative, sp.Subs, sp.UnevaluatedExpr):
        return e
    args = [_derivatives(a) if isinstance(a, sp.Basic) else a for a in e.args]
    if isinstance(e, sp.UnevaluatedExpr):
        return args[0]
    if isinstance(e, sp.Derivative):
        expr = args[0]
        for v, _ in e.variable_count:
            if any(v in lim[1:] or v in sp.Tuple(*lim[1:]).free_symbols for s in expr.atoms(sp.Sum) for lim in s.limits):
                raise NotMine("a derivative by a bound")
        return sp.Derivative(expr, *e.variable_count).doit(deep=False)
    if isinstance(e, sp.Subs):
        expr, old, new = args
        if any(lim[0] in old for x in expr.atoms(sp.Sum, sp.Product) for lim in x.limits):
            raise NotMine("a substitution of a summation index")
        # Subs replaces all at once; one after the other is the same when no new value holds an old
        # variable (and keeps Derivative(σ(t), t) at t = z[j] a plain derivative, as sympy.diff writes it)
        clash = any(o in n.free_symbols for n in new for o in old)
        return expr.subs(list(zip(old, new)), simultaneous=clash)
    return e.func(*args)


def _terms(body: sp.Expr, i: sp.Symbol) -> list[sp.Expr]:
    """The terms of body expanded in what depends on i (count-bounded)."""
    if _count_terms(body) > MAX_TERMS:
        raise NotMine("too many terms")
    ex = sp.expand(body, power_exp=False, power_base=False, log=False)
    terms = sp.Add.make_args(ex)
    if len(terms) > MAX_TERMS:
        raise NotMine("too many terms")
    return list(terms)


def _count_terms(e: sp.Basic) -> int:
    """An upper bound on the number of terms of expand(e), from the tree (multinomial counts)."""
    if isinstance(e, sp.Add):
        return sum(_count_terms(a) for a in e.args)
    if isinstance(e, sp.Mul):
        return math.prod(_count_terms(a) for a in e.args)
    if isinstance(e, sp.Pow) and e.exp.is_Integer and e.exp > 0 and isinstance(e.base, sp.Add):
        n, k = len(e.base.args), int(e.exp)
        if k > 64:
            return MAX_TERMS + 1
        return math.comb(n + k - 1, k) * max(1, _count_terms(e.base) // max(n, 1)) ** min(k, 4)
    return 1


def _parameters(dep: sp.Expr, *indices: sp.Symbol) -> list[sp.Symbol]:
    """The symbols a summand depends on besides its indices (outer indices, parameters), in a stable
    order; the labels of indexed bases (x of x[i]) are names, not values."""
    labels = {a.base.label for a in dep.atoms(sp.Indexed)}
    return sorted((s for s in dep.free_symbols if isinstance(s, sp.Symbol) and s not in indices and s not in labels), key=sp.default_sort_key)


def _split(term: sp.Expr, i: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    """(the factors free of i, the factors with i) of one product term."""
    free, dep = [], []
    for f in sp.Mul.make_args(term):
        (dep if i in f.free_symbols else free).append(f)
    return sp.Mul(*free), sp.Mul(*dep)


def _is_delta_in(f: sp.Expr, i: sp.Symbol) -> bool:
    base = f.base if isinstance(f, sp.Pow) else f
    return isinstance(base, sp.KroneckerDelta) and i in base.free_symbols


def _polynomial_in(e: sp.Expr, i: sp.Symbol) -> bool:
    """True when e is a polynomial in i alone (i occurs in no indexed term, function or exponent)."""
    if i not in e.free_symbols or not e.is_polynomial(i):
        return False
    return not any(i in a.free_symbols for a in e.atoms(sp.Indexed, sp.Function))


def _stirling2(d: int, r: int) -> int:
    from sympy.functions.combinatorial.numbers import stirling

    return int(stirling(d, r, kind=2))


# --- the comparison --------------------------------------------------------------------------------


def same(lhs: sp.Expr, rhs: sp.Expr) -> bool:
    """lhs − rhs is 0 as a rational function of independent symbols, radicals made formal."""
    d = lhs - rhs
    if d == 0:
        return True
    if _count_terms(d) > MAX_TERMS:
        raise NotMine("too many terms")
    d = _formal_radicals(d)
    if d == 0 or sp.expand(d) == 0:
        return True
    num, _ = sp.fraction(sp.together(d))
    if _count_terms(num) > 20 * MAX_TERMS:
        raise NotMine("too many terms")
    return sp.expand(num) == 0 or sp.cancel(d) == 0


def _formal_radicals(d: sp.Expr) -> sp.Expr:
    """Each radical B^(p/q) as u^(p·Q/q) with u = B^(1/Q) > 0 a new symbol (Q: the lcm of its
    denominators); when B is linear in a plain symbol v, v = (u^Q − (B − c·v))/c is put everywhere
    (so u^Q and B agree exactly). Every replacement is an equality at each point where the radicals
    are real, so an identity of the result holds at those points."""
    radicals = [p for p in d.atoms(sp.Pow) if p.exp.is_Rational and not p.exp.is_Integer and not p.base.is_number]
    if not radicals:
        return d
    by_base: dict[sp.Expr, list[sp.Pow]] = {}
    for p in radicals:
        by_base.setdefault(p.base, []).append(p)
    swap, solve = {}, {}
    for base, pows in by_base.items():
        q = math.lcm(*(int(p.exp.q) for p in pows))
        u = sp.Dummy("u", nonnegative=True)  # B^(1/Q) ≥ 0 where the line is real (0 where B = 0)
        for p in pows:
            swap[p] = u ** int(p.exp * q)
        v, c = _linear_symbol(sp.expand(base), set(solve))
        if v is not None:
            solve[v] = (u**q - (sp.expand(base) - c * v)) / c
    out = d.xreplace(swap)
    if solve:
        out = out.xreplace(solve)
    return out


def _linear_symbol(b: sp.Expr, taken: set) -> tuple[sp.Symbol | None, sp.Expr]:
    """(v, c) with b = c·v + (terms free of v), c a nonzero number, v a plain symbol not yet taken."""
    for v in sorted(b.free_symbols, key=str):
        if not isinstance(v, sp.Symbol) or isinstance(v, sp.Dummy) or v in taken:
            continue
        c = b.coeff(v)
        if c.is_number and c != 0 and v not in sp.expand(b - c * v).free_symbols:
            return v, c
    return None, sp.Integer(0)
