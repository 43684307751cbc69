"""Hypothesis generators for property-based soundness testing of the engine (issue 10).

Everything here decides truth *by construction*, never by asking the engine:

* an expression is drawn from a grammar that is defined on the whole declared domain
  (``log`` and ``sqrt`` only of expressions positive there, division only by expressions that
  cannot vanish there, ``exp`` only of bounded arguments);
* a TRUE claim is ``[e0, e1(, e2)]`` where each line comes from the one before by a rewrite that
  is valid on the domain (see ``REWRITES``): SymPy's ``expand``/``factor``/``together``/``cancel``/
  ``apart``, or a rule written out here (angle addition, double angle, power reduction,
  ``sin² + cos² = 1`` inserted, ``exp(a+b) = exp(a)·exp(b)``, ``log(ab) = log a + log b`` for
  ``a, b > 0``, ``log(exp(a)) = a``, ``sqrt(a²) = ±a`` for ``a`` of one sign, ``sqrt(ab) = sqrt a·sqrt b``);
  positivity is established with interval arithmetic (``mpmath.iv``) over the domain box, or
  holds by the grammar;
* a moment claim (``E``, ``Var`` of ``verifier``) is TRUE by a rule of expectation written out
  here (linearity, ``Var[aX+b] = a²Var[X]``, iid copies, independence, exact moments of a
  ``Finite`` table computed with fractions);
* a FALSE claim is a true one with one line perturbed (``PERTURBATIONS``): a coefficient or a
  number changed, a term dropped, a sign flipped, sin↔cos, an exponent shifted, a tiny term
  ``c·x**k`` with ``c`` = 10⁻¹² … 10⁻³⁰ (below float64 resolution), a tiny change inside a function
  (``exp(u) → exp(u + 10⁻²⁵)``, a term times ``1 + 10⁻²⁰``), a tiny transcendental constant
  (``exp(−100)``, ``sin(10⁻⁴⁰)``, ``√2`` minus its first 40 digits), a term that vanishes at every "nice"
  point (``sin(12πx)/10¹⁰``, ``(x − 1/4)(x − 1/2)/10⁹``), and for moments ``E[X²]`` ↔ ``E[X]²``,
  ``a²Var`` → ``aVar``, ``X`` → ``Y``. A perturbed line stays defined on the domain (its new log/root
  arguments and divisors are proved positive / nonzero by interval arithmetic);
* a NEAR MISS (``near_misses()``) is a function and its Taylor polynomial on a short interval:
  false, with sides that agree to 10⁻⁸ … below float64 resolution;
* some true lines add ``c·(sin²v + cos²v − 1)`` with ``c`` up to 10²⁴: in floats the sides cancel
  catastrophically, so a float difference there is no counterexample.

Every generated case is double-checked independently of the engine, at 80 significant digits
(``sympy.evalf`` at exact rational points, concrete distribution tables enumerated exactly): a
true case whose sides differ there is a bug of this generator (``GeneratorError``); a perturbation
that happens to leave the claim true is not used (another one is drawn).

Entry points (all Hypothesis strategies producing ``Case``):
``true_identities()``, ``false_claims()``, ``true_moment_identities()``, ``false_moment_claims()``,
``near_misses()``; ``true_cases()`` and ``false_cases()`` mixing the families, ``cases()`` both. ``Case.claim()`` builds the ``verifier.Claim``;
``Case.acceptable(verdict)`` says whether a verdict is sound for it.
"""
from __future__ import annotations

import itertools
import random as _random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sympy as sp
from hypothesis import strategies as st
from mpmath import iv

from verifier import Claim, E, Finite, Generic, Var

R = sp.Rational

# Domains of the real symbols: open intervals with rational ends (some contain 0, some do not).
DOMAINS: tuple[tuple[sp.Rational, sp.Rational], ...] = tuple(
    (R(lo), R(hi))
    for lo, hi in (
        ("1/2", 3), (-2, 2), (0, 1), (1, 4), (-3, "-1/2"), (-1, 1), ("1/10", 2), (2, 5), ("-1/2", "3/2"),
    )
)
SYMBOL_NAMES = ("x", "y", "z")
MAX_OPS = 45  # count_ops bound of a generated line: modest sizes, so SymPy stays fast
EXP_BOUND = 12  # |argument of exp| stays below this on the domain
CHECK_DIGITS = 80  # precision of the independent truth check

# What a sound engine may answer: never `refuted` for a true claim, never `proved`/`checked` for a
# false one, never `error` for a well-formed claim; `inconclusive` is always allowed.
SOUND = {True: ("proved", "checked", "inconclusive"), False: ("refuted", "inconclusive")}


class GeneratorError(AssertionError):
    """A case built as true is not true at some point: a bug in these generators, not in the engine."""


# --- scopes and interval bounds -------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The real symbols of a case and the open interval each ranges over."""

    domain: tuple[tuple[sp.Symbol, tuple[sp.Rational, sp.Rational]], ...]

    @property
    def symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(s for s, _ in self.domain)

    @property
    def bounds(self) -> dict[sp.Symbol, tuple[sp.Rational, sp.Rational]]:
        return dict(self.domain)


@st.composite
def scopes(draw, min_symbols: int = 1, max_symbols: int = 3) -> Scope:
    """1–3 plain real symbols x, y, z, each with a domain from DOMAINS."""
    n = draw(st.sampled_from([k for k in (1, 2, 2, 3, 3) if min_symbols <= k <= max_symbols]))
    doms = [draw(st.sampled_from(DOMAINS)) for _ in range(n)]
    return Scope(tuple((sp.Symbol(name), d) for name, d in zip(SYMBOL_NAMES, doms)))


class _NoBound(Exception):
    pass


def _iv_number(q: sp.Rational):
    return iv.mpf(int(q.p)) / int(q.q)


def interval(expr: sp.Basic, scope: Scope):
    """A rigorous enclosure (mpmath.iv) of expr over the closed domain box, or None if unknown."""
    try:
        out = _iv(expr, scope.bounds)
    except (_NoBound, ZeroDivisionError, ValueError, TypeError, OverflowError, KeyError):
        return None
    if out is None:
        return None
    return out


