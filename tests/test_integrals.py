"""verifier.integrals: closed forms of polynomial, exponential and Gaussian integrals, equal to
SymPy's integrals and to quadrature, and no answer for any other integral."""
from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from verifier import dag
from verifier.integrals import closed_integral

x = sp.Symbol("x", real=True)
y = sp.Symbol("y")  # no assumptions: the integration variable's own do not matter
mu, c, a, b = sp.symbols("mu c a b", real=True)
s2, lam = sp.symbols("sigma2 lambda", positive=True)
z = sp.Symbol("z", complex=True)  # finite, possibly not real
oo, pi = sp.oo, sp.pi
normal = sp.sqrt(2) * sp.exp(-((x - mu) ** 2) / (2 * s2)) / (2 * sp.sqrt(pi) * sp.sqrt(s2))  # as 1.12 writes it

INTEGRALS = [
    sp.Integral(normal, (x, -oo, oo)),  # the normal density integrates to 1
    sp.Integral(x * normal, (x, -oo, oo)),
    sp.Integral((x - mu) ** 2 * normal, (x, -oo, oo)),
    sp.Integral(x**4 * normal, (x, -oo, oo)),
    sp.Integral(x**3 * sp.exp(-(y**2) + 3 * y * mu + 1).xreplace({y: x}), (x, -oo, oo)),  # a linear term
    sp.Integral((x**2 + c) * sp.exp(-lam * x**2) * sp.exp(z * x), (x, -oo, oo)),  # two exp factors, a complex B
    sp.Integral(x / (b - a), (x, a, b)),  # the uniform law's moments, as 1.11 writes them
    sp.Integral(x**2 / (b - a), (x, a, b)),
    sp.Integral(3 * y**5 - c * y + 2, (y, -1, z)),  # a complex bound: still path-independent
    sp.Integral(lam * x * sp.exp(-lam * x), (x, 0, oo)),  # the exponential law's
    sp.Integral(lam * x**2 * sp.exp(-lam * x), (x, 0, oo)),
    sp.Integral((x**3 + mu) * sp.exp(-lam * x + mu), (x, a, oo)),  # a start other than 0
    sp.Integral(sp.exp(-2 * x), (x, -3, oo)),
]


@pytest.mark.parametrize("integral", INTEGRALS, ids=[str(i) for i in INTEGRALS])
def test_closed_form_is_sympys_integral(integral):
    closed = closed_integral(integral)
    assert closed is not None and not closed.has(sp.Integral)
    assert sp.simplify(closed - integral.doit()) == 0


def test_closed_form_against_quadrature():
    # independently of SymPy's integration: mpmath's quadrature at real points, 30 digits
    point = {mu: sp.Rational(-2, 3), c: sp.Rational(5, 2), a: sp.Rational(-1, 2), b: sp.Rational(7, 4), s2: sp.Rational(9, 5),
             lam: sp.Rational(3, 2), z: sp.Rational(1, 3)}
    mpmath.mp.dps = 30
    try:
        for integral in INTEGRALS:
            (v, lo, hi), = integral.limits
            f = sp.lambdify(v, integral.function.xreplace(point), "mpmath")
            lo, hi = (mpmath.mpf(sp.N(e.xreplace(point), 40)) if e.is_finite else (mpmath.inf if e is oo else -mpmath.inf)
                      for e in (lo, hi))
            value = mpmath.quad(f, [lo, hi])
            assert abs(value - mpmath.mpf(sp.N(closed_integral(integral).xreplace(point), 40))) < mpmath.mpf(10) ** -20, integral
    finally:
        mpmath.mp.dps = 15


DECLINES = [
    sp.Integral(sp.exp(-(x**2)) * x, (x, 0, oo)),  # a Gaussian on a half line
    sp.Integral(sp.exp(-mu * x**2), (x, -oo, oo)),  # A = μ of unknown sign: it may diverge
    sp.Integral(sp.exp(mu * x), (x, 0, oo)),  # λ = −μ of unknown sign
    sp.Integral(sp.exp(lam * x), (x, 0, oo)),  # divergent
    sp.Integral(x, (x, 0, oo)),  # divergent
    sp.Integral(x, (x, a, mu * oo)),  # a bound that is not finite
    sp.Integral(x, (x, 0, sp.Symbol("u"))),  # a bound that may be infinite
    sp.Integral(sp.exp(-(x**4)), (x, -oo, oo)),  # degree 4 in the exponent
    sp.Integral(sp.sin(x) * sp.exp(-(x**2)), (x, -oo, oo)),  # not a polynomial factor
    sp.Integral(1 / x, (x, 1, 2)),
    sp.Integral(x**9, (x, 0, 1)),  # beyond MAX_DEGREE
    sp.Integral(x * c, (x, 0, c * x)),  # a bound with the variable in it
    sp.Integral(x * y, (x, 0, 1), (y, 0, 1)),  # two variables
    sp.Integral(x**2, x),  # indefinite
]


@pytest.mark.parametrize("integral", DECLINES, ids=[str(i) for i in DECLINES])
def test_any_other_integral_is_left_to_sympy(integral):
    assert closed_integral(integral) is None


def test_dag_doit_uses_the_closed_form(monkeypatch):
    from sympy.integrals import integrals

    def refuse(*args, **kwargs):
        raise AssertionError("SymPy's integration was called")

    monkeypatch.setattr(integrals.Integral, "doit", refuse)
    moment = sp.Integral((x - mu) ** 2 * normal, (x, -oo, oo))
    done = dag.doit(moment + sp.Integral(x / (b - a), (x, a, b)))
    assert not done.has(sp.Integral) and sp.cancel(done - s2 - (a + b) / 2) == 0
