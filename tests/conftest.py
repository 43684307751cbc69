import os
import tempfile

pytest_plugins = ["pytester"]

# The suite never reads or writes the user's result cache: one fresh cache per test session.
os.environ["DERIVATION_VERIFIER_CACHE"] = tempfile.mkdtemp(prefix="dv-cache-")

import pytest

from verifier.defaults import DEFAULT_MEMORY_GIB
from verifier.memory import cap_memory

# A runaway computation fails its test with MemoryError instead of the OOM killer ending the run.
cap_memory(DEFAULT_MEMORY_GIB)


@pytest.fixture(scope="session")
def catalog():
    from derivations import catalog

    return catalog


@pytest.fixture(scope="session")
def results(catalog):
    """Every catalogue claim verified once per test session (seeded), by id — in one worker per
    core, through the session's result cache, so the CLI and plugin tests that follow hit it."""
    from verifier.cache import ResultCache
    from verifier.runner import default_jobs, run_claims

    claims = list(catalog.values())
    from verifier.engine import DEFAULT_TIMEOUT

    out = run_claims(claims, seed=20190709, timeout=DEFAULT_TIMEOUT, cache=ResultCache(), jobs=default_jobs())
    return {c.id: r for c, r in zip(claims, out)}


def assert_verdict(result, expected: str) -> None:
    """The claim's verdict is `expected`; when not, the message lists every line's verdict and detail."""
    lines = "\n".join(f"  line {s.index}: {s.verdict} by {s.method}: {s.detail}" for s in result.steps)
    assert result.verdict == expected, f"{result.id}: {result.verdict}, expected {expected}\n{lines}\n{result.message}"