def _iv(e: sp.Basic, box: dict):
    if e.is_Rational:
        return _iv_number(e)
    if e is sp.pi:
        return iv.pi
    if e is sp.E:
        return iv.e
    if e.is_Symbol:
        lo, hi = box[e]
        a, b = _iv_number(lo), _iv_number(hi)
        return a + (b - a) * iv.mpf([0, 1])
    if e.is_Add:
        out = iv.mpf(0)
        for a in e.args:
            out = out + _iv(a, box)
        return out
    if e.is_Mul:
        out = iv.mpf(1)
        for a in e.args:
            out = out * _iv(a, box)
        return out
    if e.is_Pow:
        base, ex = e.args
        b = _iv(base, box)
        if ex.is_Integer:
            if ex < 0 and not (b.a > 0 or b.b < 0):
                raise _NoBound
            return b ** int(ex)
        if ex.is_Rational and b.a > 0:
            if ex == R(1, 2):
                return iv.sqrt(b)
            return iv.exp(iv.log(b) * _iv_number(ex))
        raise _NoBound
    if isinstance(e, sp.exp):
        return iv.exp(_iv(e.args[0], box))
    if isinstance(e, sp.log):
        b = _iv(e.args[0], box)
        if not b.a > 0:
            raise _NoBound
        return iv.log(b)
    if isinstance(e, sp.sin):
        return iv.sin(_iv(e.args[0], box))
    if isinstance(e, sp.cos):
        return iv.cos(_iv(e.args[0], box))
    raise _NoBound


def sign_on(expr: sp.Basic, scope: Scope) -> int:
    """+1 (−1) when expr is provably positive (negative) on the domain by interval arithmetic, else 0."""
    b = interval(expr, scope)
    if b is None:
        return 0
    if b.a > 0:
        return 1
    if b.b < 0:
        return -1
    return 0


def bounded(expr: sp.Basic, scope: Scope, limit: float) -> bool:
    """True when |expr| < limit on the domain (interval arithmetic)."""
    b = interval(expr, scope)
    return b is not None and b.a > -limit and b.b < limit


# --- expressions ----------------------------------------------------------------------------------

_SMALL_INTS = (1, 2, 3, -1, -2, 4, 5, -3)
_RATIONALS = tuple(R(p, q) for p, q in ((1, 2), (-1, 2), (1, 3), (2, 3), (3, 2), (-3, 4), (5, 7), (1, 10), (-7, 5)))


def numbers() -> st.SearchStrategy:
    """Small nonzero integers and rationals."""
    return st.one_of(st.sampled_from(_SMALL_INTS).map(sp.Integer), st.sampled_from(_RATIONALS))


def positive_numbers() -> st.SearchStrategy:
    return st.sampled_from((sp.Integer(1), sp.Integer(2), sp.Integer(3), R(1, 2), R(3, 2), R(1, 3), R(5, 4), R(7, 3)))


@st.composite
def leaves(draw, scope: Scope) -> sp.Expr:
    """A symbol of the scope (mostly) or a small number."""
    if draw(st.integers(0, 3)) == 0:
        return draw(numbers())
    return draw(st.sampled_from(scope.symbols))


@st.composite
def positives(draw, scope: Scope, depth: int = 1) -> sp.Expr:
    """An expression positive on the whole (open) domain, by construction of its shape."""
    kinds = ["const", "shifted", "shifted", "square", "exp", "trig"]
    if depth > 0:
        kinds += ["sum", "prod", "sqrt"]
    kind = draw(st.sampled_from(kinds))
    sub = max(depth - 1, 0)
    if kind == "const":
        return draw(positive_numbers())
    if kind == "shifted":
        # s − c with c ≤ lo, or c − s with c ≥ hi: positive on the open interval (lo, hi).
        s = draw(st.sampled_from(scope.symbols))
        lo, hi = scope.bounds[s]
        gap = draw(st.sampled_from((0, R(1, 2), 1, 3)))
        core = s - (lo - gap) if draw(st.booleans()) else (hi + gap) - s
        return draw(positive_numbers()) * core
    if kind == "square":
        g = draw(expressions(scope, sub))
        return draw(positive_numbers()) + g**2
    if kind == "exp":
        return sp.exp(draw(exp_arguments(scope, sub)))
    if kind == "trig":
        g = draw(expressions(scope, sub))
        c = draw(st.sampled_from((2, R(3, 2), R(5, 4), 3)))
        return c + (sp.sin(g) if draw(st.booleans()) else sp.cos(g))
    if kind == "sum":
        return draw(positives(scope, sub)) + draw(positives(scope, sub))
    if kind == "prod":
        return draw(positives(scope, sub)) * draw(positives(scope, sub))
    return sp.sqrt(draw(positives(scope, sub)))


@st.composite
def nonvanishing(draw, scope: Scope, depth: int = 1) -> sp.Expr:
    """An expression with no zero on the domain: ± a positive one."""
    p = draw(positives(scope, depth))
    return p if draw(st.booleans()) else -p


@st.composite
def exp_arguments(draw, scope: Scope, depth: int) -> sp.Expr:
    """An argument for exp, bounded on the domain (so values stay in a sane range)."""
    g = draw(expressions(scope, depth))
    if bounded(g, scope, EXP_BOUND):
        return g
    return draw(leaves(scope))


_OPS = ("add", "add", "mul", "mul", "pow", "div", "sin", "cos", "exp", "log", "sqrt")


@st.composite
def expressions(draw, scope: Scope, depth: int = 2, top: bool = False) -> sp.Expr:
    """A real expression defined on the whole domain: numbers, +, ·, integer powers, division by
    nonvanishing expressions, sin/cos/exp of anything (exp bounded), log/sqrt of positives.
    `top`: not a bare leaf (an operation at the root)."""
    if depth <= 0 or (not top and draw(st.integers(0, 2 + 2 * depth)) == 0):
        return draw(leaves(scope))
    op = draw(st.sampled_from(_OPS))
    sub = depth - 1
    if op == "add":
        n = draw(st.integers(2, 3))
        return sp.Add(*[draw(expressions(scope, sub)) for _ in range(n)])
    if op == "mul":
        if draw(st.booleans()):
            return draw(numbers()) * draw(expressions(scope, sub))
        return draw(expressions(scope, sub)) * draw(expressions(scope, sub))
    if op == "pow":
        if draw(st.integers(0, 3)) == 0:
            return draw(nonvanishing(scope, sub)) ** draw(st.sampled_from((-1, -2)))
        return draw(expressions(scope, sub)) ** draw(st.sampled_from((2, 2, 3)))
    if op == "div":
        return draw(expressions(scope, sub)) / draw(nonvanishing(scope, sub))
    if op == "sin":
        return sp.sin(draw(expressions(scope, sub)))
    if op == "cos":
        return sp.cos(draw(expressions(scope, sub)))
    if op == "exp":
        return sp.exp(draw(exp_arguments(scope, sub)))
    if op == "log":
        return sp.log(draw(positives(scope, sub)))
    return sp.sqrt(draw(positives(scope, sub)))


# --- subterms -------------------------------------------------------------------------------------

Path = tuple[int, ...]


def subterms(expr: sp.Basic, path: Path = ()) -> Iterator[tuple[Path, sp.Basic]]:
    """(path, node) for every node, preorder, skipping exponents of powers, indices and the insides
    of E/Var (a node there is not a value of the domain's symbols)."""
    yield path, expr
    if isinstance(expr, (sp.Indexed, E, Var, sp.Sum)) or expr.is_Atom:
        return
    for k, a in enumerate(expr.args):
        if expr.is_Pow and k == 1:
            continue
        yield from subterms(a, path + (k,))


