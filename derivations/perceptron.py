# --- claims: Chapter 2.2, the perceptron (2.10–2.20), XOR and the convergence bound ---
# Symbols keep the notes' names: w, b, η, examples (x_i, y_i), M the misclassified points. Vectors
# are instances in R^2 or R^3 (`scope` says which). Statements about the algorithm run it on
# seeded random data in exact rational arithmetic; the code is below `# --- algorithms ---`.
from fractions import Fraction

import numpy as np
import sympy as sp
from sympy import Abs, Matrix, Rational, Subs, oo, sqrt

from verifier import Evidence, Finite, Property, Step

from ._registry import claim

b, eta = sp.symbols("b eta")
_R = (-oo, oo)
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
    domain={_a: _R, _c: _R, _e: (0, oo)},
    where={w1: _c**2 + _e, w2: _a**2 + _e, b: -_e},
    scope="every w, b with sign(w₂+b) = sign(w₁+b) = +1 and sign(b) = −1, written w₂+b = a², w₁+b = c², b = −e (e > 0)",
)
claim(
    "xor:perceptron",
    [Property(lambda rng: _perceptron_on_xor(rng), label="the perceptron never finishes an epoch on XOR without a mistake")],
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
    domain={**{s: _R for s in (*_w[:2], *_x[:2], *_xp[:2], b)}, _w[2]: (0, oo)},
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
_space = {s: _R for s in (*_w, *_x0, b)}
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
    domain={**_space, **{s: _R for s in (*_z, *_v)}, mu: _R}, scope="R^3, any direction v",
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
    [Property(lambda rng: _same_zeros(rng), label="2.13 and 2.14 vanish together (w ≠ 0)")],
    equation="2.15", section="2.2.3",
    title="(b): for w ≠ 0, 2.13 and 2.14 have the same sign and the same zeros; a separator has loss 0",
    uses=["2.14:scale"],
)
claim(
    "2.15:minimizers",
    [Property(lambda rng: _minimizers_classify(rng), label="every minimizer of 2.15 classifies the training set")],
    equation="2.15", section="2.2.3",
    title="\"the final optimization result is there are no points with wrong classification\": every minimizer of 2.15 "
          "(L = 0) classifies all points correctly with f of 2.10–2.11",
    uses=["2.15:zeros"],
)

# 2.16 — gradients of L for a fixed M = {x_1, x_2, x_3} in R^3, against sympy.diff.
_X = Matrix(3, 3, lambda i, j: sp.Symbol(f"x_{i + 1}{j + 1}"))  # row i: the point x_i
_Y = sp.symbols("y_1:4")
_Lfull = -sp.Add(*[_Y[i] * (_dot(_w, _X[i, :].T) + b) for i in range(3)])
_grad_domain = {s: _R for s in (*_w, *_X, b)}
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
_step_domain = {s: _R for s in (*_w, *_xi, *_xgen, b)} | {eta: _ETA}
for _label, _where in (("2.17", "SGD step of 2.2.3 (2)"), ("2.18", "step (c) of the learning algorithm")):
    claim(
        f"{_label}:w",
        [
            Step(_w - eta * Matrix([sp.Derivative(_Li, s) for s in _w]), latex=r"\vec{w} - \eta \nabla_{\vec{w}} L_i"),
            Step(_w + eta * yi * _xgen, latex=r"\vec{w} + \eta y_i \vec{x}"),
        ],
        equation=_label, section="2.2.3", title=f"update of w, {_where}: w − η∇_w(−y_i(wᵀx_i + b))",
        domain=_step_domain, random={yi: _LABEL}, corrections={1: Step(_w + eta * yi * _xi, latex=r"\vec{w} + \eta y_i \vec{x_i}")},
        uses=["2.16:w"], scope="R^3; one misclassified example (x_i, y_i); \\vec{x} read as printed, the generic input of 2.10",
    )
    claim(
        f"{_label}:b",
        [
            Step(b - eta * sp.Derivative(_Li, b), latex=r"b - \eta \nabla_b L_i"),
            Step(b + eta * yi, latex=r"b + \eta y_i"),
        ],
        equation=_label, section="2.2.3", title=f"update of b, {_where}: b − η∂_b(−y_i(wᵀx_i + b))",
        domain=_step_domain, random={yi: _LABEL}, uses=["2.16:b"], scope="one misclassified example (x_i, y_i)",
    )

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
_dual_domain = {s: _R for s in _P} | {eta: _ETA}
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
_dual_domain2 = {s: _R for s in (*_P, *_xg, b)} | {a: (0, oo) for a in _alpha} | {eta: _ETA}
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
    [Property(lambda rng: _primal_dual_agree(rng), label="primal and dual perceptron agree after every update")],
    equation="2.20", section="2.2.4",
    title="primal (2.18) and dual (2.20) algorithms fed the same examples give the same w, b after every update",
    uses=["2.20:update", "2.20:condition"],
)

