"""Backpropagation in a dense network (notes, sections 3.1 and 3.2.1).

Conventions (the notes'): ``weights[l]`` has shape ``(n_l, n_{l-1})`` and its
entry ``w_jk`` connects unit k of layer l-1 to unit j of layer l;
``biases[l]`` has shape ``(n_l,)``;  z^l = w^l a^{l-1} + b^l,  a^l = σ(z^l) on
every layer including the last;  L = ½‖a^L − y‖², summed over the batch.
"""

# --- reference implementation (numpy) ---
from __future__ import annotations

from typing import Callable, NamedTuple, Sequence

import numpy as np

__all__ = [
    "ACTIVATIONS",
    "Forward",
    "forward",
    "loss",
    "deltas",
    "gradients",
]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^{-z}), computed as ½(1 + tanh(z/2)) (no overflow)."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _sigmoid_prime(z: np.ndarray) -> np.ndarray:
    """σ'(z) = σ(z)(1 − σ(z))."""
    s = _sigmoid(z)
    return s * (1.0 - s)


def _tanh_prime(z: np.ndarray) -> np.ndarray:
    """tanh'(z) = 1 − tanh²(z)."""
    t = np.tanh(z)
    return 1.0 - t * t


def _identity(z: np.ndarray) -> np.ndarray:
    """id(z) = z."""
    return np.array(z, copy=True)


def _identity_prime(z: np.ndarray) -> np.ndarray:
    """id'(z) = 1."""
    return np.ones_like(z)


def _relu(z: np.ndarray) -> np.ndarray:
    """relu(z) = max(z, 0)."""
    return np.maximum(z, 0)


def _relu_prime(z: np.ndarray) -> np.ndarray:
    """relu'(z) = 1 if z > 0 else 0 (0 at the kink)."""
    return (z > 0).astype(z.dtype)


#: name -> (σ, σ'), both elementwise numpy functions preserving dtype.
ACTIVATIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]] = {
    "sigmoid": (_sigmoid, _sigmoid_prime),
    "tanh": (np.tanh, _tanh_prime),
    "identity": (_identity, _identity_prime),
    "relu": (_relu, _relu_prime),
}


class Forward(NamedTuple):
    """Result of :func:`forward`: ``zs[l-1]`` = z^l (l = 1..L), ``activations[l]`` = a^l (a^0 = x)."""

    zs: list[np.ndarray]
    activations: list[np.ndarray]


def _activation(name: str):
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation {name!r}; allowed: {', '.join(sorted(ACTIVATIONS))}"
        ) from None


def _float_dtype(*arrays) -> np.dtype:
    dt = np.result_type(*arrays)
    return dt if np.issubdtype(dt, np.floating) else np.dtype(np.float64)


def _prepare(weights, biases, x, y=None):
    """Validate shapes, cast to one float dtype; x (and y) promoted to 2-D (batch, n)."""
    if len(weights) != len(biases):
        raise ValueError(f"got {len(weights)} weight matrices but {len(biases)} bias vectors")
    if len(weights) == 0:
        raise ValueError("the network needs at least one layer")
    ws = [np.asarray(w) for w in weights]
    bs = [np.asarray(b) for b in biases]
    xa = np.asarray(x)
    ya = None if y is None else np.asarray(y)
    dt = _float_dtype(*ws, *bs, xa, *(() if ya is None else (ya,)))
    ws = [w.astype(dt, copy=False) for w in ws]
    bs = [b.astype(dt, copy=False) for b in bs]
    if xa.ndim not in (1, 2):
        raise ValueError(f"x must have shape (n_0,) or (batch, n_0), got {xa.shape}")
    single = xa.ndim == 1
    xa = xa.astype(dt, copy=False)
    if single:
        xa = xa[None, :]
    n_prev = xa.shape[1]
    for l, (w, b) in enumerate(zip(ws, bs), start=1):
        if w.ndim != 2 or w.shape[1] != n_prev:
            raise ValueError(
                f"weights[{l - 1}] (layer {l}) must have shape (n_{l}, {n_prev}), got {w.shape}"
            )
        if b.shape != (w.shape[0],):
            raise ValueError(
                f"biases[{l - 1}] (layer {l}) must have shape ({w.shape[0]},), got {b.shape}"
            )
        n_prev = w.shape[0]
    if ya is not None:
        want = (n_prev,) if single else (xa.shape[0], n_prev)
        if ya.shape != want:
            raise ValueError(f"y must have shape {want} to match x {np.shape(x)}, got {ya.shape}")
        ya = ya.astype(dt, copy=False)
        if single:
            ya = ya[None, :]
    return ws, bs, xa, ya, single


def _forward2d(ws, bs, x2, f):
    zs, acts = [], [x2]
    a = x2
    for w, b in zip(ws, bs):
        z = a @ w.T  # row-batched form of z = w a + b
        z += b
        zs.append(z)
        a = f(z)
        acts.append(a)
    return zs, acts


def forward(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    x: np.ndarray,
    activation: str = "sigmoid",
) -> Forward:
    """Forward pass z^l = w^l a^{l-1} + b^l, a^l = σ(z^l) (eq. 3.2); returns (zs, activations), activations[0] = x."""
    f, _ = _activation(activation)
    ws, bs, x2, _, single = _prepare(weights, biases, x)
    zs, acts = _forward2d(ws, bs, x2, f)
    if single:
        zs = [z[0] for z in zs]
        acts = [a[0] for a in acts]
    return Forward(zs, acts)


def loss(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    activation: str = "sigmoid",
) -> np.floating:
    """L = ½ Σ_batch ‖a^L − y‖² (a scalar of the input dtype)."""
    f, _ = _activation(activation)
    ws, bs, x2, y2, _ = _prepare(weights, biases, x, y)
    _, acts = _forward2d(ws, bs, x2, f)
    r = acts[-1] - y2
    return 0.5 * np.vdot(r, r)


def _backward2d(ws, zs, acts, y2, fprime):
    """BP1 and BP2, row-batched: returns [δ^1, ..., δ^L], each (batch, n_l)."""
    L = len(ws)
    ds = [None] * L
    d = acts[-1] - y2  # ∇_{a^L} L for L = ½‖a^L − y‖²
    d *= fprime(zs[-1])  # BP1: δ^L = ∇_a L ⊙ σ'(z^L)
    ds[-1] = d
    for l in range(L - 2, -1, -1):
        d = d @ ws[l + 1]  # ((w^{l+1})^T δ^{l+1}) per row
        d *= fprime(zs[l])  # BP2: ⊙ σ'(z^l)
        ds[l] = d
    return ds