def replace_at(expr: sp.Basic, path: Path, new: sp.Basic) -> sp.Basic:
    """expr with the node at `path` replaced by `new` (that occurrence only)."""
    if not path:
        return new
    args = list(expr.args)
    args[path[0]] = replace_at(args[path[0]], path[1:], new)
    return expr.func(*args)


def _pick(draw, expr: sp.Basic, cond: Callable[[sp.Basic], bool]) -> tuple[Path, sp.Basic] | None:
    found = [(p, n) for p, n in subterms(expr) if cond(n)]
    if not found:
        return None
    return draw(st.sampled_from(found))


def _ops(e: sp.Basic) -> int:
    return int(sp.count_ops(e))


# --- valid rewrites (true by construction) --------------------------------------------------------

Rewrite = Callable[[Any, sp.Expr, Scope], sp.Expr | None]


class _TooCostly(Exception):
    pass


def _raise_too_costly(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _TooCostly


_MAX_TERMS = 400  # terms an expansion may reach before a rewrite is skipped (work, not time)
_MAX_DENSE = 20_000  # coefficients of the dense polynomial that factor/cancel would build


def _terms(e: sp.Basic) -> int:
    """An upper bound on the number of terms of e fully expanded (integer powers by the multinomial count)."""
    if e.is_Add:
        return sum(_terms(a) for a in e.args)
    if e.is_Mul:
        out = 1
        for a in e.args:
            out *= _terms(a)
        return out
    if e.is_Pow and e.exp.is_Integer:
        t = _terms(e.base)
        return _comb(abs(int(e.exp)) + t - 1, t - 1) if t > 1 else 1
    # expand works inside function arguments and other bases too: one costly inside is costly
    return 1 if all(_terms(a) <= _MAX_TERMS for a in e.args) else 10**9


def _comb(n: int, k: int) -> int:
    import math

    return math.comb(n, k) if n < 10_000 else 10**9


def _affordable(e: sp.Basic, dense: bool = False) -> bool:
    """True when expanding e (and, with `dense`, building its dense polynomial) is small work: SymPy's
    algebra blows up in time and memory on an unlucky input (a dense multivariate polynomial
    filled gigabytes in seconds); such a rewrite is skipped, decided by counting, never by the clock."""
    if _terms(e) > _MAX_TERMS:
        return False
    if not dense:
        return True
    from sympy.polys.polyutils import dict_from_expr

    size = 1
    for part in sp.fraction(e):
        try:
            monomials, gens = dict_from_expr(sp.expand(part))
        except Exception:  # not a polynomial in any generators SymPy picks: let the rewrite decide
            continue
        for k in range(len(gens)):
            size *= 1 + max((m[k] for m in monomials), default=0)
    return size <= _MAX_DENSE


def _bounded(fn: Callable[..., Any], *args: Any, seconds: float = 10.0) -> Any:
    """fn(*args), or None when it runs out of memory or recursion, or (a guard that the work
    bounds above should keep idle) takes more than `seconds`; the rewrite is then skipped."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        try:
            return fn(*args)
        except (MemoryError, RecursionError):
            return None
    previous = signal.signal(signal.SIGALRM, _raise_too_costly)
    # Repeating: Hypothesis runs a gc callback in which Python swallows the raise; the next one lands.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        return fn(*args)
    except (_TooCostly, MemoryError, RecursionError):
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _rw_expand(draw, e, scope):
    return _bounded(sp.expand, e) if _affordable(e) else None


def _rw_factor(draw, e, scope):
    return _bounded(sp.factor, e) if _ops(e) <= 25 and _affordable(e, dense=True) else None


def _rw_together(draw, e, scope):
    return _bounded(sp.together, e) if _affordable(e) else None


def _rw_cancel(draw, e, scope):
    return _bounded(sp.cancel, e) if _ops(e) <= 25 and _affordable(e, dense=True) else None


def _apart(e, scope):
    for s in scope.symbols:
        if e.has(s) and e.is_rational_function(s):
            den = sp.denom(sp.together(e))
            if den.has(s):
                return sp.apart(e, s)
    return None


def _rw_apart(draw, e, scope):
    return _bounded(_apart, e, scope) if _ops(e) <= 20 and _affordable(e, dense=True) else None


def _split(draw, u: sp.Expr, scope: Scope) -> tuple[sp.Expr, sp.Expr]:
    """u = u1 + u2: its own terms when it is a sum, else a shift by a number, a symbol or π/6."""
    if u.is_Add and draw(st.booleans()):
        k = draw(st.integers(1, len(u.args) - 1))
        return sp.Add(*u.args[:k]), sp.Add(*u.args[k:])
    v = draw(st.one_of(numbers(), st.sampled_from(scope.symbols), st.just(sp.pi / 6), st.just(sp.pi / 4)))
    return u - v, v


def _rw_angle_addition(draw, e, scope):
    hit = _pick(draw, e, lambda n: isinstance(n, (sp.sin, sp.cos)))
    if hit is None:
        return None
    path, node = hit
    a, b = _split(draw, node.args[0], scope)
    if isinstance(node, sp.sin):
        new = sp.sin(a) * sp.cos(b) + sp.cos(a) * sp.sin(b)
    else:
        new = sp.cos(a) * sp.cos(b) - sp.sin(a) * sp.sin(b)
    return replace_at(e, path, new)


def _rw_double_angle(draw, e, scope):
    hit = _pick(draw, e, lambda n: isinstance(n, (sp.sin, sp.cos)))
    if hit is None:
        return None
    path, node = hit
    h = node.args[0] / 2
    if isinstance(node, sp.sin):
        new = 2 * sp.sin(h) * sp.cos(h)
    else:
        new = draw(st.sampled_from((sp.cos(h) ** 2 - sp.sin(h) ** 2, 1 - 2 * sp.sin(h) ** 2, 2 * sp.cos(h) ** 2 - 1)))
    return replace_at(e, path, new)


def _rw_power_reduction(draw, e, scope):
    hit = _pick(draw, e, lambda n: n.is_Pow and n.exp == 2 and isinstance(n.base, (sp.sin, sp.cos)))
    if hit is None:
        return None
    path, node = hit
    u = node.base.args[0]
    if isinstance(node.base, sp.sin):
        new = draw(st.sampled_from(((1 - sp.cos(2 * u)) / 2, 1 - sp.cos(u) ** 2)))
    else:
        new = draw(st.sampled_from(((1 + sp.cos(2 * u)) / 2, 1 - sp.sin(u) ** 2)))
    return replace_at(e, path, new)


def _rw_pythagoras(draw, e, scope):
    """Multiply a subterm (or the whole line) by sin(v)² + cos(v)², v a random expression, or add
    c·(sin(v)² + cos(v)² − 1), c sometimes huge (10⁸…10²⁴: floats then cancel catastrophically)."""
    hit = _pick(draw, e, lambda n: not n.is_Number)
    path, node = hit if hit is not None else ((), e)
    v = draw(expressions(scope, 1))
    one = sp.sin(v) ** 2 + sp.cos(v) ** 2
    if draw(st.booleans()):
        return replace_at(e, path, node * one)
    c = draw(st.one_of(numbers(), st.sampled_from((10**8, 10**16, 10**24)).map(sp.Integer)))
    return replace_at(e, path, node + c * (one - 1))


def _rw_exp_add(draw, e, scope):
    hit = _pick(draw, e, lambda n: isinstance(n, sp.exp))
    if hit is None:
        return None
    path, node = hit
    a, b = _split(draw, node.args[0], scope)
    return replace_at(e, path, sp.exp(a) * sp.exp(b))  # SymPy keeps exp(a)·exp(b) apart unless a = b


def _rw_exp_combine(draw, e, scope):
    hit = _pick(draw, e, lambda n: n.is_Mul and sum(isinstance(f, sp.exp) for f in n.args) >= 2)
    if hit is None:
        return None
    path, node = hit
    exps = [f for f in node.args if isinstance(f, sp.exp)]
    rest = [f for f in node.args if not isinstance(f, sp.exp)]
    return replace_at(e, path, sp.Mul(*rest) * sp.exp(sp.Add(*[f.args[0] for f in exps])))


def _rw_log_split(draw, e, scope):
    """log(a·b) = log a + log b (each factor positive), log(aᵏ) = k·log a (a > 0), log P = log(cP) − log c."""
    hit = _pick(draw, e, lambda n: isinstance(n, sp.log))
    if hit is None:
        return None
    path, node = hit
    p = node.args[0]
    if p.is_Mul and all(sign_on(f, scope) > 0 for f in p.args):
        return replace_at(e, path, sp.Add(*[sp.log(f) for f in p.args]))
    if p.is_Pow and p.exp.is_Rational and sign_on(p.base, scope) > 0:
        return replace_at(e, path, p.exp * sp.log(p.base))
    # p > 0 on the domain (a log argument of the grammar, value unchanged by earlier rewrites)
    c = draw(st.sampled_from((2, 3, R(1, 2), R(5, 3), sp.E, sp.exp(2))))
    return replace_at(e, path, sp.log(c * p) - sp.log(c))


def _rw_log_combine(draw, e, scope):
    hit = _pick(draw, e, lambda n: n.is_Add and sum(isinstance(t, sp.log) and sign_on(t.args[0], scope) > 0 for t in n.args) >= 2)
    if hit is None:
        return None
    path, node = hit
    logs = [t for t in node.args if isinstance(t, sp.log) and sign_on(t.args[0], scope) > 0]
    rest = [t for t in node.args if t not in logs]
    return replace_at(e, path, sp.Add(*rest) + sp.log(sp.Mul(*[t.args[0] for t in logs])))


def _rw_log_exp(draw, e, scope):
    """a = log(exp(a)) for a real subterm a (bounded, so exp(a) stays sane)."""
    hit = _pick(draw, e, lambda n: not n.is_Number and bounded(n, scope, 30))
    if hit is None:
        return None
    path, node = hit
    return replace_at(e, path, sp.log(sp.exp(node)))


def _rw_sqrt_square(draw, e, scope):
    """a = sqrt(a²) for a positive on the domain; a = −sqrt(a²) for a negative."""
    hit = _pick(draw, e, lambda n: not n.is_Number and sign_on(n, scope) != 0)
    if hit is None:
        return None
    path, node = hit
    return replace_at(e, path, sign_on(node, scope) * sp.sqrt(node**2))


def _rw_sqrt_split(draw, e, scope):
    """sqrt(a·b) = sqrt(a)·sqrt(b) for a, b positive (either direction)."""
    hit = _pick(draw, e, lambda n: n.is_Pow and n.exp == R(1, 2) and n.base.is_Mul and all(sign_on(f, scope) > 0 for f in n.base.args))
    if hit is not None:
        path, node = hit
        return replace_at(e, path, sp.Mul(*[sp.sqrt(f) for f in node.base.args]))
    hit = _pick(draw, e, lambda n: n.is_Pow and n.exp == R(1, 2))
    if hit is None:
        return None
    path, node = hit
    c = draw(st.sampled_from((4, 9, R(1, 4), 2)))
    return replace_at(e, path, sp.sqrt(c * node.base) / sp.sqrt(c))


REWRITES: dict[str, Rewrite] = {
    "expand": _rw_expand,
    "factor": _rw_factor,
    "together": _rw_together,
    "cancel": _rw_cancel,
    "apart": _rw_apart,
    "angle-addition": _rw_angle_addition,
    "double-angle": _rw_double_angle,
    "power-reduction": _rw_power_reduction,
    "pythagoras": _rw_pythagoras,
    "exp-add": _rw_exp_add,
    "exp-combine": _rw_exp_combine,
    "log-split": _rw_log_split,
    "log-combine": _rw_log_combine,
    "log-exp": _rw_log_exp,
    "sqrt-square": _rw_sqrt_square,
    "sqrt-split": _rw_sqrt_split,
}


@st.composite
def rewritten(draw, e: sp.Expr, scope: Scope, max_rewrites: int = 2) -> tuple[sp.Expr, tuple[str, ...]]:
    """e after 1…max_rewrites valid rewrites; each time the first rewrite, in a drawn order, that
    changes something (sin² + cos² = 1 always can: a line is never compared with itself)."""
    names = []
    rnd = draw(st.randoms(use_true_random=False))  # a uniform order (permutations() favour the first)
    for _ in range(draw(st.integers(1, max_rewrites))):
        order = sorted(REWRITES)
        rnd.shuffle(order)
        for name in order:
            new = REWRITES[name](draw, e, scope)
            if new is None or new == e or _ops(new) > 2 * MAX_OPS:
                continue
            e = new
            names.append(name)
            break
    return e, tuple(names)


# --- cases ----------------------------------------------------------------------------------------


@dataclass
class Case:
    """A generated claim with its truth known by construction."""

    family: str  # "algebra", "moments" or "near-miss"
    truth: bool
    steps: tuple[sp.Basic, ...]
    domain: dict = field(default_factory=dict)  # Symbol -> (lo, hi) or range
    random: dict = field(default_factory=dict)
    rewrites: tuple[str, ...] = ()  # how each line was derived from the one before
    perturbation: str | None = None  # what was changed to make it false (and in which line)

    def claim(self, id: str = "hypothesis") -> Claim:
        return Claim(id, list(self.steps), domain=dict(self.domain), random=dict(self.random))

    def acceptable(self, verdict: str) -> bool:
        """True when `verdict` is sound for this case (inconclusive always is)."""
        return verdict in SOUND[self.truth]

    @property
    def kind(self) -> str:
        """A short label for tables: family and the perturbation kind (or 'true')."""
        if self.truth:
            return f"{self.family}:true"
        return f"{self.family}:{(self.perturbation or '?').split(':')[0]}"

    def text(self) -> str:
        """The claim in one readable block (lines, domain, random declarations, provenance)."""
        lines = "  =  ".join(sp.sstr(s) for s in self.steps)
        dom = ", ".join(f"{s} ∈ {_show_domain(d)}" for s, d in self.domain.items())
        rnd = ", ".join(f"{v} ~ {d!r}" for v, d in self.random.items())
        out = [lines, f"    where {dom}" if dom else "", f"    random {rnd}" if rnd else "",
               f"    truth={self.truth}; rewrites: {', '.join(self.rewrites) or '-'}"
               + (f"; perturbation: {self.perturbation}" if self.perturbation else "")]
        return "\n".join(x for x in out if x)

    def __repr__(self) -> str:
        return "Case(\n" + self.text() + "\n)"


def _show_domain(d: Any) -> str:
    if isinstance(d, range):
        return f"integers {d.start}…{d.stop - 1}"
    return f"({d[0]}, {d[1]})"


@st.composite
def true_identities(draw, max_depth: int = 3, max_lines: int = 3) -> Case:
    """A chain e0 = e1 (= e2) of real expressions, each line a valid rewrite of the one before."""
    scope = draw(scopes())
    e0 = draw(expressions(scope, draw(st.sampled_from([d for d in (2, 3, 3, 4) if d <= max_depth] or [max_depth])), top=True))
    if _ops(e0) > MAX_OPS:
        e0 = draw(expressions(scope, 1, top=True))
    if not e0.free_symbols:
        e0 = e0 + draw(st.sampled_from(scope.symbols))
    lines, names = [e0], []
    for _ in range(draw(st.integers(1, max_lines - 1))):
        nxt, how = draw(rewritten(lines[-1], scope))
        lines.append(nxt)
        names.append("+".join(how))
    used = set().union(*(l.free_symbols for l in lines))
    domain = {s: d for s, d in scope.domain if s in used}
    case = Case("algebra", True, tuple(lines), domain, {}, tuple(names))
    confirm_true(case, draw(st.randoms(use_true_random=False)))
    return case


# --- perturbations (false by construction, confirmed numerically) ---------------------------------


def _pt_coefficient(draw, e, scope):
    terms = sp.Add.make_args(e)
    k = draw(st.integers(0, len(terms) - 1))
    c, rest = terms[k].as_coeff_Mul()
    new_c = draw(st.sampled_from((c + 1, c - 1, 2 * c, c / 2, -c, c + R(1, 7), c * (1 + R(1, 10**6)))))
    return sp.Add(*terms[:k], new_c * rest, *terms[k + 1 :]), f"coefficient {c} -> {new_c} in term {terms[k]}"


def _pt_number(draw, e, scope):
    hit = _pick(draw, e, lambda n: n.is_Rational and n not in (1, -1))
    if hit is None:
        return None
    path, node = hit
    new = draw(st.sampled_from((node + 1, node - 1, 2 * node, node + R(1, 10**8))))
    return replace_at(e, path, new), f"number {node} -> {new}"


def _pt_drop(draw, e, scope):
    hit = _pick(draw, e, lambda n: n.is_Add)
    if hit is None:
        return None
    path, node = hit
    k = draw(st.integers(0, len(node.args) - 1))
    return replace_at(e, path, sp.Add(*node.args[:k], *node.args[k + 1 :])), f"drop term {node.args[k]}"


def _pt_sign(draw, e, scope):
    hit = _pick(draw, e, lambda n: not n.is_Number)
    path, node = hit if hit is not None else ((), e)
    return replace_at(e, path, -node), f"sign of {node}"


def _pt_sin_cos(draw, e, scope):
    hit = _pick(draw, e, lambda n: isinstance(n, (sp.sin, sp.cos)))
    if hit is None:
        return None
    path, node = hit
    other = sp.cos if isinstance(node, sp.sin) else sp.sin
    return replace_at(e, path, other(node.args[0])), f"swap {node.func.__name__} -> {other.__name__} in {node}"


def _pt_exponent(draw, e, scope):
    hit = _pick(draw, e, lambda n: n.is_Pow and n.exp.is_Rational and not isinstance(n.base, (E, Var)))
    if hit is None:
        return None
    path, node = hit
    k = node.exp
    new_k = draw(st.sampled_from([c for c in (k + 1, k - 1) if c != 0 and not (k > 0 and c < 0 and k.is_Integer)]))
    new = node.base**new_k
    return replace_at(e, path, new), f"exponent {node} -> {new}"


def _tiny_symbols(e: sp.Basic, scope: Scope) -> list[sp.Basic]:
    return [s for s in scope.symbols if s in e.free_symbols] or [sp.Integer(1)]


def _pt_tiny(draw, e, scope):
    s = draw(st.sampled_from(_tiny_symbols(e, scope)))
    k = draw(st.integers(0, 3))
    m = draw(st.integers(12, 30))
    c = R(draw(st.sampled_from((1, -1, 3, -7))), 10**m)
    term = c * s**k
    return e + term, f"tiny term {sp.sstr(term)}"


def _pt_nice_zero(draw, e, scope):
    s = draw(st.sampled_from(_tiny_symbols(e, scope)))
    if s == 1:
        return None
    lo, hi = scope.bounds[s]
    m = draw(st.integers(6, 12))
    q = draw(st.sampled_from((1, 2, 3, 4, 6, 10, 12)))
    form = draw(st.integers(0, 2))
    if form == 0:
        term = sp.sin(q * sp.pi * s) / 10**m
    elif form == 1:
        term = sp.sin(q * sp.pi * s) ** 2 / 10**m
    else:
        # zero at two readable points of the domain
        r1, r2 = lo + (hi - lo) / 4, lo + (hi - lo) / 2
        term = (s - r1) * (s - r2) / 10**m
    return e + term, f"nice-zero term {sp.sstr(term)}"


def _pt_tiny_inside(draw, e, scope):
    """A tiny change inside a function: f(u) → f(u + c) (sin, cos, exp) or f(u·(1 + c)) (log, sqrt),
    or a coefficient times (1 + c), c = 10⁻¹²…10⁻³⁰: no polynomial difference to expand."""
    m = draw(st.integers(12, 30))
    c = R(draw(st.sampled_from((1, -1, 3))), 10**m)
    hit = _pick(draw, e, lambda n: isinstance(n, (sp.sin, sp.cos, sp.exp, sp.log)) or (n.is_Pow and n.exp == R(1, 2)))
    if hit is None or draw(st.integers(0, 3)) == 0:
        terms = sp.Add.make_args(e)
        k = draw(st.integers(0, len(terms) - 1))
        new_term = terms[k] * (1 + c)
        return sp.Add(*terms[:k], new_term, *terms[k + 1 :]), f"term {terms[k]} times (1 + {c})"
    path, node = hit
    if isinstance(node, (sp.sin, sp.cos, sp.exp)):
        new = node.func(node.args[0] + c)
    elif isinstance(node, sp.log):
        new = sp.log(node.args[0] * (1 + abs(c)))
    else:
        new = sp.sqrt(node.base * (1 + abs(c)))
    return replace_at(e, path, new), f"{node} -> {new}"


def _pt_tiny_constant(draw, e, scope):
    """A tiny transcendental constant added: exp(−k), sin(10⁻ᵐ), log(1 + 10⁻ᵐ), √2 minus its first
    m digits — 10⁻¹² … 10⁻⁵⁰, no rational arithmetic sees it (80 digits still do)."""
    m = draw(st.integers(12, 50))
    form = draw(st.integers(0, 3))
    if form == 0:
        term = sp.exp(-draw(st.integers(28, 115)))
    elif form == 1:
        term = sp.sin(R(1, 10**m))
    elif form == 2:
        term = sp.log(1 + R(1, 10**m))
    else:
        term = sp.sqrt(2) - R(int(sp.floor(sp.sqrt(2) * 10**m)), 10**m)
    return e + term, f"tiny constant {sp.sstr(term)}"


PERTURBATIONS: dict[str, Rewrite] = {
    "tiny-constant": _pt_tiny_constant,
    "tiny-inside": _pt_tiny_inside,
    "coefficient": _pt_coefficient,
    "number": _pt_number,
    "drop": _pt_drop,
    "sign": _pt_sign,
    "sin-cos": _pt_sin_cos,
    "exponent": _pt_exponent,
    "tiny": _pt_tiny,
    "nice-zero": _pt_nice_zero,
}


@st.composite
def perturbed(draw, case: Case, scope: Scope, extra: dict | None = None) -> Case:
    """`case` (true) with one line j ≥ 1 perturbed so that line j−1 = line j is false."""
    table = dict(PERTURBATIONS, **(extra or {}))
    rnd = draw(st.randoms(use_true_random=False))
    j = draw(st.integers(1, len(case.steps) - 1))
    line = case.steps[j]
    order = sorted(table)
    rnd.shuffle(order)  # uniform (st.permutations would favour the first perturbation)
    # the preferred perturbation first; tiny terms (always false) as the last resort
    for name in (*order, "tiny"):
        got = table[name](draw, line, scope)
        if got is None:
            continue
        new, what = got
        steps = case.steps[:j] + (new,) + case.steps[j + 1 :]
        used = set().union(*(_free_symbols(l) for l in steps))
        domain = dict(case.domain)
        for s, d in scope.domain:
            if s in used:
                domain.setdefault(s, d)
        random = dict(case.random)
        for var in (X, Y):  # a variable brought in by the perturbation has a law of its own
            if var not in random and any(l.has(var) for l in steps):
                random[var] = Generic(var.name)
        cand = Case(case.family, False, steps, domain, random, case.rewrites, f"{name}: {what} (line {j})")
        if defined_on(new, line, scope) and differs(case.steps[j - 1], new, cand, rnd):
            return cand
    raise GeneratorError(f"no perturbation of line {j} made a false claim: {case.text()}")


def _conditions(e: sp.Basic) -> Iterator[tuple[sp.Basic, str]]:
    """What must hold for e to be defined: (expression, 'positive' | 'nonzero') per log/root/division."""
    for _, node in subterms(e):
        if isinstance(node, sp.log):
            yield node.args[0], "positive"
        elif node.is_Pow and node.exp.is_Rational and not node.exp.is_Integer:
            yield node.base, "positive"
        elif node.is_Pow and node.exp.is_negative:
            yield node.base, "nonzero"


def defined_on(new: sp.Basic, original: sp.Basic, scope: Scope) -> bool:
    """True when every log/root argument and divisor of `new` is one `original` already had (so
    defined there by construction) or is proved positive/nonzero on the domain (interval arithmetic)."""
    known = set(_conditions(original))
    for cond in _conditions(new):
        if cond in known:
            continue
        expr, need = cond
        sign = sign_on(expr, scope)
        if sign > 0 or (need == "nonzero" and sign < 0):
            continue
        return False
    return True


def _free_symbols(e: sp.Basic) -> set:
    return {s for s in e.free_symbols if isinstance(s, sp.Symbol) and not isinstance(s, sp.Dummy)}


@st.composite
def false_claims(draw, max_depth: int = 3, max_lines: int = 3) -> Case:
    """A true identity chain with one line perturbed (confirmed false at 80 digits)."""
    case = draw(true_identities(max_depth, max_lines))
    scope = Scope(tuple(case.domain.items()))
    # the perturbation may add a symbol of a scope the expression does not use: offer x at least
    if not scope.domain:
        scope = Scope(((sp.Symbol("x"), DOMAINS[0]),))
    return draw(perturbed(case, scope))


# --- moment identities (E, Var with iid copies) ----------------------------------------------------

X, Y = sp.Symbol("X"), sp.Symbol("Y")
W = sp.IndexedBase("W")
n = sp.Symbol("n", integer=True)
i = sp.Symbol("i", integer=True)

# stand-ins used to show a moment claim false for *some* distribution (asymmetric, non-degenerate)
STAND_INS = (
    {0: R(1, 3), 1: R(1, 3), 3: R(1, 3)},
    {-1: R(1, 4), 2: R(3, 4)},
    {1: R(1, 2), 2: R(1, 2)},
)


@st.composite
def finite_tables(draw) -> dict:
    """A finite distribution {value: probability}: 2–3 distinct small values, rational weights."""
    values = draw(st.lists(st.integers(-2, 3), min_size=2, max_size=3, unique=True))
    weights = [draw(st.integers(1, 4)) for _ in values]
    total = sum(weights)
    return {sp.Integer(v): R(w, total) for v, w in zip(values, weights)}


@st.composite
def distributions(draw, name: str):
    """Generic(name) or Generic() (any distribution: unnamed ones are still distinct laws), or a
    Finite table."""
    if draw(st.booleans()):
        return Generic(name) if draw(st.booleans()) else Generic()
    return Finite(draw(finite_tables()))


@st.composite
def coefficients(draw, scope: Scope) -> sp.Expr:
    """A deterministic coefficient: a number, a domain symbol or a small expression over the domain."""
    kind = draw(st.integers(0, 2))
    if kind == 0:
        return draw(numbers())
    if kind == 1:
        return draw(st.sampled_from(scope.symbols))
    return draw(expressions(scope, 1))


def _moments_of(dist) -> tuple[sp.Expr, sp.Expr] | None:
    """(E[X], E[X²]) of a Finite distribution, exactly; None for Generic."""
    if isinstance(dist, Finite):
        m1 = sp.Add(*[p * v for v, p in dist.table.items()])
        m2 = sp.Add(*[p * v**2 for v, p in dist.table.items()])
        return m1, m2
    return None


def _concretize(rhs: sp.Expr, atom: sp.Basic, dist) -> sp.Expr:
    """Replace E[atom], E[atom²], Var[atom] by their exact values for a Finite table."""
    m = _moments_of(dist)
    if m is None:
        return rhs
    m1, m2 = m
    return rhs.xreplace({E(atom): m1, E(atom**2): m2, Var(atom): m2 - m1**2})


_MOMENT_RULES = (
    "linearity", "variance-affine", "second-moment-affine", "variance-definition", "iid-sum-mean",
    "iid-sum-variance", "iid-product", "iid-square-sum", "independent-product", "independent-variance",
    "iid-sum-n-mean", "iid-mean-variance-n",
)


@st.composite
def true_moment_identities(draw) -> Case:
    """lhs = rhs for E/Var by a rule of expectation (coefficients over 0–2 domain symbols)."""
    scope = draw(scopes(1, 2))
    rule = draw(st.randoms(use_true_random=False)).choice(_MOMENT_RULES)  # uniform over the rules
    a, b = draw(coefficients(scope)), draw(coefficients(scope))
    random: dict = {}
    domain: dict = {}
    if rule in ("linearity", "variance-affine", "second-moment-affine", "variance-definition"):
        dx = draw(distributions("X"))
        random[X] = dx
        if rule == "linearity":
            lhs, rhs = E(a * X + b), a * E(X) + b
        elif rule == "variance-affine":
            lhs, rhs = Var(a * X + b), a**2 * Var(X)
        elif rule == "second-moment-affine":
            lhs, rhs = E((a * X + b) ** 2), a**2 * E(X**2) + 2 * a * b * E(X) + b**2
        else:
            lhs, rhs = Var(X), E(X**2) - E(X) ** 2
        if draw(st.booleans()):
            rhs = _concretize(rhs, X, dx)
    elif rule.startswith("iid"):
        dw = draw(distributions("W"))
        random[W] = dw
        first = draw(st.integers(1, 3))
        k = draw(st.integers(2, 4))
        idx = list(range(first, first + k))
        j = draw(st.integers(1, 5))  # any copy has the same moments
        if rule == "iid-sum-mean":
            lhs, rhs = E(a * sp.Add(*[W[t] for t in idx]) + b), k * a * E(W[j]) + b
        elif rule == "iid-sum-variance":
            cs = [draw(numbers()) for _ in idx]
            lhs = Var(sp.Add(*[c * W[t] for c, t in zip(cs, idx)]) + b)
            rhs = sp.Add(*[c**2 for c in cs]) * Var(W[j])
        elif rule == "iid-product":
            lhs, rhs = E(a * W[idx[0]] * W[idx[1]]), a * E(W[j]) ** 2
        elif rule == "iid-square-sum":
            lhs = E(sp.Add(*[W[t] for t in idx]) ** 2)
            rhs = k * E(W[j] ** 2) + k * (k - 1) * E(W[j]) ** 2
        elif rule == "iid-sum-n-mean":
            domain[n] = range(1, draw(st.integers(2, 12)))
            lhs, rhs = E(a * sp.Sum(W[i], (i, 1, n)) + b), a * n * E(W[j]) + b
        else:
            domain[n] = range(1, draw(st.integers(2, 12)))
            lhs, rhs = Var(sp.Sum(W[i], (i, 1, n)) / n), Var(W[j]) / n
        if draw(st.booleans()):
            rhs = _concretize(rhs, W[j], dw)
    else:
        dx, dy = draw(distributions("X")), draw(distributions("Y"))
        random[X], random[Y] = dx, dy
        if rule == "independent-product":
            lhs, rhs = E(a * X * Y + b), a * E(X) * E(Y) + b
        else:
            lhs, rhs = Var(a * X + Y + b), a**2 * Var(X) + Var(Y)
    how = [rule]
    if a.free_symbols and not a.is_Symbol and draw(st.booleans()):
        a2, names = draw(rewritten(a, scope, 1))  # the coefficient in another (equal) form
        if rhs.xreplace({a: a2}) != rhs:
            rhs = rhs.xreplace({a: a2})
            how += [f"{n} (coefficient)" for n in names]
    steps = [lhs, rhs]
    if draw(st.booleans()):
        expanded = sp.expand(rhs)
        if expanded != rhs:
            steps.append(expanded)
            how.append("expand")
    used = set().union(*(_free_symbols(s) for s in steps))
    for s, d in scope.domain:
        if s in used:
            domain[s] = d
    case = Case("moments", True, tuple(steps), domain, random, tuple(how))
    confirm_true(case, draw(st.randoms(use_true_random=False)))
    return case


def _pt_moment_swap(draw, e, scope):
    """E[A²] ↔ E[A]² (forgets the variance)."""
    hit = _pick(draw, e, lambda n: (isinstance(n, E) and n.args[0].is_Pow and n.args[0].exp == 2)
                or (n.is_Pow and n.exp == 2 and isinstance(n.base, E)))
    if hit is None:
        return None
    path, node = hit
    new = E(node.args[0].base) ** 2 if isinstance(node, E) else E(node.base.args[0] ** 2)
    return replace_at(e, path, new), f"moment swap {node} -> {new}"


def _pt_variance_scale(draw, e, scope):
    """a²·Var[…] → a·Var[…], Var[…]/n → Var[…], the factor dropped or doubled: the classic slips."""
    hit = _pick(draw, e, lambda n: n.is_Mul and any(isinstance(f, Var) for f in n.args))
    if hit is None:
        return None
    path, node = hit
    var = next(f for f in node.args if isinstance(f, Var))
    rest = node / var
    options = [var, 2 * node]
    if rest.is_Pow and rest.exp == 2:
        options.insert(0, rest.base * var)
    elif rest.is_Pow and rest.exp == -1:
        options.insert(0, var / rest.base**2)
    else:
        options.insert(0, rest**2 * var)
    new = draw(st.sampled_from([o for o in options if o != node] or [2 * node]))
    return replace_at(e, path, new), f"variance scale {node} -> {new}"


def _pt_swap_variable(draw, e, scope):
    """X ↔ Y (two independent variables with different laws) or the copy index of W."""
    if e.has(X) and e.has(Y):
        new = e.xreplace({X: Y, Y: X})
        return (new, "swap X <-> Y") if new != e else None
    if e.has(X):
        return e.xreplace({X: Y}), "X -> Y (another variable)"
    return None


MOMENT_PERTURBATIONS = {"moment-swap": _pt_moment_swap, "variance-scale": _pt_variance_scale, "swap-variable": _pt_swap_variable}


@st.composite
def false_moment_claims(draw) -> Case:
    """A true moment identity with one line perturbed (confirmed false on a concrete table)."""
    case = draw(true_moment_identities())
    # integer ranges enter the interval box by their ends (n ≥ 1: a divisor n never vanishes)
    scope_items = tuple((s, (R(d.start), R(d.stop - 1)) if isinstance(d, range) else d) for s, d in case.domain.items())
    scope = Scope(scope_items or ((sp.Symbol("x"), DOMAINS[0]),))
    return draw(perturbed(case, scope, MOMENT_PERTURBATIONS))


# --- near misses: false claims that agree to many digits ---------------------------------------------

@st.composite
def near_misses(draw) -> Case:
    """f(x) = its Taylor polynomial of degree k at a, on a short interval around a: false, but the
    two sides agree to about (width)^(k+1) — from 10⁻⁸ down to below float64 resolution."""
    x = sp.Symbol("x")
    a = draw(st.sampled_from((0, R(1, 2), 1, -1, R(1, 3))))
    width = draw(st.sampled_from((R(1, 10), R(1, 100), R(1, 1000))))
    k = draw(st.integers(2, 7))
    c = draw(st.sampled_from((1, 2, 3, R(1, 2))))
    kind = draw(st.sampled_from(("sin", "cos", "exp", "log", "sqrt", "composite")))
    u = c * x
    if kind == "sin":
        f = sp.sin(u)
    elif kind == "cos":
        f = sp.cos(u)
    elif kind == "exp":
        f = sp.exp(u)
    elif kind == "log":
        f = sp.log(u**2 + 1)
    elif kind == "sqrt":
        f = sp.sqrt(u**2 + 1)
    else:
        f, a = sp.exp(sp.sin(u)) + x**2, 0  # (at 0 only: the coefficients stay short)
    lo, hi = a - width, a + width
    taylor = sp.series(f, x, a, k + 1).removeO()  # in powers of (x − a), as a reader would write it
    case = Case("near-miss", False, (f, taylor), {x: (lo, hi)}, {}, (),
                f"taylor: degree-{k} Taylor polynomial at {a} on a width-{2 * width} interval")
    if not differs(f, case.steps[1], case, draw(st.randoms(use_true_random=False))):
        raise GeneratorError(f"a Taylor truncation agrees to 60 digits: {case.text()}")
    return case


def _mix(*weighted: tuple[int, st.SearchStrategy]) -> st.SearchStrategy:
    """One of the strategies, chosen with these weights (a seeded uniform choice: `one_of` would
    favour the first one, as Hypothesis favours simple choices)."""
    pool = [s for w, s in weighted for _ in range(w)]
    return st.randoms(use_true_random=False).flatmap(lambda r: r.choice(pool))


def true_cases(max_depth: int = 3) -> st.SearchStrategy:
    """True claims: 70 % algebra, 30 % moments."""
    return _mix((7, true_identities(max_depth)), (3, true_moment_identities()))


def false_cases(max_depth: int = 3) -> st.SearchStrategy:
    """False claims: 60 % perturbed algebra, 25 % perturbed moments, 15 % near misses."""
    return _mix((12, false_claims(max_depth)), (5, false_moment_claims()), (3, near_misses()))


def cases(max_depth: int = 3) -> st.SearchStrategy:
    """True or false claims of every family (for an exact half-and-half split, draw from
    `true_cases()` and `false_cases()` separately)."""
    return st.one_of(true_cases(max_depth), false_cases(max_depth))


# --- the independent check (80 digits, exact points, concrete tables) ------------------------------


def _points(case: Case, rnd: _random.Random, count: int) -> Iterator[dict]:
    """Exact rational points strictly inside the domain (integers for integer ranges)."""
    for _ in range(count):
        point = {}
        for s, d in case.domain.items():
            if isinstance(d, range):
                point[s] = sp.Integer(rnd.choice(list(d)[:5]))
            else:
                lo, hi = d
                point[s] = lo + (hi - lo) * R(rnd.randint(1, 996), 997)
        yield point


def _tables(case: Case) -> Iterator[dict]:
    """Concrete tables for every random variable: Finite as declared, Generic through stand-ins."""
    generic = [v for v, d in case.random.items() if not isinstance(d, Finite)]
    for combo in itertools.product(STAND_INS, repeat=len(generic)):
        tables = {v: d.table for v, d in case.random.items() if isinstance(d, Finite)}
        tables.update(zip(generic, combo))
        yield tables


def _expect(arg: sp.Basic, tables: dict) -> sp.Expr:
    arg = arg.doit() if arg.has(sp.Sum) else arg
    atoms = sorted(
        {s for s in arg.free_symbols if s in tables} | {a for a in arg.atoms(sp.Indexed) if a.base in tables},
        key=sp.default_sort_key,
    )
    total = sp.Integer(0)
    for outcome in itertools.product(*[tables[a if a in tables else a.base].items() for a in atoms]):
        prob = sp.Mul(*[p for _, p in outcome])
        total += prob * arg.xreplace({a: v for a, (v, _) in zip(atoms, outcome)})
    return total


def evaluate(expr: sp.Basic, point: dict, tables: dict) -> sp.Expr:
    """expr at an exact point, every E/Var taken by exact enumeration over the tables (80 digits)."""
    e = expr.xreplace(point)

    def walk(node):
        if not node.args:
            return node
        args = [walk(a) for a in node.args]
        if isinstance(node, E):
            return _expect(args[0], tables)
        if isinstance(node, Var):
            return _expect(args[0] ** 2, tables) - _expect(args[0], tables) ** 2
        return node.func(*args)

    if e.has(E, Var):
        e = walk(e)
    value = sp.N(e, CHECK_DIGITS)
    if not value.is_number or value.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or abs(sp.im(value)) > 0:
        raise GeneratorError(f"{expr} is not a real number at {point}: {value}")
    return sp.re(value)


def _close(a: sp.Expr, b: sp.Expr) -> bool:
    scale = 1 + max(abs(a), abs(b))
    return abs(a - b) <= sp.Float(10) ** (20 - CHECK_DIGITS) * scale


def confirm_true(case: Case, rnd: _random.Random, count: int = 3) -> None:
    """Raise GeneratorError unless consecutive lines agree at `count` random points (and tables)."""
    for tables in itertools.islice(_tables(case), 2):
        for point in _points(case, rnd, count):
            values = [evaluate(s, point, tables) for s in case.steps]
            for k in range(1, len(values)):
                if not _close(values[k - 1], values[k]):
                    raise GeneratorError(
                        f"generated 'true' claim differs at {point}: line {k - 1} = {values[k - 1]}, "
                        f"line {k} = {values[k]}\n{case.text()}"
                    )


def differs(a: sp.Basic, b: sp.Basic, case: Case, rnd: _random.Random, count: int = 4) -> bool:
    """True when a ≠ b at some random point (and table) of the case's domain, at 80 digits."""
    for tables in itertools.islice(_tables(case), 3):
        for point in _points(case, rnd, count):
            try:
                if not _close(evaluate(a, point, tables), evaluate(b, point, tables)):
                    return True
            except GeneratorError:
                return False  # a perturbation that leaves the domain of definition is not used
    return False
