r"""argmax_v A = argmax_v B, proved without computing either: A = g·B with g > 0 free of v.

The parser reads `\arg\max_{c_k} A` as an opaque argmax(A, c_k): the engine cannot compare two of
them. They are equal — as sets of maximizers, for every value of everything else — when the two
objectives differ by a factor that is positive and does not depend on the variable (2.2 → 2.3:
the denominator Σ_k P(Y = c_k) Π_j … is the same for every class). That is what this module shows:
the ratio A / B, after the passage's premises are used as rewrites (naive Bayes: P(X = x | Y = c_k)
= Π_j P(X^(j) = x^(j) | Y = c_k)), cancels to an expression that

- has no free symbol of the variable (its index k; a bound k′ of a sum is another symbol), and
- is positive by its form: numbers > 0, probabilities of the joint model, and sums, products and
  powers of such — positive when every probability in it is, which is the condition the proof
  states (an argmax of probabilities is read with the events possible; a class of probability 0
  would make both objectives 0).

Only a proof comes out of here; a ratio that fails either test decides nothing.
"""
from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from .probability import JOINT

EXTREMA = ("argmax", "argmin")


def _positive(e: sp.Basic) -> bool:
    """Positive by its form (a sufficient test, never a guess)."""
    if isinstance(e, sp.Number):
        return bool(e > 0)
    if isinstance(e, AppliedUndef):
        return JOINT in type(e).__name__
    if isinstance(e, (sp.Add, sp.Mul)):
        return all(_positive(a) for a in e.args)
    if isinstance(e, sp.Pow):
        return _positive(e.base) and e.exp.is_real is True
    if isinstance(e, (sp.Sum, sp.Product)):
        return _positive(e.function) and all(lo.is_integer and hi.is_integer for _, lo, hi in e.limits)
    return False


def _rewrite(e: sp.Expr, premises: list[tuple[sp.Expr, str, sp.Expr]]) -> sp.Expr:
    """Each premise P(A|B) = R used as P(A, B) → R·P(B) (or P(A) = R as P(A) → R)."""
    rules = {}
    for lhs, rel, rhs in premises:
        if rel != "=":
            continue
        num, den = sp.fraction(sp.together(lhs))
        if isinstance(num, AppliedUndef) and JOINT in type(num).__name__ and not num.has(sp.Sum, sp.Product):
            rules[num] = rhs * den
    return e.xreplace(rules) if rules else e


def same_argmax(a: sp.Expr, b: sp.Expr, premises: list[tuple[sp.Expr, str, sp.Expr]]) -> str | None:
    """Why argmax_v A (a) equals argmax_v B (b), or None when that is not shown."""
    if not (isinstance(a, AppliedUndef) and isinstance(b, AppliedUndef)):
        return None
    kind = type(a).__name__
    if kind not in EXTREMA or type(b).__name__ != kind or a.args[1:] != b.args[1:] or len(a.args) < 2:
        return None
    variables = a.args[1:]
    body_a, body_b = _rewrite(a.args[0], premises), _rewrite(b.args[0], premises)
    ratio = sp.cancel(sp.together(body_a / body_b))
    moving = set().union(*(v.free_symbols for v in variables))
    if ratio.free_symbols & moving or any(ratio.has(v) for v in variables):
        return None
    if not _positive(ratio):
        return None
    used = " (under the context's premises)" if body_a != a.args[0] or body_b != b.args[0] else ""
    shown = str(ratio)
    return (f"the two objectives differ by the factor {shown if len(shown) <= 120 else shown[:117] + '…'}, free of "
            f"{', '.join(map(str, variables))} and positive when every probability in it is{used}: the same {kind}")
