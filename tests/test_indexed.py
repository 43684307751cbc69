"""The indexed-sum strategy (verifier/strategies/indexed.py): each rule against concrete instances.

Every rewrite the strategy makes must be an identity for each size its side conditions allow:
here each rule's input and output are evaluated at random sizes and random exact values (seeded)
and must agree exactly; a side condition that does not hold on the whole domain is "not my case".
"""
from __future__ import annotations

import random

import pytest
import sympy as sp

from verifier import Claim, Step, verify
from verifier.claim import Interval
from verifier.strategies.indexed import NotMine, Reducer

x, y, w = sp.IndexedBase("x"), sp.IndexedBase("y"), sp.IndexedBase("w")
i, j, k, l = sp.symbols("i j k l", integer=True)
m = sp.Symbol("m", integer=True, positive=True)
n = sp.Symbol("n", integer=True, nonnegative=True)
a, b, p, eps = sp.symbols("a b p epsilon", real=True)
mu = sp.Sum(x[l], (l, 1, m)) / m
var = sp.Sum((x[l] - mu) ** 2, (l, 1, m)) / m


def _reducer(lo: int, size=m) -> Reducer:
    return Reducer({size: Interval(sp.Integer(lo), sp.oo, integer=True)})


def _back(expr: sp.Expr, named: dict) -> sp.Expr:
    """expr with every power-sum function replaced by the sum it names (nested ones too)."""
    for _ in range(6):
        if not any(expr.has(f) for f in named):
            return expr
        expr = expr.replace(lambda e: getattr(e, "func", None) in named,
                            lambda e: named[e.func](*e.args) if isinstance(named[e.func], sp.Lambda) else named[e.func])
    return expr


def _values(rng: random.Random, size: int) -> dict:
    vals = {}
    for base in (x, y):
        for v in range(-3, size + 5):
            vals[base[v]] = sp.Rational(rng.randint(-9, 9), rng.randint(1, 5))
    for r in range(-1, size + 3):
        for c in range(-1, size + 3):
            vals[w[r, c]] = sp.Rational(rng.randint(-9, 9), rng.randint(1, 5))
    vals.update({a: sp.Rational(rng.randint(-9, 9), 7), b: sp.Rational(rng.randint(1, 9), 4), p: sp.Rational(rng.randint(1, 9), 10),
                 eps: sp.Rational(rng.randint(1, 9), 10)})
    return vals


def _agrees(expr: sp.Expr, lo: int, size=m, trials: int = 4, seed: int = 0) -> sp.Expr:
    """Reduce expr; at `trials` random sizes ≥ lo and random values, it equals the sum written out."""
    red = _reducer(lo, size)
    reduced = red.reduce(expr)
    assert not reduced.has(sp.Sum, sp.Derivative)
    named = red.named()
    rng = random.Random(seed)
    for _ in range(trials):
        s = rng.randint(lo, lo + 6)
        vals = _values(rng, s)
        direct = expr.subs(size, s).doit().xreplace(vals)
        ours = _back(reduced, named).subs(size, s).doit().xreplace(vals)
        assert sp.nsimplify(sp.simplify(direct - ours)) == 0, (expr, s, direct, ours)
    return reduced


