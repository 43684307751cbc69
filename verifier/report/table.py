"""Terminal tables with rich; plain text (no colour) when not on a terminal."""
from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console, Group
from rich.cells import cell_len, set_cell_size
from rich.text import Span, Text

from ..results import ClaimResult, Summary
from .text import MARK, STYLE, counterexample_lines, erratum_title, reproduce, summary_line, unsettled


def _console(color: bool, width: int) -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    # Text objects everywhere: SymPy output such as Matrix([[...]]) is never read as markup.
    return Console(file=buf, width=width, color_system="standard" if color else None, force_terminal=color, highlight=False, emoji=False), buf


_REL = {"<=": "≤", ">=": "≥"}


_GAP = "  "  # between two columns
_MIN_TITLE = 12


def _fit(text: str, width: int, right: bool = False) -> str:
    """`text` in exactly `width` cells: cut with an ellipsis, or padded (on the left when `right`)."""
    n = cell_len(text)
    if n > width:
        return set_cell_size(text, width - 1) + "…" if width > 0 else ""
    return " " * (width - n) + text if right else text + " " * (width - n)


def claims_table(results: Sequence[ClaimResult], width: int = 120) -> Group:
    """One row per claim. Laid out here, not by rich's Table: every column has the width of its
    widest entry (an id is never cut: it is what `verify ID` takes) but the title, which gets what
    is left, cut with an ellipsis (`verify show` has it whole). Where that leaves the title fewer
    than 12 cells the time column goes, and on a narrower terminal the console crops the rows.
    (rich's Table measured and wrapped each of the 1,400 cells of the catalogue, 0.10 s of a
    warm `verify all`'s 0.2 s, and on 120 columns it dropped the time column without a word.)"""
    def widest(name: str, values) -> int:
        return max([len(name), *(cell_len(v) for v in values)])

    columns = {
        "id": widest("id", (r.id for r in results)),
        "eq.": widest("eq.", (r.equation or "-" for r in results)),
        "title": 0,
        "verdict": widest("verdict", (f"{MARK[r.verdict]} {r.verdict}" for r in results)),
        "lines": widest("lines", ("x" * len(r.steps) for r in results)),
        "method": min(22, widest("method", (r.method for r in results))),
        "time": widest("time", (f"{r.seconds:.2f}s" for r in results)),
    }

    def title_room() -> int:
        return width - sum(columns.values()) - len(_GAP) * (len(columns) - 1)

    if title_room() < _MIN_TITLE:
        del columns["time"]
    longest = widest("title", (r.title for r in results))
    columns["title"] = min(longest, max(_MIN_TITLE, title_room()))
    rows = [_row({name: (name, None) for name in columns}, columns, "bold")]
    rows.append(Text("─" * (sum(columns.values()) + len(_GAP) * (len(columns) - 1)), no_wrap=True, overflow="ignore"))
    for r in results:
        verdicts = r.line_verdicts
        cells = {"id": (r.id, None), "eq.": (r.equation or "-", None), "title": (r.title, None),
                 "verdict": (f"{MARK[r.verdict]} {r.verdict}", STYLE[r.verdict]),
                 "lines": [(MARK[verdicts[s.index]], STYLE[verdicts[s.index]]) for s in r.steps],
                 "method": (r.method, None), "time": (f"{r.seconds:.2f}s", None)}
        rows.append(_row(cells, columns))
    return Group(*rows)


def _row(cells: dict, columns: dict[str, int], style: str | None = None) -> Text:
    """One line of the table: each cell fitted to its column, its styles kept as spans."""
    plain: list[str] = []
    spans: list[Span] = []
    pos = 0
    for name, width in columns.items():
        if plain:
            plain.append(_GAP)
            pos += len(_GAP)
        cell = cells[name]
        pieces = cell if isinstance(cell, list) else [cell]
        if len(pieces) == 1:
            pieces = [(_fit(pieces[0][0], width, right=name == "time"), pieces[0][1])]
        else:  # verdict marks, one cell each: the widest row set the width
            pieces = [*pieces, (" " * (width - len(pieces)), None)]
        for text, piece_style in pieces:
            if piece_style and text.strip():
                spans.append(Span(pos, pos + len(text.rstrip()), piece_style))
            plain.append(text)
            pos += len(text)
    line = "".join(plain).rstrip()
    return Text(line, style=style or "", spans=spans, no_wrap=True, overflow="ignore", end="\n")


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
