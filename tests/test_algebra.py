"""SymEngine behind the structural strategy: its zero is a zero, and verdicts are those of the SymPy path."""
from __future__ import annotations

import pytest
import sympy as sp

from verifier import Claim, algebra
from verifier.engine import verify
from verifier.strategies import structural

a, b, x = sp.symbols("a b x", real=True)
p = sp.Symbol("p", positive=True)
f = sp.Function("f")
X = sp.IndexedBase("X")
R = sp.Rational

# Rules that hold for positive reals only, or not at all: the translation must never make them 0.
NOT_ZERO = {
    "sqrt of a product": sp.sqrt(a * b) - sp.sqrt(a) * sp.sqrt(b),
    "sqrt of a square": sp.sqrt(a**2) - a,
    "cube root of a product": (a * b) ** R(1, 3) - a ** R(1, 3) * b ** R(1, 3),
    "power of a power": (a**2) ** R(3, 2) - a**3,
    "same name, other assumptions": sp.Symbol("x", positive=True) - x,
    "an undefined function of other arguments": f(x + 1) - f(x),
    "indexed entries": X[1] - X[2],
    "a product of exponentials": sp.exp(a) * sp.exp(b) - sp.exp(a + b),
    "a near miss": x + R(1, 10**60) - x - R(1, 10**61),
    "non-commuting symbols": sp.Symbol("A", commutative=False) * sp.Symbol("B", commutative=False)
    - sp.Symbol("B", commutative=False) * sp.Symbol("A", commutative=False),
    "matrix symbols": sp.MatrixSymbol("M", 2, 2) * sp.MatrixSymbol("N", 2, 2) - sp.MatrixSymbol("N", 2, 2) * sp.MatrixSymbol("M", 2, 2),
    "non-commuting symbols beside commuting ones": x * sp.Symbol("A", commutative=False) * sp.Symbol("B", commutative=False)
    - x * sp.Symbol("B", commutative=False) * sp.Symbol("A", commutative=False),
}
ZERO = {
    "binomial square": (x + 1) ** 2 - x**2 - 2 * x - 1,
    "square of a square root": sp.sqrt(a) ** 2 - a,
    "function atoms cancel": f(a) * (f(b) + 1) - f(a) * f(b) - f(a),
    "indexed atoms cancel": (X[1] + X[2]) ** 2 - X[1] ** 2 - 2 * X[1] * X[2] - X[2] ** 2,
    "big integers": (x + 10**40) ** 2 - x**2 - 2 * 10**40 * x - 10**80,
    "derivative atoms": sp.Derivative(f(x), x) * (x + 1) - x * sp.Derivative(f(x), x) - sp.Derivative(f(x), x),
}


@pytest.mark.parametrize("name", sorted(NOT_ZERO))
def test_no_false_zero(name):
    assert algebra.expands_to_zero(NOT_ZERO[name]) is not True


@pytest.mark.parametrize("name", sorted(ZERO))
def test_zero(name):
    if not algebra.available():
        pytest.skip("symengine is not installed")
    assert algebra.expands_to_zero(ZERO[name]) is True


# Over one common denominator the same rules must still not hold: only the numerator's expansion decides.
NOT_ZERO_FRACTIONS = {
    **{f"{name}, over a denominator": d / (a**2 + 1) for name, d in NOT_ZERO.items() if d.is_commutative},
    "1/sqrt of a square": 1 / sp.sqrt(a**2) - 1 / a,
    "a near miss over a denominator": 1 / (x + 1) - 1 / (x + 1 + R(1, 10**60)),
    "sum of reciprocals": 1 / a + 1 / b - 1 / (a + b),
}


@pytest.mark.parametrize("name", sorted(NOT_ZERO) + sorted(NOT_ZERO_FRACTIONS))
def test_no_false_zero_over_a_common_denominator(name):
    assert algebra.cancels_to_zero({**NOT_ZERO, **NOT_ZERO_FRACTIONS}[name]) is not True


def test_common_denominator_agrees_with_cancel():
    """Where SymPy's cancel(together(d)) is 0, so is SymEngine's numerator (and where it is not, not)."""
    if not algebra.available():
        pytest.skip("symengine is not installed")
    t, l1, l2 = sp.symbols("t lambda1 lambda2", positive=True)
    c = 1 / (t**2 + 1)
    cases = [
        (1 - t**2) ** 2 * c**2 + 4 * t**2 * c**2 - 1,
        l1 / (l1 + l2) + l2 / (l1 + l2) - 1,
        1 / (a - 1) - 1 / (a + 1) - 2 / (a**2 - 1),
        f(a) / (f(a) + 1) + 1 / (f(a) + 1) - 1,
        sp.sqrt(p) / (p + sp.sqrt(p)) - 1 / (sp.sqrt(p) + 1),
        (1 - t**2) ** 2 * c**2 + 4 * t**2 * c**2 - 1 + c / l1,
        1 / (a - 1) - 1 / (a + 1) - 2 / (a**2 + 1),
    ]
    for d in cases:
        assert algebra.cancels_to_zero(d) is (sp.cancel(sp.together(d)) == 0), d
    assert algebra.cancels_to_zero(sp.Float(0.5) / (a + 1) - 1 / (2 * a + 2)) is None  # floats: not translated


