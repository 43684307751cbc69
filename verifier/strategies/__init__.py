"""Ways of settling a link, cheapest first. Each `attempt(link, ctx)` returns an Outcome or None ("not my case")."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import sympy as sp


# The SymPy assumption that says `lhs − rhs  rel  0` holds, per inequality.
SIGN = {"<=": "is_nonpositive", "<": "is_negative", ">=": "is_nonnegative", ">": "is_positive"}


@dataclass
class Context:
    """What a strategy may use: a seeded random source, a time budget, tolerances."""

    seed: int
    timeout: float
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)


@dataclass
class Outcome:
    """A strategy's answer: a verdict, or a point where the sides seem to differ (to be confirmed)."""

    verdict: str | None
    method: str
    detail: str = ""
    candidates: list[dict[sp.Symbol, Any]] = field(default_factory=list)
    points: int = 0
    worst_error: float | None = None


def decidable(expr: sp.Basic) -> bool:
    """True when expr has nothing a number can't be put into (no unevaluated sums, integrals, functions)."""
    from sympy.core.function import AppliedUndef

    return not expr.has(sp.Sum, sp.Product, sp.Integral, sp.Derivative, sp.Subs, sp.Limit, AppliedUndef)


# --- the registered chain ----------------------------------------------------------------------
# Imported last: each strategy module imports Context and Outcome from here.
from . import limit, nice, probing, sampling, simplify, structural  # noqa: E402, F401  (limit: used by the engine)

# Cheapest first; each returns an Outcome or None ("not my case"). Simplify is slow on false lines,
# so it runs after the exact probe and the small readable points have had their chance to refute.
# Each module's docstring states when its `proved` is a proof (nice and sampling never prove).
CHAIN = (structural.attempt, probing.attempt, nice.attempt, simplify.attempt, sampling.attempt)
FAST_CHAIN = (structural.attempt, probing.attempt, nice.attempt)  # exact and cheap: for screening many candidates
# The share of a line's time limit each may use before the next one gets its turn.
SHARE = {structural.attempt: 0.3, probing.attempt: 0.3, nice.attempt: 0.15, simplify.attempt: 0.4, sampling.attempt: 0.5}
