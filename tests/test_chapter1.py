"""Chapter 1: the verdict of every claim and every erratum, as the engine decides them."""
import pytest

from conftest import assert_verdict

EXPECTED = {
    "1.3": "proved",
    "1.5:mean": "proved",
    "1.5:second-moment": "proved",
    "1.5:variance": "proved",
    "1.7:mean": "proved",
    "1.7:variance": "proved",
    # Sums of the binomial pmf to a symbolic n: the binomial theorem, differentiated (every n ≥ 1).
    "1.7:mean-from-pmf": "proved",
    "1.7:variance-from-pmf": "proved",
    "1.9:mean": "proved",
    "1.9:second-moment": "proved",
    "1.9:variance": "proved",
    "1.9:taylor": "proved",
    "1.11:mean": "proved",
    "1.11:second-moment": "proved",
    "1.11:variance": "proved",
    "1.12:density": "proved",
    "1.12:mean": "proved",
    "1.12:variance": "proved",
    "1.14:mean": "proved",
    "1.14:variance": "proved",
    "beta:mean": "proved",
    "beta:variance": "proved",
    "1.17:mean": "proved",
    "1.17:variance": "refuted",
}


@pytest.mark.parametrize("cid", sorted(EXPECTED))
def test_verdict(results, cid):
    assert_verdict(results[cid], EXPECTED[cid])


def test_every_chapter1_claim_has_an_expected_verdict(catalog):
    ch1 = {cid for cid, c in catalog.items() if (c.section or "").startswith("1.")}
    assert ch1 == set(EXPECTED)


def test_pmf_claims_are_proved_for_every_n(catalog, results):
    for cid in ("1.7:mean-from-pmf", "1.7:variance-from-pmf"):
        assert "every n ≥ 1" in catalog[cid].scope
        sums = [s for s in results[cid].steps if s.method == "indexed"]
        # every line with a sum to n is proved at symbolic n, none size by size
        assert sums and all(s.verdict == "proved" and "binomial theorem" in s.detail and "n ≥ 1" in s.detail for s in sums)
        assert not any(s.method.startswith("instances") for s in results[cid].steps)


def test_1_17_variance_errata(results):
    r = results["1.17:variance"]
    assert [(e.step, e.kind) for e in r.errata] == [(3, "isolated"), (7, "isolated")]
    line3, line7 = r.errata
    # Line 3 leaves X̄² outside the expectation: a random quantity, refuted on a real distribution.
    assert line3.counterexample.exact
    values = dict(line3.counterexample.values)
    assert values["n"] == "2" and "X_1" in values
    assert "finite" in line3.counterexample.realization
    assert line3.correction_verdict == "proved"
    # Line 7 writes Var[X̄] as Var[X]; the correction Var[X]/n is proved for every n.
    assert line7.correction_verdict == "proved"
    assert line7.counterexample.rhs == "0"
    # Every other line is proved for every n (power sums of iid variables, not fixed sizes).
    others = [s for s in r.steps if s.index not in (3, 7)]
    assert all(s.verdict == "proved" for s in others)


def test_1_17_mean_is_proved_for_every_n(results):
    assert all(s.method == "structural" for s in results["1.17:mean"].steps)
