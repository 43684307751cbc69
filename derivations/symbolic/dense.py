"""A dense network n_0 → … → n_L with symbolic parameters, the activation σ and the loss L
undefined, as the notes keep them (sections 3.1 and 3.2.1).

Weights w^l_{jk}, biases b^l_j and inputs a^0_k carry the notes' 1-based names. Derivatives are
unevaluated Derivative/Subs objects behind readable abbreviations (δ^1_{2}, ∂L/∂w^1_{12},
σ'(z^1_{2}), …) that a claim's `where` writes out: a line prints the way the notes print it and
the engine does the calculus. σ'(u) is Derivative(σ(u), u) when u is a symbol and
Subs(Derivative(σ(t), t), t, u) when u is an expression — exactly what sympy.diff produces, so
`expand` of a difference settles it.

Which quantities are free (each choice exact, none loses generality):
  z-form (z^l free, the layers above built on it): δ^l_j = ∂L/∂z^l_j is then a plain
      derivative; an identity for free z^l holds at every z^l the layers below can produce.
  a-form (a^{l-1} free, z^l = w^l a^{l-1} + b^l): a^{l-1} does not depend on w^l or b^l, so
      nothing is lost. With l = 1 this is the whole network as a function of its parameters
      and its input a^0.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp

from . import Loss, Subs, sigma, symbolic_fields

_t = sp.Symbol("t")  # bound in Subs(Derivative(σ(t), t), t, u) = σ'(u)


def index_text(*ix: int) -> str:
    return "".join(map(str, ix)) if all(i < 10 for i in ix) else ",".join(map(str, ix))


def layer_symbol(name: str, l: int, *ix: int) -> sp.Symbol:
    """The notes' 1-based name: layer_symbol("w", 2, 1, 3) is w^2_{13}."""
    return sp.Symbol(f"{name}^{l}_{{{index_text(*ix)}}}", real=True)


def column(items) -> sp.ImmutableMatrix:
    items = list(items)
    return sp.ImmutableMatrix(len(items), 1, items)


def grid(rows: int, cols: int, f) -> sp.ImmutableMatrix:
    """The matrix of f(j, k) for 1-based j ≤ rows, k ≤ cols."""
    return sp.ImmutableMatrix(rows, cols, lambda r, c: f(r + 1, c + 1))


def stack(blocks) -> sp.ImmutableMatrix:
    """Vectors and matrices (read row by row) stacked into one column."""
    return sp.ImmutableMatrix(sp.Matrix.vstack(*[sp.Matrix(b).reshape(len(b), 1) for b in blocks]))


def arrow(sizes) -> str:
    return "→".join(map(str, sizes))


def tag(sizes) -> str:
    return "-".join(map(str, sizes))


