"""Sections 3.1 and 3.2.1 (dense backpropagation): the verdict of every claim and every erratum,
as the engine decides them, and the numeric tier's power to catch a wrong gradient."""
import re

import numpy as np
import pytest

from conftest import assert_verdict

_SMALL = ("2-3-2", "3-4-2")  # the two 2-layer shapes
_DEEP = "2-3-3-2"  # the 3-layer shape (δ^l across two layers)
_OUT = ("2-3-2", "3-4-3")  # BP1 / 3.4 see only the output layer: n_L = 2 and 3
_NUM = "300-200-100"

EXPECTED = {
    # 3.1 / 3.2: the forward pass, element form and vector form (definitions; consistent)
    **{f"{eq}:{part}:{s}": "proved" for eq in ("3.1", "3.2") for part in ("z", "a") for s in _SMALL},
    # BP1 and its matrix form 3.4
    **{f"{eq}:{s}": "proved" for eq in ("BP1", "3.4") for s in _OUT},
    # BP2's last line sums over l where Σ_k is meant (its b^l_k for b^{l+1}_k is harmless)
    **{f"BP2:{s}": "refuted" for s in (*_SMALL, _DEEP)},
    **{f"3.5:{s}": "proved" for s in (*_SMALL, _DEEP)},
    **{f"{eq}:{s}": "proved" for eq in ("BP3", "BP4", "3.7") for s in _SMALL},
    # 3.6 prints ∂L/∂n^l for ∂L/∂w^l
    **{f"3.6:{s}": "refuted" for s in _SMALL},
    # FC-BP and 3.8, one claim per printed line
    **{f"{eq}:1:{s}": "proved" for eq in ("FC-BP", "3.8") for s in _OUT},
    **{f"{eq}:2:{s}": "proved" for eq in ("FC-BP", "3.8") for s in (*_SMALL, _DEEP)},
    **{f"{eq}:{n}:{s}": "proved" for eq in ("FC-BP", "3.8") for n in ("3", "4") for s in _SMALL},
    # any widths, any layer l (sums to symbolic widths); 3.6 prints ∂L/∂n^l at every size
    **{f"{eq}:any": "proved" for eq in ("BP1", "3.4", "BP2", "3.5", "BP3", "BP4", "3.7")},
    **{f"{eq}:{n}:any": "proved" for eq in ("FC-BP", "3.8") for n in ("1", "2", "3", "4")},
    "3.6:any": "refuted",
    # numeric tier: the oracle at 300→200→100 against central differences
    f"3.2:oracle:{_NUM}": "checked",
    **{f"3.3:oracle:{a}:{_NUM}": "checked" for a in ("sigmoid", "tanh")},
    **{f"3.8:oracle:{a}:{_NUM}": "checked" for a in ("sigmoid", "tanh")},
    **{f"3.8:oracle-entries:{a}:{_NUM}": "checked" for a in ("sigmoid", "tanh")},
}
ERRATA = {
    **{f"BP2:{s}": [(5, "propagates")] for s in (*_SMALL, _DEEP)},
    **{f"3.6:{s}": [(1, "isolated")] for s in (*_SMALL, "any")},
}


def _declared_here(c) -> bool:
    return c.source.replace("\\", "/").rsplit(":", 1)[0].endswith("derivations/backprop.py")


@pytest.mark.parametrize("cid", sorted(EXPECTED))
def test_verdict(results, cid):
    assert_verdict(results[cid], EXPECTED[cid])


def test_every_backprop_claim_has_an_expected_verdict(catalog):
    ids = {cid for cid, c in catalog.items() if _declared_here(c)}
    assert ids == set(EXPECTED)
    assert {catalog[cid].section for cid in ids} == {"3.1", "3.2.1"}
    labels = {catalog[cid].equation for cid in ids}
    assert labels == {"3.1", "3.2", "3.3", "BP1", "3.4", "BP2", "3.5", "BP3", "3.6", "BP4", "3.7", "FC-BP", "3.8"}


def test_uses_name_catalogue_claims(catalog):
    for cid in EXPECTED:
        assert set(catalog[cid].uses) <= set(catalog), cid


def test_scopes_name_the_sizes(catalog):
    for cid in EXPECTED:
        if cid.endswith(":any"):
            continue  # symbolic widths: test_any_width_claims_are_proved_for_every_width
        scope = catalog[cid].scope
        tag = re.search(r"(\d+(?:-\d+)+)$", cid).group(1)
        assert tag.replace("-", "→") in scope, (cid, scope)
        if catalog[cid].symbolic:
            assert "every differentiable σ and loss" in scope, (cid, scope)


def test_any_width_claims_are_proved_for_every_width(catalog, results):
    for cid in (c for c in EXPECTED if c.endswith(":any")):
        assert "any" in catalog[cid].scope and "every differentiable σ" in catalog[cid].scope, cid
        r = results[cid]
        wrong = {e.step for e in r.errata}
        for s in r.steps:
            if s.index in wrong:
                continue
            # every line at symbolic widths: no line settled size by size
            assert s.verdict == "proved" and not s.method.startswith("instances"), (cid, s.index, s.method, s.detail)
        assert any(s.method == "indexed" for s in r.steps) or r.errata, cid
    # the one wrong line at any width is refuted at the smallest widths, with a replayed witness
    (e,) = results["3.6:any"].errata
    values = dict(e.counterexample.values)
    assert e.counterexample.exact and values["r_j"] == "0" and values["r_k"] == "0"


