"""Closed forms of exponential series, Σ_{i≥a} P(i)·x^(i+p)/(i+s)!, without SymPy's summation machinery.

The moments of a Poisson variable are such series. SymPy sums them through `eval_sum_hyper`,
which simplifies, imports `sympy.physics` and builds hyperexpand's formula tables: a quarter of a
second for Σ i·λⁱe^(−λ)/i!, and 2.6 s for Σ i(i−1)·λⁱ/i! (measured). The closed form is exact:

    with j = i + s and Q(j) = P(j − s) = Σ_k c_k·j(j−1)…(j−k+1)   (c_k = ΔᵏQ(0)/k!),
    Σ_{j≥b} j(j−1)…(j−k+1)·x^j/j! = x^k·Σ_{m≥max(b−k,0)} x^m/m! = x^k·(e^x − Σ_{m<max(b−k,0)} x^m/m!)

for every complex x (the series converges absolutely; 0⁰ = 1, as in SymPy), every b ≥ 0 and every
k ≥ 0: the terms with j < k vanish, those with j ≥ k are x^j/(j−k)!. The factor x^(p−s) is taken
out of the sum when p − s ≥ 0, or when x is known to be nonzero. Anything else is left to SymPy.
"""
from __future__ import annotations

import sympy as sp

MAX_DEGREE = 8  # the polynomial P's degree at most (a count: larger ones are SymPy's)


def exp_series(s: sp.Sum) -> sp.Expr | None:
    """The closed form of `s` when it is an exponential series as above, else None."""
    if len(s.limits) != 1:
        return None
    i, a, b = s.limits[0]
    if b is not sp.oo or not a.is_Integer or not i.is_Symbol:
        return None
    const, poly_part = [], []
    shift = base = power_shift = None
    for f in sp.Mul.make_args(s.function):
        if not f.has(i):
            const.append(f)
        elif isinstance(f, sp.Pow) and f.exp == -1 and isinstance(f.base, sp.factorial):
            k = f.base.args[0] - i
            if shift is not None or not k.is_Integer:
                return None
            shift = k
        elif isinstance(f, sp.Pow) and not f.base.has(i):
            k = f.exp - i
            if base is not None or not k.is_Integer:
                return None
            base, power_shift = f.base, k
        else:
            poly_part.append(f)
    if shift is None:
        return None
    start = a + shift  # j = i + s runs from start
    if start < 0:
        return None
    if base is None:
        base, power_shift = sp.Integer(1), shift
    r = power_shift - shift  # the term is x^(j + r)/j!
    if r < 0 and base.is_zero is not False:
        return None
    P = sp.Mul(*poly_part)
    if not P.is_polynomial(i):
        return None
    j = sp.Dummy("j", integer=True)
    Q = sp.expand(P.xreplace({i: j - shift}))
    degree = sp.degree(Q, j) if Q.has(j) else 0
    if not (0 <= degree <= MAX_DEGREE):
        return None
    # Newton's forward differences at 0: c_k·k! = Δᵏ Q(0)
    values = [Q.xreplace({j: v}) for v in range(degree + 1)]
    total = sp.Integer(0)
    for k in range(degree + 1):
        diff = sp.Add(*[(-1) ** (k - v) * sp.binomial(k, v) * values[v] for v in range(k + 1)])
        c = sp.expand(diff) / sp.factorial(k)
        if c == 0:
            continue
        head = max(int(start) - k, 0)
        total += c * base**k * (sp.exp(base) - sp.Add(*[base**m / sp.factorial(m) for m in range(head)]))
    return sp.Mul(*const) * base**r * total
