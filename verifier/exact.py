"""Exact and certified decisions at a point: what every `proved` point and every `refuted` witness rests on.

A number's sign is decided exactly (rationals, SymPy's assumptions, minimal polynomials of
algebraic numbers) or certified by SymPy's `evalf(strict=True)`, which raises rather than
return a value whose leading digits it cannot guarantee. Nothing here compares floats with a
tolerance: a difference of 10**-45 has a sign, and an exact zero is shown to be zero.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.core.evalf import PrecisionExhausted

from . import dag

DIGITS = 50  # digits of a certified witness
_MAXN = 400  # working precision (digits) evalf may climb to before giving up on a sign


def rationalize(expr: Any) -> Any:
    """Every float literal replaced by the decimal it was written as: 0.1 is one tenth, not 0.1000000000000000055…."""
    if not isinstance(expr, (sp.Basic, sp.MatrixBase)):
        return expr
    floats = dag.atoms(expr, sp.Float)  # each distinct subexpression once (a matrix's entries share layers)
    if not floats:
        return expr
    return expr.xreplace({f: decimal(f) for f in floats})


def decimal(f: sp.Float) -> sp.Rational:
    """The rational a float literal denotes: its decimal at the float's own precision (15 significant
    digits for a double), so 0.1 + 0.2, which SymPy has already added in binary, is 3/10 again."""
    return sp.Rational(str(f))


def undefined(v: sp.Basic) -> str | None:
    """Why a value (of one side at a point) is not a real number, or None when it is one."""
    if not isinstance(v, sp.Basic):
        return None
    if v.has(sp.nan):
        return "undefined (nan)"
    if v.has(sp.zoo) or v.has(sp.oo) or v.has(-sp.oo):
        return "undefined (division by zero or an infinite value)"
    if isinstance(v, sp.MatrixBase):
        return next((w for w in map(undefined, v) if w), None)
    if not v.is_number:
        return None
    if v.is_real is False:
        return f"not a real number ({_short(v)})"
    if v.is_real is None:
        try:
            im = sp.im(v)
            if im != 0 and sign(im) not in (0, None):
                return f"not a real number ({_short(v)})"
        except (TypeError, ValueError, RecursionError):
            return None
    return None


def sign(d: sp.Expr) -> int | None:
    """-1, 0 or +1 for a real number expression, decided exactly or certified; None when undecided."""
    if d.is_Rational:
        return 1 if d.p > 0 else -1 if d.p < 0 else 0
    if not d.is_number or d.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return None
    # No shortcut through d.is_positive: for a compound number SymPy decides it from a
    # 2-digit evaluation, which is no certificate.
    # Two precisions must agree: evalf tracks its error for arithmetic, but functions such as acos
    # near a branch point are evaluated by mpmath at the working precision, where rounding noise
    # (1e-157 at 50 digits) looks like a value. A real value keeps its digits when precision rises.
    values = []
    for digits in (DIGITS // 2, 2 * DIGITS):
        try:
            v = d.evalf(digits, strict=True, maxn=_MAXN)
        except PrecisionExhausted:
            return 0 if exact_zero(d) else None
        except (TypeError, ValueError, ZeroDivisionError, RecursionError, OverflowError):
            return None
        if not v.is_Float:
            re, im = v.as_real_imag()
            if im != 0 or not re.is_Float:
                return None
            v = re
        if v == 0:
            return 0 if exact_zero(d) else None
        values.append(v)
    low, high = values
    if (low > 0) != (high > 0) or abs(low - high) > abs(high) * sp.Float(10) ** (-DIGITS // 4):
        return 0 if exact_zero(d) else None
    return 1 if high > 0 else -1


def exact_zero(d: sp.Expr) -> bool:
    """True only when the number d is shown to be exactly 0 (never by numerical agreement)."""
    try:
        if d == 0:
            return True
        if sp.expand(d) == 0:
            return True
        if d.is_algebraic:
            x = sp.Dummy("x")
            return sp.minimal_polynomial(d, x) == x
        return exp_zero(d) or sp.simplify(d) == 0
    except Exception:  # NotAlgebraic, DomainError, …: a gap in SymPy's exact tools is "not shown", never a crash
        return False


_CIRCULAR = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc, sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch)


def exp_zero(d: sp.Expr) -> bool:
    """True when d, its trigonometric and hyperbolic functions written as exponentials, expands and
    cancels to 0 — an identity for every value of the exponentials taken as independent generators
    of SymPy's rational functions, so wherever d is defined. Milliseconds where `simplify` takes
    seconds (tanh x − (e^{2x} − 1)/(e^{2x} + 1)) or recurses without end (sin²(10¹⁰⁰⁰x) + cos²(10¹⁰⁰⁰x) − 1)."""
    if not d.has(*_CIRCULAR) or d.has(sp.Float):  # a float coefficient may round a difference away
        return False
    try:
        return sp.cancel(sp.expand(d.rewrite(sp.exp))) == 0
    except (TypeError, ValueError, NotImplementedError, ZeroDivisionError, RecursionError, sp.PolynomialError):
        return False


@dataclass(frozen=True)
class Decision:
    """Whether `a rel b` fails at a point: True / False / None (undecided), and how it was decided."""

    fails: bool | None
    exact: bool  # decided exactly (rationals, exact zero) rather than certified by evalf
    why: str = ""  # for a failure by definedness: which side and why


_EXP_LIMIT = 10**6  # |x| above which exp(x) has more digits than any witness a person can read


def astronomical(v: Any) -> bool:
    """True when the number v holds an exp(x) with |x| > 10⁶ (inner ones checked first). SymPy's
    assumptions evaluate such a number to decide even whether it is real, and mpmath then computes
    ln 2 to as many bits as x has digits: minutes. A point where a side is that large decides nothing."""
    if not isinstance(v, sp.Basic) or not v.has(sp.exp):
        return False
    for node in sp.postorder_traversal(v):  # an exp's inner exps come first: its argument is then safe to evaluate
        if isinstance(node, sp.exp) and node.args[0].is_number:
            try:
                x = sp.re(node.args[0].evalf(15))
            except (TypeError, ValueError, ZeroDivisionError, RecursionError, OverflowError):
                return True
            if not x.is_Number or abs(x) > _EXP_LIMIT:
                return True
    return False


def explodes(expr: Any, point: dict) -> bool:
    """True when expr at `point` would hold exp(x) with |x| > 10⁶, or a value beyond a float's range —
    estimated in floats on the tree before SymPy builds the number (building exp of such an x already
    asks for its sign: minutes). A node the estimate does not know is no evidence either way."""
    if not isinstance(expr, sp.Basic):
        return False
    if expr.has(sp.Pow) and _power_beyond_digits(expr, point):
        return True
    if not expr.has(sp.exp):
        return False
    import math

    memo: dict = {}

    class _Big(Exception):
        pass

    def val(e: sp.Basic) -> float | None:
        if e in memo:
            return memo[e]
        out: float | None = None
        if e.is_Number or e.is_NumberSymbol:
            out = float(e) if e.is_real else None
        elif e in point:
            v = point[e]
            out = float(v) if isinstance(v, sp.Basic) and v.is_Number and v.is_real else None
        elif isinstance(e, sp.Add):
            parts = [val(a) for a in e.args]
            out = None if None in parts else sum(parts)
        elif isinstance(e, sp.Mul):
            parts = [val(a) for a in e.args]
            out = None if None in parts else math.prod(parts)
        elif isinstance(e, sp.Pow):
            b, x = val(e.base), val(e.exp)
            if b is not None and x is not None:
                try:
                    out = float(abs(b) ** x) if b != 0 or x > 0 else None
                except (OverflowError, ZeroDivisionError):
                    raise _Big from None
        elif isinstance(e, sp.exp):
            x = val(e.args[0])
            if x is not None and abs(x) > _EXP_LIMIT:
                raise _Big
            out = None if x is None else math.exp(x) if x < 709 else math.inf  # beyond a float: no readable witness
        else:
            for a in e.args:  # the estimate stops here, but an argument may still explode
                if isinstance(a, sp.Basic):
                    val(a)
        if out is not None and not math.isfinite(out):
            raise _Big
        memo[e] = out
        return out

    try:
        val(expr)
    except _Big:
        return True
    except (OverflowError, TypeError, ValueError, RecursionError):
        return False
    return False


_EXPONENT_LIMIT = sp.Integer(10) ** 300  # an exponent beyond a float: the power has more digits than memory holds


def _power_beyond_digits(expr: sp.Basic, point: dict) -> bool:
    """True when expr at `point` holds a power b^x with |b| > 1 and x beyond 10³⁰⁰ (2ⁿ at n = 10⁴⁰⁰):
    SymPy would try to build it, or to evaluate it, for as long as the link's limit allows."""
    for p in dag.atoms(expr, sp.Pow):  # each distinct power once (a network repeats its layers)
        if p.exp.is_number:
            continue
        try:
            x = p.exp.xreplace(point)
            if not (x.is_Number and abs(x) > _EXPONENT_LIMIT):
                continue
            b = p.base.xreplace(point)
            if b.is_number and abs(b.evalf(15)) > 1:
                return True
        except (TypeError, ValueError, ZeroDivisionError, RecursionError, OverflowError):
            continue
    return False


