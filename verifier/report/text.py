"""Small text pieces shared by the renderers (verdict marks, counterexample lines)."""
from __future__ import annotations

from collections.abc import Sequence

from ..results import ClaimResult, Counterexample, Erratum, Summary

MARK = {"proved": "✔", "checked": "≈", "refuted": "✘", "inconclusive": "?", "error": "!"}
STYLE = {"proved": "green", "checked": "cyan", "refuted": "bold red", "inconclusive": "yellow", "error": "magenta"}


def counterexample_lines(cx: Counterexample | None) -> list[str]:
    """A counterexample, one value per line, then both sides and the difference."""
    if cx is None:
        return ["(no counterexample)"]
    out = [f"{k} = {v}" for k, v in cx.values]
    if cx.realization:
        out.append(f"where {cx.realization}")
    if cx.lhs or cx.rhs:
        out.append(f"previous line = {cx.lhs}")
        out.append(f"this line     = {cx.rhs}")
        out.append(f"difference    = {cx.difference}" + ("" if cx.exact else " (50-digit replay)"))
    return out


def unsettled(results: Sequence[ClaimResult]) -> list[tuple[str, str, int | None, str]]:
    """(verdict, claim id, line or None for the whole claim, why) for each claim in error and each
    line settled neither way, in run order."""
    out: list[tuple[str, str, int | None, str]] = []
    for r in results:
        if r.verdict == "error":
            out.append(("error", r.id, None, r.message))
        for s in r.steps:
            if s.verdict in ("inconclusive", "error") and not (r.verdict == "error" and s.detail == r.message):
                out.append((s.verdict, r.id, s.index, s.detail))
    return out


def erratum_title(e: Erratum) -> str:
    """`my:claim, line 3 (§2.1, eq. 4.2) — isolated`."""
    where = ", ".join(x for x in (f"§{e.section}" if e.section else "", f"eq. {e.equation}" if e.equation else "") if x)
    return f"{e.claim_id}, line {e.step}" + (f" ({where})" if where else "") + f" — {e.kind}"


def summary_line(s: Summary) -> str:
    """`12 proved, 3 checked, 1 refuted, 0 inconclusive, 0 error in 2.1 s (seed 20190709)`."""
    return (
        f"{s.proved} proved, {s.checked} checked, {s.refuted} refuted, {s.inconclusive} inconclusive, "
        f"{s.error} error in {s.seconds:.2f} s (seed {s.seed})"
    )


def reproduce(r: ClaimResult) -> str:
    """The command (catalogue claims) or call (a user's claims) that reproduces this result."""
    if "derivations" in r.source.replace("\\", "/").split("/")[-2:-1]:
        return f"verify show {r.id} --seed {r.seed}"
    return f"verify(claim, seed={r.seed})  # claim {r.id}" + (f", declared at {r.source}" if r.source else "")