RULES = {
    "linearity and constants out": (sp.Sum(a * x[i] + 3 * y[i] ** 2 - b, (i, 1, m)), 1),
    "Σ c = m·c": (sp.Sum(a * b, (i, 1, m)), 0),
    "centred second moment (where: μ = Σ x / m)": (sp.Sum((x[i] - mu) ** 2, (i, 1, m)) / m, 1),
    "Σ_i (x_i − μ) = 0": (sp.Sum(x[i] - mu, (i, 1, m)), 1),
    "normalized values": (sp.Sum(((x[i] - mu) / sp.sqrt(var + eps)) ** 2, (i, 1, m)) / m, 2),
    "Kronecker at a fixed index": (sp.Sum(sp.KroneckerDelta(1, i) * x[i] ** 2 + a * y[i], (i, 1, m)), 1),
    "Kronecker at the last index": (sp.Sum(sp.KroneckerDelta(i, m) * x[i], (i, 1, m)), 1),
    "Kronecker at index 3 for m ≥ 3": (sp.Sum(sp.KroneckerDelta(3, i) * x[i] * y[i], (i, 1, m)), 3),
    "Kronecker outside the range": (sp.Sum(sp.KroneckerDelta(0, i) * x[i], (i, 1, m)), 1),
    "derivative of a sum by x_1": (sp.Derivative(sp.Sum((x[i] - mu) ** 2, (i, 1, m)), x[1]), 2),
    "derivative of a normalized sum by x_1": (sp.Derivative(sp.Sum(y[i] * (x[i] - mu) / sp.sqrt(var + eps), (i, 1, m)), x[1]), 2),
    "splitting off a term (lower bound 0)": (sp.Sum(x[i], (i, 0, m - 1)), 1),
    "splitting off terms (upper bound m + 2)": (sp.Sum(x[i] * y[i], (i, 2, m + 2)), 1),
    "Faulhaber": (sp.Sum(i**2 + i * x[i], (i, 1, m)), 0),
    "a bound 2m − 1": (sp.Sum(x[i] + sp.KroneckerDelta(i, m) * y[i], (i, 1, 2 * m - 1)), 1),
    "nested sums, separable": (sp.Sum(sp.Sum(x[i] * y[j] + a * x[i] * x[j], (i, 1, m)), (j, 1, m)), 1),
    "nested sums, matrix–vector": (sp.Sum(sp.Sum(w[i, j] * x[i], (i, 1, m)) * y[j], (j, 1, m)), 1),
    "nested sums, a square of a sum": (sp.Sum(x[j] * sp.Sum(w[i, j] * x[i], (i, 1, m)) ** 2, (j, 1, m)), 1),
    "binomial theorem": (sp.Sum(sp.binomial(m, k) * a**k * b ** (m - k), (k, 0, m)), 0),
    "binomial mean": (sp.Sum(k * sp.binomial(m, k) * p**k * (1 - p) ** (m - k), (k, 0, m)), 1),
    "binomial second moment, n from 0": (sp.Sum(k**2 * sp.binomial(m, k) * p**k * (1 - p) ** (m - k), (k, 0, m)), 0),
    "binomial, shifted index": (sp.Sum(m * p * sp.binomial(m - 1, k - 1) * p ** (k - 1) * (1 - p) ** (m - k), (k, 1, m)), 1),
    "binomial, k³ with a, b": (sp.Sum(k**3 * sp.binomial(m, k) * a**k * b ** (m - k), (k, 0, m)), 3),
    "binomial, part of the range": (sp.Sum(sp.binomial(m, k) * a**k * b ** (m - k), (k, 1, m - 1)), 1),
}


@pytest.mark.parametrize("name", sorted(RULES))
def test_rule_agrees_with_the_sum_written_out(name):
    expr, lo = RULES[name]
    _agrees(expr, lo)


def test_a_free_index_below_a_width_collapses_its_delta():
    # a width n = j + r (j ≥ 1, r ≥ 0) holds the free index j: Σ_{i=1}^{n} δ(i, j) f(i) = f(j)
    r = sp.Symbol("r", integer=True)
    sizes = {j: Interval(sp.Integer(1), sp.oo, integer=True), r: Interval(sp.Integer(0), sp.oo, integer=True)}
    expr = sp.Sum(sp.KroneckerDelta(i, j) * x[i] ** 2 + y[i], (i, 1, j + r))
    red = Reducer(dict(sizes))
    reduced = red.reduce(expr)
    named = red.named()
    rng = random.Random(1)
    for _ in range(5):
        jv, rv = rng.randint(1, 5), rng.randint(0, 4)
        vals = _values(rng, jv + rv)
        direct = expr.subs({j: jv, r: rv}).doit().xreplace(vals)
        ours = _back(reduced, named).subs({j: jv, r: rv}).doit().xreplace(vals)
        assert sp.simplify(direct - ours) == 0
    # without r ≥ 0 (a width that may be below j) it is not decided
    with pytest.raises(NotMine):
        Reducer({**sizes, r: Interval(sp.Integer(-1), sp.oo, integer=True)}).reduce(expr)


def test_exchange_of_finite_sums():
    red = _reducer(1)
    n2 = sp.Symbol("n", integer=True)
    red.sizes[n2] = Interval(sp.Integer(1), sp.oo, integer=True)
    ij = red.reduce(sp.Sum(y[j] * sp.Sum(w[i, j] * x[i], (i, 1, m)), (j, 1, n2)))
    ji = red.reduce(sp.Sum(x[i] * sp.Sum(w[i, j] * y[j], (j, 1, n2)), (i, 1, m)))
    assert ij == ji and "exchange of finite sums" in red.rules
    # ranges swapped with the indices are another sum
    other = red.reduce(sp.Sum(x[i] * sp.Sum(w[i, j] * y[j], (j, 1, m)), (i, 1, n2)))
    assert other != ij


