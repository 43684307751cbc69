"""Fast exact algebra behind the strategies: SymEngine's C++ core for expanding large differences.

The claim model stays SymPy. `expands_to_zero(d)` translates d into SymEngine and expands it
there (146× faster than SymPy on a 42,894-term product, measured: shared/CALIBRATION.md). The
translation keeps only what SymEngine computes exactly and generalizes the rest, so a zero there
is a zero of d:
- rational numbers, +, ×, and powers are translated as they are (exact integer arithmetic);
- every other node — a symbol (whatever its assumptions), an indexed entry, an undefined function
  σ(z), a derivative, a named constant such as π — becomes its own fresh independent symbol, one
  per distinct SymPy subexpression. A polynomial identity in independent symbols holds for every
  value they can take, so it holds for the values the subexpressions really have.
- a float, an infinity or NaN anywhere: no translation (rounding could make a false zero);
- anything non-commutative (a Symbol declared commutative=False, a product of matrix symbols): no
  translation — SymEngine's symbols commute, so A·B − B·A would vanish there.
So True is a proof that d = 0 wherever d is defined (as SymPy's expand is); False only means
"not shown this way" — SymPy's own expansion and the other strategies still get their turn.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

_UNLOADED: Any = object()
# SymEngine (None: not installed), imported on the first expansion: it imports numpy (~0.1 s), which
# a run whose lines never get this far does not need. Setting it to None turns the speed-up off.
_se: Any = _UNLOADED


def _symengine() -> Any:
    """The symengine module, or None when it is not installed (or the speed-up was turned off)."""
    global _se
    if _se is _UNLOADED:
        try:  # an optional speed-up: without it every answer is None and SymPy does the work
            import symengine
        except ImportError:  # pragma: no cover - symengine is a declared dependency
            symengine = None
        _se = symengine
    return _se

MAX_NODES = 200_000  # distinct subexpressions translated; beyond this SymPy does the work


class _Untranslatable(Exception):
    pass


def available() -> bool:
    """True when SymEngine is installed."""
    return _symengine() is not None


def expands_to_zero(d: Any) -> bool | None:
    """True when d expands to 0 in SymEngine (a proof, see the module docstring); False when it
    does not; None when d cannot be translated faithfully (floats, infinities, too large)."""
    if not isinstance(d, sp.Expr) or d.is_commutative is not True or _symengine() is None:
        return None
    try:
        translated = _translate(d)
    except (_Untranslatable, RecursionError):
        return None
    return bool(_se.expand(translated) == 0)


def cancels_to_zero(d: Any) -> bool | None:
    """True when d, brought over one common denominator in SymEngine, has a numerator that expands to 0
    (a proof that d = 0 wherever d is defined: the common denominator is a product of d's own, nonzero
    there); False when it does not; None as for `expands_to_zero`. What `cancel(together(d)) == 0`
    shows in SymPy, in a fraction of its time: the numerator's expansion is the whole test."""
    if not isinstance(d, sp.Expr) or d.is_commutative is not True or _symengine() is None:
        return None
    try:
        numerator, _ = _translate(d).as_numer_denom()
    except (_Untranslatable, RecursionError):
        return None
    return bool(_se.expand(numerator) == 0)


def _translate(d: sp.Expr) -> Any:
    memo: dict = {}
    atoms: dict = {}

    def atom(e: sp.Basic) -> Any:
        sym = atoms.get(e)
        if sym is None:
            sym = atoms[e] = _se.Symbol(f"_a{len(atoms)}")
        return sym

    def go(e: sp.Basic) -> Any:
        hit = memo.get(e)
        if hit is not None:
            return hit
        if len(memo) > MAX_NODES:
            raise _Untranslatable("too large")
        if e.is_commutative is not True:
            raise _Untranslatable("non-commutative")  # SymEngine's symbols commute
        if e.is_Rational:
            out = _se.Rational(int(e.p), int(e.q))
        elif e.is_Number:
            raise _Untranslatable(f"number {e!r}")  # floats round; infinities and NaN do not add
        elif e.is_Add:
            out = _se.Add(*[go(a) for a in e.args])
        elif e.is_Mul:
            out = _se.Mul(*[go(a) for a in e.args])
        elif e.is_Pow:
            base, exp = e.args
            if exp.is_Rational:
                out = _se.Pow(go(base), go(exp))
            else:
                out = atom(e)  # a symbolic exponent: kept whole (no exp/log rules are used)
        else:
            out = atom(e)  # compared as SymPy compares it: equal subexpressions share one symbol
        memo[e] = out
        return out

    return go(d)
