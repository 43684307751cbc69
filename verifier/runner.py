"""Run many claims: through the result cache, serially or in parallel worker processes."""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .results import ClaimResult

if TYPE_CHECKING:  # the cache (hashlib, json) loads only for a run that has one: not under --no-cache
    from .cache import ResultCache


def run_claims(
    claims: Sequence[Any],
    *,
    seed: int,
    timeout: float,
    cache: ResultCache | None = None,
    jobs: int = 1,
    progress: Callable[[Any, ClaimResult], None] | None = None,
    forms: frozenset[str] | None = None,
    fewest_parallel: int = 2,
) -> list[ClaimResult]:
    """Verify `claims` in order, each result typeset in `forms` (default: every form; see
    verifier.present); the results do not depend on `jobs` (each claim has its own seed stream).
    Workers are forked only when at least `fewest_parallel` claims are left to verify."""
    from .present import FORMS, present

    forms = FORMS if forms is None else frozenset(forms)
    results: list[ClaimResult | None] = [None] * len(claims)
    keys: list[str | None] = [None] * len(claims)
    todo: list[int] = []
    if cache is not None:
        from .cache import claim_key
    for i, claim in enumerate(claims):
        if cache is not None:
            keys[i] = claim_key(claim, seed, timeout)
            hit = cache.get(keys[i])
            if hit is not None:
                typeset = present(claim, hit, forms)
                if typeset is not hit:  # stored by a report that printed other forms: keep these too
                    cache.put(keys[i], typeset)
                results[i] = hit = typeset
                if progress:
                    progress(claim, hit)
                continue
        todo.append(i)

    def done(i: int, result: ClaimResult) -> None:
        results[i] = result
        if cache is not None and keys[i] is not None:
            cache.put(keys[i], result)
        if progress:
            progress(claims[i], result)

    if todo:
        from . import engine  # noqa: F401  (imported once here, so forked workers inherit it instead of each importing it)
    parallel = False
    if jobs > 1 and len(todo) >= max(2, fewest_parallel):
        import multiprocessing  # only a run with workers pays for it (sockets, pickling)

        parallel = "fork" in multiprocessing.get_all_start_methods()
    if parallel:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        # Forked workers inherit the claims (code lines need no pickling); only positions and results
        # travel. Positions, not ids: two claims may share an id and must still each get their own result.
        _FORKED.update({i: claims[i] for i in todo})
        import gc

        # What the workers inherit (the claims, the modules) lives as long as they do: frozen, their
        # cyclic collections do not walk it again and again (nor copy the pages they would touch).
        gc.freeze()
        try:
            ctx = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx) as pool:
                futures = {pool.submit(_verify_forked, i, seed, timeout, forms): i for i in todo}
                for fut in as_completed(futures):
                    done(futures[fut], fut.result())
        finally:
            _FORKED.clear()
            gc.unfreeze()
    else:
        for i in todo:
            done(i, _verify(claims[i], seed, timeout, forms))
    return [r for r in results if r is not None]


def default_jobs() -> int:
    """One worker per core."""
    return max(1, os.cpu_count() or 1)


# Claims handed to forked workers by their position in the run, filled only while a pool runs.
_FORKED: dict[int, Any] = {}


def _verify_forked(position: int, seed: int, timeout: float, forms: frozenset[str]) -> ClaimResult:
    return _verify(_FORKED[position], seed, timeout, forms)


def _verify(claim: Any, seed: int, timeout: float, forms: frozenset[str]) -> ClaimResult:
    """The engine's verdicts, then the lines typeset for the report (in the worker: it parallelizes too)."""
    from .engine import verify
    from .present import present

    return present(claim, verify(claim, seed=seed, timeout=timeout), forms)
