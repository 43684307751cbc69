"""SymPy's simplify on the difference, under its own share of the time budget (slow: used late).

When its `proved` is a proof: when the difference, its trigonometric and hyperbolic functions
written as exponentials, expands and cancels to 0 (verifier.exact.exp_zero: 0 for any value of
the exponentials, so wherever the line is defined), or when SymPy's `simplify` (with `gammasimp`
for Γ, B, factorials) rewrites the difference to 0 — each rewrite it applies is an identity under the symbols'
assumptions, which the engine sets from the domains. For an inequality, the simplified
difference must have the required sign by those assumptions. It never refutes.
"""
from __future__ import annotations

import sympy as sp

from ..exact import exp_zero
from ..link import Link
from .base import SIGN, Context, Outcome



def attempt(link: Link, ctx: Context) -> Outcome | None:
    """Proved when simplify reduces every difference to 0 (or to something of the right sign)."""
    if link.rel == "≈":
        return None
    rewritten = False
    for d in link.differences():
        if link.rel == "=" and exp_zero(d):
            rewritten = True  # before simplify, which takes seconds on these or never ends
            continue
        s = sp.simplify(d)
        if s != 0 and d.has(sp.gamma, sp.beta, sp.factorial, sp.binomial):
            s = sp.cancel(sp.together(sp.gammasimp(sp.expand_func(d.rewrite(sp.gamma)))))
        if link.rel == "=":
            if s != 0:
                return None
        elif getattr(s, SIGN[link.rel]) is not True:
            return None
    if rewritten:
        return Outcome("proved", "simplify", "written in exponentials, the difference cancels to 0")
    return Outcome("proved", "simplify", "simplify reduces the difference to 0")
