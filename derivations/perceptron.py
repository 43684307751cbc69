"""Section 2.2 of the notes, the perceptron (2.10–2.20), XOR and the convergence bound: every
line as printed.

Symbols keep the notes' names: w, b, η, examples (x_i, y_i), M the misclassified points. Vectors
are instances in R^2 or R^3 (`scope` says which). Statements about the algorithm run it on
seeded random data in exact rational arithmetic (the code: derivations/checks/perceptron.py).
"""
from __future__ import annotations

import sympy as sp
from sympy import Abs, Matrix, Rational, oo, sqrt

from verifier import Finite, ForAll, Property, Step

from ._registry import claim
from .checks import perceptron as checks
from .symbolic import Subs

b, eta = sp.symbols("b eta")
_REAL = (-oo, oo)
_ETA = (0, 1)  # the learning rate, 0 < η ≤ 1
_LABEL = Finite({-1: Rational(1, 2), 1: Rational(1, 2)})  # a label y ∈ {−1, +1}: lines must hold for both values


def _vec(name, n=3):
    return Matrix(sp.symbols(f"{name}_1:{n + 1}"))


def _dot(u, v):
    return (u.T * v)[0]


def _sq(v):
    return sp.Add(*[e**2 for e in v])


# 2.2.1 — XOR (figure 2.1): (0,1), (1,0) have label +1, (0,0), (1,1) have label −1. If w, b give
# (0,1) and (1,0) the sign +1 and (0,0) the sign −1 (2.11: +1 iff wᵀx + b ≥ 0), then
# w_2 + b = a² ≥ 0, w_1 + b = c² ≥ 0 and b = −e < 0 for some real a, c and e > 0; so
# wᵀ(1,1) + b = a² + c² + e > 0 and (1,1) gets +1: the four sign conditions are inconsistent.
w1, w2 = sp.symbols("w_1 w_2")
_a, _c, _e = sp.symbols("a c e")
claim(
    "xor:no-separator",
    [
        Step(w1 + w2 + b, latex=r"\vec{w}^T (1, 1)^T + b"),
        Step(_a**2 + _c**2 + _e, latex=r"(w_2 + b) + (w_1 + b) - b"),
        Step(0, rel=">"),
    ],
    section="2.2.1", title="XOR: no w, b separate the four points (the four sign conditions are inconsistent)",
    domain={_a: _REAL, _c: _REAL, _e: (0, oo)},
    where={w1: _c**2 + _e, w2: _a**2 + _e, b: -_e},
    scope="every w, b with sign(w₂+b) = sign(w₁+b) = +1 and sign(b) = −1, written w₂+b = a², w₁+b = c², b = −e (e > 0)",
)
claim(
    "xor:perceptron",
    [Property(checks.perceptron_on_xor, label="the perceptron never finishes an epoch on XOR without a mistake")],
    section="2.2.1", title="a perceptron run on XOR never reaches zero mistakes (bounded runs)",
    uses=["xor:no-separator"],
)

# 2.2.2 — the hyperplane wᵀx + b = 0 of the model 2.10 has normal vector w: wᵀ(x − x') = 0 for
# any two of its points (x_3 solved from the equation, w_3 ≠ 0).
_x, _xp = _vec("x"), _vec("x'")
_w = _vec("w")
_on_plane = {_x[2]: -(b + _w[0] * _x[0] + _w[1] * _x[1]) / _w[2], _xp[2]: -(b + _w[0] * _xp[0] + _w[1] * _xp[1]) / _w[2]}
claim(
    "2.10:normal",
    [Step(_dot(_w, _x - _xp), latex=r"\vec{w}^T(\vec{x} - \vec{x}')"), 0],
    equation="2.10", section="2.2.2", title="the hyperplane wᵀx + b = 0 has normal vector w",
    # w_3 ≠ 0 is the condition the derivation divides by; (0, ∞) states it (−w describes the same plane).
    domain={**{s: _REAL for s in (*_w[:2], *_x[:2], *_xp[:2], b)}, _w[2]: (0, oo)},
    where=_on_plane,
    scope="R^3, two points x, x' of the hyperplane",
)

