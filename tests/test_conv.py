"""Section 3.2.2 (backpropagation through a conv layer): the verdict of every claim and every
erratum, as the engine decides them."""
import re

import numpy as np
import pytest

from conftest import assert_verdict

EXPECTED = {
    # forward pass: 3.9 element form = 3.10 matrix form (* = valid cross-correlation)
    "3.9:64x64-5x5": "checked",
    "3.9:batched": "checked",
    "3.10:z": "proved",
    "3.10:a": "proved",
    "3.11": "proved",
    # lines 3 and 4 print δ^{i+1} for δ^{l+1}
    "CONV-BP2": "refuted",
    # the example drops the factor σ'(z^l_11)
    "3.12:example": "refuted",
    "3.12:indices": "proved",
    "3.14:5x5-3x3": "proved",
    "3.14:64x64-5x5": "checked",
    "CONV-BP3": "proved",
    "CONV-BP4": "proved",
    "CONV-BP:delta": "proved",
    "CONV-BP:w": "proved",
    "CONV-BP:b": "proved",
    "3.15:delta": "proved",
    "3.15:w": "proved",
    # ∂L/∂b^l = Σ_{i,j} b^l should be Σ_{i,j} δ^l_ij
    "3.15:b": "refuted",
    "3.15:64x64-5x5": "checked",
    "3.15:batched": "checked",
    # any map and kernel size (sums to symbolic sizes); δ^l from δ^{l+1} stays at concrete sizes
    "CONV-BP3:any": "proved",
    "CONV-BP4:any": "proved",
    "CONV-BP:w:any": "proved",
    "CONV-BP:b:any": "proved",
    "3.15:w:any": "proved",
    "3.15:b:any": "refuted",
}


@pytest.mark.parametrize("cid", sorted(EXPECTED))
def test_verdict(results, cid):
    assert_verdict(results[cid], EXPECTED[cid])


def test_every_conv_claim_has_an_expected_verdict(catalog):
    ids = {cid for cid, c in catalog.items() if c.source.replace("\\", "/").rsplit(":", 1)[0].endswith("derivations/conv.py")}
    assert ids == set(EXPECTED)
    assert all(catalog[cid].section == "3.2.2" for cid in ids)


def test_scopes_name_the_sizes(catalog):
    for cid in EXPECTED:
        scope = catalog[cid].scope
        if cid.endswith(":any"):
            assert "any output size H' × W'" in scope and "kernel k_h × k_w" in scope, (cid, scope)
            continue
        assert re.search(r"\d+×\d+", scope), (cid, scope)
        if catalog[cid].symbolic and "σ" in catalog[cid].title + scope:
            assert "every differentiable σ" in scope or "every σ" in scope, (cid, scope)
    for cid in ("3.9:64x64-5x5", "3.14:64x64-5x5", "3.15:64x64-5x5", "3.15:batched"):
        assert "64×64" in catalog[cid].scope and "5×5" in catalog[cid].scope


def test_proved_claims_are_proved_on_every_line(results, catalog):
    # Any sound strategy may prove a line: the verdict is pinned, not the strategy's name.
    for cid, verdict in EXPECTED.items():
        if verdict == "proved":
            assert catalog[cid].symbolic and all(s.verdict == "proved" for s in results[cid].steps), cid


def test_any_size_claims_are_proved_at_symbolic_sizes(results):
    for cid in (c for c in EXPECTED if c.endswith(":any")):
        r = results[cid]
        wrong = {e.step for e in r.errata}
        assert all(s.verdict == "proved" and not s.method.startswith("instances") for s in r.steps if s.index not in wrong), cid
    # Σ b^l for Σ δ^l at any size: refuted at the smallest sizes, the correction proved for every size
    (e,) = results["3.15:b:any"].errata
    values = dict(e.counterexample.values)
    assert e.counterexample.exact and values["H'"] == "1" and values["W'"] == "1" and e.correction_verdict == "proved"


def test_numeric_checks_report_their_tolerance(results):
    for cid, verdict in EXPECTED.items():
        if verdict == "checked":
            (step,) = results[cid].steps
            assert step.method == "numeric" and "agrees entrywise" in step.detail and "rtol=" in step.detail, cid


# ------------------------------------------------------------------------------------- errata


def _values(erratum):
    return dict(erratum.counterexample.values)


def test_conv_bp2_delta_i_plus_1(results):
    """Line 3 writes δ^{i+1}_mn: at (i, j) = (2, 2) in layer l = 3 that is δ^l, not δ^{l+1}."""
    r = results["CONV-BP2"]
    assert [s.verdict for s in r.steps[:2]] == ["proved", "proved"]  # δ^l_ij = ∂L/∂z^l_ij = chain rule
    first = r.errata[0]
    assert (first.step, first.kind) == (3, "isolated")  # line 4 repeats the typo; line 5 is right again
    assert first.as_written.startswith("delta^{i+1}_11*Derivative(z^{l+1}_11, z^l_22)")
    assert first.corrected.startswith("delta^{l+1}_11*Derivative(z^{l+1}_11, z^l_22)")
    assert first.correction_verdict == "proved"
    cx = first.counterexample
    assert cx.exact and "sigma(t) =" in cx.realization and "L(t1" in cx.realization
    assert {"z^l_22", "w^{l+1}_11", "b^{l+1}"} <= set(_values(first))
    assert cx.lhs != cx.rhs


def test_conv_bp2_errata_are_lines_3_and_4(results):
    """The two δ^{i+1} lines are each wrong; the chain recovers at line 5 (the correct result)."""
    r = results["CONV-BP2"]
    assert [(e.step, e.kind) for e in r.errata] == [(3, "isolated"), (4, "isolated")]
    assert all(e.correction_verdict == "proved" for e in r.errata)
    assert r.steps[-1].verdict == "proved"  # line 5 follows from line 2


