"""One dense layer in index notation, every width symbolic (sections 3.1, 3.2.1): BP1–BP4 for any
widths and any layer l.

    z^{l+1}_k = Σ_{i=1}^{n_l} w^{l+1}_{ki} σ(z^l_i) + b^{l+1}_k,      a^l_i = σ(z^l_i)

σ is undefined. The loss enters only through its first derivatives at the point, a free upstream
gradient per unit (∂L/∂a^L_k, or δ^{l+1}_k = ∂L/∂z^{l+1}_k): a first derivative of L ∘ (layers)
depends on L only through them (chain rule), so L = Σ_k (∂L/∂u_k) u_k is as general as any
differentiable loss — the same reading as the batch-norm graph (L = Σ_j g_j y_j).

The free unit indices are symbols below their widths: a width n that holds the free index j is
n = j + r with r ≥ 0 (so 1 ≤ j ≤ n for every j and n), printed n through a `where` abbreviation.
The layer l is a label: nothing depends on which layer it is.
"""
from __future__ import annotations

import sympy as sp
from sympy import Derivative, Sum

from verifier import Generic, Step

from . import sigma

_t = sp.Symbol("t")  # bound in Subs(Derivative(σ(t), t), t, u) = σ'(u)


def _int(name: str) -> sp.Symbol:
    return sp.Symbol(name, integer=True)


class AnyWidthLayer:
    """The symbols of one layer pair l → l+1 (and of the output layer L) at symbolic widths."""

    def __init__(self) -> None:
        self.j, self.k = _int("j"), _int("k")  # free unit indices (j in layer l, k in layer l−1)
        self.i, self.q = _int("i"), _int("q")  # summation indices
        self.r_j, self.r_k = _int("r_j"), _int("r_k")  # n_l = j + r_j, n_{l−1} = k + r_k
        self.n_l, self.n_prev, self.n_next = sp.Symbol("n_l"), sp.Symbol("n_{l-1}"), _int("n_{l+1}")
        self.n_L = sp.Symbol("n_L")
        self.z, self.z_next = sp.IndexedBase("z^l"), sp.IndexedBase("z^{l+1}")
        self.zL = sp.IndexedBase("z^L")
        self.a_prev = sp.IndexedBase("a^{l-1}")
        self.w, self.w_next = sp.IndexedBase("w^l"), sp.IndexedBase("w^{l+1}")
        self.b, self.b_next, self.b_typo = sp.IndexedBase("b^l"), sp.IndexedBase("b^{l+1}"), sp.IndexedBase("b^l")
        self.dL_da = sp.IndexedBase("∂L/∂a^L")  # upstream gradients of the output layer
        self.delta_next = sp.IndexedBase("δ^{l+1}")  # δ^{l+1}_k = ∂L/∂z^{l+1}_k (eq. 3.3), upstream
        self.delta_l = sp.IndexedBase("δ^l")  # δ^l_j = ∂L/∂z^l_j, upstream of ∂L/∂w^l and ∂L/∂b^l
        self.widths = {self.n_l: self.j + self.r_j, self.n_prev: self.k + self.r_k, self.n_L: self.j + self.r_j}
        self.domain = {self.j: (1, sp.oo), self.k: (1, sp.oo), self.r_j: (0, sp.oo), self.r_k: (0, sp.oo),
                       self.n_next: (1, sp.oo), self.i: (1, sp.oo), self.q: (1, sp.oo)}

    @staticmethod
    def sprime(u: sp.Expr) -> sp.Expr:
        """σ'(u) as sympy.diff writes it."""
        return sp.Subs(Derivative(sigma(_t), _t), _t, u)

    def z_next_of(self, k: sp.Expr) -> sp.Expr:
        """z^{l+1}_k = Σ_i w^{l+1}_{ki} σ(z^l_i) + b^{l+1}_k (eq. 3.1)."""
        return Sum(self.w_next[k, self.i] * sigma(self.z[self.i]), (self.i, 1, self.n_l)) + self.b_next[k]

    def z_of(self, j: sp.Expr) -> sp.Expr:
        """z^l_j = Σ_i w^l_{ji} a^{l−1}_i + b^l_j, a^{l−1} free (it does not depend on w^l, b^l)."""
        return Sum(self.w[j, self.i] * self.a_prev[self.i], (self.i, 1, self.n_prev)) + self.b[j]

    def loss_output(self) -> sp.Expr:
        """L through the output layer: Σ_q ∂L/∂a^L_q σ(z^L_q)."""
        return Sum(self.dL_da[self.q] * sigma(self.zL[self.q]), (self.q, 1, self.n_L))

    def loss_next(self) -> sp.Expr:
        """L through layer l+1: Σ_q δ^{l+1}_q z^{l+1}_q, with z^{l+1} built on z^l."""
        return Sum(self.delta_next[self.q] * self.z_next_of(self.q), (self.q, 1, self.n_next))

    def loss_layer(self) -> sp.Expr:
        """L through layer l in its a-form: Σ_q δ^l_q z^l_q."""
        return Sum(self.delta_l[self.q] * self.z_of(self.q), (self.q, 1, self.n_l))

    def fields(self, names: dict, steps: list, corrections: dict | None = None) -> dict:
        """steps, where (the named derivatives and widths), domain and corrections of one claim."""
        where = {**names, **self.widths}
        used = set().union(*(s.expr.free_symbols if isinstance(s, Step) else s.free_symbols for s in [*steps, *(corrections or {}).values()]))
        used |= set().union(*(v.free_symbols for v in names.values()))
        where = {k: v for k, v in where.items() if k in used}
        used |= set().union(*(v.free_symbols for v in where.values()))
        domain = {s: iv for s, iv in self.domain.items() if s in used}
        # the layers' values (z, w, b, a, the upstream gradients): any reals, no expectation is taken
        bases = {x.base for e in [*where.values(), *(s.expr if isinstance(s, Step) else s for s in steps)] for x in e.atoms(sp.Indexed)}
        random = {base: Generic(str(base)) for base in sorted(bases, key=str)}
        return {"steps": steps, "where": where, "domain": domain, "random": random, "corrections": corrections or {}}