def test_the_rules_name_their_sums_once():
    # Σ_l x_l and Σ_i x_i are the same power sum: one symbol
    red = _reducer(1)
    assert red.reduce(sp.Sum(x[i], (i, 1, m))) == red.reduce(sp.Sum(x[l], (l, 1, m)))
    # Σ_i (x_i − μ) vanishes identically
    assert sp.expand(_reducer(1).reduce(sp.Sum(x[i] - mu, (i, 1, m)))) == 0


NOT_MINE = {
    # the delta's index 5 is inside 1…m only for m ≥ 5, and the domain starts at 2
    "delta inside for some sizes only": (sp.Sum(sp.KroneckerDelta(5, i) * x[i], (i, 1, m)), 2),
    # Σ_{i=3}^{m} with m ≥ 0 runs backwards for m = 0, 1
    "a sum that may run backwards": (sp.Sum(x[i], (i, 3, m)), 0),
    "a bound that is not linear in the sizes": (sp.Sum(x[i], (i, 1, m * m)), 1),
    "a delta against a symbolic index": (sp.Sum(sp.KroneckerDelta(j, i) * x[i], (i, 1, m)), 1),
    "a product": (sp.Product(x[i], (i, 1, m)), 1),
    "an inner sum bounded by the outer index": (sp.Sum(sp.Sum(x[i], (i, 1, j)), (j, 1, m)), 1),
    "binomial with a base that does not match N − k": (sp.Sum(sp.binomial(m, k) * a**k * b ** (2 * m - k) * 0 + sp.binomial(m, k) * b ** (m - 2 * k), (k, 0, m)), 0),
}


@pytest.mark.parametrize("name", sorted(NOT_MINE))
def test_side_condition_not_met_is_not_my_case(name):
    expr, lo = NOT_MINE[name]
    with pytest.raises(NotMine):
        _reducer(lo).reduce(expr)


# --- through the engine ------------------------------------------------------------------------------

def _claim(cid: str, lines: list, lo: int = 2, **kw) -> Claim:
    from verifier import Generic

    dom = {m: (lo, sp.oo), i: (1, sp.oo)}
    dom.update(kw.pop("domain", {}))
    return Claim(cid, lines, domain=dom, random={x: Generic("x"), y: Generic("y")}, **kw)


ENGINE_TRUE = {
    "centred": [sp.Sum(x[i] - mu, (i, 1, m)), 0],
    "variance-shortcut": [sp.Sum((x[i] - mu) ** 2, (i, 1, m)) / m, sp.Sum(x[i] ** 2, (i, 1, m)) / m - mu**2],
    "normalized-variance": [sp.Sum(((x[i] - mu) / sp.sqrt(var + eps)) ** 2, (i, 1, m)) / m, var / (var + eps)],
    "gradient-of-mean": [sp.Derivative(mu, x[1]), 1 / m],
    "gradient-of-variance": [sp.Derivative(var, x[1]), 2 * (x[1] - mu) / m],
}
ENGINE_FALSE = {
    "centred-off": [sp.Sum(x[i] - mu, (i, 1, m)), x[1] - mu],
    "variance-unbiased-factor": [sp.Sum((x[i] - mu) ** 2, (i, 1, m)) / m, sp.Sum(x[i] ** 2, (i, 1, m)) / (m - 1) - mu**2],
    "gradient-of-variance-halved": [sp.Derivative(var, x[1]), (x[1] - mu) / m],
    "normalized-variance-is-1": [sp.Sum(((x[i] - mu) / sp.sqrt(var + eps)) ** 2, (i, 1, m)) / m, 1],
}


@pytest.mark.parametrize("name", sorted(ENGINE_TRUE))
def test_true_identity_proved_for_every_size(name):
    r = verify(_claim(f"t:{name}", ENGINE_TRUE[name], domain={eps: (0, sp.oo)}))
    assert r.verdict == "proved", r.steps
    assert all(s.method in ("indexed", "structural") for s in r.steps), [(s.method, s.detail) for s in r.steps]


@pytest.mark.parametrize("name", sorted(ENGINE_FALSE))
def test_false_identity_refuted_at_a_small_size(name):
    r = verify(_claim(f"f:{name}", ENGINE_FALSE[name], domain={eps: (0, sp.oo)}))
    assert r.verdict == "refuted", r.steps
    cx = r.errata[0].counterexample
    assert cx.exact and int(dict(cx.values)["m"]) <= 4


