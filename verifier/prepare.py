"""Link preparation: the two lines of a link made deterministic SymPy objects the strategies can settle.

Symbols get the assumptions their domain implies; `where` abbreviations are written out; float
literals become the decimals they denote; E, Var and P are evaluated (linearity, independence,
exact moments); finite sums are unrolled and derivatives taken; random atoms left outside an
expectation become outcome symbols ranging over their support. Definedness is read off the
lines as written, before any of this can cancel a vanishing denominator.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import replace
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from . import algebra, dag, primes
from .claim import Claim, Interval, Step
from .errors import StepTimeout, Unsupported
from .exact import rationalize
from .link import Link, Values
from .randvars import Distribution, Expectations
from .strategies.base import Context


def same_unprepared(a: Any, b: Any) -> bool:
    """Identical up to expansion, before any sum is evaluated (no E/Var/P: those change meaning)."""
    from .randvars import has_operators

    if not (isinstance(a, sp.Basic) and isinstance(b, sp.Basic)) or has_operators(a) or has_operators(b):
        return False
    if a == b:
        return True
    # SymEngine, with each sum an opaque atom (sums compared as written): milliseconds, and no
    # clock — a time limit here once let a slow machine turn a proof into a size-by-size check.
    return algebra.expands_to_zero(a - b) is True


def definedness(claim: Claim, lines, ctx: Context, memo: dict, tending: set = frozenset()):
    """A point of the domain where a line as written is undefined, and the conditions left unshown."""
    from . import defined

    rename = assumed(claim)
    values = {rename.get(s, s): Values(interval=iv) for s, iv in claim.domain.items() if s not in tending}
    unshown: list[str] = []
    for expr, label in lines:
        if not isinstance(expr, sp.Basic):
            continue
        key = ("defined", expr, tuple(sorted(map(str, tending))))
        if key not in memo:
            # Only the conditions' expressions are renamed (a large line has few), each as the
            # whole line would be: re-evaluated unless that could cancel something away. The
            # renaming memos are prepare's own (same rule: the claim's assumed symbols, no sizes).
            if _keeps_shape(expr):
                part = memo.setdefault(("subtrees", "rename", ()), {})
                named = lambda e, part=part: dag.xreplace(e, rename, part)  # noqa: E731
            else:
                part = memo.setdefault(("subtrees", "rename unevaluated"), {})
                named = lambda e, part=part: _rename_unevaluated(e, rename, part)  # noqa: E731
            sub = Context(seed=ctx.seed, timeout=ctx.timeout)
            memo[key] = defined.check(expr, values, sub, label, rename=named)
        finding, missing = memo[key]
        if finding is not None:
            from dataclasses import replace

            return replace(finding, difference=finding.difference.replace("the previous line", label).replace("this line", label)), []
        unshown += missing
    return None, list(dict.fromkeys(unshown))


def _keeps_shape(expr: sp.Basic) -> bool:
    """True when re-evaluating expr cannot cancel anything away (no negative powers or logs)."""
    return not any((p.exp.is_number and p.exp.is_negative) for p in dag.atoms(expr, sp.Pow)) and not dag.has(expr, sp.log)


def _rename_unevaluated(expr: sp.Basic, rename: dict, memo: dict | None = None) -> sp.Basic:
    """expr with its symbols swapped for their assumed versions, nothing re-evaluated (x/x stays x/x)."""
    with sp.evaluate(False):
        return dag.xreplace(expr, rename, memo)



# The key, in a claim's memo, of the dict the claims of one run share (engine.verify's `shared`).
# The steps of `prepare` that are a function of the subexpression alone — `dag.doit` (given whether
# σ′ is written as an application), σ′ as an application, the renaming (given the rename map),
# unrolling finite sums, the free-symbol walks — keep their memos there, for every claim of the
# run. The claims of a network differentiate the same network: half of the backprop topic's doit
# time was for sides that an earlier claim had already evaluated.
RUN_SHARED = ("run shared",)
_WRITTEN = ("written, floats as decimals",)  # under this key in a claim's `_expanded`: `written` of each line


def written(claim: Claim, expr: Any) -> Any:
    """A line as every strategy reads it: abbreviations written out, float literals the decimals they
    were written as; once per line of a claim (each line is read by two links, their definedness
    and the size strategies, and each is a walk of the whole written-out line)."""
    memo = claim._expanded.setdefault(_WRITTEN, {})
    try:
        return memo[expr]
    except KeyError:
        out = memo[expr] = rationalize(claim.expand(expr))
    except TypeError:  # a mutable matrix: not a key
        out = rationalize(claim.expand(expr))
    return out


def primes_allowed(claim: Claim) -> bool:
    """Whether this claim's derivatives σ′(z) may be written as applications (see verifier.primes);
    decided once per claim, so that every line of it is written alike."""
    key = ("primes allowed",)
    hit = claim._expanded.get(key)
    if hit is None:
        exprs = [s.expr for s in claim.steps] + [s.expr for s in claim.corrections.values()] + list(claim.where.values())
        hit = claim._expanded[key] = primes.allowed(exprs)
    return hit


def assumed(claim: Claim) -> dict[sp.Symbol, sp.Symbol]:
    """Each domain symbol rebuilt with SymPy assumptions that match its domain (a fresh dict: callers add to it)."""
    key = ("assumed",)  # once per claim: every link of it asks again
    hit = claim._expanded.get(key)
    if hit is not None:
        return dict(hit)
    out = {}
    kinds: dict = {}  # a network's weights share one domain: its SymPy comparisons made once
    for sym, iv in claim.domain.items():
        kw = kinds.get((iv.lo, iv.hi, iv.integer))
        if kw is None:
            kw = {"integer": True} if iv.integer else {"real": True}
            if iv.lo >= 0 and (iv.lo > 0 or not iv.integer):
                kw["positive"] = True
            elif iv.lo >= 0:
                kw["nonnegative"] = True
            elif iv.hi <= 0 and not iv.integer:
                kw["negative"] = True
            kinds[(iv.lo, iv.hi, iv.integer)] = kw
        out[sym] = sp.Symbol(sym.name, **kw)
    claim._expanded[key] = out
    return dict(out)


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
    as_primes = primes_allowed(claim)
    # Subtrees done once for every line of the claim (and every candidate edit of a wrong one, which
    # recombines the same terms): each step below is a function of the subexpression alone, given
    # the claim and, for the renaming, the sizes. Not with stand-in distributions or functions.
    shared = memo is not None and not distributions and not functions
    sizes_key = tuple(sorted((str(k), v) for k, v in (sizes or {}).items()))

    def part(name: str, per_size: bool = False) -> dict | None:
        return memo.setdefault(("subtrees", name, sizes_key if per_size else ()), {}) if shared else None

    run = memo.get(RUN_SHARED) if shared else None
    renaming = frozenset(rename.items()) if run is not None else None

    def step(name: str, *key: Any, per_size: bool = False) -> dict | None:
        """The memo of a step that is a function of the subexpression (and of `key`) alone: the run's
        (see RUN_SHARED), else the claim's."""
        return part(name, per_size) if run is None else run.setdefault((RUN_SHARED, name, *key), {})

    ev = Expectations(dists, part("eliminate"))

    def side(expr: sp.Basic) -> sp.Basic:
        e = written(claim, expr)
        if as_primes:
            e = primes.to_primes(e, step("primes"))
        e = dag.xreplace(e, rename, step("rename", renaming, per_size=True))
        if dag.has(e, sp.Sum):
            e = _unroll_finite(e, step("unroll"))  # X[1] + … + X[n] once n is fixed
        eliminated = ev.eliminate(e)
        if eliminated is not e:  # (a renamed line renames to itself: only what E, Var or P gave back is new)
            e = dag.xreplace(eliminated, rename, step("rename", renaming, per_size=True))  # parameters that came back from a distribution
        if functions:
            # Not subs: SymPy's subs of a function by a Lambda raises inside a Sum or Product.
            e = dag.apply_functions(e, primes.with_derivatives(functions, e) if as_primes else functions)
        if isinstance(e, sp.Basic) and dag.has(e, sp.Sum, sp.Product, sp.Integral, sp.Derivative, sp.Subs, sp.UnevaluatedExpr):
            e = dag.doit(e, fdiff=primes.fdiff if as_primes else None, state=step("doit", as_primes))
        if as_primes:
            e = primes.to_primes(e, step("primes"))  # the derivatives just taken: σ′(z) as an application
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
    lhs, rhs, values, concrete = _outcomes(claim, ev, lhs, rhs, rename, step("walks"))
    lim = None
    if line.limit is not None:
        lim = (rename.get(line.limit[0], line.limit[0]), sp.sympify(line.limit[1], strict=True), *line.limit[2:3])
    undefined = any(isinstance(x, sp.Basic) and dag.has(x, AppliedUndef) for x in (lhs, rhs))
    return Link(index, lhs, rhs, line.rel, values, limit=lim, small=line.small, realization="; ".join(realization),
                concrete=concrete and not undefined, fixed=fixed, sizes=dict(sizes or {}))


