"""Probabilities in the notes (verifier/notes/probability.py): the joint model proves, a concrete
distribution refutes, premises bind the witness, and nothing else is read as a distribution."""
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp

from verifier.notes.context import ContextError, load_context
from verifier.notes.probability import concrete_witness, joint_model
from verifier.notes.run import run_notes


def verdicts(tmp_path: Path, displays: list[str], context: str = "", timeout: float = 20) -> list[tuple[str, str, str]]:
    """(verdict or status, method, counterexample) of every step of these display lines."""
    notes = tmp_path / "n.md"
    notes.write_text("\n\n".join(f"$${d}$$" for d in displays) + "\n", encoding="utf-8")
    ctx = tmp_path / "n.verify.toml"
    ctx.write_text(context, encoding="utf-8")
    run = run_notes(notes, load_context(ctx), seed=7, timeout=timeout)
    return [(s.verdict or s.status, s.method, s.counterexample) for s in run.steps]


def test_bayes_rule_is_proved_and_a_wrong_one_refuted_by_a_distribution(tmp_path):
    out = verdicts(tmp_path, [r"P(\theta|x) = \frac{P(x|\theta)P(\theta)}{P(x)}",
                              r"P(\theta|x) = \frac{P(x|\theta)P(x)}{P(\theta)}"])
    assert out[0][0] == "proved"
    assert out[1][0] == "refuted" and out[1][1] == "a concrete distribution"
    assert "theta ∈ {0…1}" in out[1][2] and "x ∈ {0…1}" in out[1][2]


@pytest.mark.parametrize("line, expected", [
    (r"P(x, y) = P(y|x) P(x)", "proved"),          # the product rule
    (r"P(x, y) = P(y, x)", "proved"),              # a joint does not depend on the order of its events
    (r"P(x|y) = P(y|x)", "refuted"),               # the classic confusion
    (r"P(x, y) = P(x) P(y)", "refuted"),           # independence is not a law
    (r"P(x|y) P(y) = P(y|x) P(x)", "proved"),
    (r"P(Y = c|X = a) = \frac{P(X = a|Y = c) P(Y = c)}{P(X = a)}", "proved"),
    (r"P(Y = c|X = a) = P(X = a|Y = c)", "refuted"),
    (r"P(x) = 1", "refuted"),                      # no event of the lines is sure
])
def test_identities_of_probability(tmp_path, line, expected):
    assert verdicts(tmp_path, [line])[0][0] == expected


def test_the_witness_is_a_distribution_and_the_sides_differ_under_it():
    # P(x|y) = P(y|x): evaluate both sides again from the witness's own numbers
    x, y = sp.symbols("x y")
    a = joint_model(sp.Function("P_given1")(x, y), {"P"})
    b = joint_model(sp.Function("P_given1")(y, x), {"P"})
    w = concrete_witness(a, b, "=", [], seed=3)
    assert w is not None and w.lhs != w.rhs
    table = w.text.split("P = {")[1].rstrip("}")
    cells = {c.split(": ")[0]: Fraction(c.split(": ")[1]) for c in table.split(", ")}
    assert sum(cells.values()) == 1 and all(v > 0 for v in cells.values())
    # x is the first variable, y the second; both events at value 0
    pxy, px, py = cells["00"], cells["00"] + cells["01"], cells["00"] + cells["10"]
    assert (w.lhs, w.rhs) == (pxy / py, pxy / px)


def test_a_premise_is_never_refuted_in_its_own_passage(tmp_path):
    # with covariate shift assumed, P_tr(y|x) = P_te(y|x) holds in every witness: never refuted,
    # while the product rule run together with another factor still is
    ctx = ('premises = ["P_{tr}(y|x) = P_{te}(y|x)", "P_{tr}(x) \\\\neq P_{te}(x)"]\n'
           '[notation]\nlabel_subscripts = ["tr", "te"]\n')
    out = verdicts(tmp_path, [r"P_{tr}(y|x) = P_{te}(y|x)", r"P_{tr}(x, y) = P_{tr}(y|x) P_{tr}(x) P_{te}(x, y)"], ctx)
    assert out[0][0] != "refuted"
    assert out[1][0] == "refuted" and "keeps" in out[1][2]
    # without the premise the first line is refuted by two unrelated distributions
    bare = verdicts(tmp_path, [r"P_{tr}(y|x) = P_{te}(y|x)"], '[notation]\nlabel_subscripts = ["tr", "te"]\n')
    assert bare[0][0] == "refuted"


