"""JSON: the pinned format other tools read ({"claims": [...], "summary": {...}})."""
from __future__ import annotations

import json
from collections.abc import Sequence

from ..results import ClaimResult, Summary, undermined


def render(view: str, results: Sequence[ClaimResult], summary: Summary) -> str:
    """One JSON document; `errata` view keeps only claims with errata."""
    chosen = [r for r in results if r.errata] if view == "errata" else list(results)
    weak = undermined(results)  # over the whole run: a claim rests on claims the errata view leaves out
    doc = {"claims": [{**r.to_dict(), "undermined_by": list(weak.get(r.id, ()))} for r in chosen], "summary": summary.to_dict()}
    if view == "show":
        for d, r in zip(doc["claims"], chosen):
            d["lines"] = list(r.lines)
    return json.dumps(doc, indent=2, ensure_ascii=False)
