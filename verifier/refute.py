"""Refutation needs a witness: a counterexample on a concrete realization of the link.

A link with free moment symbols (a `Generic` distribution) or undefined functions (σ, a loss)
is realized first: each generic distribution by small finite stand-ins whose moments are
consistent, each undefined function by a polynomial and then an exponential stand-in. A
counterexample found on a realization is a real counterexample to the line: the line claims
to hold for every distribution and every function.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator

import sympy as sp
from sympy.core.function import AppliedUndef

from . import dag, primes, witness
from .claim import Claim, Step
from .link import Link
from .prepare import prepare, realize_functions
from .randvars import Distribution
from .strategies.base import Context



def search(claim: Claim, prev_expr, line: Step, index: int, ctx: Context, candidates, link: Link, quick: bool = False):
    """A counterexample on a concrete realization (real distributions, concrete functions), or None."""
    for k, (dists, funcs) in enumerate(_realizations(claim, link)):
        if quick and k >= 1:
            break
        if dists is None and funcs is None:
            concrete = link
        elif dists is None:
            concrete = realize_functions(link, funcs)
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
    applications = dag.atoms_in([x for pair in link.pairs() for x in pair], AppliedUndef)  # shared subtrees walked once
    arity: dict = {}
    for app in applications:
        f = primes.base_of(app.func)  # σ′(z) is realized through σ: one concrete function and its derivative
        arity[f] = max(arity.get(f, 0), len(app.args))
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
