"""ForAll: the engine, not the claim, searches a family of cases for a counterexample."""
from fractions import Fraction

import pytest

from verifier import Claim, ClaimError, ForAll
from verifier.engine import verify
from verifier.numeric import FORALL_LIMIT, cases_in_order

SMALL_FIRST = [0, 1, -1, 2, -2, 3, -3]


def one(stmt: ForAll):
    result = verify(Claim("forall", [stmt]), seed=3, timeout=30)
    (line,) = result.steps
    return result, line


def test_the_smallest_counterexample_is_found_and_shown():
    result, line = one(ForAll(lambda a, b: (a + b) ** 2 == a**2 + b**2, {"a": SMALL_FIRST, "b": SMALL_FIRST}, label="(a+b)² = a² + b²"))
    assert (result.verdict, line.verdict, line.method) == ("refuted", "refuted", "search")
    assert dict(line.counterexample.values) == {"a": "1", "b": "1"}  # (0, ·) and (·, 0) hold; (1, 1) is the first failure
    assert line.counterexample.exact
    assert result.errata and result.errata[0].step == 0


def test_what_a_counterexample_shows_can_be_chosen():
    stmt = ForAll(lambda p: p * p != 2 * p, {"p": [Fraction(1, 2), Fraction(2), Fraction(3)]},
                  show=lambda p: {"p": p, "p²": p * p, "2p": 2 * p})
    _, line = one(stmt)
    assert dict(line.counterexample.values) == {"p": "2", "p²": "4", "2p": "4"}


def test_every_case_tried_is_checked_and_a_proof_only_when_the_cases_are_all_there_are():
    parity = lambda n: (n * (n + 1)) % 2 == 0  # noqa: E731
    _, line = one(ForAll(parity, {"n": list(range(100))}))
    assert line.verdict == "checked" and "all 100 cases" in line.detail
    _, line = one(ForAll(lambda x: x in (True, False), {"x": [True, False]}, complete=True))
    assert line.verdict == "proved"


def test_cases_outside_the_premise_are_not_counted():
    _, line = one(ForAll(lambda n: None if n % 2 else n % 2 == 0, {"n": list(range(10))}))
    assert line.verdict == "checked" and "all 5 cases that meet the premise" in line.detail and "5 outside it" in line.detail
    _, line = one(ForAll(lambda n: None, {"n": [1, 2, 3]}))
    assert line.verdict == "inconclusive" and "premise" in line.detail


def test_a_failure_in_floating_point_only_is_not_a_witness():
    _, line = one(ForAll(lambda x: 0.1 * 3 == 0.3 * x, {"x": [1.0]}, exact=False))
    assert line.verdict == "inconclusive" and "floating point" in line.detail


def test_a_large_family_is_searched_smallest_first_then_sampled_by_seed():
    sizes = [300, 300]
    order, exhaustive = cases_in_order(sizes, seed=1, limit=FORALL_LIMIT)
    assert not exhaustive and len(order) == FORALL_LIMIT == len(set(order))
    assert order[:3] == [(0, 0), (0, 1), (1, 0)]
    assert all(sum(a) <= sum(b) for a, b in zip(order[: FORALL_LIMIT // 2], order[1: FORALL_LIMIT // 2]))
    assert order == cases_in_order(sizes, seed=1, limit=FORALL_LIMIT)[0]  # the seed decides the sample
    assert order != cases_in_order(sizes, seed=2, limit=FORALL_LIMIT)[0]
    _, line = one(ForAll(lambda a, b: a + b < 10**6, {"a": list(range(300)), "b": list(range(300))}))
    assert line.verdict == "checked" and "seeded sample" in line.detail


@pytest.mark.parametrize("cases", [{}, {"a": []}, {"a": "xyz"}, [("a", [1])]])
def test_a_forall_without_candidate_values_is_a_claim_error(cases):
    with pytest.raises(ClaimError):
        ForAll(lambda a: True, cases)


def test_a_forall_is_a_claim_of_its_own():
    import sympy as sp

    x = sp.Symbol("x")
    with pytest.raises(ClaimError, match="claim of its own"):
        Claim("mixed", [ForAll(lambda a: True, {"a": [1]}), x], domain={x: (0, 1)})
