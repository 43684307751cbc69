"""The context sidecar: where it is found, what it says, and one clear message for a bad one."""
from pathlib import Path

import pytest

from verifier.notes.context import ContextError, find_context, load_context


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "n.verify.toml"
    p.write_text(text, encoding="utf-8")
    return p


def planned_claims(tmp_path: Path, displays: list[str], context: str) -> list:
    """The claims `verify notes` builds from these display lines (each its own $$ block) and context."""
    from verifier.notes.chains import plan

    notes = tmp_path / "n.md"
    notes.write_text("\n\n".join(f"$${d}$$" for d in displays) + "\n", encoding="utf-8")
    return plan(notes, load_context(write(tmp_path, context))).claims


def test_lookup_order_explicit_then_beside_then_project(tmp_path):
    notes = tmp_path / "n.md"
    notes.write_text("$$a = a$$", encoding="utf-8")
    project = tmp_path / "contexts"
    project.mkdir()
    (project / "n.verify.toml").write_text("", encoding="utf-8")
    assert find_context(notes, None, project) == project / "n.verify.toml"
    beside = write(tmp_path, "")
    assert find_context(notes, None, project) == beside
    other = tmp_path / "other.toml"
    other.write_text("", encoding="utf-8")
    assert find_context(notes, str(other), project) == other
    with pytest.raises(ContextError, match="not found"):
        find_context(notes, str(tmp_path / "missing.toml"), project)


def test_scopes_merge_by_section_and_label(tmp_path):
    ctx = load_context(write(tmp_path, '''
[notation]
functions = ["sigma"]
[domains]
p = "(0, 1)"
[[scope]]
sections = ["1.1"]
[scope.random]
X = "Bernoulli(p)"
[[scope]]
labels = ["2.3"]
[scope.notation]
functions = ["f"]
'''))
    assert ctx.for_chain("1.1.2", None).random == {"X": "Bernoulli(p)"}
    assert ctx.for_chain("1.2", None).random == {}
    assert ctx.for_chain("9", "2.3").notation["functions"] == ["sigma", "f"]
    assert ctx.for_chain("9", None).domains == {"p": "(0, 1)"}


@pytest.mark.parametrize("text, message", [
    ("[notation\n", "is not valid TOML"),
    ("[colours]\nred = 1", "unknown key 'colours'"),
    ('[notation]\nfunctions = "sigma"', "must be a list of names"),
    ('[notation]\nshape = ["x"]', "unknown notation key 'shape'"),
    ('[domains]\np = "zero to one"', "is not a domain"),
    ('[random]\nX = "Cauchy(1)"', "is not a distribution"),
    ('[ranges]\nk = "1 to K"', "is not a range"),
    ('[[scope]]\n[scope.random]\nX = "Generic"', "names no sections and no labels"),
    ('[notation]\nstar = "outer"', "must be"),
    ('[notation]\naverage = "over the batch"', "must be an index and its range"),
    ('[notation]\nmember = "i"', "must be an index and a positive whole number"),
])
def test_a_malformed_context_is_one_clear_message(tmp_path, text, message):
    with pytest.raises(ContextError, match=message) as info:
        load_context(write(tmp_path, text))
    assert str(tmp_path) in str(info.value) and info.value.hint


def test_a_derivative_the_context_computes_opens_a_claim_not_a_definition(tmp_path):
    # ∂ℒ/∂b_j with ℒ = Σ_j g_j b_j reads as g_j: a bare name after parsing, yet the line states a
    # derivative, so it is checked; δ_j = … on a line of its own is still a definition
    from verifier.notes.chains import plan

    notes = tmp_path / "n.md"
    notes.write_text("$$\\frac{\\partial \\mathcal{L}}{\\partial b_j} = g_j$$\n\n$$\\delta_j = 2 g_j$$\n", encoding="utf-8")
    ctx = load_context(write(tmp_path, '[notation]\nopaque = ["ℒ"]\n[ranges]\nj = "1..J"\n'
                                       '[where]\n"\\\\mathcal{L}" = "\\\\sum_{j} g_j b_j"\n'))
    steps = plan(notes, ctx).steps
    assert [s.status for s in steps] == ["checked by the engine", "definition"]


