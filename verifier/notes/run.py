"""Verify a notes file: plan its claims, run them through the engine, map verdicts back to steps.

The engine decides every verdict, with these rules on top. The first only ever weakens: a link
whose lines contain an opaque quantity (∂ℒ/∂z written without a definition, a probability P(x|θ)
of unknown variables) is checked with that quantity as an arbitrary value. A proof then holds
for the actual value too; a refutation does not (the quantities may be related, as the chain
rule relates derivatives), so such a refuted link is reported `inconclusive`, "needs context".
The second is a refutation of its own, for probabilities only: a link the joint model does not
prove is evaluated under concrete finite distributions (notes.probability.concrete_witness); when
its two sides differ there — exact fractions, every premise of the passage holding — that
distribution is the witness and the link is refuted. Two kinds of line never reach the engine's
strategies: two argmaxes whose objectives differ by a positive factor free of the variable
(notes.extrema: proved), and an estimate in an estimation passage (notes.estimates: checked
against the likelihood, or refuted by a data set). Both run under the line's time limit.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..results import ClaimResult
from .chains import NotesPlan, NoteStep, plan
from .context import Context
from .estimates import check as check_estimate
from .extrema import same_argmax
from .probability import concrete_witness, joint_names


@dataclass
class NotesRun:
    """A verified notes file: its plan, the engine's results and every step with its verdict."""

    plan: NotesPlan
    results: list[ClaimResult]
    seconds: float = 0.0
    parse_seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def steps(self) -> list[NoteStep]:
        """Every adjacent pair of every chain, in file order."""
        return self.plan.steps

    def summary(self) -> dict[str, Any]:
        """Shares and counts a reader (and the JSON) wants."""
        members = [m for ms in self.plan.members for m in ms]
        lines: dict[tuple[int, int], bool] = {}  # display line (block, row) → every member on it parsed
        for ms in self.plan.members:
            for m in ms:
                lines[m.row] = lines.get(m.row, True) and m.parsed is not None
        decided = sum(1 for s in self.steps if s.verdict in ("proved", "checked", "refuted"))
        verdicts = {v: sum(1 for s in self.steps if s.verdict == v) for v in ("proved", "checked", "refuted", "inconclusive", "error")}
        return {
            "file": self.plan.file,
            "context": self.plan.context,
            "display_lines": len(lines),
            "display_lines_parsed": sum(lines.values()),
            "members": len(members),
            "members_parsed": sum(1 for m in members if m.parsed),
            "steps": len(self.steps),
            "steps_checked": sum(1 for s in self.steps if s.status == "checked by the engine"),
            "steps_decided": decided,
            "definitions": sum(1 for s in self.steps if s.status == "definition"),
            # claims: steps that state something to check (not a definition, an update rule or ≠, nor unparsed)
            "claim_steps": sum(1 for s in self.steps if s.status in ("checked by the engine", "needs context")),
            "verdicts": verdicts,
            "unparsed_steps": sum(1 for s in self.steps if s.status == "unparsed"),
            "needs_context": sum(1 for s in self.steps if s.status == "needs context"),
            "not_equations": sum(1 for s in self.steps if s.status == "not an equation"),
            "assumptions": sum(1 for s in self.steps if s.status == "assumption"),
            "parse_ms_per_line": round(1000 * self.parse_seconds / max(1, len(lines)), 2),
            "piecewise_rows": len(self.plan.piecewise),
            "seconds": round(self.seconds, 3),
            "parse_seconds": round(self.parse_seconds, 3),
        }

    @property
    def exit_code(self) -> int:
        """0 every checked step holds, 1 a step refuted, 3 something inconclusive or in error."""
        v = [s.verdict for s in self.steps if s.verdict]
        if "error" in v or "inconclusive" in v:
            return 3
        if "refuted" in v:
            return 1
        return 0


