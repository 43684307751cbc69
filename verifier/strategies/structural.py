"""Structural and light symbolic proof: expand, cancel, together on the difference (never refutes).

When its `proved` is a proof: always — `expand` and `cancel` are identities of rational
expressions, so a difference they bring to 0 is 0 wherever both lines are defined (definedness
is checked separately, on the lines as written). The expansion is tried first in SymEngine
(`verifier.algebra`: exact, with every non-arithmetic subexpression a free symbol, so its zero
is a zero), then in SymPy. Gamma-type functions (Γ, B, n!, binomials, rising and falling
factorials) are rewritten through Γ and combined by `combsimp` (Γ(x + 1) = xΓ(x)) only when every
Γ argument is positive by the domain's assumptions (no pole anywhere on the domain). For an inequality, the sign of the factored
difference must follow from the assumptions the domain gives the symbols (positive, integer, …).
"""
from __future__ import annotations

import sympy as sp

from .. import algebra, dag
from ..link import Link
from .base import SIGN, Context, Outcome

_GAMMA_TYPE = (sp.gamma, sp.beta, sp.factorial, sp.binomial, sp.RisingFactorial, sp.FallingFactorial)


def _zero(d: sp.Expr) -> bool:
    if d == 0:
        return True
    if algebra.expands_to_zero(d):
        return True
    if sp.expand(d) == 0:
        return True
    # cancel(together(d)) brings more to 0 than expand only through a denominator; on a
    # polynomial in its atoms it is expand again (and costs seconds on a large false line)
    if _has_denominator(d) and sp.cancel(sp.together(d)) == 0:
        return True
    return bool(d.has(*_GAMMA_TYPE)) and _gamma_zero(d)


def _has_denominator(d: sp.Expr) -> bool:
    """A power that is not a nonnegative integer power (1/u, √u, u^a): what cancel and together work on."""
    return any(not (p.exp.is_Integer and p.exp >= 0) for p in dag.atoms(d, sp.Pow))


def _gamma_zero(d: sp.Expr) -> bool:
    """d is 0 by Γ's recurrences — used only where every Γ argument is positive by the domain's
    assumptions: Γ(x + 1) = xΓ(x) is false at the poles, and a pole of the line as written is a
    finding for the other strategies, never something to cancel away."""
    through = d.rewrite(sp.gamma)
    if through.has(*[f for f in _GAMMA_TYPE if f is not sp.gamma]):
        return False
    if not all(g.args[0].is_positive is True for g in through.atoms(sp.gamma)):
        return False
    return sp.cancel(sp.combsimp(through)) == 0


def attempt(link: Link, ctx: Context) -> Outcome | None:
    """Proved when each difference expands or cancels to 0 (or its sign follows from assumptions)."""
    if link.rel == "≈":
        return None
    diffs = link.differences()
    if link.rel == "=":
        if all(_zero(d) for d in diffs):
            return Outcome("proved", "structural", "the difference expands/cancels to 0")
        return None
    attr = SIGN[link.rel]
    if all(_signed(d, attr) for d in diffs):
        return Outcome("proved", "structural", f"lhs − rhs {link.rel} 0 follows from the domain's assumptions")
    return None


def _signed(d: sp.Expr, attr: str) -> bool:
    """The sign `attr` (is_nonnegative, …) of d follows from the assumptions: asked of the expanded
    difference first (a sum of terms of one sign needs no factoring), then of its factored form.
    Either True is a proof: SymPy's assumptions answer True only when it follows."""
    expanded = sp.expand(d)
    return getattr(expanded, attr) is True or getattr(sp.factor(expanded), attr) is True


def quick_attempt(link: Link, ctx: Context) -> Outcome | None:
    """`attempt` for screening many candidate lines, most of them false: only the SymEngine
    expansion (milliseconds); SymPy's expand and cancel, slow on a false line, come in `attempt`
    after exact probing has had its chance to refute."""
    if link.rel != "=":
        return None
    if all(d == 0 or algebra.expands_to_zero(d) for d in link.differences()):
        return Outcome("proved", "structural", "the difference expands to 0")
    return None
