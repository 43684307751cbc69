"""Builders of symbolic claims: networks with symbolic parameters, and the one way to turn lines
written with abbreviations into a claim's `where` and `domain`.

    dense       a dense network with symbolic weights, undefined σ and loss (sections 3.1, 3.2.1)
    conv        a convolutional layer with symbolic maps and kernels (section 3.2.2)
    batchnorm   the computational graph of Algorithm 1, its nodes held as variables (eq. 3.23)
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sympy as sp

from verifier import Step, dag

REAL = (-sp.oo, sp.oo)
sigma = sp.Function("sigma")  # the activation, undefined: a proof holds for every differentiable σ
Loss = sp.Function("L")  # the loss, undefined: a proof holds for every differentiable L


def Subs(expr: Any, variables: Any, point: Any) -> sp.Basic:
    """`sympy.Subs(expr, variables, point)`, the same object (`verifier.dag.subs_node`): SymPy
    prints every point and walks expr for its free symbols once per variable to build one, a
    seventh of building the catalogue. A single variable and point may be given bare, as to SymPy."""
    from sympy.utilities.iterables import is_sequence

    variables = tuple(variables) if is_sequence(variables, sp.Tuple) else (variables,)
    point = tuple(point) if is_sequence(point, sp.Tuple) else (point,)
    return dag.subs_node(sp.sympify(expr), variables, point, {})


def symbolic_fields(steps: Sequence[Any], where: Mapping[sp.Symbol, Any], corrections: Mapping[int, Any] | None = None) -> dict:
    """The `where` and `domain` of a symbolic claim whose lines (and corrections) are `steps`.

    `where` holds the abbreviations the lines use, directly or through another abbreviation, taken
    from the pool `where` in its order; `domain` makes every other free symbol a real variable.
    """
    exprs = [s.expr if isinstance(s, Step) else s for s in [*steps, *(corrections or {}).values()]]
    memo: dict = {}  # free symbols by subexpression: the lines and abbreviations share most of their subtrees

    def free_symbols(e: Any) -> set:
        return dag.free_symbols_memo(e, memo) if isinstance(e, sp.Basic) else dag.free_symbols(e)

    mentioned = set().union(*(free_symbols(e) for e in exprs))
    refers = {k: free_symbols(v) if isinstance(v, sp.Basic) else set() for k, v in where.items()}
    todo = [k for k in where if k in mentioned]
    used: set = set()
    while todo:
        k = todo.pop()
        if k not in used:
            used.add(k)
            todo.extend(r for r in refers[k] if r in where and r not in used)
    used_where = {k: v for k, v in where.items() if k in used}
    free = set().union(*(free_symbols(e) for e in [*exprs, *used_where.values()])) - set(where)
    return {"domain": {s: REAL for s in free if isinstance(s, sp.Symbol)}, "where": used_where}
