"""The engine: settle every link of a claim with the cheapest sound strategy, under a real timeout."""
from __future__ import annotations

import itertools
import time
import traceback
from collections.abc import Iterator
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from . import numeric, witness
from .claim import Claim, Interval, Step
from .errors import StepTimeout, Unsupported
from .link import Link, Values
from .random import Distribution, Expectations, Generic
from .results import ClaimResult, Erratum, LinkResult, worst
from .strategies import Context, Outcome, nice, probing, sampling, simplify, structural
from .timeout import time_limit

DEFAULT_TIMEOUT = 20.0
DEFAULT_SEED = 20190709
MAX_INSTANCES = 6  # sizes tried when a size symbol has an infinite (or long) domain
SYMBOLIC_SUM_SECONDS = 0.3  # symbolic-n preparation budget before falling back to fixed sizes

# Cheapest first; each returns an Outcome or None ("not my case"). Simplify is slow on false lines,
# so it runs after the exact probe and the small readable points have had their chance to refute.
CHAIN = (structural.attempt, probing.attempt, nice.attempt, simplify.attempt, sampling.attempt)
FAST_CHAIN = (structural.attempt, probing.attempt, nice.attempt)  # exact and cheap: for screening many candidates
_SHARE = {structural.attempt: 0.3, probing.attempt: 0.3, nice.attempt: 0.15, simplify.attempt: 0.4, sampling.attempt: 0.5}


def verify(claim: Claim, seed: int = DEFAULT_SEED, timeout: float = DEFAULT_TIMEOUT) -> ClaimResult:
    """Verify every line of `claim`; never raises for a problem in the claim (that is an `error` verdict)."""
    start = time.perf_counter()
    lines = tuple(_show(s.expr) for s in claim.steps)
    try:
        if claim.symbolic:
            links, errata = _verify_chain(claim, seed, timeout)
        else:
            links = numeric.verify_chain(claim, seed, timeout)
            errata = [_code_erratum(claim, l) for l in links if l.verdict == "refuted"]
        # A refuted line makes the claim refuted, whether or not the chain recovers after it.
        if errata or any(l.verdict == "refuted" for l in links):
            verdict = "refuted"
        else:
            verdict = worst([l.verdict for l in links] or ["proved"])
        if any(l.verdict == "error" for l in links):
            verdict = "error"
        message = next((l.detail for l in links if l.verdict == "error"), "")
    except Exception as exc:  # a claim that breaks the engine is one error result, not a crash
        links, errata, verdict = (), (), "error"
        message = f"{type(exc).__name__}: {exc}"
        if __debug__ and _debug():
            message += "\n" + traceback.format_exc()
    methods = sorted({l.method for l in links if l.verdict in ("proved", "checked")})
    return ClaimResult(
        id=claim.id,
        equation=claim.equation,
        section=claim.section,
        title=claim.title,
        verdict=verdict,
        method="+".join(methods) or "-",
        seconds=time.perf_counter() - start,
        steps=tuple(links),
        errata=tuple(errata),
        seed=seed,
        scope=claim.scope,
        message=message,
        source=claim.source,
        lines=lines,
        uses=tuple(claim.uses),
        latex=tuple(_latex(s) for s in claim.steps),
        relations=tuple("" if i == 0 else s.rel for i, s in enumerate(claim.steps)),
        pretty=tuple(_pretty(s.expr, line) for s, line in zip(claim.steps, lines)),
        mathml=tuple(_mathml(s.expr) for s in claim.steps),
    )


def _latex(step: Step) -> str:
    if step.latex:
        return step.latex
    if isinstance(step.expr, sp.Basic):
        return sp.latex(step.expr)
    return ""


def _pretty(expr: Any, text: str) -> str:
    """2-D unicode rendering for `verify show`; skipped for big lines (they read better flat)."""
    if not isinstance(expr, sp.Basic) or len(text) > 160:
        return ""
    try:
        return sp.pretty(expr, use_unicode=True)
    except Exception:
        return ""


def _mathml(expr: Any) -> str:
    if not isinstance(expr, sp.Basic):
        return ""
    try:
        return sp.mathml(expr, printer="presentation")
    except Exception:  # a printer gap must not cost the result
        return ""


