"""What every strategy shares: the Context it is given, the Outcome it returns, and small helpers.

A module of its own so that strategies, the witness search and the engine import it without
importing the registered chain (no import cycle).
"""
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
    # Shared by the links of one claim (each line takes part in several): results of pure functions
    # of a subexpression, kept so that a line is not reduced again for its next link.
    memo: dict = field(default_factory=dict, repr=False, compare=False)
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
    # whether the first candidate fails with both sides real numbers there (decided exactly or
    # certified; then no sound strategy can hold the line): None when the strategy does not say
    fails_where_defined: bool | None = None


def decidable(expr: sp.Basic) -> bool:
    """True when expr has nothing a number can't be put into (no unevaluated sums, integrals, functions)."""
    from sympy.core.function import AppliedUndef

    return not expr.has(sp.Sum, sp.Product, sp.Integral, sp.Derivative, sp.Subs, sp.Limit, AppliedUndef)
