"""A convolutional layer in index notation at symbolic sizes (section 3.2.2): CONV-BP3, CONV-BP4 and
their summaries for any map and kernel size.

    z^l_ij = Σ_{p'=1}^{k_h} Σ_{q'=1}^{k_w} a^{l-1}_{i+p'-1, j+q'-1} w^l_{p'q'} + b^l      (eq. 3.9)

for i = 1…H', j = 1…W' (the valid cross-correlation of an (H'+k_h−1)×(W'+k_w−1) map a^{l-1} with a
k_h×k_w kernel). The loss enters through its upstream gradients δ^l_ij = ∂L/∂z^l_ij (free): a
first derivative depends on L only through them (chain rule), as in the dense and batch-norm
claims. The free kernel index (p, q) sits below the kernel size: k_h = p + r_p, k_w = q + r_q with
r ≥ 0 (printed k_h, k_w through `where`). H', W' ≥ 1 are any output sizes.

Not here: δ^l from δ^{l+1} (CONV-BP2, 3.14, the δ line of 3.15) pairs δ^{l+1}_mn with
w_{i+1−m, j+1−n}, whose index leaves the kernel for some m, n: its Kronecker deltas collapse
under a range condition that depends on the outer summation index (the zero padding), which the
indexed-sum rules do not decide; those claims stay at their concrete sizes.
"""
from __future__ import annotations

import sympy as sp
from sympy import Derivative, Sum

from verifier import Generic, Step


def _int(name: str) -> sp.Symbol:
    return sp.Symbol(name, integer=True)


class ConvAnySize:
    """The symbols of one convolutional layer l at symbolic map and kernel sizes."""

    def __init__(self) -> None:
        self.i, self.j, self.pp, self.qq = _int("i"), _int("j"), _int("p'"), _int("q'")  # summation indices
        self.p, self.q = _int("p"), _int("q")  # the free kernel index
        self.r_p, self.r_q = _int("r_p"), _int("r_q")
        self.H, self.W = _int("H'"), _int("W'")  # z^l is H' × W'
        self.k_h, self.k_w = sp.Symbol("k_h"), sp.Symbol("k_w")
        self.a, self.w, self.delta = sp.IndexedBase("a^{l-1}"), sp.IndexedBase("w^l"), sp.IndexedBase("δ^l")
        self.b = sp.Symbol("b^l", real=True)
        self.sizes = {self.k_h: self.p + self.r_p, self.k_w: self.q + self.r_q}
        self.domain = {self.p: (1, sp.oo), self.q: (1, sp.oo), self.r_p: (0, sp.oo), self.r_q: (0, sp.oo),
                       self.H: (1, sp.oo), self.W: (1, sp.oo), self.b: (-sp.oo, sp.oo)}

    def z(self, i: sp.Expr, j: sp.Expr) -> sp.Expr:
        """z^l_ij by eq. 3.9 (its own summation indices p', q')."""
        return Sum(self.a[i + self.pp - 1, j + self.qq - 1] * self.w[self.pp, self.qq], (self.pp, 1, self.k_h), (self.qq, 1, self.k_w)) + self.b

    def over_z(self, f: sp.Expr) -> sp.Expr:
        """Σ_i Σ_j f over every entry of z^l."""
        return Sum(f, (self.j, 1, self.W), (self.i, 1, self.H))

    def loss(self) -> sp.Expr:
        """L through z^l: Σ_i Σ_j δ^l_ij z^l_ij."""
        return self.over_z(self.delta[self.i, self.j] * self.z(self.i, self.j))

    def fields(self, names: dict, steps: list, corrections: dict | None = None) -> dict:
        """steps, where (named derivatives and the kernel size), domain, random and corrections."""
        exprs = [s.expr if isinstance(s, Step) else s for s in [*steps, *(corrections or {}).values()]]
        where = {**names, **self.sizes}
        used = set().union(*(e.free_symbols for e in exprs)) | set().union(*(v.free_symbols for v in names.values()))
        where = {k: v for k, v in where.items() if k in used}
        used |= set().union(*(v.free_symbols for v in where.values()))
        domain = {s: iv for s, iv in self.domain.items() if s in used}
        bases = {x.base for e in [*where.values(), *exprs] for x in e.atoms(sp.Indexed)}
        random = {base: Generic(str(base)) for base in sorted(bases, key=str)}  # any reals: no expectation is taken
        return {"steps": steps, "where": where, "domain": domain, "random": random, "corrections": corrections or {}}