class DenseNet:
    """A dense network n_0 → … → n_L with symbolic parameters, undefined σ and loss L.

    free="z": z^layer is free; free="a": a^{layer-1} is free and z^layer = w^layer a^{layer-1}
    + b^layer (layer=1: the whole network). Layers below `layer` do not exist in either form.
    Each derivative gets a readable symbol, defined once in `where` (the engine writes it out).
    """

    def __init__(self, sizes, free: str = "a", layer: int = 1) -> None:
        self.sizes, self.free, self.layer = tuple(sizes), free, layer
        self.L = len(sizes) - 1
        n = self.sizes
        self.w = {l: grid(n[l], n[l - 1], lambda j, k, l=l: layer_symbol("w", l, j, k)) for l in range(1, self.L + 1)}
        self.b = {l: column(layer_symbol("b", l, j) for j in range(1, n[l] + 1)) for l in range(1, self.L + 1)}
        self.zsym = {l: column(layer_symbol("z", l, j) for j in range(1, n[l] + 1)) for l in range(1, self.L + 1)}
        self.asym = {l: column(layer_symbol("a", l, k) for k in range(1, n[l] + 1)) for l in range(0, self.L)}
        self._out = [sp.Symbol(f"_a^{self.L}_{{{j}}}") for j in range(1, n[-1] + 1)]  # bound: L's arguments
        self.where: dict[sp.Symbol, sp.Expr] = {}
        self._z: dict[int, sp.ImmutableMatrix] = {}
        self._loss: dict[int, sp.Expr] = {}
        self._deltas: dict[tuple[int, int], sp.Expr] = {}

    def n(self, l: int) -> int:
        return self.sizes[l]

    # -- the forward pass --
    def up(self, l: int, m: int, zl) -> sp.ImmutableMatrix:
        """z^m as a function of z^l (m ≥ l): z^{i+1} = w^{i+1} σ(z^i) + b^{i+1} (eq. 3.2)."""
        z = sp.ImmutableMatrix(zl)
        for i in range(l + 1, m + 1):
            z = self.w[i] * z.applyfunc(sigma) + self.b[i]
        return z

    def zval(self, m: int) -> sp.ImmutableMatrix:
        """z^m in this form."""
        if m < self.layer:
            raise ValueError(f"layer {m} is below the free layer {self.layer}")
        if m not in self._z:
            if self.free == "z":
                base = self.zsym[self.layer]
            else:
                base = self.w[self.layer] * self.asym[self.layer - 1] + self.b[self.layer]
            self._z[m] = self.up(self.layer, m, base)
        return self._z[m]

    def loss_after(self, m: int, zm) -> sp.Expr:
        """L(a^L) as a function of z^m."""
        if zm is self.zsym[m]:
            if m not in self._loss:
                self._loss[m] = Loss(*self.up(m, self.L, zm).applyfunc(sigma))
            return self._loss[m]
        return Loss(*self.up(m, self.L, zm).applyfunc(sigma))

    def loss(self) -> sp.Expr:
        return self.loss_after(self.layer, self.zval(self.layer))

    # -- named quantities (abbreviations the engine writes out) --
    def abbr(self, name: str, definition) -> sp.Symbol:
        """The symbol `name` standing for definition() (built once: Subs objects are costly to build)."""
        sym = sp.Symbol(name)
        if sym not in self.where:
            self.where[sym] = definition()
        if _RECORDING:  # the claim being built uses this abbreviation
            known = _RECORDING[-1].setdefault(sym, self.where[sym])
            if known is not self.where[sym] and known != self.where[sym]:  # (a Subs compares slowly, even with itself)
                raise ValueError(f"{name} has two definitions in one claim")
        return sym

    def delta(self, m: int, k: int, name: str = "δ") -> sp.Symbol:
        """δ^m_k = ∂L/∂z^m_k (eq. 3.3): the loss as a function of z^m, differentiated, at z^m's value.
        One definition for each name it goes by (δ, ∂L/∂z)."""
        def build():
            if (m, k) not in self._deltas:
                zm, at = self.zsym[m], self.zval(m)
                d = sp.Derivative(self.loss_after(m, zm), zm[k - 1])
                self._deltas[m, k] = d if at == zm else Subs(d, tuple(zm), tuple(at))
            return self._deltas[m, k]

        return self.abbr(f"{name}^{m}_{{{k}}}", build)

    def sprime(self, m: int, j: int) -> sp.Symbol:
        """σ'(z^m_j), written as sympy.diff writes it."""
        u = self.zval(m)[j - 1]
        return self.abbr(f"σ'(z^{m}_{{{j}}})", lambda: sp.Derivative(sigma(u), u) if u.is_Symbol
                         else Subs(sp.Derivative(sigma(_t), _t), _t, u))

    def act(self, m: int, k: int) -> sp.Symbol:
        """a^m_k: the free input of the a-form, else σ(z^m_k)."""
        if self.free == "a" and m == self.layer - 1:
            return self.asym[m][k - 1]
        return self.abbr(f"a^{m}_{{{k}}}", lambda: sigma(self.zval(m)[k - 1]))

    def zname(self, m: int, j: int) -> sp.Symbol:
        """z^m_j as a named value (the free symbol itself in the z-form)."""
        v = self.zval(m)[j - 1]
        return v if v.is_Symbol else self.abbr(f"z^{m}_{{{j}}}", lambda: v)

    def dL_da(self, j: int) -> sp.Symbol:
        """∂L/∂a^L_j: L differentiated in its j-th argument, at a^L."""
        at = self.zval(self.L).applyfunc(sigma)
        return self.abbr(f"∂L/∂a^{self.L}_{{{j}}}",
                         lambda: Subs(sp.Derivative(Loss(*self._out), self._out[j - 1]), tuple(self._out), tuple(at)))

    def dL(self, var: sp.Symbol) -> sp.Symbol:
        """∂L/∂var for a parameter (or any symbol) var."""
        return self.abbr(f"∂L/∂{var}", lambda: sp.Derivative(self.loss(), var))

    def inputs(self) -> set[sp.Symbol]:
        """The free symbols this form owns as variables (a^{layer-1} or z^layer)."""
        return set(self.asym[self.layer - 1] if self.free == "a" else self.zsym[self.layer])


_NETS: dict[tuple, DenseNet] = {}


def network(sizes, free: str = "a", layer: int = 1) -> DenseNet:
    """One shared DenseNet per (sizes, form): each derivative object is built once for all claims."""
    key = (tuple(sizes), free, layer)
    if key not in _NETS:
        _NETS[key] = DenseNet(sizes, free, layer)
    return _NETS[key]


_RECORDING: list[dict[sp.Symbol, sp.Expr]] = []  # abbreviations asked for by the claim being built


def claim_arguments(build: Callable[[], tuple]) -> dict[str, Any]:
    """Run build() → (nets, steps[, corrections]) and return the claim's arguments: `steps`,
    `corrections`, and `where` and `domain` by `symbolic_fields` from exactly the abbreviations
    build() asked for (a net's `where` is shared by every claim built on it)."""
    _RECORDING.append({})
    try:
        nets, steps, *rest = build()
    finally:
        asked = _RECORDING.pop()
    corrections = rest[0] if rest else {}
    nets = [nets] if isinstance(nets, DenseNet) else list(nets)
    clash = set().union(*(net.inputs() for net in nets)) & set(asked)
    if clash:
        raise ValueError(f"{sorted(map(str, clash))} are both variables and abbreviations")
    return {"steps": steps, "corrections": corrections, **symbolic_fields(steps, asked, corrections)}