def realize_functions(link: Link, functions: dict[Any, sp.Lambda]) -> Link:
    """`link` with each undefined function (σ, a loss) replaced by a concrete one. The sides are
    already differentiated with the functions undefined (chain rule: σ'(z) at each argument), so
    only those derivatives are evaluated here — the same sides as preparing with the functions
    concrete from the start, without differentiating a large concrete composition."""

    def side(e: sp.Basic) -> sp.Basic:
        if not isinstance(e, sp.Basic) or not dag.has(e, AppliedUndef):
            return e
        e = dag.apply_functions(e, primes.with_derivatives(functions, e))  # σ′ the derivative of the same σ
        return dag.doit(e) if dag.has(e, sp.Derivative, sp.Subs) else e

    lhs, rhs = side(link.lhs), side(link.rhs)
    undefined = any(isinstance(x, sp.Basic) and dag.has(x, AppliedUndef) for x in (lhs, rhs))
    moments = any(s.name.startswith("E[") for x in (lhs, rhs) for s in dag.free_symbols(x))
    made = [f"{f}({', '.join(map(str, lam.variables))}) = {lam.expr}" for f, lam in functions.items()]
    realization = "; ".join([link.realization, *made] if link.realization else made)
    return replace(link, lhs=lhs, rhs=rhs, realization=realization, concrete=not (undefined or moments))


