"""HTML: one self-contained offline page; every line rendered as MathML and coloured by its verdict.

No scripts, no external stylesheets, fonts or links: the page opens from a file anywhere. Every
text is escaped; the MathML strings come from SymPy's printer (via `ClaimResult.mathml`) and are
inserted as markup. The output is also well-formed XML (XHTML-compatible), which the tests check.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from html.entities import html5

from ..results import ClaimResult, Erratum, LinkResult, Summary
from . import graph as graphs
from .text import MARK, counterexample_lines, erratum_title, reproduce, summary_line, unsettled

# Verdict colours: (text/border, background). "unknown" is a claim named in `uses` but not verified here.
COLORS = {
    "proved": ("#2e7d32", "#e6f4ea"),
    "checked": ("#00838f", "#e0f7fa"),
    "refuted": ("#c62828", "#fdecea"),
    "inconclusive": ("#a66b00", "#fff8e1"),
    "error": ("#8e24aa", "#f3e5f5"),
    "unknown": ("#616161", "#f5f5f5"),
}

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #212121; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; margin-top: 2.2rem; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
pre { background: #fafafa; border: 1px solid #eee; padding: 0.5rem 0.75rem; overflow-x: auto; }
table.claims { border-collapse: collapse; width: 100%; }
table.claims th, table.claims td { text-align: left; padding: 0.25rem 0.6rem; border-bottom: 1px solid #eee; vertical-align: top; }
table.claims td.time { text-align: right; white-space: nowrap; }
.badge { display: inline-block; padding: 0 0.45rem; border-radius: 0.7rem; font-size: 0.85em; white-space: nowrap; color: var(--fg); background: var(--bg); border: 1px solid var(--fg); }
.marks span { font-weight: bold; color: var(--fg); }
ol.lines { list-style: none; padding-left: 0; margin: 0.5rem 0; }
li.line { display: grid; grid-template-columns: 2.2rem 1.6rem 1.6rem 1fr; align-items: center; border-left: 4px solid var(--fg, #bbb); background: var(--bg, transparent); margin: 0.2rem 0; padding: 0.25rem 0.5rem; }
li.line .no { color: #757575; font-size: 0.85em; }
li.line .mark { font-weight: bold; color: var(--fg); }
li.line .rel { text-align: center; }
li.line .detail { grid-column: 4; color: #555; font-size: 0.85em; }
li.given { --fg: #9e9e9e; --bg: #fafafa; }
math { font-size: 1.15em; }
details.claim { border: 1px solid #e0e0e0; border-radius: 6px; margin: 0.6rem 0; padding: 0.3rem 0.8rem; }
details.claim summary { cursor: pointer; }
section.claim { margin: 1rem 0 2rem 0; }
.meta { color: #616161; font-size: 0.9em; }
article.erratum { border: 1px solid #f2c4c4; border-left: 6px solid #c62828; border-radius: 6px; padding: 0.3rem 1rem 0.8rem 1rem; margin: 1rem 0; }
article.erratum h3 { margin: 0.5rem 0 0.2rem 0; font-size: 1.05rem; }
.side-by-side { display: grid; grid-template-columns: 1fr 1fr; gap: 0.8rem; }
.side-by-side > div { padding: 0.4rem 0.7rem; border-radius: 4px; overflow-x: auto; }
.side-by-side h4 { margin: 0 0 0.3rem 0; font-size: 0.9rem; }
.written { background: #fdecea; border: 1px solid #f2c4c4; }
.corrected { background: #e6f4ea; border: 1px solid #b9dfc1; }
.kind { font-weight: bold; }
.kind.propagates { color: #c62828; }
svg.graph { max-width: 100%; height: auto; }
svg.graph rect { fill: var(--bg); stroke: var(--fg); stroke-width: 1.5; }
svg.graph rect.undermined { stroke-dasharray: 5 3; stroke-width: 3; }
svg.graph text { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; fill: #212121; }
svg.graph line { stroke: #757575; stroke-width: 1.3; }
ul.deps li { margin: 0.15rem 0; }
.undermined-note { color: #c62828; font-size: 0.85em; }
footer { margin-top: 3rem; color: #757575; font-size: 0.85em; }
"""


def _verdict_css() -> str:
    return "\n".join(f".{v} {{ --fg: {fg}; --bg: {bg}; }}" for v, (fg, bg) in COLORS.items())


def _e(s: object) -> str:
    return escape(str(s), quote=True)


def _badge(verdict: str, text: str | None = None) -> str:
    label = f"{MARK.get(verdict, '·')} {verdict}" if text is None else text
    return f'<span class="badge {_e(verdict)}">{_e(label)}</span>'


def _anchor(claim_id: str) -> str:
    return "claim-" + "".join(c if c.isalnum() or c in "-_." else "-" for c in claim_id)