# 2.2.3 (4) — "the convergence … can be proved": Novikoff's bound, checked on random data.
claim(
    "novikoff",
    [Property(lambda rng: _novikoff(rng), label="number of updates ≤ (R/γ)²")],
    section="2.2.3",
    title="Novikoff: on separable data the perceptron makes at most (R/γ)² updates",
    uses=["2.18:w", "2.18:b"],
)


# --- algorithms ---
def _fractions(v):
    return [Fraction(int(a)) for a in v]


def _perceptron(points, labels, eta, order, w=None, b=0, max_epochs=10_000):
    """Primal perceptron (2.17/2.18 with x_i): returns (w, b, updates, epochs, clean); `order(epoch)` gives the examples."""
    n = len(points[0])
    w = [0] * n if w is None else list(w)
    updates = 0
    for epoch in range(max_epochs):
        mistakes = 0
        for i in order(epoch):
            x, y = points[i], labels[i]
            if y * (sum(a * c for a, c in zip(w, x)) + b) <= 0:
                w = [a + eta * y * c for a, c in zip(w, x)]
                b += eta * y
                updates += 1
                mistakes += 1
        if mistakes == 0:
            return w, b, updates, epoch + 1, True
    return w, b, updates, max_epochs, False


def _separable(rng, n, count, max_coord=6, band=None):
    """Integer points in [-max_coord, max_coord]^n labelled by a random integer separator (u, c), none on it
    (and, with `band`, all within 0 < |uᵀx + c| ≤ band of it: small margins, many updates)."""
    while True:
        u = [int(a) for a in rng.integers(-4, 5, n)]
        c = int(rng.integers(-4, 5))
        if not any(u):
            continue
        points, labels = [], []
        for _ in range(50 * count):
            x = [int(a) for a in rng.integers(-max_coord, max_coord + 1, n)]
            s = sum(a * v for a, v in zip(u, x)) + c
            if s != 0 and (band is None or abs(s) <= band):
                points.append(_fractions(x))
                labels.append(1 if s > 0 else -1)
                if len(points) == count:
                    return points, labels, (u, c)


_XOR = ([[0, 0], [0, 1], [1, 0], [1, 1]], [-1, 1, 1, -1])  # figure 2.1


def _perceptron_on_xor(rng):
    points, labels = _XOR
    epochs = 1000
    runs = 0
    orders = [None] + [np.random.default_rng(int(rng.integers(2**31))) for _ in range(8)]
    for g in orders:
        order = (lambda e: range(4)) if g is None else (lambda e, g=g: [int(i) for i in g.permutation(4)])
        w, b_, updates, run_epochs, clean = _perceptron(points, labels, 1, order, max_epochs=epochs)
        runs += 1
        if clean:
            return Evidence(False, f"an epoch without mistakes after {run_epochs} epochs", {"w": w, "b": b_}, exact=True)
    return Evidence(
        True,
        f"{runs} runs of the perceptron (2.18 with x_i, w_0 = 0, b_0 = 0, η = 1) on XOR, cyclic order and 8 seeded "
        f"random orders per epoch, {epochs} epochs each, in exact integer arithmetic: every epoch made at least one "
        "update, never zero mistakes (from w_0 = 0, b_0 = 0 any η gives the same run scaled by η)",
    )


def _score(w, b_, x):
    return sum(a * c for a, c in zip(w, x)) + b_


