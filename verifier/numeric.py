"""Claims whose lines are code: numpy lines compared entry by entry, and properties run on seeded data."""
from __future__ import annotations

import time
from typing import Any

import numpy as np

from .claim import Claim, Evidence, Numeric, Property
from .results import Counterexample, LinkResult, short_number

# A numeric line is called wrong only when it is off by far more than round-off or finite
# differences explain, on two independent draws of the inputs; anything in between is inconclusive.
GROSS = 1e3

__all__ = ["verify_chain", "Numeric", "Property"]


def verify_chain(claim: Claim, seed: int, timeout: float) -> list[LinkResult]:
    """Verify a claim made of Numeric lines or of one Property, under the same time limit as symbolic lines."""
    from .errors import StepTimeout
    from .timeout import time_limit

    first = claim.steps[0].expr
    budget = timeout * max(1, len(claim.steps) - 1)  # the per-line limit, for every line of the code
    try:
        with time_limit(budget):
            if isinstance(first, Property):
                return [_property(claim, first, seed)]
            return _chain(claim, seed)
    except StepTimeout:
        first_line = 0 if isinstance(first, Property) else 1
        return [LinkResult(j, "inconclusive", "timeout", f"timed out after {budget:g} s (the code did not finish)")
                for j in range(first_line, max(2, len(claim.steps)))]


def _chain(claim: Claim, seed: int) -> list[LinkResult]:
    results = []
    draws = [_evaluate(claim, seed), None]
    for j in range(1, len(claim.steps)):
        start = time.perf_counter()
        name = claim.steps[j].expr.label or f"line {j}"
        bad = _compare(draws[0][j - 1], draws[0][j], claim.rtol, claim.atol)
        if bad is None:
            err = _worst_rel(draws[0][j - 1], draws[0][j])
            results.append(LinkResult(j, "checked", "numeric", f"{name}: agrees entrywise (rtol={claim.rtol:g}, atol={claim.atol:g}; worst relative error {err:.1e})", seconds=time.perf_counter() - start, points=_size(draws[0][j]), worst_error=err))
            continue
        if draws[1] is None:
            draws[1] = _evaluate(claim, seed + 1)
        again = _compare(draws[1][j - 1], draws[1][j], claim.rtol * GROSS, claim.atol * GROSS)
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


def _evaluate(claim: Claim, seed: int) -> list[Any]:
    inputs = claim.inputs(np.random.default_rng(seed))
    return [s.expr.fn(**inputs) for s in claim.steps]


def _arrays(x: Any) -> list[np.ndarray]:
    if isinstance(x, (tuple, list)):
        return [np.asarray(a, dtype=float) for a in x]
    return [np.asarray(x, dtype=float)]


def _size(x: Any) -> int:
    return sum(a.size for a in _arrays(x))


def _worst_rel(a: Any, b: Any) -> float:
    out = 0.0
    for x, y in zip(_arrays(a), _arrays(b)):
        scale = np.maximum(np.abs(x), np.abs(y))
        with np.errstate(all="ignore"):
            rel = np.where(scale > 0, np.abs(x - y) / scale, 0.0)
        out = max(out, float(rel.max(initial=0.0)))
    return out


def _compare(expected: Any, actual: Any, rtol: float, atol: float) -> dict | None:
    """None when every entry satisfies |a − e| ≤ atol + rtol·|e|; else the worst entry."""
    xs, ys = _arrays(expected), _arrays(actual)
    if len(xs) != len(ys):
        return {"where": f"{len(xs)} arrays vs {len(ys)}", "expected": len(xs), "actual": len(ys), "abs": float("inf"), "rel": float("inf"), "count": 1, "total": 1, "gross": True}
    for k, (x, y) in enumerate(zip(xs, ys)):
        if x.shape != y.shape:
            return {"where": f"array {k}: shape {x.shape} vs {y.shape}", "expected": x.shape, "actual": y.shape, "abs": float("inf"), "rel": float("inf"), "count": 1, "total": 1, "gross": True}
        err = np.abs(x - y)
        off = ~(err <= atol + rtol * np.abs(x))
        if off.any():
            excess = np.where(off, err - rtol * np.abs(x), -np.inf)
            idx = np.unravel_index(int(np.argmax(excess)), x.shape) if x.shape else ()
            e, a = float(x[idx]), float(y[idx])
            rel = abs(a - e) / abs(e) if e else float("inf")
            where = f"array {k}[{', '.join(map(str, idx))}]" if len(xs) > 1 else f"[{', '.join(map(str, idx))}]"
            gross = bool(abs(a - e) > GROSS * (atol + rtol * abs(e)))
            return {"where": where, "expected": e, "actual": a, "abs": abs(a - e), "rel": rel, "count": int(off.sum()), "total": x.size, "gross": gross}
    return None


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