def run_notes(path: Path, context: Context, *, seed: int, timeout: float, jobs: int = 1, cache: Any = None,
              progress: Any = None) -> NotesRun:
    """Plan and verify the notes at `path` with `context`."""
    from ..runner import run_claims

    start = time.perf_counter()
    p = plan(path, context)
    parsed_at = time.perf_counter()
    claims = {c.id: c for c in p.claims}
    # argmax_v A = argmax_v B by a positive factor free of v (notes.extrema): cheap, and the engine
    # has nothing to say about two opaque argmaxes — a claim whose every link is such is not sent
    argmaxes: dict[tuple[str, int], str] = {}
    for c in p.claims:
        for k in range(1, len(c.steps)):
            if c.steps[k].rel == "=":
                why = _bounded(timeout, None, same_argmax, *(c.expand(c.steps[q].expr) for q in (k - 1, k)),
                               p.premises.get(c.id, []))
                if why is not None:
                    argmaxes[(c.id, k)] = why
    # an estimate (P(Y = c_k) on the left of a line in an estimation passage): the likelihood's maximum
    estimates: dict[tuple[str, int], tuple[str, str, str]] = {}
    for c in p.claims:
        model = p.mle.get(c.id)
        for k in range(1, len(c.steps) if model is not None else 0):
            if c.steps[k].rel == "=" and c.steps[k - 1].expr == model.parameter:
                estimates[(c.id, k)] = _bounded(timeout, ("inconclusive", f"timed out after {timeout:g} s", ""),
                                                check_estimate, c.expand(c.steps[k].expr), model, seed)
    settled = {c.id for c in p.claims if all((c.id, k) in argmaxes or (c.id, k) in estimates for k in range(1, len(c.steps)))}
    sent = [c for c in p.claims if c.id not in settled]
    results = run_claims(sent, seed=seed, timeout=timeout, cache=cache, jobs=jobs, progress=progress) if sent else []
    by_id = {r.id: r for r in results}
    for cid, pairs in p.links.items():
        r = by_id.get(cid)  # None: every link of the claim was settled here, none reached the engine
        for k, pos in pairs:
            st = p.steps[pos]
            if r is not None:
                _engine_verdict(st, r, k)
            if (cid, k) in estimates:  # an estimate, not a probability: the likelihood decides, not the joint model
                st.verdict, st.reason, st.counterexample = estimates[(cid, k)]
                st.status, st.method = "checked by the engine", "maximum likelihood"
            elif (cid, k) in argmaxes and st.verdict != "proved":
                st.verdict, st.status, st.method, st.reason, st.counterexample = "proved", "checked by the engine", "argmax", argmaxes[(cid, k)], ""
            elif (witness := _witness(st, claims[cid], k, p.premises.get(cid, []), seed)) is not None:
                st.verdict, st.status = "refuted", "checked by the engine"
                st.method = "a concrete distribution"
                st.counterexample = witness.text
                st.reason = (f"false under a finite distribution with exact probabilities: left side {witness.lhs},"
                             f" right side {witness.rhs} ({witness.text})")
            elif st.verdict == "refuted" and (opaque := p.abstract.get(cid, {}).get(k, ())):
                st.verdict = "inconclusive"
                st.status = "needs context"
                st.reason = (f"refuted only if {', '.join(opaque[:3])}{'…' if len(opaque) > 3 else ''} are unrelated quantities;"
                             f" the context does not define them (the engine's witness: {st.counterexample or 'none'})")
            elif st.verdict == "refuted" and (loose := p.undeclared.get(cid, {}).get(k)):
                names = ", ".join(loose[:4])
                st.verdict = "inconclusive"
                st.status = "needs context"
                st.reason = (f"refuted only when {names} {'is' if len(loose) == 1 else 'are'} any real number{'s' if len(loose) > 1 else ''};"
                             f" declare {'it' if len(loose) == 1 else 'them'} in the context (the engine's witness: {st.counterexample or 'none'})")
            elif st.verdict == "inconclusive":
                st.status = "needs context" if not context.path else st.status
            if st.verdict == "refuted" and st.qualifier:
                # the line holds only under its prose condition; a witness that ignores it is none
                st.verdict, st.status = "inconclusive", "needs context"
                st.reason = (f"refuted without its condition {st.qualifier!r}, which the witness need not satisfy"
                             f" (the engine's witness: {st.counterexample or 'none'})")
    return NotesRun(p, results, seconds=time.perf_counter() - start, parse_seconds=parsed_at - start)


def _engine_verdict(st: NoteStep, r: ClaimResult, k: int) -> None:
    """The engine's verdict on link k of its claim, with its method, detail and witness."""
    verdicts = r.line_verdicts
    link = next((s for s in r.steps if s.index == k), None)
    st.verdict = str(verdicts[k] if k < len(verdicts) and verdicts[k] else r.verdict)
    st.method = link.method if link else r.method
    st.reason = (link.detail if link else r.message) or ""
    ce = link.counterexample if link and link.counterexample else next((e.counterexample for e in r.errata if e.step == k and e.counterexample), None)
    st.counterexample = str(ce) if ce else ""


def _witness(st: NoteStep, claim: Any, k: int, premises: list, seed: int) -> Any:
    """A concrete distribution refuting a probability link the joint model did not prove, or None."""
    if st.verdict not in ("refuted", "inconclusive") or k >= len(claim.steps):
        return None
    a, b = claim.steps[k - 1].expr, claim.steps[k].expr
    if not (joint_names(a) | joint_names(b)):
        return None
    return concrete_witness(a, b, claim.steps[k].rel, premises, seed)


def _bounded(timeout: float, otherwise: Any, fn: Any, *args: Any) -> Any:
    """fn(*args) under the line's time limit; `otherwise` when it runs out (never a verdict by the clock)."""
    from ..errors import StepTimeout
    from ..timeout import time_limit

    try:
        with time_limit(timeout):
            return fn(*args)
    except StepTimeout:
        return otherwise