def test_3_12_example_drops_sigma_prime(results):
    r = results["3.12:example"]
    (e,) = r.errata
    assert (e.step, e.kind) == (1, "propagates")  # the example is the last line
    assert "delta^{l+1}_{-1,-1}*w^{l+1}_33" in e.as_written and "delta^{l+1}_{1,1}*w^{l+1}_11" in e.as_written
    assert "Derivative(sigma(z^l_11), z^l_11)" in e.corrected
    assert e.correction_verdict == "proved"
    assert e.counterexample.exact and "sigma(t) =" in e.counterexample.realization


def test_3_12_index_pattern_matches_conv_bp2(results):
    """δ_{-1,-1} next to w_{3,3} … δ_{1,1} next to w_{1,1} is w_{i+1-m, j+1-n} at i = j = 1."""
    assert results["3.12:indices"].verdict == "proved"


def test_3_15_bias_sums_b_instead_of_delta(results):
    r = results["3.15:b"]
    (e,) = r.errata
    assert (e.step, e.kind) == (1, "propagates")
    assert e.as_written == "Sum(b^l, (i, 1, 3), (j, 1, 3))"
    assert e.corrected.startswith("delta^l_11 + delta^l_12")
    assert e.correction_verdict == "proved"
    cx = e.counterexample
    assert cx.exact and cx.rhs == str(9 * int(_values(e)["b^l"]))  # Σ over the 3×3 entries of z^l
    assert cx.lhs != cx.rhs


def test_only_these_lines_are_wrong(results):
    wrong = {(cid, e.step) for cid in EXPECTED for e in results[cid].errata}
    assert wrong == {("CONV-BP2", 3), ("CONV-BP2", 4), ("3.12:example", 1), ("3.15:b", 1), ("3.15:b:any", 1)}


def test_errata_view_lists_location_as_written_corrected_counterexample(results):
    from verifier.report import render
    from verifier.results import Summary

    chosen = [results[c] for c in ("CONV-BP2", "3.12:example", "3.15:b")]
    text = render("table", "errata", chosen, Summary.of(chosen, 0.0, 20190709), width=200)
    for needle in ("CONV-BP2, line 3 (§3.2.2, eq. CONV-BP2)", "3.12:example, line 1 (§3.2.2, eq. 3.12)",
                   "3.15:b, line 1 (§3.2.2, eq. 3.15)", "as written:", "corrected:", "previous line =",
                   "this line     =", "verify show 3.15:b --seed 20190709"):
        assert needle in text, needle


# ------------------------------------------------------------------------- the numeric checks


def _wrong_chain(fd, formula, inputs):
    from derivations.checks import conv as checks
    from verifier import Claim, Numeric

    return Claim("conv:mutant", [Numeric(fd), Numeric(formula)], inputs=inputs, rtol=checks.RTOL, atol=checks.ATOL)


def _mutants():
    from derivations import conv
    from derivations.checks import conv as checks
    from derivations.reference.common import sigmoid

    def no_sigma_prime(a, w, b, probes):
        return checks.project(conv.convolve_full(np.tanh(conv.forward(sigmoid(a), w, b)), conv.rot180(w)), probes)

    def not_flipped(a, w, b, probes):
        s = sigmoid(a)
        return checks.project(conv.convolve_full(np.tanh(conv.forward(s, w, b)), w) * s * (1 - s), probes)

    def dw_transposed(a, w, b, probes):
        dw, db, da = checks.backward_315(a, w, b, probes)
        return dw.T, db, da

    return {
        "σ' dropped": (checks.fd_314, no_sigma_prime, checks.single_inputs),
        "kernel not flipped": (checks.fd_314, not_flipped, checks.single_inputs),
        "∂L/∂w transposed": (checks.fd_315, dw_transposed, checks.single_inputs),
    }


@pytest.mark.parametrize("name", ["σ' dropped", "kernel not flipped", "∂L/∂w transposed"])
def test_finite_differences_catch_a_wrong_formula(name):
    from verifier import verify

    r = verify(_wrong_chain(*_mutants()[name]), seed=20190709)
    (step,) = r.steps
    assert step.verdict == "refuted" and "entry = " in step.detail, step.detail


def test_a_refuted_numeric_chain_is_refuted_with_its_worst_entry():
    from verifier import verify

    r = verify(_wrong_chain(*_mutants()["σ' dropped"]), seed=20190709)
    assert r.verdict == "refuted"
    (e,) = r.errata
    assert e.step == 1 and dict(e.counterexample.values)["entry"].startswith("[")


def test_reference_full_mode_is_scipy_correlate2d_full():
    """convolve_full(d, k) is the notes' * of 3.14: scipy.signal.correlate2d(d, k, 'full')."""
    from derivations.conv import convolve_full, cross_correlate_valid

    rng = np.random.default_rng(0)
    d, k, a = rng.normal(size=(4, 5)), rng.normal(size=(2, 3)), rng.normal(size=(6, 7))
    H, W = d.shape
    r, c = k.shape
    want = np.zeros((H + r - 1, W + c - 1))
    for p in range(r):  # scatter form: entry (i, j) of d lands on (i + r-1-p, j + c-1-q) with k[p, q]
        for q in range(c):
            want[r - 1 - p : r - 1 - p + H, c - 1 - q : c - 1 - q + W] += k[p, q] * d
    np.testing.assert_allclose(convolve_full(d, k), want, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(cross_correlate_valid(a, k)[0, 0], (a[:2, :3] * k).sum(), rtol=1e-13)
