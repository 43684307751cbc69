"""Property-based soundness (issue 10): random true identities are never refuted, random false
claims are never passed, and no well-formed claim ends in `error`.

Claims come from `soundness_gen` (truth known by construction, double-checked there at 80 digits,
never by the engine). The run is bounded and derandomized: the same examples on every machine and
every run. The examples are drawn first, then each is verified, and all wrong verdicts are
reported together (no shrinking: the long, seeded search is
`benchmarks/bench_hypothesis_soundness.py`). Nothing here
depends on time: a line the engine does not settle within its limit is `inconclusive`, which is
sound for true and false claims alike.
"""
import contextlib
import gc

import pytest

pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

import soundness_gen as gen  # noqa: E402
from verifier.engine import verify  # noqa: E402  (verdicts only: nothing here is typeset)

EXAMPLES = 25  # per property (the benchmark runs hundreds)
SEED = 20190709
TIMEOUT = 5.0  # seconds per line; a timeout is `inconclusive` (sound either way), never a failure

BOUNDED = settings(
    derandomize=True,
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: every example costs a verification
    suppress_health_check=list(HealthCheck),
)


@contextlib.contextmanager
def _no_gc_callbacks():
    """Hypothesis leaves a gc callback installed once it has run; the engine's SIGALRM time limit
    raised while that callback runs is swallowed ("Exception ignored in gc_callback") and the line
    then runs past its limit. Verify without it, so the run stays bounded."""
    saved = gc.callbacks[:]
    gc.callbacks.clear()
    try:
        yield
    finally:
        gc.callbacks[:] = saved


def _run(strategy) -> tuple[list[str], dict[str, int]]:
    """Draw the bounded, derandomized examples, verify each; (wrong verdicts described, verdict counts)."""
    cases = []

    @BOUNDED
    @given(strategy)
    def collect(case):
        cases.append(case)

    collect()
    wrong: list[str] = []
    counts: dict[str, int] = {}
    with _no_gc_callbacks():
        for k, case in enumerate(cases):
            result = verify(case.claim(f"hypothesis-{k}"), seed=SEED, timeout=TIMEOUT)
            counts[result.verdict] = counts.get(result.verdict, 0) + 1
            if not case.acceptable(result.verdict):
                detail = result.message or "; ".join(f"line {l.index}: {l.verdict} ({l.detail})" for l in result.steps)
                wrong.append(f"{result.verdict.upper()} for a {'true' if case.truth else 'false'} claim:\n{case.text()}\n    detail: {detail}")
    return wrong, counts


def test_true_claims_are_never_refuted_nor_errors():
    wrong, counts = _run(gen.true_cases())
    assert sum(counts.values()) >= EXAMPLES // 2, counts  # the property really ran
    assert not wrong, f"{len(wrong)} unsound verdicts ({counts}):\n\n" + "\n\n".join(wrong)


def test_false_claims_are_never_passed_nor_errors():
    wrong, counts = _run(gen.false_cases())
    assert sum(counts.values()) >= EXAMPLES // 2, counts
    assert not wrong, f"{len(wrong)} unsound verdicts ({counts}):\n\n" + "\n\n".join(wrong)
