"""verifier.primes: σ′(u) as an application stands for exactly SymPy's derivative, and is realized
as the derivative of the same concrete function."""
from __future__ import annotations

import pytest
import sympy as sp
from sympy.core.function import AppliedUndef

from verifier import Claim, verify
from verifier import dag, primes

x, y, w, t = sp.symbols("x y w t")
sigma, L = sp.Function("sigma"), sp.Function("L")
X = sp.IndexedBase("X")
layer = sigma(w * sigma(x * w + y) + 1)

DERIVATIVES = {
    "a composition": sp.Derivative(layer**2, w),
    "a loss of two activations": sp.Derivative(L(layer, sigma(x * y)), w),
    "an argument used twice": sp.Derivative(L(x, x**2) + L(x * y, y), x),
    "an indexed argument": sp.Derivative(sigma(X[1]) * X[1], X[1]),
    "with respect to an application": sp.Derivative(L(sigma(x + y), y), sigma(x + y)),
    "a second derivative": sp.Derivative(sigma(x**2), x, 2),
}
STAND_INS = {sigma: sp.Lambda(t, t**3 + 2 * t), L: sp.Lambda((x, y), x**2 * y + 3 * x * y**2)}


@pytest.mark.parametrize("name", sorted(DERIVATIVES))
def test_primes_are_the_derivatives_sympy_takes(name):
    """Realized with concrete functions, the prime form equals SymPy's own derivative."""
    e = DERIVATIVES[name]
    ours = primes.to_primes(dag.doit(e, fdiff=primes.fdiff))
    theirs = e.doit()
    realized = dag.doit(dag.apply_functions(ours, primes.with_derivatives(STAND_INS, ours)))
    expected = dag.doit(dag.apply_functions(theirs, STAND_INS))
    assert sp.simplify(realized - expected) == 0


def test_sympys_forms_become_applications():
    d = sp.Derivative(sigma(x * w), w).doit()  # x*Subs(Derivative(sigma(_xi), _xi), _xi, w*x)
    assert d.has(sp.Subs)
    p = primes.to_primes(d)
    assert not p.has(sp.Subs, sp.Derivative)
    (app,) = [a for a in p.atoms(AppliedUndef) if primes.is_prime(a.func)]
    assert primes.base_of(app.func) == sigma and app.args == (x * w,)
    two = primes.to_primes(sp.Derivative(L(x, y), y))
    assert two.func.arg == 2 and two.args == (x, y) and str(two.func) == "L′2"


def test_not_a_first_partial_stays_as_sympy_writes_it():
    """f(z, z) by z, f(z, g(z)) by z, second derivatives, functions with assumptions: unchanged."""
    s = sp.Function("s", positive=True)
    for e in (sp.Derivative(L(x, x), x), sp.Derivative(L(x, sigma(x)), x), sp.Derivative(sigma(x), x, 2),
              sp.Derivative(s(x), x)):
        assert primes.to_primes(e) == e


def test_a_function_named_like_a_derivative_turns_them_off():
    own = sp.Function("sigma′")
    assert not primes.allowed([own(x) + sigma(x)])
    assert primes.allowed([sigma(x) + L(x, y)])


def test_a_users_own_primed_function_is_not_taken_for_the_derivative():
    """sigma′ here is the user's own function, unrelated to sigma: the line must not be proved."""
    own = sp.Function("sigma′")
    claim = Claim("own-prime", [sp.Derivative(sigma(x**2), x), 2 * x * own(x**2)], domain={x: (-3, 3)})
    assert verify(claim).verdict != "proved"


def test_the_chain_rule_through_primes_is_proved_and_a_wrong_one_refuted():
    z = sp.Symbol("z")
    right = Claim("chain-right", [sp.Derivative(L(sigma(w * x), y), w), x * sp.Subs(sp.Derivative(sigma(z), z), z, w * x)
                                  * sp.Subs(sp.Derivative(L(z, y), z), z, sigma(w * x))],
                  domain={w: (-2, 2), x: (-2, 2), y: (-2, 2)})
    assert verify(right).verdict == "proved"
    wrong = Claim("chain-wrong", [sp.Derivative(L(sigma(w * x), y), w), sp.Subs(sp.Derivative(sigma(z), z), z, w * x)
                                  * sp.Subs(sp.Derivative(L(z, y), z), z, sigma(w * x))],
                  domain={w: (-2, 2), x: (-2, 2), y: (-2, 2)})
    assert verify(wrong).verdict == "refuted"
