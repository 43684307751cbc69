"""Structural and light symbolic proof: expand, cancel, together on the difference (never refutes).

When its `proved` is a proof: always — `expand` and `cancel` are identities of rational
expressions, so a difference they bring to 0 is 0 wherever both lines are defined (definedness
is checked separately, on the lines as written). For an inequality, the sign of the factored
difference must follow from the assumptions the domain gives the symbols (positive, integer, …).
"""
from __future__ import annotations

import sympy as sp

from ..link import Link
from .base import SIGN, Context, Outcome



def _zero(d: sp.Expr) -> bool:
    if d == 0:
        return True
    if sp.expand(d) == 0:
        return True
    return sp.cancel(sp.together(d)) == 0


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
    if all(getattr(sp.factor(sp.expand(d)), attr) is True for d in diffs):
        return Outcome("proved", "structural", f"lhs − rhs {link.rel} 0 follows from the domain's assumptions")
    return None