def _code_erratum(claim: Claim, link: LinkResult) -> Erratum:
    """The erratum of a refuted code line (a Numeric line, or a Property: step 0)."""
    line = claim.steps[link.index]
    return Erratum(
        claim_id=claim.id,
        equation=claim.equation,
        section=claim.section,
        step=link.index,
        as_written=_show(line.expr),
        corrected=None,
        correction_verdict=None,
        kind="propagates" if link.index == len(claim.steps) - 1 or link.index == 0 else "isolated",
        counterexample=link.counterexample,
        as_written_latex=line.latex or "",
    )


def _debug() -> bool:
    import os

    return bool(os.environ.get("VERIFY_DEBUG"))


# --- the chain of lines --------------------------------------------------------------------------


def _verify_chain(claim: Claim, seed: int, timeout: float) -> tuple[list[LinkResult], list[Erratum]]:
    """Check each line against the last line known good; classify wrong lines as isolated or propagating."""
    steps = claim.steps
    cache: dict[tuple[int, int], LinkResult] = {}
    memo: dict = {}  # prepared lines: each line takes part in two links

    def link(i: int, j: int, step_j: Step | None = None) -> LinkResult:
        key = (i, j)
        if step_j is None and key in cache:
            return cache[key]
        target = step_j or steps[j]
        res = verify_link(claim, steps[i], target, j, seed, timeout, memo)
        if step_j is None:
            cache[key] = res
        return res

    results: list[LinkResult] = []
    errata: list[Erratum] = []
    holds = ("proved", "checked")
    last = len(steps) - 1
    base = 0  # the last line known good: the next line must follow from it
    j = 1
    while j <= last:
        res = link(base, j)
        if res.verdict != "refuted":
            results.append(res)
            base = j
            j += 1
            continue
        # Line j is wrong. Where does the chain recover (a later line follows from `base` again)?
        recover = None
        if j < last and link(base, j + 1).verdict in holds:
            recover = j + 1  # a typo in one line
        elif j + 1 < last and link(base, last).verdict in holds:
            recover = next((k for k in range(j + 2, last + 1) if link(base, k).verdict in holds), None)
        if recover is None:
            # Propagates: the conclusion is wrong too. Later lines are judged against what the notes
            # derived them from, so an independent second mistake is still found.
            errata.append(_erratum(claim, j, base, res, "propagates", link, seed, timeout, memo))
            results.append(res)
            base = j
            j += 1
            continue
        # Every line before the recovery is wrong (a run of one or more); each is its own erratum.
        for k in range(j, recover):
            res_k = link(base, k)
            results.append(res_k)
            if res_k.verdict == "refuted":
                errata.append(_erratum(claim, k, base, res_k, "isolated", link, seed, timeout, memo, nxt=recover if k + 1 == recover else None))
        j = recover
    return results, errata


def _erratum(claim: Claim, j: int, base: int, res: LinkResult, kind: str, link, seed: int, timeout: float, memo: dict, nxt: int | None = None) -> Erratum:
    """The erratum of wrong line j: its correction verified, a suggested fix searched."""
    from .suggest import suggest

    steps = claim.steps
    corrected = correction_verdict = None
    if j in claim.corrections:
        fix = claim.corrections[j]
        corrected = _show(fix.expr)
        check = link(base, j, fix)
        correction_verdict = check.verdict
        if nxt is not None and check.verdict in ("proved", "checked"):
            after = verify_link(claim, fix, steps[nxt], nxt, seed, timeout, memo)
            correction_verdict = worst([check.verdict, after.verdict])
    found = suggest(claim, j, base, seed, timeout, isolated=nxt is not None, memo=memo)
    matches = None
    if found is not None and j in claim.corrections:
        same = verify_link(claim, claim.corrections[j], Step(found.expr), j, seed, timeout, memo)
        matches = same.verdict in ("proved", "checked")
    return Erratum(
        claim_id=claim.id,
        equation=claim.equation,
        section=claim.section,
        step=j,
        as_written=_show(steps[j].expr),
        corrected=corrected,
        correction_verdict=correction_verdict,
        kind=kind,
        counterexample=res.counterexample,
        as_written_latex=steps[j].latex or sp.latex(steps[j].expr),
        corrected_latex=(claim.corrections[j].latex or sp.latex(claim.corrections[j].expr)) if j in claim.corrections else "",
        suggestion=found.line if found else None,
        suggestion_edit=found.edit if found else None,
        suggestion_verdict=found.verdict if found else None,
        suggestion_matches=matches,
    )


