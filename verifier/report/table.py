"""Terminal tables with rich; plain text (no colour) when not on a terminal."""
from __future__ import annotations

import io
from collections.abc import Sequence

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ..results import ClaimResult, Summary
from .text import MARK, STYLE, counterexample_lines, erratum_title, reproduce, summary_line, unsettled


def _console(color: bool, width: int) -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    # Text objects everywhere: SymPy output such as Matrix([[...]]) is never read as markup.
    return Console(file=buf, width=width, color_system="standard" if color else None, force_terminal=color, highlight=False, emoji=False), buf


_REL = {"<=": "≤", ">=": "≥"}


def _verdict(v: str) -> Text:
    return Text(f"{MARK[v]} {v}", style=STYLE[v])


def _lines_marks(r: ClaimResult) -> Text:
    t = Text()
    verdicts = r.line_verdicts
    for s in r.steps:
        v = verdicts[s.index]
        t.append(MARK[v], style=STYLE[v])
    return t


def claims_table(results: Sequence[ClaimResult], width: int = 120) -> Table:
    """One row per claim."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    # One row per claim: a long title is cut with an ellipsis (`verify show` has it whole); the
    # other columns keep their full width.
    def widest(values) -> int:
        return max((len(v) for v in values), default=1)

    fixed = {
        "id": widest(r.id for r in results),
        "eq.": widest(r.equation or "-" for r in results),
        "verdict": 14,
        "lines": widest("x" * len(r.steps) for r in results),
        "method": min(22, widest(r.method for r in results)),
        "time": 7,
    }
    title = max(12, width - sum(fixed.values()) - 2 * (len(fixed) + 1) - 4)
    cols = [(name, dict(no_wrap=True, min_width=w, max_width=w if name == "method" else None, overflow="ellipsis"))
            for name, w in fixed.items()]
    cols.insert(2, ("title", dict(no_wrap=True, max_width=title, overflow="ellipsis")))
    cols[-1][1]["justify"] = "right"
    for name, kw in cols:
        table.add_column(name, **kw)
    for r in results:
        table.add_row(Text(r.id), Text(r.equation or "-"), Text(r.title), _verdict(r.verdict), _lines_marks(r), Text(r.method), Text(f"{r.seconds:.2f}s"))
    return table


def errata_block(results: Sequence[ClaimResult]) -> Group:
    """Every wrong line: where, as written, corrected, counterexample."""
    parts = []
    for r in results:
        for e in r.errata:
            parts.append(Text(erratum_title(e), style="bold"))
            parts.append(Text(f"  as written:  {e.as_written}"))
            if e.corrected:
                parts.append(Text(f"  corrected:   {e.corrected}   [{e.correction_verdict}]"))
            if e.suggestion:
                same = " — same as the correction" if e.suggestion_matches else ""
                parts.append(Text(f"  suggested:   {e.suggestion}   [{e.suggestion_verdict}] ({e.suggestion_edit}{same})"))
            for line in counterexample_lines(e.counterexample):
                parts.append(Text(f"  {line}"))
            parts.append(Text(f"  reproduce:   {reproduce(r)}"))
            parts.append(Text(""))
    return Group(*parts)


def problems_block(results: Sequence[ClaimResult]) -> Group:
    """Claims that are inconclusive or in error, with the reason."""
    return Group(*(Text(f"{cid}{'' if line is None else f', line {line}'}: {verdict}: {why}", style=STYLE[verdict])
                   for verdict, cid, line, why in unsettled(results)))


def _baseline(rows: list[str]) -> int:
    """The row of a sympy.pretty block that carries the main line: the longest fraction bar, else the middle."""
    bars = [(max((len(run) for run in row.split() if set(run) == {"─"}), default=0), k) for k, row in enumerate(rows)]
    longest, k = max(bars)
    return k if longest else len(rows) // 2


def show_block(r: ClaimResult) -> Group:
    """Every line of one claim with its own verdict, as readable math."""
    head = Text(f"{r.id}  ", style="bold")
    head.append(r.title)
    meta = [x for x in (f"§{r.section}" if r.section else "", f"eq. {r.equation}" if r.equation else "", r.scope) if x]
    parts = [head]
    if meta:
        parts.append(Text("  " + " · ".join(meta)))
    if r.source:
        parts.append(Text(f"  declared at {r.source}", style="dim"))
    parts.append(Text(""))
    by_index = {s.index: s for s in r.steps}
    verdicts = r.line_verdicts
    for i, line in enumerate(r.lines):
        s, v = by_index.get(i), verdicts[i]
        prefix = Text(f"  {i:>2} ", style="bold")
        if v is None:
            prefix.append("   ")
        else:
            prefix.append(f"{MARK[v]}  ", style=STYLE[v])
        rel = "   " if i == 0 else f" {_REL.get(r.relation(i), r.relation(i))} "
        art = r.pretty[i] if i < len(r.pretty) else ""
        if art and "\n" in art:
            # A 2-D rendering: the relation sits on the baseline row, the rest is indented under it.
            rows = art.split("\n")
            base = _baseline(rows)
            for k, row in enumerate(rows):
                lead = prefix if k == base else Text(" " * len(prefix.plain))
                parts.append(lead + Text((rel if k == base else " " * len(rel)) + row))
        else:
            prefix.append(rel + (art or line))
            parts.append(prefix)
        if s is not None:
            parts.append(Text(f"        {s.verdict} by {s.method} ({s.seconds:.2f} s): {s.detail}", style="dim"))
    if r.message:
        parts.append(Text(f"  error: {r.message}", style=STYLE["error"]))
    if r.errata:
        parts.append(Text(""))
        parts.append(errata_block([r]))
    return Group(*parts)


def render(view: str, results: Sequence[ClaimResult], summary: Summary, *, color: bool = False, width: int = 120) -> str:
    """The table (claims), the errata list, or every line of each claim (show)."""
    console, buf = _console(color, width)
    if view == "show":
        for r in results:
            console.print(show_block(r))
            console.print()
    elif view == "errata":
        with_errata = [r for r in results if r.errata]
        if with_errata:
            console.print(errata_block(with_errata))
        else:
            console.print(Text("no errata found"))
    else:
        console.print(claims_table(results, width))
        if any(r.errata for r in results):
            console.print(Text("errata", style="bold underline"))
            console.print(errata_block(results))
    problems = problems_block(results)
    if problems.renderables:
        console.print(problems)
    console.print(Text(summary_line(summary)))
    return buf.getvalue()
