"""Structural and light symbolic proof: expand, cancel, together on the difference (never refutes).

When its `proved` is a proof: always — `expand` and `cancel` are identities of rational
expressions, so a difference they bring to 0 is 0 wherever both lines are defined (definedness
is checked separately, on the lines as written). The expansion is tried first in SymEngine
(`verifier.algebra`: exact, with every non-arithmetic subexpression a free symbol, so its zero
is a zero), then a fraction's numerator over SymEngine's common denominator, then in SymPy; a
small difference in SymPy before either (the same answers).
Gamma-type functions (Γ, B, n!, binomials, rising and falling factorials) are rewritten through Γ
and combined by `combsimp` (Γ(x + 1) = xΓ(x)) only when every Γ argument is positive by the
domain's assumptions (no pole anywhere on the domain). For an inequality, the sign of the factored
difference must follow from the assumptions the domain gives the symbols (positive, integer, …).
"""
from __future__ import annotations

import sympy as sp

from .. import algebra, dag
from ..errors import StepTimeout
from ..link import Link
from .base import SIGN, Context, Outcome

_GAMMA_TYPE = (sp.gamma, sp.beta, sp.factorial, sp.binomial, sp.RisingFactorial, sp.FallingFactorial)

# A difference of at most SMALL_NODES nodes whose expansion has at most SMALL_TERMS terms (a bound
# read off its shape) is expanded in SymPy before SymEngine: well under a millisecond there, and a
# line this small never loads SymEngine, which imports numpy (0.1–0.15 s of a cold `verify 1.5`).
SMALL_NODES = 64
SMALL_TERMS = 32


def _zero(d: sp.Expr) -> bool:
    if d == 0:
        return True
    expanded = _expand_small(d)
    if expanded == 0:
        return True
    if algebra.expands_to_zero(d):
        return True
    fraction = _has_denominator(d)
    if fraction and algebra.cancels_to_zero(d):
        return True  # what cancel(together(d)) below would show, over SymEngine's common denominator
    if expanded is None and fraction and _rational_in_symbols(d):
        # A rational function of independent symbols is 0 exactly when cancel(together(d)) is: were
        # SymPy's expand to bring it to 0, d would be the zero function and its cancelled form 0
        # too. So expand (the slower of the two on such a line, true or false) has nothing to add.
        return sp.cancel(sp.together(d)) == 0
    if (sp.expand(d) if expanded is None else expanded) == 0:
        return True
    # cancel(together(d)) brings more to 0 than expand only through a denominator; on a
    # polynomial in its atoms it is expand again (and costs seconds on a large false line)
    if fraction and sp.cancel(sp.together(d)) == 0:
        return True
    return bool(d.has(*_GAMMA_TYPE)) and _gamma_zero(d)


class _Large(Exception):
    pass


def _small(d: sp.Expr) -> bool:
    """True when d is small enough for SymPy's expand to be cheap: at most SMALL_NODES nodes and at
    most SMALL_TERMS terms once expanded (bounded by sums adding, products multiplying and integer
    powers raising the counts of terms of their parts; any other node is one term)."""
    if not isinstance(d, sp.Expr) or d.is_commutative is not True:
        return False  # what SymEngine would not take either
    nodes = 0

    def terms(e: sp.Basic) -> int:
        nonlocal nodes
        nodes += 1
        if nodes > SMALL_NODES:
            raise _Large
        if e.is_Add:
            out = sum(terms(a) for a in e.args)
        elif e.is_Mul:
            out = 1
            for a in e.args:
                out *= terms(a)
                if out > SMALL_TERMS:
                    raise _Large
        elif e.is_Pow and e.exp.is_Integer:
            base, n = terms(e.base), abs(int(e.exp))
            out = 1 if base == 1 else base ** n if n <= SMALL_TERMS else SMALL_TERMS + 1
        else:
            for a in e.args:  # expanded too (deep), but one term of the whole
                terms(a)
            out = 1
        if out > SMALL_TERMS:
            raise _Large
        return out

    try:
        terms(d)
    except (_Large, RecursionError):
        return False
    return True


def _expand_small(d: sp.Expr) -> sp.Expr | None:
    """`sp.expand(d)` for a small d, else None; None too where SymPy fails on it: SymEngine and then
    SymPy's expand (raising as it always did) are still tried after it, in their old order, so this
    early expansion adds a shortcut and changes no answer."""
    if not _small(d):
        return None
    try:
        return sp.expand(d)
    except StepTimeout:
        raise
    except Exception:
        return None


def _rational_in_symbols(d: sp.Expr) -> bool:
    """d is built from symbols and rational numbers by +, × and integer powers only: a rational
    function of independent variables (no function, root or indexed entry that could relate two atoms)."""
    seen: set = set()

    def ok(e: sp.Basic) -> bool:
        if e in seen:
            return True
        seen.add(e)
        if e.is_Symbol or e.is_Rational:
            return True
        if e.is_Add or e.is_Mul:
            return all(ok(a) for a in e.args)
        if e.is_Pow:
            return e.exp.is_Integer and ok(e.base)
        return False

    try:
        return isinstance(d, sp.Expr) and d.is_commutative is True and ok(d)
    except RecursionError:
        return False


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
