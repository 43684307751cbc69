"""Malformed claims are refused when they are built, each with one message naming the problem and the fix."""
import pytest
import sympy as sp

from verifier import Bernoulli, Beta, Binomial, Claim, ClaimError, Exponential, Finite, Interval, Normal, Poisson, Uniform

x, a, b, c = sp.symbols("x a b c")
p, lam = sp.symbols("p lambda")
PROBABILITY = "give p as a number in [0, 1] such as sp.Rational(1, 3), or a Symbol whose domain lies in (0, 1)"
POSITIVE = "a number > 0 such as 2, or a Symbol whose domain lies in (0, oo)"


# --- distributions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build,problem,hint",
    [
        (lambda: Bernoulli(2), "Bernoulli(2): p = 2 is not a probability in [0, 1]", PROBABILITY),
        (lambda: Bernoulli(-0.1), "Bernoulli(-1/10): p = -1/10 is not a probability in [0, 1]", PROBABILITY),
        (lambda: Bernoulli(sp.Symbol("q", negative=True)), "Bernoulli(q): p = q (by its assumptions) is not a probability in [0, 1]", PROBABILITY),
        (lambda: Bernoulli(sp.I), "Bernoulli(I): p = I is not a probability in [0, 1]", PROBABILITY),
        (lambda: Bernoulli(float("nan")), "Bernoulli: p = nan is not a number", "give numbers, Rationals or SymPy symbols (never strings)"),
        (lambda: Bernoulli("1/2"), "Bernoulli: p = '1/2' is not a number", "give numbers, Rationals or SymPy symbols (never strings)"),
        (lambda: Bernoulli(sp.Rational(1, 2), 3), "Bernoulli takes 1 parameter (p), got 2", "write Bernoulli(p)"),
        (lambda: Binomial(2.5, sp.Rational(1, 2)), "Binomial(5/2, 1/2): n = 5/2 is not a whole number ≥ 0", "give n as a number of trials such as 10"),
        (lambda: Binomial(-1, sp.Rational(1, 2)), "Binomial(-1, 1/2): n = -1 is not a whole number ≥ 0", "give n as a number of trials such as 10"),
        (lambda: Binomial(3, 2), "Binomial(3, 2): p = 2 is not a probability in [0, 1]", PROBABILITY),
        (lambda: Uniform(2, 1), "Uniform(2, 1): the interval is empty (a ≥ b)", "give the lower end first, e.g. Uniform(0, 1)"),
        (lambda: Uniform(1, 1), "Uniform(1, 1): the interval is empty (a ≥ b)", "give the lower end first, e.g. Uniform(0, 1)"),
        (lambda: Uniform(0, sp.oo), "Uniform(0, oo): b = oo is not a finite real number", "give b as a number such as -1 or sp.Rational(1, 2), or a Symbol"),
        (lambda: Normal(0, 0), "Normal(0, 0): σ² = 0 is not a positive finite number (the second parameter is the variance)", f"give σ² as {POSITIVE}"),
        (lambda: Normal(0, -1), "Normal(0, -1): σ² = -1 is not a positive finite number (the second parameter is the variance)", f"give σ² as {POSITIVE}"),
        (lambda: Exponential(0), "Exponential(0): λ = 0 is not a positive finite number", f"give λ as {POSITIVE}"),
        (lambda: Exponential(-2), "Exponential(-2): λ = -2 is not a positive finite number", f"give λ as {POSITIVE}"),
        (lambda: Poisson(-1), "Poisson(-1): λ = -1 is not a positive finite number", f"give λ as {POSITIVE}"),
        (lambda: Poisson(sp.oo), "Poisson(oo): λ = oo is not a positive finite number", f"give λ as {POSITIVE}"),
        (lambda: Beta(1, 0), "Beta(1, 0): β = 0 is not a positive finite number", f"give β as {POSITIVE}"),
        (lambda: Finite({0: 2, 1: -1}), "Finite: the probability of 0 is 2, not a probability in [0, 1]", "give each probability as a number in [0, 1], e.g. sp.Rational(1, 4)"),
        (lambda: Finite({0: sp.Rational(1, 2), 1: sp.Rational(1, 3)}), "Finite: the probabilities add up to 5/6, not 1", "make them sum to 1 (exact Rationals: sp.Rational(1, 3), not 0.333)"),
        (lambda: Finite({0: sp.Rational(3, 4), 1: sp.Rational(3, 4)}), "Finite: the probabilities add up to 3/2, not 1", "make them sum to 1 (exact Rationals: sp.Rational(1, 3), not 0.333)"),
        (lambda: Finite({0: "1/2", 1: "1/2"}), "Finite: the probability of 0 = '1/2' is not a number", "give numbers, Rationals or SymPy symbols (never strings)"),
        (lambda: Finite({}), "Finite({}) needs a non-empty dict {value: probability}", "e.g. Finite({0: sp.Rational(1, 2), 1: sp.Rational(1, 2)})"),
        (lambda: Finite([0, 1]), "Finite([0, 1]) needs a non-empty dict {value: probability}", "e.g. Finite({0: sp.Rational(1, 2), 1: sp.Rational(1, 2)})"),
        (lambda: Finite({0.5: 0.5, sp.Rational(1, 2): 0.5}), "Finite: the value 1/2 appears twice", "give each outcome once, with its total probability"),
        (lambda: Finite({sp.I: 1}), "Finite: the value I is not a finite real number", "outcomes are real numbers or Symbols"),
    ],
)
def test_malformed_distributions_are_refused_when_built(build, problem, hint):
    with pytest.raises(ClaimError) as info:
        build()
    assert (info.value.problem, info.value.hint) == (problem, hint)


