"""The soundness table (soundness_cases.py): claims of known truth, verified with the default seed.

For every case: a false claim is never `proved` or `checked`, a true claim is never `refuted`,
and nothing ends in `error` (a crash). `inconclusive` is acceptable: it is never a wrong answer.
Malformed claims (MUST_BE_REFUSED) raise ClaimError when they are built.

The selected cases are verified once per session, in one forked worker per core (the same
results as a serial run: each claim has its own seed stream); each case is its own test item,
named by its id. Nothing here depends on the clock: a line that runs out of time is
`inconclusive`, which these tests accept.
"""
from __future__ import annotations

import multiprocessing
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import soundness_cases as table  # noqa: E402

from verifier import ClaimError  # noqa: E402

TIMEOUT = 10.0  # seconds per line (the engine's default is 60): the few cases that take it end inconclusive, which the test allows
_IDS = [c.id for c in table.CASES]


def _run(index: int, seed: int) -> tuple[int, str, str]:
    """(index, verdict, why) for case `index`; a claim that cannot be built is an `error`."""
    from verifier.engine import verify  # verdicts only: nothing here is typeset

    case = table.CASES[index]
    try:
        claim = case.build()
    except Exception as exc:
        return index, "error", f"building the claim raised {type(exc).__name__}: {exc}"
    try:
        result = verify(claim, seed=seed, timeout=TIMEOUT)
    except BaseException as exc:  # verify promises never to raise
        return index, "error", f"verify raised {type(exc).__name__}: {exc}"
    return index, result.verdict, _why(result)


def _why(result) -> str:
    if result.message:
        return result.message.splitlines()[0]
    return "; ".join(f"line {s.index} {s.verdict} [{s.method}] {s.detail}" for s in result.steps)


@pytest.fixture(scope="session")
def table_results(request) -> dict[str, tuple[str, str]]:
    """{case id: (verdict, why)} for the cases this session selected, verified in parallel."""
    from verifier.engine import DEFAULT_SEED

    here = os.path.basename(__file__)
    wanted = {item.callspec.params["case_id"] for item in request.session.items
              if getattr(item, "callspec", None) is not None and "case_id" in item.callspec.params
              and os.path.basename(str(item.path)) == here}
    indices = [i for i, c in enumerate(table.CASES) if c.id in wanted]
    rows: list[tuple[int, str, str]] = []
    jobs = min(os.cpu_count() or 1, len(indices))
    if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = {pool.submit(_run, i, DEFAULT_SEED): i for i in indices}
            for fut in as_completed(futures):
                try:
                    rows.append(fut.result())
                except Exception as exc:  # a worker that died is a crash of that case
                    rows.append((futures[fut], "error", f"worker died: {type(exc).__name__}: {exc}"))
    else:
        rows = [_run(i, DEFAULT_SEED) for i in indices]
    return {table.CASES[i].id: (verdict, why) for i, verdict, why in rows}


def test_the_table_is_big_balanced_and_covers_every_class():
    assert len(table.CASES) >= 220
    assert len(set(_IDS)) == len(_IDS)
    n_true = sum(c.truth for c in table.CASES)
    assert 0.4 <= n_true / len(table.CASES) <= 0.6
    for cls, (n_t, n_f) in table.counts().items():
        assert n_t >= 3 and n_f >= 3, cls


@pytest.mark.parametrize("case_id", _IDS)
def test_verdict_is_sound(case_id, table_results):
    case = table.by_id(case_id)
    verdict, why = table_results[case_id]
    assert verdict != "error", f"{case_id} crashed: {why}"
    if case.truth:
        assert verdict != "refuted", f"true claim {case_id} refuted: {why}"
    else:
        assert verdict not in ("proved", "checked"), f"false claim {case_id} {verdict}: {why}  [{case.note}]"


@pytest.mark.parametrize("ref", table.MUST_BE_REFUSED, ids=[r.id for r in table.MUST_BE_REFUSED])
def test_malformed_claim_is_refused(ref):
    with pytest.raises(ClaimError):
        ref.build()