def test_floats_and_infinities_are_not_translated():
    assert algebra.expands_to_zero(sp.Float(1e20) * x + 1 - sp.Float(1e20) * x - 1 + sp.Float(1e-30) * a) is None
    assert algebra.expands_to_zero(sp.Add(x, sp.oo, evaluate=False)) is None


def _verdicts(claims, monkeypatch, fast: bool, zeros: list | None = None):
    if not fast:
        monkeypatch.setattr(algebra, "_se", None)
    else:
        real = algebra.expands_to_zero
        monkeypatch.setattr(algebra, "expands_to_zero", lambda d: zeros.append(real(d)) or zeros[-1])
    try:
        results = [verify(c) for c in claims]
        return [(r.verdict, tuple(s.verdict for s in r.steps)) for r in results]
    finally:
        monkeypatch.undo()


def test_verdicts_are_those_of_the_sympy_path(catalog, monkeypatch):
    """The structural claims of each chapter (networks, conv, moments, naive Bayes), and true and
    false identities, settle the same with SymEngine and without it."""
    ids = ["1.5:variance", "1.17:mean", "BP1:2-3-2", "BP2:2-3-2", "3.6:2-3-2", "CONV-BP:delta", "CONV-BP2", "beta:variance"]
    own = [
        Claim("own:true", [(x + p) ** 3, x**3 + 3 * x**2 * p + 3 * x * p**2 + p**3], domain={x: (-5, 5), p: (0, 5)}),
        Claim("own:false", [(x + p) ** 3, x**3 + 3 * x**2 * p + 3 * x * p**2 + p**2], domain={x: (-5, 5), p: (0, 5)}),
        Claim("own:root", [sp.sqrt(x**2), x], domain={x: (-5, 5)}),
    ]
    claims = [catalog[i] for i in ids] + own
    zeros: list = []
    with_se = _verdicts(claims, monkeypatch, fast=True, zeros=zeros)
    without = _verdicts(claims, monkeypatch, fast=False)
    assert with_se == without
    if algebra.available():
        assert zeros.count(True) >= 10  # SymEngine really settled links of these claims
    assert [v for v, _ in with_se[-3:]] == ["proved", "refuted", "refuted"]


def test_gamma_recurrences_only_away_from_poles():
    # Γ(x + 1) = xΓ(x) has poles at x = 0, −1 on (−3/2, 3): not a zero there, whatever combsimp says.
    assert not structural._zero(sp.gamma(x + 1) - x * sp.gamma(x))
    assert structural._zero(sp.gamma(p + 1) - p * sp.gamma(p))
    assert structural._zero(sp.beta(p + 1, p) / sp.beta(p, p) - R(1, 2))


def test_rational_functions_are_decided_by_cancel_alone():
    """On a rational function of symbols, structural's zero is cancel(together(d)) == 0, the same
    answer as SymPy's expand followed by cancel (which it no longer runs on such a line)."""
    t, l1, l2 = sp.symbols("t lambda1 lambda2", positive=True)
    c = 1 / (t**2 + 1)
    cases = [
        ((1 - t**2) ** 2 * c**2 + 4 * t**2 * c**2 - 1, True),  # only cancel brings it to 0
        (l1 / (l1 + l2) + l2 / (l1 + l2) - 1, True),
        (a / (a + b) - a / (b + a), True),  # 0 as built
        ((a + b) ** 2 / (a - b) - (a**2 + 2 * a * b + b**2) / (a - b), True),  # expand brings it to 0
        ((1 - t**2) ** 2 * c**2 + 4 * t**2 * c**2 - 1 + c / l1, False),
        (a / (a + b) - b / (a + b), False),
    ]
    for d, zero in cases:
        assert structural._rational_in_symbols(d) or d == 0
        old = sp.expand(d) == 0 or sp.cancel(sp.together(d)) == 0
        assert old is zero and structural._zero(d) is zero, d
    assert not structural._rational_in_symbols(sp.sqrt(a) / (a + 1))
    assert not structural._rational_in_symbols(f(a) / (a + 1))
    assert not structural._rational_in_symbols(X[1] / (X[2] + 1))
    assert not structural._rational_in_symbols(a ** R(1, 2) / b)


def test_large_rational_functions_are_decided_rightly():
    """A rational function too large for the early expansion: decided over a common denominator
    (SymEngine's, or SymPy's cancel without it), rightly."""
    t, l1 = sp.symbols("t lambda1", positive=True)
    c = 1 / (t**2 + 1)
    one = (1 - t**2) ** 2 * c**2 + 4 * t**2 * c**2  # = 1, but only after cancelling
    true = sp.Mul(*[one + k / l1 for k in range(1, 7)]) - sp.Mul(*[1 + k / l1 for k in range(1, 7)])
    false = true + c / l1
    for d, zero in ((true, True), (false, False)):
        assert not structural._small(d) and structural._rational_in_symbols(d)
        assert algebra.expands_to_zero(d) is False  # (no plain expansion shows it)
        assert structural._zero(d) is zero
        assert (sp.cancel(sp.together(d)) == 0) is zero
        if algebra.available():
            assert algebra.cancels_to_zero(d) is zero
