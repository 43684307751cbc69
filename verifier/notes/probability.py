r"""Probabilities the notes write as P(θ|x), P_tr(x, y), P(Y = c_k): read as distributions.

Two readings, one for each verdict:

- **The joint model, for proofs** (`joint_model`). Every P(A | B) is rewritten as P(A, B) / P(B) —
  the definition of a conditional probability — and every P(A, B) as one value of the set {A, B}
  (a joint does not depend on the order its events are written in). The values P(S) of the sets S
  are then independent positive unknowns. An identity that holds for every choice of those
  unknowns holds for every distribution, since every distribution gives them some positive values
  (where the line is defined). So a proof in this model is a proof. A refutation is not: the model
  forgets how the values are tied (P(x) = Σ_y P(x, y)), so the caller keeps such a refutation
  "inconclusive" (notes.run) and asks `concrete_witness` instead.
- **A concrete distribution, for refutations** (`concrete_witness`). Each variable gets a small
  finite set of values and each distribution a table of exact positive fractions; both sides of
  the link are then numbers. When they differ, that table is a distribution under which the
  printed link is false: an exact witness. Premises the context states (covariate shift,
  P_tr(y|x) = P_te(y|x)) must hold exactly in the table before it counts.

Names: the parser writes P(x|θ) as P_given1(x, θ) (one event after the bar), P(k; n, p) as
P_with2(k, n, p) (two parameters after the semicolon), a plain P(x) as Pr(x), and an indexed
P_k(x) as P_idx(…) — a family this module does not read.
"""
from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

_NAME = re.compile(r"(?P<base>Pr|P(?:_[A-Za-z0-9]+?)*?)(?:_given(?P<conds>\d+))?(?:_with(?P<params>\d+))?")
JOINT = "_joint"  # P_tr_joint(x, y): the joint model's value of the set {x, y} under P_tr
MAX_CELLS = 4096  # a concrete table larger than this is not tried (a witness must stay readable)
TRIES = 4  # random tables per construction


def written_as(name: str) -> str | None:
    """The probability name a parsed function stands for (Pr → P, P_tr_given1 → P_tr, P_idx_given1 →
    P_idx), or None when the name has no probability's shape."""
    m = _NAME.fullmatch(name)
    return _base(m) if m else None


def _base(m: re.Match) -> str:
    return "P" if m["base"] == "Pr" else m["base"]


def decode(name: str, bases: set[str]) -> tuple[str, int, int] | None:
    """(distribution, events after the bar, parameters) of a probability's function name, or None
    when the name is not a probability of one of `bases` (the names the parser read as P)."""
    m = _NAME.fullmatch(name)
    if not m or _base(m) not in bases:
        return None
    return _base(m), int(m["conds"] or 0), int(m["params"] or 0)


def bases_of(abstract: tuple[str, ...] | list[str]) -> set[str]:
    """The probability names a parsed line used (its abstractions "P(…)", "P_tr(…)")."""
    return {a[:-3] for a in abstract if a.endswith("(…)") and (a[:-3] == "P" or a.startswith("P_")) and not a.endswith("_idx(…)")}


def _joint(base: str, events: list[sp.Basic], params: list[sp.Basic]) -> sp.Expr:
    name = base + JOINT + (f"_with{len(params)}" if params else "")
    distinct = sorted(set(events), key=sp.default_sort_key)
    return sp.Function(name)(*distinct, *params)


def joint_model(expr: sp.Expr, bases: set[str]) -> sp.Expr:
    """`expr` with every probability of `bases` written in the joint model: P(A|B) → P(A,B)/P(B)."""
    if not bases:
        return expr

    def rewrite(f: sp.Basic) -> sp.Basic:
        shape = decode(type(f).__name__, bases)
        if shape is None:
            return f
        base, conds, params = shape
        args = list(f.args)
        if conds + params >= len(args):
            return f
        par = args[len(args) - params:] if params else []
        rest = args[:len(args) - params]
        events, given = rest[:len(rest) - conds], rest[len(rest) - conds:]
        if not given:
            return _joint(base, events, par)
        return _joint(base, events + given, par) / _joint(base, given, par)

    return expr.replace(lambda e: isinstance(e, AppliedUndef) and decode(type(e).__name__, bases) is not None, rewrite)


