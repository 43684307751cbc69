"""One error base class with specific subclasses; every message names the problem and the fix."""
from __future__ import annotations


class VerifierError(Exception):
    """Base of every error the verifier raises on purpose (bad input, never a bug)."""

    def __init__(self, problem: str, hint: str = "") -> None:
        self.problem = problem
        self.hint = hint
        super().__init__(problem + (f"\n  hint: {hint}" if hint else ""))


class ClaimError(VerifierError):
    """A claim is malformed: missing id, no steps, a free symbol without a domain, …"""


class UnknownClaimError(VerifierError):
    """An id that is not in the catalogue; the hint lists the closest ids."""


class UnsafeInputError(VerifierError):
    """A user string that the whitelist parser refuses."""


class StepTimeout(Exception):
    """Raised inside a strategy when its time budget runs out (never escapes the engine)."""


class Unsupported(Exception):
    """A strategy or evaluator cannot handle this expression ("not my case"); never a verdict."""
