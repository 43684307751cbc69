"""Soundness over the whole catalogue: mutants of proved lines are refuted; true lines never are.

Mutations of a proved line e(i): −e, 2e, e + 1, two free symbols swapped, one term dropped.
A mutant equal to the original line (e.g. a swap of symmetric symbols) is no mutant and is set
aside — the engine itself decides that, by proving mutant = original.
"""
import itertools

import pytest
import sympy as sp

from verifier import Step
from verifier.engine import verify_link

SEEDS = range(20)
MUTANT_TIMEOUT = 5.0
RANDOMIZED = ("exact-probe", "sampling", "nice-point")  # methods whose outcome depends on the seed


def _mutants(expr, domain):
    yield "negate", -expr
    yield "scale by 2", 2 * expr
    yield "add 1", expr + 1
    syms = sorted((s for s in expr.free_symbols if s in domain), key=str)  # parameters, not labels
    for a, b in itertools.combinations(syms, 2):
        try:
            yield f"swap {a},{b}", expr.xreplace({a: b, b: a})
        except (TypeError, ValueError):
            pass
        break  # one swap per line keeps the run short
    terms = sp.Add.make_args(expr)
    if len(terms) > 1:
        yield f"drop {terms[-1]}", sp.Add(*terms[:-1])


def _proved_links(catalog, results):
    for cid, claim in catalog.items():
        if not claim.symbolic:
            continue
        r = results[cid]
        wrong = {e.step for e in r.errata}
        for link in r.steps:
            j = link.index
            if link.verdict != "proved" or j in wrong or (j - 1) in wrong:
                continue
            expr = claim.steps[j].expr
            if isinstance(expr, sp.MatrixBase) or claim.steps[j].rel != "=":
                continue
            yield cid, claim, j


def test_mutants_of_proved_lines_are_refuted(catalog, results, capsys):
    killed = survived = equivalent = 0
    survivors = []
    for cid, claim, j in _proved_links(catalog, results):
        prev, line = claim.steps[j - 1], claim.steps[j]
        for name, mutant in _mutants(line.expr, claim.domain):
            if mutant == line.expr:
                equivalent += 1
                continue
            same = verify_link(claim, line, Step(mutant), j, 0, MUTANT_TIMEOUT)
            if same.verdict == "proved":
                equivalent += 1
                continue
            res = verify_link(claim, prev, Step(mutant, rel=line.rel), j, 0, MUTANT_TIMEOUT)
            if res.verdict == "refuted":
                killed += 1
            else:
                survived += 1
                survivors.append(f"{cid} line {j} {name}: {res.verdict} ({res.detail})")
    total = killed + survived
    with capsys.disabled():
        print(f"\nmutation kill rate: {killed}/{total} = {killed / max(total, 1):.2%} ({equivalent} equivalent mutants set aside)")
    assert total > 0
    assert killed / total >= 0.99, "\n".join(survivors)
    # Whatever survived must be inconclusive, never passed as true.
    assert not any(": proved" in s or ": checked" in s for s in survivors), survivors


def test_no_true_line_is_refuted_over_20_seeds(catalog, results):
    """Lines settled by a randomized strategy keep their verdict under 20 other seeds."""
    checked = 0
    for cid, claim in catalog.items():
        if not claim.symbolic:
            continue
        r = results[cid]
        wrong = {e.step for e in r.errata}
        for link in r.steps:
            j = link.index
            if link.verdict not in ("proved", "checked") or j in wrong or (j - 1) in wrong:
                continue
            if not any(m in link.method for m in RANDOMIZED):
                continue
            for seed in SEEDS:
                again = verify_link(claim, claim.steps[j - 1], claim.steps[j], j, seed, 20.0)
                assert again.verdict != "refuted", (cid, j, seed, again.detail)
            checked += 1
    assert checked >= 0
