"""The engine: settle every link of a claim with the cheapest sound strategy, under a real timeout."""
from __future__ import annotations

import itertools
import logging
import math
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sympy as sp

from . import dag
from .defaults import DEFAULT_SEED, DEFAULT_TIMEOUT
from .claim import Claim, Step
from .errors import StepTimeout, Unsupported
from .link import Link
from .prepare import RUN_SHARED, definedness, has_open_sums, prepare, same_unprepared, size_symbols, symbolic_link, symbolic_sums_hopeless, written
from .results import ClaimResult, Erratum, LinkResult, worst
# refute, suggest and the strategies for sized sums (SIZED) and ≈ lines (limit) are imported where
# they are used: a line that a strategy of the chain proves needs none of them.
from .strategies import CHAIN, FAST_CHAIN, SHARE, Context, Outcome, simplify
from .timeout import time_limit

_log = logging.getLogger("verifier.engine")

MAX_INSTANCES = 6  # smallest sizes tried when a size symbol has an infinite (or long) domain
INSTANCE_LIMIT = 128  # every combination of sizes is tried when there are at most this many
_STRATEGY_MEMO = ("strategies",)  # the key of the strategies' own memo (Context.memo) in a claim's memo
SYMBOLIC_SUM_SHARE = 0.25  # of a line's limit, for symbolic-n preparation before fixed sizes (it succeeds in < 1 s or never)



def verify(claim: Claim, seed: int = DEFAULT_SEED, timeout: float = DEFAULT_TIMEOUT, shared: dict | None = None) -> ClaimResult:
    """Verify every line of `claim`; never raises for a problem in the claim (that is an `error` verdict).

    Verdicts only: the typeset forms of the lines are added by `verifier.present` (the public
    `verifier.verify` does both). `shared`, if given, is a dict the claims of one run pass to each
    call: what is a function of the claim's declaration and the seed alone is made once for all of
    them (the seeded inputs of code lines, see verifier.numeric; the evaluated derivatives, sums and
    integrals of subexpressions, see verifier.prepare). The verdicts are the same without it.
    SymPy's assumptions are asked in one fixed order meanwhile (`fixed_assumption_order`)."""
    with fixed_assumption_order():
        return _verified(claim, seed, timeout, shared)


@contextmanager
def fixed_assumption_order() -> Iterator[None]:
    """SymPy's assumption system asks the facts it has not settled yet in a random order, from a
    generator seeded by the OS (`sympy.core.assumptions`: a shuffle meant to expose handlers that
    contradict each other in SymPy's own tests). Inside, it asks them in one fixed order, so the
    same claim meets the same queries in every run, worker and caller (the CLI, `verifier.verify`,
    the pytest plugin); SymPy is restored after. The shuffles were also 2% of the instructions of
    verifying a topic. The answers are SymPy's either way (its inference is order-independent when
    its handlers are consistent); the catalogue's results are identical."""
    module = sys.modules.get("sympy.core.assumptions")
    shuffle = getattr(module, "shuffle", None)
    if module is None or not callable(shuffle):  # another SymPy: leave it as it is
        yield
        return
    module.shuffle = _in_order
    try:
        yield
    finally:
        module.shuffle = shuffle


def _in_order(facts: list) -> None:
    # Called 233,000 times in a run of the catalogue, 86% of them with nothing to order. The facts
    # are their names (str): sorted as they are, without a key function per element.
    if len(facts) > 1:
        try:
            facts.sort()
        except TypeError:  # another SymPy's facts that are not all str: their text orders them
            facts.sort(key=str)


def _verified(claim: Claim, seed: int, timeout: float, shared: dict | None) -> ClaimResult:
    start = time.perf_counter()
    try:
        if claim.symbolic:
            links, errata = _verify_chain(claim, seed, timeout, shared)
        else:
            from . import numeric  # numpy: only a claim whose lines are code needs it

            links = numeric.verify_chain(claim, seed, timeout, shared)
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
        uses=tuple(claim.uses),
        relations=tuple("" if i == 0 else s.rel for i, s in enumerate(claim.steps)),
    )


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
    )