# --- one link ------------------------------------------------------------------------------------


def verify_link(claim: Claim, prev: Step, line: Step, index: int, seed: int, timeout: float, memo: dict | None = None, fast: bool = False, chain: tuple | None = None) -> LinkResult:
    """Does `line` follow from `prev` (by line.rel) on the claim's domain? Timed; never raises."""
    start = time.perf_counter()
    ctx = Context(seed=seed + index, timeout=timeout)
    try:
        out = _settle(claim, prev, line, index, ctx, start, {} if memo is None else memo, fast, chain)
    except StepTimeout:
        out = LinkResult(index, "inconclusive", "timeout", f"no strategy settled it within {timeout:g} s")
    except Unsupported as exc:
        out = LinkResult(index, "inconclusive", "unsupported", str(exc))
    except Exception as exc:  # a broken line is an error on that line, the rest still runs
        out = LinkResult(index, "error", "error", f"{type(exc).__name__}: {exc}")
    return _timed(out, start)


def _timed(res: LinkResult, start: float) -> LinkResult:
    from dataclasses import replace

    return replace(res, seconds=time.perf_counter() - start)


def _settle(claim: Claim, prev: Step, line: Step, index: int, ctx: Context, start: float, memo: dict, fast: bool = False, chain: tuple | None = None) -> LinkResult:
    lhs0, rhs0 = claim.expand(prev.expr), claim.expand(line.expr)
    sizes = _size_symbols(claim, lhs0, rhs0)
    if line.rel == "=" and sizes and chain is None and _same_unprepared(lhs0, rhs0):
        return LinkResult(index, "proved", "structural", "the two lines expand to the same expression (sums compared as written)")
    try:
        # With sizes to fall back on, symbolic summation gets a short leash (it can run for minutes).
        with time_limit(min(_left(ctx, start, 0.5), SYMBOLIC_SUM_SECONDS if sizes else ctx.timeout)):
            link = prepare(claim, prev.expr, line, index, memo=memo)
        if sizes and _has_open_sums(link):
            raise Unsupported("sums with symbolic bounds")
        res = _run_chain(claim, prev.expr, line, link, index, ctx, start, fast, chain)
        if res.verdict != "inconclusive" or not sizes:
            return res
    except (Unsupported, StepTimeout):
        if not sizes:
            raise
    return _by_instances(claim, prev, line, index, ctx, start, sizes, memo)


def _same_unprepared(a: Any, b: Any) -> bool:
    """Identical up to expansion, before any sum is evaluated (no E/Var/P: those change meaning)."""
    from .random import has_operators

    if not (isinstance(a, sp.Basic) and isinstance(b, sp.Basic)) or has_operators(a) or has_operators(b):
        return False
    if a == b:
        return True
    try:
        with time_limit(0.5):
            return sp.expand(a - b) == 0
    except StepTimeout:
        return False


def _left(ctx: Context, start: float, share: float = 1.0) -> float:
    left = ctx.timeout - (time.perf_counter() - start)
    if left <= 0:
        raise StepTimeout("no time left")
    return max(min(left, ctx.timeout * share), 1e-3)


