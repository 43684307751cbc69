"""σ′(u) and ∂ℒ/∂a₁ as applications of functions of their own, instead of SymPy's Subs.

SymPy writes the derivative of an undefined function in one of its arguments, at a point that is
not a symbol, as `Subs(Derivative(σ(ξ), ξ), ξ, u)`. Every construction of a Subs prints its point
(to name a canonical symbol) and every comparison rebuilds its canonical form: in a network, where
u is a whole earlier layer, that was about a third of the catalogue's time. Here the same quantity
is the application `σ′(u)` (or `L′1(a₁, a₂)` for a function of several arguments) of a function
class that remembers f (`base`) and the argument (`arg`): an opaque atom for every strategy,
exactly as the Subs was, but built and compared like any application. When f is made concrete
(a witness search), ∂_k f is made the derivative of the same concrete function, so the two stay
one function and its derivative.

Used only where it cannot be confused with a function of the claim's own (a claim in which some
function's name already contains ′ keeps SymPy's forms) and never for a function with
assumptions (σ positive does not make σ′ positive).
"""
from __future__ import annotations

import functools
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef, UndefinedFunction

from . import dag

MARK = "′"


@functools.lru_cache(maxsize=4096)
def prime(f: UndefinedFunction, k: int = 1, n: int = 1) -> UndefinedFunction:
    """The class of ∂_k f, the derivative of an undefined n-argument f in its k-th argument
    (σ′ for one argument, L′2 for the second of two); it remembers f as `base` and k as `arg`."""
    # Cached: building a class costs ~0.1 ms and a network asks for σ′ at every application. The
    # classes SymPy would get from two calls are equal anyway (UndefinedFunction compares by name
    # and keywords), so one object for both changes no answer; it only makes them identical.
    # commutative=True (true of every such function) makes the class unequal to a user's own
    # Function("σ′"), which SymPy would otherwise take for it by name (and hand back from its cache).
    return UndefinedFunction(f.__name__ + MARK + (str(k) if n > 1 else ""), __dict__={"base": f, "arg": k}, commutative=True)


def is_prime(f: Any) -> bool:
    """A class made by `prime`."""
    return (isinstance(f, UndefinedFunction) and isinstance(getattr(f, "base", None), UndefinedFunction)
            and MARK in f.__name__ and getattr(f, "_kwargs", None) == {"commutative": True})


def base_of(f: Any) -> Any:
    """σ for σ′, σ′′ or L′1′2 … (f itself when it is not a derivative class)."""
    while is_prime(f):
        f = f.base
    return f


def eligible(f: Any) -> bool:
    """An undefined function whose partial derivatives can be classes of their own (no assumptions:
    σ positive does not make σ′ positive)."""
    return isinstance(f, UndefinedFunction) and (not getattr(f, "_kwargs", None) or is_prime(f))


def allowed(exprs) -> bool:
    """True when no function of these expressions (a claim's own lines) has ′ in its name: a
    reader would take σ′ for it, and so would a printed counterexample."""
    return not any(MARK in type(a).__name__ for a in dag.atoms_in(exprs, AppliedUndef))  # lines share subtrees: one walk


def fdiff(app: AppliedUndef, k: int) -> sp.Basic:
    """`app.fdiff(k)` — ∂_k f at app's arguments — as an application of ∂_k f's class."""
    if not eligible(app.func):
        return app.fdiff(k)
    return prime(app.func, k, len(app.args))(*app.args)


def _position(app: sp.Basic, v: sp.Basic) -> int | None:
    """k when v is app's k-th argument and occurs in no other argument (then d app/dv is ∂_k f), else None."""
    if not isinstance(app, AppliedUndef) or not eligible(app.func):
        return None
    at = [k for k, a in enumerate(app.args, 1) if a == v]
    if len(at) != 1:
        return None
    others = [a for k, a in enumerate(app.args, 1) if k != at[0]]
    if any(a.has(v) for a in others):
        return None
    return at[0]


def _as_prime(e: sp.Basic, go) -> sp.Basic | None:
    """∂_k f(go(args)) when e is SymPy's first derivative of an undefined f in one argument, else None:
    `Subs(Derivative(f(…, ξ, …), ξ), ξ, u)` or `Derivative(f(…, z, …), z)`."""
    if isinstance(e, sp.Subs):
        d = e.expr
        if not (isinstance(d, sp.Derivative) and len(e.variables) == 1 and d.variable_count == ((e.variables[0], 1),)):
            return None
        k = _position(d.expr, e.variables[0])
        if k is None:
            return None
        f, args = d.expr.func, [go(a) for a in d.expr.args]
        args[k - 1] = go(e.point[0])
        return prime(f, k, len(args))(*args)
    if isinstance(e, sp.Derivative) and len(e.variable_count) == 1 and e.variable_count[0][1] == 1:
        k = _position(e.expr, e.variable_count[0][0])
        if k is None:
            return None
        return prime(e.expr.func, k, len(e.expr.args))(*[go(a) for a in e.expr.args])
    return None


def to_primes(expr: Any, memo: dict | None = None) -> Any:
    """expr with each first derivative of an undefined function in one of its arguments written
    as an application of ∂_k f (see `_as_prime`); each distinct subexpression visited once
    (`memo`, if given, kept across calls)."""
    if not isinstance(expr, (sp.Basic, sp.MatrixBase)):
        return expr
    if not dag.has(expr, sp.Subs, sp.Derivative):
        return expr
    return dag.rewrite(expr, lambda e, go: _as_prime(e, go) if isinstance(e, (sp.Subs, sp.Derivative)) else None, memo)


def with_derivatives(functions: dict, expr: Any) -> dict:
    """`functions` (f → a concrete Lambda) with each ∂_k f class of expr's applications added: the
    derivative of the same concrete Lambda (so f and its derivatives stay one function)."""
    if not functions or not isinstance(expr, (sp.Basic, sp.MatrixBase)):
        return functions
    out = dict(functions)

    def realize(f: Any) -> sp.Lambda | None:
        if f in out:
            return out[f]
        if not is_prime(f):
            return None
        lam = realize(f.base)
        if lam is None or not 1 <= f.arg <= len(lam.variables):
            return None
        out[f] = sp.Lambda(lam.variables, sp.diff(lam.expr, lam.variables[f.arg - 1]))
        return out[f]

    for app in dag.atoms(expr, AppliedUndef):
        realize(app.func)
    return out
