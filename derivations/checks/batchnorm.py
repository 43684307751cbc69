"""The code behind the property and numeric lines of section 3.3 (the claims are declared in
derivations/batchnorm.py): exact searches over random discrete joints for covariate shift
(3.16, 3.18), and the batch-norm reference implementation against Algorithm 1, eq. 3.22 and
central finite differences of the graph (3.23) at batch sizes m = 2 … 4096.
"""
from __future__ import annotations

import itertools

import numpy as np

from verifier import Evidence

from ..reference.batchnorm import backward, backward_intermediates, forward, forward_cache
from . import Fraction  # exact rationals (see derivations/checks/__init__.py)


# ----- 3.16 and 3.18: covariate shift on random discrete joints, in exact fractions ------------------
def _random_joint(rng, nx: int, ny: int) -> list[list[Fraction]]:
    w = rng.integers(1, 20, size=(nx, ny))
    total = int(w.sum())
    return [[Fraction(int(v), total) for v in row] for row in w]


def _marg_x(J):
    return [sum(row) for row in J]


def _marg_y(J):
    return [sum(J[k][j] for k in range(len(J))) for j in range(len(J[0]))]


def _cond(J):
    return [[v / sum(row) for v in row] for row in J]


def _shift(J, q):
    """The covariate-shifted joint P_tr(y|x)·q(x)."""
    return [[c * qk for c in row] for row, qk in zip(_cond(J), q)]


# 3.16 as printed — P_tr(y|x) = P_te(y|x) and P_tr(x) ≠ p_te(y) — and the deduction that follows it
# (3.18: the joints differ): stated here, searched by the engine (verifier.ForAll) over every pair of
# 2×2 joints with cell weights 1…3, smallest weights first. x and y both take two values, so P(x)
# and p(y) are comparable as the printed premise compares them.
def _joint(weights) -> tuple[tuple[Fraction, ...], ...]:
    total = sum(map(sum, weights))
    return tuple(tuple(Fraction(w, total) for w in row) for row in weights)


JOINTS_2X2 = tuple(dict.fromkeys(_joint(((a, b), (c, d))) for a, b, c, d in
                                 sorted(itertools.product((1, 2, 3), repeat=4), key=sum)))


def printed_premise_implies_shift(P_tr, P_te) -> bool | None:
    """Under 3.16 as printed, do the joints differ (3.18)? None when the printed premise does not hold."""
    if not (_cond(P_tr) == _cond(P_te) and _marg_x(P_tr) != _marg_y(P_te)):
        return None
    return P_tr != P_te


def show_shift(P_tr, P_te) -> dict:
    """What a counterexample to 3.16 ⇒ 3.18 shows: both joints, the shared conditional, the two marginals compared."""
    fmt = lambda v: "[" + ", ".join(str(t) for t in v) + "]"  # noqa: E731
    return {"P_tr(x,y)": fmt([fmt(r) for r in P_tr]), "P_te(x,y)": fmt([fmt(r) for r in P_te]),
            "P_tr(y|x) = P_te(y|x)": fmt([fmt(r) for r in _cond(P_tr)]), "P_tr(x)": fmt(_marg_x(P_tr)), "p_te(y)": fmt(_marg_y(P_te))}


def covariate_shift_implies_joint_shift(rng) -> Evidence:
    """3.16 (with P_te(x) for p_te(y)) ⇒ 3.18, on random discrete joints in exact rational arithmetic."""
    n = 0
    for nx, ny in itertools.product(range(2, 6), range(2, 6)):
        for _ in range(25):
            J = _random_joint(rng, nx, ny)
            q = [Fraction(int(v)) for v in rng.integers(1, 20, size=nx)]
            q = [v / sum(q) for v in q]
            if q == _marg_x(J):
                continue
            te = _shift(J, q)
            n += 1
            ok = _cond(te) == _cond(J) and _marg_x(te) == q and te != J
            if not ok:
                return Evidence(False, f"joint {J}, new marginal {q}", {"P_tr(x,y)": J, "q(x)": q}, exact=True)
    return Evidence(
        holds=True,
        detail=(f"{n} random joints (|x|, |y| = 2…5, seeded), exact fractions: P_te(y|x) = P_tr(y|x), "
                "P_te(x) = q ≠ P_tr(x) and P_te(x,y) ≠ P_tr(x,y) each time (Σ_y P(x,y) = P(x) forces it)"),
    )


# ----- Algorithm 1, 3.22, 3.23: the numpy reference implementation ---------------------------------
# Mini-batches from m = 2 to m = 4096 with 256 features; every gradient is compared with central
# differences of the forward pass (directional derivatives, all features at once: features are
# independent, so one perturbed call gives one difference quotient per feature).
SIZES = ((2, 256), (3, 256), (8, 256), (64, 256), (1024, 256), (4096, 256))


def bn_cases(rng):
    cases = []
    for k, (m, d) in enumerate(SIZES):
        x = rng.standard_normal((m, d)) * rng.uniform(0.5, 3.0, d) + 3.0 * rng.standard_normal(d)
        gamma = rng.uniform(0.5, 2.0, d) * rng.choice([-1.0, 1.0], d)
        beta = rng.standard_normal(d)
        dy = rng.standard_normal((m, d))
        v = rng.standard_normal((m, d))  # a direction in x (and in x̂)
        eps = 1e-2 if k % 2 else 1e-5
        cases.append((x, gamma, beta, dy, v, eps))
    return {"cases": cases}


