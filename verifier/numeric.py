"""Claims whose lines are code: numpy lines compared entry by entry, and properties run on seeded data."""
from __future__ import annotations

import time
from typing import Any

import numpy as np

from .claim import Claim, Evidence, ForAll, Numeric, Property
from .results import Counterexample, LinkResult, short_number

# A numeric line is called wrong only when it is off by far more than round-off or finite
# differences explain, on two independent draws of the inputs; anything in between is inconclusive.
GROSS = 1e3
# Cases of a ForAll tried at most (work, not time): every one when there are no more, else the
# smallest half of this many and a seeded sample of the rest.
FORALL_LIMIT = 20_000

__all__ = ["verify_chain", "Numeric", "Property", "ForAll", "FORALL_LIMIT"]


def verify_chain(claim: Claim, seed: int, timeout: float, shared: dict | None = None) -> list[LinkResult]:
    """Verify a claim made of Numeric lines or of one Property, under the same time limit as symbolic
    lines; `shared` as in engine.verify (the inputs of Numeric lines, by inputs function and seed)."""
    from .errors import StepTimeout
    from .timeout import time_limit

    first = claim.steps[0].expr
    budget = timeout * max(1, len(claim.steps) - 1)  # the per-line limit, for every line of the code
    try:
        with time_limit(budget):
            if isinstance(first, Property):
                return [_property(claim, first, seed)]
            if isinstance(first, ForAll):
                return [_for_all(first, seed)]
            return _chain(claim, seed, shared)
    except StepTimeout:
        first_line = 0 if isinstance(first, (Property, ForAll)) else 1
        return [LinkResult(j, "inconclusive", "timeout", f"timed out after {budget:g} s (the code did not finish)")
                for j in range(first_line, max(2, len(claim.steps)))]


def _chain(claim: Claim, seed: int, shared: dict | None = None) -> list[LinkResult]:
    results = []
    draws = [_evaluate(claim, seed, shared), None]
    for j in range(1, len(claim.steps)):
        start = time.perf_counter()
        name = claim.steps[j].expr.label or f"line {j}"
        bad, err = _agreement(draws[0][j - 1], draws[0][j], claim.rtol, claim.atol)
        if bad is None:
            results.append(LinkResult(j, "checked", "numeric", f"{name}: agrees entrywise (rtol={claim.rtol:g}, atol={claim.atol:g}; worst relative error {err:.1e})", seconds=time.perf_counter() - start, points=_size(draws[0][j]), worst_error=err))
            continue
        if draws[1] is None:
            draws[1] = _evaluate(claim, seed + 1, shared)
        again, _ = _agreement(draws[1][j - 1], draws[1][j], claim.rtol * GROSS, claim.atol * GROSS)
        if bad["gross"] and again is not None:
            cx = Counterexample(
                values=(("seed", str(seed)), ("entry", bad["where"])),
                lhs=repr(bad["expected"]), rhs=repr(bad["actual"]),
                difference=f"{bad['abs']:.3g} (relative {bad['rel']:.3g}; {bad['count']} of {bad['total']} entries off)",
                exact=False,
            )
            results.append(LinkResult(j, "refuted", "numeric", f"{name}: {cx}", seconds=time.perf_counter() - start, counterexample=cx))
        else:
            results.append(LinkResult(j, "inconclusive", "numeric", f"{name}: off by relative {bad['rel']:.1e} at {bad['where']}, beyond tolerance but not grossly", seconds=time.perf_counter() - start))
    return results


def _evaluate(claim: Claim, seed: int, shared: dict | None = None) -> list[Any]:
    inputs = _inputs(claim, seed, shared)
    return [s.expr.fn(**inputs) for s in claim.steps]


def _inputs(claim: Claim, seed: int, shared: dict | None) -> dict:
    """`claim.inputs` drawn from the seed, its arrays read-only. The draw is a function of the
    inputs function and the seed alone, so the claims of a run that declare the same one (batch
    norm's four numpy claims: 5 arrays of up to 4096 × 256) share one draw through `shared`. Read-only
    whether shared or not: a line that wrote into its inputs would change what the next claim
    compares, so it fails, alone as in a run (numpy refuses the write)."""
    key = ("numeric inputs", claim.inputs, seed)
    if shared is not None and key in shared:
        return shared[key]
    inputs = claim.inputs(np.random.default_rng(seed))
    _read_only(inputs)
    if shared is not None:
        shared[key] = inputs
    return inputs