def _run_chain(claim: Claim, prev_expr, line: Step, link: Link, index: int, ctx: Context, start: float, fast: bool = False, chain: tuple | None = None) -> LinkResult:
    if line.rel == "≈":
        return _approx(claim, link, index, ctx, start)
    candidates: list[dict] = []
    checked: Outcome | None = None
    timed_out = witnessed = False
    for attempt in chain or (FAST_CHAIN if fast else CHAIN):
        if attempt is simplify.attempt and not witnessed and not link.concrete:
            # Lines with undefined functions (σ, a loss) or generic distributions: try the concrete
            # stand-ins on readable points before simplify spends its share on a line that may be false.
            found, timed = _try_witness(claim, prev_expr, line, index, ctx, start, candidates, link, quick=True)
            timed_out |= timed
            if found is not None:
                return LinkResult(index, "refuted", "counterexample", str(found), counterexample=found)
        try:
            with time_limit(_left(ctx, start, _SHARE.get(attempt, 0.5))):
                out = attempt(link, ctx)
        except StepTimeout:
            timed_out = True
            continue
        except (Unsupported, TypeError, ValueError, ZeroDivisionError, NotImplementedError, AttributeError):
            continue  # not this strategy's case
        if out is None:
            continue
        if out.verdict == "proved":
            return LinkResult(index, "proved", out.method, out.detail, points=out.points)
        if out.verdict == "checked":
            checked = out
            break
        if out.candidates:
            # Something looked false: witness it now, before slower provers spend time on it.
            candidates.extend(out.candidates)
            found, timed = _try_witness(claim, prev_expr, line, index, ctx, start, candidates, link)
            witnessed = True
            timed_out |= timed
            if found is not None:
                return LinkResult(index, "refuted", "counterexample", str(found), counterexample=found)
    if checked is None and not witnessed and not fast:
        # Nothing decided it: a last search for a readable counterexample on a concrete realization.
        found, timed = _try_witness(claim, prev_expr, line, index, ctx, start, candidates, link)
        timed_out |= timed
        if found is not None:
            return LinkResult(index, "refuted", "counterexample", str(found), counterexample=found)
    if checked is not None:
        return LinkResult(index, "checked", checked.method, checked.detail, points=checked.points, worst_error=checked.worst_error)
    why = "a float sample differed but no exact replay confirmed it" if candidates else "no strategy could decide it"
    if timed_out:
        why += f" (a strategy hit the {ctx.timeout:g} s limit)"
    return LinkResult(index, "inconclusive", "none", why)


def _try_witness(claim, prev_expr, line, index, ctx, start, candidates, link, quick: bool = False):
    """(counterexample or None, whether time ran out); `quick` tries few points under a short leash."""
    try:
        with time_limit(_left(ctx, start, 0.25 if quick else 1.0)):
            return _witness(claim, prev_expr, line, index, ctx, candidates, link, quick=quick), False
    except StepTimeout:
        return None, not quick


def _approx(claim: Claim, link: Link, index: int, ctx: Context, start: float) -> LinkResult:
    if link.limit is None:
        return LinkResult(index, "inconclusive", "approximation",
                          "an approximate line (≈) needs limit=(symbol, value) to say in what sense it holds")
    sym, to = link.limit
    try:
        with time_limit(_left(ctx, start, 0.5)):
            # Cancel first: a limit of one rational function is far cheaper than of a raw difference.
            diffs = [sp.cancel(sp.together(a - b)) for a, b in link.pairs()]
            pairs = [(sp.limit(d, sym, to), sp.Integer(0)) for d in diffs]
    except (ValueError, TypeError, NotImplementedError, AttributeError) as exc:
        return LinkResult(index, "inconclusive", "limit", f"SymPy could not take the limit as {sym} → {to}: {exc}")
    if any(p[0].has(sp.Limit, sp.AccumBounds, sp.nan) for p in pairs):
        return LinkResult(index, "inconclusive", "limit", f"SymPy left the limit as {sym} → {to} undecided")
    lhs = sp.ImmutableMatrix([p[0] for p in pairs]) if link.is_matrix else pairs[0][0]
    rhs = sp.zeros(*lhs.shape) if link.is_matrix else sp.Integer(0)
    limited = Link(index, lhs, rhs, "=", link.values, realization=link.realization, fixed=link.fixed)
    for attempt in (structural.attempt, probing.attempt, sampling.attempt):
        out = attempt(limited, ctx)
        if out is not None and out.verdict in ("proved", "checked"):
            # SymPy takes the limit for generic values of the other symbols; a special point of the
            # domain (σ² = 0 when all x are equal) can have another limit. Try readable points first.
            # Only on concrete links: free moment symbols may take values no distribution has.
            special = _special_limit_point(link, diffs, sym, to, ctx, start) if link.concrete else None
            if special is not None:
                return LinkResult(index, "refuted", "counterexample", f"lhs − rhs does not vanish as {sym} → {to}: {special}", counterexample=special)
            return LinkResult(index, out.verdict, f"limit+{out.method}", f"lhs − rhs → 0 as {sym} → {to} (generic values; no readable point is an exception); {out.detail}", points=out.points)
    found = witness.search(limited, ctx)
    if found is not None:
        return LinkResult(index, "refuted", "counterexample", f"lhs − rhs does not vanish as {sym} → {to}: {found}", counterexample=found)
    return LinkResult(index, "inconclusive", "limit", f"could not decide the limit as {sym} → {to}")


