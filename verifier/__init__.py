"""derivation-verifier: every line of a derivation as a claim, proved, checked or refuted.

    >>> import sympy as sp
    >>> from verifier import Claim, verify
    >>> x = sp.Symbol("x")
    >>> verify(Claim("square", [(x + 1) ** 2, x**2 + 2 * x + 1], domain={x: (-10, 10)})).verdict
    'proved'

Names load on first use (PEP 562), so `import verifier.testing` or rendering cached results
never pays for SymPy.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names load lazily at run time (below)
    from .claim import Claim
    from .results import ClaimResult

_HOMES = {
    "claim": ("Claim", "Step", "Interval", "Numeric", "Property", "ForAll", "Evidence"),
    "errors": ("ClaimError", "UnknownClaimError", "UnsafeInputError", "VerifierError"),
    "randvars": ("E", "Var", "P", "Distribution", "Generic", "Finite", "Bernoulli", "Binomial", "Poisson", "Uniform", "Normal", "Exponential", "Beta"),
    "results": ("VERDICTS", "Verdict", "ClaimResult", "Counterexample", "Erratum", "LinkResult", "Summary"),
}
_WHERE = {name: module for module, names in _HOMES.items() for name in names}

__all__ = ["verify", "verify_all", *_WHERE]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'verifier' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


def verify(claim: Claim, seed: int | None = None, timeout: float | None = None) -> ClaimResult:
    """Verify one claim, every line of it: its verdicts (verifier.engine.verify) with each line typeset for reports."""
    from .defaults import DEFAULT_SEED, DEFAULT_TIMEOUT
    from .engine import verify as _verify
    from .present import present

    result = _verify(claim, seed=DEFAULT_SEED if seed is None else seed, timeout=DEFAULT_TIMEOUT if timeout is None else timeout)
    return present(claim, result)


def verify_all(claims: Iterable[Claim], seed: int | None = None, timeout: float | None = None) -> list[ClaimResult]:
    """Verify several claims in order; one claim's error never stops the others."""
    return [verify(c, seed=seed, timeout=timeout) for c in claims]
