"""Markdown: a report a notes author can act on (claims table, then each erratum)."""
from __future__ import annotations

from collections.abc import Sequence

from ..results import ClaimResult, Summary
from .text import MARK, counterexample_lines, erratum_title, reproduce, summary_line


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def render(view: str, results: Sequence[ClaimResult], summary: Summary) -> str:
    """Markdown text for the claims, errata or show view."""
    out: list[str] = []
    if view != "errata":
        out += ["| id | eq. | title | verdict | method | time |", "|---|---|---|---|---|---|"]
        for r in results:
            out.append(f"| `{r.id}` | {r.equation or ''} | {_cell(r.title)} | {MARK[r.verdict]} {r.verdict} | {_cell(r.method)} | {r.seconds:.2f} s |")
        out.append("")
    if view == "show":
        for r in results:
            out.append(f"### `{r.id}` — {r.title}")
            out.append("")
            steps = {s.index: s for s in r.steps}
            for i, line in enumerate(r.lines):
                s = steps.get(i)
                tag = f"{MARK[s.verdict]} {s.verdict} ({s.method})" if s else "given"
                out.append(f"{i}. `{line}` — {tag}")
            out.append("")
    errata = [(r, e) for r in results for e in r.errata]
    if errata:
        out.append("## Errata")
        out.append("")
        for r, e in errata:
            out.append(f"### {erratum_title(e)}")
            out.append("")
            out.append("| as written | corrected |")
            out.append("|---|---|")
            corrected = f"`{_cell(e.corrected)}` ({e.correction_verdict})" if e.corrected else "—"
            out.append(f"| `{_cell(e.as_written)}` | {corrected} |")
            out.append("")
            out.append("Counterexample:")
            out.append("")
            out += [f"- {line}" for line in counterexample_lines(e.counterexample)]
            out.append(f"- reproduce: `{reproduce(r)}`")
            out.append("")
    elif view == "errata":
        out.append("No errata found.")
        out.append("")
    out.append(summary_line(summary))
    return "\n".join(out) + "\n"