def decide(rel: str, a: sp.Expr, b: sp.Expr) -> Decision:
    """Decide `a rel b` for two numbers: a failure needs a certified sign, a pass an exact or certified one."""
    if astronomical(a) or astronomical(b):
        return Decision(None, False)
    for side, v in (("the previous line", a), ("this line", b)):
        why = undefined(v)
        if why:
            return Decision(True, True, f"{side} is {why}")
    if not (a.is_number and b.is_number):
        return Decision(None, False)
    exact = a.is_Rational and b.is_Rational
    d = a - b
    s = sign(d)
    if s is None:
        return Decision(None, False)
    if rel in ("=", "≈"):
        return Decision(s != 0, exact or s == 0)
    fails = {"<=": s > 0, "<": s >= 0, ">=": s < 0, ">": s <= 0}[rel]
    return Decision(fails, exact)


def agree(a: sp.Expr, b: sp.Expr) -> bool | None:
    """True when a − b is exactly 0 or indistinguishable from 0 to `_MAXN` digits; False when certified nonzero."""
    if astronomical(a) or astronomical(b):
        return None
    if undefined(a) or undefined(b):
        return False
    d = a - b
    if not d.is_number:
        return None
    if d.is_Rational:
        return d == 0
    try:
        v = d.evalf(DIGITS, strict=True, maxn=_MAXN)
    except PrecisionExhausted:
        return True  # agreement to hundreds of digits: evidence, never a proof
    except (TypeError, ValueError, ZeroDivisionError, RecursionError, OverflowError):
        return None
    if v == 0:
        return True
    s = sign(d)  # a nonzero value must survive a change of precision to count as a difference
    return None if s is None else s == 0


