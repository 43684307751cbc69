"""Sections 3.3–3.4 (batch normalization, residual learning): the verdict of every claim and
every erratum, as the engine decides them."""
import pytest

from conftest import assert_verdict

EXPECTED = {
    # 3.3.1 covariate shift
    "3.16": "refuted",  # p_te(y) for P_te(x): the printed premise does not imply 3.18
    "3.17:tr": "proved",
    "3.17:te": "proved",
    "3.18": "checked",  # random joints in exact fractions: evidence, not a proof
    # 3.3.3 batch normalization
    "3.19:mean": "proved",
    "3.19:variance": "proved",
    "3.20:identity": "proved",
    "alg1:identity": "proved",
    "3.21:mean": "proved",  # every m ≥ 2 (sums to a symbolic m)
    # Exact up to its last line; "≈ 1" fails for a constant batch (σ_B² = 0: the ratio is 0).
    "3.21:variance": "refuted",
    "3.21:limit": "proved",  # the same ≈ 1 for σ_B² > 0, as ε → 0
    "3.22:gamma": "proved",  # every m ≥ 1
    "3.22:beta": "proved",
    "3.23:dxhat": "refuted",  # ∂L/∂σ² γ for ∂L/∂y_i γ
    "3.23:dvar": "proved",
    "3.23:dmu": "refuted",  # Σ_i missing on the first term
    "3.23:dx": "refuted",  # 2/(2m) for 2/m
    "3.24:mean": "proved",
    "3.24:variance": "refuted",  # n for the batch size m
    "3.24:bn": "proved",
    "3.24:bn-moments": "checked",  # ≈ γ² for generic moments; the zero set of σ² = E[X²] − E[X]² is not enumerated
    # the numpy reference implementation (numeric: checked at best)
    "alg1:numpy": "checked",
    "3.22:numpy": "checked",
    "3.23:numpy": "checked",
    "3.23:numpy-dx": "checked",
    # the notes' todos
    "linear-stack:3-4-2": "proved",
    "linear-stack:2-3-3-2": "proved",
    "whitening:pca": "proved",
    "whitening:zca": "proved",
    "whitening:zca-sqrt": "proved",
    "whitening:data": "checked",
    "residual:identity": "proved",
    "residual:jacobian": "proved",
}

ERRATA = {  # claim id -> [(line, kind)]
    "3.16": [(0, "propagates")],
    "3.21:variance": [(5, "propagates")],
    "3.23:dxhat": [(2, "propagates")],
    "3.23:dmu": [(1, "isolated")],
    "3.23:dx": [(2, "isolated")],
    "3.24:variance": [(1, "propagates")],
}


@pytest.mark.parametrize("cid", sorted(EXPECTED))
def test_verdict(results, cid):
    assert_verdict(results[cid], EXPECTED[cid])


def test_every_batchnorm_claim_has_an_expected_verdict(catalog):
    # the notes' todos in 3.3–3.4 (linear stacks, whitening, residual blocks) have a module of their own
    ours = {cid for cid in catalog if catalog.module(cid) in ("derivations.batchnorm", "derivations.todos")}
    assert ours == set(EXPECTED)


def test_errata_locations_and_kinds(results):
    found = {cid: [(e.step, e.kind) for e in r.errata] for cid, r in results.items() if cid in EXPECTED and r.errata}
    assert found == ERRATA


@pytest.mark.parametrize("cid", sorted(c for c in ERRATA if c not in ("3.16", "3.21:variance")))
def test_corrections_are_proved_and_counterexamples_exact(results, cid):
    (e,) = results[cid].errata
    assert e.corrected and e.correction_verdict == "proved"
    cx = e.counterexample
    assert cx.exact and cx.difference not in ("", "0")
    # every other line of the chain holds exactly
    assert all(s.verdict == "proved" for s in results[cid].steps if s.index != e.step)