class ClaimShapeError(ValueError):
    """Two lines that cannot be compared: a matrix against a scalar, or matrices of other shapes."""


def _unroll(e: sp.Sum) -> sp.Expr:
    """A sum with integer bounds written out term by term (Sum.doit tries closed forms first: slow)."""
    body = e.function
    for var, lo, hi in reversed(e.limits):
        if hi - lo > 10_000:
            return e.doit()
        free: dict = {}  # the body's free symbols, shared by every term
        body = sp.Add(*[_put(body, var, sp.Integer(k), free) for k in range(int(lo), int(hi) + 1)])
    inner = {s: _unroll(s) for s in body.atoms(sp.Sum) if _finite_sum(s)} if body.has(sp.Sum) else {}
    return body.xreplace(inner) if inner else body


def _put(e: sp.Basic, var: sp.Symbol, value: sp.Expr, free: dict | None = None) -> sp.Basic:
    """e with the free occurrences of var replaced (an inner sum that binds var keeps its own);
    each distinct subexpression is visited once."""
    memo: dict = {}
    free = {} if free is None else free

    def go(x: sp.Basic) -> sp.Basic:
        hit = memo.get(x)
        if hit is not None:
            return hit
        if x == var:
            out = value
        elif not x.args or var not in dag.free_symbols_memo(x, free):
            out = x
        elif isinstance(x, (sp.Sum, sp.Product)) and any(lim[0] == var for lim in x.limits):
            limits = [(lim[0], *(go(b) for b in lim[1:])) if lim[0] != var else lim for lim in x.limits]
            out = x.func(x.function, *limits)
        else:
            out = x.func(*[go(a) for a in x.args])
        memo[x] = out
        return out

    return go(e)


