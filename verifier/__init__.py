"""derivation-verifier: every line of a derivation as a claim, proved, checked or refuted.

    >>> import sympy as sp
    >>> from verifier import Claim, verify
    >>> x = sp.Symbol("x")
    >>> verify(Claim("square", [(x + 1) ** 2, x**2 + 2 * x + 1], domain={x: (-10, 10)})).verdict
    'proved'
"""
from .claim import Claim, Evidence, Interval, Numeric, Property, Step
from .errors import ClaimError, UnknownClaimError, UnsafeInputError, VerifierError
from .random import Bernoulli, Beta, Binomial, Distribution, E, Exponential, Finite, Generic, Normal, P, Poisson, Uniform, Var
from .results import VERDICTS, ClaimResult, Counterexample, Erratum, LinkResult, Summary

__all__ = [
    "Claim", "Step", "Interval", "Numeric", "Property", "Evidence",
    "verify", "verify_all",
    "E", "Var", "P", "Distribution", "Generic", "Finite", "Bernoulli", "Binomial", "Poisson", "Uniform", "Normal", "Exponential", "Beta",
    "ClaimResult", "LinkResult", "Erratum", "Counterexample", "Summary", "VERDICTS",
    "VerifierError", "ClaimError", "UnknownClaimError", "UnsafeInputError",
]


def verify(claim: Claim, seed: int | None = None, timeout: float | None = None) -> ClaimResult:
    """Verify one claim, every line of it; see verifier.engine.verify."""
    from .engine import DEFAULT_SEED, DEFAULT_TIMEOUT
    from .engine import verify as _verify

    return _verify(claim, seed=DEFAULT_SEED if seed is None else seed, timeout=DEFAULT_TIMEOUT if timeout is None else timeout)


def verify_all(claims, seed: int | None = None, timeout: float | None = None) -> list[ClaimResult]:
    """Verify several claims in order; one claim's error never stops the others."""
    return [verify(c, seed=seed, timeout=timeout) for c in claims]
