"""Markdown: a report a notes author can act on (claims table, dependency graph, then each erratum)."""
from __future__ import annotations

from collections.abc import Sequence

from ..results import ClaimResult, Erratum, Summary
from . import graph as graphs
from .text import MARK, counterexample_lines, erratum_title, reproduce, summary_line, unsettled

# Mermaid class per verdict (plus "unknown" for ids not verified in this run, "undermined" as an overlay).
CLASSDEFS = {
    "proved": "fill:#e6f4ea,stroke:#2e7d32,color:#1b5e20",
    "checked": "fill:#e0f7fa,stroke:#00838f,color:#006064",
    "refuted": "fill:#fdecea,stroke:#c62828,color:#b71c1c",
    "inconclusive": "fill:#fff8e1,stroke:#f9a825,color:#795548",
    "error": "fill:#f3e5f5,stroke:#8e24aa,color:#4a148c",
    "unknown": "fill:#f5f5f5,stroke:#9e9e9e,color:#616161",
    "undermined": "stroke-dasharray:5 3,stroke-width:3px",
}


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def _math(latex: str) -> str:
    """Inline LaTeX `$...$` for a table cell (empty when there is none)."""
    return f"${_cell(latex)}$" if latex else ""


def _code(s: str) -> str:
    fence = "``" if "`" in s else "`"
    return f"{fence}{_cell(s)}{fence}"


def mermaid(results: Sequence[ClaimResult]) -> list[str]:
    """A ```mermaid graph TD``` block: one node per claim that uses or is used, edges user → used."""
    g = graphs.build(results)
    if not g.edges:
        return []
    key = {n.id: f"c{i}" for i, n in enumerate(g.nodes)}
    out = ["```mermaid", "graph TD"]
    for n in g.nodes:
        mark = MARK.get(n.verdict, "·")
        note = "<br/>⚠ undermined" if n.undermined else ""
        label = f"{n.id}<br/>{mark} {n.verdict}{note}".replace('"', "#quot;")
        out.append(f'  {key[n.id]}["{label}"]')
    for a, b in g.edges:
        out.append(f"  {key[a]} --> {key[b]}")
    for cls in CLASSDEFS:
        members = [key[n.id] for n in g.nodes if (n.undermined if cls == "undermined" else n.verdict == cls)]
        if members:
            out.append(f"  class {','.join(members)} {cls}")
    for cls, style in CLASSDEFS.items():
        out.append(f"  classDef {cls} {style}")
    out.append("```")
    return out


def erratum_block(r: ClaimResult, e: Erratum, graph: graphs.Graph | None = None) -> list[str]:
    """One erratum: location, as written | corrected side by side, counterexample, propagation."""
    out = [f"### {erratum_title(e)}", ""]
    where = [f"§{e.section}" if e.section else "", f"eq. {e.equation}" if e.equation else "", f"line {e.step} of `{r.id}`"]
    out.append("**Location:** " + ", ".join(w for w in where if w) + (f" (declared at `{r.source}`)" if r.source else ""))
    out.append("")
    written_tex = e.as_written_latex or (r.latex[e.step] if e.step < len(r.latex) else "")
    out.append("| | as written | corrected |")
    out.append("|---|---|---|")
    if e.corrected:
        out.append(f"| text | {_code(e.as_written)} | {_code(e.corrected)} ({e.correction_verdict}) |")
        if written_tex or e.corrected_latex:
            out.append(f"| math | {_math(written_tex)} | {_math(e.corrected_latex)} |")
    else:
        out.append(f"| text | {_code(e.as_written)} | — (no correction given) |")
        if written_tex:
            out.append(f"| math | {_math(written_tex)} | |")
    out.append("")
    out.append("**Counterexample:**")
    out.append("")
    out += [f"- {line}" for line in counterexample_lines(e.counterexample)]
    out.append("")
    if e.kind == "isolated":
        out.append("**Isolated:** the next line is right again; the error does not reach the conclusion.")
    else:
        out.append("**Propagates:** the lines after it carry the error on; the conclusion does not follow as written.")
        users = graph.users(r.id) if graph is not None else ()
        if users:
            out.append(f"Claims that use `{r.id}` and are undermined by it: " + ", ".join(f"`{u}`" for u in users) + ".")
    out.append("")
    out.append(f"Reproduce: `{reproduce(r)}`")
    out.append("")
    return out


def _problems(results: Sequence[ClaimResult]) -> list[str]:
    out = [f"- `{cid}`{'' if line is None else f', line {line}'}: {verdict}: {_cell(why)}" for verdict, cid, line, why in unsettled(results)]
    return ["## Not settled", "", *out, ""] if out else []


def render(view: str, results: Sequence[ClaimResult], summary: Summary) -> str:
    """Markdown text for the claims, errata or show view."""
    out: list[str] = []
    graph = graphs.build(results)
    if view != "errata":
        out += ["| id | eq. | title | verdict | method | time |", "|---|---|---|---|---|---|"]
        for r in results:
            out.append(f"| `{r.id}` | {r.equation or ''} | {_cell(r.title)} | {MARK[r.verdict]} {r.verdict} | {_cell(r.method)} | {r.seconds:.2f} s |")
        out.append("")
    if view == "claims" and graph.edges:
        out += ["## Dependencies", "", "An arrow points from a claim to a claim it uses; ⚠ undermined: it uses a claim that does not hold.", ""]
        out += mermaid(results)
        out.append("")
    if view == "show":
        for r in results:
            out.append(f"### `{r.id}` — {r.title}")
            out.append("")
            steps = {s.index: s for s in r.steps}
            for i, (line, v) in enumerate(zip(r.lines, r.line_verdicts)):
                s = steps.get(i)
                tag = f"{MARK[v]} {v} ({s.method})" if s and v else "given"
                tex = f" {_math(r.latex[i])}" if i < len(r.latex) and r.latex[i] else ""
                out.append(f"{i}. {_code(line)}{tex} — {tag}")
            out.append("")
    errata = [(r, e) for r in results for e in r.errata]
    if errata:
        out.append("## Errata")
        out.append("")
        for r, e in errata:
            out += erratum_block(r, e, graph)
    elif view == "errata":
        out.append("No errata found.")
        out.append("")
    out += _problems(results)
    out.append(summary_line(summary))
    return "\n".join(out) + "\n"
