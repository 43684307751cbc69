r"""The entry reading of vector and matrix notation: a line about vectors is checked entry by entry.

When a context scope declares `[shapes]` (names written without entry indices are vectors or
matrices, with the ranges of their entries) and `entries = ["j", "k"]` under `[notation]` (the
free entry indices), each member of a chain is read at entry j (a vector) or (j, k) (a matrix):

    v^l → v_j^l               M^l → M_{jk}^l                 (M^l)^T → M_{kj}^l
    matmul(M, x) → Σ_s M_{js} x_s                           matmul(u, v^T) → u_j v_k
    u ⊗ v → u_j v_j (entrywise)     σ(v), σ'(v) → σ(v_j), σ'(v_j)     c·v → c v_j
    ∇_v f → ∂f/∂v_j                ∂f/∂v → ∂f/∂v_j (written out through the context's definitions)
    conv(A, K) → Σ_s Σ_t A_{j+s-1, k+t-1} K_{st}   (valid cross-correlation, eq. 3.9's `*`)
    conv_full(A, K) → Σ_s Σ_t A_{j+s-r, k+t-c} K_{st}  (full mode, K of r × c: A zero outside its map, 3.14's `*`)
    rot180(K) → K_{r+1-j, c+1-k}                        (the kernel turned by 180°)
    a number that holds vectors: u^T v → Σ_s u_s v_s, ∇_b f → ∂f/∂b (b a number), min_v f → min_v of
    f read the same way; Σ_i of a vector → Σ_i of its entry

This is what the notation means, not a guess: a vector identity holds iff it holds at every entry.
Anything else holding a vector (a vector plus a number, a product the parser did not order, an
unknown function of a vector) is refused with a reason, and the line stays unparsed.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from .latex import WHOLE_OPERATIONS, LatexError

Range = tuple[Any, Any]
_EXTREMA = ("min", "max", "argmin", "argmax")  # numbers of a body and the variables it is optimized over


class EntryReader:
    """Reads one parsed member entry by entry (see the module docstring)."""

    def __init__(self, shapes: dict[str, list[Range]], entries: Sequence[sp.Symbol], functions: set[str],
                 derive: Callable[[sp.Expr, sp.Expr], sp.Expr], symbol: Callable[[str], sp.Symbol], broadcast: bool = False) -> None:
        self.shapes = shapes
        self.broadcast = broadcast  # a number added to a vector or matrix is added to every entry (3.10's + b^l)
        self.entries = tuple(entries)
        self.functions = functions
        self.derive = derive
        self.symbol = symbol
        self.used = 0  # summation indices handed out

    def read(self, expr: sp.Expr) -> sp.Expr:
        """The member at its entry (j) or (j, k); a scalar member unchanged."""
        r = self.rank(expr)
        if r == 0:
            return self.scalar(expr)
        if r > len(self.entries):
            raise self.refuse(f"a rank-{r} quantity with {len(self.entries)} entry indices declared")
        return self.entry(expr, self.entries[:r])

    # --- shapes --------------------------------------------------------------------------------
    def refuse(self, problem: str) -> LatexError:
        """The reason a member cannot be read entry by entry."""
        return LatexError(f"entry reading: {problem}", "", "vector notation the entry reading does not cover")

    def _shaped(self, e: Any) -> str | None:
        """The shaped name e stands for whole (v^l: an Indexed with the layer only, or a bare Symbol)."""
        if isinstance(e, sp.Indexed) and str(e.base.label) in self.shapes and len(e.indices) == 1:
            return str(e.base.label)
        if isinstance(e, sp.Symbol) and e.name in self.shapes:
            return e.name
        return None

    def _opaque_derivative(self, e: Any) -> tuple[str, str] | None:
        """∂X/∂Y(l) of a shaped Y the parser left whole: (X, Y)."""
        if isinstance(e, AppliedUndef) and type(e).__name__.startswith("∂") and "/∂" in type(e).__name__:
            num, var = type(e).__name__[1:].split("/∂", 1)
            if var in self.shapes and len(e.args) == 1:
                return num, var
        return None

    def dims(self, e: Any) -> list[Range]:
        """The entry ranges of a vector or matrix expression (for a contraction)."""
        name = self._shaped(e)
        if name:
            return list(self.shapes[name])
        fn = type(e).__name__ if isinstance(e, AppliedUndef) else ""
        if fn == "transpose":
            return list(reversed(self.dims(e.args[0])))
        if fn == "grad":
            return self.dims(e.args[1])
        if fn == "rot180":
            return self.dims(e.args[0])
        pair = self._opaque_derivative(e)
        if pair:
            return list(self.shapes[pair[1]])
        raise self.refuse(f"the size of {e} is not declared")

    def rank(self, e: Any) -> int:
        """0 for a number, 1 for a vector, 2 for a matrix."""
        if not isinstance(e, sp.Basic):
            raise self.refuse(f"{e!r}")
        name = self._shaped(e)
        if name:
            return len(self.shapes[name])
        if isinstance(e, (sp.Symbol, sp.Indexed, sp.Number)) or not self._holds_shaped(e):
            return 0
        if isinstance(e, AppliedUndef):
            fn = type(e).__name__
            if fn == "transpose":
                r = self.rank(e.args[0])
                if r != 2:
                    raise self.refuse("a transposed vector outside a product u v^T")
                return 2
            if fn == "matmul":
                return self._matmul_rank(e.args)
            if fn == "grad":
                return self.rank(e.args[1])
            if fn in ("conv", "conv_full"):
                return 2
            if fn == "rot180":
                if self.rank(e.args[0]) != 2:
                    raise self.refuse("rot180 of other than a matrix")
                return 2
            if fn == "dot":
                if len(e.args) != 2 or self.rank(e.args[0]) != 1 or self.rank(e.args[1]) != 1:
                    raise self.refuse("an inner product u^T v of other than two vectors")
                return 0
            if fn in _EXTREMA:
                if self.rank(e.args[0]) != 0:
                    raise self.refuse(f"{fn} of a vector or matrix")
                return 0
            if self._opaque_derivative(e):
                return len(self.shapes[self._opaque_derivative(e)[1]])
            if fn in self.functions and len(e.args) == 1:
                return self.rank(e.args[0])
            raise self.refuse(f"the function {fn} of a vector or matrix")
        if isinstance(e, sp.Sum):
            return self.rank(e.function)  # Σ_{x_i ∈ M} y_i x_i: a vector
        if isinstance(e, sp.Derivative) and len(e.variables) == 1:
            return self.rank(e.variables[0])
        if isinstance(e, sp.Subs) and len(e.point) == 1:
            return self.rank(e.point[0])
        if isinstance(e, sp.Add):
            ranks = {self.rank(t) for t in e.args}
            if self.broadcast and len(ranks) == 2 and 0 in ranks:
                ranks.discard(0)
            if len(ranks) > 1:
                raise self.refuse("a sum of a vector or matrix and a number")
            return ranks.pop()
        if isinstance(e, sp.Mul):
            ranks = {self.rank(f) for f in e.args} - {0}
            if len(ranks) > 1:
                raise self.refuse("an entrywise product of a vector and a matrix")
            return ranks.pop() if ranks else 0
        raise self.refuse(f"{type(e).__name__} of a vector or matrix")

    def _holds_shaped(self, e: sp.Basic) -> bool:
        """Does e hold a whole vector or matrix (a shaped name, or an operation on one)?"""
        # free symbols, not atoms: the label of an entry δ_j^l (an IndexedBase's Symbol) is no vector
        labels = {x.base.label for x in e.atoms(sp.Indexed)}
        return (any(self._shaped(x) for x in e.atoms(sp.Indexed) | (e.free_symbols - labels))
                or any(type(f).__name__ in (*WHOLE_OPERATIONS, "grad") or self._opaque_derivative(f)
                       for f in e.atoms(AppliedUndef)))

    def _matmul_rank(self, args: Sequence[sp.Expr]) -> int:
        if len(args) != 2:
            raise self.refuse("a product of more than two vectors or matrices")
        a, b = args
        if self.rank(a) == 1 and self._row(b):
            return 2
        ra, rb = self.rank(a), self.rank(b)
        if ra == 2 and rb in (1, 2):
            return rb
        raise self.refuse("a matrix product of these shapes")

    def _row(self, e: Any) -> bool:
        """u^T of a vector u (a row), only meaningful as the right factor of u v^T."""
        return isinstance(e, AppliedUndef) and type(e).__name__ == "transpose" and self.rank(e.args[0]) == 1

    def scalar(self, e: Any) -> Any:
        """A number that holds vectors (w^T x_i + b, ∇_b L, min_w L) with each written by its entries:
        u^T v → Σ_s u_s v_s, ∇_b f → ∂f/∂b for a scalar b, an extremum's body read the same way (its
        variables stay names)."""
        if not isinstance(e, sp.Basic) or not e.args or not self._holds_shaped(e):
            return e
        if isinstance(e, AppliedUndef):
            fn = type(e).__name__
            if fn == "dot":
                u, v = e.args
                s = self.fresh()
                lo, hi = self.dims(u)[0]
                return sp.Sum(self.entry(u, (s,)) * self.entry(v, (s,)), (s, lo, hi))
            if fn == "grad":  # rank 0: the variable is a number
                return self.derive(e.args[0], e.args[1])
            if fn in _EXTREMA:
                return e.func(self.scalar(e.args[0]), *e.args[1:])
        if isinstance(e, (sp.Add, sp.Mul, sp.Pow, sp.Sum)) or isinstance(e, AppliedUndef) and type(e).__name__ in self.functions:
            return e.func(*[self.scalar(a) for a in e.args])
        raise self.refuse(f"{type(e).__name__} of a vector or matrix")

    # --- entries -------------------------------------------------------------------------------
    def fresh(self) -> sp.Symbol:
        """A new summation index (s, s′, s″, …)."""
        self.used += 1
        return sp.Symbol("s" + "′" * (self.used - 1), integer=True)

    def entry(self, e: sp.Expr, idx: tuple[Any, ...]) -> sp.Expr:
        """Entry `idx` of the vector or matrix expression e."""
        if not idx:
            return e
        name = self._shaped(e)
        if name:
            base = e.base if isinstance(e, sp.Indexed) else sp.IndexedBase(e)
            layer = tuple(e.indices) if isinstance(e, sp.Indexed) else ()
            return sp.Indexed(base, *idx, *layer)
        if isinstance(e, AppliedUndef):
            fn = type(e).__name__
            if fn == "transpose":
                return self.entry(e.args[0], tuple(reversed(idx)))
            if fn == "matmul":
                a, b = e.args
                if self._row(b):
                    return self.entry(a, idx[:1]) * self.entry(b.args[0], idx[1:])
                s = self.fresh()
                lo, hi = self.dims(a)[1]
                return sp.Sum(self.entry(a, (idx[0], s)) * self.entry(b, (s, *idx[1:])), (s, lo, hi))
            if fn == "grad":
                return self.derive(e.args[0], self.entry(e.args[1], idx))
            if fn == "conv":
                a, k = e.args
                (lo1, hi1), (lo2, hi2) = self.dims(k)
                s, t = self.fresh(), self.fresh()
                return sp.Sum(self.entry(a, (idx[0] + s - lo1, idx[1] + t - lo2)) * self.entry(k, (s, t)), (s, lo1, hi1), (t, lo2, hi2))
            if fn == "conv_full":
                a, k = e.args
                (_, hi1), (_, hi2) = self.dims(k)
                (lo1, _), (lo2, _) = self.dims(k)
                s, t = self.fresh(), self.fresh()
                return sp.Sum(self.entry(a, (idx[0] + s - hi1, idx[1] + t - hi2)) * self.entry(k, (s, t)), (s, lo1, hi1), (t, lo2, hi2))
            if fn == "rot180":
                (lo1, hi1), (lo2, hi2) = self.dims(e.args[0])
                return self.entry(e.args[0], (lo1 + hi1 - idx[0], lo2 + hi2 - idx[1]))
            pair = self._opaque_derivative(e)
            if pair:
                var = sp.Indexed(sp.IndexedBase(self.symbol(pair[1])), *idx, *e.args)
                return self.derive(self.symbol(pair[0]), var)
            return e.func(*[self.entry(a, idx) for a in e.args])  # σ(v) entrywise
        if isinstance(e, sp.Sum):
            return sp.Sum(self.entry(e.function, idx), *e.limits)
        if isinstance(e, sp.Derivative):
            x = e.variables[0]
            ex = self.entry(x, idx)
            return sp.Derivative(e.expr.xreplace({x: ex}), ex)  # σ'(v): σ' at the entry
        if isinstance(e, sp.Subs):
            return sp.Subs(e.expr, e.variables, (self.entry(e.point[0], idx),))
        if isinstance(e, sp.Add):
            return sp.Add(*[self.entry(t, idx) if self.rank(t) else t for t in e.args])  # a number: broadcast (rank checked)
        if isinstance(e, sp.Mul):
            return sp.Mul(*[self.entry(f, idx) if self.rank(f) else f for f in e.args])
        raise self.refuse(f"{type(e).__name__} of a vector or matrix")
