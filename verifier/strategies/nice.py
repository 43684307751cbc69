"""Readable points first: evaluate both sides exactly at small values (1, 2, ½, …) of the domain.

Cheap and decisive on false lines that no prover handles (logs, Kronecker deltas): a point
where they differ is handed to the witness search, which replays it exactly. Never proves:
its `proved` never happens (a few points are evidence of nothing).
"""
from __future__ import annotations

from ..link import Link
from .base import Context, Outcome, decidable

TRIES = 24


def attempt(link: Link, ctx: Context) -> Outcome | None:
    """A candidate counterexample among small readable points, or None."""
    from ..witness import _nice_points, evaluate

    if not link.concrete or not all(decidable(a) and decidable(b) for a, b in link.pairs()):
        return None
    for k, point in enumerate(_nice_points(link, ctx)):
        if k >= TRIES:
            break
        if evaluate(link, point) is not None:
            return Outcome(None, "nice-point", "differs at a small point", candidates=[point])
    return None