def test_3_16_counterexample_found_by_the_search_is_an_unshifted_joint(results):
    (e,) = results["3.16"].errata
    (step,) = results["3.16"].steps
    values = dict(e.counterexample.values)
    assert e.step == 0 and e.counterexample.exact and step.method == "search"
    # a genuine counterexample: the printed premise holds (marginals of x and y differ) and the joints are equal
    assert values["P_tr(x,y)"] == values["P_te(x,y)"] and values["P_tr(x)"] != values["p_te(y)"]
    assert e.corrected is None  # a statement takes no correction: the corrected premise is claim 3.18


def test_3_23_blocks_hold_for_every_batch_size(catalog, results):
    for block in ("dxhat", "dvar", "dmu", "dx"):
        r = results[f"3.23:{block}"]
        assert "every batch size m ≥ 2" in catalog[f"3.23:{block}"].scope
        wrong = {e.step for e in r.errata}
        for s in r.steps:
            if s.index in wrong:
                assert "m = 2" in s.detail  # refuted at the smallest batch, with a replayed witness
            else:
                # proved at symbolic m, never size by size
                assert s.verdict == "proved" and s.method == "indexed" and "every m ≥ 2" in s.detail, (block, s.index, s.detail)
    # the decisive link: the chain rule's first line against sympy.diff of L(x), every m ≥ 2
    first = results["3.23:dx"].steps[0]
    assert first.index == 1 and first.verdict == "proved" and "Kronecker delta" in first.detail


def test_3_23_errata_are_isolated_where_the_notes_recover(results):
    # 2/(2m): the notes' final line has 2/m again, and the missing Σ_i is back on the next line
    dx, dmu = results["3.23:dx"], results["3.23:dmu"]
    assert [s.verdict for s in dx.steps] == ["proved", "refuted", "proved"]
    assert [s.verdict for s in dmu.steps] == ["refuted", "proved", "proved"]
    # ∂L/∂x̂_i = ∂L/∂σ² γ is the block's last line: nothing after it to recover
    assert [s.verdict for s in results["3.23:dxhat"].steps] == ["proved", "refuted"]


def test_3_24_variance_uses_the_chapter_1_proof_and_fails_only_for_n_not_m(results):
    r = results["3.24:variance"]
    assert "1.17:variance" in r.uses and results["1.17:variance"].verdict == "refuted"
    assert results["1.17:variance"].errata and all(e.kind == "isolated" for e in results["1.17:variance"].errata)
    values = dict(r.errata[0].counterexample.values)
    assert values["n"] != values["m"]
    assert r.errata[0].corrected == "m*E[σ_B²]/(m - 1)"


def test_3_21_states_what_is_exact_and_what_is_approximate(results):
    mean, var = results["3.21:mean"], results["3.21:variance"]
    *exact, approx = var.steps
    assert all(s.verdict == "proved" for s in (*mean.steps, *exact))
    assert all("limit" not in s.method for s in exact)
    assert all(s.method in ("indexed", "structural") for s in exact)  # every m ≥ 2, none size by size
    assert any("every m ≥ 2" in s.detail for s in exact)
    # ≈ 1 holds only as ε → 0 and only when σ_B² > 0: a constant batch is the counterexample.
    assert approx.verdict == "refuted"
    values = dict(var.errata[0].counterexample.values)
    assert values["x_1"] == values["x_2"] and values["limit"] == "epsilon → 0⁺"  # ε > 0: the limit is from inside its domain
    assert (var.errata[0].counterexample.lhs, var.errata[0].counterexample.rhs) == ("0", "1")
    # Where it holds (σ_B² > 0) the ≈ is proved by the limit strategy.
    limit = results["3.21:limit"]
    assert limit.verdict == "proved" and limit.steps[0].method.startswith("limit"), limit.steps


def test_numeric_claims_cover_large_batches(catalog, results):
    for cid in ("alg1:numpy", "3.22:numpy", "3.23:numpy", "3.23:numpy-dx"):
        assert "4096" in catalog[cid].scope and "256 features" in catalog[cid].scope
        assert all(s.verdict == "checked" and s.method == "numeric" for s in results[cid].steps)
