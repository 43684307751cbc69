"""A soundness table: claims whose truth is known by mathematics, not by running the verifier.

Each `Case` has an id, a class (one of `CLASSES`, the classes of wrong verdicts listed in
issue 10), the known truth, and a zero-argument builder that returns the `verifier.Claim`
(built lazily, so a claim that cannot be built is one failing case, not a broken module).
`MUST_BE_REFUSED` lists malformed claims for which a `verifier.ClaimError` at build time is
the right answer.

Conventions (from the public API, see README "Your own claim"):

- a chain `[e0, e1, …]` claims e0 = e1 = …; `Step(e, rel="<")` claims *previous line* < e;
- `Step(e, rel="≈", limit=(t, v))` claims previous line − e → 0 as t → v (two-sided, for every
  value of the other symbols in their domain);
- a real domain `(lo, hi)` is the open interval; an integer symbol's `(lo, hi)` is lo…hi
  inclusive, `range(a, b)` is a…b−1;
- random variables are compared outcome by outcome; declared random variables are independent;
  `Generic()` is any distribution with finite moments (a claim about it must hold for all);
- a decimal literal means the decimal number it spells (0.1 is one tenth);
- a line undefined (or not real) somewhere on its domain makes the claim false: the truth
  recorded here for such claims is False.

Used by tests/test_soundness_table.py and benchmarks/bench_soundness.py.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp
from sympy import (
    Abs, E as e_, Eq, Heaviside, I, Matrix, Max, Min, Mod, Piecewise, Product, Rational as R, Sum,
    acos, asin, atan, binomial, ceiling, cos, cosh, exp, eye, factorial, floor, frac, log, oo, pi,
    sign, sin, sinh, sqrt, tan, tanh,
)

from verifier import (
    Bernoulli, Binomial, Claim, E, Finite, Generic, Normal, P, Poisson, Step, Uniform, Var,
)

__all__ = ["CASES", "CLASSES", "Case", "MUST_BE_REFUSED", "Refused", "by_id", "counts"]


@dataclass(frozen=True)
class Case:
    """One claim of known truth: `build()` returns the Claim; `truth` is what mathematics says."""

    id: str
    cls: str
    truth: bool
    build: Callable[[], Claim]
    note: str = ""


@dataclass(frozen=True)
class Refused:
    """A malformed claim: `build()` must raise verifier.ClaimError (`why` says what is wrong)."""

    id: str
    cls: str
    build: Callable[[], object]
    why: str


CLASSES = (
    "polynomial", "branch", "finite-domain", "random", "undefined", "limit", "float",
    "inequality", "near-miss", "jump", "integer-range", "crash", "matrix", "chain",
)
"""The classes of issue 10, in the order the issue lists them."""

CASES: list[Case] = []
"""Every case of the table, in a stable order (ids are unique; a claim's id is its case id)."""

MUST_BE_REFUSED: list[Refused] = []
"""Claims that are malformed: building them must raise verifier.ClaimError."""


def _add(cls: str, name: str, truth: bool, make: Callable[[str], Claim], note: str = "") -> None:
    cid = f"{cls}:{name}"
    assert cls in CLASSES and all(c.id != cid for c in CASES), cid
    CASES.append(Case(cid, cls, truth, functools.partial(make, cid), note))


def _refuse(cls: str, name: str, make: Callable[[str], object], why: str) -> None:
    cid = f"refused:{cls}:{name}"
    MUST_BE_REFUSED.append(Refused(cid, cls, functools.partial(make, cid), why))


def _T(cls: str, name: str, make: Callable[[str], Claim], note: str = "") -> None:
    _add(cls, name, True, make, note)


def _F(cls: str, name: str, make: Callable[[str], Claim], note: str = "") -> None:
    _add(cls, name, False, make, note)


# --- symbols ------------------------------------------------------------------------------------
x, y, z, a, b, c, d, t, p, lam, mu, s2, th, ph = sp.symbols("x y z a b c d t p lam mu s2 theta phi")
e, f, g, h = sp.symbols("e f g h")
n, m, k, i, j, q = sp.symbols("n m k i j q", integer=True)
X, Y = sp.symbols("X Y")
Xs = sp.IndexedBase("X")
X_1 = sp.Symbol("X_1")  # a domain symbol spelled like the outcome of the iid copy X[1]
Xbar = sp.Symbol("Xbar")

_TEN = sp.Integer(10)
EPS30 = _TEN**-30
EPS45 = _TEN**-45
RE = (-10, 10)  # a default real domain


def _lt(expr):
    return Step(expr, rel="<")


def _le(expr):
    return Step(expr, rel="<=")


def _gt(expr):
    return Step(expr, rel=">")


def _ge(expr):
    return Step(expr, rel=">=")


def _lim(expr, sym, to):
    return Step(expr, rel="≈", limit=(sym, to))


def _prod(expr_of_q, qs):
    return sp.Mul(*[expr_of_q(v) for v in qs])


def _S(lo, hi):
    """Σ_{i=lo}^{hi} X[i] (iid copies)."""
    return Sum(Xs[i], (i, lo, hi))


def _rot(angle):
    return Matrix([[cos(angle), -sin(angle)], [sin(angle), cos(angle)]])


_A = Matrix([[a, b], [c, d]])
_B = Matrix([[e, f], [g, h]])
_AB = {s: (-5, 5) for s in (a, b, c, d, e, f, g, h)}


# =================================================================================================
# polynomial / rational identities
# =================================================================================================
C = "polynomial"
_T(C, "square", lambda i: Claim(i, [(x + 1) ** 2, x**2 + 2 * x + 1], domain={x: RE}))
_T(C, "cube-binomial", lambda i: Claim(i, [(x + y) ** 3, x**3 + 3 * x**2 * y + 3 * x * y**2 + y**3], domain={x: RE, y: RE}))
_T(C, "difference-of-squares", lambda i: Claim(i, [(a - b) * (a + b), a**2 - b**2], domain={a: RE, b: RE}))
_T(C, "x5-minus-1", lambda i: Claim(i, [x**5 - 1, (x - 1) * (x**4 + x**3 + x**2 + x + 1)], domain={x: RE}))
_T(C, "rational-sum", lambda i: Claim(i, [1 / (x - 1) - 1 / (x + 1), 2 / (x**2 - 1)], domain={x: (2, 10)}))
_T(C, "square-difference", lambda i: Claim(i, [(x + y) ** 2 - (x - y) ** 2, 4 * x * y], domain={x: RE, y: RE}))
_T(C, "sum-of-cubes", lambda i: Claim(i, [x**3 + y**3, (x + y) * (x**2 - x * y + y**2)], domain={x: RE, y: RE}))
_T(C, "power-20", lambda i: Claim(i, [(x + 1) ** 20, sp.expand((x + 1) ** 20)], domain={x: RE}))
_T(C, "lagrange-2d", lambda i: Claim(i, [(a**2 + b**2) * (c**2 + d**2), (a * c - b * d) ** 2 + (a * d + b * c) ** 2], domain={a: RE, b: RE, c: RE, d: RE}))
_T(C, "partial-fractions", lambda i: Claim(i, [1 / (x * (x + 1)), 1 / x - 1 / (x + 1)], domain={x: (1, 5)}))
_T(C, "geometric-quotient", lambda i: Claim(i, [(x**10 - 1) / (x - 1), sp.Add(*[x**kk for kk in range(10)])], domain={x: (2, 3)}))
_T(C, "thirds-and-sixths", lambda i: Claim(i, [x / 3 + x / 6, x / 2], domain={x: RE}))
_T(C, "three-variables", lambda i: Claim(i, [(x + y + z) ** 2, x**2 + y**2 + z**2 + 2 * (x * y + y * z + x * z)], domain={x: RE, y: RE, z: RE}))
_T(C, "nested-fraction", lambda i: Claim(i, [1 / (1 + 1 / x), x / (x + 1)], domain={x: (1, 10)}))
_F(C, "square-plus-one", lambda i: Claim(i, [(x + 1) ** 2, x**2 + 2 * x + 2], domain={x: RE}))
_F(C, "square-plus-1e-30", lambda i: Claim(i, [(x + 1) ** 2, x**2 + 2 * x + 1 + EPS30], domain={x: RE}))
_F(C, "coefficient-1e-30", lambda i: Claim(i, [(1 + EPS30) * x**2, x**2], domain={x: RE}), "coefficient 1 + 10**-30")
_F(C, "cube-binomial-1e-20xy", lambda i: Claim(i, [(x + y) ** 3, x**3 + 3 * x**2 * y + 3 * x * y**2 + y**3 + _TEN**-20 * x * y], domain={x: RE, y: RE}))
_F(C, "lagrange-sign", lambda i: Claim(i, [(a**2 + b**2) * (c**2 + d**2), (a * c + b * d) ** 2 + (a * d + b * c) ** 2], domain={a: RE, b: RE, c: RE, d: RE}))
_F(C, "x5-minus-1-typo", lambda i: Claim(i, [x**5 - 1, (x - 1) * (x**4 + x**3 + x**2 + x - 1)], domain={x: RE}))
_F(C, "rational-sum-sign", lambda i: Claim(i, [1 / (x - 1) - 1 / (x + 1), 2 / (x**2 + 1)], domain={x: (2, 10)}))
_F(C, "power-20-one-coefficient", lambda i: Claim(i, [(x + 1) ** 20, sp.expand((x + 1) ** 20) + x**10], domain={x: RE}), "C(20,10) + 1")
_F(C, "square-of-difference", lambda i: Claim(i, [(x - y) ** 2, x**2 - y**2], domain={x: RE, y: RE}))
_F(C, "partial-fractions-sign", lambda i: Claim(i, [1 / (x * (x + 1)), 1 / x + 1 / (x + 1)], domain={x: (1, 5)}))
_F(C, "geometric-quotient-short", lambda i: Claim(i, [(x**10 - 1) / (x - 1), sp.Add(*[x**kk for kk in range(9)])], domain={x: (2, 3)}))
_F(C, "geometric-series-truncated", lambda i: Claim(i, [1 / (1 - x), 1 + x + x**2], domain={x: (0, R(1, 10))}))
_F(C, "scale-1e-40", lambda i: Claim(i, [x * (1 + _TEN**-40), x], domain={x: (-1, 1)}))
_F(C, "three-variables-missing-term", lambda i: Claim(i, [(x + y + z) ** 2, x**2 + y**2 + z**2 + 2 * (x * y + y * z)], domain={x: RE, y: RE, z: RE}))

# =================================================================================================
# square roots, Abs, floor, ceiling, sign, piecewise: identities valid on part of the domain only
# =================================================================================================
C = "branch"
_T(C, "sqrt-square-(-10,10)", lambda i: Claim(i, [sqrt(x**2 - 20 * x + 100), 10 - x], domain={x: (-10, 10)}))
_T(C, "sqrt-x2-abs", lambda i: Claim(i, [sqrt(x**2), Abs(x)], domain={x: (-5, 5)}))
_T(C, "sqrt-x2-positive", lambda i: Claim(i, [sqrt(x**2), x], domain={x: (0, 5)}))
_T(C, "sqrt-x2-negative", lambda i: Claim(i, [sqrt(x**2), -x], domain={x: (-5, 0)}))
_T(C, "abs-left-of-3", lambda i: Claim(i, [Abs(x - 3), 3 - x], domain={x: (-2, 3)}))
_T(C, "abs-product", lambda i: Claim(i, [Abs(x) * Abs(y), Abs(x * y)], domain={x: (-5, 5), y: (-5, 5)}))
_T(C, "floor-on-(2,3)", lambda i: Claim(i, [floor(x), 2], domain={x: (2, 3)}))
_T(C, "ceiling-on-(2,3)", lambda i: Claim(i, [ceiling(x), 3], domain={x: (2, 3)}))
_T(C, "floor-shift", lambda i: Claim(i, [floor(x + 1), floor(x) + 1], domain={x: RE}))
_T(C, "floor-neg-ceiling", lambda i: Claim(i, [floor(-x), -ceiling(x)], domain={x: RE}))
_T(C, "sign-abs", lambda i: Claim(i, [sign(x) * Abs(x), x], domain={x: (-5, 5)}))
_T(C, "sign-positive", lambda i: Claim(i, [sign(x), 1], domain={x: (0, 7)}))
_T(C, "max-plus-min", lambda i: Claim(i, [Max(x, y) + Min(x, y), x + y], domain={x: RE, y: RE}))
_T(C, "piecewise-abs", lambda i: Claim(i, [Piecewise((x, x > 0), (-x, True)), Abs(x)], domain={x: (-3, 3)}))
_T(C, "sqrt-product-positive", lambda i: Claim(i, [sqrt(x * y), sqrt(x) * sqrt(y)], domain={x: (0, 9), y: (0, 9)}))
_T(C, "sqrt-perfect-square", lambda i: Claim(i, [sqrt(4 * x**2 + 4 * x + 1), 2 * x + 1], domain={x: (-R(1, 2), 5)}))
_T(C, "abs-sin-(0,3)", lambda i: Claim(i, [Abs(sin(x)), sin(x)], domain={x: (0, 3)}))
_T(C, "sqrt-factor-(1,3)", lambda i: Claim(i, [sqrt(x**2 - 1), sqrt(x - 1) * sqrt(x + 1)], domain={x: (1, 3)}))
_F(C, "sqrt-square-(-10,12)", lambda i: Claim(i, [sqrt(x**2 - 20 * x + 100), 10 - x], domain={x: (-10, 12)}), "issue 10: fails on (10, 12)")
_F(C, "sqrt-x2-x", lambda i: Claim(i, [sqrt(x**2), x], domain={x: (-5, 5)}))
_F(C, "abs-left-of-3-edge", lambda i: Claim(i, [Abs(x - 3), 3 - x], domain={x: (-2, 3 + R(1, 1000))}))
_F(C, "floor-edge-1e-9", lambda i: Claim(i, [floor(x), 2], domain={x: (2, 3 + _TEN**-9)}))
_F(C, "ceiling-edge-1e-6", lambda i: Claim(i, [ceiling(x), 3], domain={x: (2, 3 + _TEN**-6)}))
_F(C, "sign-edge", lambda i: Claim(i, [sign(x), 1], domain={x: (-_TEN**-6, 7)}))
_F(C, "abs-sin-(0,3.2)", lambda i: Claim(i, [Abs(sin(x)), sin(x)], domain={x: (0, R(16, 5))}))
_F(C, "sqrt-product-any-sign", lambda i: Claim(i, [sqrt(x * y), sqrt(x) * sqrt(y)], domain={x: (-9, 9), y: (-9, 9)}))
_F(C, "piecewise-abs-shifted", lambda i: Claim(i, [Piecewise((x, x > R(1, 1000)), (-x, True)), Abs(x)], domain={x: (-3, 3)}))
_F(C, "max-minus-min", lambda i: Claim(i, [Max(x, y) - Min(x, y), x - y], domain={x: RE, y: RE}))
_F(C, "sqrt-perfect-square-wide", lambda i: Claim(i, [sqrt(4 * x**2 + 4 * x + 1), 2 * x + 1], domain={x: (-1, 5)}))
_F(C, "floor-half-shift", lambda i: Claim(i, [floor(x + R(1, 2)), floor(x)], domain={x: (0, 10)}))
_F(C, "abs-triangle-equality", lambda i: Claim(i, [Abs(x + y), Abs(x) + Abs(y)], domain={x: (-5, 5), y: (-5, 5)}))
_F(C, "sqrt-plus-1e-20", lambda i: Claim(i, [sqrt(x**2 + _TEN**-20), Abs(x)], domain={x: (-1, 1)}))
_F(C, "sqrt-factor-(-3,3)", lambda i: Claim(i, [sqrt(x**2 - 1), sqrt(x - 1) * sqrt(x + 1)], domain={x: (-3, 3)}), "x = -2: sqrt(3) vs -sqrt(3)")

# =================================================================================================
# finite integer domains of various sizes
# =================================================================================================
C = "finite-domain"
_T(C, "prod-1..20-on-1..20", lambda i: Claim(i, [_prod(lambda v: n - v, range(1, 21)), 0], domain={n: (1, 20)}))
_T(C, "prod-1..19-on-range(1,20)", lambda i: Claim(i, [_prod(lambda v: n - v, range(1, 20)), 0], domain={n: range(1, 20)}))
_T(C, "prod-1..200-on-1..200", lambda i: Claim(i, [_prod(lambda v: n - v, range(1, 201)), 0], domain={n: (1, 200)}))
_T(C, "n2-minus-n-even", lambda i: Claim(i, [Mod(n**2 - n, 2), 0], domain={n: (-50, 50)}))
_T(C, "minus-one-even-power", lambda i: Claim(i, [(-1) ** (2 * n), 1], domain={n: (0, 100)}))
_T(C, "cubic-on-three-points", lambda i: Claim(i, [n**3 - n, 0], domain={n: (-1, 1)}))
_T(C, "cos-pi-n", lambda i: Claim(i, [cos(pi * n), (-1) ** n], domain={n: range(-30, 31)}))
_T(C, "sin-pi-n", lambda i: Claim(i, [sin(pi * n), 0], domain={n: range(-100, 101)}))
_T(C, "factorial-ratio", lambda i: Claim(i, [factorial(n) / factorial(n - 1), n], domain={n: (1, 30)}))
_T(C, "binomial-2", lambda i: Claim(i, [binomial(n, 2), n * (n - 1) / 2], domain={n: (0, 50)}))
_T(C, "floor-plus-ceiling-half", lambda i: Claim(i, [floor(n / 2) + ceiling(n / 2), n], domain={n: (-40, 40)}))
_T(C, "mod2-product", lambda i: Claim(i, [Mod(m * n, 2), Mod(m, 2) * Mod(n, 2)], domain={m: (0, 30), n: (0, 30)}))
_T(C, "three-factors-on-0..2", lambda i: Claim(i, [n * (n - 1) * (n - 2), 0], domain={n: range(0, 3)}))
_F(C, "prod-1..19-on-1..20", lambda i: Claim(i, [_prod(lambda v: n - v, range(1, 20)), 0], domain={n: (1, 20)}), "issue 10: fails at n = 20")
_F(C, "prod-1..19-on-range(1,21)", lambda i: Claim(i, [_prod(lambda v: n - v, range(1, 20)), 0], domain={n: range(1, 21)}))
_F(C, "prod-2..20-on-1..20", lambda i: Claim(i, [_prod(lambda v: n - v, range(2, 21)), 0], domain={n: (1, 20)}), "fails at n = 1 only")
_F(C, "prod-1..999-on-1..1000", lambda i: Claim(i, [_prod(lambda v: n - v, range(1, 1000)), 0], domain={n: (1, 1000)}), "fails at n = 1000 only")
_F(C, "prod-without-37", lambda i: Claim(i, [_prod(lambda v: n - v, [v for v in range(1, 50) if v != 37]), 0], domain={n: (1, 49)}), "fails at n = 37 only")
_F(C, "cubic-on-four-points", lambda i: Claim(i, [n**3 - n, 0], domain={n: (-1, 2)}))
_F(C, "minus-one-power", lambda i: Claim(i, [(-1) ** n, 1], domain={n: (0, 100)}))
_F(C, "sin-half-pi-n", lambda i: Claim(i, [sin(pi * n / 2), 0], domain={n: (0, 10)}))
_F(C, "floor-n-over-97", lambda i: Claim(i, [floor(n / 97), 0], domain={n: (0, 97)}), "fails at n = 97 only")
_F(C, "factorial-ratio-30", lambda i: Claim(i, [factorial(n) / factorial(n - 1), n + floor(n / 30)], domain={n: (1, 30)}), "fails at n = 30 only")
_F(C, "mod2-sum", lambda i: Claim(i, [Mod(m + n, 2), Mod(m, 2) + Mod(n, 2)], domain={m: (0, 30), n: (0, 30)}))
_F(C, "binomial-2-off-at-41", lambda i: Claim(i, [binomial(n, 2), n * (n - 1) / 2 + floor(n / 41) - floor(n / 42)], domain={n: (0, 50)}), "fails at n = 41 only")

# =================================================================================================
# random variables
# =================================================================================================
C = "random"
_gx = lambda: {X: Generic("X")}  # noqa: E731
_gxy = lambda: {X: Generic("X"), Y: Generic("Y")}  # noqa: E731
_anon = lambda: {X: Generic(), Y: Generic()}  # noqa: E731
_n1 = {n: (1, oo)}
_T(C, "var-definition", lambda i: Claim(i, [Var(X), E(X**2) - E(X) ** 2], random=_gx()))
_T(C, "var-shift", lambda i: Claim(i, [Var(X + p), Var(X)], domain={p: (-5, 5)}, random=_gx()))
_T(C, "var-scale", lambda i: Claim(i, [Var(a * X), a**2 * Var(X)], domain={a: (-5, 5)}, random=_gx()))
_T(C, "mean-of-sample-mean", lambda i: Claim(i, [E(Xbar), E(Xs[1])], domain=_n1, random={Xs: Generic("X")}, where={Xbar: _S(1, n) / n}))
_T(C, "var-of-sample-mean", lambda i: Claim(i, [Var(Xbar), Var(Xs[1]) / n], domain=_n1, random={Xs: Generic("X")}, where={Xbar: _S(1, n) / n}))
_T(C, "bernoulli-mean", lambda i: Claim(i, [E(X), p], domain={p: (0, 1)}, random={X: Bernoulli(p)}))
_T(C, "bernoulli-second-moment", lambda i: Claim(i, [E(X**2), p], domain={p: (0, 1)}, random={X: Bernoulli(p)}))
_T(C, "bernoulli-third-moment", lambda i: Claim(i, [E(X**3), p], domain={p: (0, 1)}, random={X: Bernoulli(p)}))
_T(C, "bernoulli-variance", lambda i: Claim(i, [Var(X), p * (1 - p)], domain={p: (0, 1)}, random={X: Bernoulli(p)}))
_T(C, "bernoulli-idempotent", lambda i: Claim(i, [X**2, X], domain={p: (0, 1)}, random={X: Bernoulli(p)}))
_T(C, "bernoulli-pmf", lambda i: Claim(i, [P(Eq(X, 1)), p], domain={p: (0, 1)}, random={X: Bernoulli(p)}))
_T(C, "overlap-generic", lambda i: Claim(i, [E(_S(1, n) * _S(1, 2 * n)), n * E(Xs[1] ** 2) + (2 * n**2 - n) * E(Xs[1]) ** 2], domain=_n1, random={Xs: Generic("X")}))
_T(C, "overlap-bernoulli", lambda i: Claim(i, [E(_S(1, n) * _S(1, 2 * n)), n * p + (2 * n**2 - n) * p**2], domain={**_n1, p: (0, 1)}, random={Xs: Bernoulli(p)}))
_T(C, "overlap-covariance", lambda i: Claim(i, [E(_S(1, n) * _S(1, 2 * n)) - E(_S(1, n)) * E(_S(1, 2 * n)), n * Var(Xs[1])], domain=_n1, random={Xs: Generic("X")}))
_T(C, "overlap-variance-of-sum", lambda i: Claim(i, [Var(_S(1, n) + _S(1, 2 * n)), 5 * n * Var(Xs[1])], domain=_n1, random={Xs: Generic("X")}))
_T(C, "disjoint-ranges", lambda i: Claim(i, [E(_S(1, n) * _S(n + 1, 2 * n)), n**2 * E(Xs[1]) ** 2], domain=_n1, random={Xs: Generic("X")}))
_T(C, "square-of-sum", lambda i: Claim(i, [E(_S(1, n) ** 2), n * Var(Xs[1]) + n**2 * E(Xs[1]) ** 2], domain=_n1, random={Xs: Generic("X")}))
_T(C, "two-named-generics-product", lambda i: Claim(i, [E(X * Y), E(X) * E(Y)], random=_gxy()))
_T(C, "two-named-generics-variance", lambda i: Claim(i, [Var(X - Y), Var(X) + Var(Y)], random=_gxy()))
_T(C, "two-anonymous-generics-variance", lambda i: Claim(i, [Var(X + Y), Var(X) + Var(Y)], random=_anon()))
_T(C, "two-anonymous-generics-product", lambda i: Claim(i, [E(X * Y), E(X) * E(Y)], random=_anon()))
_T(C, "iid-pair-product", lambda i: Claim(i, [E(Xs[1] * Xs[2]), E(Xs[1]) ** 2], random={Xs: Generic("X")}))
_T(C, "domain-X_1-beside-X[1]-mean", lambda i: Claim(i, [E(Xs[1]) + X_1, X_1 + R(1, 2)], domain={X_1: (5, 6)}, random={Xs: Bernoulli(R(1, 2))}))
_T(C, "domain-X_1-beside-X[1]-outcome", lambda i: Claim(i, [Xs[1] ** 2 + X_1, Xs[1] + X_1], domain={X_1: (5, 6)}, random={Xs: Bernoulli(R(1, 2))}))
_T(C, "finite-symmetric-square", lambda i: Claim(i, [X**2, 1], random={X: Finite({-1: R(1, 2), 1: R(1, 2)})}))
_T(C, "finite-symmetric-cube", lambda i: Claim(i, [X**3, X], random={X: Finite({-1: R(1, 2), 1: R(1, 2)})}))
_T(C, "finite-three-point-variance", lambda i: Claim(i, [Var(X), R(1, 2)], random={X: Finite({0: R(1, 4), 1: R(1, 2), 2: R(1, 4)})}))
_T(C, "poisson-variance", lambda i: Claim(i, [Var(X), lam], domain={lam: (0, 10)}, random={X: Poisson(lam)}))
_T(C, "poisson-second-moment", lambda i: Claim(i, [E(X**2), lam + lam**2], domain={lam: (0, 10)}, random={X: Poisson(lam)}))
_T(C, "uniform-variance", lambda i: Claim(i, [Var(X), R(1, 12)], random={X: Uniform(0, 1)}))
_T(C, "normal-second-moment", lambda i: Claim(i, [E(X**2), mu**2 + s2], domain={mu: (-5, 5), s2: (0, 5)}, random={X: Normal(mu, s2)}))
_T(C, "binomial-mean", lambda i: Claim(i, [E(X), 3 * p], domain={p: (0, 1)}, random={X: Binomial(3, p)}))
_T(C, "jensen-square", lambda i: Claim(i, [E(X) ** 2, _le(E(X**2))], random=_gx()))
_T(C, "bernoulli-variance-bound", lambda i: Claim(i, [Var(X), _le(R(1, 4))], domain={p: (0, 1)}, random={X: Bernoulli(p)}))
_F(C, "overlap-as-independent", lambda i: Claim(i, [E(_S(1, n) * _S(1, 2 * n)), E(_S(1, n)) * E(_S(1, 2 * n))], domain=_n1, random={Xs: Generic("X")}), "differs by n·Var(X)")
_F(C, "overlap-2n2-mean-squared", lambda i: Claim(i, [E(_S(1, n) * _S(1, 2 * n)), 2 * n**2 * E(Xs[1]) ** 2], domain=_n1, random={Xs: Generic("X")}))
_F(C, "overlap-bernoulli-independent", lambda i: Claim(i, [E(_S(1, n) * _S(1, 2 * n)), 2 * n**2 * p**2], domain={**_n1, p: (0, 1)}, random={Xs: Bernoulli(p)}))
_F(C, "overlap-variance-additive", lambda i: Claim(i, [Var(_S(1, n) + _S(1, 2 * n)), Var(_S(1, n)) + Var(_S(1, 2 * n))], domain=_n1, random={Xs: Generic("X")}))
_F(C, "two-anonymous-generics-means", lambda i: Claim(i, [E(Y), E(X)], random=_anon()), "issue 10: separate Generic() declarations")
_F(C, "two-anonymous-generics-square", lambda i: Claim(i, [E(X * Y), E(X) ** 2], random=_anon()))
_F(C, "two-anonymous-generics-variances", lambda i: Claim(i, [Var(X), Var(Y)], random=_anon()))
_F(C, "two-anonymous-generics-moments", lambda i: Claim(i, [E(X**2), E(Y**2)], random=_anon()))
_F(C, "domain-X_1-equals-X[1]", lambda i: Claim(i, [Xs[1], X_1], domain={X_1: (5, 6)}, random={Xs: Bernoulli(R(1, 2))}), "a number in (5, 6) is never a 0/1 outcome")
_F(C, "domain-X_1-plus-X[1]", lambda i: Claim(i, [Xs[1] + X_1, 2 * Xs[1]], domain={X_1: (5, 6)}, random={Xs: Bernoulli(R(1, 2))}))
_F(C, "var-sign-error", lambda i: Claim(i, [Var(X), E(X**2) + E(X) ** 2], random=_gx()))
_F(C, "var-scale-linear", lambda i: Claim(i, [Var(a * X), a * Var(X)], domain={a: (2, 5)}, random=_gx()))
_F(C, "var-of-sample-mean-no-n", lambda i: Claim(i, [Var(Xbar), Var(Xs[1])], domain={n: (2, oo)}, random={Xs: Generic("X")}, where={Xbar: _S(1, n) / n}))
_F(C, "second-moment-of-sample-mean", lambda i: Claim(i, [E(Xbar**2), E(Xs[1]) ** 2], domain=_n1, random={Xs: Generic("X")}, where={Xbar: _S(1, n) / n}))
_F(C, "bernoulli-mean-squared", lambda i: Claim(i, [E(X), p**2], domain={p: (0, 1)}, random={X: Bernoulli(p)}))
_F(C, "bernoulli-second-moment-p2", lambda i: Claim(i, [E(X**2), p**2], domain={p: (0, 1)}, random={X: Bernoulli(p)}))
_F(C, "bernoulli-variance-p-minus-p3", lambda i: Claim(i, [Var(X), p - p**3], domain={p: (0, 1)}, random={X: Bernoulli(p)}))
_F(C, "bernoulli-outcome-is-p", lambda i: Claim(i, [X, p], domain={p: (0, 1)}, random={X: Bernoulli(p)}), "a random 0/1 value is not the number p")
_F(C, "bernoulli-pmf-complement", lambda i: Claim(i, [P(Eq(X, 1)), 1 - p], domain={p: (0, 1)}, random={X: Bernoulli(p)}))
_F(C, "independent-product-1e-30", lambda i: Claim(i, [E(X * Y), E(X) * E(Y) + EPS30], random=_gxy()))
_F(C, "finite-symmetric-is-one", lambda i: Claim(i, [X, 1], random={X: Finite({-1: R(1, 2), 1: R(1, 2)})}))
_F(C, "iid-pair-as-square", lambda i: Claim(i, [E(Xs[1] * Xs[2]), E(Xs[1] ** 2)], random={Xs: Generic("X")}))
_F(C, "poisson-variance-squared", lambda i: Claim(i, [Var(X), lam**2], domain={lam: (0, 10)}, random={X: Poisson(lam)}))
_F(C, "uniform-variance-1e-20", lambda i: Claim(i, [Var(X), R(1, 12) + _TEN**-20], random={X: Uniform(0, 1)}))
_F(C, "normal-second-moment-no-variance", lambda i: Claim(i, [E(X**2), mu**2], domain={mu: (-5, 5), s2: (0, 5)}, random={X: Normal(mu, s2)}))
_F(C, "binomial-variance-as-mean", lambda i: Claim(i, [Var(X), 3 * p], domain={p: (0, 1)}, random={X: Binomial(3, p)}))
_F(C, "jensen-strict", lambda i: Claim(i, [E(X) ** 2, _lt(E(X**2))], random=_gx()), "equality for a constant X")
_F(C, "bernoulli-variance-strict-bound", lambda i: Claim(i, [Var(X), _lt(R(1, 4))], domain={p: (0, 1)}, random={X: Bernoulli(p)}), "equality at p = 1/2")

# =================================================================================================
# undefined lines
# =================================================================================================
C = "undefined"


def _over_self(expr):
    """expr/expr, kept unevaluated."""
    return sp.Mul(expr, sp.Pow(expr, -1, evaluate=False), evaluate=False)


_T(C, "sqrt-squared", lambda i: Claim(i, [sqrt(x) ** 2, x], domain={x: (0, 5)}))
_T(C, "removable-singularity-outside", lambda i: Claim(i, [(x**2 - 1) / (x - 1), x + 1], domain={x: (2, 10)}))
_T(C, "floor-over-floor-(1,2)", lambda i: Claim(i, [_over_self(floor(x)), 1], domain={x: (1, 2)}))
_T(C, "x-over-x-positive", lambda i: Claim(i, [_over_self(x), 1], domain={x: (0, 5)}))
_T(C, "log-square-positive", lambda i: Claim(i, [log(x**2), 2 * log(x)], domain={x: (0, 10)}))
_T(C, "log-base-10", lambda i: Claim(i, [log(x, 10), log(x) / log(10)], domain={x: (0, 10)}))
_T(C, "exp-log", lambda i: Claim(i, [exp(log(x)), x], domain={x: (0, 3)}))
_T(C, "tan-cos-(0,1.5)", lambda i: Claim(i, [tan(x) * cos(x), sin(x)], domain={x: (0, R(3, 2))}))
_T(C, "acos-asin", lambda i: Claim(i, [acos(x), pi / 2 - asin(x)], domain={x: (-1, 1)}))
_F(C, "floor-over-floor-(0,2)", lambda i: Claim(i, [_over_self(floor(x)), 1], domain={x: (0, 2)}), "issue 10: 0/0 on (0, 1)")
_F(C, "log-base-0", lambda i: Claim(i, [sp.log(x, 0, evaluate=False), 0], domain={x: (0, 10)}), "issue 10: log base 0 is undefined")
_F(C, "log-vs-log-abs", lambda i: Claim(i, [log(x), log(Abs(x))], domain={x: (-R(1, 100), R(1, 100))}), "issue 10: log(x) not real for x < 0")
_F(C, "removable-singularity-inside", lambda i: Claim(i, [(x**2 - 1) / (x - 1), x + 1], domain={x: (0, 10)}), "undefined at x = 1")
_F(C, "x-over-x-through-0", lambda i: Claim(i, [_over_self(x), 1], domain={x: (-1, 1)}))
_F(C, "x-minus-third-over-itself", lambda i: Claim(i, [_over_self(x - R(1, 3)), 1], domain={x: (0, 1)}))
_F(C, "log-square-any-sign", lambda i: Claim(i, [log(x**2), 2 * log(x)], domain={x: (-10, 10)}))
_F(C, "reciprocal-difference-at-0", lambda i: Claim(i, [sp.Add(1 / x, -1 / x, evaluate=False), 0], domain={x: (-1, 1)}), "1/x undefined at 0")
_F(C, "tan-cos-(0,3)", lambda i: Claim(i, [tan(x) * cos(x), sin(x)], domain={x: (0, 3)}), "tan undefined at pi/2")
_F(C, "log-of-x-minus-1", lambda i: Claim(i, [log(x - 1) + log(x + 1), log(x**2 - 1)], domain={x: (0, 3)}), "log(x - 1) not real on (0, 1]")

# =================================================================================================
# limits
# =================================================================================================
C = "limit"
_T(C, "sin-t-over-t", lambda i: Claim(i, [sin(t) / t, _lim(1, t, 0)], domain={t: (-1, 1)}))
_T(C, "compound-interest", lambda i: Claim(i, [(1 + 1 / t) ** t, _lim(e_, t, oo)], domain={t: (1, oo)}))
_T(C, "x-over-x-plus-t", lambda i: Claim(i, [x / (x + t), _lim(0, t, oo)], domain={x: (0, 5), t: (1, oo)}))
_T(C, "exp-minus-one-over-t", lambda i: Claim(i, [(exp(t) - 1) / t, _lim(1, t, 0)], domain={t: (-1, 1)}))
_T(C, "one-minus-cos", lambda i: Claim(i, [(1 - cos(t)) / t**2, _lim(R(1, 2), t, 0)], domain={t: (-1, 1)}))
_T(C, "sin-xt-over-t", lambda i: Claim(i, [sin(x * t) / t, _lim(x, t, 0)], domain={x: (-3, 3), t: (-1, 1)}))
_T(C, "shift-to-zero", lambda i: Claim(i, [(x + t) ** 2, _lim(x**2, t, 0)], domain={x: RE, t: (-1, 1)}))
_T(C, "sqrt-asymptote", lambda i: Claim(i, [sqrt(t**2 + t) - t, _lim(R(1, 2), t, oo)], domain={t: (1, oo)}))
_T(C, "xt-over-1-plus-t", lambda i: Claim(i, [x * t / (1 + t), _lim(x, t, oo)], domain={x: (-5, 5), t: (1, oo)}))
_T(C, "bump-away-from-7/5", lambda i: Claim(i, [1 / (1 + t * (x - R(7, 5)) ** 2), _lim(0, t, oo)], domain={x: (2, 10), t: (1, oo)}))
_T(C, "abs-to-zero", lambda i: Claim(i, [Abs(t), _lim(0, t, 0)], domain={t: (-1, 1)}))
_T(C, "t-sin-inverse-t", lambda i: Claim(i, [t * sin(1 / t), _lim(0, t, 0)], domain={t: (-1, 1)}))
_T(C, "exp-as-limit", lambda i: Claim(i, [(1 + x / t) ** t, _lim(exp(x), t, oo)], domain={x: (-2, 2), t: (3, oo)}))
_T(C, "t2-log-t2", lambda i: Claim(i, [t**2 * log(t**2), _lim(0, t, 0)], domain={t: (-1, 1)}))
# read off Taylor coefficients (numerator and denominator smooth in t): every order, every x
_T(C, "taylor-order-2", lambda i: Claim(i, [(exp(t) - 1 - t) / t**2, _lim(R(1, 2), t, 0)], domain={t: (-1, 1)}))
_T(C, "taylor-cos-xt", lambda i: Claim(i, [(cos(x * t) - 1) / t**2, _lim(-x**2 / 2, t, 0)], domain={x: RE, t: (-1, 1)}))
_T(C, "taylor-at-1", lambda i: Claim(i, [(exp(t) - exp(1)) / (t - 1), _lim(exp(1), t, 1)], domain={t: (0, 2)}))
# little-o: o(t) one unknown function with o(t)/t → 0 as t → 0 (Step.small)
_o = sp.Function("o")
_rho = sp.Symbol("rho", positive=True)


def _olim(expr):
    return Step(expr, rel="≈", limit=(_rho, 0, "+"), small=(_o,))


_T(C, "little-o-remainder", lambda i: Claim(i, [a * b + _o(_rho), _olim(a * b)], domain={a: RE, b: RE, _rho: (0, 1)}))
_T(C, "little-o-over-t", lambda i: Claim(i, [_o(_rho) / _rho, _olim(0)], domain={_rho: (0, 1)}), "o(t)/t → 0 by definition")
_T(C, "little-o-squared-over-t", lambda i: Claim(i, [_o(_rho) ** 2 / _rho + x, _olim(x)], domain={x: RE, _rho: (0, 1)}))
_T(C, "little-o-first-order-sum", lambda i: Claim(i, [Sum(k * x, (k, 1, n)) + _o(_rho), _olim(Sum(j * x, (j, 1, n)))],
                                                   domain={x: RE, n: (1, 50), _rho: (0, 1)}), "the two sums differ only in their index")
_F(C, "little-o-wrong-factor", lambda i: Claim(i, [a + _o(_rho), _olim(2 * a)], domain={a: (1, 2), _rho: (0, 1)}), "the limit is -a")
_F(C, "little-o-over-t-to-1", lambda i: Claim(i, [_o(_rho) / _rho, _olim(1)], domain={_rho: (0, 1)}), "o(t)/t → 0, not 1")
_F(C, "little-o-over-t-squared", lambda i: Claim(i, [_o(_rho) / _rho**2, _olim(0)], domain={_rho: (0, 1)}),
   "false for o(t) = t^(3/2)")
_F(C, "little-o-sums-differ", lambda i: Claim(i, [Sum(k * x, (k, 1, n)) + _o(_rho), _olim(Sum(j * x, (j, 2, n)))],
                                               domain={x: (1, 2), n: (1, 50), _rho: (0, 1)}), "the first term 1·x is missing")
_refuse("limit", "little-o-on-an-equation", lambda i: Claim(i, [x + _o(_rho), Step(x, small=(_o,))], domain={x: RE, _rho: (0, 1)}),
        "little-o terms belong to an approximate line")
_refuse("limit", "little-o-not-a-function", lambda i: Claim(i, [x, Step(x, rel="≈", limit=(_rho, 0), small=(x,))], domain={x: RE, _rho: (0, 1)}),
        "small= takes undefined functions")
_refuse("limit", "little-o-at-infinity", lambda i: Claim(i, [x, Step(x, rel="≈", limit=(_rho, oo), small=(_o,))], domain={x: RE, _rho: (1, oo)}),
        "little-o is read as t → 0")
_F(C, "sign-function-at-0", lambda i: Claim(i, [x / Abs(x), _lim(1, x, 0)], domain={x: (-1, 1)}), "issue 10: only the right limit is 1")
_F(C, "bump-at-7/5", lambda i: Claim(i, [1 / (1 + t * (x - R(7, 5)) ** 2), _lim(0, t, oo)], domain={x: (0, 10), t: (1, oo)}), "issue 10: the limit is 1 at x = 7/5")
_F(C, "sin-t-over-t-to-0", lambda i: Claim(i, [sin(t) / t, _lim(0, t, 0)], domain={t: (-1, 1)}))
_F(C, "compound-interest-3", lambda i: Claim(i, [(1 + 1 / t) ** t, _lim(3, t, oo)], domain={t: (1, oo)}))
_F(C, "x-over-x-plus-t-to-1", lambda i: Claim(i, [x / (x + t), _lim(1, t, oo)], domain={x: (0, 5), t: (1, oo)}))
_F(C, "sign-at-0", lambda i: Claim(i, [sign(t), _lim(1, t, 0)], domain={t: (-1, 1)}))
_F(C, "gaussian-at-0", lambda i: Claim(i, [exp(-t * x**2), _lim(0, t, oo)], domain={x: (-1, 1), t: (1, oo)}), "the limit is 1 at x = 0")
_F(C, "xt-ratio-at-0", lambda i: Claim(i, [x * t / (1 + x * t), _lim(1, t, oo)], domain={x: (-1, 1), t: (3, oo)}), "the limit is 0 at x = 0")
_F(C, "bump-at-irrational-like", lambda i: Claim(i, [1 / (1 + t * (x - R(314159, 100000)) ** 2), _lim(0, t, oo)], domain={x: (0, 10), t: (1, oo)}), "the limit is 1 at x = 3.14159")
_F(C, "gaussian-at-pi/4", lambda i: Claim(i, [exp(-t * (x - pi / 4) ** 2), _lim(0, t, oo)], domain={x: (0, 1), t: (1, oo)}), "the limit is 1 at x = pi/4")
_F(C, "floor-at-0", lambda i: Claim(i, [floor(t), _lim(0, t, 0)], domain={t: (-1, 1)}), "the left limit is -1")
_F(C, "sin-inverse-t", lambda i: Claim(i, [sin(1 / t), _lim(0, t, 0)], domain={t: (-1, 1)}), "no limit")
_F(C, "exp-as-limit-1e-20", lambda i: Claim(i, [(1 + x / t) ** t, _lim(exp(x) + _TEN**-20, t, oo)], domain={x: (-2, 2), t: (3, oo)}))
_F(C, "abs-to-tiny", lambda i: Claim(i, [Abs(t), _lim(_TEN**-30, t, 0)], domain={t: (-1, 1)}))
_F(C, "taylor-order-2-wrong", lambda i: Claim(i, [(exp(t) - 1 - t) / t**2, _lim(1, t, 0)], domain={t: (-1, 1)}), "the limit is 1/2")
_F(C, "taylor-cos-xt-wrong", lambda i: Claim(i, [(cos(x * t) - 1) / t**2, _lim(-x**2, t, 0)], domain={x: RE, t: (-1, 1)}), "holds only at x = 0")
_F(C, "taylor-tiny", lambda i: Claim(i, [(exp(t) - 1 - t) / t**2, _lim(R(1, 2) + _TEN**-30, t, 0)], domain={t: (-1, 1)}))

# =================================================================================================
# float literals: a decimal literal means the decimal number it spells
# =================================================================================================
C = "float"
_T(C, "tenths", lambda i: Claim(i, [0.1 * x + 0.2 * x, 0.3 * x], domain={x: RE}), "issue 10")
_T(C, "half-power", lambda i: Claim(i, [x**0.5, sqrt(x)], domain={x: (0, 4)}), "issue 10")
_T(C, "exp-half-squared", lambda i: Claim(i, [exp(0.5 * x) ** 2, exp(x)], domain={x: (-5, 5)}), "issue 10")
_T(C, "seven-tenths-plus-one-tenth", lambda i: Claim(i, [0.7 * x + 0.1 * x, 0.8 * x], domain={x: RE}))
_T(C, "one-and-a-half", lambda i: Claim(i, [1.5 * x, 3 * x / 2], domain={x: RE}))
_T(C, "power-2.0", lambda i: Claim(i, [x**2.0, x**2], domain={x: (-3, 3)}))
_T(C, "quarter-power", lambda i: Claim(i, [x**0.25, sqrt(sqrt(x))], domain={x: (0, 9)}))
_T(C, "scientific-literal", lambda i: Claim(i, [2.5e-3 * x, x / 400], domain={x: RE}))
_T(C, "divide-by-tenth", lambda i: Claim(i, [x / 0.1, 10 * x], domain={x: RE}))
_T(C, "tiny-constant", lambda i: Claim(i, [x + 1e-20, x + _TEN**-20], domain={x: RE}))
_T(C, "one-point-one-squared", lambda i: Claim(i, [x * sp.Float(1.1) ** 2, 1.21 * x], domain={x: RE}))
_T(C, "log-float-margin", lambda i: Claim(i, [log(x), _lt(log(x + 1e-45))], domain={x: (1, 10)}))
_F(C, "sixteen-threes", lambda i: Claim(i, [0.3333333333333333 * x, x / 3], domain={x: RE}), "the decimal 0.3333333333333333 is not 1/3")
_F(C, "tenth-plus-1e-18", lambda i: Claim(i, [0.1 * x, (R(1, 10) + _TEN**-18) * x], domain={x: RE}))
_F(C, "half-power-plus-1e-17", lambda i: Claim(i, [x**0.5, sqrt(x) + _TEN**-17], domain={x: (0, 4)}))
_F(C, "exp-half-squared-off", lambda i: Claim(i, [exp(0.5 * x) ** 2, exp(1.0000000001 * x)], domain={x: (-5, 5)}))
_F(C, "pi-15-digits", lambda i: Claim(i, [sp.Float("3.14159265358979"), pi]))
_F(C, "pi-float64", lambda i: Claim(i, [3.141592653589793 * x, pi * x], domain={x: (1, 2)}))
_F(C, "tenths-wrong-sum", lambda i: Claim(i, [0.1 * x + 0.2 * x, 0.31 * x], domain={x: RE}))
_F(C, "e-float64", lambda i: Claim(i, [exp(x), 2.718281828459045**x], domain={x: (1, 2)}))
_F(C, "tiny-constant-wrong", lambda i: Claim(i, [x + 1e-20, x + 2 * _TEN**-20], domain={x: RE}))

# =================================================================================================
# strict and non-strict inequalities (previous line REL this line)
# =================================================================================================
C = "inequality"
_T(C, "log-margin-1e-45", lambda i: Claim(i, [log(x), _lt(log(x + EPS45))], domain={x: (1, 10)}), "issue 10")
_T(C, "x2-below-2-short", lambda i: Claim(i, [x**2, _lt(2)], domain={x: (0, 1.4142135)}), "issue 10")
_T(C, "square-nonnegative", lambda i: Claim(i, [(x - R(7, 5)) ** 2, _ge(0)], domain={x: (0, 10)}))
_T(C, "square-positive-away", lambda i: Claim(i, [(x - R(7, 5)) ** 2, _gt(0)], domain={x: (R(3, 2), 10)}))
_T(C, "x-below-x-plus-1e-30", lambda i: Claim(i, [x, _lt(x + EPS30)], domain={x: RE}))
_T(C, "exp-tangent-line", lambda i: Claim(i, [exp(x), _ge(1 + x)], domain={x: (-5, 5)}))
_T(C, "exp-tangent-strict-near-0", lambda i: Claim(i, [exp(x), _gt(1 + x)], domain={x: (_TEN**-6, 5)}))
_T(C, "sin-below-x", lambda i: Claim(i, [sin(x), _lt(x)], domain={x: (0, 10)}))
_T(C, "sin-below-x-tiny", lambda i: Claim(i, [sin(x), _le(x)], domain={x: (0, R(1, 1000))}))
_T(C, "am-gm", lambda i: Claim(i, [2 * x * y, _le(x**2 + y**2)], domain={x: RE, y: RE}))
_T(C, "log-below-tangent", lambda i: Claim(i, [log(x), _le(x - 1)], domain={x: (0, 10)}))
_T(C, "sqrt-above-x", lambda i: Claim(i, [sqrt(x), _gt(x)], domain={x: (0, 1)}))
_T(C, "cauchy-schwarz-2d", lambda i: Claim(i, [(a * c + b * d) ** 2, _le((a**2 + b**2) * (c**2 + d**2))], domain={a: RE, b: RE, c: RE, d: RE}))
_T(C, "cos-lower-bound", lambda i: Claim(i, [1 - x**2 / 2, _le(cos(x))], domain={x: (-3, 3)}))
_T(C, "x2-below-2-symmetric", lambda i: Claim(i, [x**2, _lt(2)], domain={x: (-1.4142135, 1.4142135)}))
_T(C, "ratio-below-1", lambda i: Claim(i, [x / (1 + x), _lt(1)], domain={x: (0, oo)}))
_T(C, "chain-of-bounds", lambda i: Claim(i, [x**2, _le(x**2 + y**2), _le((Abs(x) + Abs(y)) ** 2)], domain={x: RE, y: RE}))
_F(C, "square-positive", lambda i: Claim(i, [(x - R(7, 5)) ** 2, _gt(0)], domain={x: (0, 10)}), "issue 10: 0 at x = 7/5")
_F(C, "x2-below-2-long", lambda i: Claim(i, [x**2, _lt(2)], domain={x: (0, 1.41421357)}), "issue 10: fails at the edge")
_F(C, "x-plus-1e-30-below-x", lambda i: Claim(i, [x + EPS30, _lt(x)], domain={x: RE}))
_F(C, "log-margin-reversed", lambda i: Claim(i, [log(x + EPS45), _lt(log(x))], domain={x: (1, 10)}))
_F(C, "sin-below-x-both-signs", lambda i: Claim(i, [sin(x), _lt(x)], domain={x: (-1, 1)}))
_F(C, "exp-tangent-strict", lambda i: Claim(i, [exp(x), _gt(1 + x)], domain={x: (-5, 5)}), "equality at 0")
_F(C, "x2-at-most-2-long", lambda i: Claim(i, [x**2, _le(2)], domain={x: (0, 1.4142136)}))
_F(C, "log-below-tangent-strict", lambda i: Claim(i, [log(x), _lt(x - 1)], domain={x: (0, 10)}), "equality at 1")
_F(C, "square-above-1e-30", lambda i: Claim(i, [(x - R(1, 3)) ** 2, _gt(EPS30)], domain={x: (0, 1)}))
_F(C, "sqrt-above-x-edge", lambda i: Claim(i, [sqrt(x), _gt(x)], domain={x: (0, 1 + _TEN**-9)}))
_F(C, "cubic-nonnegative", lambda i: Claim(i, [x**3 - x, _ge(0)], domain={x: (-2, 2)}))
_F(C, "cos-taylor-minus-1e-12", lambda i: Claim(i, [cos(x), _le(1 - x**2 / 2 + x**4 / 24 - _TEN**-12)], domain={x: (-1, 1)}), "fails at x = 0 by 1e-12")
_F(C, "am-gm-minus-1e-20", lambda i: Claim(i, [x * y, _le((x**2 + y**2) / 2 - _TEN**-20)], domain={x: RE, y: RE}))
_F(C, "cos-lower-bound-strict", lambda i: Claim(i, [1 - x**2 / 2, _lt(cos(x))], domain={x: (-3, 3)}), "equality at 0")
_F(C, "chain-of-bounds-wrong", lambda i: Claim(i, [x**2, _le(x**2 + y**2), _lt((x + y) ** 2)], domain={x: RE, y: RE}))
_F(C, "x-above-x2-edge", lambda i: Claim(i, [x, _ge(x**2)], domain={x: (0, 1 + _TEN**-6)}))

# =================================================================================================
# near misses in float64, and true transcendental identities
# =================================================================================================
C = "near-miss"
_T(C, "pythagoras", lambda i: Claim(i, [sin(x) ** 2 + cos(x) ** 2, 1], domain={x: RE}))
_T(C, "exp-sum", lambda i: Claim(i, [exp(a + b), exp(a) * exp(b)], domain={a: RE, b: RE}))
_T(C, "log-product", lambda i: Claim(i, [log(a * b), log(a) + log(b)], domain={a: (0, 10), b: (0, 10)}))
_T(C, "hyperbolic-pythagoras", lambda i: Claim(i, [cosh(x) ** 2 - sinh(x) ** 2, 1], domain={x: RE}))
_T(C, "tan-sin-over-cos", lambda i: Claim(i, [tan(x), sin(x) / cos(x)], domain={x: (-1, 1)}))
_T(C, "double-angle-sin", lambda i: Claim(i, [sin(2 * x), 2 * sin(x) * cos(x)], domain={x: RE}))
_T(C, "double-angle-cos", lambda i: Claim(i, [cos(2 * x), 1 - 2 * sin(x) ** 2], domain={x: RE}))
_T(C, "sin-addition", lambda i: Claim(i, [sin(a + b), sin(a) * cos(b) + cos(a) * sin(b)], domain={a: RE, b: RE}))
_T(C, "exp-inverse", lambda i: Claim(i, [exp(x) * exp(-x), 1], domain={x: RE}))
_T(C, "log-exp", lambda i: Claim(i, [log(exp(x)), x], domain={x: (-5, 5)}))
_T(C, "atan-complement", lambda i: Claim(i, [atan(x) + atan(1 / x), pi / 2], domain={x: (0, 10)}))
_T(C, "double-angle-sinh", lambda i: Claim(i, [sinh(2 * x), 2 * sinh(x) * cosh(x)], domain={x: RE}))
_T(C, "euler-cos", lambda i: Claim(i, [cos(x), (exp(I * x) + exp(-I * x)) / 2], domain={x: RE}))
_T(C, "tanh-exp", lambda i: Claim(i, [tanh(x), (exp(2 * x) - 1) / (exp(2 * x) + 1)], domain={x: RE}))
_T(C, "power-sum", lambda i: Claim(i, [2**x * 2**y, 2 ** (x + y)], domain={x: RE, y: RE}))
_T(C, "cos-triple", lambda i: Claim(i, [cos(3 * x), 4 * cos(x) ** 3 - 3 * cos(x)], domain={x: RE}))
_F(C, "taylor-sin-5", lambda i: Claim(i, [sin(x), x - x**3 / 6 + x**5 / 120], domain={x: (-R(1, 1000), R(1, 1000))}), "issue 10: differs by ~x**7/5040")
_F(C, "sin-12-pi-1e-10", lambda i: Claim(i, [x + sin(12 * pi * x) / _TEN**10, x], domain={x: (0, 1)}), "issue 10: zero at every nice point")
_F(C, "sinc-near-0", lambda i: Claim(i, [sin(x) / x, 1], domain={x: (-_TEN**-6, _TEN**-6)}), "issue 10")
_F(C, "taylor-exp-3", lambda i: Claim(i, [exp(x), 1 + x + x**2 / 2 + x**3 / 6], domain={x: (-R(1, 1000), R(1, 1000))}))
_F(C, "taylor-cos-2", lambda i: Claim(i, [cos(x), 1 - x**2 / 2], domain={x: (-_TEN**-4, _TEN**-4)}))
_F(C, "taylor-log-2", lambda i: Claim(i, [log(1 + x), x - x**2 / 2], domain={x: (-_TEN**-5, _TEN**-5)}))
_F(C, "taylor-sqrt-1", lambda i: Claim(i, [sqrt(1 + x), 1 + x / 2], domain={x: (0, _TEN**-8)}))
_F(C, "tan-is-x", lambda i: Claim(i, [tan(x), x], domain={x: (-_TEN**-6, _TEN**-6)}))
_F(C, "sinh-is-x", lambda i: Claim(i, [sinh(x), x], domain={x: (-_TEN**-7, _TEN**-7)}))
_F(C, "atan-is-x", lambda i: Claim(i, [atan(x), x], domain={x: (-_TEN**-6, _TEN**-6)}))
_F(C, "sin-pi-squared-1e-12", lambda i: Claim(i, [x + sin(pi * x) ** 2 / _TEN**12, x], domain={x: (-5, 5)}), "zero at every integer")
_F(C, "pythagoras-plus-1e-25", lambda i: Claim(i, [cos(x) ** 2, 1 - sin(x) ** 2 + _TEN**-25], domain={x: RE}))
_F(C, "exp-minus-1000", lambda i: Claim(i, [x * (1 + exp(-1000)), x], domain={x: (1, 2)}), "differs by x·e^-1000 ≈ 5e-435")
_F(C, "quadratic-1e-12", lambda i: Claim(i, [x + _TEN**-12 * x**2, x], domain={x: (-1, 1)}))
_F(C, "log-product-any-sign", lambda i: Claim(i, [log(a * b), log(a) + log(b)], domain={a: (-10, 10), b: (-10, 10)}), "a = b = -1: 0 vs 2πi")

# =================================================================================================
# jumps: floor/ceiling/sign/Heaviside/piecewise edges inside the domain
# =================================================================================================
C = "jump"
_T(C, "ceil-minus-floor-short", lambda i: Claim(i, [ceiling(5 * x) - floor(5 * x), 1], domain={x: (R(1, 100), R(19, 100))}), "issue 10")
_T(C, "floor-3x-on-(0,1/3)", lambda i: Claim(i, [floor(3 * x), 0], domain={x: (0, R(1, 3))}))
_T(C, "frac-on-(0,1)", lambda i: Claim(i, [frac(x), x], domain={x: (0, 1)}))
_T(C, "ceil-minus-floor-(3/2,2)", lambda i: Claim(i, [ceiling(x) - floor(x), 1], domain={x: (R(3, 2), 2)}))
_T(C, "floor-square-on-(0,1)", lambda i: Claim(i, [floor(x**2), floor(x) ** 2], domain={x: (0, 1)}))
_T(C, "heaviside-right", lambda i: Claim(i, [Heaviside(x - R(1, 3)), 1], domain={x: (R(1, 3), 1)}))
_T(C, "piecewise-left", lambda i: Claim(i, [Piecewise((1, x < R(1, 3)), (2, True)), 1], domain={x: (0, R(1, 3))}))
_T(C, "floor-plus-floor-neg", lambda i: Claim(i, [floor(x) + floor(-x), -1], domain={x: (R(1, 10), R(9, 10))}))
_T(C, "sign-squared-away", lambda i: Claim(i, [sign(x - R(2, 7)) ** 2, 1], domain={x: (R(3, 10), 1)}))
_F(C, "ceil-minus-floor-long", lambda i: Claim(i, [ceiling(5 * x) - floor(5 * x), 1], domain={x: (R(1, 100), R(3, 10))}), "issue 10: fails at x = 1/5")
_F(C, "floor-3x-past-1/3", lambda i: Claim(i, [floor(3 * x), 0], domain={x: (0, R(1, 3) + _TEN**-9)}))
_F(C, "frac-past-1", lambda i: Claim(i, [frac(x), x], domain={x: (0, 1 + _TEN**-6)}))
_F(C, "sign-squared-at-2/7", lambda i: Claim(i, [sign(x - R(2, 7)) ** 2, 1], domain={x: (0, 1)}), "0 at x = 2/7")
_F(C, "heaviside-left-edge", lambda i: Claim(i, [Heaviside(x - R(1, 3)), 1], domain={x: (R(1, 3) - _TEN**-9, 1)}))
_F(C, "ceil-minus-floor-(0,5)", lambda i: Claim(i, [ceiling(x) - floor(x), 1], domain={x: (0, 5)}), "0 at integers")
_F(C, "floor-square-on-(0,2)", lambda i: Claim(i, [floor(x**2), floor(x) ** 2], domain={x: (0, 2)}))
_F(C, "abs-kink-inside", lambda i: Claim(i, [Abs(x - R(3, 7)), x - R(3, 7)], domain={x: (R(2, 5), 1)}))
_F(C, "piecewise-past-1/3", lambda i: Claim(i, [Piecewise((1, x < R(1, 3)), (2, True)), 1], domain={x: (0, 0.34)}))
_F(C, "floor-plus-floor-neg-(0,2)", lambda i: Claim(i, [floor(x) + floor(-x), -1], domain={x: (0, 2)}), "0 at x = 1")
_F(C, "ceil-10x-narrow", lambda i: Claim(i, [ceiling(10 * x), 1], domain={x: (0, R(1, 10) + _TEN**-12)}))

# =================================================================================================
# integer ranges (sizes, sums with a symbolic bound)
# =================================================================================================
C = "integer-range"
_T(C, "gauss-sum", lambda i: Claim(i, [Sum(k, (k, 1, n)), n * (n + 1) / 2], domain={n: (1, 100)}))
_T(C, "gauss-sum-unbounded", lambda i: Claim(i, [Sum(k, (k, 1, n)), n * (n + 1) / 2], domain={n: (1, oo)}))
_T(C, "sum-of-cubes", lambda i: Claim(i, [Sum(k**3, (k, 1, n)), (n * (n + 1) / 2) ** 2], domain={n: (1, 100)}))
_T(C, "sum-of-odds", lambda i: Claim(i, [Sum(2 * k - 1, (k, 1, n)), n**2], domain={n: (1, oo)}))
_T(C, "sum-of-squares", lambda i: Claim(i, [Sum(k**2, (k, 1, n)), n * (n + 1) * (2 * n + 1) / 6], domain={n: (1, oo)}))
_T(C, "geometric-finite", lambda i: Claim(i, [Sum(x**k, (k, 0, n)), (x ** (n + 1) - 1) / (x - 1)], domain={x: (2, 3), n: (0, 20)}))
_T(C, "product-is-factorial", lambda i: Claim(i, [Product(k, (k, 1, n)), factorial(n)], domain={n: (1, 30)}))
_T(C, "binomial-row", lambda i: Claim(i, [Sum(binomial(n, k), (k, 0, n)), 2**n], domain={n: (0, 40)}))
_T(C, "floor-k-over-7-short", lambda i: Claim(i, [Sum(floor(k / 7), (k, 1, n)), 0], domain={n: (1, 6)}))
_T(C, "telescoping", lambda i: Claim(i, [Sum(1 / (k * (k + 1)), (k, 1, n)), 1 - 1 / (n + 1)], domain={n: (1, oo)}))
_T(C, "spike-at-97-short", lambda i: Claim(i, [Sum(floor(k / 97) - floor(k / 98), (k, 1, n)), 0], domain={n: (1, 50)}))
_T(C, "floor-sum-closed-form", lambda i: Claim(i, [Sum(floor(k / 2), (k, 1, n)), floor(n**2 / 4)], domain={n: (1, 60)}))
_F(C, "floor-k-over-7", lambda i: Claim(i, [Sum(floor(k / 7), (k, 1, n)), 0], domain={n: (1, 100)}), "issue 10: fails from n = 7")
_F(C, "floor-k-over-7-unbounded", lambda i: Claim(i, [Sum(floor(k / 7), (k, 1, n)), 0], domain={n: (1, oo)}))
_F(C, "spike-at-97", lambda i: Claim(i, [Sum(floor(k / 97) - floor(k / 98), (k, 1, n)), 0], domain={n: (1, 97)}), "true for n ≤ 96, false at n = 97 only")
_F(C, "spike-at-97-to-100", lambda i: Claim(i, [Sum(floor(k / 97) - floor(k / 98), (k, 1, n)), 0], domain={n: range(1, 101)}))
_F(C, "sum-of-cubes-from-64", lambda i: Claim(i, [Sum(k**3, (k, 1, n)), (n * (n + 1) / 2) ** 2 + floor(n / 64)], domain={n: (1, 100)}))
_F(C, "sum-of-odds-vanishing-on-1..7", lambda i: Claim(i, [Sum(2 * k - 1, (k, 1, n)), n**2 + _prod(lambda v: n - v, range(1, 8))], domain={n: (1, 100)}), "agrees for n = 1…7 only")
_F(C, "product-factorial-from-25", lambda i: Claim(i, [Product(k, (k, 1, n)), factorial(n) + floor(n / 25)], domain={n: (1, 30)}))
_F(C, "telescoping-off-by-one", lambda i: Claim(i, [Sum(1 / (k * (k + 1)), (k, 1, n)), 1 - 1 / n], domain={n: (1, oo)}))
_F(C, "gauss-sum-off-at-50", lambda i: Claim(i, [Sum(k, (k, 1, n)), n * (n + 1) / 2 + floor(n / 50) - floor(n / 51)], domain={n: (1, 99)}), "fails at n = 50 only")
_F(C, "binomial-row-off", lambda i: Claim(i, [Sum(binomial(n, k), (k, 0, n)), 2**n + floor(n / 40)], domain={n: (0, 40)}), "fails at n = 40 only")
# exponential series (verifier.series: closed forms, not SymPy's summation)
_T(C, "poisson-series-second-moment", lambda i: Claim(i, [Sum(k**2 * lam**k * exp(-lam) / factorial(k), (k, 0, oo)), lam**2 + lam], domain={lam: (0, oo)}))
_T(C, "exp-series-tail", lambda i: Claim(i, [Sum(x**k / factorial(k), (k, 2, oo)), exp(x) - 1 - x], domain={x: RE}))
_T(C, "exp-series-shifted", lambda i: Claim(i, [Sum(x ** (k + 1) / factorial(k + 1), (k, 0, oo)), exp(x) - 1], domain={x: RE}))
_F(C, "poisson-series-as-square", lambda i: Claim(i, [Sum(k**2 * lam**k * exp(-lam) / factorial(k), (k, 0, oo)), lam**2], domain={lam: (0, oo)}))
_F(C, "exp-series-tail-off-by-one", lambda i: Claim(i, [Sum(x**k / factorial(k), (k, 1, oo)), exp(x)], domain={x: RE}), "the series from 1 lacks the 1")
_F(C, "exp-series-tiny", lambda i: Claim(i, [Sum(k * x**k / factorial(k), (k, 0, oo)), x * exp(x) + _TEN**-30], domain={x: RE}))
# moments as written-out integrals (verifier.integrals: closed forms, not SymPy's integration)
_gauss = lambda: exp(-((x - mu) ** 2) / (2 * s2)) / sqrt(2 * pi * s2)  # noqa: E731
_T("random", "gaussian-integral-fourth-moment", lambda i: Claim(i, [sp.Integral(x**4 * _gauss(), (x, -oo, oo)), mu**4 + 6 * mu**2 * s2 + 3 * s2**2], domain={mu: (-5, 5), s2: (0, 5)}))
_T("random", "exponential-integral-from-a", lambda i: Claim(i, [sp.Integral(lam * x * exp(-lam * (x - a)), (x, a, oo)), a + 1 / lam], domain={lam: (0, 5), a: (-5, 5)}))
_T("random", "uniform-integral-cube", lambda i: Claim(i, [sp.Integral(x**3 / (b - a), (x, a, b)), (a**3 + a**2 * b + a * b**2 + b**3) / 4], domain={a: (0, 1), b: (2, 3)}))
_F("random", "gaussian-integral-fourth-moment-no-cross-term", lambda i: Claim(i, [sp.Integral(x**4 * _gauss(), (x, -oo, oo)), mu**4 + 3 * s2**2], domain={mu: (-5, 5), s2: (0, 5)}), "true only at μ = 0")
_F("random", "exponential-integral-from-a-as-from-0", lambda i: Claim(i, [sp.Integral(lam * x * exp(-lam * (x - a)), (x, a, oo)), 1 / lam], domain={lam: (0, 5), a: (-5, 5)}), "true only at a = 0")
_F("random", "uniform-integral-cube-as-midpoint", lambda i: Claim(i, [sp.Integral(x**3 / (b - a), (x, a, b)), ((a + b) / 2) ** 3], domain={a: (0, 1), b: (2, 3)}))

# =================================================================================================
# crash candidates: well-formed claims that must end in a verdict
# =================================================================================================
C = "crash"
_F(C, "huge-power-of-2", lambda i: Claim(i, [2**n, 2**n + 1], domain={n: (20000, 30000)}), "issue 10: int → str limit")
_T(C, "bound-1e400-square", lambda i: Claim(i, [(x + 1) ** 2, x**2 + 2 * x + 1], domain={x: (-_TEN**400, _TEN**400)}))
_T(C, "bound-1e400-inequality", lambda i: Claim(i, [x + 1, _gt(x)], domain={x: (0, _TEN**400)}))
_F(C, "bound-1e400-below-1e399", lambda i: Claim(i, [x, _lt(_TEN**399)], domain={x: (0, _TEN**400)}))
_T(C, "huge-frequency-pythagoras", lambda i: Claim(i, [sin(_TEN**1000 * x) ** 2 + cos(_TEN**1000 * x) ** 2, 1], domain={x: RE}), "issue 10: inconclusive is acceptable")
_F(C, "huge-frequency-sine", lambda i: Claim(i, [sin(_TEN**1000 * x), 0], domain={x: (0, 1)}))
_T(C, "ten-power-beats-n10", lambda i: Claim(i, [10**n, _gt(n**10)], domain={n: (11, 10000)}))
_F(C, "factorial-vs-power", lambda i: Claim(i, [factorial(n), n**n], domain={n: (2000, 3000)}))
_F(C, "exp-overflow", lambda i: Claim(i, [exp(10**5 * x) + 1, exp(10**5 * x)], domain={x: (0, 1)}))
_T(C, "tiny-bound-positive-square", lambda i: Claim(i, [x**2, _gt(0)], domain={x: (_TEN**-400, 1)}))
_F(C, "tiny-bound-log", lambda i: Claim(i, [log(x), _gt(-900)], domain={x: (_TEN**-400, 1)}), "log(1e-400) ≈ -921")
_T(C, "tower-of-2", lambda i: Claim(i, [2 ** (2**n), 4 ** (2 ** (n - 1))], domain={n: (1, 16)}))
_T(C, "huge-integer-range", lambda i: Claim(i, [n**2, _ge(0)], domain={n: (-_TEN**400, _TEN**400)}))
_F(C, "huge-integer-range-cubic", lambda i: Claim(i, [n**3, _ge(0)], domain={n: (-_TEN**400, _TEN**400)}))
_T(C, "gauss-sum-1e12", lambda i: Claim(i, [Sum(k, (k, 1, n)), n * (n + 1) / 2], domain={n: (1, _TEN**12)}))
_F(C, "huge-power-of-2-shifted", lambda i: Claim(i, [2 ** (n + 1), 2**n + 2 ** (n - 1) * 2 + 1], domain={n: (50000, 60000)}))

# =================================================================================================
# matrices
# =================================================================================================
C = "matrix"
_T(C, "transpose-of-product", lambda i: Claim(i, [(_A * _B).T, _B.T * _A.T], domain=_AB))
_T(C, "adjugate", lambda i: Claim(i, [_A * _A.adjugate(), (a * d - b * c) * eye(2)], domain=_AB))
_T(C, "rotation-composition", lambda i: Claim(i, [_rot(th) * _rot(ph), _rot(th + ph)], domain={th: (-4, 4), ph: (-4, 4)}))
_T(C, "rotation-orthogonal", lambda i: Claim(i, [_rot(th).T * _rot(th), eye(2)], domain={th: (-4, 4)}))
_T(C, "square-of-sum", lambda i: Claim(i, [(_A + _B) ** 2, _A**2 + _A * _B + _B * _A + _B**2], domain=_AB))
_T(C, "numeric-square", lambda i: Claim(i, [Matrix([[1, 2], [3, 4]]) ** 2, Matrix([[7, 10], [15, 22]])]))
_T(C, "jordan-cube", lambda i: Claim(i, [Matrix([[x, 1], [0, x]]) ** 3, Matrix([[x**3, 3 * x**2], [0, x**3]])], domain={x: RE}))
_T(C, "inverse-2x2", lambda i: Claim(i, [_A.inv(), Matrix([[d, -b], [-c, a]]) / (a * d - b * c)], domain={a: (2, 3), d: (2, 3), b: (0, 1), c: (0, 1)}))
_T(C, "abs-entries-positive", lambda i: Claim(i, [Matrix([[sqrt(x**2), 0], [0, 1]]), Matrix([[x, 0], [0, 1]])], domain={x: (0, 1)}))
_T(C, "float-entries", lambda i: Claim(i, [Matrix([[0.1 * x + 0.2 * x, 0]]), Matrix([[0.3 * x, 0]])], domain={x: RE}))
_F(C, "transpose-wrong-order", lambda i: Claim(i, [(_A * _B).T, _A.T * _B.T], domain=_AB))
_F(C, "square-of-sum-commuting", lambda i: Claim(i, [(_A + _B) ** 2, _A**2 + 2 * _A * _B + _B**2], domain=_AB))
_F(C, "rotation-difference", lambda i: Claim(i, [_rot(th) * _rot(ph), _rot(th - ph)], domain={th: (-4, 4), ph: (-4, 4)}))
_F(C, "numeric-square-typo", lambda i: Claim(i, [Matrix([[1, 2], [3, 4]]) ** 2, Matrix([[7, 10], [15, 23]])]))
_F(C, "jordan-cube-1e-20", lambda i: Claim(i, [Matrix([[x, 1], [0, x]]) ** 3, Matrix([[x**3, 3 * x**2], [0, x**3 + _TEN**-20]])], domain={x: RE}))
_F(C, "inverse-2x2-sign", lambda i: Claim(i, [_A.inv(), Matrix([[d, b], [c, a]]) / (a * d - b * c)], domain={a: (2, 3), d: (2, 3), b: (0, 1), c: (0, 1)}))
_F(C, "abs-entries-any-sign", lambda i: Claim(i, [Matrix([[sqrt(x**2), 0], [0, 1]]), Matrix([[x, 0], [0, 1]])], domain={x: (-1, 1)}))
_F(C, "rotation-orthogonal-no-transpose", lambda i: Claim(i, [_rot(th) * _rot(th), eye(2)], domain={th: (-4, 4)}))

# =================================================================================================
# multi-line chains
# =================================================================================================
C = "chain"
_T(C, "square-expansion", lambda i: Claim(i, [(x + 1) ** 2, (x + 1) * (x + 1), x**2 + x + x + 1, x**2 + 2 * x + 1], domain={x: RE}))
_T(C, "variance-expansion", lambda i: Claim(i, [Var(X), E((X - E(X)) ** 2), E(X**2 - 2 * X * E(X) + E(X) ** 2), E(X**2) - 2 * E(X) ** 2 + E(X) ** 2, E(X**2) - E(X) ** 2], random=_gx()))
_T(C, "double-angle", lambda i: Claim(i, [sin(2 * x), sin(x + x), sin(x) * cos(x) + cos(x) * sin(x), 2 * sin(x) * cos(x)], domain={x: RE}))
_T(C, "odd-sum", lambda i: Claim(i, [Sum(2 * k - 1, (k, 1, n)), 2 * Sum(k, (k, 1, n)) - n, n * (n + 1) - n, n**2], domain={n: (1, 50)}))
_T(C, "log-rules", lambda i: Claim(i, [log(a**2 * b), log(a**2) + log(b), 2 * log(a) + log(b)], domain={a: (0, 10), b: (0, 10)}))
_T(C, "bounds-then-equality", lambda i: Claim(i, [x**2, _le(x**2 + 1), (x + I) * (x - I), _lt(x**2 + 2)], domain={x: RE}))
_T(C, "bernoulli-variance", lambda i: Claim(i, [Var(X), E(X**2) - E(X) ** 2, p - p**2, p * (1 - p)], domain={p: (0, 1)}, random={X: Bernoulli(p)}))
_T(C, "abs-through-sqrt", lambda i: Claim(i, [sqrt(x**2), Abs(x), Max(x, -x)], domain={x: (-1, 1)}))
_F(C, "square-middle-typo", lambda i: Claim(i, [(x + 1) ** 2, (x + 1) * (x + 1), x**2 + x + 1, x**2 + 2 * x + 1], domain={x: RE}), "line 2 wrong, chain recovers")
_F(C, "square-last-wrong", lambda i: Claim(i, [(x + 1) ** 2, (x + 1) * (x + 1), x**2 + x + x + 1, x**2 + 2 * x], domain={x: RE}))
_F(C, "variance-middle-sign", lambda i: Claim(i, [Var(X), E((X - E(X)) ** 2), E(X**2 + 2 * X * E(X) + E(X) ** 2), E(X**2) - E(X) ** 2], random=_gx()))
_F(C, "double-angle-middle-cos2", lambda i: Claim(i, [sin(2 * x), sin(x + x), sin(x) * cos(x) ** 2 + cos(x) * sin(x), 2 * sin(x) * cos(x)], domain={x: RE}))
_F(C, "odd-sum-propagates", lambda i: Claim(i, [Sum(2 * k - 1, (k, 1, n)), 2 * Sum(k, (k, 1, n)), n * (n + 1), n**2 + n], domain={n: (1, 50)}))
_F(C, "near-miss-in-the-middle", lambda i: Claim(i, [sin(x), sin(x) + _TEN**-20, sin(x)], domain={x: RE}))
_F(C, "branch-in-the-middle", lambda i: Claim(i, [sqrt(x**2), x, Abs(x)], domain={x: (-1, 1)}))
_F(C, "bounds-then-wrong-strict", lambda i: Claim(i, [x**2, _le(x**2 + 1), (x + I) * (x - I), _lt(x**2 + 1)], domain={x: RE}))
_F(C, "bernoulli-variance-middle", lambda i: Claim(i, [Var(X), E(X**2) - E(X) ** 2, p - p**3, p * (1 - p)], domain={p: (0, 1)}, random={X: Bernoulli(p)}))
_F(C, "undefined-in-the-middle", lambda i: Claim(i, [x + 1, sp.Mul(_over_self(x), x + 1, evaluate=False), x + 1], domain={x: (-1, 1)}), "x/x undefined at 0")


# =================================================================================================
# second round: critical points that are not "nice" (irrational, or rationals with big denominators)
# =================================================================================================
C = "inequality"
_F(C, "square-positive-at-3.14159", lambda i: Claim(i, [(x - R(314159, 100000)) ** 2, _gt(0)], domain={x: (0, 10)}), "0 at x = 3.14159")
_F(C, "exp-tangent-strict-at-7/3", lambda i: Claim(i, [exp(x - R(7, 3)), _gt(x - R(7, 3) + 1)], domain={x: (0, 5)}), "equality at x = 7/3")
_F(C, "square-positive-at-sqrt2", lambda i: Claim(i, [(x**2 - 2) ** 2, _gt(0)], domain={x: (0, 2)}), "0 at x = sqrt(2), an irrational point")
_T(C, "square-positive-below-sqrt2", lambda i: Claim(i, [(x**2 - 2) ** 2, _gt(0)], domain={x: (0, R(7, 5))}))
_F(C, "sin-below-1-past-pi/2", lambda i: Claim(i, [sin(x), _lt(1)], domain={x: (0, 2)}), "equality at pi/2")
_T(C, "sin-below-1-before-pi/2", lambda i: Claim(i, [sin(x), _lt(1)], domain={x: (0, R(157, 100))}))
_F(C, "cos-above-minus-1-past-pi", lambda i: Claim(i, [cos(x), _gt(-1)], domain={x: (0, 4)}), "equality at pi")
_T(C, "cos-above-minus-1-before-pi", lambda i: Claim(i, [cos(x), _gt(-1)], domain={x: (0, R(314, 100))}))
_F(C, "abs-positive-at-sqrt2", lambda i: Claim(i, [Abs(x - sqrt(2)), _gt(0)], domain={x: (0, 2)}))
_T(C, "abs-positive-away-from-sqrt2", lambda i: Claim(i, [Abs(x - sqrt(2)), _gt(0)], domain={x: (R(3, 2), 2)}))

C = "finite-domain"
_T(C, "squares-mod-4", lambda i: Claim(i, [Mod(n**2, 4), _le(1)], domain={n: (-1000, 1000)}))
_F(C, "squares-mod-8-at-most-1", lambda i: Claim(i, [Mod(n**2, 8), _le(1)], domain={n: (-1000, 1000)}), "n = 2 gives 4")
_T(C, "squares-mod-8-at-most-4", lambda i: Claim(i, [Mod(n**2, 8), _le(4)], domain={n: (-1000, 1000)}))
_T(C, "n3-minus-n-mod-6", lambda i: Claim(i, [Mod(n**3 - n, 6), 0], domain={n: (-500, 500)}))
_T(C, "n5-minus-n-mod-30", lambda i: Claim(i, [Mod(n**5 - n, 30), 0], domain={n: (-500, 500)}))
_F(C, "n4-minus-n-mod-12", lambda i: Claim(i, [Mod(n**4 - n, 12), 0], domain={n: (-500, 500)}), "n = 2 gives 2")

C = "jump"
_F(C, "floor-x2-past-sqrt2", lambda i: Claim(i, [floor(x**2), 1], domain={x: (1, R(3, 2))}), "jumps at sqrt(2)")
_T(C, "floor-x2-before-sqrt2", lambda i: Claim(i, [floor(x**2), 1], domain={x: (1, R(1414, 1000))}))
_F(C, "floor-pi-x-past-1/pi", lambda i: Claim(i, [floor(pi * x), 0], domain={x: (0, R(32, 100))}), "jumps at 1/pi")
_T(C, "floor-pi-x-before-1/pi", lambda i: Claim(i, [floor(pi * x), 0], domain={x: (0, R(318, 1000))}))
_F(C, "sign-sin-past-pi", lambda i: Claim(i, [sign(sin(x)), 1], domain={x: (0, R(16, 5))}))
_T(C, "sign-sin-before-pi", lambda i: Claim(i, [sign(sin(x)), 1], domain={x: (0, R(314, 100))}))

C = "integer-range"
_F(C, "delta-at-613", lambda i: Claim(i, [Sum(sp.KroneckerDelta(k, 613), (k, 1, n)), 0], domain={n: (1, 1000)}), "fails from n = 613")
_T(C, "delta-at-613-short", lambda i: Claim(i, [Sum(sp.KroneckerDelta(k, 613), (k, 1, n)), 0], domain={n: (1, 612)}))
_T(C, "sum-of-pronic", lambda i: Claim(i, [Sum(k * (k + 1), (k, 1, n)), n * (n + 1) * (n + 2) / 3], domain={n: (1, oo)}))
_F(C, "sum-of-pronic-from-777", lambda i: Claim(i, [Sum(k * (k + 1), (k, 1, n)), n * (n + 1) * (n + 2) / 3 + floor(n / 777)], domain={n: (1, 1000)}))

C = "random"
_T(C, "sum-times-own-term", lambda i: Claim(i, [E(_S(1, n) * Xs[1]), E(Xs[1] ** 2) + (n - 1) * E(Xs[1]) ** 2], domain=_n1, random={Xs: Generic("X")}))
_F(C, "sum-times-own-term-independent", lambda i: Claim(i, [E(_S(1, n) * Xs[1]), n * E(Xs[1]) ** 2], domain=_n1, random={Xs: Generic("X")}))
_T(C, "overlap-difference-variance", lambda i: Claim(i, [Var(_S(1, n) - _S(1, 2 * n)), n * Var(Xs[1])], domain=_n1, random={Xs: Generic("X")}))
_F(C, "overlap-difference-variance-3n", lambda i: Claim(i, [Var(_S(1, n) - _S(1, 2 * n)), 3 * n * Var(Xs[1])], domain=_n1, random={Xs: Generic("X")}))
_T(C, "overlap-one-index", lambda i: Claim(i, [E(_S(1, n) * _S(n, 2 * n)), E(Xs[1] ** 2) + (n**2 + n - 1) * E(Xs[1]) ** 2], domain=_n1, random={Xs: Generic("X")}), "the ranges share i = n only")
_F(C, "overlap-one-index-independent", lambda i: Claim(i, [E(_S(1, n) * _S(n, 2 * n)), n * (n + 1) * E(Xs[1]) ** 2], domain=_n1, random={Xs: Generic("X")}))
_T(C, "iid-difference-square", lambda i: Claim(i, [E((Xs[1] - Xs[2]) ** 2), 2 * Var(Xs[1])], random={Xs: Generic("X")}))
_F(C, "iid-difference-square-half", lambda i: Claim(i, [E((Xs[1] - Xs[2]) ** 2), Var(Xs[1])], random={Xs: Generic("X")}))

C = "undefined"
_F(C, "acos-asin-outside-[-1,1]", lambda i: Claim(i, [acos(x) + asin(x), pi / 2], domain={x: (-2, 2)}), "not real for |x| > 1")
_F(C, "log-over-log-at-1", lambda i: Claim(i, [_over_self(log(x)), 1], domain={x: (R(1, 2), 2)}), "0/0 at x = 1")
_F(C, "over-self-at-sqrt2", lambda i: Claim(i, [_over_self(x - sqrt(2)), 1], domain={x: (0, 2)}), "0/0 at x = sqrt(2)")
_T(C, "over-self-below-sqrt2", lambda i: Claim(i, [_over_self(x - sqrt(2)), 1], domain={x: (0, 1)}))
_F(C, "gamma-recurrence-through-poles", lambda i: Claim(i, [sp.gamma(x + 1), x * sp.gamma(x)], domain={x: (-R(3, 2), 3)}), "poles at 0 and -1")
_T(C, "gamma-recurrence-positive", lambda i: Claim(i, [sp.gamma(x + 1), x * sp.gamma(x)], domain={x: (0, 3)}))

C = "limit"
_T(C, "removable-at-1", lambda i: Claim(i, [(x**2 - 1) / (x - 1), _lim(2, x, 1)], domain={x: (0, 3)}))
_F(C, "gaussian-at-sqrt2", lambda i: Claim(i, [exp(-(t**2) * (x - sqrt(2)) ** 2), _lim(0, t, oo)], domain={x: (0, 2), t: (1, oo)}), "the limit is 1 at x = sqrt(2)")
_T(C, "atan-to-signed-pi/2", lambda i: Claim(i, [atan(t * x), _lim(pi / 2 * sign(x), t, oo)], domain={x: (-1, 1), t: (1, oo)}), "holds at x = 0 too")
_T(C, "tanh-positive-x", lambda i: Claim(i, [tanh(t * x), _lim(1, t, oo)], domain={x: (0, 1), t: (1, oo)}))
_F(C, "tanh-any-sign", lambda i: Claim(i, [tanh(t * x), _lim(1, t, oo)], domain={x: (-1, 1), t: (1, oo)}))

C = "near-miss"
_F(C, "offset-1e-200", lambda i: Claim(i, [x + _TEN**-200, x], domain={x: RE}))
_F(C, "sin-shift-1e-60", lambda i: Claim(i, [sin(x + _TEN**-60), sin(x)], domain={x: (0, 1)}), "differs by ~1e-60: needs more than 50 digits")
_F(C, "taylor-exp-30", lambda i: Claim(i, [exp(x), sp.Add(*[x**kk / sp.factorial(kk) for kk in range(31)])], domain={x: (-R(1, 10), R(1, 10))}), "differs by ~1e-65")
_T(C, "cos-double-angle-difference", lambda i: Claim(i, [cos(x) ** 2 - sin(x) ** 2, cos(2 * x)], domain={x: RE}))

C = "crash"
_T(C, "gauss-sum-1e400", lambda i: Claim(i, [Sum(k, (k, 1, n)), n * (n + 1) / 2], domain={n: (1, _TEN**400)}))
_T(C, "two-power-beats-n-1e400", lambda i: Claim(i, [2**n, _gt(n)], domain={n: (1, _TEN**400)}))
_F(C, "huge-power-of-2-1e6", lambda i: Claim(i, [2**n, 2**n + 1], domain={n: (10**5, 10**6)}))

C = "matrix"
_T(C, "floor-entries-on-(0,1)", lambda i: Claim(i, [Matrix([[floor(x), 0]]), sp.zeros(1, 2)], domain={x: (0, 1)}))
_F(C, "floor-entries-past-1", lambda i: Claim(i, [Matrix([[floor(x), 0]]), sp.zeros(1, 2)], domain={x: (0, R(101, 100))}))
_T(C, "inverse-times-matrix", lambda i: Claim(i, [_A * _A.inv(), eye(2)], domain={a: (2, 3), d: (2, 3), b: (0, 1), c: (0, 1)}))
_F(C, "inverse-times-matrix-singular", lambda i: Claim(i, [_A * _A.inv(), eye(2)], domain=_AB), "A.inv() undefined where ad = bc")

C = "chain"
_F(C, "bounds-middle-wrong", lambda i: Claim(i, [x**2, _le(x**2 + 1), _le(x**2 - 1), _le(x**2 + 5)], domain={x: RE}))
_T(C, "fourth-power", lambda i: Claim(i, [(x + 1) ** 4, ((x + 1) ** 2) ** 2, (x**2 + 2 * x + 1) ** 2, x**4 + 4 * x**3 + 6 * x**2 + 4 * x + 1], domain={x: RE}))
_T(C, "rewrite-then-limit", lambda i: Claim(i, [(1 + 1 / t) ** t, exp(t * log(1 + 1 / t)), _lim(e_, t, oo)], domain={t: (1, oo)}))
_F(C, "rewrite-then-wrong-limit", lambda i: Claim(i, [(1 + 1 / t) ** t, exp(t * log(1 + 1 / t)), _lim(1, t, oo)], domain={t: (1, oo)}))


# =================================================================================================
# malformed claims: building them must raise ClaimError
# =================================================================================================
def _cyclic(cid: str) -> Claim:
    u, v = sp.symbols("u v")
    return Claim(cid, [u, v + 1], domain={}, where={u: v + 1, v: u - 1})


def _self_reference(cid: str) -> Claim:
    u = sp.Symbol("u")
    return Claim(cid, [u, x], domain={x: RE}, where={u: u + 1})


_refuse("domain", "positive-symbol-on-(-5,5)", lambda i: Claim(i, [sp.Symbol("w", positive=True) ** 2, _ge(0)], domain={sp.Symbol("w", positive=True): (-5, 5)}), "positive=True contradicts the domain (-5, 5)")
_refuse("domain", "negative-symbol-on-(0,1)", lambda i: Claim(i, [sp.Symbol("w", negative=True), _lt(0)], domain={sp.Symbol("w", negative=True): (0, 1)}), "negative=True contradicts (0, 1)")
_refuse("domain", "nonnegative-symbol-on-(-1,1)", lambda i: Claim(i, [sp.Symbol("w", nonnegative=True), sp.Symbol("w", nonnegative=True)], domain={sp.Symbol("w", nonnegative=True): (-1, 1)}), "nonnegative=True contradicts (-1, 1)")
_refuse("domain", "empty-interval", lambda i: Claim(i, [x, x], domain={x: (3, 1)}), "lower bound above the upper")
_refuse("domain", "missing-domain", lambda i: Claim(i, [x + y, y + x], domain={x: RE}), "y has no domain")
_refuse("distribution", "bernoulli-2", lambda i: Claim(i, [E(X), 2], random={X: Bernoulli(2)}), "issue 10: p = 2 is not a probability")
_refuse("distribution", "bernoulli-negative", lambda i: Claim(i, [E(X), -R(1, 2)], random={X: Bernoulli(-R(1, 2))}), "p = -1/2 is not a probability")
_refuse("distribution", "finite-negative-probability", lambda i: Claim(i, [E(X), -1], random={X: Finite({0: 2, 1: -1})}), "issue 10: probabilities 2 and -1")
_refuse("distribution", "finite-not-summing-to-1", lambda i: Claim(i, [E(X), R(1, 3)], random={X: Finite({0: R(1, 2), 1: R(1, 3)})}), "probabilities sum to 5/6")
_refuse("distribution", "binomial-p-above-1", lambda i: Claim(i, [E(X), 6], random={X: Binomial(3, 2)}), "p = 2 is not a probability")
_refuse("where", "cyclic", _cyclic, "issue 10: u and v defined by each other")
_refuse("where", "self-reference", _self_reference, "u defined by itself")
_refuse("step", "unknown-relation", lambda i: Claim(i, [x, Step(x, rel="==")], domain={x: RE}), "== is not a relation")
_refuse("step", "string-line", lambda i: Claim(i, ["x + 1", x + 1], domain={x: RE}), "a string is not a SymPy line")
_refuse("claim", "id-with-space", lambda i: Claim("bad id", [x, x], domain={x: RE}), "ids have no spaces")


def by_id(case_id: str) -> Case:
    """The case with this id (KeyError when there is none)."""
    for case in CASES:
        if case.id == case_id:
            return case
    raise KeyError(case_id)


def counts() -> dict[str, tuple[int, int]]:
    """Per class: (number of true cases, number of false cases)."""
    out = {cls: [0, 0] for cls in CLASSES}
    for case in CASES:
        out[case.cls][0 if case.truth else 1] += 1
    return {cls: (tr, fa) for cls, (tr, fa) in out.items()}

# Sums to a symbolic size with indexed terms (issue 14): proved for every size by the indexed-sum
# strategy, or refuted at a small size; a side condition that holds for some sizes only is no proof.
C = "integer-range"
_xs, _ys, _ws = sp.IndexedBase("x"), sp.IndexedBase("y"), sp.IndexedBase("w")
_mu_x = Sum(_xs[j], (j, 1, m)) / m
_var_x = Sum((_xs[j] - _mu_x) ** 2, (j, 1, m)) / m
_m2 = {m: (2, oo), i: (1, oo)}


def _batch(cid: str, lines: list, domain: dict | None = None) -> Claim:
    return Claim(cid, lines, domain={**_m2, **(domain or {})}, random={_xs: Generic("x"), _ys: Generic("y"), _ws: Generic("w")})


_pmf_n = binomial(n, k) * p**k * (1 - p) ** (n - k)
_T(C, "indexed-centred-sum", lambda i_: _batch(i_, [Sum(_xs[i] - _mu_x, (i, 1, m)), 0]))
_T(C, "indexed-variance-shortcut", lambda i_: _batch(i_, [_var_x, Sum(_xs[i] ** 2, (i, 1, m)) / m - _mu_x**2]))
_T(C, "indexed-gradient-of-variance", lambda i_: _batch(i_, [sp.Derivative(_var_x, _xs[1]), 2 * (_xs[1] - _mu_x) / m]))
_T(C, "indexed-shifted-range", lambda i_: _batch(i_, [Sum(_xs[i], (i, 0, m - 1)), Sum(_xs[i], (i, 1, m)) - _xs[m] + _xs[0]]))
_T(C, "indexed-delta-last", lambda i_: _batch(i_, [Sum(sp.KroneckerDelta(i, m) * _xs[i] * _ys[i], (i, 1, m)), _xs[m] * _ys[m]]))
_T(C, "indexed-double-sum-separable", lambda i_: _batch(i_, [Sum(Sum(_xs[i] * _ys[j], (i, 1, m)), (j, 1, m)), Sum(_xs[i], (i, 1, m)) * Sum(_ys[i], (i, 1, m))]))
_T(C, "binomial-variance-from-pmf", lambda i_: Claim(i_, [Sum(k**2 * _pmf_n, (k, 0, n)) - (n * p) ** 2, n * p * (1 - p)], domain={n: (1, oo), p: (0, 1)}))
_T(C, "binomial-third-falling-moment", lambda i_: Claim(i_, [Sum(k * (k - 1) * (k - 2) * _pmf_n, (k, 0, n)), n * (n - 1) * (n - 2) * p**3], domain={n: (0, oo), p: (0, 1)}))
_F(C, "indexed-centred-sum-off", lambda i_: _batch(i_, [Sum(_xs[i] - _mu_x, (i, 1, m)), _xs[1] - _mu_x]))
_F(C, "indexed-variance-unbiased-factor", lambda i_: _batch(i_, [_var_x, Sum(_xs[i] ** 2, (i, 1, m)) / (m - 1) - _mu_x**2]), "m − 1 for m")
_F(C, "indexed-gradient-of-variance-halved", lambda i_: _batch(i_, [sp.Derivative(_var_x, _xs[1]), (_xs[1] - _mu_x) / m]))
_F(C, "indexed-shifted-range-no-boundary", lambda i_: _batch(i_, [Sum(_xs[i], (i, 0, m - 1)), Sum(_xs[i], (i, 1, m))]))
_F(C, "indexed-delta-at-3-from-m-2", lambda i_: _batch(i_, [Sum(sp.KroneckerDelta(3, i) * _xs[i], (i, 1, m)), _xs[3]]), "holds for m ≥ 3 only: 0 ≠ x_3 at m = 2")
_F(C, "indexed-double-sum-diagonal", lambda i_: _batch(i_, [Sum(Sum(_xs[i] * _ys[j], (i, 1, m)), (j, 1, m)), Sum(_xs[i] * _ys[i], (i, 1, m))]))
_F(C, "binomial-variance-from-pmf-squared", lambda i_: Claim(i_, [Sum(k**2 * _pmf_n, (k, 0, n)) - (n * p) ** 2, n * p * (1 - p) ** 2], domain={n: (1, oo), p: (0, 1)}))
_F(C, "binomial-mean-from-pmf-n-minus-1", lambda i_: Claim(i_, [Sum(k * _pmf_n, (k, 0, n)), (n - 1) * p], domain={n: (1, oo), p: (0, 1)}))
_r = sp.Symbol("r", integer=True)
_wide = {j: (1, oo), _r: (0, oo), i: (1, oo), k: (1, oo)}  # a width j + r that holds the free index j


def _widths(cid: str, lines: list, domain: dict | None = None) -> Claim:
    return Claim(cid, lines, domain={**_wide, **(domain or {})}, random={_xs: Generic("x"), _ys: Generic("y"), _ws: Generic("w")})


_T(C, "indexed-exchange-of-sums", lambda i_: _batch(i_, [Sum(_ys[k] * Sum(_ws[i, k] * _xs[i], (i, 1, m)), (k, 1, n)), Sum(_xs[i] * Sum(_ws[i, k] * _ys[k], (k, 1, n)), (i, 1, m))], {n: (1, oo), k: (1, oo)}))
_F(C, "indexed-exchange-with-ranges-swapped", lambda i_: _batch(i_, [Sum(_ys[k] * Sum(_ws[i, k] * _xs[i], (i, 1, m)), (k, 1, n)), Sum(_xs[i] * Sum(_ws[i, k] * _ys[k], (k, 1, m)), (i, 1, n))], {n: (1, oo), k: (1, oo)}), "equal only when m = n")
_T(C, "indexed-gradient-at-free-unit", lambda i_: _widths(i_, [sp.Derivative(Sum(_ys[k] * Sum(_ws[k, i] * _xs[i], (i, 1, j + _r)), (k, 1, n)), _xs[j]), Sum(_ys[k] * _ws[k, j], (k, 1, n))], {n: (1, oo)}))
_F(C, "indexed-gradient-at-free-unit-transposed", lambda i_: _widths(i_, [sp.Derivative(Sum(_ys[k] * Sum(_ws[k, i] * _xs[i], (i, 1, j + _r)), (k, 1, n)), _xs[j]), Sum(_ys[k] * _ws[j, k], (k, 1, n))], {n: (1, oo)}), "w_jk for w_kj")
_F(C, "indexed-delta-free-unit-may-exceed-width", lambda i_: Claim(i_, [Sum(sp.KroneckerDelta(i, j) * _xs[i], (i, 1, m)), _xs[j]], domain={j: (1, oo), m: (1, oo), i: (1, oo)}, random={_xs: Generic("x")}), "j > m gives 0")