def _unroll_finite(expr: sp.Basic, memo: dict | None = None) -> sp.Basic:
    """expr with every sum that has integer bounds written out — `expr.xreplace` of each such sum
    by `_unroll` of it (outermost first), each distinct subexpression visited once."""
    return dag.rewrite(expr, lambda e, go: _unroll(e) if _finite_sum(e) else None, memo)


def _finite_sum(e: sp.Basic) -> bool:
    return isinstance(e, sp.Sum) and all(lim[1].is_Integer and lim[2].is_Integer for lim in e.limits)


class _SideWalk:
    """The free symbols and indexed entries of two sides, each side walked at most once for each.
    `memos`, if given, keeps both by subexpression across walks (the sides of a claim's links, and of
    the candidate edits of a wrong line, share most of their subtrees)."""

    def __init__(self, *sides: Any, memos: dict | None = None) -> None:
        self._sides = sides
        self._free: dict = {}
        self._indexed: dict = {}
        self._memos = {} if memos is None else memos

    def _of(self, found: dict, side: int, name: str, one) -> set:
        """One side's `one(subexpression, memo)` over its entries (a matrix) or itself, once."""
        if side not in found:
            e, memo = self._sides[side], self._memos.setdefault(name, {})
            parts = e if isinstance(e, sp.MatrixBase) else (e,)
            found[side] = set().union(*(one(x, memo) for x in parts if isinstance(x, sp.Basic)))
        return found[side]

    def free(self, basic: bool = False) -> set:
        """The free symbols of both sides (of those that are SymPy objects, with `basic`)."""
        return set().union(*(self._of(self._free, k, "free", dag.free_symbols_memo) for k, e in enumerate(self._sides)
                             if not basic or isinstance(e, sp.Basic)))

    def indexed(self, basic: bool = False) -> set:
        """The indexed entries x[k] of both sides (of those that are SymPy objects, with `basic`)."""
        entries = lambda x, memo: dag.atoms_memo(x, (sp.Indexed,), memo)  # noqa: E731
        return set().union(*(self._of(self._indexed, k, "indexed", entries) for k, e in enumerate(self._sides)
                             if not basic or isinstance(e, sp.Basic)))