def bp1(layer: AnyWidthLayer) -> dict:
    """BP1 at the output layer L of any width n_L ≥ j: δ^L_j = ∂L/∂a^L_j σ'(z^L_j)."""
    j, zL = layer.j, layer.zL
    delta, dLdz = sp.Symbol("δ^L_j"), sp.Symbol("∂L/∂z^L_j")
    da_dz = sp.Symbol("∂a^L_j/∂z^L_j")
    names = {delta: Derivative(layer.loss_output(), zL[j]), dLdz: Derivative(layer.loss_output(), zL[j]),
             da_dz: Derivative(sigma(zL[j]), zL[j])}
    steps = [
        Step(delta, latex=r"\delta_j^L"),
        Step(dLdz, latex=r"\frac{\partial L}{\partial z_j^L}"),
        Step(layer.dL_da[j] * da_dz, latex=r"\frac{\partial L}{\partial a_j^L} \frac{\partial a_j^L}{\partial z_j^L}"),
        Step(layer.dL_da[j] * layer.sprime(zL[j]), latex=r"\frac{\partial L}{\partial a_j^L} \sigma'(z_j^L)"),
    ]
    return layer.fields(names, steps)


def bp2(layer: AnyWidthLayer) -> dict:
    """BP2 at any hidden layer l, z^l free, widths n_l ≥ j and n_{l+1} ≥ 1: δ^l_j = Σ_k δ^{l+1}_k
    w^{l+1}_{kj} σ'(z^l_j). Lines 0–4 as printed (b^l_k for b^{l+1}_k: a constant either way); the
    printed Σ_l of the last line is the claims BP2:<sizes>' erratum, here the corrected line."""
    j, q, i, z = layer.j, layer.q, layer.i, layer.z
    delta, dLdz = sp.Symbol("δ^l_j"), sp.Symbol("∂L/∂z^l_j")
    dz = sp.Symbol("∂z^{l+1}_k/∂z^l_j")
    names = {delta: Derivative(layer.loss_next(), z[j]), dLdz: Derivative(layer.loss_next(), z[j])}
    each_k = lambda f: Sum(f, (q, 1, layer.n_next))  # noqa: E731
    dz_k = Derivative(layer.z_next_of(q), z[j])
    printed = Derivative(Sum(layer.w_next[q, i] * sigma(z[i]), (i, 1, layer.n_l)) + layer.b_typo[q], z[j])
    steps = [
        Step(delta, latex=r"\delta_j^l"),
        Step(dLdz, latex=r"\frac{\partial L}{\partial z_j^l}"),
        Step(each_k(layer.delta_next[q] * dz_k), latex=r"\sum_k \frac{\partial L}{\partial z_k^{l+1}} \frac{\partial z_k^{l+1}}{\partial z_j^l}"),
        Step(each_k(layer.delta_next[q] * dz_k), latex=r"\sum_k \delta_k^{l+1} \frac{\partial z_k^{l+1}}{\partial z_j^l}"),
        Step(each_k(layer.delta_next[q] * printed), latex=r"\sum_k \delta_k^{l+1} \frac{\partial \sum_j w_{kj}^{l+1} \sigma(z_j^l) + b_k^l}{\partial z_j^l}"),
        Step(each_k(layer.delta_next[q] * layer.w_next[q, j] * layer.sprime(z[j])), latex=r"\sum_k \delta_k^{l+1} w_{kj}^{l+1} \sigma'(z_j^l)"),
    ]
    del dz
    return layer.fields(names, steps)