def test_contradictory_premises_leave_no_witness(tmp_path):
    ctx = 'premises = ["P(x) = P(y)", "P(x) \\\\neq P(y)"]\n'
    assert verdicts(tmp_path, [r"P(x|y) = P(y|x)"], ctx)[0][0] != "refuted"


def test_an_assumption_is_listed_not_checked(tmp_path):
    ctx = '[[scope]]\nlabels = ["1"]\nassumption = true\n'
    notes = tmp_path / "n.md"
    notes.write_text("$$P(x|y) = P(y|x) \\tag{1}$$\n", encoding="utf-8")
    (tmp_path / "n.verify.toml").write_text(ctx, encoding="utf-8")
    run = run_notes(notes, load_context(tmp_path / "n.verify.toml"), seed=7, timeout=20)
    assert [(s.status, s.verdict) for s in run.steps] == [("assumption", "")]
    assert run.summary()["assumptions"] == 1 and run.summary()["claim_steps"] == 0


@pytest.mark.parametrize("line", [
    r"P(k; n, p) = P(k; n, q)",        # a parametrized family: a table is not a member of it
    r"P_{k}(x) = P_{k}(y)",            # an indexed family the model does not read
    r"P(x) = a",                       # a name outside every probability
])
def test_what_is_not_a_plain_distribution_is_never_refuted_by_a_table(tmp_path, line):
    assert verdicts(tmp_path, [line])[0][0] != "refuted"


@pytest.mark.parametrize("text", ['premises = ["P(x) = P(y) = P(z)"]', 'premises = ["P(x)"]', 'premises = "P(x) = 1"',
                                  '[[scope]]\nlabels = ["1"]\nassumption = "yes"\n',
                                  '[mle]\nparameter = "P(Y = c_k)"\n',
                                  '[mle]\nparameter = "P"\nlikelihood = "L"\ndata = "y"\nclasses = "c_k, k = 1..K"\n'])
def test_a_malformed_premise_or_assumption_names_the_fix(tmp_path, text):
    p = tmp_path / "c.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ContextError, match="premise|assumption|mle"):
        load_context(p)


def test_little_o_in_an_approximate_line(tmp_path):
    # o(ρ) the remainder of an expansion (little_o), ρ → 0⁺ ([limits]): the remainder dropped is
    # proved, a wrong first-order term refuted, and an abbreviation carries its o(ρ) along
    ctx = ('[notation]\nfunctions = ["o"]\nlittle_o = ["o"]\n[limits]\nrho = "0+"\n'
           '[domains]\na = "(-5, 5)"\nb = "(-5, 5)"\nu = "(-5, 5)"\nv = "(1, 5)"\n'
           '[where]\n"D" = "a u + b v + o(\\\\rho)"\n')
    out = verdicts(tmp_path, [r"a u + b v + o(\rho) \approx a u + b v", r"a u + o(\rho) \approx 2 a u",
                              r"D \approx a u + b v", r"D \approx a u"], ctx)
    assert [v for v, _, _ in out] == ["proved", "refuted", "proved", "refuted"]
    # without little_o, o is any function: nothing is decided about its limit
    bare = verdicts(tmp_path, [r"a u + o(\rho) \approx a u"], '[notation]\nfunctions = ["o"]\n[limits]\nrho = "0+"\n')
    assert bare[0][0] not in ("proved", "refuted")