def _outcomes(claim: Claim, ev: Expectations, lhs, rhs, rename, memos: dict | None = None):
    """Random atoms left outside E become outcome symbols ranging over their support (`memos`: the
    walks' memos, see _SideWalk, and the replacements' memos, one per replacement rule)."""
    values: dict[sp.Symbol, Values] = {}
    for sym, iv in claim.domain.items():
        new = rename.get(sym, sym)
        if isinstance(new, sp.Symbol):
            values[new] = Values(interval=iv)
    swap = {}
    # Each side walked once for its free symbols and once for its indexed entries (a network's sides
    # are large), and again only after something in them was replaced. (Names and data entries are
    # read off the sides that are SymPy objects; random atoms off a mutable matrix's entries too.)
    walk = _SideWalk(lhs, rhs, memos=memos)
    taken = {s.name for s in walk.free(basic=True)} | {s.name for s in values}
    random_atoms = {s for s in walk.free() if s in ev.symbols} | {i for i in walk.indexed() if i.base in ev.bases}
    for atom in sorted(random_atoms, key=sp.default_sort_key):  # ev.atoms(lhs) | ev.atoms(rhs)
        dist = ev.distribution(atom)
        name = str(atom) if isinstance(atom, sp.Symbol) else f"{atom.base}_{'_'.join(map(str, atom.indices))}"
        if not isinstance(atom, sp.Symbol) and name in taken:
            name = str(atom)  # X[1], not X_1, when the claim has a symbol of its own named X_1
        taken.add(name)
        sup = dist.support()
        integer = len(sup) == 3 and sup[2] is True
        sym = sp.Symbol(name, integer=True) if integer else sp.Symbol(name, real=True)
        swap[atom] = sym
        if len(sup) == 3 and isinstance(sup[2], bool):
            values[sym] = Values(interval=Interval(sup[0], sup[1], integer=sup[2]))
        else:
            values[sym] = Values(finite=tuple(sup))
    # Entries θ[1], θ[2] of data (an IndexedBase that is not random, its label given a domain): each
    # entry is a value of its own in the label's domain. An entry at a symbolic index (θ[k] beside
    # θ[1]) may be the same entry, so no value is drawn for it alone (below).
    labels = {rename.get(s, s): iv for s, iv in claim.domain.items()}

    def entry(label: sp.Symbol, indices: tuple) -> sp.Symbol:
        atom = sp.Indexed(sp.IndexedBase(label), *indices)
        if atom not in swap:
            name = f"{label}_{'_'.join(map(str, indices))}"
            if name in taken:
                name = str(atom)
            taken.add(name)
            swap[atom] = sp.Symbol(name, **label.assumptions0)
            values[swap[atom]] = Values(interval=labels[label])
        return swap[atom]

    data = lambda e: isinstance(e, sp.Indexed) and e.base.label in labels  # noqa: E731
    for atom in sorted(walk.indexed(basic=True) - set(swap), key=sp.default_sort_key):
        if data(atom) and all(i.is_Integer for i in atom.indices):
            entry(atom.base.label, atom.indices)
    if swap:
        # The line before is the same in every link into a line, and in each of its candidate edits:
        # its replaced subtrees are kept with the rule that replaced them.
        lhs, rhs = _replaced(lhs, rhs, swap, memos)
        walk = _SideWalk(lhs, rhs, memos=memos)
    # An entry at an index that takes finitely many values (θ at the label y_1 of a sample, y_1 ∈ {1, 2})
    # is the sum over those values v of [index = v] θ_v: the same number at every point.
    at_index: dict = {}
    for atom in sorted({a for a in walk.indexed(basic=True) if data(a)}, key=sp.default_sort_key):
        free = sorted({s for i in atom.indices for s in i.free_symbols}, key=lambda s: s.name)
        finite = [values[s].interval.finite_size if s in values and values[s].interval is not None else None for s in free]
        if not free or None in finite or math.prod(finite) > 64:
            raise Unsupported(f"{atom}: an entry at a symbolic index, beside entries at numbers (fix the index, e.g. a member"
                              " the lines treat alike, to decide the line)")
        terms = []
        for combo in itertools.product(*[values[s].interval.integers() for s in free]):
            at = dict(zip(free, combo))
            idx = tuple(i.xreplace(at) for i in atom.indices)
            terms.append(sp.Mul(*[sp.KroneckerDelta(s, v) for s, v in at.items()]) * entry(atom.base.label, idx))
        at_index[atom] = sp.Add(*terms)
    if at_index:
        lhs, rhs = _replaced(lhs, rhs, at_index, memos)
        walk = _SideWalk(lhs, rhs, memos=memos)
    concrete = True
    for s in walk.free() - set(values):
        if s.name.startswith("E["):  # a moment of a generic distribution: any real value
            values[s] = Values(interval=Interval(-sp.oo, sp.oo))
            concrete = False
    return lhs, rhs, values, concrete


def _replaced(lhs, rhs, rule: dict, memos: dict | None) -> tuple:
    """Both sides through `dag.xreplace(·, rule)`, with one memo per rule in `memos` (xreplace is a
    function of the subexpression and the rule alone)."""
    memo = None if memos is None else memos.setdefault(("replaced by", frozenset(rule.items())), {})
    return dag.xreplace(lhs, rule, memo), dag.xreplace(rhs, rule, memo)


def size_symbols(claim: Claim, *exprs) -> list[sp.Symbol]:
    """Integer domain symbols used as bounds of sums or products: sizes that can be fixed one by one."""
    ints = {s for s, iv in claim.domain.items() if iv.integer}
    found: set[sp.Symbol] = set()
    if not ints:  # no integer in the domain, no size (a network's lines: not walked at all)
        return []
    for e in exprs:
        if not isinstance(e, sp.Basic):
            continue
        for node in dag.atoms(e, sp.Sum, sp.Product):  # each distinct subtree once: lines are DAGs
            for lim in node.limits:
                for bound in lim[1:]:
                    # the label of data in a bound (Σ_{i=1}^{N_1} with N_1 an entry of N) is no size
                    labels = {a.base.label for a in bound.atoms(sp.Indexed)}
                    found |= (bound.free_symbols - labels) & ints
    return sorted(found, key=lambda s: s.name)


