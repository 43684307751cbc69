"""A link ready for the strategies: two deterministic SymPy sides, a relation, and each symbol's values."""
from __future__ import annotations

import functools
import random as _random
from dataclasses import dataclass, field
from functools import cached_property

import sympy as sp

from .claim import Interval

GRID = 10**6  # random exact values of a finite real interval: lo + (hi − lo)·k/GRID


@dataclass(frozen=True)
class Values:
    """Where a symbol's test values come from: an interval (real or integer) or a finite set."""

    interval: Interval | None = None
    finite: tuple[sp.Expr, ...] = ()

    def nice(self) -> list[sp.Expr]:
        """Small readable values first, as a person would try them."""
        return list(self._nice)

    @cached_property
    def _nice(self) -> tuple[sp.Expr, ...]:
        return tuple(self._readable())

    def _readable(self) -> list[sp.Expr]:
        if self.finite:
            return list(self.finite)
        assert self.interval is not None
        return list(_readable_in(self.interval))

    def contains(self, v: sp.Expr) -> bool:
        """True when v is one of the symbol's values (open real interval, integer range or finite set)."""
        if self.finite:
            return v in self.finite
        iv = self.interval
        assert iv is not None
        if iv.integer:
            return bool(v.is_integer) and bool(iv.lo <= v <= iv.hi)
        return bool(iv.lo < v < iv.hi)

    def random_exact(self, rng: _random.Random) -> sp.Expr:
        """A uniform draw from `grid_size()` exact values (rationals or integers): the set S of identity testing."""
        if self.finite:
            return rng.choice(self.finite)
        iv = self.interval
        assert iv is not None
        lo, hi = iv.lo, iv.hi
        if iv.integer:
            a = int(sp.ceiling(lo)) if lo.is_finite else -(10**6)
            b = int(sp.floor(hi)) if hi.is_finite else a + 2 * 10**6 if lo.is_finite else 10**6
            if not hi.is_finite and not lo.is_finite:
                a, b = -(10**6), 10**6
            elif not lo.is_finite:
                a = b - 2 * 10**6
            return sp.Integer(rng.randint(a, b))
        if lo.is_finite and hi.is_finite:
            return lo + (hi - lo) * sp.Rational(rng.randint(1, GRID - 1), GRID)
        step = sp.Rational(rng.randint(1, GRID), 1000)  # k/1000 for k in 1…10^6: a set of 10^6 values
        if lo.is_finite:
            return lo + step
        if hi.is_finite:
            return hi - step
        return step if rng.random() < 0.5 else -step

    def grid_size(self) -> int:
        """How many distinct values `random_exact` draws from (|S| in the Schwartz–Zippel bound)."""
        if self.finite:
            return len(set(self.finite))
        iv = self.interval
        assert iv is not None
        if iv.integer:
            size = iv.finite_size
            return size if size is not None else 2 * 10**6 + 1
        if iv.lo.is_finite and iv.hi.is_finite:
            return GRID - 1
        return 2 * GRID if not (iv.lo.is_finite or iv.hi.is_finite) else GRID

    def float_bounds(self) -> tuple[float, float]:
        """A finite box to sample floats from (infinite ends cut at ±10 from the finite one)."""
        iv = self.interval
        assert iv is not None
        lo = _float(iv.lo) if iv.lo.is_finite else (_float(iv.hi) - 20 if iv.hi.is_finite else -10.0)
        hi = _float(iv.hi) if iv.hi.is_finite else (lo + 20 if iv.lo.is_finite else 10.0)
        return lo, hi


def _float(v: sp.Expr) -> float:
    """float(v), clipped to the largest finite double (a bound of 10**400 is still a bound)."""
    try:
        return float(v)
    except OverflowError:
        return float("1e308") if v > 0 else float("-1e308")