def test_errata_are_exactly_the_wrong_lines(results):
    found = {cid: [(e.step, e.kind) for e in results[cid].errata] for cid in EXPECTED if results[cid].errata}
    assert found == ERRATA


@pytest.mark.parametrize("cid", sorted(ERRATA))
def test_errata_have_a_proved_correction_and_an_exact_counterexample(results, cid):
    (e,) = results[cid].errata
    assert e.correction_verdict == "proved"
    cx = e.counterexample
    assert cx.exact
    if not cid.endswith(":any"):  # at any width L enters through free upstream gradients, σ is not needed
        # σ and L are undefined: the witness instantiates them with concrete polynomials and says so
        assert "sigma(t) =" in cx.realization and "L(t1, t2) =" in cx.realization
    assert cx.lhs != cx.rhs


@pytest.mark.parametrize("size", [*_SMALL, _DEEP])
def test_bp2_every_line_but_the_sum_over_l_is_proved(results, size):
    r = results[f"BP2:{size}"]
    assert [(s.index, s.verdict) for s in r.steps] == [(1, "proved"), (2, "proved"), (3, "proved"), (4, "proved"), (5, "refuted")]
    # line 4 prints b^l_k where b^{l+1}_k belongs: ∂/∂z^l_j kills either, so the line holds
    assert r.steps[3].method == "structural"
    assert "z^1_{1}" in dict(r.errata[0].counterexample.values)


@pytest.mark.parametrize("size", _SMALL)
def test_3_6_derivative_by_n_is_zero_and_isolated(results, size):
    r = results[f"3.6:{size}"]
    (e,) = r.errata
    assert e.counterexample.rhs == "0"  # ∂L/∂n^l = 0: L does not depend on the undefined n^l
    assert "∂L/∂n^1_{11}" in e.as_written and "∂L/∂w^1_{11}" in e.corrected
    assert r.steps[1].verdict == "proved"  # δ^l (a^{l-1})^T follows from BP3 again


def test_symbolic_lines_are_proved_or_refuted_never_merely_checked(results, catalog):
    # Any sound strategy may prove a line; what matters is that every symbolic line is settled by proof or witness.
    for cid in EXPECTED:
        if catalog[cid].symbolic:
            for s in results[cid].steps:
                assert s.verdict in ("proved", "refuted"), (cid, s)


def test_numeric_claims_report_small_errors(results, catalog):
    for cid, verdict in EXPECTED.items():
        if verdict == "checked":
            assert not catalog[cid].symbolic
            for s in results[cid].steps:
                assert s.method == "numeric" and s.worst_error is not None and s.worst_error < 1e-4, (cid, s)


def _gradients_without_hidden_sigma_prime(weights, biases, x, y, activation, entries, **_):
    """A classic bug: BP2 without the factor σ'(z^l) — the gradient of layer 1 is wrong."""
    from derivations.reference import dense

    f, fprime = dense.ACTIVATIONS[activation]
    ws, bs, x2, y2, _ = dense._prepare(weights, biases, x, y)
    zs, acts = dense._forward2d(ws, bs, x2, f)
    d2 = (acts[-1] - y2) * fprime(zs[-1])
    d1 = d2 @ ws[1]  # missing ⊙ σ'(z^1)
    out = []
    for g, idx in zip((d1.T @ acts[0], d2.T @ acts[1], d1.sum(0), d2.sum(0)), entries):
        masked = np.zeros_like(g)
        masked.flat[idx] = g.flat[idx]
        out.append(masked)
    return tuple(out)


@pytest.fixture(scope="module")
def mutant_results():
    """The numeric tier run on two wrong gradients: BP2 without σ'(z^1), and ⟨∇L, v⟩ doubled."""
    from derivations.checks import backprop as checks
    from verifier import Claim, Numeric, verify

    def doubled(**kw):
        return 2 * checks.grad_directional(**kw)

    entries = Claim("mutant:entries", [Numeric(_gradients_without_hidden_sigma_prime), Numeric(checks.fd_entries)],
                    inputs=checks.inputs_entries("sigmoid"), rtol=checks.RTOL, atol=checks.ATOL)
    directions = Claim("mutant:directions", [Numeric(doubled), Numeric(checks.fd_directional)],
                       inputs=checks.inputs_directional("tanh"), rtol=checks.RTOL, atol=checks.ATOL)
    return [verify(c, seed=20190709) for c in (entries, directions)]


def test_numeric_tier_refutes_a_wrong_gradient_and_names_the_entry(mutant_results):
    entries, directions = mutant_results
    assert [s.verdict for s in entries.steps] == ["refuted"]
    where = dict(entries.steps[0].counterexample.values)["entry"]
    assert re.fullmatch(r"array [02]\[\d+(, \d+)?\]", where), where  # an entry of w^1 or b^1
    assert [s.verdict for s in directions.steps] == ["refuted"]


def test_a_refuted_numeric_line_refutes_its_claim_with_an_erratum(mutant_results):
    assert [r.verdict for r in mutant_results] == ["refuted", "refuted"]
    assert [[e.step for e in r.errata] for r in mutant_results] == [[1], [1]]


def test_the_stacked_forward_pass_matches_the_oracle_loss():
    from derivations import backprop
    from derivations.checks import backprop as checks

    data = checks.net_data(np.random.default_rng(0), "tanh", sizes=(5, 4, 3), batch=2)
    _, acts = checks.forward_stack(data["weights"], data["biases"], data["x"], "tanh")
    expected = backprop.loss(data["weights"], data["biases"], data["x"], data["y"], "tanh")
    assert checks.stack_loss(acts, data["y"])[0] == pytest.approx(expected, rel=1e-14)
