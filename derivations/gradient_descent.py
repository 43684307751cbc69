"""Section 2.3 of the notes, the gradient descent update (2.21–2.24): every line as printed.

Symbols keep the notes' names: L the loss, w = (w_1, …, w_n) its parameters, Δw the step, η the
learning rate. The algebra is proved for n = 3 with L an undefined function (any loss); the
first-order remainder o(ρ) is proved for a concrete smooth loss; the behaviour of a small step is
run on random smooth losses (the code: derivations/checks/gradient_descent.py).
"""
from __future__ import annotations

import sympy as sp
from sympy import Matrix, exp, oo

from verifier import Property, Step

from ._registry import claim
from .checks import gradient_descent as checks

_REAL = (-oo, oo)
eta, t = sp.symbols("eta t")
w = Matrix(sp.symbols("w_1:4"))
dw = Matrix(sp.symbols("Δw_1:4"))
L = sp.Function("L")

# 2.21 — ΔL = Σ_j ∂L/∂w_j Δw_j + o(ρ), ρ = ‖Δw‖. The o(ρ) term made precise: for the smooth loss
# L(w_1, w_2) = w_2 e^{w_1} and a step Δw = t·u along a unit direction u = (cos θ, sin θ) (every
# nonzero step is one: ρ = t), the remainder divided by ρ tends to 0 as t → 0⁺; dropping it is
# the "≈" of 2.21's second line. A unit direction keeps ρ ≠ 0 on the whole domain.
_theta = sp.Symbol("theta")
_w2, _d = Matrix(w[:2]), Matrix([sp.cos(_theta), sp.sin(_theta)])


def _loss(v):
    return v[1] * exp(v[0])


_rho = t
_first_order = sp.Add(*[sp.Derivative(_loss(_w2), _w2[j]) * t * _d[j] for j in range(2)])
claim(
    "2.21",
    [
        Step((_loss(_w2 + t * _d) - _loss(_w2) - _first_order) / _rho,
             latex=r"\frac{1}{\rho}\Big(\Delta\mathcal{L} - \sum_{j} \frac{\partial \mathcal{L}}{\partial w_j} \Delta w_j\Big)"),
        Step(0, rel="≈", limit=(t, 0)),
    ],
    equation="2.21", section="2.3",
    title="ΔL = Σ_j ∂L/∂w_j Δw_j + o(ρ): the remainder divided by ρ = ‖Δw‖ tends to 0",
    domain={**{s: _REAL for s in _w2}, _theta: (-4, 4), t: (0, 1)},
    scope="L(w_1, w_2) = w_2·e^{w_1}, Δw = t·(cos θ, sin θ) (every direction), ρ = t, t → 0⁺",
)

# 2.22 — the sum of 2.21 is the inner product with the gradient (n = 3, any differentiable L).
_grad = Matrix([sp.Derivative(L(*w), v) for v in w])
claim(
    "2.22",
    [
        Step(sp.Add(*[sp.Derivative(L(*w), w[j]) * dw[j] for j in range(3)]),
             latex=r"\frac{\partial \mathcal{L}}{\partial w_1} \Delta w_1 + \dots + \frac{\partial \mathcal{L}}{\partial w_n} \Delta w_n"),
        Step((_grad.T * dw)[0], latex=r"\nabla \mathcal{L}_{\vec{w}}^{\mathrm{T}} \cdot \Delta \vec{w}"),
    ],
    equation="2.22", section="2.3", title="first-order term as ∇Lᵀ·Δw",
    domain={**{s: _REAL for s in (*w, *dw)}}, uses=["2.21"], scope="n = 3, L any differentiable function of w",
)

# 2.23 — with Δw = −η∇L: ∇Lᵀ·Δw = −η‖∇Lᵀ‖²₂ ≤ 0. The gradient at the current w is a vector
# g = (g_1, g_2, g_3) of reals; the printed norm of the transposed (row) vector is kept as printed.
g = Matrix(sp.symbols("g_1:4"))
claim(
    "2.23",
    [
        Step((g.T * (-eta * g))[0], latex=r"\nabla \mathcal{L}_{\vec{w}}^{\mathrm{T}} \cdot \Delta \vec{w},\ \Delta \vec{w} = -\eta \nabla \mathcal{L}_{\vec{w}}"),
        Step(-eta * g.T.norm() ** 2, latex=r"-\eta ||\nabla \mathcal{L}_{\vec{w}}^{\mathrm{T}}||_2^2"),
        Step(0, rel="<="),
    ],
    equation="2.23", section="2.3", title="the step Δw = −η∇L makes the first-order change −η‖∇L‖² ≤ 0",
    domain={**{s: _REAL for s in g}, eta: (0, oo)}, uses=["2.22"],
    scope="n = 3, ∇L = (g_1, g_2, g_3) at the current w, η > 0",
)

# 2.24 — the update rule: w + Δw with the Δw of 2.23.
claim(
    "2.24",
    [
        Step(w + (-eta * _grad), latex=r"\vec{w} + \Delta \vec{w}"),
        Step(w - eta * _grad, latex=r"\vec{w} - \eta \nabla \mathcal{L}_{\vec{w}}"),
    ],
    equation="2.24", section="2.3", title="update rule w ← w − η∇L",
    domain={**{s: _REAL for s in w}, eta: (0, oo)}, uses=["2.23"], scope="n = 3, L any differentiable function of w",
)
claim(
    "2.24:descent",
    [Property(checks.small_steps, label="a small step decreases L; the first-order error shrinks like η²")],
    equation="2.24", section="2.3",
    title="on random smooth losses a small step w − η∇L decreases L, and ΔL − (−η‖∇L‖²) shrinks like η²",
    uses=["2.23", "2.24"],
)
