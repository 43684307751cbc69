"""Suggested fixes: the smallest edit of a wrong line that makes the chain hold again.

Edits, smallest first: flip the sign of a term, scale a term by 2 or ½, shift an integer
symbol by ±1 (n ↔ n−1) or swap two symbols, drop a term or a factor, and replace one
sub-expression by a related one from a neighbouring line (X̄² → E[X̄²], Var[X] → Var[X̄]).
Each candidate is verified by the engine like any line: it must follow from the line before
and lead to the line after.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from .claim import Claim, Step

MAX_CANDIDATES = 60  # edits tried for an ordinary line
MAX_CANDIDATES_LARGE = 12  # … for a line of more than LARGE_LINE_OPS operations (abbreviations written out)
LARGE_LINE_OPS = 150
HUGE_LINE_OPS = 600  # beyond this a line is not searched: each candidate costs seconds
# Each candidate is screened by the exact strategies under this share of the line's own limit: the
# slowest candidate of the catalogue that holds settles in about 1.4 s, a tenth of the 15 s this
# gives (the default limit is 60 s), so which edit is suggested does not depend on machine load.
# What bounds the search is the number of candidates, not the clock.
CANDIDATE_SHARE = 0.25


@dataclass(frozen=True)
class Suggestion:
    """An edit that makes line `step` hold, verified by the engine."""

    step: int
    edit: str
    line: str
    verdict: str
    expr: sp.Basic = None


def _terms(e: sp.Expr) -> tuple[sp.Expr, ...]:
    return sp.Add.make_args(e)


def _edits(claim: Claim, step: int) -> Iterator[tuple[str, sp.Expr]]:
    line = claim.steps[step].expr
    if not isinstance(line, sp.Expr):
        return
    neighbours = [claim.steps[k].expr for k in (step - 1, step + 1) if 0 <= k < len(claim.steps)]
    # Look inside a common factor (e.g. 1/(n-1)·(…)): edits apply to the bracket's terms too.
    bodies = [(sp.Integer(1), line)]
    if isinstance(line, sp.Mul):
        for f in line.args:
            if isinstance(f, sp.Add):
                bodies.append((sp.Mul(*[g for g in line.args if g is not f]), f))
    for outer, body in bodies:
        terms = _terms(body)
        if len(terms) > 1:
            for k, t in enumerate(terms):
                rest = [u for i, u in enumerate(terms) if i != k]
                yield f"flip the sign of {t}", outer * sp.Add(*rest, -t)
            for k, t in enumerate(terms):
                rest = [u for i, u in enumerate(terms) if i != k]
                for c, word in ((2, "2"), (sp.Rational(1, 2), "½")):
                    yield f"scale {t} by {word}", outer * sp.Add(*rest, c * t)
    yield "flip the sign of the line", -line
    for c, word in ((2, "2"), (sp.Rational(1, 2), "½")):
        yield f"scale the line by {word}", c * line
    ints = sorted((s for s in line.free_symbols if s in claim.domain and claim.domain[s].integer), key=str)
    others = sorted((s for s, iv in claim.domain.items() if iv.integer), key=str)
    for s in ints:
        for d in (-1, 1):
            yield f"replace {s} by {s + d}", line.xreplace({s: s + d})
        for t in others:  # n ↔ m: another size of the same claim
            if t != s:
                yield f"replace {s} by {t}", line.xreplace({s: t})
    syms = sorted(line.free_symbols, key=str)
    for a, b in itertools.combinations(syms, 2):
        try:
            swapped = line.xreplace({a: b, b: a})
        except (TypeError, ValueError):
            continue
        yield f"swap {a} and {b}", swapped
    for outer, body in bodies:
        terms = _terms(body)
        if len(terms) > 1:
            for k, t in enumerate(terms):
                yield f"drop the term {t}", outer * sp.Add(*[u for i, u in enumerate(terms) if i != k])
    if isinstance(line, sp.Mul):
        for k, f in enumerate(line.args):
            yield f"drop the factor {f}", sp.Mul(*[g for i, g in enumerate(line.args) if i != k])
    # Replace a sub-expression by a related one of a neighbouring line: everywhere, then in one term.
    mine = _subexpressions(line)
    theirs = [s for n in neighbours if isinstance(n, sp.Basic) for s in _subexpressions(n)]
    pairs = {(o, n) for o in mine for n in theirs if n != o and _related(o, n)}
    # Smallest change first: wrapping X̄² into E[X̄²] before swapping in a whole neighbour line.
    for old, new in sorted(pairs, key=lambda p: (abs(sp.count_ops(p[1]) - sp.count_ops(p[0])), sp.count_ops(p[1]), str(p))):
            everywhere = _replace(line, old, new)
            if everywhere is not None:
                yield f"replace {old} by {new}", everywhere
            for outer, body in bodies:
                terms = _terms(body)
                for k, t in enumerate(terms):
                    one = _replace(t, old, new) if len(terms) > 1 and t.has(old) else None
                    if one is not None:
                        yield f"replace {old} by {new} in the term {t}", outer * sp.Add(*[one if i == k else u for i, u in enumerate(terms)])


def _replace(e: sp.Basic, old: sp.Basic, new: sp.Basic) -> sp.Basic | None:
    try:
        return e.xreplace({old: new})
    except (TypeError, ValueError):  # e.g. a symbol that is the label of an IndexedBase
        return None


def _subexpressions(e: sp.Basic) -> list[sp.Basic]:
    out = []
    for node in sp.preorder_traversal(e):
        if isinstance(node, (sp.Number, sp.Tuple)) or node == e or isinstance(node, sp.Dummy):
            continue
        if node not in out:
            out.append(node)
    return out[:40]


def _related(old: sp.Basic, new: sp.Basic) -> bool:
    """Worth trying: a compound sub-expression wrapped by the other, or the same function applied."""
    if old.is_Atom or new.is_Atom or isinstance(old, sp.Indexed):
        return False  # bare symbols are covered by swaps and shifts
    if new.has(old) and sp.count_ops(new) <= sp.count_ops(old) + 3:
        return True
    if isinstance(old, (sp.Function, AppliedUndef)) and type(old) is type(new):
        return True
    return False


# check(prev, line, index, timeout) -> the link's result (its .verdict): how a candidate is judged.
# The engine passes its own link verification, so this module never imports the engine.
Check = Callable[[Step, Step, int, float], Any]


def suggest(claim: Claim, step: int, base: int, check: Check, timeout: float, *, isolated: bool) -> Suggestion | None:
    """The first (smallest) edit of line `step` that follows from line `base` (and, for an isolated
    erratum, leads to the next line).

    The search is bounded by a number of candidates, not by the clock, so that the same claim
    gets the same suggestion on a busy machine, in a worker process, or from the cache; a large
    line gets fewer candidates. Each candidate has a quarter of the line's limit: a candidate
    that needs more is not suggested (the catalogue's slowest holding candidate needs a tenth of it).
    """
    line = claim.steps[step].expr
    if isinstance(line, sp.MatrixBase):
        return None  # whole-matrix edits are not the small edits this search is about
    ops = sp.count_ops(claim.expand(line))
    if ops > HUGE_LINE_OPS:
        return None
    limit = MAX_CANDIDATES if ops <= LARGE_LINE_OPS else MAX_CANDIDATES_LARGE
    nxt = step + 1 if isolated and step + 1 < len(claim.steps) else None
    tried = set()
    each = timeout * CANDIDATE_SHARE
    for count, (edit, cand) in enumerate(_edits(claim, step)):
        if count >= limit:
            return None
        if cand in tried or cand == line:
            continue
        tried.add(cand)
        fixed = Step(cand, rel=claim.steps[step].rel)
        first = check(claim.steps[base], fixed, step, each)
        if first.verdict not in ("proved", "checked"):
            continue
        verdicts = [first.verdict]
        if nxt is not None:
            second = check(fixed, claim.steps[nxt], nxt, each)
            if second.verdict not in ("proved", "checked"):
                continue
            verdicts.append(second.verdict)
        verdict = "proved" if all(v == "proved" for v in verdicts) else "checked"
        return Suggestion(step, edit, sp.sstr(cand), verdict, cand)
    return None