def _special_limit_point(link: Link, diffs, sym, to, ctx: Context, start: float):
    """A readable point of the domain where the two sides have different limits (point substituted first)."""
    from .results import Counterexample

    free = sorted({s for d in diffs for s in d.free_symbols} - {sym}, key=lambda s: s.name)
    others = Link(link.index, sp.Add(*free) if free else sp.Integer(0), sp.Integer(0), "=",
                  {s: v for s, v in link.values.items() if s != sym})  # only its free symbols matter here
    try:
        with time_limit(min(_left(ctx, start), 0.25 * ctx.timeout)):
            for k, point in enumerate(witness._nice_points(others, ctx)):
                if k >= 24:
                    break
                for a, b in link.pairs():
                    la, lb = (sp.limit(side.xreplace(point), sym, to) for side in (a, b))
                    if any(v.has(sp.nan, sp.zoo, sp.AccumBounds, sp.Limit) or not v.is_number for v in (la, lb)):
                        continue
                    if sp.simplify(la - lb) != 0:
                        values = tuple(link.fixed.items()) + tuple((str(s), str(point[s])) for s in sorted(point, key=lambda s: s.name))
                        return Counterexample(values=values + (("limit", f"{sym} → {to}"),), lhs=str(la), rhs=str(lb),
                                              difference=str(sp.simplify(la - lb)), exact=True, realization=link.realization)
    except (StepTimeout, ValueError, TypeError, NotImplementedError):
        return None
    return None


# --- preparing lines -----------------------------------------------------------------------------


def assumed(claim: Claim) -> dict[sp.Symbol, sp.Symbol]:
    """Each domain symbol rebuilt with SymPy assumptions that match its domain."""
    out = {}
    for sym, iv in claim.domain.items():
        kw: dict[str, Any] = {"integer": True} if iv.integer else {"real": True}
        if iv.lo >= 0 and (iv.lo > 0 or not iv.integer):
            kw["positive"] = True
        elif iv.lo >= 0:
            kw["nonnegative"] = True
        elif iv.hi <= 0 and not iv.integer:
            kw["negative"] = True
        out[sym] = sp.Symbol(sym.name, **kw)
    return out


def prepare(
    claim: Claim,
    prev_expr: sp.Basic,
    line: Step,
    index: int,
    sizes: dict[sp.Symbol, sp.Integer] | None = None,
    distributions: dict[Any, Distribution] | None = None,
    functions: dict[Any, sp.Lambda] | None = None,
    memo: dict | None = None,
) -> Link:
    """Two deterministic sides: assumptions set, sizes fixed, E/Var/P evaluated, sums and derivatives done."""
    rename = assumed(claim)
    fixed = {}
    if sizes:
        for s, v in sizes.items():
            rename[s] = v
            fixed[str(s)] = str(v)
    dists = dict(claim.random)
    realization = []
    if distributions:
        dists.update(distributions)
        realization += list(dict.fromkeys(f"{v} ~ {d.description}" for v, d in distributions.items()))
    ev = Expectations(dists)

    def side(expr: sp.Basic) -> sp.Basic:
        e = claim.expand(expr)
        e = e.xreplace(rename) if rename else e
        if e.has(sp.Sum):
            finite = {s: s.doit() for s in e.atoms(sp.Sum) if _finite_sum(s)}
            if finite:
                e = e.xreplace(finite)  # X[1] + … + X[n] once n is fixed
        e = ev.eliminate(e)
        e = e.xreplace(rename) if rename else e  # parameters that came back from a distribution
        if functions:
            e = e.subs({f: lam for f, lam in functions.items()})
        e = e.doit() if isinstance(e, sp.Basic) and e.has(sp.Sum, sp.Product, sp.Integral, sp.Derivative, sp.Subs, sp.UnevaluatedExpr) else e
        e = ev.eliminate(e)  # a sum done above may expose operators over concrete indices
        return e

    def cached(expr: sp.Basic) -> sp.Basic:
        if memo is None or distributions or functions:
            return side(expr)
        key = (expr, tuple(sorted((str(k), v) for k, v in (sizes or {}).items())))
        if key not in memo:
            try:
                memo[key] = side(expr)
            except (StepTimeout, Unsupported) as exc:
                memo[key] = exc  # the same line fails the same way in its next link: don't pay twice
        if isinstance(memo[key], Exception):
            raise memo[key]
        return memo[key]

    lhs, rhs = cached(prev_expr), cached(line.expr)
    shapes = [getattr(e, "shape", None) if isinstance(e, sp.MatrixBase) else None for e in (lhs, rhs)]
    if shapes[0] != shapes[1]:
        raise ClaimShapeError(f"line {index} has shape {shapes[1] or 'scalar'} but the line before has {shapes[0] or 'scalar'}")
    if functions:
        realization += [f"{f}({', '.join(map(str, lam.variables))}) = {lam.expr}" for f, lam in functions.items()]
    lhs, rhs, values, concrete = _outcomes(claim, ev, lhs, rhs, rename)
    limit = None
    if line.limit is not None:
        limit = (rename.get(line.limit[0], line.limit[0]), sp.sympify(line.limit[1], strict=True))
    undefined = any(isinstance(x, sp.Basic) and x.has(AppliedUndef) for x in (lhs, rhs))
    return Link(index, lhs, rhs, line.rel, values, limit=limit, realization="; ".join(realization),
                concrete=concrete and not undefined, fixed=fixed, sizes=dict(sizes or {}))


