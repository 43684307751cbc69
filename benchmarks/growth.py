"""Growth of verification time with a problem size: the fitted exponent and the largest size within a budget."""
from __future__ import annotations

import math
from collections.abc import Sequence


def exponent(sizes: Sequence[float], seconds: Sequence[float]) -> float | None:
    """k in seconds ≈ c·size^k: the least-squares slope of log(seconds) against log(size)."""
    pts = [(math.log(s), math.log(t)) for s, t in zip(sizes, seconds) if s > 0 and t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return None if sxx == 0 else sum((x - mx) * (y - my) for x, y in pts) / sxx


def largest_within(sizes: Sequence[float], seconds: Sequence[float], budget: float = 1.0) -> float | None:
    """The largest measured size whose time is within `budget` seconds (None when none is)."""
    within = [s for s, t in zip(sizes, seconds) if t <= budget]
    return max(within) if within else None


def summary(what: str, unit: str, sizes: Sequence[float], seconds: Sequence[float], budget: float = 1.0) -> str:
    """One line: the fitted exponent and the largest size settled within the budget."""
    k = exponent(sizes, seconds)
    big = largest_within(sizes, seconds, budget)
    fit = f"time ∝ {unit}^{k:.2f}" if k is not None else "too few sizes to fit"
    within = f"largest {unit} within {budget:g} s CPU: {big:g}" if big is not None else f"no size within {budget:g} s CPU"
    return f"{what}: {fit} (least squares on log–log, {len(sizes)} sizes); {within}"