def test_a_line_that_opens_with_a_probability_is_a_claim_not_a_definition(tmp_path):
    # Bayes' rule, right or wrong, used to be read as the line defining P(θ|x): a wrong one passed
    # unseen as a definition. A probability is the model's, never a name a line defines.
    from verifier.notes.chains import plan

    notes = tmp_path / "n.md"
    notes.write_text("$$P(\\theta|x) = \\frac{P(x|\\theta)P(\\theta)}{P(x)}$$\n\n"
                     "$$P(\\theta|x) = \\frac{P(x|\\theta)P(x)}{P(\\theta)}$$\n\n$$f(x) = 2 x$$\n", encoding="utf-8")
    steps = plan(notes, load_context(write(tmp_path, '[notation]\nfunctions = ["f"]\n'))).steps
    assert [s.status for s in steps][:2] == ["checked by the engine"] * 2
    assert steps[2].status == "definition"  # f(x) = 2x still defines f


def test_the_line_a_where_entry_is_taken_from_is_a_definition_a_restatement_is_checked(tmp_path):
    # the context's x̄ = (a + b)/2 is the notes' first line: checked against itself it would decide
    # nothing; the same definition restated later (as CONV-BP2 restates 3.11) is checked
    from verifier.notes.chains import plan

    notes = tmp_path / "n.md"
    notes.write_text("$$\\bar{x} = \\frac{a + b}{2}$$\n\n$$\\bar{x} = \\frac{a + b}{2}$$\n", encoding="utf-8")
    ctx = load_context(write(tmp_path, '[where]\n"\\\\bar{x}" = "\\\\frac{a + b}{2}"\n'))
    assert [s.status for s in plan(notes, ctx).steps] == ["definition", "checked by the engine"]


def test_a_member_index_is_checked_at_that_member_and_its_witness_is_a_real_batch(tmp_path):
    # y_i = x_i - the batch mean: with i a symbol of its own, x_i would be a value beside x_1 … x_m;
    # at i = 1 the line is about the batch itself, and the sum's own i stays bound
    import sympy as sp

    from verifier import verify
    from verifier.notes.chains import plan

    notes = tmp_path / "n.md"
    notes.write_text("$$x_i - \\frac{1}{m} \\sum_{i=1}^{m} x_i = \\frac{m-1}{m} x_i$$\n", encoding="utf-8")
    ctx = load_context(write(tmp_path, '[notation]\nintegers = ["i", "m"]\nmember = "i = 1"\n[domains]\nm = "integer (1, 3)"\n'
                                       '[random]\nx_i = "Generic"\n'))
    (claim,) = plan(notes, ctx).claims
    assert "i = 1" in claim.scope
    i = sp.Symbol("i", integer=True)
    assert all(i not in s.expr.free_symbols for s in claim.steps)
    result = verify(claim)
    assert result.verdict == "refuted"  # (m-1)/m x_1 is not x_1 - mean unless the others are 0
    witness = dict(result.steps[0].counterexample.values)
    assert "x_i" not in witness and {"x_1", "x_2"} <= set(witness)


def test_entries_with_a_domain_are_data_each_entry_a_value_in_it(tmp_path):
    # 2.7 as printed, Σ_{i=1}^N N_k ln θ_k, against the likelihood Π_k θ_k^{N_k} with N = Σ_k N_k:
    # θ_k in (0, 1) and N_k ≥ 0 counts declared under [domains] by entry, so the witness is a real
    # data set (N the sum of its counts, each θ_k a probability); the corrected line is proved
    import sympy as sp

    from verifier import verify

    context = ('[notation]\nintegers = ["i", "k", "K", "N"]\nmember = "k = 1"\nwords = ["Ltheta"]\n'
               'names = { "L(\\\\theta_k)" = "Ltheta" }\n'
               '[domains]\ntheta_k = "(0, 1)"\nN_k = "integer (0, oo)"\n'
               '[where]\nN = "\\\\sum_{k=1}^{K} N_k"\n"L(\\\\theta_k)" = "\\\\prod_{k=1}^{K} \\\\theta_k^{N_k}"\n')
    wrong, right = planned_claims(tmp_path, ["\\ln(L(\\theta_k)) = \\sum_{i=1}^{N} N_k \\ln \\theta_k",
                                             "\\ln(L(\\theta_k)) = \\sum_{k=1}^{K} N_k \\ln \\theta_k"], context)
    result = verify(wrong)
    assert result.verdict == "refuted"
    witness = dict(result.steps[0].counterexample.values)
    theta = [v for k, v in witness.items() if k.startswith("theta_")]
    assert theta and all(0 < sp.Rational(v) < 1 for v in theta), witness
    assert verify(right).verdict in ("proved", "checked")  # checked size by size: K is unbounded