class ClaimShapeError(ValueError):
    """Two lines that cannot be compared: a matrix against a scalar, or matrices of other shapes."""


def _finite_sum(e: sp.Basic) -> bool:
    return isinstance(e, sp.Sum) and all(lim[1].is_Integer and lim[2].is_Integer for lim in e.limits)


def _outcomes(claim: Claim, ev: Expectations, lhs, rhs, rename):
    """Random atoms left outside E become outcome symbols ranging over their support."""
    values: dict[sp.Symbol, Values] = {}
    for sym, iv in claim.domain.items():
        new = rename.get(sym, sym)
        if isinstance(new, sp.Symbol):
            values[new] = Values(interval=iv)
    swap = {}
    for atom in sorted(ev.atoms(lhs) | ev.atoms(rhs), key=sp.default_sort_key):
        dist = ev.distribution(atom)
        name = str(atom) if isinstance(atom, sp.Symbol) else f"{atom.base}_{'_'.join(map(str, atom.indices))}"
        sup = dist.support()
        integer = len(sup) == 3 and sup[2] is True
        sym = sp.Symbol(name, integer=True) if integer else sp.Symbol(name, real=True)
        swap[atom] = sym
        if len(sup) == 3 and isinstance(sup[2], bool):
            values[sym] = Values(interval=Interval(sup[0], sup[1], integer=sup[2]))
        else:
            values[sym] = Values(finite=tuple(sup))
    if swap:
        lhs, rhs = lhs.xreplace(swap), rhs.xreplace(swap)
    concrete = True
    for s in (lhs.free_symbols | rhs.free_symbols) - set(values):
        if s.name.startswith("E["):  # a moment of a generic distribution: any real value
            values[s] = Values(interval=Interval(-sp.oo, sp.oo))
            concrete = False
    return lhs, rhs, values, concrete


def _size_symbols(claim: Claim, *exprs) -> list[sp.Symbol]:
    """Integer domain symbols used as bounds of sums or products: sizes that can be fixed one by one."""
    ints = {s for s, iv in claim.domain.items() if iv.integer}
    found: set[sp.Symbol] = set()
    for e in exprs:
        if not isinstance(e, sp.Basic):
            continue
        for node in e.atoms(sp.Sum, sp.Product):
            for lim in node.limits:
                for bound in lim[1:]:
                    found |= bound.free_symbols & ints
    return sorted(found, key=lambda s: s.name)


def _has_open_sums(link: Link) -> bool:
    return any(isinstance(x, sp.Basic) and x.has(sp.Sum, sp.Product) for pair in link.pairs() for x in pair)


