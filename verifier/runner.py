"""Run many claims: through the result cache, serially or in parallel worker processes."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .results import ClaimResult

if TYPE_CHECKING:  # the cache (hashlib, json) loads only for a run that has one: not under --no-cache
    from .cache import ResultCache


# Objects allocated between two collections of the youngest generation in a worker (Python's
# default is 700). SymPy makes and drops many small objects per line; collecting every 700 of them
# walked the survivors again and again: 461 young collections, 0.30 s of a serial catalogue run,
# against 28 and 0.15 s at 10,000 (peak memory 264 → 265 MB). Reference counting still frees all
# that is not cyclic at once; only cyclic garbage waits a little longer.
_WORKER_GC_THRESHOLD = 10_000


@contextmanager
def _frozen() -> Iterator[None]:
    """What forked workers inherit (the modules, the claims) lives as long as they do: frozen, their
    cyclic collections do not walk it again and again (nor copy the pages they would touch). The
    workers also collect young objects less often (`_WORKER_GC_THRESHOLD`)."""
    import gc

    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(_WORKER_GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


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
    from .present import FORMS

    forms = FORMS if forms is None else frozenset(forms)
    results: list[ClaimResult | None] = [None] * len(claims)
    keys: list[str | None] = [None] * len(claims)
    todo: list[int] = []
    for i, claim in enumerate(claims):
        if cache is not None:
            keys[i], hit, store = _from_cache(claim, cache, seed, timeout, forms)
            if hit is not None:
                if store:
                    cache.put(keys[i], hit)
                results[i] = hit
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
        try:
            ctx = multiprocessing.get_context("fork")
            with _frozen(), ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx) as pool:
                # Claims of code lines (numeric, property) first: each is one long piece of work that
                # cannot be split, the symbolic claims beside them are many and short and fill in after
                # (verify 3.15: the 0.22 s finite-difference claim last left one worker idle for a fifth
                # of the run). Order only: results are placed by position.
                first = sorted(todo, key=lambda i: bool(getattr(claims[i], "symbolic", True)))
                futures = {pool.submit(_verify_forked, i, seed, timeout, forms): i for i in first}
                for fut in as_completed(futures):
                    done(futures[fut], fut.result())
        finally:
            _FORKED.clear()
    else:
        shared: dict = {}  # see engine.verify
        for i in todo:
            done(i, _verify(claims[i], seed, timeout, forms, shared))
    return [r for r in results if r is not None]


def run_groups(
    groups: Sequence[Callable[[], Sequence[Any]]],
    *,
    seed: int,
    timeout: float,
    cache: ResultCache | None = None,
    jobs: int = 1,
    progress: Callable[[Any, ClaimResult], None] | None = None,
    forms: frozenset[str] | None = None,
    weights: Sequence[float] | None = None,
) -> list[ClaimResult]:
    """Verify the claims each of `groups` builds (a builder per topic of a catalogue), each group
    built in the worker process that verifies it: building a catalogue is seconds of SymPy, which
    `run_claims` pays before forking, with one core idle. Results come in group order, each group's
    in its own order, the same as `run_claims` over all the claims; `weights` only decide which
    groups are handed out first (the heaviest, so that the workers finish together)."""
    import multiprocessing

    if jobs < 2 or len(groups) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return run_claims([c for build in groups for c in build()], seed=seed, timeout=timeout, cache=cache, jobs=jobs,
                          progress=progress, forms=forms)
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from . import engine  # noqa: F401  (imported before forking: the workers inherit it)
    from .present import FORMS

    forms = FORMS if forms is None else frozenset(forms)
    order = sorted(range(len(groups)), key=lambda i: -(weights[i] if weights else 0.0))
    done: list[list[ClaimResult] | None] = [None] * len(groups)
    _FORKED_GROUPS.update(enumerate(groups))
    _FORKED_CACHE.append(cache)
    try:
        ctx = multiprocessing.get_context("fork")
        with _frozen(), ProcessPoolExecutor(max_workers=min(jobs, len(groups)), mp_context=ctx) as pool:
            futures = {pool.submit(_verify_group, i, seed, timeout, forms): i for i in order}
            for fut in as_completed(futures):
                results = []
                for key, result, store in fut.result():
                    if cache is not None and store:
                        cache.put(key, result)
                    if progress:
                        progress(None, result)
                    results.append(result)
                done[futures[fut]] = results
    finally:
        _FORKED_GROUPS.clear()
        _FORKED_CACHE.clear()
    return [r for results in done for r in results or ()]


# The groups and the cache handed to forked workers, filled only while run_groups' pool runs.
_FORKED_GROUPS: dict[int, Callable[[], Sequence[Any]]] = {}
_FORKED_CACHE: list[Any] = []


def _verify_group(position: int, seed: int, timeout: float, forms: frozenset[str]) -> list[tuple[str | None, ClaimResult, bool]]:
    """In a worker: build group `position` and verify its claims through the cache, as run_claims
    does; each result with its cache key and whether the parent should store it."""
    cache = _FORKED_CACHE[0]
    out = []
    shared: dict = {}  # see engine.verify
    for claim in _FORKED_GROUPS[position]():
        key = None
        if cache is not None:
            key, hit, store = _from_cache(claim, cache, seed, timeout, forms)
            if hit is not None:
                out.append((key, hit, store))
                continue
        out.append((key, _verify(claim, seed, timeout, forms, shared), True))
    return out


def _from_cache(claim: Any, cache: ResultCache, seed: int, timeout: float, forms: frozenset[str]) -> tuple[str, ClaimResult | None, bool]:
    """The claim's cache key, its stored result typeset in `forms` (None when there is none), and
    whether that result gained forms: stored by a report that printed others, it is worth storing again."""
    from .cache import claim_key
    from .present import present

    key = claim_key(claim, seed, timeout)
    hit = cache.get(key)
    if hit is None:
        return key, None, False
    typeset = present(claim, hit, forms)
    return key, typeset, typeset is not hit


def default_jobs() -> int:
    """One worker per core."""
    return max(1, os.cpu_count() or 1)


# Claims handed to forked workers by their position in the run, filled only while a pool runs.
_FORKED: dict[int, Any] = {}
# Each forked worker's own run memo (engine.verify's `shared`): empty in the parent, so every worker
# starts from an empty one and fills its own copy with what its claims share (the sums of 3.21–3.23).
_FORKED_SHARED: dict = {}


def _verify_forked(position: int, seed: int, timeout: float, forms: frozenset[str]) -> ClaimResult:
    return _verify(_FORKED[position], seed, timeout, forms, _FORKED_SHARED)


def _verify(claim: Any, seed: int, timeout: float, forms: frozenset[str], shared: dict | None = None) -> ClaimResult:
    """The engine's verdicts, then the lines typeset for the report (in the worker: it parallelizes too);
    `shared` as in engine.verify."""
    from .engine import verify
    from .present import present

    return present(claim, verify(claim, seed=seed, timeout=timeout, shared=shared), forms)
