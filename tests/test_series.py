"""verifier.series: closed forms of exponential series, equal to SymPy's sums, and no answer for any other series."""
from __future__ import annotations

import pytest
import sympy as sp

from verifier import dag
from verifier.series import exp_series

lam = sp.Symbol("lambda", positive=True)
x, c = sp.symbols("x c", real=True)
i = sp.Symbol("i", integer=True, nonnegative=True)
k = sp.Symbol("k", integer=True)
oo, fac = sp.oo, sp.factorial

SUMS = [
    sp.Sum(i * lam**i * sp.exp(-lam) / fac(i), (i, 0, oo)),  # the Poisson mean, as 1.9 writes it
    sp.Sum(i * lam**i * sp.exp(-lam) / fac(i), (i, 1, oo)),
    sp.Sum(lam ** (i - 1) / fac(i - 1), (i, 1, oo)),
    sp.Sum(x**i / fac(i), (i, 0, oo)),  # x of either sign, 0 included
    sp.Sum(i**2 * lam**i / fac(i), (i, 0, oo)),
    sp.Sum(x**i / fac(i), (i, 3, oo)),  # a tail: e^x less its first three terms
    sp.Sum((-1) ** i / fac(i), (i, 0, oo)),
    sp.Sum(1 / fac(i + 2), (i, 0, oo)),  # no power at all: x = 1
    sp.Sum(c * i**3 * x ** (i + 3) / fac(i + 1), (i, 2, oo)),
    sp.Sum(lam ** (i - 2) / fac(i), (i, 0, oo)),  # x^(j−2): λ is positive, so it is taken out
    sp.Sum(lam ** (i - 2) / fac(i), (i, 2, oo)),
    sp.Sum((k**2 - 3 * k + 5) * 2**k / fac(k + 1), (k, 4, oo)),
    sp.Sum(x ** (k + 2) / fac(k + 2), (k, -2, oo)),  # starts at j = 0
]


@pytest.mark.parametrize("s", SUMS, ids=[str(s) for s in SUMS])
def test_closed_form_is_sympys_sum(s):
    closed = exp_series(s)
    assert closed is not None
    assert not closed.has(sp.Sum)
    assert sp.simplify(closed - s.doit()) == 0


def test_a_sum_sympy_takes_seconds_over():
    # Σ i(i−1)λⁱ/i! = λ²e^λ (the Poisson second factorial moment times e^λ): SymPy needs 2.6 s
    assert exp_series(sp.Sum(i * (i - 1) * lam**i / fac(i), (i, 0, oo))) == lam**2 * sp.exp(lam)


def test_closed_form_against_partial_sums():
    # independently of SymPy's summation: 60 terms of each series at exact rational points
    for s in SUMS:
        closed = exp_series(s)
        (v, a, _), = s.limits
        for point in ({lam: sp.Rational(3, 2), x: sp.Rational(-7, 3), c: 2}, {lam: sp.Rational(1, 5), x: 0, c: -1}):
            term = s.function.xreplace(point)
            partial = sp.Add(*[term.xreplace({v: n}) for n in range(int(a), int(a) + 60)])
            assert abs(sp.N(closed.xreplace(point) - partial, 30)) < 1e-25, s


DECLINES = [
    sp.Sum(x**i / fac(i), (i, k, oo)),  # a symbolic start
    sp.Sum(x**i / fac(i), (i, 0, 10)),  # finite: unrolled elsewhere
    sp.Sum(x ** (2 * i) / fac(2 * i), (i, 0, oo)),  # cosh: not this shape
    sp.Sum(x**i / fac(i) ** 2, (i, 0, oo)),  # a Bessel function
    sp.Sum(fac(i) * x**i, (i, 0, oo)),  # divergent
    sp.Sum(x**i / i, (i, 1, oo)),  # a logarithm
    sp.Sum(x**i * lam**i / fac(i), (i, 0, oo)),  # two powers (SymPy's)
    sp.Sum(x ** (i - 1) / fac(i), (i, 1, oo)),  # x^(j−1) with x possibly 0: not taken out
    sp.Sum(sp.sin(i) * x**i / fac(i), (i, 0, oo)),  # not a polynomial in i
    sp.Sum(x**i / fac(i), (i, -1, oo)),  # 1/(−1)!: left to SymPy
    sp.Sum(x**i / fac(i), (i, 0, oo), (k, 0, 2)),  # two limits
]


@pytest.mark.parametrize("s", DECLINES, ids=[str(s) for s in DECLINES])
def test_any_other_series_is_left_to_sympy(s):
    assert exp_series(s) is None


def test_dag_doit_uses_the_closed_form():
    s = sp.Sum(i * lam**i * sp.exp(-lam) / fac(i), (i, 0, oo))
    assert dag.doit(2 * s + lam) == 3 * lam
