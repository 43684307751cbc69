# --- claims: Chapter 2.3, the gradient descent update (2.21–2.24), every line as printed ---
# Symbols keep the notes' names: L the loss, w = (w_1, …, w_n) its parameters, Δw the step, η the
# learning rate. The algebra is proved for n = 3 with L an undefined function (any loss); the
# first-order remainder o(ρ) is proved for a concrete smooth loss; the behaviour of a small step is
# run on random smooth losses (the code is below `# --- algorithms ---`).
import numpy as np
import sympy as sp
from sympy import Matrix, exp, oo, sqrt

from verifier import Evidence, Property, Step

from ._registry import claim

_R = (-oo, oo)
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
    domain={**{s: _R for s in _w2}, _theta: (-4, 4), t: (0, 1)},
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
    domain={**{s: _R for s in (*w, *dw)}}, uses=["2.21"], scope="n = 3, L any differentiable function of w",
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
    domain={**{s: _R for s in g}, eta: (0, oo)}, uses=["2.22"],
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
    domain={**{s: _R for s in w}, eta: (0, oo)}, uses=["2.23"], scope="n = 3, L any differentiable function of w",
)
claim(
    "2.24:descent",
    [Property(lambda rng: _small_steps(rng), label="a small step decreases L; the first-order error shrinks like η²")],
    equation="2.24", section="2.3",
    title="on random smooth losses a small step w − η∇L decreases L, and ΔL − (−η‖∇L‖²) shrinks like η²",
    uses=["2.23", "2.24"],
)


# --- algorithms ---
def _random_loss(rng, n):
    """L(w) = Σ_k a_k e^{c_k·w} + ½ wᵀAw + Σ_m s_m sin(e_m·w): value, gradient and Hessian (numpy)."""
    K, M = int(rng.integers(1, 4)), int(rng.integers(0, 3))
    a, c = rng.uniform(0.1, 1.0, K), rng.normal(0, 0.7, (K, n))
    B = rng.normal(0, 1, (n, n))
    A = B.T @ B + 0.5 * np.eye(n)
    s, e = rng.uniform(0.05, 0.2, M), rng.normal(0, 0.5, (M, n))

    def value(v):
        return float(a @ np.exp(c @ v) + 0.5 * v @ A @ v + s @ np.sin(e @ v))

    def grad(v):
        return c.T @ (a * np.exp(c @ v)) + A @ v + e.T @ (s * np.cos(e @ v))

    def hess(v):
        return (c.T * (a * np.exp(c @ v))) @ c + A - (e.T * (s * np.sin(e @ v))) @ e

    return value, grad, hess


def _small_steps(rng):
    losses = steps = 0
    worst = 0.0
    for _ in range(200):
        n = int(rng.integers(2, 7))
        value, grad, hess = _random_loss(rng, n)
        v = rng.normal(0, 1, n)
        gv = grad(v)
        g2 = float(gv @ gv)
        curvature = float(gv @ hess(v) @ gv)  # the η² coefficient is ½ ∇Lᵀ H ∇L
        eta0 = 0.05 / (1.0 + np.linalg.norm(hess(v), 2))
        losses += 1
        errors = []
        for k in range(9):
            h = eta0 * 2.0**-k
            delta = value(v - h * gv) - value(v)
            steps += 1
            if not delta < 0:
                return Evidence(False, f"a step of η = {h:.3g} does not decrease L", {"n": n, "eta": h, "ΔL": delta, "w": v.tolist()})
            errors.append((h, delta + h * g2))  # ΔL minus its first-order value −η‖∇L‖²
        # error / η² → ½ ∇Lᵀ H ∇L: compare at the smallest steps (relative gap O(η) + round-off).
        for h, err in errors[-3:]:
            rel = abs(err / h**2 - 0.5 * curvature) / abs(0.5 * curvature)
            worst = max(worst, rel)
            if rel > 0.05:
                return Evidence(False, "the first-order error does not shrink like η²",
                                {"n": n, "eta": h, "error/η²": err / h**2, "½∇LᵀH∇L": 0.5 * curvature})
    return Evidence(
        True,
        f"{losses} random smooth losses Σ a_k e^(c_k·w) + ½wᵀAw + Σ s_m sin(e_m·w) (n = 2…6, A ≻ 0) at random points w, "
        f"{steps} steps of η = η₀·2^-k (k = 0…8, η₀ = 0.05/(1 + ‖H‖₂)) in float64: every step decreased L, and the "
        "error ΔL − (−η‖∇L‖²) divided by η² matches ½∇LᵀH∇L (the second-order term) at the three smallest η to "
        f"within {worst:.1e} relative: the first-order error shrinks like η²",
    )
