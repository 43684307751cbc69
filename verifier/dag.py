"""Tree operations that visit each distinct subexpression once.

The lines of a network or a batch-norm block, with their abbreviations written out, repeat the
same subtrees many times (σ(z¹) appears in every later layer). SymPy's `xreplace` and `doit`
walk the expression as a tree, so they pay for every repetition; these walk it as the DAG it
is, memoized on the subexpression, and build the same result: a node whose children are unchanged
is kept, a changed one is rebuilt with `node.func(*args)` exactly as SymPy does. Measured on the
catalogue: see benchmarks/bench_cli.py and the commit that introduced this module.
"""
from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.core.containers import Tuple
from sympy.core.expr import Expr
from sympy.core.operations import AssocOp
from sympy.printing.str import StrPrinter

from .printing import MemoPrinting
from .integrals import closed_integral
from .series import exp_series

# Classes whose own doit evaluates something (not just rebuilds): done with deep=False once their
# arguments are done, so nothing below them is walked twice.
_SHALLOW = (sp.Derivative, sp.Sum, sp.Product, sp.Subs, sp.UnevaluatedExpr)
_GENERIC_DOIT = {sp.Basic.doit, AssocOp.doit, sp.Atom.doit}
# In the memos of `rewrite`, `doit` and `apply_functions`, None stands for "unchanged": a later subexpression equal
# to a memoized one, but another object (SymPy does not intern expressions), is then given back as
# itself. Handing back the memoized twin instead made every parent of it look changed to
# `_rebuilt` (`is`, not ==), which rebuilt it: a network line's Subs, printing its points again,
# and the Muls and Derivatives above them — with their parents, half the rebuilds of the backprop topic.
_UNCHANGED = None
_PRINTED = ("printed Subs points",)  # the key of a rewrite memo's own memo for subs_node (not an expression)


def _rebuilt(e: sp.Basic, go, printed: dict | None = None) -> sp.Basic:
    """e with `go` applied to its arguments: e itself when none changed, else rebuilt as SymPy does
    (a Subs through `subs_node`, with `printed` as its memo of printed points)."""
    args = tuple(go(a) if isinstance(a, sp.Basic) else a for a in e.args)
    if all(a is b for a, b in zip(args, e.args)):
        return e
    if type(e) is sp.Subs and printed is not None:
        return subs_node(*args, printed=printed)
    return e.func(*args)


class _PointPrinter(MemoPrinting, StrPrinter):
    """The printer inside `Subs.__new__` (str, a Dummy with its index), each subexpression printed once."""

    def __init__(self, memo: dict) -> None:
        super().__init__()
        self._memo = memo

    def _print_Dummy(self, expr: Any) -> str:
        return str(expr) + str(expr.dummy_index)


def subs_node(expr: sp.Basic, variables: Any, point: Any, printed: dict) -> sp.Basic:
    """`Subs(expr, variables, point)`, the same object SymPy builds, its points printed through `printed`.

    SymPy's Subs names each variable after the str() of its point (`_` + text): that is how two
    Subs at the same point compare equal. A network's σ′(z³) prints z³, which contains z² and z¹,
    and renaming a line's symbols rebuilds every such Subs: printing was 9% of `verify all`.
    This is SymPy's own construction (sympy/core/function.py, Subs.__new__) with the printing
    memoized; tests/test_dag.py compares the two. A case that SymPy rewrites first (a Subs of a
    Subs, no point) or rejects is left to SymPy."""
    variables, point = Tuple(*variables), Tuple(*point)
    if isinstance(expr, sp.Subs) or not point or len(point) != len(variables) or len(set(variables)) != len(variables):
        return sp.Subs(expr, variables, point)
    text = _PointPrinter(printed).doprint
    pre = "_"
    while True:
        named = {p: sp.Symbol(pre + text(p)) for p in dict.fromkeys(point)}
        reps = [(v, named[p]) for v, p in zip(variables, point)]
        # as SymPy: a name that is already one of the variables, standing for another point, clashes
        # (the same test, its cheap part first: SymPy walks expr for its free symbols once per variable)
        if any(r in variables and sp.Symbol(pre + text(point[variables.index(r)])) != r and r in free_symbols(expr)
               for _, r in reps):
            pre += "_"
            continue
        break
    obj = Expr.__new__(sp.Subs, expr, variables, point)
    obj._expr = xreplace(expr, dict(reps))  # SymPy's xreplace, each shared subtree rebuilt once
    return obj


