"""Ways of settling a link, cheapest first. Each `attempt(link, ctx)` returns an Outcome or None ("not my case")."""
from __future__ import annotations

from typing import Any

# indexed (sums to a size symbol) and limit (≈ lines) load on first use: most lines need neither,
# and `verify 1.5` should not compile them. `from verifier.strategies import limit` still works.
from . import nice, probing, sampling, simplify, structural
from .base import SIGN, Context, Outcome, decidable  # noqa: F401  (re-exported)

# --- the registered chain ----------------------------------------------------------------------

# Cheapest first; each returns an Outcome or None ("not my case"). Simplify is slow on false lines,
# so it runs after the exact probe and the small readable points have had their chance to refute.
# Each module's docstring states when its `proved` is a proof (nice and sampling never prove).
CHAIN = (structural.attempt, probing.attempt, nice.attempt, simplify.attempt, sampling.attempt)
# For screening many candidate lines, most of them false: exact and cheap, the exact probe (which
# refutes a false rational line at its first point) and the small readable points (a false line
# the probe declines, such as a product over the wrong index, at its first point) before SymPy's
# expand and cancel. The points never prove: a candidate that holds still reaches structural's proof.
FAST_CHAIN = (structural.quick_attempt, probing.attempt, nice.attempt, structural.attempt)
# The share of a line's time limit each may use before the next one gets its turn.
SHARE = {structural.quick_attempt: 0.3, structural.attempt: 0.3, probing.attempt: 0.3, nice.attempt: 0.15, simplify.attempt: 0.4, sampling.attempt: 0.5}


def __getattr__(name: str) -> Any:
    """SIZED, built on first use (PEP 562): the links whose sums run to a size symbol (Σ_{i=1}^{m}),
    tried on the lines as written before the sizes are fixed one by one: a proof for every size,
    or "not my case" (then the instances decide)."""
    if name == "SIZED":
        from . import indexed

        globals()["SIZED"] = value = (indexed.attempt,)
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