# 2.12 — distance from x_0 to the hyperplane, by minimizing ‖z − x_0‖² subject to wᵀz + b = 0:
# the Lagrangian is stationary at the projection z* = x_0 − (wᵀx_0 + b) w/‖w‖², the objective is
# convex (so z* is the nearest point), and ‖x_0 − z*‖ is the printed distance.
_x0, _z, _v = _vec("x_0"), _vec("z"), _vec("v")
mu = sp.Symbol("mu")
_score0 = _dot(_w, _x0) + b
_foot = _x0 - _score0 * _w / _dot(_w, _w)
_lag = _sq(_z - _x0) + mu * (_dot(_w, _z) + b)
_zvars = (*_z, mu)
_space = {s: _REAL for s in (*_w, *_x0, b)}
claim(
    "2.12:nearest-point",
    [
        Step(Matrix([Subs(sp.Derivative(_lag, s), _zvars, (*_foot, 2 * _score0 / _dot(_w, _w))) for s in _zvars]),
             latex=r"\nabla_{z,\mu}\big[\|z - x_0\|^2 + \mu(w^T z + b)\big]_{z = x_0 - \frac{w^T x_0 + b}{\|w\|^2} w}"),
        sp.zeros(4, 1),
    ],
    equation="2.12", section="2.2.3", title="the projection of x_0 is a stationary point of ‖z − x_0‖² on the hyperplane",
    domain=_space, scope="R^3",
)
claim(
    "2.12:convex",
    [
        Step(sp.Add(*[_v[p] * _v[q] * sp.Derivative(_lag, _z[p], _z[q]) for p in range(3) for q in range(3)]),
             latex=r"v^T \nabla_z^2 \|z - x_0\|^2 v"),
        2 * _sq(_v),
        Step(0, rel=">="),
    ],
    equation="2.12", section="2.2.3",
    title="‖z − x_0‖² is convex, so the stationary point on the (affine) hyperplane is the nearest point",
    domain={**_space, **{s: _REAL for s in (*_z, *_v)}, mu: _REAL}, scope="R^3, any direction v",
    uses=["2.12:nearest-point"],
)
claim(
    "2.12:distance",
    [
        Step(sqrt(_sq(_x0 - _foot)), latex=r"\|x_0 - z^*\|"),
        Step(Abs(_score0) / sqrt(_dot(_w, _w)), latex=r"\frac{1}{\|\vec{w}\|}|\vec{w}^T \cdot \vec{x_0} + b|"),
    ],
    equation="2.12", section="2.2.3", title="distance from x_0 to the hyperplane",
    domain=_space, scope="R^3, w ≠ 0", uses=["2.12:nearest-point", "2.12:convex"],
)

# 2.13 — for a misclassified point −y_i(wᵀx_i + b) = |wᵀx_i + b|: the sign argument, both cases
# (score s > 0 with y = −1, score s < 0 with y = +1) …
s_pos, s_neg = sp.symbols("s_+ s_-")
claim(
    "2.13:sign",
    [
        Step(Matrix([-(-1) * s_pos, -(+1) * s_neg]), latex=r"-y_i(\vec{w}^T \cdot \vec{x_i} + b)"),
        Step(Matrix([Abs(s_pos), Abs(s_neg)]), latex=r"|\vec{w}^T \cdot \vec{x_i} + b|"),
    ],
    equation="2.13", section="2.2.3",
    title="for a misclassified point, −y_i(wᵀx_i + b) = |wᵀx_i + b| (both cases of the text)",
    domain={s_pos: (0, oo), s_neg: (-oo, 0)},
    scope="s_+ = wᵀx_i + b > 0 with y_i = −1; s_- = wᵀx_i + b < 0 with y_i = +1",
)
# … so the total distance (2.12 summed over M) is 2.13. M = {x_1, x_2, x_3} with labels +1, −1, +1
# and scores s_i = wᵀx_i + b of the wrong sign.
_s = sp.symbols("s_1:4")
_y = (1, -1, 1)
norm_w = sp.Symbol("‖w‖")
_mis = {_s[0]: (-oo, 0), _s[1]: (0, oo), _s[2]: (-oo, 0), norm_w: (0, oo)}
_total_2_13 = -1 / norm_w * sp.Add(*[y * s for y, s in zip(_y, _s)])
claim(
    "2.13:total",
    [
        Step(sp.Add(*[Abs(s) / norm_w for s in _s]), latex=r"\sum_{\vec{x_i} \in M} \frac{1}{\|w\|}|\vec{w}^T \cdot \vec{x_i} + b|"),
        Step(_total_2_13, latex=r"-\frac{1}{||w||} \sum_{\vec{x_i} \in M} y_i(\vec{w}^{\mathrm{T}} \cdot \vec{x_i} + b)"),
    ],
    equation="2.13", section="2.2.3", title="total distance of the misclassified points to the hyperplane",
    domain=_mis, uses=["2.12:distance", "2.13:sign"],
    scope="M = three misclassified points with labels +1, −1, +1 and scores s_i = wᵀx_i + b (s_1, s_3 < 0 < s_2)",
)

