"""A memory ceiling for a verifying process: runaway algebra ends in MemoryError, not in a killed run."""
from __future__ import annotations

GIB = 1024**3


def cap_memory(gib: float) -> float | None:
    """Lower this process's address-space limit to `gib` GiB (never raise it); the cap now in force in GiB.

    The engine turns a MemoryError inside a line into `inconclusive` ("SymPy gave up"), so a line
    whose algebra explodes costs that line, not the run. None where the platform has no such limit.
    """
    try:
        import resource
    except ImportError:  # not on this platform: the run goes on without a ceiling
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = int(gib * GIB)
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if soft == resource.RLIM_INFINITY or want < soft:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (want, hard))
        except (ValueError, OSError):
            return None if soft == resource.RLIM_INFINITY else soft / GIB
        return want / GIB
    return soft / GIB