@pytest.mark.parametrize("line, proved", [
    # Bayes' denominator P(X = x) is the same for every class: the same argmax
    (r"\arg\max_{c} P(Y = c | X = x) = \arg\max_{c} P(X = x | Y = c) P(Y = c)", True),
    (r"\arg\max_{c} P(Y = c | X = x) = \arg\max_{c} 2 P(Y = c, X = x)", True),
    # the likelihood alone is not the posterior: the factor P(Y = c) depends on the class
    (r"\arg\max_{c} P(Y = c | X = x) = \arg\max_{c} P(X = x | Y = c)", False),
    # a negative factor turns a maximum into a minimum
    (r"\arg\max_{c} P(Y = c | X = x) = \arg\max_{c} (-P(Y = c, X = x))", False),
    (r"\arg\max_{c} P(Y = c) = \arg\min_{c} P(Y = c)", False),
])
def test_argmax_is_the_same_when_the_objectives_differ_by_a_positive_factor_free_of_the_variable(tmp_path, line, proved):
    out = verdicts(tmp_path, [line])[0]
    assert (out[0] == "proved") == proved and out[0] != "refuted", out


def test_the_naive_assumption_as_a_premise_proves_the_naive_bayes_posterior(tmp_path):
    line = (r"\arg\max_{c_k} P(Y = c_k | X = x) = \arg\max_{c_k} \frac{P(Y = c_k) \prod_j P(X^{(j)} = x^{(j)} | Y = c_k)}"
            r"{\sum_k P(Y = c_k) \prod_j P(X^{(j)} = x^{(j)} | Y = c_k)}")
    ranges = '[notation]\nintegers = ["j", "k", "J", "K"]\n[ranges]\nj = "1..J"\nk = "1..K"\n'
    naive = 'premises = ["P(X = x | Y = c_k) = \\\\prod_j P(X^{(j)} = x^{(j)} | Y = c_k)"]\n'
    assert verdicts(tmp_path, [line], naive + ranges)[0][0] == "proved"
    # without it, nothing ties P(X = x | …) to the product (the engine's own attempt is cut short:
    # whatever it ends with, it is never a proof)
    assert verdicts(tmp_path, [line], ranges, timeout=3)[0][0] != "proved"


_MLE = ('[notation]\nfunctions = ["I"]\nindicators = ["I"]\nintegers = ["i", "k", "N", "K"]\n'
        '[mle]\nparameter = "P(Y = c_k)"\nlikelihood = "\\\\prod_{i=1}^{N} P(Y = y_i)"\n'
        'data = "y_i, i = 1..N"\nclasses = "c_k, k = 1..K"\n')


@pytest.mark.parametrize("estimate, expected", [
    (r"\frac{\sum_{i=1}^{N} I(y_i = c_k)}{N}", "checked"),          # the class frequencies: the maximum
    (r"\frac{\sum_{i=1}^{N} I(y_i = c_k)}{N + 1}", "refuted"),      # not a probability vector
    (r"\frac{\sum_{i=1}^{N} I(y_i = c_k) + 1}{N + K}", "refuted"),  # Laplace smoothing: a probability vector, not the maximum
    (r"\frac{1}{K}", "refuted"),                                      # uniform: the maximum only for balanced data
])
def test_a_maximum_likelihood_estimate_is_checked_against_the_likelihood(tmp_path, estimate, expected):
    out = verdicts(tmp_path, [rf"P(Y = c_k) = {estimate}"], _MLE)[0]
    assert out[0] == expected and out[1] == "maximum likelihood", out
    if expected == "refuted":
        assert out[2].startswith("y = (")  # the data set, the estimate: an exact counterexample


def test_outside_an_estimation_passage_the_same_line_is_a_probability(tmp_path):
    # without [mle], P(Y = c_k) is the model's probability: the frequencies are not decided equal to it
    out = verdicts(tmp_path, [r"P(Y = c_k) = \frac{\sum_{i=1}^{N} I(y_i = c_k)}{N}"], _MLE.split("[mle]")[0])[0]
    assert out[0] not in ("proved", "checked") and out[1] != "maximum likelihood"


_DISCRETE = '[random]\nX = "Generic"\n[notation]\nvalues = { X = "i = 1..n" }\nintegers = ["i", "n"]\n'


def test_a_discrete_variable_with_symbolic_values_and_a_prose_condition(tmp_path):
    # X takes the values X_1 … X_n: Σ h(X_i) P(X_i) is E[h(X)] (the definition of E), and the
    # trailing \text{for discrete variable} is the line's condition, not prose to read
    out = verdicts(tmp_path, [r"E(X) = \sum_{i=1}^{n} X_i P(X_i) \text{ for discrete variable}",
                              r"Var(X) = \sum_{i=1}^{n} (X_i - E(X))^2 P(X_i) = E(X^2) - E(X)^2",
                              r"E(X) = \sum_{i=1}^{n} X_i^2 P(X_i) \text{ for discrete variable}"], _DISCRETE)
    assert [v for v, _, _ in out[:3]] == ["proved"] * 3
    # wrong, but under a condition the engine's witness need not satisfy: never refuted, never proved
    assert out[3][0] == "inconclusive"