@pytest.mark.parametrize(
    "build,description",
    [
        (lambda: Bernoulli(p), "Bernoulli(p)"),  # symbolic: stands for every admissible value
        (lambda: Bernoulli(0), "Bernoulli(0)"),
        (lambda: Bernoulli(0.3), "Bernoulli(3/10)"),  # a decimal means that decimal
        (lambda: Binomial(sp.Symbol("n", integer=True), p), "Binomial(n, p)"),
        (lambda: Uniform(a, b), "Uniform(a, b)"),
        (lambda: Normal(sp.Symbol("mu"), sp.Symbol("s2")), "Normal(mu, s2)"),
        (lambda: Poisson(lam), "Poisson(lambda)"),
        (lambda: Finite({0: 1 - p, 1: p}), "finite {0: 1 - p, 1: p}"),
        (lambda: Finite({0: 0.7, 1: 0.2, 2: 0.1}), "finite {0: 7/10, 1: 1/5, 2: 1/10}"),  # adds up to exactly 1
        (lambda: Finite({a: sp.Rational(1, 2), b: sp.Rational(1, 2)}), "finite {a: 1/2, b: 1/2}"),
    ],
)
def test_well_formed_distributions_are_accepted(build, description):
    assert build().description == description


# --- where: cycles --------------------------------------------------------------------------------

WHERE_HINT = " (hint: define each abbreviation by symbols with a domain or by earlier abbreviations, e.g. a: b + 1, b: x)"


@pytest.mark.parametrize(
    "where,loop",
    [
        ({a: b + 1, b: a + 1}, "a → b → a is a cycle"),
        ({a: a + 1}, "a is defined through itself"),
        ({a: b + 1, b: c * x, c: a - 1}, "a → b → c → a is a cycle"),
        ({a: x, b: c + 1, c: b**2}, "b → c → b is a cycle"),
    ],
)
def test_a_cyclic_where_is_refused_naming_the_cycle(where, loop):
    with pytest.raises(ClaimError) as info:
        Claim("w", [a, x + 1], domain={x: (0, 1)}, where=where)
    assert info.value.problem == f"claim w: where: {loop}, so it never expands to symbols with a domain{WHERE_HINT}"


def test_a_chain_of_abbreviations_without_a_cycle_is_fine():
    claim = Claim("w", [a, x + 2], domain={x: (0, 1)}, where={a: b + 1, b: c + 1, c: x})
    assert claim.expand(a) == x + 2


