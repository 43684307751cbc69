"""Algorithm 1 as a computational graph, for the backward pass of eq. 3.23 (section 3.3.3).

The partial derivatives of 3.23 are those of the graph (Ioffe & Szegedy 2015): ∂L/∂σ² holds x
and μ fixed (σ² → x̂ → L), ∂L/∂μ holds x fixed with σ² = σ²(x, μ), ∂L/∂x_i is the total
derivative of L(x) through Algorithm 1. L = Σ_j g_j y_j with free upstream gradients
g_j = ∂L/∂y_j: the backward pass is linear in ∂L/∂y, so this L is as general as any loss.

Exact rational arithmetic: s = √(σ_B² + ε) > 1 is the free parameter and ε := s² − σ_B²
(derivatives hold ε fixed: it is substituted only after differentiating). With x ∈ (−1, 1),
σ_B² < 1 < s², so ε > 0; every line is then a rational function of (x, g, γ, s), and an
identity on this open box is an identity everywhere.
"""
from __future__ import annotations

from collections.abc import Callable

import sympy as sp
from sympy import Derivative, KroneckerDelta, Rational, Sum, oo, sqrt

from verifier import Normal, Uniform

from . import REAL, Subs


class BackwardGraph:
    """The nodes of Algorithm 1 and their elementary partial derivatives, batch size m ∈ `sizes`
    (a range of sizes, or an interval (lo, oo): m symbolic, every size at once).

    Each derivative is a named abbreviation (∂y_1/∂x̂_1, ∂x̂_i/∂σ_B², …) whose definition is the
    graph's own derivative, a node held as a free variable (`xhat_node`, `mu_node`, `var_node`,
    `eps_node`) and then put back (Subs). i = 1 stands for any i: Algorithm 1 and L are symmetric
    under relabelling the batch, so the line for x_1, g_1 is the line for every x_i, g_i.
    """

    def __init__(self, sizes: range | tuple) -> None:
        x, g = sp.IndexedBase("x"), sp.IndexedBase("g")
        i, m = sp.Symbol("i", integer=True, positive=True), sp.Symbol("m", integer=True, positive=True)
        j, l = sp.symbols("j l", integer=True)
        s = sp.Symbol("s", real=True, positive=True)
        gamma, beta = sp.symbols("gamma beta", real=True)
        # bound: a node of the graph held as a free variable
        xhat_node, mu_node, var_node, eps_node = sp.symbols("T U V E")
        mu_e = Sum(x[l], (l, 1, m)) / m
        var_e = Sum((x[l] - mu_e) ** 2, (l, 1, m)) / m
        eps_e = s**2 - var_e
        mu, var, eps = sp.Symbol("μ_B"), sp.Symbol("σ_B²"), sp.Symbol("ε")
        self.x, self.g, self.i, self.m, self.gamma = x, g, i, m, gamma
        self.mu, self.var, self.eps = mu, var, eps
        self.root = sqrt(var + eps)  # √(σ_B² + ε)
        self.half = Rational(-1, 2)  # the notes' (−½)

        def xh(k):
            return (x[k] - mu_e) / sqrt(var_e + eps_e)

        self._where: dict[sp.Symbol, sp.Expr] = {mu: mu_e, var: var_e, eps: eps_e}
        nodes = (mu_node, var_node, eps_node), (mu_e, var_e, eps_e)

        # elementary partial derivatives of the graph's nodes (each node's other inputs held fixed)
        self.dLdy = self._each("∂L/∂y_{k}", lambda k: g[k])  # L = Σ_j g_j y_j
        self.dydxh = self._each("∂y_{k}/∂x̂_{k}", lambda k: Subs(Derivative(gamma * xhat_node + beta, xhat_node), xhat_node, xh(k)))
        self.dxhdvar = self._each("∂x̂_{k}/∂σ_B²", lambda k: Subs(Derivative((x[k] - mu_node) / sqrt(var_node + eps_node), var_node), *nodes))
        self.dxhdmu = self._each("∂x̂_{k}/∂μ_B", lambda k: Subs(Derivative((x[k] - mu_node) / sqrt(var_node + eps_node), mu_node), *nodes))
        self.dvardmu = self._name("∂σ_B²/∂μ_B", 0, Subs(Derivative(Sum((x[l] - mu_node) ** 2, (l, 1, m)) / m, mu_node), mu_node, mu_e))
        self.dxhdx = self._each("∂x̂_{k}/∂x_{k}", lambda k: Subs(Derivative((x[k] - mu_node) / sqrt(var_node + eps_node), x[k]), *nodes))
        self.dvardx = self._each("∂σ_B²/∂x_{k}", lambda k: Subs(Derivative(Sum((x[l] - mu_node) ** 2, (l, 1, m)) / m, x[k]), mu_node, mu_e))
        self.dmudx = self._each("∂μ_B/∂x_{k}", lambda k: Derivative(Sum(x[l], (l, 1, m)) / m, x[k]))
        self.dLdxh = {k: sp.Symbol(f"∂L/∂x̂_{k}") for k in (i, 1)}
        self.dLdvar, self.dLdmu, self.dLdx1 = sp.Symbol("∂L/∂σ_B²"), sp.Symbol("∂L/∂μ_B"), sp.Symbol("∂L/∂x_1")

        # first line of each block: the graph derivative of L = Σ_j g_j y_j (Algorithm 1 literally)
        self._first = {
            self.dLdxh[1]: Subs(Derivative(Sum(g[j] * (gamma * (xh(j) + KroneckerDelta(1, j) * (xhat_node - xh(j))) + beta), (j, 1, m)), xhat_node),
                                xhat_node, xh(1)),
            self.dLdvar: Subs(Derivative(Sum(g[j] * (gamma * (x[j] - mu_node) / sqrt(var_node + eps_node) + beta), (j, 1, m)), var_node), *nodes),
            self.dLdmu: Subs(Derivative(Sum(g[j] * (gamma * (x[j] - mu_node) / sqrt(Sum((x[l] - mu_node) ** 2, (l, 1, m)) / m + eps_node) + beta),
                                            (j, 1, m)), mu_node),
                             (mu_node, eps_node), (mu_e, eps_e)),
            self.dLdx1: Subs(Derivative(Sum(g[j] * (gamma * (x[j] - mu_e) / sqrt(var_e + eps_node) + beta), (j, 1, m)), x[1]), eps_node, eps_e),
        }
        # closed forms established by the blocks (∂L/∂x̂_i by the corrected last line of dxhat)
        self._closed = {
            self.dLdxh[i]: g[i] * gamma,
            self.dLdxh[1]: g[1] * gamma,
            self.dLdvar: Rational(-1, 2) * Sum(g[i] * gamma * (x[i] - mu) * (var + eps) ** Rational(-3, 2), (i, 1, m)),
            self.dLdmu: -Sum(g[i] * gamma / sqrt(var + eps), (i, 1, m)) - self.dLdvar * 2 / m * Sum(x[i] - mu, (i, 1, m)),
        }
        #: the claim arguments every block shares
        self.common = dict(
            equation="3.23", section="3.3.3",
            domain={m: sizes, i: (1, oo), gamma: REAL, beta: REAL, s: (1, oo)},
            random={x: Uniform(-1, 1), g: Normal(0, 1)},  # only their supports matter: no E is taken
            scope="{} values in (−1, 1), every ε = s² − σ_B² > 0, all γ, β, ∂L/∂y_i; i = 1 stands for any i".format(
                f"every batch of m = {sizes[0]}…{sizes[-1]}" if isinstance(sizes, range) else f"every batch size m ≥ {sizes[0]}, every batch of m"),
        )

    def _name(self, text: str, k, definition: sp.Expr) -> sp.Symbol:
        sym = sp.Symbol(text.format(k=k))
        self._where[sym] = definition
        return sym

    def _each(self, text: str, f: Callable) -> dict:
        return {k: self._name(text, k, f(k)) for k in (self.i, 1)}

    def sum_i(self, f: sp.Expr) -> sp.Expr:
        """Σ_i f over the batch, i = 1 … m."""
        return Sum(f, (self.i, 1, self.m))

    def block_where(self, first: sp.Symbol) -> dict:
        """The abbreviations of the block whose first line is `first` (its graph derivative) and the
        closed forms the other blocks establish."""
        return {**self._where, **self._closed, first: self._first[first]}