def bp3(layer: AnyWidthLayer) -> dict:
    """BP3 at any layer l, a^{l−1} free, widths n_l ≥ j, n_{l−1} ≥ k: ∂L/∂w^l_{jk} = δ^l_j a^{l−1}_k."""
    j, k, i, w = layer.j, layer.k, layer.i, layer.w
    dLdw = sp.Symbol("∂L/∂w^l_jk")
    dz_dw = sp.Symbol("∂z^l_j/∂w^l_jk")
    names = {dLdw: Derivative(layer.loss_layer(), w[j, k]), dz_dw: Derivative(layer.z_of(j), w[j, k])}
    printed = Derivative(Sum(w[j, i] * layer.a_prev[i], (i, 1, layer.n_prev)) + layer.b[j], w[j, k])
    steps = [
        Step(dLdw, latex=r"\frac{\partial L}{\partial w_{jk}^l}"),
        Step(layer.delta_l[j] * dz_dw, latex=r"\frac{\partial L}{\partial z_j^l} \frac{\partial z_j^l}{\partial w_{jk}^l}"),
        Step(layer.delta_l[j] * printed, latex=r"\frac{\partial L}{\partial z_j^l} \frac{\partial \sum_k w_{jk}^l a_k^{l-1} + b_j^l}{\partial w_{jk}^l}"),
        Step(layer.delta_l[j] * layer.a_prev[k], latex=r"\frac{\partial L}{\partial z_j^l} a_k^{l-1}"),
        Step(layer.delta_l[j] * layer.a_prev[k], latex=r"\delta_j^l a_k^{l-1}"),
    ]
    return layer.fields(names, steps)


def bp4(layer: AnyWidthLayer) -> dict:
    """BP4 at any layer l, a^{l−1} free, widths n_l ≥ j: ∂L/∂b^l_j = δ^l_j."""
    j, i, b = layer.j, layer.i, layer.b
    dLdb = sp.Symbol("∂L/∂b^l_j")
    dz_db = sp.Symbol("∂z^l_j/∂b^l_j")
    names = {dLdb: Derivative(layer.loss_layer(), b[j]), dz_db: Derivative(layer.z_of(j), b[j])}
    printed = Derivative(Sum(layer.w[j, i] * layer.a_prev[i], (i, 1, layer.n_prev)) + b[j], b[j])
    steps = [
        Step(dLdb, latex=r"\frac{\partial L}{\partial b_j^l}"),
        Step(layer.delta_l[j] * dz_db, latex=r"\frac{\partial L}{\partial z_j^l} \frac{\partial z_j^l}{\partial b_j^l}"),
        Step(layer.delta_l[j] * printed, latex=r"\frac{\partial L}{\partial z_j^l} \frac{\partial \sum_k w_{jk}^l a_k^{l-1} + b_j^l}{\partial b_j^l}"),
        Step(layer.delta_l[j], latex=r"\frac{\partial L}{\partial z_j^l}"),
        Step(layer.delta_l[j], latex=r"\delta_j^l"),
    ]
    return layer.fields(names, steps)


