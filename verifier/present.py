"""The strings a report shows for a claim's lines: LaTeX, presentation MathML and 2-D text.

Made from the claim after verification, outside the engine: the engine decides verdicts and
renders nothing, so a change of printer changes no verdict. The public `verify` typesets every
form; the CLI asks the runner for the forms its report prints (`report.forms`), and a cached result
lacking one is typeset when it is read back.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from .claim import Claim, Step
from .results import ClaimResult

# Lines longer than this (as text) are not typeset: LaTeX and MathML printers take far longer than
# verification on huge lines (an 18,000-term line: 1.4 s verified, 18 s typeset), and a report
# shows such a line as text anyway.
RENDER_LIMIT = 4000
PRETTY_LIMIT = 160  # 2-D text only for short lines: longer ones read better flat


# Every form a report can show: the lines as text, and typeset. A table of claims (`verify all`)
# shows none of them: printing every line of the catalogue as text was 4% of a cold run.
FORMS = frozenset({"lines", "latex", "mathml", "pretty"})


def present(claim: Claim, result: ClaimResult, forms: frozenset[str] | set[str] = FORMS) -> ClaimResult:
    """`result` with the `forms` of each line of `claim` (its text, "latex" also for its errata),
    made only where missing: a report asks for what it prints (MathML costs more than verifying
    some claims)."""
    import sympy as sp

    steps = list(claim.steps)
    missing = {f for f in forms if len(getattr(result, f)) != len(steps)}
    if not missing:
        return result
    done: dict = {}
    texts = result.lines
    if len(texts) != len(steps):  # the typeset forms need it too: how long each line is
        shown: dict = {}  # the text of each subexpression, shared by the claim's lines
        texts = done["lines"] = tuple(line_text(s.expr, shown) for s in steps)
    small = [len(t) <= RENDER_LIMIT for t in texts]
    if "latex" in missing:
        done["latex"] = tuple(latex(s) if ok else (s.latex or "") for s, ok in zip(steps, small))
        done["errata"] = tuple(
            replace(
                e,
                as_written_latex=e.as_written_latex or (latex(steps[e.step]) if 0 <= e.step < len(steps) else ""),
                corrected_latex=e.corrected_latex or (latex(claim.corrections[e.step]) if e.step in claim.corrections else ""),
            )
            for e in result.errata
        )
    if "mathml" in missing:
        done["mathml"] = tuple(_mathml(s.expr, sp) if ok else "" for s, ok in zip(steps, small))
    if "pretty" in missing:
        done["pretty"] = tuple(_pretty(s.expr, t, sp) for s, t in zip(steps, texts))
    return replace(result, **done)


def line_text(expr: Any, memo: dict | None = None) -> str:
    """A line as text: a code line by its label, an expression as SymPy prints it, huge integers
    shortened (a line holding 2**20000 prints as 39802…(6021 digits)); never raises."""
    from .claim import ForAll, Numeric, Property
    from .results import short_number

    if isinstance(expr, (Numeric, Property, ForAll)):
        return expr.label or getattr(expr.fn, "__name__", "code")
    return short_number(expr, memo)


def latex(step: Step) -> str:
    """The line's LaTeX: as printed in the notes when the claim gives it, else SymPy's."""
    if step.latex:
        return step.latex
    import sympy as sp

    if isinstance(step.expr, sp.Basic):
        try:
            return sp.latex(step.expr)
        except Exception:  # a printer gap must not cost the result
            return ""
    return ""


def _pretty(expr: Any, text: str, sp: Any) -> str:
    if not isinstance(expr, sp.Basic) or len(text) > PRETTY_LIMIT:
        return ""
    try:
        return sp.pretty(expr, use_unicode=True)
    except Exception:
        return ""


def _mathml(expr: Any, sp: Any) -> str:
    if not isinstance(expr, sp.Basic):
        return ""
    try:
        return sp.mathml(expr, printer="presentation")
    except Exception:
        return ""