def _debug() -> bool:
    import os

    return bool(os.environ.get("VERIFY_DEBUG"))


# --- the chain of lines --------------------------------------------------------------------------


def _verify_chain(claim: Claim, seed: int, timeout: float, shared: dict | None = None) -> tuple[list[LinkResult], list[Erratum]]:
    """Check each line against the last line known good; classify wrong lines as isolated or propagating."""
    steps = claim.steps
    cache: dict[tuple[int, int], LinkResult] = {}
    memo: dict = {}  # prepared lines: each line takes part in two links
    if shared is not None:
        memo[RUN_SHARED] = shared  # what the run's claims share (see prepare.prepare: evaluated subexpressions)

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
            if res.verdict in holds:
                base = j  # an undecided line is never the reference: the next line is judged against `base`
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
    def check(prev: Step, line: Step, index: int, limit: float) -> LinkResult:
        return verify_link(claim, prev, line, index, seed, limit, memo, fast=True)

    from .suggest import suggest

    found = suggest(claim, j, base, check, timeout, isolated=nxt is not None)
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
        suggestion=found.line if found else None,
        suggestion_edit=found.edit if found else None,
        suggestion_verdict=found.verdict if found else None,
        suggestion_matches=matches,
    )


# --- one link ------------------------------------------------------------------------------------


def verify_link(claim: Claim, prev: Step, line: Step, index: int, seed: int, timeout: float, memo: dict | None = None, fast: bool = False, chain: tuple | None = None) -> LinkResult:
    """Does `line` follow from `prev` (by line.rel) on the claim's domain? Timed; never raises."""
    start = time.perf_counter()
    memo = {} if memo is None else memo
    ctx = Context(seed=seed + index, timeout=timeout, memo=memo.setdefault(_STRATEGY_MEMO, {}))
    try:
        # The whole link under its limit, not only the strategies: preparing, definedness and the
        # engine's own glue between them are bounded too (a line can never run past its limit).
        with time_limit(timeout):
            out = _settle(claim, prev, line, index, ctx, start, memo, fast, chain)
    except StepTimeout:
        out = LinkResult(index, "inconclusive", "timeout", f"timed out after {timeout:g} s (no strategy settled it)")
    except Unsupported as exc:
        out = LinkResult(index, "inconclusive", "unsupported", str(exc))
    except (RecursionError, OverflowError, MemoryError) as exc:
        # SymPy's own limits (deep trees, huge numbers): the line is undecided, not broken.
        out = LinkResult(index, "inconclusive", "limits", f"SymPy gave up ({type(exc).__name__}: {str(exc)[:80]}); the line is undecided")
    except Exception as exc:  # a broken line is an error on that line, the rest still runs
        out = LinkResult(index, "error", "error", f"{type(exc).__name__}: {exc}")
    return _timed(out, start)


def _timed(res: LinkResult, start: float) -> LinkResult:
    from dataclasses import replace

    return replace(res, seconds=time.perf_counter() - start)


def _settle(claim: Claim, prev: Step, line: Step, index: int, ctx: Context, start: float, memo: dict, fast: bool = False, chain: tuple | None = None) -> LinkResult:
    raw = claim.expand(prev.expr), claim.expand(line.expr)
    # In an approximate line the limit symbol only tends to its value: its own point is the limit's business.
    tending = {line.limit[0]} if line.rel == "≈" and line.limit is not None else set()
    lhs0, rhs0 = written(claim, prev.expr), written(claim, line.expr)
    res = None
    if fast:
        # Screening a candidate edit: only whether it holds matters, and most do not. The equality
        # first, definedness (its own seeded context, memoized per line) only for one that holds:
        # the same candidates pass as in the order below, without a definedness search for each.
        res = _settle_defined(claim, prev, line, index, ctx, start, memo, fast, chain, lhs0, rhs0)
        if res.verdict not in ("proved", "checked"):
            return res
    finding, unshown = definedness(claim, ((raw[0], "the previous line"), (raw[1], "this line")), ctx, memo, tending)
    if finding is not None:
        return LinkResult(index, "refuted", "definedness", str(finding), counterexample=finding)
    if res is None:
        res = _settle_defined(claim, prev, line, index, ctx, start, memo, fast, chain, lhs0, rhs0)
    if unshown and res.verdict in ("proved", "checked"):
        from dataclasses import replace

        res = replace(res, detail=f"{res.detail}; holds where defined (not shown on the whole domain: {'; '.join(unshown[:3])})")
    return res