# --- symbol assumptions against the domain -------------------------------------------------------

DROP = "drop {key}={value} from the Symbol (the domain alone says which values y takes) or give a domain where it holds"


@pytest.mark.parametrize(
    "assumptions,domain,key,value,shown,what",
    [
        ({"positive": True}, (-5, 5), "positive", True, "(-5, 5)", "not positive"),
        ({"negative": True}, (-1, 3), "negative", True, "(-1, 3)", "not negative"),
        ({"nonnegative": True}, (-1, 1), "nonnegative", True, "(-1, 1)", "not nonnegative"),
        ({"nonzero": True}, (-1, 1), "nonzero", True, "(-1, 1)", "not nonzero"),
        ({"nonzero": True}, range(0, 3), "nonzero", True, "integers 0…2", "not nonzero"),
        ({"positive": True}, range(0, 5), "positive", True, "integers 0…4", "not positive"),
        ({"integer": False}, (0, 5), "integer", False, "(0, 5)", "integer"),
        ({"real": False}, (0, 1), "real", False, "(0, 1)", "real"),
        ({"rational": True}, (0, 1), "rational", True, "(0, 1)", "not rational"),
        ({"even": True}, (0, 10), "even", True, "integers 0…10", "not even"),
        ({"even": True}, (0, 10**6), "even", True, "integers 0…1000000", "not even"),
    ],
)
def test_assumptions_that_contradict_the_domain_are_refused(assumptions, domain, key, value, shown, what):
    y = sp.Symbol("y", **assumptions)
    with pytest.raises(ClaimError) as info:
        Claim("s", [y, y], domain={y: domain})
    hint = DROP.format(key=key, value=value)
    assert info.value.problem == f"claim s: y is declared {key}={value}, but its domain {shown} includes values that are {what} (hint: {hint})"


def test_an_integer_symbol_on_a_real_interval_is_refused():
    n = sp.Symbol("n", integer=True)
    with pytest.raises(ClaimError) as info:
        Claim("s", [n, n], domain={n: Interval(0, 5)})
    assert info.value.problem == ("claim s: n is declared integer=True, but its domain (0, 5) includes values that are not integer"
                                  " (hint: give integers as range(lo, hi + 1) or Interval(lo, hi, integer=True))")
    assert str(Claim("s", [n, n], domain={n: (0, 5)}).domain[n]) == "integers 0…5"  # a pair is read as integers


@pytest.mark.parametrize(
    "assumptions,domain",
    [
        ({"positive": True}, (0, 5)),  # open: 0 is not in it
        ({"positive": True}, (0, sp.oo)),
        ({"nonnegative": True}, (0, 1)),
        ({"negative": True}, (-3, 0)),
        ({"nonpositive": True}, (-sp.oo, 0)),
        ({"nonzero": True}, (1, 2)),
        ({"real": True}, (-sp.oo, sp.oo)),
        ({"finite": True}, (-sp.oo, sp.oo)),
        ({"integer": True, "positive": True}, (1, sp.oo)),
        ({"integer": True, "nonnegative": True}, range(0, 9)),
        ({"integer": False}, (sp.Rational(1, 5), sp.Rational(4, 5))),  # no integer in it
        ({"prime": True}, range(2, 4)),
        ({"zero": True}, range(0, 1)),
    ],
)
def test_assumptions_implied_by_the_domain_are_fine(assumptions, domain):
    y = sp.Symbol("y", **assumptions)
    Claim("s", [y, y], domain={y: domain})


def test_an_integer_domain_without_integers_is_refused_once():
    y = sp.Symbol("y", odd=True)
    with pytest.raises(ClaimError) as info:
        Claim("s", [y, y], domain={y: (0.5, 0.7)})
    assert str(info.value) == "claim s: empty domain: no integer lies in (1/2, 7/10)\n  hint: give integer bounds, e.g. range(1, 10)"


def test_the_catalogue_still_builds():
    from derivations import catalog

    assert len(list(catalog.values())) > 100