def symbolic_link(claim: Claim, prev_expr: Any, line: Step, index: int, memo: dict | None = None) -> Link | None:
    """The two lines as written, for a proof at symbolic size: abbreviations written out, floats made
    decimals, assumptions set; sums over the sizes and derivatives of them left as they are. None for
    lines with E, Var or P (the expectations' own preparation handles those) and for matrices.
    `memo`, if given, keeps each line's side for the claim's other links."""
    from .randvars import has_operators

    rename = assumed(claim)
    done = {} if memo is None else memo.setdefault("symbolic sides", {})
    renamed = {} if memo is None else memo.setdefault("symbolic rename", {})  # the lines share subtrees: each renamed once
    sides = []
    for expr in (prev_expr, line.expr):
        if expr not in done:
            e = written(claim, expr)
            done[expr] = None if not isinstance(e, sp.Expr) or has_operators(e) else dag.xreplace(e, rename, renamed)
        if done[expr] is None:
            return None
        sides.append(done[expr])
    values = {new: Values(interval=claim.domain[old]) for old, new in rename.items() if isinstance(new, sp.Symbol)}
    return Link(index, sides[0], sides[1], line.rel, values)


def has_open_sums(link: Link) -> bool:
    return any(isinstance(x, sp.Basic) and x.has(sp.Sum, sp.Product) for pair in link.pairs() for x in pair)


_NO_CLOSED_FORM = (sp.binomial, sp.factorial, sp.gamma, sp.FallingFactorial, sp.RisingFactorial)


def symbolic_sums_hopeless(claim: Claim, exprs, sizes) -> bool:
    """True when a sum over a size symbol has no closed form SymPy can reach: its terms are data
    (x[i] of an IndexedBase that is no random sequence) or factorials and binomials (which send
    SymPy's summation into searches of minutes). Such lines are settled size by size."""
    random_bases = {v for v in claim.random if isinstance(v, sp.IndexedBase)}
    size_set = set(sizes)

    def sized(x: sp.Basic) -> bool:
        return any(b.free_symbols & size_set for n in x.atoms(sp.Sum, sp.Product) for lim in n.limits for b in lim[1:])

    for e in exprs:
        if not isinstance(e, sp.Basic):
            continue
        # A sum under a root or in a denominator (1/sqrt(σ² + ε) with σ² a sum): expectations of
        # such terms have no closed form in the number of terms.
        for p in e.atoms(sp.Pow):
            if not (p.exp.is_Integer and p.exp >= 0) and sized(p.base):
                return True
        for node, expected in _sums(e):
            if not any(b.free_symbols & size_set for lim in node.limits for b in lim[1:]):
                continue
            body = node.function
            if body.has(*_NO_CLOSED_FORM):
                return True
            # Terms x[i] that are data, or outcomes of a random sequence outside any expectation:
            # a sum of m of them stays a sum of m symbols.
            if any(a.base not in random_bases for a in body.atoms(sp.Indexed)):
                return True
            if not expected and _outside_operators(body):
                return True
    return False


def _outside_operators(e: sp.Basic) -> bool:
    """True when e has an Indexed term that no E, Var or P encloses (an outcome, not a moment)."""
    from .randvars import OPERATORS

    if isinstance(e, OPERATORS):
        return False
    if isinstance(e, sp.Indexed):
        return True
    return any(_outside_operators(a) for a in e.args if isinstance(a, sp.Basic))


def _sums(e: sp.Basic, expected: bool = False):
    """(each Sum or Product node, whether it sits inside E, Var or P)."""
    from .randvars import OPERATORS

    if isinstance(e, (sp.Sum, sp.Product)):
        yield e, expected
    inside = expected or isinstance(e, OPERATORS)
    for a in e.args:
        if isinstance(a, sp.Basic):
            yield from _sums(a, inside)