_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = ("amp", "lt", "gt", "quot", "apos")


def _numeric_entities(markup: str) -> str:
    """SymPy's MathML uses HTML named entities (&InvisibleTimes;, &pi;); numeric ones keep the page valid XML too."""

    def numeric(m: re.Match[str]) -> str:
        name = m.group(1)
        chars = html5.get(name + ";")
        if name in _XML_ENTITIES or chars is None:
            return m.group(0) if name in _XML_ENTITIES else "&amp;" + name + ";"
        return "".join(f"&#x{ord(c):x};" for c in chars)

    return _ENTITY.sub(numeric, markup)


def _math(mathml: str, text: str) -> str:
    """A line as MathML (SymPy's presentation markup) or, when there is none, as plain text."""
    if mathml:
        return f'<math displaystyle="true">{_numeric_entities(mathml)}</math>'
    return f"<code>{_e(text)}</code>"


def lines_block(r: ClaimResult) -> str:
    """Every line of one claim as mathematics, coloured by its own verdict, with the method and detail."""
    steps: dict[int, LinkResult] = {s.index: s for s in r.steps}
    out = ['<ol class="lines" start="0">']
    for i, (line, v) in enumerate(zip(r.lines, r.line_verdicts)):
        mathml = r.mathml[i] if i < len(r.mathml) else ""
        cls = v or "given"
        mark = MARK.get(v, "") if v else ""
        rel = {"<=": "≤", ">=": "≥"}.get(r.relation(i), r.relation(i))
        out.append(
            f'<li class="line {_e(cls)}" id="{_anchor(r.id)}-line-{i}"><span class="no">{i}</span>'
            f'<span class="mark" title="{_e(v or "given")}">{_e(mark)}</span><span class="rel">{rel}</span>'
            f'<span class="expr">{_math(mathml, line)}</span>'
        )
        s = steps.get(i)
        if s is not None:
            out.append(f'<span class="detail">{_e(s.verdict)} by {_e(s.method)} ({s.seconds:.2f} s): {_e(s.detail)}</span>')
        out.append("</li>")
    out.append("</ol>")
    return "\n".join(out)


def _claim_head(r: ClaimResult) -> str:
    meta = [x for x in (f"§{r.section}" if r.section else "", f"eq. {r.equation}" if r.equation else "", r.scope) if x]
    parts = [f"<code>{_e(r.id)}</code> {_badge(r.verdict)} {_e(r.title)}"]
    if meta:
        parts.append(f' <span class="meta">{_e(" · ".join(meta))}</span>')
    return "".join(parts)


def claim_block(r: ClaimResult, *, collapsible: bool) -> str:
    """One claim: its head, where it is declared, every line, an error message if any."""
    body = []
    if r.source:
        body.append(f'<p class="meta">declared at <code>{_e(r.source)}</code></p>')
    if r.uses:
        body.append('<p class="meta">uses ' + ", ".join(f'<a href="#{_anchor(u)}"><code>{_e(u)}</code></a>' for u in r.uses) + "</p>")
    body.append(lines_block(r))
    if r.message:
        body.append(f'<p class="error">error: {_e(r.message)}</p>')
    if collapsible:
        is_open = "" if r.holds else ' open="open"'
        return f'<details class="claim" id="{_anchor(r.id)}"{is_open}><summary>{_claim_head(r)}</summary>\n' + "\n".join(body) + "\n</details>"
    return f'<section class="claim" id="{_anchor(r.id)}"><h2>{_claim_head(r)}</h2>\n' + "\n".join(body) + "\n</section>"


def erratum_block(r: ClaimResult, e: Erratum, graph: graphs.Graph | None = None) -> str:
    """A wrong line: location, as written | corrected side by side, counterexample, propagation."""
    written_ml = r.mathml[e.step] if e.step < len(r.mathml) else ""
    where = [f"§{e.section}" if e.section else "", f"eq. {e.equation}" if e.equation else "", f"line {e.step} of {e.claim_id}"]
    out = [f'<article class="erratum {_e(e.kind)}">', f"<h3>{_e(erratum_title(e))}</h3>"]
    out.append(f'<p class="meta">{_e(" · ".join(w for w in where if w))}</p>')
    out.append('<div class="side-by-side">')
    out.append(f'<div class="written"><h4>as written</h4><p>{_math(written_ml, e.as_written)}</p><p><code>{_e(e.as_written)}</code></p></div>')
    if e.corrected:
        verdict = e.correction_verdict or "unknown"
        out.append(f'<div class="corrected"><h4>corrected {_badge(verdict)}</h4><p><code>{_e(e.corrected)}</code></p></div>')
    else:
        out.append('<div class="corrected"><h4>corrected</h4><p class="meta">no correction given</p></div>')
    out.append("</div>")
    out.append("<h4>Counterexample</h4>")
    out.append(f"<pre>{_e(chr(10).join(counterexample_lines(e.counterexample)))}</pre>")
    if e.kind == "isolated":
        out.append('<p class="kind isolated">Isolated: the next line is right again; the error does not reach the conclusion.</p>')
    else:
        out.append('<p class="kind propagates">Propagates: the lines after it carry the error on; the conclusion does not follow as written.</p>')
        users = graph.users(e.claim_id) if graph is not None else ()
        if users:
            out.append('<p class="undermined-note">Undermines ' + ", ".join(f'<a href="#{_anchor(u)}"><code>{_e(u)}</code></a>' for u in users) + "</p>")
    out.append(f'<p class="meta">reproduce: <code>{_e(reproduce(r))}</code></p>')
    out.append("</article>")
    return "\n".join(out)