def fdiff(application: sp.Basic, k: int, printed: dict | None = None) -> sp.Basic:
    """`application.fdiff(k)` of an undefined function's application: ∂f/∂(argument k, 1-based) at
    its arguments, the object SymPy builds (sympy/core/function.py, Function.fdiff), its Subs made
    by `subs_node` with its point printed through `printed` (a loss of a whole layer's outputs has
    points that share every σ(z); tests/test_dag.py compares the two)."""
    from sympy.core.function import ArgumentIndexError, _derivative_dispatch

    args = application.args
    if not 1 <= k <= len(args):
        raise ArgumentIndexError(application, k)
    ix = k - 1
    a = args[ix]
    if a._diff_wrt:
        if len(args) == 1 or not a.is_Symbol:
            return _derivative_dispatch(application, a)
        if not any(i != ix and a in v.free_symbols for i, v in enumerate(args)):
            return _derivative_dispatch(application, a)
    d = sp.Dummy("xi_%i" % k, dummy_index=hash(a))
    inner = sp.Derivative(application.func(*(args[:ix] + (d,) + args[ix + 1:])), d)
    return subs_node(inner, (d,), (a,), {} if printed is None else printed)


def _over(expr: Any, go) -> Any:
    """`go` on an expression, or on each entry of a matrix (one memo for all entries)."""
    return expr.applyfunc(go) if isinstance(expr, sp.MatrixBase) else go(expr)


def rewrite(expr: Any, at, memo: dict | None = None) -> Any:
    """expr with each subexpression e for which `at(e, go)` gives a replacement replaced by it,
    outermost first (`go` rewrites the parts a replacement keeps), every other node rebuilt from its
    rewritten arguments; each distinct subexpression visited once (matrices entry by entry, one
    memo). `memo`, if given, is kept across calls with the same `at`."""
    if not isinstance(expr, (sp.Basic, sp.MatrixBase)):
        return expr
    memo = {} if memo is None else memo
    printed = memo.setdefault(_PRINTED, {})

    def go(e: sp.Basic) -> sp.Basic:
        try:
            out = memo[e]
        except KeyError:
            out = at(e, go)
            if out is None:
                out = _rebuilt(e, go, printed)
            memo[e] = _UNCHANGED if out is e else out
            return out
        return e if out is _UNCHANGED else out

    return _over(expr, go)


def xreplace(expr: Any, rule: dict, memo: dict | None = None) -> Any:
    """`expr.xreplace(rule)`, each distinct subexpression visited once (matrices entry by entry, one memo).
    `memo`, if given, is kept across calls with the same rule (the lines of a claim share subtrees)."""
    if not rule:
        return expr
    return rewrite(expr, lambda e, go: rule.get(e), memo)


def doit(expr: Any, fdiff=None, state: dict | None = None) -> Any:
    """`expr.doit()`, each distinct subexpression evaluated once; unchanged subtrees are kept as they are.
    `fdiff(application, k)`, if given, writes the derivative of an undefined function in its k-th
    argument (verifier.primes: σ′(z) as an application rather than SymPy's Subs). `state`, if
    given, keeps what was evaluated across calls with the same fdiff (doit is a function of the
    subexpression alone)."""
    if not isinstance(expr, (sp.Basic, sp.MatrixBase)):
        return expr
    state = {} if state is None else state
    memo: dict = state.setdefault("doit", {})
    free: dict = state.setdefault("free", {})  # free symbols of subexpressions, shared by every derivative
    derivatives: dict = state.setdefault("derivatives", {})  # (subexpression, variable) → derivative, likewise
    printed: dict = state.setdefault("printed", {})  # the text of each Subs point (subs_node)

    def go(e: sp.Basic) -> sp.Basic:
        try:
            out = memo[e]
        except KeyError:
            pass
        else:
            return e if out is _UNCHANGED else out
        if not e.args:
            out = e.doit() if type(e).doit not in _GENERIC_DOIT else e
        else:
            node = _rebuilt(e, go, printed)
            if isinstance(node, sp.Derivative) and _first_order(node):
                out = _evaluated_derivative(node, free, derivatives, fdiff)
            elif isinstance(node, sp.Sum) and (closed := exp_series(node)) is not None:
                out = closed  # an exponential series: its closed form (verifier.series), not SymPy's summation
            elif isinstance(node, sp.Integral) and (closed := closed_integral(node)) is not None:
                out = closed  # a moment of the uniform, exponential or normal law (verifier.integrals)
            elif isinstance(e, _SHALLOW):
                out = node.doit(deep=False) if isinstance(node, _SHALLOW) else go(node)
            elif type(node).doit in _GENERIC_DOIT:
                out = node
            else:
                out = node.doit()  # a class with an evaluation of its own (Integral, Piecewise, …): as SymPy does it
        memo[e] = _UNCHANGED if out is e else out
        return out

    return _over(expr, go)


