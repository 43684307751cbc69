"""The claim model: a chain of lines e0 = e1 = … = ek, each line a SymPy expression (or code).

Claims are data. Building one validates names and shapes (cheap); all algebra waits for `verify`.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import sympy as sp
from sympy.core.function import UndefinedFunction

from . import dag
from .errors import ClaimError

RELATIONS = ("=", "<=", "<", ">=", ">", "≈")

Number = int | float | sp.Basic


@dataclass(frozen=True)
class Interval:
    """The values a free symbol takes: reals in (lo, hi), or integers lo…hi when `integer`."""

    lo: sp.Expr
    hi: sp.Expr
    integer: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "lo", _number(self.lo))
        object.__setattr__(self, "hi", _number(self.hi))
        if not (self.lo < self.hi or (self.integer and self.lo == self.hi)):
            raise ClaimError(f"empty domain ({self.lo}, {self.hi})", "give the lower bound first")
        if self.finite_size == 0:
            raise ClaimError(f"empty domain: no integer lies in ({self.lo}, {self.hi})", "give integer bounds, e.g. range(1, 10)")

    @property
    def finite_size(self) -> int | None:
        """How many integers the domain holds, or None when it is not a finite integer range."""
        if self.integer and self.lo.is_finite and self.hi.is_finite:
            return int(sp.floor(self.hi) - sp.ceiling(self.lo)) + 1
        return None

    def integers(self) -> list[sp.Integer]:
        """Every member of a finite integer domain, in order (call only when finite_size is not None)."""
        lo = int(sp.ceiling(self.lo))
        return [sp.Integer(v) for v in range(lo, lo + self.finite_size)]

    def __str__(self) -> str:
        if self.integer:
            hi = "…" if self.hi is sp.oo else str(self.hi)
            return f"integers {self.lo}…{hi}"
        return f"({self.lo}, {self.hi})"


def _number(value: Any) -> sp.Expr:
    if isinstance(value, float):
        if value in (float("inf"), float("-inf")):
            return sp.oo if value > 0 else -sp.oo
        return sp.Rational(str(value))  # 0.1 means one tenth, not its binary neighbour
    try:
        out = sp.sympify(value, strict=True)  # numbers only: strict refuses strings
    except (sp.SympifyError, TypeError) as exc:
        raise ClaimError(f"domain bound {value!r} is not a number", "use ints, floats, Rationals or sympy.oo") from exc
    if not (out.is_number or out in (sp.oo, -sp.oo)):
        raise ClaimError(f"domain bound {value!r} is not a number", "use ints, floats, Rationals or sympy.oo")
    return out


def as_domain(symbol: sp.Symbol, spec: Any) -> Interval:
    """Read a domain given as (lo, hi), range(a, b) or Interval; integers for integer symbols."""
    if isinstance(spec, Interval):
        return spec
    if isinstance(spec, range):
        if spec.step != 1 or len(spec) == 0:
            raise ClaimError(f"domain of {symbol} must be a non-empty range with step 1, got {spec!r}")
        return Interval(spec.start, spec.stop - 1, integer=True)
    if isinstance(spec, tuple) and len(spec) == 2:
        return Interval(spec[0], spec[1], integer=bool(symbol.is_integer))
    raise ClaimError(
        f"domain of {symbol} is {spec!r}",
        "write a pair of bounds like (0, 1), a range like range(2, 9), or verifier.Interval(...)",
    )


@dataclass(frozen=True)
class Step:
    """One printed line of a chain and how it relates to the line before it (`rel`)."""

    expr: Any
    rel: str = "="
    latex: str | None = None
    note: str = ""
    limit: tuple[sp.Symbol, Any] | None = None  # for rel "≈": holds in the limit symbol → value
    small: tuple[Any, ...] = ()  # for rel "≈" with limit (t, 0): unknown functions o with o(t)/t → 0 (little-o)

    def __post_init__(self) -> None:
        if self.rel not in RELATIONS:
            raise ClaimError(f"unknown relation {self.rel!r}", f"use one of {', '.join(RELATIONS)}")
        if self.limit is not None and not (
            isinstance(self.limit, tuple) and len(self.limit) in (2, 3) and isinstance(self.limit[0], sp.Symbol)
            and (len(self.limit) == 2 or self.limit[2] in ("+", "-", "+-"))
        ):
            raise ClaimError(f"limit {self.limit!r} is not (symbol, value) or (symbol, value, side)",
                             'write limit=(t, 0) (two-sided inside the domain), limit=(t, 0, "+") or limit=(t, oo)')
        if self.small:
            small = tuple(self.small) if isinstance(self.small, (tuple, list)) else (self.small,)
            if not all(isinstance(f, UndefinedFunction) for f in small):
                raise ClaimError(f"small={self.small!r} is not a tuple of undefined functions",
                                 'write small=(o,) with o = sympy.Function("o"): o(t) is then little-o of t')
            if self.rel != "≈" or self.limit is None or sp.sympify(self.limit[1]) != 0:
                raise ClaimError("small= (little-o terms) belongs to an approximate line tending to 0",
                                 'write Step(expr, rel="≈", limit=(t, 0, "+"), small=(o,))')
            object.__setattr__(self, "small", small)
        expr = self.expr
        if isinstance(expr, (Numeric, Property, ForAll)):
            return
        if isinstance(expr, sp.MatrixBase):
            object.__setattr__(self, "expr", sp.ImmutableMatrix(expr))
            return
        if isinstance(expr, (int, float)) and not isinstance(expr, bool):
            object.__setattr__(self, "expr", _number(expr))
            return
        if not isinstance(expr, sp.Basic):
            raise ClaimError(
                f"a line is a {type(expr).__name__}, not a SymPy expression",
                "build lines from sympy symbols (never from strings); wrap code in verifier.Numeric",
            )


@dataclass(frozen=True)
class Numeric:
    """A line computed by numpy code: `fn(**inputs)` returns an array (or tuple of arrays); the input
    arrays are read-only (claims of a run that declare the same inputs function share one draw)."""

    fn: Callable[..., Any]
    label: str = ""


@dataclass(frozen=True)
class Property:
    """A statement checked by running code on seeded data: `fn(rng)` returns an `Evidence`."""

    fn: Callable[[Any], Any]
    label: str = ""


@dataclass(frozen=True)
class ForAll:
    """A statement about every case of a family; the engine searches the cases for one where it fails.

    `cases` maps each name to the candidate values it takes; a case is one value per name.
    `statement(**case)` returns True when the statement holds there, False when it fails, and
    None when the case is outside its premise (not counted). The engine tries the combinations
    smallest first (by the positions of their values in the lists): all of them when there are at
    most `verifier.numeric.FORALL_LIMIT`, else the smallest half of that and a seeded sample, so a
    counterexample is the smallest one found and reads easily. With `exact` (the statement
    computes in exact arithmetic) a failing case is a witness: `refuted`; and when `complete`
    (the cases are every case the statement speaks of) trying them all is a proof. `show(**case)`
    gives what a counterexample displays (default: the case's values).
    """

    statement: Callable[..., Any]
    cases: Mapping[str, Sequence[Any]]
    label: str = ""
    exact: bool = True
    complete: bool = False
    show: Callable[..., Mapping[str, Any]] | None = None

    def __post_init__(self) -> None:
        if not callable(self.statement):
            raise ClaimError(f"ForAll statement {self.statement!r} is not callable", "give statement=lambda **case: True/False/None")
        if not isinstance(self.cases, Mapping) or not self.cases:
            raise ClaimError("ForAll cases must be a non-empty mapping name → candidate values", 'e.g. cases={"w": [0, 1, -1], "b": [0, 1]}')
        empty = [name for name, values in self.cases.items() if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values]
        if empty:
            raise ClaimError(f"ForAll cases {', '.join(map(repr, empty))} have no candidate values (a non-empty list each)",
                             "give each name a list of values, smallest first")
        object.__setattr__(self, "cases", {name: tuple(values) for name, values in self.cases.items()})

    @property
    def fn(self) -> Callable[..., Any]:
        """The statement: the code of this line, under the name Numeric and Property use."""
        return self.statement


@dataclass(frozen=True)
class Evidence:
    """What a Property run established: holds or not, what was run, and a counterexample if any."""

    holds: bool
    detail: str
    counterexample: Mapping[str, Any] | None = None
    exact: bool = False  # True only when the code decided the property exactly (e.g. exact LP, rationals)


@dataclass(frozen=True)
class Claim:
    """A chain e0 = e1 = … = ek exactly as the notes print it, with the domain of every free symbol.

    Only `id` and `steps` are required (plus `domain` for free symbols). `random` declares random
    variables (a Symbol, or an IndexedBase for iid copies X[1], X[2], …) with their distribution;
    `corrections` maps a line index to what that line should say; `uses` lists ids relied on.
    Numeric claims give `inputs(rng) -> dict` and lines of `Numeric` code compared with rtol/atol.
    """

    id: str
    steps: Sequence[Any]
    domain: Mapping[Any, Any] = field(default_factory=dict)
    equation: str | None = None
    section: str | None = None
    title: str = ""
    corrections: Mapping[int, Any] = field(default_factory=dict)
    uses: Sequence[str] = ()
    random: Mapping[Any, Any] = field(default_factory=dict)
    inputs: Callable[[Any], Mapping[str, Any]] | None = None
    rtol: float = 1e-6
    atol: float = 1e-9
    where: Mapping[Any, Any] = field(default_factory=dict)  # abbreviations: {Xbar: Sum(X[i], (i, 1, n)) / n}
    scope: str = ""  # what the claim covers when it is a finite instance (e.g. "3→4→2 network")
    source: str = ""
    # expr -> expr with `where` written out (every link writes out the same lines again), and a few
    # facts the engine derives once per claim under tuple keys (prepare.assumed, prepare.primes_allowed)
    _expanded: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems: list[str] = []
        if not isinstance(self.id, str) or not self.id.strip() or any(c.isspace() for c in self.id):
            raise ClaimError(f"claim id {self.id!r} must be a non-empty string without spaces", 'e.g. "ch1:square" (letters, digits, dots, colons, dashes)')
        if isinstance(self.steps, (str, bytes)) or not isinstance(self.steps, Iterable):
            raise ClaimError(f"claim {self.id}: steps must be a list of lines", "steps=[lhs, rhs, …]")
        steps = tuple(s if isinstance(s, Step) else Step(s) for s in self.steps)
        if not steps:
            raise ClaimError(f"claim {self.id}: no steps", "give at least two lines (or one Property)")
        kinds = {_kind(s.expr) for s in steps}
        if "property" in kinds and len(steps) != 1:
            problems.append("a Property or ForAll is a claim of its own: give it as the only step")
        if kinds == {"symbolic"} and len(steps) < 2:
            problems.append("a chain needs at least two lines")
        if "numeric" in kinds and self.inputs is None:
            problems.append("Numeric lines need inputs=lambda rng: {...} to draw their arguments")
        object.__setattr__(self, "steps", steps)

        random = dict(self.random)
        for var, dist in random.items():
            if not isinstance(var, (sp.Symbol, sp.IndexedBase)):
                problems.append(f"random variable {var!r} must be a Symbol or an IndexedBase")
            if not hasattr(dist, "moment"):
                problems.append(f"distribution of {var} is {dist!r}; use one from verifier (Bernoulli, Generic, …)")
        labels: dict[str, Any] = {}
        for var, dist in random.items():
            label = getattr(dist, "label", None)
            if label is None or not isinstance(var, (sp.Symbol, sp.IndexedBase)):
                continue
            name = label(var[1] if isinstance(var, sp.IndexedBase) else var)
            other = labels.setdefault(name, dist)
            if other is not dist:
                problems.append(f"two different Generic distributions are both named {name!r}, so their moments would be one symbol"
                                " (give each its own name, or pass one Generic object for identically distributed variables)")
        object.__setattr__(self, "random", MappingProxyType(random))

        domain: dict[sp.Symbol, Interval] = {}
        refused: set[sp.Symbol] = set()
        for sym, spec in dict(self.domain).items():
            if not isinstance(sym, sp.Symbol):
                problems.append(f"domain key {sym!r} is not a Symbol")
                continue
            try:
                domain[sym] = as_domain(sym, spec)
            except ClaimError as exc:
                problems.append(str(exc))
                refused.add(sym)  # its domain is the problem, not a missing one
                continue
            conflict = _assumption_conflict(sym, domain[sym])  # positive=True on (-5, 5) would be used as true
            if conflict:
                problems.append(conflict)
        object.__setattr__(self, "domain", MappingProxyType(domain))

        corrections: dict[int, Step] = {}
        for index, line in dict(self.corrections).items():
            if not isinstance(index, int) or not 0 < index < len(steps):
                problems.append(f"correction for line {index!r}: lines are numbered 1…{len(steps) - 1}")
                continue
            corrections[index] = line if isinstance(line, Step) else Step(line, rel=steps[index].rel)
        object.__setattr__(self, "corrections", MappingProxyType(corrections))
        object.__setattr__(self, "uses", tuple(self.uses))

        seen: dict = {}  # free symbols by subexpression: the lines and abbreviations share most of their subtrees
        where = dict(self.where)
        for sym, definition in where.items():
            if not isinstance(sym, sp.Symbol) or not isinstance(definition, (sp.Basic, int)):
                problems.append(f"where: {sym!r} = {definition!r} must map a Symbol to a SymPy expression")
        cycle = _where_cycle(where, seen)
        if cycle:
            loop = f"{cycle[0]} is defined through itself" if len(cycle) == 2 else f"{' → '.join(map(str, cycle))} is a cycle"
            problems.append(f"where: {loop}, so it never expands to symbols with a domain"
                            " (hint: define each abbreviation by symbols with a domain or by earlier abbreviations, e.g. a: b + 1, b: x)")
        object.__setattr__(self, "where", MappingProxyType(where))
        free = set()
        for s in (*steps, *corrections.values()):
            if _kind(s.expr) == "symbolic":
                free |= _free_symbols(s.expr, seen)
        for definition in where.values():
            if isinstance(definition, sp.Basic):
                free |= _free_symbols(definition, seen)
        free -= set(where)
        random_names = {v if isinstance(v, sp.Symbol) else v.label for v in random}
        missing = sorted(str(s) for s in free - set(domain) - refused - random_names)
        if missing:
            problems.append(
                f"free symbol{'s' if len(missing) > 1 else ''} {', '.join(missing)} without a domain"
                f" (hint: domain={{{missing[0]}: (lo, hi)}}, e.g. (0, 1), (-oo, oo), range(1, 9))"
            )
        if problems:
            raise ClaimError(f"claim {self.id}: " + "; ".join(problems))
        if not self.source:
            object.__setattr__(self, "source", _caller())

    def expand(self, expr: Any) -> Any:
        """expr with the `where` abbreviations written out (repeatedly: one may use another)."""
        if not self.where or not isinstance(expr, sp.Basic):
            return expr
        try:
            return self._expanded[expr]
        except KeyError:
            pass
        out = self._expanded[expr] = self._write_out(expr)
        return out

    def _write_out(self, expr: Any) -> Any:
        # One pass with every abbreviation already written out, through one memo of subtrees for the
        # whole claim: a line, its correction and each candidate edit of it share most subtrees
        # (a candidate used to be rewritten whole, once per level of abbreviation: 40% of screening it).
        full = self._expanded.get(_WRITTEN)
        if full is None:
            full = {}
            for s in self.where:
                self._written(s, full)
            self._expanded[_WRITTEN] = full
        return dag.xreplace(expr, full, self._expanded.setdefault(_WRITE_OUT, {}))

    def _written(self, s: Any, full: dict) -> Any:
        """The definition of abbreviation `s` with the abbreviations it uses written out (the claim has no cycle)."""
        if s not in full:
            d = self.where[s]
            if isinstance(d, sp.Basic):
                uses = dag.free_symbols(d) & self.where.keys()
                d = dag.xreplace(d, {t: self._written(t, full) for t in uses}) if uses else d
            full[s] = d
        return full[s]

    @property
    def label(self) -> str:
        """The notes' label when there is one, else the id."""
        return self.equation or self.id

    @property
    def symbolic(self) -> bool:
        """True when every line is a SymPy expression."""
        return all(_kind(s.expr) == "symbolic" for s in self.steps)


_WRITE_OUT = ("write out",)  # under this key in a claim's `_expanded`: its written-out subtrees
_WRITTEN = ("written",)  # … and under this one, each abbreviation written out


def _where_cycle(where: Mapping[Any, Any], memo: dict | None = None) -> list[Any] | None:
    """Abbreviations defined through each other, as the path a → b → … → a; None when there is no cycle.
    `memo`: free symbols by subexpression (dag.free_symbols_memo), shared with the claim's other scans."""
    memo = {} if memo is None else memo
    uses = {s: sorted(dag.free_symbols_memo(d, memo) & where.keys(), key=str) if isinstance(d, sp.Basic) else []
            for s, d in where.items()}
    done: set[Any] = set()
    for start in sorted(uses, key=str):
        if start in done:
            continue
        path, todo = [start], [iter(uses[start])]  # depth-first, without recursion
        while todo:
            nxt = next(todo[-1], None)
            if nxt is None:
                done.add(path.pop())
                todo.pop()
            elif nxt in path:
                return path[path.index(nxt):] + [nxt]
            elif nxt not in done:
                path.append(nxt)
                todo.append(iter(uses[nxt]))
    return None


# Sign assumptions as (a value has it when it is …, lacks it when it is …) compared with 0.
_SIGNS = {
    "positive": (">", "<="), "nonnegative": (">=", "<"), "negative": ("<", ">="), "nonpositive": ("<=", ">"),
    "zero": ("=", "!="), "nonzero": ("!=", "="), "antihermitian": ("=", "!="),
}
_ALWAYS = ("real", "extended_real", "finite", "complex", "hermitian", "commutative")  # every real number is
_NEVER = ("infinite", "imaginary")  # no real number is


def _domain_has(key: str, iv: Interval) -> tuple[bool | None, bool | None]:
    """(does some value of the domain have property `key`?, does some value lack it?); None: not known."""
    key = key.removeprefix("extended_") if key != "extended_real" else key
    size = iv.finite_size
    if size is not None and size <= 1000:  # a small integer range: ask SymPy about every member
        facts = [getattr(v, f"is_{key}", None) for v in iv.integers()]
        return any(f is True for f in facts), any(f is False for f in facts)
    # each comparison only when asked (a claim has many symbols, each with several assumptions)
    if iv.integer:
        a, b = sp.ceiling(iv.lo), sp.floor(iv.hi)
        exists = {">": lambda: b > 0, ">=": lambda: b >= 0, "<": lambda: a < 0, "<=": lambda: a <= 0,
                  "=": lambda: bool(a <= 0) and bool(b >= 0), "!=": lambda: True}
        has_integer = lambda: True  # noqa: E731
    else:  # an open interval of reals
        exists = {">": lambda: iv.hi > 0, ">=": lambda: iv.hi > 0, "<": lambda: iv.lo < 0, "<=": lambda: iv.lo < 0,
                  "=": lambda: bool(iv.lo < 0) and bool(iv.hi > 0), "!=": lambda: True}
        has_integer = lambda: bool(sp.floor(iv.lo) + 1 < iv.hi)  # noqa: E731
    if key in _SIGNS:
        has, lacks = _SIGNS[key]
        return bool(exists[has]()), bool(exists[lacks]())
    if key in _ALWAYS:
        return True, False
    if key in _NEVER:
        return False, True
    if key in ("integer", "rational", "algebraic"):
        return (has_integer() if key == "integer" else True), not iv.integer
    if key == "noninteger":
        return not iv.integer, has_integer()
    if key in ("irrational", "transcendental"):
        return not iv.integer, True
    if key in ("even", "odd"):
        return (True if iv.integer else None), True  # a large integer range has both; reals have neither
    return None, (True if not iv.integer else None)  # prime, composite: non-integers lack them


def _assumption_conflict(sym: sp.Symbol, iv: Interval) -> str | None:
    """Why the Symbol's declared assumptions contradict its domain, or None (implied ones are fine)."""
    declared = getattr(sym, "_assumptions_orig", None) or sym.assumptions0  # as written (SymPy ≥ 1.12), else all implied
    for key, value in sorted(declared.items()):
        if value is None:
            continue
        has, lacks = _domain_has(key, iv)
        if not (lacks if value else has):
            continue
        kind = key.replace("_", " ")
        fix = (f"give integers as range(lo, hi + 1) or Interval(lo, hi, integer=True)" if key == "integer" and value
               else f"drop {key}={value} from the Symbol (the domain alone says which values {sym} takes) or give a domain where it holds")
        return f"{sym} is declared {key}={value}, but its domain {iv} includes values that are {'not ' if value else ''}{kind} (hint: {fix})"
    return None


def _kind(expr: Any) -> str:
    if isinstance(expr, Numeric):
        return "numeric"
    if isinstance(expr, (Property, ForAll)):
        return "property"
    return "symbolic"


def _free_symbols(expr: sp.Basic, memo: dict) -> set[sp.Symbol]:
    found = dag.free_symbols_memo(expr, memo) if isinstance(expr, sp.Basic) else dag.free_symbols(expr)
    out = set()
    for s in found:
        if isinstance(s, sp.Indexed):
            continue
        out.add(s)
    return out


def _caller() -> str:
    """file:line of the code that built the claim, found cheaply (no inspect.stack)."""
    frame = sys._getframe(1)
    here = __file__
    while frame is not None and frame.f_code.co_filename in (here, "<string>") or (
        frame is not None and frame.f_code.co_name in ("__init__", "__post_init__")
    ):
        frame = frame.f_back
    if frame is None:
        return ""
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"