def _read_only(x: Any) -> None:
    if isinstance(x, np.ndarray):
        x.flags.writeable = False
    elif isinstance(x, dict):
        for v in x.values():
            _read_only(v)
    elif isinstance(x, (list, tuple)):
        for v in x:
            _read_only(v)


def _arrays(x: Any) -> list[np.ndarray]:
    if isinstance(x, (tuple, list)):
        return [np.asarray(a, dtype=float) for a in x]
    return [np.asarray(x, dtype=float)]


def _size(x: Any) -> int:
    return sum(a.size for a in _arrays(x))


# Entries compared per pass (_agreement): the temporaries of one block stay in the CPU cache. Whole
# lines of 2.7 million entries made each temporary a fresh 21 MB array, and the comparison of batch
# norm's forward pass cost 5–10× the arithmetic, in page faults and memory traffic.
BLOCK = 1 << 15


def _agreement(expected: Any, actual: Any, rtol: float, atol: float) -> tuple[dict | None, float]:
    """(None, the worst relative error) when every entry satisfies |a − e| ≤ atol + rtol·|e|; else
    (the worst entry, nan). Each difference |a − e| is taken once, for both, a block of BLOCK
    entries at a time; an array with an entry off is reported from the whole array."""
    xs, ys = _arrays(expected), _arrays(actual)
    if len(xs) != len(ys):
        return {"where": f"{len(xs)} arrays vs {len(ys)}", "expected": len(xs), "actual": len(ys), "abs": float("inf"), "rel": float("inf"), "count": 1, "total": 1, "gross": True}, float("nan")
    worst = 0.0
    for k, (x, y) in enumerate(zip(xs, ys)):
        if x.shape != y.shape:
            return {"where": f"array {k}: shape {x.shape} vs {y.shape}", "expected": x.shape, "actual": y.shape, "abs": float("inf"), "rel": float("inf"), "count": 1, "total": 1, "gross": True}, float("nan")
        flat_x, flat_y = x.reshape(-1), y.reshape(-1)
        for s in range(0, max(flat_x.size, 1), BLOCK):
            off, rel = _block(flat_x[s : s + BLOCK], flat_y[s : s + BLOCK], rtol, atol)
            if off:
                return _worst_entry(k, x, y, len(xs) > 1, rtol, atol), float("nan")
            worst = max(worst, rel)
    return None, worst