def test_two_cases_of_one_definition_are_not_an_equality(tmp_path):
    notes = tmp_path / "n.md"
    notes.write_text("$$E(X) = \\sum_{i=1}^{n} X_i P(X_i) \\text{ for discrete variable}$$\n\n"
                     "$$= \\sum_{i=1}^{n} X_i \\text{ for continuous variable}$$\n", encoding="utf-8")
    (tmp_path / "n.verify.toml").write_text(_DISCRETE, encoding="utf-8")
    run = run_notes(notes, load_context(tmp_path / "n.verify.toml"), seed=7, timeout=20)
    assert [s.status for s in run.steps] == ["checked by the engine", "not an equation"]
    assert "two cases" in run.steps[1].reason


def test_without_declared_values_the_x_i_are_not_values_of_x(tmp_path):
    out = verdicts(tmp_path, [r"E(X) = \sum_{i=1}^{n} X_i P(X_i)"], _DISCRETE.replace('values = { X = "i = 1..n" }\n', ""))
    assert out[0][0] != "proved"


def test_the_joint_model_agrees_with_real_distributions_on_random_identities():
    # Soundness of the proof side: whenever the joint model makes two random products of
    # probabilities equal, they are equal under real distributions (exact tables); whenever they
    # differ under a table, the model never makes them equal. 300 seeded pairs over x, y, z.
    import random as _random

    rng = _random.Random(11)
    names = sp.symbols("x y z")

    def term():
        events = rng.sample(names, rng.randint(1, 2))
        given = [n for n in rng.sample(names, rng.randint(0, 1)) if n not in events]
        f = sp.Function(f"P_given{len(given)}" if given else "Pr")
        return f(*events, *given)

    def factors():
        return [(term(), rng.random() < 0.7) for _ in range(rng.randint(1, 3))]

    def product(fs):
        return sp.Mul(*[t if up else 1 / t for t, up in fs])

    def same(fs):
        """The same product written otherwise: P(e|g) as P(e, g)/P(g), a joint's events swapped."""
        out = []
        for t, up in fs:
            if type(t).__name__ == "P_given1":
                t = sp.Function("Pr")(*t.args) / sp.Function("Pr")(t.args[-1])
            elif len(t.args) == 2:
                t = sp.Function("Pr")(*reversed(t.args))
            out.append((t, up))
        return out

    agreed = differed = 0
    for n in range(300):
        fs = factors()
        a = joint_model(product(fs), {"P"})
        b = joint_model(product(same(fs) if n % 3 == 0 else factors()), {"P"})
        equal_in_model = sp.cancel(sp.together(a - b)) == 0
        w = concrete_witness(a, b, "=", [], seed=rng.randrange(10**6))
        assert not (equal_in_model and w is not None), (a, b, w)
        if n % 3 == 0:
            assert equal_in_model, (a, b)  # the same product written otherwise: the model proves it
        agreed += equal_in_model
        differed += w is not None
    assert agreed >= 100 and differed >= 150  # both sides of the property were exercised (measured: 102, 198)


def test_a_line_opening_with_a_parametrized_or_indexed_probability_is_a_claim(tmp_path):
    # P(k; n, p) and P_k(x) are probabilities too (written P_with2, P_idx by the parser): a line
    # that opens with one states something, never defines a name
    from verifier.notes.chains import plan

    notes = tmp_path / "n.md"
    notes.write_text("$$P(k; n, p) = p^k$$\n\n$$P_{k}(x) = 2 x$$\n", encoding="utf-8")
    (tmp_path / "n.verify.toml").write_text("", encoding="utf-8")
    steps = plan(notes, load_context(tmp_path / "n.verify.toml")).steps
    assert [s.status for s in steps] == ["checked by the engine"] * 2