def conv_bp3(c: ConvAnySize) -> dict:
    """CONV-BP3: ∂L/∂w^l_pq = Σ_i Σ_j ∂L/∂z_ij ∂z_ij/∂w_pq = Σ_i Σ_j δ^l_ij a^{l-1}_{i+p-1, j+q-1}."""
    i, j, p, q = c.i, c.j, c.p, c.q
    dLdw = sp.Symbol("∂L/∂w^l_pq")
    names = {dLdw: Derivative(c.loss(), c.w[p, q])}
    steps = [
        Step(dLdw, latex=r"\frac{\partial \mathcal{L}}{\partial w_{pq}^{l}}"),
        Step(c.over_z(c.delta[i, j] * Derivative(c.z(i, j), c.w[p, q])),
             latex=r"\sum_{i} \sum_{j} \frac{\partial \mathcal{L}}{\partial z_{ij}^{l}} \frac{\partial z_{ij}^{l}}{\partial w_{pq}^{l}}"),
        Step(c.over_z(c.delta[i, j] * Derivative(c.z(i, j), c.w[p, q])),
             latex=r"\sum_{i} \sum_{j} \frac{\partial \mathcal{L}}{\partial z_{ij}^{l}} \frac{\partial \sum_{p=1}^{r} \sum_{q=1}^{c} a_{i+p-1,j+q-1}^{l-1} w_{pq}^{l} + b^{l}}{\partial w_{pq}^{l}}"),
        Step(c.over_z(c.delta[i, j] * c.a[i + p - 1, j + q - 1]), latex=r"\sum_{i} \sum_{j} \delta_{ij}^{l} a_{i+p-1,j+q-1}^{l-1}"),
    ]
    return c.fields(names, steps)


def conv_bp4(c: ConvAnySize) -> dict:
    """CONV-BP4: ∂L/∂b^l = Σ_i Σ_j ∂L/∂z_ij ∂z_ij/∂b = Σ_i Σ_j δ^l_ij."""
    i, j = c.i, c.j
    dLdb = sp.Symbol("∂L/∂b^l")
    names = {dLdb: Derivative(c.loss(), c.b)}
    steps = [
        Step(dLdb, latex=r"\frac{\partial \mathcal{L}}{\partial b^{l}}"),
        Step(c.over_z(c.delta[i, j] * Derivative(c.z(i, j), c.b)),
             latex=r"\sum_{i} \sum_{j} \frac{\partial \mathcal{L}}{\partial z_{ij}^{l}} \frac{\partial z_{ij}^{l}}{\partial b^{l}}"),
        Step(c.over_z(c.delta[i, j] * Derivative(c.z(i, j), c.b)),
             latex=r"\sum_{i} \sum_{j} \frac{\partial \mathcal{L}}{\partial z_{ij}^{l}} \frac{\partial \sum_{p=1}^{r} \sum_{q=1}^{c} a_{i+p-1,j+q-1}^{l-1} w_{pq}^{l} + b^{l}}{\partial b^{l}}"),
        Step(c.over_z(c.delta[i, j]), latex=r"\sum_{i} \sum_{j} \delta_{ij}^{l}"),
    ]
    return c.fields(names, steps)


def summary_w(c: ConvAnySize, matrix: bool) -> dict:
    """CONV-BP (element form) / 3.15 (matrix form, entry (p, q) of the valid a^{l-1} ⋆ δ^l): ∂L/∂w^l."""
    dLdw = sp.Symbol("∂L/∂w^l_pq")
    names = {dLdw: Derivative(c.loss(), c.w[c.p, c.q])}
    rhs = c.over_z(c.delta[c.i, c.j] * c.a[c.i + c.p - 1, c.j + c.q - 1])
    steps = [Step(dLdw, latex=r"\frac{\partial \mathcal{L}}{\partial \boldsymbol{w}^{l}}" if matrix else r"\frac{\partial \mathcal{L}}{\partial w_{pq}^{l}}"),
             Step(rhs, latex=r"\boldsymbol{a}^{l-1} * \delta^{l}" if matrix else r"\sum_{i} \sum_{j} \delta_{ij}^{l} a_{i+p-1,j+q-1}^{l-1}")]
    return c.fields(names, steps)


def summary_b(c: ConvAnySize, printed_sum_of_b: bool) -> dict:
    """CONV-BP (element form): ∂L/∂b^l = Σ_i Σ_j δ^l_ij; 3.15 as printed: Σ_{i,j} b^l (corrected: Σ δ^l)."""
    dLdb = sp.Symbol("∂L/∂b^l")
    names = {dLdb: Derivative(c.loss(), c.b)}
    right = Step(c.over_z(c.delta[c.i, c.j]), latex=r"\sum_{i} \sum_{j} \delta_{ij}^{l}")
    if not printed_sum_of_b:
        return c.fields(names, [Step(dLdb, latex=r"\frac{\partial \mathcal{L}}{\partial b^{l}}"), right])
    steps = [Step(dLdb, latex=r"\frac{\partial \mathcal{L}}{\partial \boldsymbol{b}^{l}}"),
             Step(c.over_z(c.b), latex=r"\sum_{i,j} \boldsymbol{b}^{l}")]
    return c.fields(names, steps, corrections={1: right})