def show(v: Any, exact: bool = True, digits: int = 15) -> str:
    """A value for a person: exact when short, else `digits` significant digits; long integers shortened."""
    from .results import short_number

    if isinstance(v, sp.Basic) and not exact and not v.is_Rational and v.is_number:
        try:
            v = sp.N(v, digits)
        except (TypeError, ValueError, RecursionError):
            pass
    return short_number(v)


def _short(v: Any) -> str:
    from .results import short_number

    return short_number(v)


_MAX_POWER = 64  # |exponent| above which a power is left to SymPy (its digits grow with it)


def rational_function(expr: sp.Basic, symbols: list) -> Any:
    """A function of the values of `symbols` (ints or Fractions) giving expr's exact value with
    Python's integers and fractions, or None for an expression that is not built from rationals,
    those symbols, sums, products and integer powers (then SymPy evaluates it). The function
    returns None where it would divide by zero: the point is SymPy's to decide (undefined there).
    Built once per expression and evaluated at thousands of points: SymPy's substitution and
    evaluation of the same tree costs milliseconds a point."""
    from fractions import Fraction

    position = {s: k for k, s in enumerate(symbols)}
    built: dict = {}

    def build(e: sp.Basic):
        if e in built:  # a shared subexpression, rational or not, is looked at once
            return built[e]
        built[e] = None  # until shown otherwise (and what an unsupported node leaves)
        if e.is_Integer:
            v = int(e)
            out = lambda p: v  # noqa: E731
        elif e.is_Rational:
            v = Fraction(int(e.p), int(e.q))
            out = lambda p: v  # noqa: E731
        elif e in position:
            k = position[e]
            out = lambda p: p[k]  # noqa: E731
        elif isinstance(e, (sp.Add, sp.Mul)):
            parts = []
            for a in e.args:
                f = build(a)
                if f is None:
                    return None  # the first part that is not rational arithmetic settles it
                parts.append(f)
            if isinstance(e, sp.Add):
                def out(p, parts=parts):
                    total = 0
                    for f in parts:
                        total += f(p)
                    return total
            else:
                def out(p, parts=parts):
                    total = 1
                    for f in parts:
                        total *= f(p)
                    return total
        elif isinstance(e, sp.Pow) and e.exp.is_Integer and abs(int(e.exp)) <= _MAX_POWER:
            base, n = build(e.base), int(e.exp)
            if base is None:
                return None
            if n >= 0:
                out = lambda p: base(p) ** n  # noqa: E731
            else:
                def out(p):
                    b = base(p)
                    if b == 0:
                        raise ZeroDivisionError
                    return Fraction(1, b) ** -n if isinstance(b, int) else (1 / b) ** -n
        else:
            return None
        built[e] = out
        return out

    f = build(expr)
    if f is None:
        return None

    def value(p: list) -> Any:
        try:
            return f(p)
        except ZeroDivisionError:
            return None

    return value


def exact_number(v: sp.Basic) -> Any:
    """v as an int or a Fraction when it is a SymPy rational, else None."""
    from fractions import Fraction

    if isinstance(v, sp.Integer):
        return int(v)
    if isinstance(v, sp.Rational):
        return Fraction(int(v.p), int(v.q))
    return None