def joint_names(expr: sp.Expr) -> set[str]:
    """The joint-model functions in `expr` (P_joint, P_tr_joint …)."""
    return {type(f).__name__ for f in expr.atoms(AppliedUndef) if JOINT in type(f).__name__}


@dataclass(frozen=True)
class Witness:
    """A concrete distribution under which a link is false: the tables, the events and both sides."""

    text: str
    lhs: sp.Rational
    rhs: sp.Rational


def _event(arg: sp.Basic) -> tuple[sp.Basic, sp.Basic] | None:
    """(variable, value) of an event: a plain name x is the event "x's variable takes the value x"."""
    if isinstance(arg, sp.Symbol):
        return arg, arg
    if isinstance(arg, AppliedUndef) and type(arg).__name__ == "event" and len(arg.args) == 2:
        var, value = arg.args
        if isinstance(var, sp.Symbol) and isinstance(value, (sp.Symbol, sp.Integer)):
            return var, value
    return None


def _readable(expr: sp.Basic) -> bool:
    """Only arithmetic of joint values and numbers (no sums or products over indices, no other
    functions, no names outside a joint's events)."""
    if isinstance(expr, AppliedUndef):
        return JOINT in type(expr).__name__  # its events are checked by the caller
    if isinstance(expr, (sp.Add, sp.Mul, sp.Pow)):
        return all(_readable(a) for a in expr.args)
    return isinstance(expr, sp.Rational)


