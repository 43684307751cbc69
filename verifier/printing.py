"""Printing a SymPy expression with each distinct subexpression printed once (a memo the caller keeps).

Standard library only: `verifier.results` uses it without importing SymPy (a warm run never does).
"""
from __future__ import annotations

import sys
from typing import Any


class MemoPrinting:
    """Mixin for a SymPy printer (put it before the printer class): `_print` of each subexpression
    is kept in `self._memo`, a dict shared by every printer the caller gives it to; no memo, no change.
    A sum's terms are put in SymPy's order by `ordered_terms` (the same order, without evalf).

    A node's text does not depend on where it stands in StrPrinter, but for a Float: its trailing
    zeros are kept at the top level only. So the level is part of the key."""

    _memo: dict | None = None

    def _print(self, expr: Any, **kwargs: Any) -> str:
        memo = self._memo
        if memo is None or kwargs or not isinstance(expr, sys.modules["sympy"].Basic):
            return super()._print(expr, **kwargs)  # type: ignore[misc]
        key = (expr, self._print_level == 0)  # type: ignore[attr-defined]
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = super()._print(expr)  # type: ignore[misc]
        return hit

    def _as_ordered_terms(self, expr: Any, order: Any = None) -> list:
        if (order or self._settings.get("order")) is None:  # type: ignore[attr-defined]
            return ordered_terms(expr)
        return super()._as_ordered_terms(expr, order=order)  # type: ignore[misc]


_BITS = 53  # a rational with numerator and denominator below 2**53: p/q in floats is correctly rounded, as evalf's is


def _complex(c: Any) -> complex:
    """`complex(c)` of a SymPy number; a small rational without SymPy's evalf (the same value:
    both round p/q to the nearest double)."""
    if c.is_Rational and abs(c.p) < 1 << _BITS and c.q < 1 << _BITS:
        return complex(c.p / c.q, 0.0)
    return complex(c)


_NAMES: tuple = ()


def _sympy_names() -> tuple:
    """SymPy's names `ordered_terms` uses, looked up once (SymPy is loaded: there is an expression)."""
    global _NAMES
    if not _NAMES:
        from sympy import Add, Mul, S
        from sympy.core.exprtools import decompose_power
        from sympy.core.numbers import Number, NumberSymbol
        from sympy.core.sorting import default_sort_key

        _NAMES = (Add, Mul, S, Number, NumberSymbol, decompose_power, default_sort_key)
    return _NAMES


def ordered_terms(expr: Any) -> list:
    """`expr.as_ordered_terms()`: the terms of a sum in the order SymPy prints them.

    SymPy's own algorithm (sympy/core/expr.py, Expr.as_ordered_terms and as_terms, order=None),
    with each rational coefficient made a complex number by `_complex` rather than by evalf: a
    quarter of the time of printing a claim's lines went to that. tests/test_results.py compares the two."""
    Add, Mul, S, Number, NumberSymbol, decompose_power, default_sort_key = _sympy_names()
    if not expr.is_Add:
        return expr.as_ordered_terms()
    # SymPy's special case: Add(Number, Mul(Number, expr)), the first number positive and the second negative
    numbers = (Number, NumberSymbol)
    add_args = sorted(Add.make_args(expr), key=lambda x: not isinstance(x, numbers))
    if len(add_args) == 2 and isinstance(add_args[0], numbers) and isinstance(add_args[1], Mul):
        mul_args = sorted(Mul.make_args(add_args[1]), key=lambda x: not isinstance(x, numbers))
        if (len(mul_args) == 2 and isinstance(mul_args[0], Number) and add_args[0].is_positive
                and mul_args[0].is_negative):
            return add_args
    gens: set = set()
    terms = []
    for term in Add.make_args(expr):
        if term.is_Order:
            return expr.as_ordered_terms()  # (SymPy puts O(·) last: left to it)
        coeff_part, rest = term.as_coeff_Mul()
        coeff = _complex(coeff_part)
        cpart: dict = {}
        ncpart = []
        if rest is not S.One:
            for factor in Mul.make_args(rest):
                if factor.is_number:
                    try:
                        coeff *= _complex(factor)
                    except (TypeError, ValueError):
                        pass
                    else:
                        continue
                if factor.is_commutative:
                    base, exp = decompose_power(factor)
                    cpart[base] = exp
                    gens.add(base)
                else:
                    ncpart.append(factor)
        terms.append((term, ((coeff.real, coeff.imag), cpart, tuple(ncpart))))
    indices = {g: i for i, g in enumerate(sorted(gens, key=default_sort_key))}
    data = []
    for term, (coeff, cpart, ncpart) in terms:
        monom = [0] * len(indices)
        for base, exp in cpart.items():
            monom[indices[base]] = exp
        data.append((term, (coeff, tuple(monom), ncpart)))
    key, reverse = expr._parse_order(None)
    return [term for term, _ in sorted(data, key=key, reverse=reverse)]