def graph_block(graph: graphs.Graph) -> str:
    """The dependency graph as inline SVG (layered: users above what they use) plus a readable list."""
    if not graph.edges:
        return ""
    char, pad, box_h, gap_x, gap_y = 7.3, 12, 40, 24, 46
    width_of = {n.id: max(len(n.id), len(f"{MARK.get(n.verdict, '·')} {n.verdict}") + 2) * char + 2 * pad for n in graph.nodes}
    layers = _untangle(graph, graph.layers())
    row_w = [sum(width_of[n] for n in layer) + gap_x * (len(layer) - 1) for layer in layers]
    total_w = max(row_w) + 2 * gap_x
    total_h = len(layers) * (box_h + gap_y) - gap_y + 2 * gap_x
    pos: dict[str, tuple[float, float]] = {}
    for k, layer in enumerate(layers):
        x = (total_w - row_w[k]) / 2
        y = gap_x + k * (box_h + gap_y)
        for n in layer:
            pos[n] = (x, y)
            x += width_of[n] + gap_x
    svg = [
        f'<svg class="graph" role="img" aria-label="dependency graph" width="{total_w:.0f}" height="{total_h:.0f}" viewBox="0 0 {total_w:.0f} {total_h:.0f}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#757575"/></marker></defs>',
    ]
    for a, b in graph.edges:
        (xa, ya), (xb, yb) = pos[a], pos[b]
        x1, x2 = xa + width_of[a] / 2, xb + width_of[b] / 2
        y1, y2 = (ya + box_h, yb) if yb > ya else (ya, yb + box_h)
        svg.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" marker-end="url(#arrow)"><title>{_e(a)} uses {_e(b)}</title></line>')
    for n in graph.nodes:
        x, y = pos[n.id]
        cls = f"{n.verdict} undermined" if n.undermined else n.verdict
        tip = f"{n.id}: {n.verdict}" + (" (uses a claim that does not hold)" if n.undermined else "") + (f" · {n.title}" if n.title else "")
        svg.append(
            f'<g class="{_e(n.verdict)}"><title>{_e(tip)}</title>'
            f'<rect class="{_e(cls)}" x="{x:.1f}" y="{y:.1f}" width="{width_of[n.id]:.1f}" height="{box_h}" rx="6"/>'
            f'<text x="{x + pad:.1f}" y="{y + 16:.1f}">{_e(n.id)}</text>'
            f'<text x="{x + pad:.1f}" y="{y + 32:.1f}">{_e(MARK.get(n.verdict, "·"))} {_e(n.verdict)}{" ⚠" if n.undermined else ""}</text></g>'
        )
    svg.append("</svg>")
    items = []
    for n in graph.nodes:
        uses = graph.uses(n.id)
        if not uses:
            continue
        used = ", ".join(f'{_badge(graph.node(u).verdict, u)}' for u in uses)
        note = ' <span class="undermined-note">⚠ undermined: it uses a claim that does not hold</span>' if n.undermined else ""
        items.append(f"<li>{_badge(n.verdict, n.id)} uses {used}{note}</li>")
    return (
        '<section id="dependencies"><h2>Dependencies</h2>\n'
        '<p class="meta">An arrow points from a claim to a claim it uses; a dashed border (⚠) marks a claim that uses a claim that does not hold.</p>\n'
        + "\n".join(svg)
        + '\n<ul class="deps">\n'
        + "\n".join(items)
        + "\n</ul></section>"
    )


def _crossings(graph: graphs.Graph, layers: list[list[str]]) -> int:
    """How many pairs of edges between adjacent layers cross."""
    where = {n: (k, i) for k, layer in enumerate(layers) for i, n in enumerate(layer)}
    spans = [(where[a], where[b]) for a, b in graph.edges if abs(where[a][0] - where[b][0]) == 1]
    spans = [(min(p, q), max(p, q)) for p, q in spans]
    return sum(
        1
        for i, (p1, q1) in enumerate(spans)
        for p2, q2 in spans[i + 1 :]
        if p1[0] == p2[0] and (p1[1] - p2[1]) * (q1[1] - q2[1]) < 0
    )


def _untangle(graph: graphs.Graph, layers: list[list[str]]) -> list[list[str]]:
    """Fewer crossings: sweep down and up ordering each layer by its neighbours' mean position; keep the best."""
    layers = [list(layer) for layer in layers]
    best, best_count = [list(layer) for layer in layers], _crossings(graph, layers)
    for sweep in ("down", "up") * 4:
        rng = range(1, len(layers)) if sweep == "down" else range(len(layers) - 2, -1, -1)
        for k in rng:
            ref = layers[k - 1] if sweep == "down" else layers[k + 1]
            where = {n: i for i, n in enumerate(ref)}

            def key(n: str, i: int) -> tuple[float, int]:
                near = graph.users(n) if sweep == "down" else graph.uses(n)
                pos = [where[m] for m in near if m in where]
                return (sum(pos) / len(pos) if pos else float(i), i)

            layers[k] = [n for _, n in sorted((key(n, i), n) for i, n in enumerate(layers[k]))]
        count = _crossings(graph, layers)
        if count < best_count:
            best, best_count = [list(layer) for layer in layers], count
    return best


def claims_table(results: Sequence[ClaimResult]) -> str:
    """One row per claim: id, equation, title, verdict, a mark per line, method, time."""
    rows = ['<table class="claims"><thead><tr><th>id</th><th>eq.</th><th>title</th><th>verdict</th><th>lines</th><th>method</th><th>time</th></tr></thead><tbody>']
    for r in results:
        marks = "".join(f'<span class="{_e(v)}" title="line {i}: {_e(v)}">{_e(MARK[v])}</span>' for i, v in enumerate(r.line_verdicts) if v)
        rows.append(
            f'<tr><td><a href="#{_anchor(r.id)}"><code>{_e(r.id)}</code></a></td><td>{_e(r.equation or "")}</td><td>{_e(r.title)}</td>'
            f'<td>{_badge(r.verdict)}</td><td class="marks">{marks}</td><td>{_e(r.method)}</td><td class="time">{r.seconds:.2f} s</td></tr>'
        )
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _problems(results: Sequence[ClaimResult]) -> str:
    items = [f'<li class="error">{_badge("error", cid)} {_e(why)}</li>' if line is None else f"<li>{_badge(verdict, f'{cid}, line {line}')} {_e(why)}</li>"
             for verdict, cid, line, why in unsettled(results)]
    return '<section id="problems"><h2>Not settled</h2><ul>' + "\n".join(items) + "</ul></section>" if items else ""


def _summary(summary: Summary) -> str:
    counts = " ".join(_badge(v, f"{getattr(summary, v)} {v}") for v in ("proved", "checked", "refuted", "inconclusive", "error"))
    return f'<p class="summary">{counts}</p>\n<p class="meta">{_e(summary_line(summary))}</p>'


def render(view: str, results: Sequence[ClaimResult], summary: Summary) -> str:
    """The page for the claims view (table, graph, every claim's lines, errata), errata or show."""
    graph = graphs.build(results)
    errata = [(r, e) for r in results for e in r.errata]
    body: list[str] = []
    if view == "errata":
        title = "Errata"
        body.append("<h2>Errata</h2>")
        body += [erratum_block(r, e, graph) for r, e in errata] or ["<p>No errata found.</p>"]
    elif view == "show":
        title = ", ".join(r.id for r in results[:3]) + (" …" if len(results) > 3 else "")
        body += [claim_block(r, collapsible=False) for r in results]
        if errata:
            body.append('<section id="errata"><h2>Errata</h2>')
            body += [erratum_block(r, e, graph) for r, e in errata]
            body.append("</section>")
    else:
        title = f"{len(results)} claim{'s' if len(results) != 1 else ''}"
        body.append('<section id="claims"><h2>Claims</h2>')
        body.append(claims_table(results))
        body.append("</section>")
        body.append(graph_block(graph))
        if errata:
            body.append('<section id="errata"><h2>Errata</h2>')
            body += [erratum_block(r, e, graph) for r, e in errata]
            body.append("</section>")
        body.append('<section id="lines"><h2>Every line</h2>')
        body += [claim_block(r, collapsible=True) for r in results]
        body.append("</section>")
    body.append(_problems(results))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8"/>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
        f"<title>derivation-verifier: {_e(title)}</title>\n"
        f"<style>{_CSS}{_verdict_css()}\n</style>\n</head>\n<body>\n"
        f"<header><h1>derivation-verifier: {_e(title)}</h1>\n{_summary(summary)}</header>\n<main>\n"
        + "\n".join(b for b in body if b)
        + f'\n</main>\n<footer>seed {summary.seed} · every line proved, checked or refuted by derivation-verifier</footer>\n</body>\n</html>\n'
    )