def _settle_defined(claim: Claim, prev: Step, line: Step, index: int, ctx: Context, start: float, memo: dict, fast: bool, chain, lhs0, rhs0) -> LinkResult:
    sizes = size_symbols(claim, lhs0, rhs0)
    if line.rel == "=" and sizes and chain is None and same_unprepared(lhs0, rhs0):
        return LinkResult(index, "proved", "structural", "the two lines expand to the same expression (sums compared as written)")
    if fast and sizes and chain is None:
        # Screening a candidate edit, most of them false: the smallest sizes first (an exact probe
        # refutes there in milliseconds), before the general-size rules spend their work on it. A
        # candidate that holds there goes on exactly as below, so what is suggested is unchanged.
        res = _by_instances(claim, prev, line, index, ctx, start, sizes, memo, fast, chain, first_only=True)
        if res.verdict not in ("proved", "checked"):
            return res
    if sizes and line.rel == "=" and chain is None:
        res = _by_symbolic_sizes(claim, prev, line, index, ctx)
        if res is not None:
            return res
    if sizes and symbolic_sums_hopeless(claim, (lhs0, rhs0), sizes):
        # Decided from the lines' shape, never from the clock: no closed form is coming.
        return _by_instances(claim, prev, line, index, ctx, start, sizes, memo, fast, chain)
    try:
        with time_limit(_left(ctx, start, SYMBOLIC_SUM_SHARE if sizes else 1.0)):
            link = prepare(claim, prev.expr, line, index, memo=memo)
        if sizes and has_open_sums(link) and not (line.rel == "≈" and line.small):
            # (a line with little-o terms is read as a polynomial in them: sums are its coefficients)
            raise Unsupported("sums with symbolic bounds")
        res = _run_chain(claim, prev.expr, line, link, index, ctx, start, fast, chain)
        if res.verdict != "inconclusive" or not sizes:
            return res
    except (Unsupported, StepTimeout) as exc:
        if not sizes:
            raise
        if isinstance(exc, StepTimeout):
            _log.debug("timeout: symbolic sums on %s line %d", claim.id, index)
    return _by_instances(claim, prev, line, index, ctx, start, sizes, memo, fast, chain)


def _by_symbolic_sizes(claim: Claim, prev: Step, line: Step, index: int, ctx: Context) -> LinkResult | None:
    """A proof for every size by the SIZED strategies on the lines as written, or None (then the sizes
    are fixed one by one). They never refute, and their work is bounded by counts, not by a share of
    the clock: the link's own limit is the only one (running out of it is `inconclusive`)."""
    from .strategies import SIZED

    link = symbolic_link(claim, prev.expr, line, index, ctx.memo)
    if link is None:
        return None
    for attempt in SIZED:
        try:
            out = attempt(link, ctx)
        except (Unsupported, TypeError, ValueError, ZeroDivisionError, NotImplementedError, AttributeError, RecursionError, OverflowError):
            continue  # not this strategy's case (or beyond SymPy's limits for it)
        if out is not None and out.verdict == "proved":
            return LinkResult(index, "proved", out.method, out.detail)
    return None


def _left(ctx: Context, start: float, share: float = 1.0) -> float:
    left = ctx.timeout - (time.perf_counter() - start)
    if left <= 0:
        raise StepTimeout("no time left")
    return max(min(left, ctx.timeout * share), 1e-3)