def eq36(layer: AnyWidthLayer) -> dict:
    """3.6 entry (j, k) at any widths: BP3's δ^l_j a^{l−1}_k, the printed ∂L/∂n^l_{jk} (n^l is no
    quantity of the network: L does not depend on it, so the derivative is 0), and (δ^l (a^{l−1})^T)_{jk}."""
    j, k, w = layer.j, layer.k, layer.w
    n_l = sp.IndexedBase("n^l")
    dLdn, dLdw = sp.Symbol("∂L/∂n^l_jk"), sp.Symbol("∂L/∂w^l_jk")
    names = {dLdn: Derivative(layer.loss_layer(), n_l[j, k]), dLdw: Derivative(layer.loss_layer(), w[j, k])}
    steps = [
        Step(layer.delta_l[j] * layer.a_prev[k], latex=r"\delta_j^l a_k^{l-1} \ \text{(BP3)}"),
        Step(dLdn, latex=r"\frac{\partial L}{\partial n^l}"),
        Step(layer.delta_l[j] * layer.a_prev[k], latex=r"\vec{\delta^l} (\vec{a^{l-1}})^T"),
    ]
    return layer.fields(names, steps, corrections={1: Step(dLdw, latex=r"\frac{\partial L}{\partial w^l}")})


def eq34(layer: AnyWidthLayer) -> dict:
    """3.4 entry j at any output width: δ^L_j = (∇_{a^L} L ⊗ σ'(z^L))_j, ⊗ read entrywise."""
    j, zL = layer.j, layer.zL
    delta = sp.Symbol("δ^L_j")
    names = {delta: Derivative(layer.loss_output(), zL[j])}
    steps = [Step(delta, latex=r"\vec{\delta^L}"),
             Step(layer.dL_da[j] * layer.sprime(zL[j]), latex=r"\nabla_{\vec{a^L}} L \otimes \sigma'(\vec{z^L})")]
    return layer.fields(names, steps)


def eq35(layer: AnyWidthLayer) -> dict:
    """3.5 entry j at any widths: δ^l_j = (((w^{l+1})^T δ^{l+1}) ⊗ σ'(z^l))_j, the product read as Σ_k."""
    j, q, z = layer.j, layer.q, layer.z
    delta = sp.Symbol("δ^l_j")
    names = {delta: Derivative(layer.loss_next(), z[j])}
    steps = [Step(delta, latex=r"\vec{\delta^l}"),
             Step(Sum(layer.w_next[q, j] * layer.delta_next[q], (q, 1, layer.n_next)) * layer.sprime(z[j]),
                  latex=r"((\vec{w^{l+1}})^T \vec{\delta^{l+1}}) \otimes \sigma'(\vec{z^l})")]
    return layer.fields(names, steps)


def eq37(layer: AnyWidthLayer) -> dict:
    """3.7 entry j at any widths: (∂L/∂b^l)_j = δ^l_j."""
    j, b = layer.j, layer.b
    dLdb = sp.Symbol("∂L/∂b^l_j")
    names = {dLdb: Derivative(layer.loss_layer(), b[j])}
    steps = [Step(dLdb, latex=r"\frac{\partial L}{\partial \vec{b^l}}"), Step(layer.delta_l[j], latex=r"\vec{\delta^l}")]
    return layer.fields(names, steps)


def weight(layer: AnyWidthLayer) -> dict:
    """∂L/∂w^l_jk = δ^l_j a^{l−1}_k (FC-BP line 3; 3.8 line 3, entry (j, k) of δ^l (a^{l−1})^T)."""
    j, k, w = layer.j, layer.k, layer.w
    dLdw = sp.Symbol("∂L/∂w^l_jk")
    names = {dLdw: Derivative(layer.loss_layer(), w[j, k])}
    return layer.fields(names, [Step(dLdw, latex=r"\frac{\partial L}{\partial w_{jk}^l}"),
                                Step(layer.delta_l[j] * layer.a_prev[k], latex=r"\delta_j^l a_k^{l-1}")])