def _by_instances(claim, prev: Step, line: Step, index: int, ctx: Context, start: float, sizes, memo: dict) -> LinkResult:
    """Fix the sizes to each value of their domain (all of them when the domain is small)."""
    ranges = []
    exhaustive = True
    for s in sizes:
        iv = claim.domain[s]
        lo = int(sp.ceiling(iv.lo))
        n = iv.finite_size
        if n is None or n > MAX_INSTANCES * 2:
            exhaustive = False
            n = MAX_INSTANCES
        ranges.append([sp.Integer(v) for v in range(lo, lo + n)])
    verdicts = []
    methods = set()
    for combo in itertools.product(*ranges):
        fix = dict(zip(sizes, combo))
        with time_limit(_left(ctx, start)):
            link = prepare(claim, prev.expr, line, index, sizes=fix, memo=memo)
        res = _run_chain(claim, prev.expr, line, link, index, ctx, start)
        if res.verdict == "refuted":
            return res
        verdicts.append(res.verdict)
        methods.add(res.method)
    where = ", ".join(f"{s} = {r[0]}…{r[-1]}" for s, r in zip(sizes, ranges))
    verdict = worst(verdicts)
    method = "instances(" + "+".join(sorted(methods)) + ")"
    if verdict == "proved" and not exhaustive:
        return LinkResult(index, "checked", method, f"proved for each of {where} only (not for every size)")
    if verdict == "proved":
        return LinkResult(index, "proved", method, f"proved for every value {where} of the domain")
    return LinkResult(index, verdict, method, f"{verdict} over {where}")


# --- refutation needs a witness ------------------------------------------------------------------


def _witness(claim: Claim, prev_expr, line: Step, index: int, ctx: Context, candidates, link: Link, quick: bool = False):
    """A counterexample on a concrete realization (real distributions, concrete functions), or None."""
    for k, (dists, funcs) in enumerate(_realizations(claim, link)):
        if quick and k >= 1:
            break
        if dists is None and funcs is None:
            concrete = link
        else:
            concrete = prepare(claim, prev_expr, line, index, sizes=_fixed_sizes(link), distributions=dists, functions=funcs)
        found = witness.search(concrete, ctx, candidates, random_tries=2 if quick else 30, nice_tries=12 if quick else None)
        if found is not None:
            return found
    return None


def _fixed_sizes(link: Link) -> dict[sp.Symbol, sp.Integer] | None:
    return dict(link.sizes) or None


def _realizations(claim: Claim, link: Link) -> Iterator[tuple[dict | None, dict | None]]:
    """The link itself when it is concrete; else stand-in distributions and concrete functions."""
    applications = {a for pair in link.pairs() for x in pair for a in x.atoms(AppliedUndef)}
    arity: dict = {}
    for app in applications:
        arity[app.func] = max(arity.get(app.func, 0), len(app.args))
    undefined = sorted(arity.items(), key=lambda fa: str(fa[0]))
    if link.concrete and not undefined:
        yield None, None
        return
    # One stand-in per distribution object: X and its iid copies X[i] must be realized alike.
    generic: list[Distribution] = []
    for d in claim.random.values():
        if not d.is_concrete and all(d is not g for g in generic):
            generic.append(d)
    choices = [list(d.realizations()) for d in generic]
    func_sets = _function_stand_ins(undefined) if undefined else [None]
    for k, combo in enumerate(itertools.product(*choices) if choices else [()]):
        if k >= 4:
            break
        dists = {v: combo[next(i for i, g in enumerate(generic) if g is d)]
                 for v, d in claim.random.items() if not d.is_concrete} or None
        for funcs in func_sets:
            yield dists, funcs


def _function_stand_ins(funcs) -> list[dict]:
    """Concrete smooth functions standing in for undefined ones (σ, a loss): polynomials first."""
    sets = []
    for variant in range(2):
        chosen = {}
        for f, arity in funcs:
            xs = sp.symbols(f"t1:{arity + 1}") if arity > 1 else (sp.Symbol("t"),)
            if variant == 0:
                body = sp.Add(*[(k + 2) * x**3 + (k + 1) * x**2 + x for k, x in enumerate(xs)])
            else:
                body = sp.Add(*[sp.exp(x) + x**2 * (k + 1) for k, x in enumerate(xs)]) + sp.Mul(*xs)
            chosen[f] = sp.Lambda(xs, body)
        sets.append(chosen)
    return sets


def _show(expr: Any) -> str:
    if isinstance(expr, (numeric.Numeric, numeric.Property)):
        return expr.label or getattr(expr.fn, "__name__", "code")
    return sp.sstr(expr)
