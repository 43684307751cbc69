"""The limit strategy's Taylor rule (`taylor_limit`): SymPy's limit wherever it applies, and no
answer where it does not."""
from __future__ import annotations

import pytest
import sympy as sp

from verifier.strategies.limit import taylor_limit

t = sp.Symbol("t", positive=True)
x, w = sp.symbols("x w", real=True)
unevaluated = {"evaluate": False}

# d, the point, the value (each also compared with SymPy's limit from both sides)
APPLIES = [
    (sp.sin(t) / t, 0, 1),
    ((1 - sp.cos(t)) / t**2, 0, sp.Rational(1, 2)),
    ((sp.exp(t) - 1 - t) / t**2, 0, sp.Rational(1, 2)),
    ((sp.exp(t) - 1 - t - t**2 / 2 - t**3 / 6) / t**4, 0, sp.Rational(1, 24)),
    (t / (sp.exp(t) - 1), 0, 1),
    ((2**t - 1) / t, 0, sp.log(2)),
    (x * sp.sin(t) / t, 0, x),
    ((sp.cosh(t) - 1) / t**2, 0, sp.Rational(1, 2)),
    ((sp.exp(t) - 1) * sp.exp(-t) / t, 0, 1),  # exp(-t) is read as a denominator exp(t)
    ((sp.sin(x + t) - sp.sin(x)) / t, 0, sp.cos(x)),
    ((sp.exp(w * t) - 1) / t, 0, w),
    (sp.Mul(t**2 - 1, sp.Pow(t - 1, -1, **unevaluated), **unevaluated), 1, 2),
    ((t**3 + x * t) / (t + 2), 0, 0),  # no 0/0 at all: continuity
    ((w * sp.exp(x) * sp.exp(t * sp.cos(x)) - w * sp.exp(x) - t * w * sp.exp(x) * sp.cos(x)) / t, 0, 0),  # eq. 2.21's shape
]


@pytest.mark.parametrize("d, to, value", APPLIES, ids=[str(c[0]) for c in APPLIES])
def test_taylor_limit_is_sympys_limit(d, to, value):
    got = taylor_limit(d, t, sp.Integer(to))
    assert got is not None
    assert sp.simplify(got - value) == 0
    for side in ("+", "-"):
        assert sp.simplify(sp.limit(d, t, to, side) - got) == 0


r = sp.Symbol("r", real=True)  # either sign: |r|/r has two one-sided limits
DECLINES = [
    sp.Abs(r) / r,  # not smooth at 0: the sides differ
    sp.sqrt(r) / r,  # infinite
    sp.exp(-1 / r) / r,  # smooth on one side only
    1 / r,  # a pole
    sp.sin(r) / r**3,  # a pole of order 2
    sp.log(1 + r) / r,  # log is not in the smooth set
    sp.exp(r) / (w * r),  # the denominator's derivative w is not a known nonzero number
    sp.floor(r) / r,
    sp.Function("f")(r) / r,  # an unknown function: nothing is known about its smoothness
    (-2) ** r / r,  # a negative base: not real, let alone smooth
]


@pytest.mark.parametrize("d", DECLINES, ids=[str(d) for d in DECLINES])
def test_taylor_limit_declines_what_it_cannot_read(d):
    assert taylor_limit(d, r, sp.Integer(0)) is None


def test_taylor_limit_order_is_bounded_by_a_count():
    # order 5 needs six derivatives: beyond the rule's count, SymPy's limit is asked instead
    d = (sp.sin(t) - t + t**3 / 6) / t**5
    assert taylor_limit(d, t, sp.Integer(0)) is None
    assert sp.limit(d, t, 0) == sp.Rational(1, 120)
    assert taylor_limit(t**6 / (t**6 + t**7), t, sp.Integer(0)) is None
