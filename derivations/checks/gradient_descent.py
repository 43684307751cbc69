"""The code behind the property line of section 2.3 (the claim is declared in
derivations/gradient_descent.py): small gradient steps on random smooth losses, in float64.
"""
from __future__ import annotations

import numpy as np

from verifier import Evidence


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


def small_steps(rng):
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