def deltas(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    activation: str = "sigmoid",
) -> list[np.ndarray]:
    """Errors δ^l = ∂L/∂z^l (eq. 3.3) by BP1/BP2; list for l = 1..L, shaped like z^l (per example)."""
    f, fprime = _activation(activation)
    ws, bs, x2, y2, single = _prepare(weights, biases, x, y)
    zs, acts = _forward2d(ws, bs, x2, f)
    ds = _backward2d(ws, zs, acts, y2, fprime)
    return [d[0] for d in ds] if single else ds


def gradients(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    activation: str = "sigmoid",
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(∂L/∂w^l, ∂L/∂b^l) for all l by BP1–BP4: ∂L/∂w^l = δ^l (a^{l-1})^T, ∂L/∂b^l = δ^l, summed over the batch."""
    f, fprime = _activation(activation)
    ws, bs, x2, y2, _ = _prepare(weights, biases, x, y)
    zs, acts = _forward2d(ws, bs, x2, f)
    ds = _backward2d(ws, zs, acts, y2, fprime)
    dws = [d.T @ a for d, a in zip(ds, acts[:-1])]  # BP3: Σ_batch δ^l (a^{l-1})^T
    dbs = [d.sum(axis=0) for d in ds]  # BP4: Σ_batch δ^l
    return dws, dbs


# --- claims: section 3.1 and 3.2.1 (every line as printed) ---
# Symbolic tier: small networks with symbolic weights w^l_{jk}, biases b^l_j and inputs a^0_k
# (the notes' 1-based names), the activation σ and the loss L kept *undefined*, as the notes
# keep them. Each line is compared with sympy.diff of the loss, so `proved` means: for every
# differentiable σ and L, at the sizes the claim's scope names. Derivatives are unevaluated
# Derivative/Subs objects behind readable abbreviations (where=: δ^1_{2}, ∂L/∂w^1_{12},
# σ'(z^1_{2}), …): a line prints the way the notes print it and the engine does the calculus.
# σ'(u) is Derivative(σ(u), u) when u is a symbol and Subs(Derivative(σ(t), t), t, u) when u
# is an expression — exactly what sympy.diff produces, so `expand` of a difference settles it.
#
# Which quantities are free (each choice exact, none loses generality):
#   z-form (z^l free, the layers above built on it): the "define δ" lines — δ^l_j = ∂L/∂z^l_j
#       is then a plain derivative; an identity for free z^l holds at every z^l the layers
#       below can produce. BP1 and 3.4 take z^L free, BP2 and 3.5 take z^1 free.
#   a-form (a^{l-1} free, z^l = w^l a^{l-1} + b^l): the ∂L/∂w^l and ∂L/∂b^l lines; a^{l-1}
#       does not depend on w^l or b^l, so nothing is lost. With l = 1 this is the whole
#       network as a function of its parameters and its input a^0 (3.1, 3.2, FC-BP, 3.8).
# The numeric tier (after the symbolic claims) checks the oracle above at 300→200→100.
import sys

import sympy as sp

from verifier import Numeric, Step

from ._registry import claim

_sigma = sp.Function("sigma")
_Loss = sp.Function("L")
_t = sp.Symbol("t")  # bound in Subs(Derivative(σ(t), t), t, u) = σ'(u)
_R = (-sp.oo, sp.oo)
_SEC_31, _SEC_321 = "3.1", "3.2.1"
_ANY = "σ and L undefined (every differentiable σ and loss)"


def _idx(*ix: int) -> str:
    return "".join(map(str, ix)) if all(i < 10 for i in ix) else ",".join(map(str, ix))


def _s(name: str, l: int, *ix: int) -> sp.Symbol:
    """The notes' 1-based name: _s("w", 2, 1, 3) is w^2_{13}."""
    return sp.Symbol(f"{name}^{l}_{{{_idx(*ix)}}}")


def _col(items) -> sp.ImmutableMatrix:
    items = list(items)
    return sp.ImmutableMatrix(len(items), 1, items)


def _grid(rows: int, cols: int, f) -> sp.ImmutableMatrix:
    """The matrix of f(j, k) for 1-based j ≤ rows, k ≤ cols."""
    return sp.ImmutableMatrix(rows, cols, lambda r, c: f(r + 1, c + 1))


def _stack(blocks) -> sp.ImmutableMatrix:
    """Vectors and matrices (read row by row) stacked into one column."""
    return sp.ImmutableMatrix(sp.Matrix.vstack(*[sp.Matrix(b).reshape(len(b), 1) for b in blocks]))


def _arrow(sizes) -> str:
    return "→".join(map(str, sizes))


def _tag(sizes) -> str:
    return "-".join(map(str, sizes))


class _Net:
    """A dense network n_0 → … → n_L with symbolic parameters, undefined σ and loss L.

    free="z": z^layer is free; free="a": a^{layer-1} is free and z^layer = w^layer a^{layer-1}
    + b^layer (layer=1: the whole network). Layers below `layer` do not exist in either form.
    Each derivative gets a readable symbol, defined once in `where` (the engine writes it out).
    """

    def __init__(self, sizes, free: str = "a", layer: int = 1) -> None:
        self.sizes, self.free, self.layer = tuple(sizes), free, layer
        self.L = len(sizes) - 1
        n = self.sizes
        self.w = {l: _grid(n[l], n[l - 1], lambda j, k, l=l: _s("w", l, j, k)) for l in range(1, self.L + 1)}
        self.b = {l: _col(_s("b", l, j) for j in range(1, n[l] + 1)) for l in range(1, self.L + 1)}
        self.zsym = {l: _col(_s("z", l, j) for j in range(1, n[l] + 1)) for l in range(1, self.L + 1)}
        self.asym = {l: _col(_s("a", l, k) for k in range(1, n[l] + 1)) for l in range(0, self.L)}
        self._out = [sp.Symbol(f"_a^{self.L}_{{{j}}}") for j in range(1, n[-1] + 1)]  # bound: L's arguments
        self.where: dict[sp.Symbol, sp.Expr] = {}
        self._z: dict[int, sp.ImmutableMatrix] = {}
        self._loss: dict[int, sp.Expr] = {}

    def n(self, l: int) -> int:
        return self.sizes[l]

    # -- the forward pass --
    def up(self, l: int, m: int, zl) -> sp.ImmutableMatrix:
        """z^m as a function of z^l (m ≥ l): z^{i+1} = w^{i+1} σ(z^i) + b^{i+1} (eq. 3.2)."""
        z = sp.ImmutableMatrix(zl)
        for i in range(l + 1, m + 1):
            z = self.w[i] * z.applyfunc(_sigma) + self.b[i]
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
                self._loss[m] = _Loss(*self.up(m, self.L, zm).applyfunc(_sigma))
            return self._loss[m]
        return _Loss(*self.up(m, self.L, zm).applyfunc(_sigma))

    def loss(self) -> sp.Expr:
        return self.loss_after(self.layer, self.zval(self.layer))

    # -- named quantities (abbreviations the engine writes out) --
    def abbr(self, name: str, definition) -> sp.Symbol:
        """The symbol `name` standing for definition() (built once: Subs objects are costly to build)."""
        sym = sp.Symbol(name)
        if sym not in self.where:
            self.where[sym] = definition()
        if _RECORDING:  # the claim being built uses this abbreviation
            if _RECORDING[-1].setdefault(sym, self.where[sym]) != self.where[sym]:
                raise ValueError(f"{name} has two definitions in one claim")
        return sym

    def delta(self, m: int, k: int, name: str = "δ") -> sp.Symbol:
        """δ^m_k = ∂L/∂z^m_k (eq. 3.3): the loss as a function of z^m, differentiated, at z^m's value."""
        def build():
            zm, at = self.zsym[m], self.zval(m)
            d = sp.Derivative(self.loss_after(m, zm), zm[k - 1])
            return d if at == zm else sp.Subs(d, tuple(zm), tuple(at))

        return self.abbr(f"{name}^{m}_{{{k}}}", build)

    def sprime(self, m: int, j: int) -> sp.Symbol:
        """σ'(z^m_j), written as sympy.diff writes it."""
        u = self.zval(m)[j - 1]
        return self.abbr(f"σ'(z^{m}_{{{j}}})", lambda: sp.Derivative(_sigma(u), u) if u.is_Symbol
                         else sp.Subs(sp.Derivative(_sigma(_t), _t), _t, u))

    def act(self, m: int, k: int) -> sp.Symbol:
        """a^m_k: the free input of the a-form, else σ(z^m_k)."""
        if self.free == "a" and m == self.layer - 1:
            return self.asym[m][k - 1]
        return self.abbr(f"a^{m}_{{{k}}}", lambda: _sigma(self.zval(m)[k - 1]))

    def zname(self, m: int, j: int) -> sp.Symbol:
        """z^m_j as a named value (the free symbol itself in the z-form)."""
        v = self.zval(m)[j - 1]
        return v if v.is_Symbol else self.abbr(f"z^{m}_{{{j}}}", lambda: v)

    def dL_da(self, j: int) -> sp.Symbol:
        """∂L/∂a^L_j: L differentiated in its j-th argument, at a^L."""
        at = self.zval(self.L).applyfunc(_sigma)
        return self.abbr(f"∂L/∂a^{self.L}_{{{j}}}",
                         lambda: sp.Subs(sp.Derivative(_Loss(*self._out), self._out[j - 1]), tuple(self._out), tuple(at)))

    def dL(self, var: sp.Symbol) -> sp.Symbol:
        """∂L/∂var for a parameter (or any symbol) var."""
        return self.abbr(f"∂L/∂{var}", lambda: sp.Derivative(self.loss(), var))

    def inputs(self) -> set[sp.Symbol]:
        """The free symbols this form owns as variables (a^{layer-1} or z^layer)."""
        return set(self.asym[self.layer - 1] if self.free == "a" else self.zsym[self.layer])


_NETS: dict[tuple, _Net] = {}


def _network(sizes, free: str = "a", layer: int = 1) -> _Net:
    """One shared _Net per (sizes, form): each derivative object is built once for all claims."""
    key = (tuple(sizes), free, layer)
    if key not in _NETS:
        _NETS[key] = _Net(sizes, free, layer)
    return _NETS[key]


_RECORDING: list[dict[sp.Symbol, sp.Expr]] = []  # abbreviations asked for by the claim being built


def _exprs(steps, corrections) -> list:
    return [s.expr if isinstance(s, Step) else s for s in (*steps, *(corrections or {}).values())]


def _build(build) -> tuple[list, dict, dict]:
    """Run build() → (nets, steps[, corrections]), recording the abbreviations its lines use.

    Returns (steps, corrections, {"where": …, "domain": …}): exactly those abbreviations, and ℝ
    for every free symbol (an abbreviation never shares its name with a variable of the claim).
    """
    _RECORDING.append({})
    try:
        nets, steps, *rest = build()
    finally:
        where = _RECORDING.pop()
    corrections = rest[0] if rest else {}
    nets = [nets] if isinstance(nets, _Net) else list(nets)
    clash = set().union(*(net.inputs() for net in nets)) & set(where)
    if clash:
        raise ValueError(f"{sorted(map(str, clash))} are both variables and abbreviations")
    free: set[sp.Symbol] = set()
    for e in (*_exprs(steps, corrections), *where.values()):
        free |= e.free_symbols
    return steps, corrections, {"where": where, "domain": {s: _R for s in free - set(where)}}


def _register(cid: str, build, *, equation: str, section: str, title: str, scope: str, uses=()) -> None:
    """Declare claim `cid` from build() (see _build), at the caller's line."""
    steps, corrections, fields = _build(build)
    caller = sys._getframe(1)
    claim(cid, steps, equation=equation, section=section, title=title, corrections=corrections,
          uses=uses, scope=scope, source=f"{caller.f_code.co_filename}:{caller.f_lineno}", **fields)


# -- 3.1 and 3.2: the forward pass, element form and vector form (the whole network) --------------

def _eq31(sizes, part: str) -> tuple[_Net, list]:
    net = _network(sizes)
    L = net.L
    ls = range(1, L + 1)

    def elem(l, j):  # Σ_k w^l_{jk} a^{l-1}_k + b^l_j
        return sp.Add(*[net.w[l][j - 1, k - 1] * net.act(l - 1, k) for k in range(1, net.n(l - 1) + 1)]) + net.b[l][j - 1]

    each = lambda f: _stack([_col(f(l, j) for j in range(1, net.n(l) + 1)) for l in ls])  # noqa: E731
    z_lines = [Step(each(net.zname), latex=r"z_j^l"),
               Step(each(elem), latex=r"\sum_k w_{jk}^l a_k^{l-1} + b_j^l")]
    a_lines = [Step(each(net.act), latex=r"a_j^l"),
               Step(each(lambda l, j: _sigma(elem(l, j))), latex=r"\sigma(\sum_k w_{jk}^l a_k^{l-1} + b_j^l)"),
               Step(each(lambda l, j: _sigma(net.zname(l, j))), latex=r"\sigma(z_j^l)")]
    return net, {"z": z_lines, "a": a_lines}[part]


def _eq32(sizes, part: str) -> tuple[_Net, list]:
    net = _network(sizes)
    ls = range(1, net.L + 1)
    vec = lambda f, l: _col(f(l, j) for j in range(1, net.n(l) + 1))  # noqa: E731
    wab = lambda l: net.w[l] * vec(net.act, l - 1) + net.b[l]  # noqa: E731  w^l a^{l-1} + b^l
    z_lines = [Step(_stack([vec(net.zname, l) for l in ls]), latex=r"\vec{z^l}"),
               Step(_stack([wab(l) for l in ls]), latex=r"w^l \vec{a^{l-1}} + \vec{b^l}")]
    a_lines = [Step(_stack([vec(net.act, l) for l in ls]), latex=r"\vec{a^l}"),
               Step(_stack([wab(l).applyfunc(_sigma) for l in ls]), latex=r"\sigma(w^l \vec{a^{l-1}} + \vec{b^l})"),
               Step(_stack([vec(net.zname, l).applyfunc(_sigma) for l in ls]), latex=r"\sigma(\vec{z^l})")]
    return net, {"z": z_lines, "a": a_lines}[part]


# -- BP1 and 3.4: the output layer, z^L free ------------------------------------------------------

def _bp1(sizes) -> tuple[_Net, list]:
    L = len(sizes) - 1
    net = _network(sizes, free="z", layer=L)
    js = range(1, net.n(L) + 1)
    da_dz = {j: net.abbr(f"∂a^{L}_{{{j}}}/∂z^{L}_{{{j}}}", lambda j=j: sp.Derivative(_sigma(net.zsym[L][j - 1]), net.zsym[L][j - 1])) for j in js}
    return net, [
        Step(_col(net.delta(L, j) for j in js), latex=r"\delta_j^L"),
        Step(_col(net.delta(L, j, "∂L/∂z") for j in js), latex=r"\frac{\partial L}{\partial z_j^L}"),
        Step(_col(net.dL_da(j) * da_dz[j] for j in js), latex=r"\frac{\partial L}{\partial a_j^L} \frac{\partial a_j^L}{\partial z_j^L}"),
        Step(_col(net.dL_da(j) * net.sprime(L, j) for j in js), latex=r"\frac{\partial L}{\partial a_j^L} \sigma'(z_j^L)"),
    ]


# -- BP2 and 3.5: δ^l from δ^{l+1}, z^1 free ------------------------------------------------------
# BP2 is encoded at l = 1 with z^1 free and layers 2…L built on it.
#   Line 4 differentiates Σ_j w^{l+1}_{kj} σ(z^l_j) + b^l_k: the summation index j is reused for
#   the free j of ∂/∂z^l_j; it is read as the bound index it is (Σ_i w^{l+1}_{ki} σ(z^l_i)).
#   b^l_k stands where b^{l+1}_k belongs; it is encoded as printed — a symbol that ∂/∂z^l_j
#   treats as a constant — and the engine decides whether that changes the value.
#   Line 5 prints Σ_l where Σ_k is meant. Encoded literally, as a careful reader must take it:
#   l is the summation index, running over the layers the summand exists for (l = 1…L−1:
#   δ^{l+1} needs l + 1 ≤ L), and k, no longer summed, is free — the line must hold for every
#   k. So every line of the claim is a matrix over (j, k) (a line without k repeats along k),
#   k ≤ min(n_2, …, n_L) so that every term of the literal sum exists. At l = 1 every layer
#   that sum reaches lies above z^1, so the z^1-form is exact. The correction is the notes' own
#   FC-BP line: Σ_k δ^{l+1}_k w^{l+1}_{kj} σ'(z^l_j).

def _bp2(sizes) -> tuple[_Net, list, dict]:
    net = _network(sizes, free="z", layer=1)
    L, l = net.L, 1
    J, K, nk = net.n(1), min(net.n(m) for m in range(2, L + 1)), net.n(2)
    if any(net.n(m) < J for m in range(1, L)):
        raise ValueError(f"{sizes}: the literal Σ_l needs n_l ≥ n_1 on every hidden layer")
    z1 = net.zsym[1]
    dz = {(k, j): net.abbr(f"∂z^2_{{{k}}}/∂z^1_{{{j}}}", lambda k=k, j=j: sp.Derivative(net.zval(2)[k - 1], z1[j - 1]))
          for k in range(1, nk + 1) for j in range(1, J + 1)}

    def printed_dz(k, j):  # ∂(Σ_j w^{l+1}_{kj} σ(z^l_j) + b^l_k)/∂z^l_j, b^l_k as printed
        b_typo = _s("b", l, k)
        inner = sp.Add(*[net.w[2][k - 1, i - 1] * _sigma(z1[i - 1]) for i in range(1, J + 1)]) + b_typo
        return sp.Derivative(inner, z1[j - 1])

    jk = lambda f: _grid(J, K, f)  # noqa: E731
    sum_k = lambda f: sp.Add(*[f(k) for k in range(1, nk + 1)])  # noqa: E731
    lines = [
        Step(jk(lambda j, k: net.delta(1, j)), latex=r"\delta_j^l"),
        Step(jk(lambda j, k: net.delta(1, j, "∂L/∂z")), latex=r"\frac{\partial L}{\partial z_j^l}"),
        Step(jk(lambda j, _: sum_k(lambda k: net.delta(2, k, "∂L/∂z") * dz[k, j])),
             latex=r"\sum_k \frac{\partial L}{\partial z_k^{l+1}} \frac{\partial z_k^{l+1}}{\partial z_j^l}"),
        Step(jk(lambda j, _: sum_k(lambda k: net.delta(2, k) * dz[k, j])),
             latex=r"\sum_k \delta_k^{l+1} \frac{\partial z_k^{l+1}}{\partial z_j^l}"),
        Step(jk(lambda j, _: sum_k(lambda k: net.delta(2, k) * printed_dz(k, j))),
             latex=r"\sum_k \delta_k^{l+1} \frac{\partial \sum_j w_{kj}^{l+1} \sigma(z_j^l) + b_k^l}{\partial z_j^l}"),
        Step(jk(lambda j, k: sp.Add(*[net.delta(m + 1, k) * net.w[m + 1][k - 1, j - 1] * net.sprime(m, j) for m in range(1, L)])),
             latex=r"\sum_l \delta_k^{l+1} w_{kj}^{l+1} \sigma'(z_j^l)"),
    ]
    fix = Step(jk(lambda j, _: sum_k(lambda k: net.delta(2, k) * net.w[2][k - 1, j - 1] * net.sprime(1, j))),
               latex=r"\sum_k \delta_k^{l+1} w_{kj}^{l+1} \sigma'(z_j^l)")
    return net, lines, {5: fix}


# -- BP3, BP4, 3.6, 3.7: ∂L/∂w^l and ∂L/∂b^l, a^{l-1} free, every layer ---------------------------
# BP3's middle line differentiates Σ_k w^l_{jk} a^{l-1}_k + b^l_j by w^l_{jk}: the summation
# index k is reused for the free k; read as the bound index it is (Σ_i w^l_{ji} a^{l-1}_i).

def _per_layer(sizes, block) -> tuple[_Net, list]:
    """block(net, l) → list of line blocks, for each layer l in its own a-form; lines stacked."""
    nets = [_network(sizes, free="a", layer=l) for l in range(1, len(sizes))]
    blocks = [block(net, l) for l, net in enumerate(nets, start=1)]
    lines = []
    for i in range(len(blocks[0])):
        parts = [b[i] for b in blocks]
        latex = parts[0].latex if isinstance(parts[0], Step) else None
        lines.append(Step(_stack([p.expr if isinstance(p, Step) else p for p in parts]), latex=latex))
    return nets, lines


def _bp3_block(net: _Net, l: int) -> list:
    rows, cols = net.n(l), net.n(l - 1)
    jk = lambda f: _grid(rows, cols, f)  # noqa: E731
    dz_dw = lambda j, k: net.abbr(f"∂z^{l}_{{{j}}}/∂w^{l}_{{{_idx(j, k)}}}", lambda: sp.Derivative(net.zval(l)[j - 1], net.w[l][j - 1, k - 1]))  # noqa: E731
    printed = lambda j, k: sp.Derivative(  # noqa: E731
        sp.Add(*[net.w[l][j - 1, i - 1] * net.act(l - 1, i) for i in range(1, cols + 1)]) + net.b[l][j - 1], net.w[l][j - 1, k - 1])
    return [
        Step(jk(lambda j, k: net.dL(net.w[l][j - 1, k - 1])), latex=r"\frac{\partial L}{\partial w_{jk}^l}"),
        Step(jk(lambda j, k: net.delta(l, j, "∂L/∂z") * dz_dw(j, k)), latex=r"\frac{\partial L}{\partial z_j^l} \frac{\partial z_j^l}{\partial w_{jk}^l}"),
        Step(jk(lambda j, k: net.delta(l, j, "∂L/∂z") * printed(j, k)),
             latex=r"\frac{\partial L}{\partial z_j^l} \frac{\partial \sum_k w_{jk}^l a_k^{l-1} + b_j^l}{\partial w_{jk}^l}"),
        Step(jk(lambda j, k: net.delta(l, j, "∂L/∂z") * net.act(l - 1, k)), latex=r"\frac{\partial L}{\partial z_j^l} a_k^{l-1}"),
        Step(jk(lambda j, k: net.delta(l, j) * net.act(l - 1, k)), latex=r"\delta_j^l a_k^{l-1}"),
    ]


def _bp4_block(net: _Net, l: int) -> list:
    js = range(1, net.n(l) + 1)
    each = lambda f: _col(f(j) for j in js)  # noqa: E731
    dz_db = lambda j: net.abbr(f"∂z^{l}_{{{j}}}/∂b^{l}_{{{j}}}", lambda: sp.Derivative(net.zval(l)[j - 1], net.b[l][j - 1]))  # noqa: E731
    printed = lambda j: sp.Derivative(  # noqa: E731
        sp.Add(*[net.w[l][j - 1, k - 1] * net.act(l - 1, k) for k in range(1, net.n(l - 1) + 1)]) + net.b[l][j - 1], net.b[l][j - 1])
    return [
        Step(each(lambda j: net.dL(net.b[l][j - 1])), latex=r"\frac{\partial L}{\partial b_j^l}"),
        Step(each(lambda j: net.delta(l, j, "∂L/∂z") * dz_db(j)), latex=r"\frac{\partial L}{\partial z_j^l} \frac{\partial z_j^l}{\partial b_j^l}"),
        Step(each(lambda j: net.delta(l, j, "∂L/∂z") * printed(j)),
             latex=r"\frac{\partial L}{\partial z_j^l} \frac{\partial \sum_k w_{jk}^l a_k^{l-1} + b_j^l}{\partial b_j^l}"),
        Step(each(lambda j: net.delta(l, j, "∂L/∂z")), latex=r"\frac{\partial L}{\partial z_j^l}"),
        Step(each(lambda j: net.delta(l, j)), latex=r"\delta_j^l"),
    ]


# 3.6 prints ∂L/∂n^l where ∂L/∂w^l is meant. Encoded as printed: n^l is a matrix of fresh
# variables (the notes define no n^l), and L does not depend on them, so ∂L/∂n^l = 0. Line 0 is
# what 3.6 puts in matrix form: BP3's result δ^l_j a^{l-1}_k (so the wrong line is line 1).
def _eq36_block(net: _Net, l: int) -> list:
    rows, cols = net.n(l), net.n(l - 1)
    n_l = _grid(rows, cols, lambda j, k: _s("n", l, j, k))
    delta = _col(net.delta(l, j) for j in range(1, rows + 1))
    a_prev = _col(net.act(l - 1, k) for k in range(1, cols + 1))
    return [
        Step(_grid(rows, cols, lambda j, k: net.delta(l, j) * net.act(l - 1, k)), latex=r"\delta_j^l a_k^{l-1} \ \text{(BP3)}"),
        Step(n_l.applyfunc(net.dL), latex=r"\frac{\partial L}{\partial n^l}"),
        Step(delta * a_prev.T, latex=r"\vec{\delta^l} (\vec{a^{l-1}})^T"),
    ]


def _eq36(sizes) -> tuple[list, list, dict]:
    nets, steps = _per_layer(sizes, _eq36_block)
    fix = Step(_stack([net.w[l].applyfunc(net.dL) for l, net in enumerate(nets, start=1)]), latex=r"\frac{\partial L}{\partial w^l}")
    return nets, steps, {1: fix}


# -- the four equations stated on their own: 3.4, 3.5, 3.7 and FC-BP, 3.8 (element / matrix form) --

def _out_eq(sizes, matrix: bool) -> tuple[_Net, list]:
    """δ^L = ∂L/∂a^L ⊗ σ'(z^L) (3.4, first line of FC-BP / 3.8), z^L free."""
    L = len(sizes) - 1
    net = _network(sizes, free="z", layer=L)
    js = range(1, net.n(L) + 1)
    if matrix:
        rhs = Step(sp.matrix_multiply_elementwise(_col(net.dL_da(j) for j in js), _col(net.sprime(L, j) for j in js)),
                   latex=r"\nabla_{\vec{a^L}} L \otimes \sigma'(\vec{z^L})")
    else:
        rhs = Step(_col(net.dL_da(j) * net.sprime(L, j) for j in js), latex=r"\frac{\partial L}{\partial a_j^L} \sigma'(z_j^L)")
    return net, [Step(_col(net.delta(L, j) for j in js), latex=r"\vec{\delta^L}" if matrix else r"\delta_j^L"), rhs]


def _hidden_eq(sizes, matrix: bool) -> tuple[_Net, list]:
    """δ^l = ((w^{l+1})^T δ^{l+1}) ⊗ σ'(z^l) (3.5, second line of FC-BP / 3.8) for every hidden l, z^1 free."""
    net = _network(sizes, free="z", layer=1)
    hidden = range(1, net.L)
    vec = lambda f, l: _col(f(l, j) for j in range(1, net.n(l) + 1))  # noqa: E731
    if matrix:
        rhs = Step(_stack([sp.matrix_multiply_elementwise(net.w[l + 1].T * vec(net.delta, l + 1), vec(net.sprime, l)) for l in hidden]),
                   latex=r"((\vec{w^{l+1}})^T \vec{\delta^{l+1}}) \otimes \sigma'(\vec{z^l})")
    else:
        rhs = Step(_stack([_col(sp.Add(*[net.delta(l + 1, k) * net.w[l + 1][k - 1, j - 1] for k in range(1, net.n(l + 1) + 1)])
                                * net.sprime(l, j) for j in range(1, net.n(l) + 1)) for l in hidden]),
                   latex=r"\sum_k \delta_k^{l+1} w_{kj}^{l+1} \sigma'(z_j^l)")
    return net, [Step(_stack([vec(net.delta, l) for l in hidden]), latex=r"\vec{\delta^l}" if matrix else r"\delta_j^l"), rhs]


def _weight_block(matrix: bool):
    """∂L/∂w^l = δ^l (a^{l-1})^T (third line of FC-BP / 3.8), layer l in its a-form."""
    def block(net: _Net, l: int) -> list:
        rows, cols = net.n(l), net.n(l - 1)
        if matrix:
            rhs = Step(_col(net.delta(l, j) for j in range(1, rows + 1)) * _col(net.act(l - 1, k) for k in range(1, cols + 1)).T,
                       latex=r"\vec{\delta^l} (\vec{a^{l-1}})^T")
            return [Step(net.w[l].applyfunc(net.dL), latex=r"\frac{\partial L}{\partial w^l}"), rhs]
        return [Step(_grid(rows, cols, lambda j, k: net.dL(net.w[l][j - 1, k - 1])), latex=r"\frac{\partial L}{\partial w_{jk}^l}"),
                Step(_grid(rows, cols, lambda j, k: net.delta(l, j) * net.act(l - 1, k)), latex=r"\delta_j^l a_k^{l-1}")]
    return block


def _bias_block(matrix: bool):
    """∂L/∂b^l = δ^l (3.7, fourth line of FC-BP / 3.8), layer l in its a-form."""
    def block(net: _Net, l: int) -> list:
        js = range(1, net.n(l) + 1)
        return [Step(_col(net.dL(net.b[l][j - 1]) for j in js), latex=r"\frac{\partial L}{\partial \vec{b^l}}" if matrix else r"\frac{\partial L}{\partial b_j^l}"),
                Step(_col(net.delta(l, j) for j in js), latex=r"\vec{\delta^l}" if matrix else r"\delta_j^l")]
    return block


# -- the catalogue ----------------------------------------------------------------------------------
# Sizes: two 2-layer shapes and a 3-layer one (for δ^l across layers). BP1/3.4 only see the output
# layer (z^L free), so their second shape widens it instead (3→4→3: n_L = 3).
_A, _B, _C, _OUT3 = (2, 3, 2), (3, 4, 2), (2, 3, 3, 2), (3, 4, 3)


def _scope(sizes, how: str) -> str:
    return f"{_arrow(sizes)} network, {how}; {_ANY}"


def _out_scope(sizes) -> str:
    return _scope(sizes, f"output layer (n_L = {sizes[-1]}) with z^L free, so any layers below")


_EVERY_LAYER = "every layer l with a^{l-1} free"
_HIDDEN = "every hidden layer l, z^1 free"

for _sz in (_A, _B):
    _register(f"3.1:z:{_tag(_sz)}", lambda: _eq31(_sz, "z"), equation="3.1", section=_SEC_31,
              title="z^l_j = Σ_k w^l_jk a^{l-1}_k + b^l_j (the forward pass, element form)", scope=_scope(_sz, "every l, j"))
    _register(f"3.1:a:{_tag(_sz)}", lambda: _eq31(_sz, "a"), equation="3.1", section=_SEC_31,
              title="a^l_j = σ(Σ_k w^l_jk a^{l-1}_k + b^l_j) = σ(z^l_j)", scope=_scope(_sz, "every l, j"))
    _register(f"3.2:z:{_tag(_sz)}", lambda: _eq32(_sz, "z"), equation="3.2", section=_SEC_31,
              title="z^l = w^l a^{l-1} + b^l (vector form)", scope=_scope(_sz, "every l"))
    _register(f"3.2:a:{_tag(_sz)}", lambda: _eq32(_sz, "a"), equation="3.2", section=_SEC_31,
              title="a^l = σ(w^l a^{l-1} + b^l) = σ(z^l) (vector form)", scope=_scope(_sz, "every l"))

for _sz in (_A, _OUT3):
    _register(f"BP1:{_tag(_sz)}", lambda: _bp1(_sz), equation="BP1", section=_SEC_31,
              title="δ^L_j = ∂L/∂a^L_j σ'(z^L_j): the error of the output layer", scope=_out_scope(_sz))
    _register(f"3.4:{_tag(_sz)}", lambda: _out_eq(_sz, matrix=True), equation="3.4", section=_SEC_31,
              uses=[f"BP1:{_tag(_sz)}"], title="δ^L = ∇_a L ⊗ σ'(z^L) (matrix form of BP1)", scope=_out_scope(_sz))

for _sz in (_A, _B, _C):
    _register(f"BP2:{_tag(_sz)}", lambda: _bp2(_sz), equation="BP2", section=_SEC_31,
              title="δ^l from δ^{l+1}, element form (at l = 1)", scope=_scope(_sz, "l = 1 with z^1 free, every (j, k)"))
    _register(f"3.5:{_tag(_sz)}", lambda: _hidden_eq(_sz, matrix=True), equation="3.5", section=_SEC_31,
              uses=[f"BP2:{_tag(_sz)}"], title="δ^l = ((w^{l+1})^T δ^{l+1}) ⊗ σ'(z^l) (matrix form of BP2)",
              scope=_scope(_sz, _HIDDEN))

for _sz in (_A, _B):
    _register(f"BP3:{_tag(_sz)}", lambda: _per_layer(_sz, _bp3_block), equation="BP3", section=_SEC_31,
              title="∂L/∂w^l_jk = δ^l_j a^{l-1}_k", scope=_scope(_sz, _EVERY_LAYER + ", every (j, k)"))
    _register(f"3.6:{_tag(_sz)}", lambda: _eq36(_sz), equation="3.6", section=_SEC_31, uses=[f"BP3:{_tag(_sz)}"],
              title="∂L/∂w^l = δ^l (a^{l-1})^T (matrix form of BP3; printed ∂L/∂n^l)", scope=_scope(_sz, _EVERY_LAYER))
    _register(f"BP4:{_tag(_sz)}", lambda: _per_layer(_sz, _bp4_block), equation="BP4", section=_SEC_31,
              title="∂L/∂b^l_j = δ^l_j", scope=_scope(_sz, _EVERY_LAYER + ", every j"))
    _register(f"3.7:{_tag(_sz)}", lambda: _per_layer(_sz, _bias_block(matrix=True)), equation="3.7", section=_SEC_31,
              uses=[f"BP4:{_tag(_sz)}"], title="∂L/∂b^l = δ^l (matrix form of BP4)", scope=_scope(_sz, _EVERY_LAYER))

# FC-BP and 3.8 restate the four equations (element form, matrix form): one claim per printed line.
_SYSTEM = (
    ("1", "δ^L", (_A, _OUT3), lambda sz, m: _out_eq(sz, m), _out_scope),
    ("2", "δ^l", (_A, _B, _C), lambda sz, m: _hidden_eq(sz, m), lambda sz: _scope(sz, _HIDDEN)),
    ("3", "∂L/∂w^l", (_A, _B), lambda sz, m: _per_layer(sz, _weight_block(m)), lambda sz: _scope(sz, _EVERY_LAYER)),
    ("4", "∂L/∂b^l", (_A, _B), lambda sz, m: _per_layer(sz, _bias_block(m)), lambda sz: _scope(sz, _EVERY_LAYER)),
)
for _eq, _matrix, _form in (("FC-BP", False, "element form"), ("3.8", True, "matrix form")):
    for _line, _what, _sizes, _builder, _sc in _SYSTEM:
        for _sz in _sizes:
            _register(f"{_eq}:{_line}:{_tag(_sz)}", lambda: _builder(_sz, _matrix), equation=_eq, section=_SEC_321,
                      title=f"line {_line} of {_eq}: {_what} ({_form})", scope=_sc(_sz))


# -- numeric tier: the oracle above at realistic sizes, against central finite differences --------
# The oracle (`forward`, `loss`, `deltas`, `gradients`) implements 3.2 and BP1–BP4 in matrix form
# (3.8, with L = ½ Σ_batch ‖a^L − y‖²). Here it meets central differences of the loss at
# 300→200→100, batch 8, float64, everything vectorized: a stack of perturbed parameter sets goes
# through one batched forward pass (`_forward_stack`, itself checked against `forward` in
# 3.2:oracle), so no Python loop runs over entries or directions.
# Step and tolerances: with h the step along a unit direction, the central difference is off by
# truncation h²|L'''|/6 plus round-off ≈ ε|L|/h (ε = 2.2e-16; |L| ≤ 250 here; the sum over the
# 800 outputs costs a few ε more). h = 1e-5 balances them (measured worst errors: 3e-9 absolute for
# sigmoid, 2e-8 for tanh, both directional and per entry; h = 1e-6 is 10× worse, round-off-bound),
# so atol = 1e-7 and rtol = 1e-5 leave a 5× margin. A wrong formula (a missing σ', a transposed
# w) is off by the size of the gradient itself (1e-3 … 1), far beyond the 1000× margin the engine
# needs to call a line refuted.
_NUM_SIZES = (300, 200, 100)
_BATCH = 8
_H = 1e-5
_RTOL, _ATOL = 1e-5, 1e-7
_DIRECTIONS = 16  # random unit directions per directional check
_ENTRIES = 16  # random entries per parameter array per entry check


def _net_data(rng: np.random.Generator, activation: str, sizes=_NUM_SIZES, batch: int = _BATCH) -> dict:
    """Weights ~ N(0, 1/n_in), biases ~ N(0, 0.01), x ~ N(0, 1), targets in σ's range."""
    ws = [rng.standard_normal((n, m)) / np.sqrt(m) for m, n in zip(sizes, sizes[1:])]
    bs = [0.1 * rng.standard_normal(n) for n in sizes[1:]]
    x = rng.standard_normal((batch, sizes[0]))
    lo = 0.0 if activation == "sigmoid" else -1.0
    y = rng.uniform(lo, 1.0, (batch, sizes[-1]))
    return {"weights": ws, "biases": bs, "x": x, "y": y, "activation": activation}


def _forward_stack(weights, biases, x, activation, start: int = 0, z_start=None):
    """z^l and a^l for a stack of m parameter sets at once.

    weights[l] is (n_{l+1}, n_l) (shared) or (m, n_{l+1}, n_l); biases likewise with (n,) or (m, n);
    x is (batch, n_0). With z_start (m, batch, n_start) the pass starts at layer `start` + 1's
    weighted input instead (layers below are skipped). Returns lists of (m, batch, n) arrays.
    """
    f, _ = ACTIVATIONS[activation]
    zs, acts = [], []
    if z_start is None:
        a = np.asarray(x, dtype=np.float64)[None]
        layers = range(len(weights))
    else:
        zs.append(z_start)
        a = f(z_start)
        acts.append(a)
        layers = range(start + 1, len(weights))
    for l in layers:
        w, b = weights[l], biases[l]
        w = w if w.ndim == 3 else w[None]
        b = b if b.ndim == 2 else b[None]
        z = a @ np.swapaxes(w, -1, -2) + b[:, None, :]
        a = f(z)
        zs.append(z)
        acts.append(a)
    return zs, acts


def _stack_loss(acts, y) -> np.ndarray:
    r = acts[-1] - y
    return 0.5 * np.einsum("mbi,mbi->m", r, r)


def _perturbed(params, directions, h):
    """params ± h·v for every direction: two lists of (m, *shape) stacks."""
    return ([p[None] + h * v for p, v in zip(params, directions)],
            [p[None] - h * v for p, v in zip(params, directions)])


def _unit_directions(rng: np.random.Generator, shapes, m: int) -> list[np.ndarray]:
    """m random directions in the space of all parameters together, each of unit norm."""
    vs = [rng.standard_normal((m, *s)) for s in shapes]
    norm = np.sqrt(sum((v.reshape(m, -1) ** 2).sum(axis=1) for v in vs))
    return [v / norm.reshape((m,) + (1,) * (v.ndim - 1)) for v in vs]


# 3.2 (and 3.1): the oracle's forward pass against the element form and against _forward_stack.
def _fw_oracle(weights, biases, x, y, activation, **_):
    fw = forward(weights, biases, x, activation)
    out = [v for pair in zip(fw.zs, fw.activations[1:]) for v in pair]
    return (*out, np.asarray(loss(weights, biases, x, y, activation)))


def _fw_element(weights, biases, x, y, activation, **_):
    f, _ = ACTIVATIONS[activation]
    a, out = x, []
    for w, b in zip(weights, biases):
        z = np.einsum("jk,bk->bj", w, a) + b  # z^l_j = Σ_k w^l_jk a^{l-1}_k + b^l_j (3.1)
        a = f(z)
        out += [z, a]
    return (*out, np.asarray(0.5 * np.sum((a - y) ** 2)))


def _fw_stacked(weights, biases, x, y, activation, **_):
    zs, acts = _forward_stack(weights, biases, x, activation)
    out = [v[0] for pair in zip(zs, acts) for v in pair]
    return (*out, _stack_loss(acts, y)[0])


# 3.3: δ^l = ∂L/∂z^l — `deltas` against central differences in z^l, along random unit directions.
def _deltas_oracle(weights, biases, x, y, activation, zdirs, **_):
    ds = deltas(weights, biases, x, y, activation)
    return tuple(np.einsum("mbj,bj->m", v, d) for v, d in zip(zdirs, ds))


def _deltas_fd(weights, biases, x, y, activation, zdirs, **_):
    zs = forward(weights, biases, x, activation).zs
    out = []
    for l, (z, v) in enumerate(zip(zs, zdirs)):  # one batched pass per layer
        lp = _stack_loss(_forward_stack(weights, biases, x, activation, l, z[None] + _H * v)[1], y)
        lm = _stack_loss(_forward_stack(weights, biases, x, activation, l, z[None] - _H * v)[1], y)
        out.append((lp - lm) / (2 * _H))
    return tuple(out)


# 3.8: `gradients` against central differences of the loss — along random unit directions …
def _grad_directional(weights, biases, x, y, activation, directions, **_):
    dw, db = gradients(weights, biases, x, y, activation)
    return sum(v.reshape(len(v), -1) @ g.ravel() for v, g in zip(directions, (*dw, *db)))


def _fd_directional(weights, biases, x, y, activation, directions, **_):
    n = len(weights)
    plus, minus = _perturbed((*weights, *biases), directions, _H)
    lp = _stack_loss(_forward_stack(plus[:n], plus[n:], x, activation)[1], y)
    lm = _stack_loss(_forward_stack(minus[:n], minus[n:], x, activation)[1], y)
    return (lp - lm) / (2 * _H)


# … and entry by entry on a random subset (a mismatch names its array and (j, k)).
def _grad_entries(weights, biases, x, y, activation, entries, **_):
    dw, db = gradients(weights, biases, x, y, activation)
    out = []
    for g, idx in zip((*dw, *db), entries):
        masked = np.zeros_like(g)
        masked.flat[idx] = g.flat[idx]
        out.append(masked)
    return tuple(out)


def _fd_entries(weights, biases, x, y, activation, entries, **_):
    n = len(weights)
    params = [np.asarray(p, dtype=np.float64) for p in (*weights, *biases)]
    out = []
    for i, (p, idx) in enumerate(zip(params, entries)):  # one batched pass per parameter array
        basis = np.zeros((idx.size, p.size))
        basis[np.arange(idx.size), idx] = 1.0
        values = []
        for sign in (1.0, -1.0):
            stack = p.reshape(1, -1) + sign * _H * basis
            ps = list(params)
            ps[i] = stack.reshape((idx.size, *p.shape))
            values.append(_stack_loss(_forward_stack(ps[:n], ps[n:], x, activation)[1], y))
        fd = np.zeros_like(p)
        fd.flat[idx] = (values[0] - values[1]) / (2 * _H)
        out.append(fd)
    return tuple(out)


def _inputs_forward(rng):
    return _net_data(rng, "sigmoid")


def _inputs_deltas(activation):
    def draw(rng):
        data = _net_data(rng, activation)
        shapes = [(_BATCH, n) for n in _NUM_SIZES[1:]]
        data["zdirs"] = [_unit_directions(rng, [s], _DIRECTIONS)[0] for s in shapes]
        return data
    return draw


def _inputs_directional(activation):
    def draw(rng):
        data = _net_data(rng, activation)
        shapes = [w.shape for w in data["weights"]] + [b.shape for b in data["biases"]]
        data["directions"] = _unit_directions(rng, shapes, _DIRECTIONS)
        return data
    return draw


def _inputs_entries(activation):
    def draw(rng):
        data = _net_data(rng, activation)
        arrays = (*data["weights"], *data["biases"])
        data["entries"] = [rng.choice(a.size, size=min(_ENTRIES, a.size), replace=False) for a in arrays]
        return data
    return draw


_NTAG = _tag(_NUM_SIZES)
_NSCOPE = f"{_arrow(_NUM_SIZES)} network, batch {_BATCH}, float64, seeded random parameters"

claim(f"3.2:oracle:{_NTAG}",
      [Numeric(_fw_oracle, label="forward(...) and loss(...): the oracle (3.2, matrix form)"),
       Numeric(_fw_element, label="z^l_j = Σ_k w^l_jk a^{l-1}_k + b^l_j, a^l_j = σ(z^l_j) (3.1, element form, einsum)"),
       Numeric(_fw_stacked, label="_forward_stack (the batched pass the finite differences use)")],
      inputs=_inputs_forward, rtol=1e-12, atol=1e-12,  # summation order only: ~1e-15 relative
      equation="3.2", section=_SEC_31, title="the oracle's forward pass is 3.1/3.2 (sigmoid)",
      scope=_NSCOPE + ", sigmoid")
for _act in ("sigmoid", "tanh"):
    claim(f"3.3:oracle:{_act}:{_NTAG}",
          [Numeric(_deltas_oracle, label="⟨deltas(...), v⟩ (BP1, BP2 in matrix form)"),
           Numeric(_deltas_fd, label="(L(z^l + hv) − L(z^l − hv)) / 2h (3.3: δ^l = ∂L/∂z^l)")],
          inputs=_inputs_deltas(_act), rtol=_RTOL, atol=_ATOL,
          equation="3.3", section=_SEC_31, title=f"the oracle's δ^l is ∂L/∂z^l ({_act})",
          scope=_NSCOPE + f", {_act}, {_DIRECTIONS} random unit directions per layer")
    claim(f"3.8:oracle:{_act}:{_NTAG}",
          [Numeric(_grad_directional, label="⟨gradients(...), v⟩ (3.8: BP1–BP4, matrix form)"),
           Numeric(_fd_directional, label="(L(θ + hv) − L(θ − hv)) / 2h")],
          inputs=_inputs_directional(_act), rtol=_RTOL, atol=_ATOL,
          equation="3.8", section=_SEC_321, title=f"the oracle's gradient is ∇L: directional derivatives ({_act})",
          scope=_NSCOPE + f", {_act}, {_DIRECTIONS} random unit directions in all parameters")
    claim(f"3.8:oracle-entries:{_act}:{_NTAG}",
          [Numeric(_grad_entries, label="gradients(...) at sampled entries (3.8)"),
           Numeric(_fd_entries, label="(L(θ + h e_i) − L(θ − h e_i)) / 2h at the same entries")],
          inputs=_inputs_entries(_act), rtol=_RTOL, atol=_ATOL,
          equation="3.8", section=_SEC_321, title=f"the oracle's gradient is ∇L: sampled entries ({_act})",
          scope=_NSCOPE + f", {_act}, {_ENTRIES} random entries of each of w^1, w^2, b^1, b^2")
