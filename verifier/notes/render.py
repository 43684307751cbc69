"""Reports of a notes run: every step with file:line, label, source LaTeX, parse and verdict,
then the unparsed members grouped by cause. Table and Markdown are text; JSON extends the claims
document with a "notes" object; HTML is the claims page with the steps table added."""
from __future__ import annotations

import html as _html
import json
from collections import Counter
from typing import Any

from .run import NotesRun


def _unparsed(run: NotesRun) -> list[dict[str, Any]]:
    out = []
    for ms in run.plan.members:
        for m in ms:
            if m.parsed is None:
                out.append({"line": m.line, "latex": m.latex, "cause": m.cause, "reason": m.reason})
    return out


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_dict(run: NotesRun) -> dict[str, Any]:
    """The notes part of the JSON document."""
    return {
        "summary": run.summary(),
        "steps": [{"file": s.file, "line": s.line, "label": s.label, "section": s.section, "relation": s.rel,
                   "lhs_latex": s.lhs_latex, "rhs_latex": s.rhs_latex, "lhs": s.lhs, "rhs": s.rhs,
                   "verdict": s.verdict or None, "status": s.status, "reason": s.reason, "method": s.method,
                   "claim": s.claim or None, "counterexample": s.counterexample or None,
                   "qualifier": s.qualifier or None} for s in run.steps],
        "unparsed": _unparsed(run),
        "unparsed_by_cause": dict(Counter(u["cause"] for u in _unparsed(run)).most_common()),
    }


def render(fmt: str, run: NotesRun, summary: Any) -> str:
    """The report in `fmt` (table, markdown, json, html)."""
    if fmt == "json":
        from ..report import render as claims_render

        doc = json.loads(claims_render("json", "claims", run.results, summary))
        doc["notes"] = to_dict(run)
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        from ..report import render as claims_render

        page = claims_render("html", "show", run.results, summary)
        rows = "".join(
            f"<tr><td>{s.line}</td><td>{_html.escape(s.label or '')}</td><td><code>{_html.escape(s.lhs_latex)}</code> {_html.escape(s.rel)} "
            f"<code>{_html.escape(s.rhs_latex)}</code></td><td><code>{_html.escape(s.rhs)}</code></td>"
            f"<td>{_html.escape(s.verdict or s.status)}</td><td>{_html.escape(s.reason[:300])}</td></tr>" for s in run.steps)
        table = (f"<section><h2>Steps of {_html.escape(run.plan.file)}</h2><table><tr><th>line</th><th>label</th><th>as written</th>"
                 f"<th>parsed</th><th>verdict</th><th>why</th></tr>{rows}</table></section>")
        return page.replace("</body>", table + "</body>") if "</body>" in page else page + table
    md = fmt == "markdown"
    s = run.summary()
    out = []
    out.append(("# " if md else "") + f"verify notes {s['file']}" + (f"  (context: {s['context']})" if s["context"] else "  (no context file: free symbols are real)"))
    out.append("")
    if md:
        out.append("| line | label | as written | parsed (right side) | verdict | why |")
        out.append("|---|---|---|---|---|---|")
    for st in run.steps:
        verdict = st.verdict or st.status
        if md:
            out.append(f"| {st.line} | {st.label or ''} | `{st.lhs_latex[:60]} {st.rel} {st.rhs_latex[:60]}` | `{st.rhs[:60]}` | {verdict} | {st.reason[:120]} |".replace("\n", " "))
        else:
            out.append(f"{s['file']}:{st.line:<5} {st.label or '-':9} {verdict:13} {_short(st.lhs_latex)} {st.rel} {_short(st.rhs_latex)}")
            if st.lhs or st.rhs:
                out.append(f"{'':8}parsed: {_short(st.lhs or '?', 70)} {st.rel} {_short(st.rhs or '?', 70)}")
            if st.reason and st.verdict not in ("proved", "checked"):
                out.append(f"{'':8}{st.reason[:160]}")
    out.append("")
    out.append(("## " if md else "") + "Unparsed, by cause")
    for cause, n in Counter(u["cause"] for u in _unparsed(run)).most_common():
        out.append(f"- {n:3}  {cause}")
    v = s["verdicts"]
    out.append("")
    out.append(f"{s['display_lines_parsed']}/{s['display_lines']} display lines parsed, {s['steps_decided']}/{s['steps']} steps decided"
               f" ({s['steps_decided']}/{s['claim_steps']} of those that are claims): "
               f"{v['proved']} proved, {v['checked']} checked, {v['refuted']} refuted, {v['inconclusive']} inconclusive, {v['error']} error;"
               f" {s['definitions']} definitions, {s['unparsed_steps']} unparsed, {s['needs_context']} need context, {s['not_equations']} not equations; {s['seconds']:.1f} s")
    return "\n".join(out) + "\n"