def _same_zeros(rng):
    """For w ≠ 0, 2.13 = L/‖w‖: same sign, same zeros; a separator found by the perceptron has L = 0."""
    cases = 0
    for _ in range(60):
        n = int(rng.integers(1, 4))
        points, labels, _ = _separable(rng, n, int(rng.integers(3, 12)))
        w = _fractions(rng.integers(-3, 4, n))
        if not any(w):
            w[0] = Fraction(1)
        b_ = Fraction(int(rng.integers(-3, 4)))
        norm = float(sum(a * a for a in w)) ** 0.5
        M = [i for i in range(len(points)) if labels[i] * _score(w, b_, points[i]) < 0]
        loss = -sum(labels[i] * _score(w, b_, points[i]) for i in M)
        distance = sum(abs(float(_score(w, b_, points[i]))) / norm for i in M)  # 2.12 summed over M
        cases += 1
        if (loss > 0) != (distance > 0) or loss < 0 or abs(float(loss) / norm - distance) > 1e-9 * (1 + distance):
            return Evidence(False, "2.13 and 2.14 disagree", {"w": w, "b": b_, "points": points, "labels": labels})
        w2, b2, _, _, clean = _perceptron(points, labels, Fraction(1), lambda e, k=len(points): range(k))
        if not clean or -sum(labels[i] * _score(w2, b2, points[i]) for i in range(len(points)) if labels[i] * _score(w2, b2, points[i]) < 0) != 0:
            return Evidence(False, "the separator has a positive loss", {"points": points, "labels": labels})
    return Evidence(
        True,
        f"{cases} random separable data sets (R^1–R^3, 3–11 integer points) with a random (w, b), w ≠ 0: L(w, b) ≥ 0, "
        "L = 0 exactly when 2.13 = 0 (the sums over M of 2.12's distances, in floats, equal L/‖w‖ to 1e-9), and the "
        "separator the perceptron finds has L = 0; exact rationals except the distances. Note: L(0, 0) = 0 too, "
        "where 2.13 is undefined (see 2.15:minimizers)",
    )


def _minimizers_classify(rng):
    """Minimizers of 2.15 are the (w, b) with L = 0; does f = sign(wᵀx + b) (2.11: sign(0) = +1) classify every point?"""
    tried = 0
    for _ in range(40):
        n = int(rng.integers(1, 4))
        points, labels, (u, c) = _separable(rng, n, int(rng.integers(3, 12)))
        if -1 not in labels:
            continue
        for w, b_ in ((_fractions(u), Fraction(c)), ([Fraction(0)] * n, Fraction(0))):
            tried += 1
            loss = -sum(labels[i] * _score(w, b_, points[i]) for i in range(len(points)) if labels[i] * _score(w, b_, points[i]) < 0)
            wrong = [i for i in range(len(points)) if (1 if _score(w, b_, points[i]) >= 0 else -1) != labels[i]]
            if loss == 0 and wrong:
                i = wrong[0]
                return Evidence(
                    False,
                    f"(w, b) = (0, 0) minimizes 2.15 (L = 0 for every data set) but f(x) = sign(0) = +1 misclassifies "
                    f"{len(wrong)} of the {len(points)} points of a seeded random separable data set; with M as in step (c) "
                    "(y_i(wᵀx_i + b) ≤ 0) every point is in M and L is still 0",
                    {"w": "0", "b": "0", "L(w, b)": str(loss), "x_i": [str(a) for a in points[i]], "y_i": labels[i],
                     "f(x_i)": 1, "misclassified": f"{len(wrong)} of {len(points)}"},
                    exact=True,
                )
    return Evidence(True, f"{tried} minimizers with L = 0 all classify their data set")