def concrete_witness(lhs: sp.Expr, rhs: sp.Expr, rel: str, premises: list[tuple[sp.Expr, str, sp.Expr]],
                     seed: int) -> Witness | None:
    """A finite distribution (exact fractions) under which `lhs rel rhs` is false and every premise
    holds, or None. Both sides must be arithmetic of joint-model values only."""
    if rel not in ("=", "==", "Eq"):
        return None
    exprs = [lhs, rhs] + [e for p in premises for e in (p[0], p[2])]
    if not all(_readable(e) for e in exprs):
        return None
    apps = {a for e in exprs for a in e.atoms(AppliedUndef) if JOINT in type(a).__name__}
    if any(re.search(r"_with\d+$", type(a).__name__) for a in apps):
        return None  # a parametrized family P(k; n, p): a table is not a member of it
    variables: dict[sp.Basic, list[sp.Basic]] = {}
    plain, named = set(), set()
    for a in apps:
        for arg in a.args:
            ev = _event(arg)
            if ev is None:
                return None
            var, value = ev
            (plain if var is value else named).add(var)
            if not var is value:
                named.add(value)
            values = variables.setdefault(var, [])
            if value not in values:
                values.append(value)
    if plain & named:
        return None  # x both as an event of its own and inside "X = x": two readings of one name
    order = sorted(variables, key=sp.default_sort_key)
    sizes = [len(variables[v]) + 1 for v in order]  # one value more than the lines name: never a sure event
    cells = list(itertools.product(*(range(s) for s in sizes)))
    if len(cells) > MAX_CELLS:
        return None
    bases = sorted({type(a).__name__.removesuffix(JOINT) for a in apps}, key=str)
    point = {v: {val: i for i, val in enumerate(variables[v])} for v in order}
    rng = random.Random(seed)

    def table(keys=cells) -> dict:
        """Random positive weights 1…9 on `keys` (the cells, by default), normalized: a distribution."""
        keys = sorted(keys)
        w = [rng.randint(1, 9) for _ in keys]
        return {k: Fraction(x, sum(w)) for k, x in zip(keys, w)}

    def conditional_copy(t: dict, given: list[int]) -> dict:
        """t's conditional given the variables at `given`, times a new marginal of those variables."""
        at = lambda c: tuple(c[i] for i in given)
        marg: dict[tuple, Fraction] = {}
        for c, x in t.items():
            marg[at(c)] = marg.get(at(c), Fraction(0)) + x
        q = table({at(c) for c in cells})
        return {c: x / marg[at(c)] * q[at(c)] for c, x in t.items()}

    def candidates():
        for _ in range(TRIES):
            shared = table()
            yield "one distribution for all", {b: shared for b in bases}
            yield "independent distributions", {b: table() for b in bases}
            # premises that equate two distributions' conditionals (covariate shift): the second
            # keeps the first's conditional and gets a marginal of its own for the condition
            for lhs_p, _r, rhs_p in premises:
                shape = _equal_conditionals(lhs_p, rhs_p)
                if shape:
                    first, second, given_vars = shape
                    idx = [order.index(v) for v in given_vars if v in order]
                    tables = {b: table() for b in bases}
                    if first in tables and second in tables:
                        tables[second] = conditional_copy(tables[first], idx)
                        yield f"{second} keeps {first}'s conditional", tables

    def value(app: AppliedUndef, tables: dict) -> Fraction:
        t = tables[type(app).__name__.removesuffix(JOINT)]
        fixed: dict[int, int] = {}
        for arg in app.args:
            var, val = _event(arg)
            i = order.index(var)
            if fixed.get(i, point[var][val]) != point[var][val]:
                return Fraction(0)  # two values of one variable at once: the impossible event
            fixed[i] = point[var][val]
        return sum((x for c, x in t.items() if all(c[i] == v for i, v in fixed.items())), Fraction(0))

    def evaluate(e: sp.Expr, tables: dict) -> sp.Expr:
        values = {a: value(a, tables) for a in e.atoms(AppliedUndef) if JOINT in type(a).__name__}
        return e.xreplace({a: sp.Rational(v.numerator, v.denominator) for a, v in values.items()})

    for how, tables in candidates():
        ok = True
        for lhs_p, r, rhs_p in premises:
            a, b = evaluate(lhs_p, tables), evaluate(rhs_p, tables)
            if not (a.is_Rational and b.is_Rational) or ((a == b) != (r in ("=", "==", "Eq"))):
                ok = False
                break
        if not ok:
            continue
        a, b = evaluate(lhs, tables), evaluate(rhs, tables)
        if a.is_Rational and b.is_Rational and a != b:
            return Witness(_describe(how, order, variables, sizes, tables), a, b)
    return None


def _equal_conditionals(lhs: sp.Expr, rhs: sp.Expr) -> tuple[str, str, list[sp.Basic]] | None:
    """(P_a, P_b, condition's variables) when a premise reads P_a(E|C) = P_b(E|C) in the joint model."""
    sides = []
    for side in (lhs, rhs):
        num, den = sp.fraction(side)
        if not (isinstance(num, AppliedUndef) and isinstance(den, AppliedUndef)):
            return None
        if type(num).__name__ != type(den).__name__:
            return None
        sides.append((type(num).__name__.removesuffix(JOINT), num.args, den.args))
    (a, na, da), (b, nb, db) = sides
    if a == b or set(na) != set(nb) or set(da) != set(db):
        return None
    return a, b, [_event(x)[0] for x in da if _event(x)]


def _describe(how: str, order: list, variables: dict, sizes: list[int], tables: dict) -> str:
    names = ", ".join(f"{v} ∈ {{0…{s - 1}}}" for v, s in zip(order, sizes))
    at = ", ".join(f"{v if val is v else val} = {i}" for v in order for i, val in enumerate(variables[v]))
    seen: dict[int, str] = {}
    parts = []
    for b, t in tables.items():
        if id(t) in seen:
            parts.append(f"{b} = {seen[id(t)]}")
            continue
        seen[id(t)] = b
        cells = ", ".join(f"{''.join(map(str, c))}: {x}" for c, x in t.items())
        parts.append(f"{b} = {{{cells}}}")
    return f"{how}; {names}; the events at {at}; " + "; ".join(parts)