def _run_chain(claim: Claim, prev_expr, line: Step, link: Link, index: int, ctx: Context, start: float, fast: bool = False, chain: tuple | None = None) -> LinkResult:
    if line.rel == "≈":
        return _approx(claim, link, index, ctx, start)
    if not fast and chain is None and not link.concrete:
        # Opaque terms indexed by free integers of a finite domain (w(i − m + 1, …) beside
        # w(r − s + 1, …)): with the indices fixed the terms line up, one value at a time.
        res = _by_index_values(claim, prev_expr, line, link, index, ctx, start)
        if res is not None:
            return res
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
            with time_limit(_left(ctx, start, SHARE.get(attempt, 0.5))):
                out = attempt(link, ctx)
        except StepTimeout:
            timed_out = True
            _log.debug("timeout: %s on %s line %d", attempt.__module__, claim.id, index)
            continue
        except (Unsupported, TypeError, ValueError, ZeroDivisionError, NotImplementedError, AttributeError, RecursionError, OverflowError):
            continue  # not this strategy's case (or beyond SymPy's limits for it)
        if out is None:
            continue
        if out.verdict == "proved":
            return LinkResult(index, "proved", out.method, out.detail, points=out.points)
        if out.verdict == "checked":
            checked = out
            break
        if out.candidates:
            if fast:
                from . import witness

                defined = out.fails_where_defined
                if defined is None:  # the strategy did not say: decide it at its point
                    defined = witness.fails_where_defined(link, out.candidates[0])
                if defined:
                    # Screening an edit: it fails at a point where both sides are real numbers, so no
                    # sound strategy after this one can hold it; whether a readable witness exists on
                    # a realization (refuted or inconclusive) does not matter, both reject the edit.
                    return LinkResult(index, "inconclusive", "screened", "fails at an exact point of the domain (not searched for a witness)")
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
    if not fast and chain is None and link.concrete and not candidates:
        # the same for a concrete line no strategy decided: P(X = k) against C(n, k) p^k (1−p)^(n−k),
        # a Piecewise in k and n that is a polynomial in p at each of their values
        res = _by_index_values(claim, prev_expr, line, link, index, ctx, start)
        if res is not None:
            return res
    why = "a float sample differed but no exact replay confirmed it" if candidates else "no strategy could decide it"
    if timed_out:
        return LinkResult(index, "inconclusive", "timeout", f"timed out after {ctx.timeout:g} s ({why} in its share of the time)")
    return LinkResult(index, "inconclusive", "none", why)


def _finite_indices(link: Link) -> list[sp.Symbol]:
    """Free integers of a finite domain that index something opaque — an argument of an undefined
    function (w(i − m + 1, …)), of a step H(i − m + ½) or a δ, a case of a Piecewise, a binomial, an
    exponent — on a line no strategy decided: with each fixed, the terms line up. Empty when their
    combinations exceed INSTANCE_LIMIT."""
    from sympy.core.function import AppliedUndef

    finite = {s for s, v in link.values.items() if v.interval is not None and v.interval.finite_size is not None}
    if not finite:  # most links: nothing to enumerate, and the scan below walks whole networks
        return []
    inside: set = set()
    memo: dict = {}  # free symbols by subexpression: σ(z) of a network repeats its whole earlier layers
    for side in (link.lhs, link.rhs):
        if isinstance(side, (sp.Basic, sp.MatrixBase)):
            for node in dag.atoms(side, AppliedUndef, sp.Heaviside, sp.KroneckerDelta, sp.Indexed, sp.Piecewise, sp.binomial,
                                  sp.factorial, sp.Pow):
                # p^k: a polynomial in p at each k (only the exponent counts)
                inside |= dag.free_symbols_memo(node.exp if isinstance(node, sp.Pow) else node, memo) & finite
    out = [s for s in link.free if s in inside]
    if not out or math.prod(link.values[s].interval.finite_size for s in out) > INSTANCE_LIMIT:
        return []
    return out


