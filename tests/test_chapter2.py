"""Chapter 2 (naive Bayes, perceptron, gradient descent): the verdict of every claim and every erratum."""
import pytest

from conftest import assert_verdict

EXPECTED = {
    # 2.1 naive Bayes
    "2.1": "proved",
    "2.2": "proved",
    "2.3:order": "proved",
    "2.3:argmax": "checked",  # random probability tables, exact arithmetic per table
    "2.4:maximum": "checked",  # random data sets against random rival parameters
    "2.5": "refuted",  # Π_{i=1}^N θ_k^{N_k} for Π_{k=1}^K θ_k^{N_k}
    "2.6": "proved",  # L(θ^k; …): notation only
    "2.7": "refuted",  # Σ_{i=1}^N N_k ln θ_k for Σ_{k=1}^K N_k ln θ_k
    "2.8": "refuted",  # the same sum inside the Lagrangian
    **{f"2.9:K{K}": "proved" for K in range(2, 7)},
    **{f"2.9:concave-K{K}": "proved" for K in range(2, 7)},
    "2.4:log-likelihood": "proved",
    "2.4:likelihood": "proved",
    "2.4:likelihood-concave": "proved",
    # 2.2 perceptron
    "xor:no-separator": "proved",
    "xor:perceptron": "checked",
    "2.10:normal": "proved",
    "2.12:nearest-point": "proved",
    "2.12:convex": "proved",
    "2.12:distance": "proved",
    "2.13:sign": "proved",
    "2.13:total": "proved",
    "2.14:scale": "proved",
    "2.14:positive": "proved",
    "2.15:zeros": "checked",
    "2.15:minimizers": "refuted",  # (w, b) = (0, 0) has L = 0 and misclassifies every y = −1 point
    "2.16:w": "proved",
    "2.16:b": "proved",
    "2.17:w": "refuted",  # \vec{x} for \vec{x_i}
    "2.17:b": "proved",
    "2.18:w": "refuted",  # the same update, repeated in step (c)
    "2.18:b": "proved",
    "2.19:w": "proved",
    "2.19:b": "proved",
    "2.20:condition": "refuted",  # \vec{x} for \vec{x_i} in the dual test
    "2.20:update": "proved",
    "2.20:model": "proved",
    "2.20:runs": "checked",
    "novikoff": "checked",
    # 2.3 gradient descent
    "2.21": "proved",
    "2.22": "proved",
    "2.23": "proved",
    "2.24": "proved",
    "2.24:descent": "checked",
}

_MARKS: dict = {}

# claim id → [(line, kind, correction verdict)] — every wrong line of Chapter 2.
ERRATA = {
    "2.5": [(2, "propagates", "proved")],
    "2.7": [(1, "propagates", "proved")],
    "2.8": [(1, "propagates", "proved")],
    "2.17:w": [(1, "propagates", "proved")],
    "2.18:w": [(1, "propagates", "proved")],
    "2.20:condition": [(1, "propagates", "proved")],
    "2.15:minimizers": [(0, "propagates", None)],  # a Property: the statement itself (line 0) is wrong
}

PROPERTIES = ["2.3:argmax", "2.4:maximum", "xor:perceptron", "2.15:zeros", "2.20:runs", "novikoff", "2.24:descent"]


@pytest.mark.parametrize("cid", [pytest.param(c, marks=_MARKS.get(c, ())) for c in sorted(EXPECTED)])
def test_verdict(results, cid):
    assert_verdict(results[cid], EXPECTED[cid])


def test_every_chapter2_claim_has_an_expected_verdict(catalog):
    ch2 = {cid for cid, c in catalog.items() if (c.section or "").startswith("2.")}
    assert ch2 == set(EXPECTED)


@pytest.mark.parametrize("cid", sorted(EXPECTED))
def test_errata_locations_kinds_and_corrections(results, cid):
    r = results[cid]
    assert [(e.step, e.kind, e.correction_verdict) for e in r.errata] == ERRATA.get(cid, [])
    for e in r.errata:
        assert e.section and e.equation == cid.split(":")[0]
        assert e.counterexample is not None and e.counterexample.values


def test_index_typos_are_refuted_exactly_at_the_free_index(results):
    # 2.5: a product of rationals, replayed exactly; the printed free index k is part of the witness.
    cx = results["2.5"].errata[0].counterexample
    assert cx.exact and "k" in dict(cx.values)
    # 2.7 and 2.8: logarithms, replayed at 50 digits.
    for cid in ("2.7", "2.8"):
        cx = results[cid].errata[0].counterexample
        assert not cx.exact and "k" in dict(cx.values)


def test_x_for_x_i_is_refuted_with_labels_plus_minus_one(results):
    for cid in ("2.17:w", "2.18:w", "2.20:condition"):
        cx = results[cid].errata[0].counterexample
        values = dict(cx.values)
        assert cx.exact
        labels = [v for k, v in values.items() if k.startswith("y_")]
        assert labels and set(labels) <= {"-1", "1"}
        assert any(k.startswith("x^(") for k in values)  # the printed generic \vec{x}


def test_every_other_line_of_the_refuted_claims_holds(results):
    for cid, errata in ERRATA.items():
        wrong = {step for step, _, _ in errata}
        assert all(s.verdict == "proved" for s in results[cid].steps if s.index not in wrong), cid


@pytest.mark.parametrize("cid", PROPERTIES)
def test_properties_say_what_was_run(results, cid):
    (step,) = results[cid].steps
    assert step.method == "property" and step.verdict == "checked"
    assert any(ch.isdigit() for ch in step.detail) and ("random" in step.detail or "runs" in step.detail)


def test_the_search_finds_the_degenerate_minimizer_of_2_15(results):
    import ast

    from derivations.checks.perceptron import f, loss

    r = results["2.15:minimizers"]
    (step,) = r.steps
    assert r.verdict == "refuted" and step.method == "search" and step.counterexample.exact
    values = dict(step.counterexample.values)
    assert (values["w"], values["b"], values["L(w, b)"]) == ("(0, 0)", "0", "0")
    # replayed here: (0, 0) has loss 0 on the shown data and misclassifies the shown point
    points, labels = ast.literal_eval(values["data"])
    x, y = ast.literal_eval(values["x_i"]), int(values["y_i"])
    assert loss((0, 0), 0, points, labels) == 0 and f((0, 0), 0, x) != y


def test_prior_mle_is_proved_for_every_class_count(results):
    for K in range(2, 7):
        assert results[f"2.9:K{K}"].verdict == "proved"
        assert results[f"2.9:concave-K{K}"].verdict == "proved"
        assert f"K = {K}" in results[f"2.9:K{K}"].scope


def test_first_order_remainder_is_a_limit(results):
    (step,) = results["2.21"].steps
    assert step.method.startswith("limit")


def test_novikoff_detail_states_the_bound(results):
    detail = results["novikoff"].steps[0].detail
    assert "(R/γ)²" in detail and "exactly" in detail