def _primal_dual_agree(rng):
    """Run 2.18 (primal) and 2.20 (dual, test at x_i) side by side on the same order of examples."""
    sets = updates = 0
    for _ in range(16):
        n = int(rng.integers(1, 4))
        N = int(rng.integers(4, 21))
        points, labels, _ = _separable(rng, n, N, max_coord=int(rng.integers(2, 9)), band=int(rng.integers(1, 4)))
        eta = Fraction(1, int(rng.integers(1, 5)))
        gram = [[sum(a * c for a, c in zip(p, q)) for q in points] for p in points]
        w, bp = [Fraction(0)] * n, Fraction(0)
        alpha, bd = [Fraction(0)] * N, Fraction(0)
        g = np.random.default_rng(int(rng.integers(2**31)))
        for epoch in range(1000):
            mistakes = 0
            for i in [int(k) for k in g.permutation(N)]:
                primal = labels[i] * (_score(w, bp, points[i])) <= 0
                dual = labels[i] * (sum(alpha[j] * labels[j] * gram[j][i] for j in range(N)) + bd) <= 0
                if primal != dual:
                    return Evidence(False, "the two tests disagree", {"epoch": epoch, "i": i + 1, "points": points}, exact=True)
                if primal:
                    w = [a + eta * labels[i] * c for a, c in zip(w, points[i])]
                    bp += eta * labels[i]
                    alpha[i] += eta
                    bd += eta * labels[i]
                    mistakes += 1
                    updates += 1
                    w_dual = [sum(alpha[j] * labels[j] * points[j][k] for j in range(N)) for k in range(n)]
                    if w_dual != w or bd != bp:
                        return Evidence(False, "w or b differ after an update", {"epoch": epoch, "i": i + 1, "w": w, "w_dual": w_dual}, exact=True)
            if mistakes == 0:
                break
        sets += 1
    return Evidence(
        True,
        f"{sets} random separable data sets (R^1–R^3, 4–20 integer points within a small band 0 < |u·x + c| ≤ 1…3 of the "
        "generating separator, η = 1, 1/2, 1/3 or 1/4), each example order "
        f"a seeded random permutation per epoch, run to convergence: the primal and dual tests agreed at every step and "
        f"after each of the {updates} updates w = Σ_j α_j y_j x_j and b agree, in exact rational arithmetic "
        "(the dual test evaluated at x_i, see 2.20:condition)",
    )


def _novikoff(rng):
    """Updates k ≤ (R/γ)² with R = max ‖(x_i, 1)‖ and γ = min_i y_i ŵ·(x_i, 1) for a unit separator ŵ, computed exactly."""
    sets = 0
    worst = Fraction(0)
    for _ in range(150):
        n = int(rng.integers(1, 4))
        band = None if rng.random() < 0.5 else int(rng.integers(1, 4))
        points, labels, (u, c) = _separable(rng, n, int(rng.integers(4, 16)), max_coord=int(rng.integers(2, 8)), band=band)
        eta = Fraction(1, int(rng.integers(1, 4)))
        g = np.random.default_rng(int(rng.integers(2**31)))
        w, b_, k, _, clean = _perceptron(points, labels, eta, lambda e, N=len(points), g=g: [int(i) for i in g.permutation(N)])
        if not clean:
            return Evidence(False, "no convergence within 10000 epochs", {"points": points, "labels": labels}, exact=True)
        R2 = max(sum(a * a for a in x) + 1 for x in points)
        bound = None
        for sep in ((_fractions(u), Fraction(c)), (w, b_)):  # any separator gives a valid bound; take the best
            sw, sb = sep
            norm2 = sum(a * a for a in sw) + sb * sb
            margin = min(y * _score(sw, sb, x) for x, y in zip(points, labels))
            if margin > 0:
                candidate = R2 * norm2 / (margin * margin)  # (R/γ)² with γ = margin/‖(w, b)‖, exactly
                bound = candidate if bound is None else min(bound, candidate)
        sets += 1
        worst = max(worst, k / bound)
        if k > bound:
            return Evidence(False, f"{k} updates > (R/γ)² = {bound}", {"points": points, "labels": labels, "eta": eta, "updates": k, "(R/γ)²": bound}, exact=True)
    return Evidence(
        True,
        f"{sets} random separable data sets (R^1–R^3, 4–15 integer points, half of them within a small band of the "
        "generating separator; η = 1, 1/2 or 1/3, seeded random order per "
        "epoch, w_0 = 0, b_0 = 0): the number k of updates until an epoch without mistakes satisfies k ≤ (R/γ)², "
        "R = max_i ‖(x_i, 1)‖, γ = min_i y_i ŵ·(x_i, 1) for a unit ŵ ∝ (w*, b*), the better of the generating "
        f"separator and the one the perceptron found; (R/γ)² compared exactly as rationals; largest k/(R/γ)² = {float(worst):.3f}",
    )