def _by_index_values(claim, prev_expr, line: Step, link: Link, index: int, ctx: Context, start: float) -> LinkResult | None:
    """The link at every value of its `_finite_indices` (a proof by exhaustion over their finite
    domains, or the first value where it fails); None when there are none or some value stays
    undecided (the caller goes on as without them)."""
    from dataclasses import replace

    indices = _finite_indices(link)
    if not indices:
        return None
    ranges = [link.values[s].interval.integers() for s in indices]
    methods = set()
    for combo in itertools.product(*ranges):
        at = dict(zip(indices, combo))
        sub = replace(link, lhs=link.lhs.xreplace(at), rhs=link.rhs.xreplace(at),
                      values={s: v for s, v in link.values.items() if s not in at},
                      fixed={**link.fixed, **{str(s): str(v) for s, v in at.items()}})
        res = _run_chain(claim, prev_expr, line, sub, index, ctx, start)
        if res.verdict == "refuted":
            return res
        if res.verdict != "proved":
            return None
        methods.add(res.method)
    where = ", ".join(_listing(s, r) for s, r in zip(indices, ranges))
    return LinkResult(index, "proved", "instances(" + "+".join(sorted(methods)) + f" at each {where})",
                      f"proved for every value {where} of the domain (exhaustive)")


def _try_witness(claim, prev_expr, line, index, ctx, start, candidates, link, quick: bool = False):
    """(counterexample or None, whether time ran out); `quick` tries a few points on one realization."""
    from . import refute

    try:
        # No share of the clock of its own: the quick search is bounded by its count of points, so
        # a busy machine slows it down but never cuts it short (which would change what runs next).
        with time_limit(_left(ctx, start)):
            return refute.search(claim, prev_expr, line, index, ctx, candidates, link, quick=quick), False
    except StepTimeout:
        return None, True


def _approx(claim: Claim, link: Link, index: int, ctx: Context, start: float) -> LinkResult:
    """An approximate line: the limit strategy, under the link's time limit."""
    from .strategies import limit

    with time_limit(_left(ctx, start)):
        return limit.settle(link, ctx)


def _by_instances(claim, prev: Step, line: Step, index: int, ctx: Context, start: float, sizes, memo: dict, fast: bool = False, chain: tuple | None = None, first_only: bool = False) -> LinkResult:
    """Fix the sizes to each value of their domain: all of them when there are at most INSTANCE_LIMIT
    combinations (a proof by exhaustion), else the smallest values, the ends and seeded random members.
    `fast` (screening suggested edits): the strategies of the fast chain, and the first size that
    does not hold ends the search — its verdict is the link's, as the worst of all would be."""
    ranges, exhaustive = _instance_values(claim, sizes, ctx)
    verdicts = []
    methods = set()
    if first_only:  # the first of `_combinations`, without ordering a whole grid for one cell
        combos, cut, exhaustive = [tuple(r[0] for r in ranges)], True, False
    else:
        combos, cut = _combinations(ranges, exhaustive)
    for combo in combos:
        fix = dict(zip(sizes, combo))
        with time_limit(_left(ctx, start)):
            link = prepare(claim, prev.expr, line, index, sizes=fix, memo=memo)
        res = _run_chain(claim, prev.expr, line, link, index, ctx, start, fast, chain)
        if res.verdict == "refuted" or (fast and res.verdict not in ("proved", "checked")):
            return res
        verdicts.append(res.verdict)
        methods.add(res.method)
    where = ", ".join(_listing(s, r) for s, r in zip(sizes, ranges))
    if cut:
        where = f"the {len(verdicts)} smallest combinations of {where}"
    verdict = worst(verdicts)
    method = "instances(" + "+".join(sorted(methods)) + ")"
    if verdict == "proved" and not exhaustive:
        return LinkResult(index, "checked", method, f"proved for each of {where} only (not for every size)")
    if verdict == "proved":
        return LinkResult(index, "proved", method, f"proved for every value {where} of the domain (exhaustive)")
    return LinkResult(index, verdict, method, f"{verdict} over {where}")