@dataclass
class Link:
    """Line `index` against the line it must follow from; sides are deterministic SymPy objects."""

    index: int
    lhs: sp.Basic
    rhs: sp.Basic
    rel: str = "="
    values: dict[sp.Symbol, Values] = field(default_factory=dict)
    limit: tuple[sp.Symbol, sp.Expr] | None = None
    small: tuple = ()  # unknown functions o with o(t)/t → 0 as the limit symbol t → 0 (Step.small)
    realization: str = ""  # set when random variables were realized by a concrete distribution
    concrete: bool = True  # False when free moment symbols stand for an unknown distribution
    fixed: dict[str, str] = field(default_factory=dict)  # values already fixed (e.g. a size n), for display
    sizes: dict = field(default_factory=dict)  # the same, keyed by the claim's own symbols

    @property
    def is_matrix(self) -> bool:
        """True when the sides are matrices (compared entry by entry)."""
        return isinstance(self.lhs, sp.MatrixBase) or isinstance(self.rhs, sp.MatrixBase)

    def differences(self) -> list[sp.Expr]:
        """lhs − rhs, entry by entry for matrices."""
        if self.is_matrix:
            a, b = sp.ImmutableMatrix(self.lhs), sp.ImmutableMatrix(self.rhs)
            if a.shape != b.shape:
                raise ValueError(f"shapes differ: {a.shape} and {b.shape}")
            return list(a - b)
        return [self.lhs - self.rhs]

    def pairs(self) -> list[tuple[sp.Expr, sp.Expr]]:
        """(lhs, rhs) entry by entry."""
        if self.is_matrix:
            a, b = sp.ImmutableMatrix(self.lhs), sp.ImmutableMatrix(self.rhs)
            return list(zip(a, b))
        return [(self.lhs, self.rhs)]

    @property
    def free(self) -> list[sp.Symbol]:
        """The free symbols, in a stable order."""
        from . import dag

        syms: set = set()
        memo: dict = {}  # the sides (and a matrix's entries) share subtrees: each walked once
        for a, b in self.pairs():
            syms |= dag.free_symbols_memo(a, memo) | dag.free_symbols_memo(b, memo)
        return sorted(syms, key=lambda s: s.name)


def holds(rel: str, a: sp.Expr, b: sp.Expr) -> bool | None:
    """Decide `a rel b` for exact numbers (None when SymPy cannot decide)."""
    d = a - b
    if rel in ("=", "≈"):
        z = d.is_zero
        return None if z is None else bool(z)
    truth = {"<=": d <= 0, "<": d < 0, ">=": d >= 0, ">": d > 0}[rel]
    if truth in (sp.true, sp.false):
        return truth is sp.true
    return None


@functools.lru_cache(maxsize=256)
def _readable_in(iv: Interval) -> tuple[sp.Expr, ...]:
    """Small readable values of an interval, as a person would try them. A function of the interval
    alone, asked again for each link and each candidate edit of a wrong line (sixteen SymPy
    comparisons each time): kept."""
    if iv.integer:
        lo = iv.lo if iv.lo.is_finite else sp.Integer(-3)
        hi = iv.hi if iv.hi.is_finite else lo + 8
        start = max(lo, sp.Integer(-3)) if lo < 0 else lo
        values = [sp.Integer(v) for v in range(int(sp.ceiling(start)), int(sp.floor(min(hi, start + 8))) + 1)]
        return tuple(sorted(values, key=lambda v: (abs(v), v)))
    candidates = [1, 2, -1, 3, sp.Rational(1, 2), -2, sp.Rational(1, 3), sp.Rational(2, 3), 0,
                  sp.Rational(3, 2), 5, sp.Rational(1, 4), sp.Rational(3, 4), -sp.Rational(1, 2), 7, 10]
    inside = [sp.sympify(c) for c in candidates if iv.lo < c < iv.hi]
    if not inside and iv.lo.is_finite and iv.hi.is_finite:
        # A narrow interval holds none of the usual values: its midpoint and quarter points.
        inside = [iv.lo + (iv.hi - iv.lo) * sp.Rational(k, 4) for k in (2, 1, 3)]
    return tuple(inside)