def _first_order(d: sp.Derivative) -> bool:
    """d/dx of an expression SymPy would evaluate through the rules `_derivative` mirrors: one
    symbol, once, of an expression that is not itself a derivative."""
    (v, count), = d.variable_count if len(d.variable_count) == 1 else ((None, 0),)
    return (count == 1 and isinstance(v, sp.Symbol) and not isinstance(d.expr, (sp.Derivative, sp.MatrixBase))
            and hasattr(d.expr, "_eval_derivative"))


def _evaluated_derivative(node: sp.Derivative, free: dict, derivatives: dict, fdiff=None) -> sp.Basic:
    """`node.doit(deep=False)` for a first-order derivative, its expression differentiated as a DAG."""
    (v, _), = node.variable_count
    rv = _derivative(node.expr, v, free, derivatives, fdiff)
    # as Derivative.__new__ leaves every derivative of the result (SymPy does it after each node's
    # derivative; once at the end is the same, `canonical` being idempotent)
    if any(d != d.canonical for d in atoms(rv, sp.Derivative)):
        rv = rv.replace(lambda x: isinstance(x, sp.Derivative), lambda x: x.canonical)
    if rv != node and rv.has(sp.Derivative):
        rv = rv.doit(deep=False, evaluate=True)  # as Derivative.doit does
    return rv


def _derivative(expr: sp.Basic, v: sp.Symbol, free: dict, memo: dict, fdiff=None) -> sp.Basic:
    """`expr.diff(v)`, each distinct subexpression differentiated once.

    SymPy's diff walks the expression as a tree and builds a full Derivative (free-symbol scan of
    the subtree, canonical form of every derivative in it) at each node: quadratic in a network
    whose later layers repeat the earlier ones. This applies SymPy's own rules — Add term by term,
    Mul by the Leibniz rule, Pow as `self·(exp′·log(base) + base′·exp/base)`, a function by the
    chain rule through its `fdiff` — to each distinct node once; any other node (sums, Subs,
    derivatives, piecewise, …) is differentiated by SymPy itself. The result is the expression
    SymPy builds (tests/test_dag.py compares them)."""
    from sympy.core.function import AppliedUndef, ArgumentIndexError, Function

    def d(e: sp.Basic) -> sp.Basic:
        hit = memo.get((e, v))
        if hit is not None:
            return hit
        if v not in free_symbols_memo(e, free):
            out = sp.S.Zero
        elif e == v:
            out = sp.S.One
        elif isinstance(e, sp.Add):
            out = sp.Add(*[d(a) for a in e.args])
        elif isinstance(e, sp.Mul):
            args = list(e.args)
            out = sp.Add(*[sp.Mul(*(args[:i] + [d(a)] + args[i + 1:])) for i, a in enumerate(args)])
        elif isinstance(e, sp.Pow):
            base, exp = e.args
            out = e * (d(exp) * sp.log(base) + d(base) * exp / base)
        elif (isinstance(e, Function) and type(e)._eval_derivative is Function._eval_derivative
              and type(e)._eval_derivative_n_times is sp.Basic._eval_derivative_n_times):
            terms = []
            for i, a in enumerate(e.args, 1):
                da = d(a)
                if da.is_zero:
                    continue
                df = memo.get((e, i))  # f′ at this argument: the same for every variable (σ′(z) is a Subs, costly to build)
                if df is None:
                    try:
                        df = fdiff(e, i) if fdiff is not None and isinstance(e, AppliedUndef) else e.fdiff(i)
                    except ArgumentIndexError:
                        df = Function.fdiff(e, i)
                    memo[(e, i)] = df
                terms.append(df * da)
            out = sp.Add(*terms)
        else:
            out = e.diff(v)
        memo[(e, v)] = out
        return out

    return d(expr)


_BASIC_FREE = sp.Basic.free_symbols


def free_symbols(expr: Any) -> set:
    """`expr.free_symbols`, each distinct subexpression visited once (nodes that bind symbols —
    Sum, Lambda, Subs, … — answer for themselves, as in SymPy)."""
    if isinstance(expr, sp.MatrixBase):
        out: set = set()
        memo: dict = {}
        for e in expr:
            out |= free_symbols_memo(e, memo)
        return out
    if not isinstance(expr, sp.Basic):
        return set()
    return set(free_symbols_memo(expr, {}))