# 2.14 — dropping 1/‖w‖: 2.13 = L(w, b)/‖w‖ with ‖w‖ > 0, so the sign is unchanged (a) and
# both vanish together (b); the loss of a non-empty M is > 0.
_L = -sp.Add(*[y * s for y, s in zip(_y, _s)])
claim(
    "2.14:scale",
    [
        Step(_total_2_13, latex=r"-\frac{1}{||w||} \sum_{\vec{x_i} \in M} y_i(\vec{w}^T \cdot \vec{x_i} + b)"),
        Step(sp.Mul(1 / norm_w, _L, evaluate=False), latex=r"\frac{1}{\|w\|} L(\vec{w}, b)"),
    ],
    equation="2.14", section="2.2.3", title="2.13 is L(w, b)/‖w‖: dropping the positive factor 1/‖w‖ gives the loss 2.14",
    domain=_mis, uses=["2.13:total"], scope="M of 2.13",
)
claim(
    "2.14:positive",
    [
        Step(_L, latex=r"L(\vec{w}, b) = -\sum_{\vec{x_i} \in M} y_i(\vec{w}^T \cdot \vec{x_i} + b)"),
        sp.Add(*[Abs(s) for s in _s]),
        Step(0, rel=">"),
    ],
    equation="2.14", section="2.2.3", title="the loss of a non-empty set of misclassified points is positive",
    domain=_mis, uses=["2.13:sign"], scope="M of 2.13",
)
claim(
    "2.15:zeros",
    [Property(checks.same_zeros, label="2.13 and 2.14 vanish together (w ≠ 0)")],
    equation="2.15", section="2.2.3",
    title="(b): for w ≠ 0, 2.13 and 2.14 have the same sign and the same zeros; a separator has loss 0",
    uses=["2.14:scale"],
)
claim(
    "2.15:minimizers",
    [ForAll(checks.minimizer_classifies, {"data": checks.DATA_SETS, "w": checks.WEIGHTS, "b": checks.SMALL},
            label="every minimizer of 2.15 classifies the training set", show=checks.show_minimizer)],
    equation="2.15", section="2.2.3",
    title="\"the final optimization result is there are no points with wrong classification\": every minimizer of 2.15 "
          "(L = 0) classifies all points correctly with f of 2.10–2.11",
    uses=["2.15:zeros"],
)

# 2.16 — gradients of L for a fixed M = {x_1, x_2, x_3} in R^3, against sympy.diff.
_X = Matrix(3, 3, lambda i, j: sp.Symbol(f"x_{i + 1}{j + 1}"))  # row i: the point x_i
_Y = sp.symbols("y_1:4")
_Lfull = -sp.Add(*[_Y[i] * (_dot(_w, _X[i, :].T) + b) for i in range(3)])
_grad_domain = {s: _REAL for s in (*_w, *_X, b)}
_labels = {y: _LABEL for y in _Y}
claim(
    "2.16:w",
    [
        Step(Matrix([sp.Derivative(_Lfull, s) for s in _w]), latex=r"\nabla_{\vec{w}} L(\vec{w}, b)"),
        Step(-sp.Add(*[_Y[i] * _X[i, :].T for i in range(3)]), latex=r"-\sum_{\vec{x_i} \in M} y_i \vec{x_i}"),
    ],
    equation="2.16", section="2.2.3", title="gradient of the loss in w",
    domain=_grad_domain, random=_labels, uses=["2.14:scale"], scope="M = three points x_1, x_2, x_3 in R^3 (fixed)",
)
claim(
    "2.16:b",
    [
        Step(sp.Derivative(_Lfull, b), latex=r"\nabla_b L(\vec{w}, b)"),
        Step(-sp.Add(*_Y), latex=r"-\sum_{\vec{x_i} \in M} y_i"),
    ],
    equation="2.16", section="2.2.3", title="gradient of the loss in b",
    domain=_grad_domain, random=_labels, uses=["2.14:scale"], scope="M = three points x_1, x_2, x_3 in R^3 (fixed)",
)