def test_data_entries_at_a_symbolic_index_are_the_entries_at_its_values():
    # θ[k] beside θ[1]: at k = 1 they are one entry, so no value may be drawn for θ[k] alone. With k
    # in {1, 2}, θ[k] is [k = 1] θ_1 + [k = 2] θ_2 (a witness is at k = 2); with k unbounded, undecided
    import sympy as sp

    from verifier import Claim, verify

    theta = sp.IndexedBase("theta")
    k = sp.Symbol("k", integer=True)
    result = verify(Claim("t", [theta[k] + theta[1], 2 * theta[1]], domain={theta.label: (0, 1), k: range(1, 3)}))
    assert result.verdict == "refuted", result.steps
    witness = dict(result.steps[0].counterexample.values)
    assert witness["k"] == "2" and witness["theta_1"] != witness["theta_2"]
    assert verify(Claim("t", [theta[k] + theta[1], theta[1] + theta[k]], domain={theta.label: (0, 1), k: range(1, 3)})).verdict == "proved"
    result = verify(Claim("t", [theta[k] + theta[1], 2 * theta[1]], domain={theta.label: (0, 1), k: (1, sp.oo)}))
    assert result.verdict == "inconclusive", result.steps
    assert verify(Claim("t", [sp.log(theta[1] ** 2), 2 * sp.log(theta[1])], domain={theta.label: (0, 1)})).verdict == "proved"
    wrong = verify(Claim("t", [sp.log(theta[1] ** 2), 3 * sp.log(theta[1])], domain={theta.label: (0, 1)}))
    assert wrong.verdict == "refuted" and 0 < sp.Rational(dict(wrong.steps[0].counterexample.values)["theta_1"]) < 1


def test_an_indicator_and_a_named_entry_make_2_5_a_claim_about_data(tmp_path):
    # I(y_i = k) is the Kronecker δ; "P(y_i)" named as an entry Py_i with P(y_i) = θ_{y_i}; labels y_i
    # in {1, 2}: Π_i P(y_i) = Π_i θ_k^{N_k} (2.5 as printed) is refuted with one label of class 2
    import sympy as sp

    from verifier import verify

    context = ('[notation]\nintegers = ["i", "k", "N"]\nmember = "k = 1"\nindicators = ["I"]\n'
               'names = { "P(y_i)" = "Py_i" }\n'
               '[domains]\ntheta_k = "(0, 1)"\ny_i = "integer (1, 2)"\nN = "integer (1, 3)"\n'
               '[where]\n"P(y_i)" = "\\\\theta_{y_i}"\nN_k = "\\\\sum_{i=1}^{N} I(y_i = k)"\n')
    wrong, right = planned_claims(tmp_path, ["\\prod_{i=1}^{N} P(y_i) = \\prod_{i=1}^{N} \\theta_k^{N_k}",
                                             "\\prod_{i=1}^{N} P(y_i) = \\prod_{k=1}^{2} \\theta_k^{N_k}"], context)
    assert any(isinstance(a, sp.KroneckerDelta) for s in wrong.steps for a in sp.preorder_traversal(s.expr))
    result = verify(wrong)
    assert result.verdict == "refuted"
    witness = dict(result.steps[0].counterexample.values)
    assert witness["y_1"] in ("1", "2") and 0 < sp.Rational(witness["theta_2"]) < 1, witness
    assert verify(right).verdict == "proved"