def _combinations(ranges: list[list[sp.Integer]], exhaustive: bool) -> tuple[list[tuple], bool]:
    """The combinations of sizes to try, smallest first by the sum of their positions (so that with
    several sizes each one grows early: a line wrong only where m ≠ n is met at once), and whether
    some were left out: a sampled domain is tried on at most INSTANCE_LIMIT of them (it can only
    give `checked`, and a count bounds the work, not the clock)."""
    if len(ranges) == 1:
        return [(v,) for v in ranges[0]], False
    count = math.prod(len(r) for r in ranges)
    if count > 10**6:  # too many to order: the first of each range's values, then lexicographic
        return list(itertools.islice(itertools.product(*ranges), INSTANCE_LIMIT)), True
    positions = positions_by_sum([len(r) for r in ranges], None if exhaustive else INSTANCE_LIMIT + 1)
    if not exhaustive and len(positions) > INSTANCE_LIMIT:
        return [tuple(r[k] for r, k in zip(ranges, c)) for c in positions[:INSTANCE_LIMIT]], True
    return [tuple(r[k] for r, k in zip(ranges, c)) for c in positions], False


def positions_by_sum(lengths: list[int], limit: int | None = None) -> list[tuple[int, ...]]:
    """The index tuples of a grid with these side lengths in the order of (sum, then lexicographic),
    the first `limit` of them: generated in that order, not sorted (a grid of 10⁵ cells sorted to
    keep 128 of them once cost 8% of the catalogue's time)."""
    rest = [sum(n - 1 for n in lengths[i:]) for i in range(len(lengths) + 1)]
    out: list[tuple[int, ...]] = []

    def fill(i: int, s: int, prefix: list[int]):
        if i == len(lengths):
            yield tuple(prefix)
            return
        for k in range(max(0, s - rest[i + 1]), min(lengths[i] - 1, s) + 1):
            prefix.append(k)
            yield from fill(i + 1, s - k, prefix)
            prefix.pop()

    if any(n < 1 for n in lengths):
        return out
    for s in range(rest[0] + 1):
        for c in fill(0, s, []):
            out.append(c)
            if limit is not None and len(out) >= limit:
                return out
    return out


def _instance_values(claim: Claim, sizes, ctx: Context) -> tuple[list[list[sp.Integer]], bool]:
    """The values each size takes: every one when the combinations are few, else a seeded sample."""
    full = []
    for s in sizes:
        n = claim.domain[s].finite_size
        full.append(n)
    if all(n is not None for n in full) and math.prod(full) <= INSTANCE_LIMIT:
        return [claim.domain[s].integers() for s in sizes], True
    out = []
    for s, n in zip(sizes, full):
        iv = claim.domain[s]
        lo = int(sp.ceiling(iv.lo))
        if n is not None and n <= MAX_INSTANCES * 2 and len(sizes) > 1:
            out.append(iv.integers())
            continue
        picks = list(range(lo, lo + min(MAX_INSTANCES, n or MAX_INSTANCES)))
        if n is None:  # no last value: random members a little further out
            picks += sorted(ctx.rng.sample(range(lo + MAX_INSTANCES, lo + 6 * MAX_INSTANCES), 2))
        else:
            hi = lo + n - 1
            picks += sorted(ctx.rng.sample(range(lo + MAX_INSTANCES, hi - 1), min(3, max(0, n - MAX_INSTANCES - 2))))
            picks += [hi - 1, hi]
        out.append([sp.Integer(v) for v in dict.fromkeys(picks)])
    return out, False


def _listing(symbol, values: list) -> str:
    """"m = 2…8" for a run of values; "n ∈ {1, 2, 3, 40}" otherwise."""
    ints = [int(v) for v in values]
    if len(ints) > 1 and ints == list(range(ints[0], ints[-1] + 1)):
        return f"{symbol} = {ints[0]}…{ints[-1]}"
    return f"{symbol} ∈ {{{', '.join(map(str, ints))}}}"


def _show(expr: Any) -> str:
    """A line of an erratum as text (verifier.present.line_text)."""
    from .present import line_text

    return line_text(expr)