# 2.17 / 2.18 — one SGD step on the loss of one misclassified point (x_i, y_i),
# L_i = −y_i(wᵀx_i + b): the new w, b are minus η times its gradient. The notes print \vec{x}
# (the model's generic input of 2.10) where the example \vec{x_i} is meant.
_xi = Matrix(sp.symbols("x_i1:4"))
_xgen = Matrix(sp.symbols("x^(1) x^(2) x^(3)"))  # \vec{x} = (x^(1), x^(2), x^(3))ᵀ as printed
yi = sp.Symbol("y_i")
_Li = -yi * (_dot(_w, _xi) + b)
_step_domain = {s: _REAL for s in (*_w, *_xi, *_xgen, b)} | {eta: _ETA}


def _update_w(label: str, where: str) -> dict:
    """w − η∇_w L_i = w + η y_i x (printed; x_i is meant), the update of `where` (eq. `label`)."""
    return dict(
        steps=[
            Step(_w - eta * Matrix([sp.Derivative(_Li, s) for s in _w]), latex=r"\vec{w} - \eta \nabla_{\vec{w}} L_i"),
            Step(_w + eta * yi * _xgen, latex=r"\vec{w} + \eta y_i \vec{x}"),
        ],
        equation=label, section="2.2.3", title=f"update of w, {where}: w − η∇_w(−y_i(wᵀx_i + b))",
        domain=_step_domain, random={yi: _LABEL}, corrections={1: Step(_w + eta * yi * _xi, latex=r"\vec{w} + \eta y_i \vec{x_i}")},
        uses=["2.16:w"], scope="R^3; one misclassified example (x_i, y_i); \\vec{x} read as printed, the generic input of 2.10",
    )


def _update_b(label: str, where: str) -> dict:
    """b − η∂_b L_i = b + η y_i, the update of `where` (eq. `label`)."""
    return dict(
        steps=[
            Step(b - eta * sp.Derivative(_Li, b), latex=r"b - \eta \nabla_b L_i"),
            Step(b + eta * yi, latex=r"b + \eta y_i"),
        ],
        equation=label, section="2.2.3", title=f"update of b, {where}: b − η∂_b(−y_i(wᵀx_i + b))",
        domain=_step_domain, random={yi: _LABEL}, uses=["2.16:b"], scope="one misclassified example (x_i, y_i)",
    )


claim("2.17:w", **_update_w("2.17", "SGD step of 2.2.3 (2)"))
claim("2.17:b", **_update_b("2.17", "SGD step of 2.2.3 (2)"))
claim("2.18:w", **_update_w("2.18", "step (c) of the learning algorithm"))
claim("2.18:b", **_update_b("2.18", "step (c) of the learning algorithm"))

# 2.19 — from w_0 = 0, b_0 = 0 the updates add up to w = Σ_i α_i y_i x_i, b = Σ_i α_i y_i with
# α_i = n_i η. A run of six updates on N = 3 examples in R^2, at examples 1, 3, 1, 2, 3, 1.
_P = Matrix(3, 2, lambda i, j: sp.Symbol(f"x_{i + 1}{j + 1}"))
_alpha = sp.symbols("alpha_1:4")
_run = (1, 3, 1, 2, 3, 1)
_n = [_run.count(i + 1) for i in range(3)]
_w_run, _b_run = sp.zeros(2, 1), sp.Integer(0)
for _i in _run:  # the (corrected) update 2.17, applied in this order
    _w_run, _b_run = _w_run + eta * _Y[_i - 1] * _P[_i - 1, :].T, _b_run + eta * _Y[_i - 1]
_dual = {_alpha[i]: _n[i] * eta for i in range(3)}
_dual_domain = {s: _REAL for s in _P} | {eta: _ETA}
claim(
    "2.19:w",
    [
        Step(_w_run, latex=r"\vec{w}_0 + \sum_{t} \eta y_{i_t} \vec{x_{i_t}}"),
        Step(sp.Add(*[_alpha[i] * _Y[i] * _P[i, :].T for i in range(3)]), latex=r"\sum_{i=1}^{N} \alpha_i y_i \vec{x_i}"),
    ],
    equation="2.19", section="2.2.4", title="w after the updates is Σ_i α_i y_i x_i with α_i = n_i η",
    domain=_dual_domain, random=_labels, where=_dual, uses=["2.17:w"],
    scope="w_0 = 0; N = 3 examples in R^2; six updates at examples 1, 3, 1, 2, 3, 1 (n = 3, 1, 2)",
)
claim(
    "2.19:b",
    [
        Step(_b_run, latex=r"b_0 + \sum_{t} \eta y_{i_t}"),
        Step(sp.Add(*[_alpha[i] * _Y[i] for i in range(3)]), latex=r"\sum_{i=1}^{N} \alpha_i y_i"),
    ],
    equation="2.19", section="2.2.4", title="b after the updates is Σ_i α_i y_i with α_i = n_i η",
    domain=_dual_domain, random=_labels, where=_dual, uses=["2.17:b"],
    scope="b_0 = 0; N = 3 examples; six updates at examples 1, 3, 1, 2, 3, 1 (n = 3, 1, 2)",
)

