"""The named distributions' moments by formula agree with sympy.stats' own derivation."""
import pytest
import sympy as sp
import sympy.stats as st

from verifier import randvars as rv

a, b = sp.symbols("a b", real=True)
lam = sp.Symbol("lam", positive=True)
mu = sp.Symbol("mu", real=True)
var = sp.Symbol("var", positive=True)
alpha, beta = sp.symbols("alpha beta", positive=True)

CASES = [
    (rv.Poisson(lam), lambda: st.Poisson("X", lam)),
    (rv.Poisson(sp.Rational(3, 2)), lambda: st.Poisson("X", sp.Rational(3, 2))),
    (rv.Uniform(a, b), lambda: st.Uniform("X", a, b)),
    (rv.Uniform(-1, 3), lambda: st.Uniform("X", -1, 3)),
    (rv.Normal(mu, var), lambda: st.Normal("X", mu, sp.sqrt(var))),
    (rv.Normal(1, 4), lambda: st.Normal("X", 1, 2)),
    (rv.Exponential(lam), lambda: st.Exponential("X", lam)),
    (rv.Beta(alpha, beta), lambda: st.Beta("X", alpha, beta)),
    (rv.Beta(2, sp.Rational(1, 2)), lambda: st.Beta("X", 2, sp.Rational(1, 2))),
]


@pytest.mark.parametrize("dist, stats", CASES, ids=[d.description for d, _ in CASES])
def test_closed_form_moments_match_sympy_stats(dist, stats):
    x = stats()
    for k in range(6):
        mine = dist.moment(k, None)
        assert sp.simplify(mine - st.moment(x, k)) == 0, f"E[X**{k}] under {dist.description}: {mine}"


def test_every_named_distribution_with_a_formula_is_compared():
    # a formula added for another distribution must join CASES above
    with_formula = {c.__name__ for c in rv._Stats.__subclasses__() if "_closed_moment" in c.__dict__}
    assert with_formula <= {type(d).__name__ for d, _ in CASES}