def _cat(parts):
    """One flat array per quantity, all mini-batches concatenated."""
    return tuple(np.concatenate([np.ravel(p) for p in q]) for q in zip(*parts))


def alg1_literal(cases):
    out = []
    for x, gamma, beta, _, _, eps in cases:
        m = x.shape[0]
        mu = x.sum(axis=0) / m  # μ_B ← (1/m) Σ_i x_i
        var = ((x - mu) ** 2).sum(axis=0) / m  # σ_B² ← (1/m) Σ_i (x_i − μ_B)²
        xhat = (x - mu) / np.sqrt(var + eps)  # x̂_i ← (x_i − μ_B)/√(σ_B² + ε)
        out.append((mu, var, xhat, gamma * xhat + beta))  # y_i ← γ x̂_i + β
    return _cat(out)


def alg1_forward_cache(cases):
    out = []
    for x, gamma, beta, _, _, eps in cases:
        y, c = forward_cache(x, gamma, beta, eps)
        out.append((c.mean, c.var, c.xhat, y))
    return _cat(out)


def alg1_forward(cases):
    out = []
    for x, gamma, beta, _, _, eps in cases:
        _, c = forward_cache(x, gamma, beta, eps)
        out.append((c.mean, c.var, c.centred * c.inv_std, forward(x, gamma, beta, eps)))
    return _cat(out)


def _per_feature_loss(dy, y):
    return np.einsum("ij,ij->j", dy, y)  # L = Σ_i ∂L/∂y_i y_i, one value per feature


def grad_params_fd(cases):
    out = []
    for x, gamma, beta, dy, _, eps in cases:
        L = lambda g_, b_: _per_feature_loss(dy, forward(x, g_, b_, eps))  # noqa: E731
        h = 1e-3  # L is linear in γ and β: the central difference is exact up to round-off
        out.append(((L(gamma + h, beta) - L(gamma - h, beta)) / (2 * h), (L(gamma, beta + h) - L(gamma, beta - h)) / (2 * h)))
    return _cat(out)


def grad_params_backward(cases):
    out = []
    for x, gamma, _, dy, _, eps in cases:
        _, dgamma, dbeta = backward(x, gamma, dy, eps)
        out.append((dgamma, dbeta))
    return _cat(out)


def grad_params_formula(cases):
    out = []
    for x, gamma, beta, dy, _, eps in cases:
        _, c = forward_cache(x, gamma, beta, eps)
        out.append((np.sum(dy * c.xhat, axis=0), np.sum(dy, axis=0)))  # 3.22: Σ ∂L/∂y_i x̂_i, Σ ∂L/∂y_i
    return _cat(out)


def graph_fd(cases):
    """Central differences of L in each node of the graph: x̂ (direction v), σ², μ, x (direction v)."""
    out = []
    for x, gamma, beta, dy, v, eps in cases:
        m = x.shape[0]
        mu = x.mean(axis=0)
        var = ((x - mu) ** 2).mean(axis=0)
        xhat = (x - mu) / np.sqrt(var + eps)
        L_xhat = lambda t: _per_feature_loss(dy, gamma * t + beta)  # noqa: E731
        L_var = lambda V: L_xhat((x - mu) / np.sqrt(V + eps))  # noqa: E731  (x, μ held fixed)
        L_mu = lambda U: L_xhat((x - U) / np.sqrt(((x - U) ** 2).sum(axis=0) / m + eps))  # noqa: E731  (σ² follows μ)
        L_x = lambda t: _per_feature_loss(dy, forward(t, gamma, beta, eps))  # noqa: E731
        s = np.sqrt(var + eps)
        hv, hu, hx = 1e-4 * (var + eps), 1e-5 * s, 1e-5 * s
        out.append((
            (L_xhat(xhat + v) - L_xhat(xhat - v)) / 2,  # linear in x̂
            (L_var(var + hv) - L_var(var - hv)) / (2 * hv),
            (L_mu(mu + hu) - L_mu(mu - hu)) / (2 * hu),
            (L_x(x + hx * v) - L_x(x - hx * v)) / (2 * hx),
        ))
    return _cat(out)


def graph_intermediates(cases):
    out = []
    for x, gamma, _, dy, v, eps in cases:
        it = backward_intermediates(x, gamma, dy, eps)
        out.append((np.einsum("ij,ij->j", it.dxhat, v), it.dvar, it.dmean, np.einsum("ij,ij->j", it.dx, v)))
    return _cat(out)


def dx_intermediates(cases):
    return _cat([(backward_intermediates(x, g_, dy, eps).dx,) for x, g_, _, dy, _, eps in cases])


def dx_backward(cases):
    return _cat([(backward(x, g_, dy, eps)[0],) for x, g_, _, dy, _, eps in cases])


def dx_backward_cached(cases):
    return _cat([(backward(x, g_, dy, eps, cache=forward_cache(x, g_, b_, eps)[1])[0],) for x, g_, b_, dy, _, eps in cases])