def test_binomial_moments_proved_for_every_n():
    nn = sp.Symbol("n", integer=True)
    pmf = sp.binomial(nn, k) * p**k * (1 - p) ** (nn - k)
    true = Claim("t:binomial-variance", [sp.Sum(k**2 * pmf, (k, 0, nn)) - (nn * p) ** 2, nn * p * (1 - p)], domain={nn: (1, sp.oo), p: (0, 1)})
    false = Claim("f:binomial-variance", [sp.Sum(k**2 * pmf, (k, 0, nn)) - (nn * p) ** 2, nn * p * (1 - p) ** 2], domain={nn: (1, sp.oo), p: (0, 1)})
    rt, rf = verify(true), verify(false)
    assert rt.verdict == "proved" and rt.steps[0].method == "indexed" and "binomial theorem" in rt.steps[0].detail
    assert rf.verdict == "refuted" and rf.errata[0].counterexample.exact


# --- random sums: never a false proof ----------------------------------------------------------------

def _random_summand(rng: random.Random, v: sp.Symbol) -> sp.Expr:
    t = sp.Integer(0)
    for _ in range(rng.randint(1, 3)):
        c = rng.choice([1, 2, -1, a, sp.Rational(1, 2), m])
        f = rng.choice([x[v], y[v], x[v] ** 2, x[v] * y[v], 1, sp.KroneckerDelta(v, 1), sp.KroneckerDelta(v, m), v, sp.KroneckerDelta(v, 2)])
        t += c * f
    return t


def _random_side(rng: random.Random) -> sp.Expr:
    e = sp.Integer(0)
    for _ in range(rng.randint(1, 3)):
        lo, hi = rng.choice([0, 1, 1, 2]), rng.choice([m, m, m - 1, m + 1])
        e += rng.choice([1, a, 1 / m]) * sp.Sum(_random_summand(rng, i), (i, lo, hi))
    return e


_ZERO_IN_DISGUISE = [sp.Integer(0), sp.Sum(x[i], (i, 1, m)) - sp.Sum(x[l], (l, 1, m)),
                     sp.Sum(sp.KroneckerDelta(i, 1) * x[i], (i, 1, m)) - x[1], x[m] - sp.Sum(sp.KroneckerDelta(i, m) * x[i], (i, 1, m))]


def test_random_sums_are_never_proved_when_false():
    """Pairs of random sums (half of them equal by construction, up to a zero in disguise, half
    unrelated or off by 1 or by a term): a pair the strategy proves agrees at every size 2…6 at
    random values; and it proves most of the equal pairs."""
    from verifier.link import Link, Values
    from verifier.strategies.base import Context
    from verifier.strategies.indexed import attempt

    rng = random.Random(20190709)
    ctx = Context(seed=1, timeout=10)
    values = {m: Values(interval=Interval(sp.Integer(2), sp.oo, integer=True)), a: Values(interval=Interval(-sp.oo, sp.oo))}
    proved_equal = equal = 0
    for _ in range(80):
        lhs = _random_side(rng)
        same_by_construction = rng.random() < 0.5
        rhs = lhs + rng.choice(_ZERO_IN_DISGUISE) if same_by_construction else rng.choice([_random_side(rng), lhs + 1, lhs + x[2], lhs + x[m + 1]])
        out = attempt(Link(0, lhs, rhs, "=", dict(values)), ctx)
        equal += same_by_construction
        if out is None:
            continue
        proved_equal += same_by_construction
        for size in range(2, 7):
            vals = _values(rng, size)
            d = (lhs - rhs).subs(m, size).doit().xreplace(vals)
            assert sp.simplify(d) == 0, (lhs, rhs, size)
    assert proved_equal >= 0.8 * equal


def test_a_side_kept_for_the_next_link_reduces_as_a_fresh_one():
    # Context.memo keeps each side's derivatives for the claim's other links: the same answer, and
    # a side that is not the strategy's case stays so (its NotMine is kept too)
    memo: dict = {}
    side = sp.Derivative(sp.Sum((x[l] - mu) ** 2, (l, 1, m)) / m, x[1])
    reducers = [_reducer(2)] + [Reducer({m: Interval(sp.Integer(2), sp.oo, integer=True)}, memo) for _ in range(2)]
    fresh, first, again = (_back(r.reduce(side), r.named()) for r in reducers)  # each reducer names its own sums
    assert str(fresh) == str(first) == str(again) and not fresh.has(sp.Derivative)  # (each its own dummy index)
    assert len(memo["derivatives of sums"]) == 1
    by_bound = sp.Derivative(sp.Sum(x[l], (l, 1, m)), m)  # a derivative by a bound: never this strategy's
    for _ in range(2):
        with pytest.raises(NotMine):
            Reducer({m: Interval(sp.Integer(2), sp.oo, integer=True)}, memo).reduce(by_bound)