# 2.20 — the dual algorithm. N = 3 examples in R^2, w = Σ_j α_j y_j x_j; the example chosen in
# step (b) is x_2. The printed test writes \vec{x} (the generic input) for \vec{x_i}.
_wa = sp.Add(*[_alpha[j] * _Y[j] * _P[j, :].T for j in range(3)])
_xg = Matrix(sp.symbols("x^(1) x^(2)"))
_ii = 1  # example i = 2
_xi2 = _P[_ii, :].T
_dual_domain2 = {s: _REAL for s in (*_P, *_xg, b)} | {a: (0, oo) for a in _alpha} | {eta: _ETA}
claim(
    "2.20:condition",
    [
        Step(_Y[_ii] * (_dot(_wa, _xi2) + b), latex=r"y_i(\vec{w}^T \cdot \vec{x_i} + b),\ \vec{w} = \sum_j \alpha_j y_j \vec{x_j}"),
        Step(_Y[_ii] * (sp.Add(*[_alpha[j] * _Y[j] * _dot(_P[j, :].T, _xg) for j in range(3)]) + b),
             latex=r"y_i(\sum_{j=1}^N \alpha_j y_j \vec{x_j}^T \vec{x} + b)"),
    ],
    equation="2.20", section="2.2.4", title="the dual misclassification test is the primal test y_i(wᵀx_i + b) ≤ 0",
    domain=_dual_domain2, random=_labels, uses=["2.19:w"],
    corrections={1: Step(_Y[_ii] * (sp.Add(*[_alpha[j] * _Y[j] * _dot(_P[j, :].T, _xi2) for j in range(3)]) + b),
                         latex=r"y_i(\sum_{j=1}^N \alpha_j y_j \vec{x_j}^T \vec{x_i} + b)")},
    scope="N = 3 examples in R^2, the chosen example i = 2; \\vec{x} read as printed, the generic input",
)
_alpha_new = [_alpha[j] + (eta if j == _ii else 0) for j in range(3)]
claim(
    "2.20:update",
    [
        Step(Matrix([*sp.Add(*[_alpha_new[j] * _Y[j] * _P[j, :].T for j in range(3)]), b + eta * _Y[_ii]]),
             latex=r"\Big(\sum_j \alpha_j' y_j \vec{x_j},\ b + \eta y_i\Big),\ \alpha_i' = \alpha_i + \eta"),
        Step(Matrix([*(_wa + eta * _Y[_ii] * _xi2), b + eta * _Y[_ii]]), latex=r"\big(\vec{w} + \eta y_i \vec{x_i},\ b + \eta y_i\big)"),
    ],
    equation="2.20", section="2.2.4", title="the dual update α_i ← α_i + η, b ← b + η y_i is the primal update 2.17",
    domain=_dual_domain2, random=_labels, uses=["2.19:w", "2.17:w"],
    scope="N = 3 examples in R^2, the chosen example i = 2",
)
claim(
    "2.20:model",
    [
        Step(sp.Add(*[_alpha[j] * _Y[j] * _dot(_P[j, :].T, _xg) for j in range(3)]) + b,
             latex=r"\sum_{j=1}^N \alpha_j y_j \vec{x_j}^T \vec{x} + b"),
        Step(_dot(_wa, _xg) + b, latex=r"\vec{w}^T \vec{x} + b"),
    ],
    equation="2.20", section="2.2.4", title="the dual model's score is the primal score wᵀx + b (2.10)",
    domain=_dual_domain2, random=_labels, uses=["2.19:w"], scope="N = 3 examples in R^2, any input x",
)
claim(
    "2.20:runs",
    [Property(checks.primal_dual_agree, label="primal and dual perceptron agree after every update")],
    equation="2.20", section="2.2.4",
    title="primal (2.18) and dual (2.20) algorithms fed the same examples give the same w, b after every update",
    uses=["2.20:update", "2.20:condition"],
)

# 2.2.3 (4) — "the convergence … can be proved": Novikoff's bound, checked on random data.
claim(
    "novikoff",
    [Property(checks.novikoff, label="number of updates ≤ (R/γ)²")],
    section="2.2.3",
    title="Novikoff: on separable data the perceptron makes at most (R/γ)² updates",
    uses=["2.18:w", "2.18:b"],
)