def _within(x: np.ndarray, y: np.ndarray, rtol: float, atol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(|a − e|, |e|, whether |a − e| ≤ atol + rtol·|e|) entry by entry (a NaN is not within)."""
    err = np.subtract(x, y)
    err = np.abs(err, out=err) if isinstance(err, np.ndarray) else np.abs(err)  # (a 0-d array gives a scalar)
    size = np.abs(x)
    tol = size * rtol  # atol + rtol·|e| with one temporary: the same two roundings
    tol += atol
    return err, size, err <= tol


def _block(x: np.ndarray, y: np.ndarray, rtol: float, atol: float) -> tuple[bool, float]:
    """(some entry is off, the worst relative error |a − e| / max(|a|, |e|)) of one block."""
    err, size, within = _within(x, y, rtol, atol)
    if not within.all():
        return True, float("nan")
    scale = np.maximum(size, np.abs(y))
    with np.errstate(all="ignore"):
        rel = np.where(scale > 0, err / scale, 0.0)
    return False, float(rel.max(initial=0.0))


def _worst_entry(k: int, x: np.ndarray, y: np.ndarray, several: bool, rtol: float, atol: float) -> dict:
    """Where array k is off the most beyond its tolerance, with how many entries are off."""
    err, size, within = _within(x, y, rtol, atol)
    off = ~within
    excess = np.where(off, err - rtol * size, -np.inf)
    idx = np.unravel_index(int(np.argmax(excess)), x.shape) if x.shape else ()
    e, a = float(x[idx]), float(y[idx])
    rel = abs(a - e) / abs(e) if e else float("inf")
    where = f"array {k}[{', '.join(map(str, idx))}]" if several else f"[{', '.join(map(str, idx))}]"
    gross = bool(abs(a - e) > GROSS * (atol + rtol * abs(e)))
    return {"where": where, "expected": e, "actual": a, "abs": abs(a - e), "rel": rel, "count": int(off.sum()), "total": x.size, "gross": gross}


def _property(claim: Claim, prop: Property, seed: int) -> LinkResult:
    start = time.perf_counter()
    ev = prop.fn(np.random.default_rng(seed))
    if not isinstance(ev, Evidence):
        return LinkResult(0, "error", "property", f"{prop.label or 'property'} returned {type(ev).__name__}, not verifier.Evidence")
    if ev.holds:
        return LinkResult(0, "proved" if ev.exact else "checked", "property", ev.detail, seconds=time.perf_counter() - start)
    cx = None
    if ev.counterexample:
        cx = Counterexample(values=tuple((short_number(k), short_number(v)) for k, v in ev.counterexample.items()), lhs="", rhs="", difference="", exact=ev.exact)
    if cx is None:
        return LinkResult(0, "inconclusive", "property", f"failed without a counterexample: {ev.detail}")
    return LinkResult(0, "refuted", "property", ev.detail, seconds=time.perf_counter() - start, counterexample=cx)


def _for_all(stmt: ForAll, seed: int) -> LinkResult:
    """Search the cases of a ForAll, smallest first, for one where the statement fails."""
    start = time.perf_counter()
    names = list(stmt.cases)
    pools = [stmt.cases[n] for n in names]
    order, exhaustive = cases_in_order([len(p) for p in pools], seed, FORALL_LIMIT)
    tried = outside = 0
    for tried, idx in enumerate(order, 1):
        case = {n: pool[i] for n, pool, i in zip(names, pools, idx)}
        holds = stmt.statement(**case)
        if holds is None:
            outside += 1
            continue
        if not holds:
            shown = stmt.show(**case) if stmt.show is not None else case
            cx = Counterexample(values=tuple((short_number(k), short_number(v)) for k, v in shown.items()), lhs="", rhs="",
                                difference="the statement is false here", exact=stmt.exact)
            what = f"{stmt.label or 'the statement'} fails at case {tried} of the search (smallest first)"
            if not stmt.exact:
                return LinkResult(0, "inconclusive", "search", f"{what}, in floating point only (declare exact=True when the statement computes exactly): {cx}",
                                  seconds=time.perf_counter() - start, counterexample=cx)
            return LinkResult(0, "refuted", "search", f"{what}: {cx}", seconds=time.perf_counter() - start, counterexample=cx, points=tried)
    met = tried - outside
    if met == 0:
        return LinkResult(0, "inconclusive", "search", f"none of the {tried} cases tried meets the statement's premise", seconds=time.perf_counter() - start)
    how = "every case" if exhaustive else f"the smallest {min(FORALL_LIMIT // 2, tried)} and a seeded sample (seed {seed})"
    detail = f"{stmt.label + ': ' if stmt.label else ''}holds in all {met} cases that meet the premise ({how}; {outside} outside it)"
    verdict = "proved" if exhaustive and stmt.complete and stmt.exact else "checked"
    if verdict == "proved":
        detail += "; these are all the cases the statement speaks of"
    return LinkResult(0, verdict, "search", detail, seconds=time.perf_counter() - start, points=tried)


def cases_in_order(sizes: list[int], seed: int, limit: int) -> tuple[list[tuple[int, ...]], bool]:
    """Index tuples into pools of these sizes, smallest first (by sum of positions, then in order):
    all of them when there are at most `limit` (True), else the smallest limit/2 and a seeded sample."""
    import math
    import random

    total = math.prod(sizes)
    if total <= limit:
        import itertools

        every = sorted(itertools.product(*(range(n) for n in sizes)), key=lambda t: (sum(t), t))
        return every, True
    out: list[tuple[int, ...]] = []
    seen: set[tuple[int, ...]] = set()
    layer = 0
    while len(out) < limit // 2:
        for t in _with_sum(sizes, layer):
            out.append(t)
            seen.add(t)
            if len(out) >= limit // 2:
                break
        layer += 1
    rng = random.Random(seed)
    while len(out) < limit:
        t = tuple(rng.randrange(n) for n in sizes)
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out, False


def _with_sum(sizes: list[int], total: int):
    """Index tuples (within sizes) whose positions add up to `total`, in lexicographic order."""
    if not sizes:
        if total == 0:
            yield ()
        return
    for first in range(min(sizes[0] - 1, total) + 1):
        for rest in _with_sum(sizes[1:], total - first):
            yield (first, *rest)
