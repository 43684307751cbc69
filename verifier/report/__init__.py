"""Renderers only: each turns results into text in one format; none recomputes anything."""
from __future__ import annotations

from collections.abc import Sequence

from ..results import ClaimResult, Summary

FORMATS = ("table", "json", "markdown", "html")


def forms(fmt: str, view: str) -> frozenset[str]:
    """The typeset forms of the lines (see verifier.present) that `fmt` prints for `view`."""
    if fmt == "markdown":
        return frozenset({"lines", "latex"})
    if fmt == "html":
        return frozenset({"lines", "mathml"})
    if view == "show":
        return frozenset({"lines", "pretty"}) if fmt == "table" else frozenset({"lines"})
    return frozenset()  # a table of claims or of errata: no line is printed


def render(fmt: str, view: str, results: Sequence[ClaimResult], summary: Summary, *, color: bool = False, width: int = 120) -> str:
    """Render `results` in `fmt` for `view` ("claims", "errata" or "show")."""
    if fmt == "json":
        from .json import render as r

        return r(view, results, summary)
    if fmt == "markdown":
        from .markdown import render as r

        return r(view, results, summary)
    if fmt == "html":
        from .html import render as r

        return r(view, results, summary)
    from .table import render as r

    return r(view, results, summary, color=color, width=width)