def free_symbols_memo(e: sp.Basic, memo: dict) -> frozenset | set:
    """The free symbols of e, memoized in `memo` across calls (do not mutate the result)."""
    hit = memo.get(e)
    if hit is not None:
        return hit
    if isinstance(e, sp.Derivative):  # SymPy's own rule, its expression's part memoized
        out = set(free_symbols_memo(e.expr, memo))
        for _, count in e.variable_count:
            out |= count.free_symbols
    elif isinstance(e, sp.Subs):  # likewise: the variables are bound, the point is not
        out = (free_symbols_memo(e.expr, memo) - set(e.variables)) | free_symbols_memo(e.point, memo)
    elif type(e).free_symbols is not _BASIC_FREE or not e.args:
        out = e.free_symbols  # a symbol, or a node with its own rule (bound variables)
    else:
        out = set()
        for a in e.args:
            if isinstance(a, sp.Basic):
                out |= free_symbols_memo(a, memo)
    memo[e] = out
    return out


def atoms(expr: Any, *types: type) -> set:
    """`expr.atoms(*types)`, each distinct subexpression visited once."""
    return atoms_in((expr,), *types)


def atoms_in(exprs: Any, *types: type) -> set:
    """The union of `e.atoms(*types)` over `exprs` (the lines of a claim, say), each distinct
    subexpression of them all visited once; anything in `exprs` that is no SymPy object or matrix has none."""
    seen: set = set()
    out: set = set()
    stack: list = []
    for expr in exprs:
        if isinstance(expr, sp.MatrixBase):
            stack.extend(expr)
        elif isinstance(expr, sp.Basic):
            stack.append(expr)
    pop, push, visit, basic = stack.pop, stack.extend, seen.add, sp.Basic  # (the loop runs once per node of every line)
    while stack:
        e = pop()
        if not isinstance(e, basic) or e in seen:
            continue  # (an argument that is no SymPy object is nothing to visit)
        visit(e)
        if isinstance(e, types):
            out.add(e)
        if e.args:
            push(e.args)
    return out


def atoms_memo(e: sp.Basic, types: tuple, memo: dict) -> frozenset:
    """`e.atoms(*types)`, memoized in `memo` across calls by subexpression (one memo per `types`)."""
    hit = memo.get(e)
    if hit is not None:
        return hit
    found = set()
    if isinstance(e, types):
        found.add(e)
    for a in e.args:
        if isinstance(a, sp.Basic):
            found |= atoms_memo(a, types, memo)
    out = memo[e] = frozenset(found)
    return out


def has(expr: Any, *types: type) -> bool:
    """`expr.has(*types)` for classes: whether some subexpression is an instance of one, each
    distinct subexpression visited once (SymPy's walks a network's σ(z¹) once per later use)."""
    if not isinstance(expr, (sp.Basic, sp.MatrixBase)):
        return False
    seen: set = set()
    stack = list(expr) if isinstance(expr, sp.MatrixBase) else [expr]
    pop, push, visit, basic = stack.pop, stack.extend, seen.add, sp.Basic
    while stack:
        e = pop()
        if not isinstance(e, basic) or e in seen:
            continue
        if isinstance(e, types):
            return True
        visit(e)
        if e.args:
            push(e.args)
    return False


def apply_functions(expr: Any, functions: dict) -> Any:
    """expr with each application f(a, …) of a function in `functions` replaced by functions[f](a, …)
    (a Lambda), innermost first — `expr.subs(f, Lambda)`, each distinct subexpression visited once."""
    from sympy.core.function import AppliedUndef

    if not functions or not isinstance(expr, (sp.Basic, sp.MatrixBase)):
        return expr
    memo: dict = {}
    printed: dict = {}

    def go(e: sp.Basic) -> sp.Basic:
        try:
            out = memo[e]
        except KeyError:
            pass
        else:
            return e if out is _UNCHANGED else out
        if isinstance(e, sp.Derivative) and not all(v.is_Symbol for v in e.variables):
            # ∂L/∂σ(z): a derivative with respect to an application; SymPy's subs rewrites it
            # through Subs, which replacing the application would not.
            out = e.subs(functions)
        else:
            out = _rebuilt(e, go, printed)
        if isinstance(out, AppliedUndef) and out.func in functions and len(out.args) in functions[out.func].nargs:
            out = functions[out.func](*out.args)  # (an application of another arity stays, as with subs)
        memo[e] = _UNCHANGED if out is e else out
        return out

    return _over(expr, go)
