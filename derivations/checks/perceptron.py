"""The code behind the property lines of section 2.2 (the claims are declared in
derivations/perceptron.py): the perceptron algorithm, primal (2.17/2.18 with x_i) and dual
(2.20), run on seeded random separable data in exact rational arithmetic.
"""
from __future__ import annotations

import numpy as np

from verifier import Evidence

from . import Fraction  # exact rationals (see derivations/checks/__init__.py)


def _fractions(v):
    return [Fraction(int(a)) for a in v]


def _integer(v: Fraction) -> int:
    """v as an int; v must be an integer (a data point's coordinate), never truncated."""
    if v.denominator != 1:
        raise ValueError(f"{v} is not an integer")
    return v.numerator


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


def perceptron_on_xor(rng):
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


def same_zeros(rng):
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


# 2.15, "the final optimization result is there are no points with wrong classification": stated
# here, searched by the engine (verifier.ForAll) over small separable data sets and small integer
# (w, b), smallest first. L ≥ 0, so on separable data the minimizers are exactly the (w, b) with L = 0.
SMALL = (0, 1, -1, 2, -2)
WEIGHTS = tuple(sorted(((a, c) for a in SMALL for c in SMALL), key=lambda w: abs(w[0]) + abs(w[1])))
DATA_SETS = (  # (points, labels), each separable (by w = (1, 0), b = 0; (1, 1), −1; (1, 1), 0)
    (((-1, 0), (1, 0)), (-1, 1)),
    (((0, 0), (1, 1), (2, 0)), (-1, 1, 1)),
    (((1, 2), (2, 1), (-1, -1), (0, -2)), (1, 1, -1, -1)),
)


def loss(w, b_, points, labels) -> int:
    """L(w, b) of 2.15: −Σ y_i(wᵀx_i + b) over the points with y_i(wᵀx_i + b) < 0."""
    return -sum(y * _score(w, b_, x) for x, y in zip(points, labels) if y * _score(w, b_, x) < 0)


def f(w, b_, x) -> int:
    """The perceptron's decision 2.10–2.11: sign(wᵀx + b), with sign(0) = +1."""
    return 1 if _score(w, b_, x) >= 0 else -1


def minimizer_classifies(data, w, b) -> bool | None:
    """True when this minimizer of L classifies every point; None when (w, b) is not a minimizer."""
    points, labels = data
    if loss(w, b, points, labels) != 0:
        return None
    return all(f(w, b, x) == y for x, y in zip(points, labels))


def show_minimizer(data, w, b) -> dict:
    """What a counterexample to 2.15's claim shows: the minimizer, its loss, a point it gets wrong."""
    points, labels = data
    wrong = [(x, y) for x, y in zip(points, labels) if f(w, b, x) != y]
    x, y = wrong[0]
    return {"w": w, "b": b, "L(w, b)": loss(w, b, points, labels), "data": data, "x_i": x, "y_i": y, "f(x_i)": f(w, b, x),
            "misclassified": f"{len(wrong)} of {len(points)}"}


def primal_dual_agree(rng):
    """Run 2.18 (primal) and 2.20 (dual, test at x_i) side by side on the same order of examples."""
    sets = updates = 0
    for _ in range(16):
        n = int(rng.integers(1, 4))
        N = int(rng.integers(4, 21))
        points, labels, _ = _separable(rng, n, N, max_coord=int(rng.integers(2, 9)), band=int(rng.integers(1, 4)))
        eta = Fraction(1, int(rng.integers(1, 5)))
        # x_j·x_i and y_j x_j as integers (the points are), so that each term of the dual sums is one
        # rational product; a term with α_j = 0 is 0 and left out of the sums (exact either way)
        gram = [[_integer(sum(a * c for a, c in zip(p, q))) for q in points] for p in points]
        signed = [[labels[j] * _integer(c) for c in points[j]] for j in range(N)]
        w, bp = [Fraction(0)] * n, Fraction(0)
        alpha, bd = [Fraction(0)] * N, Fraction(0)
        g = np.random.default_rng(int(rng.integers(2**31)))
        for epoch in range(1000):
            mistakes = 0
            for i in [int(k) for k in g.permutation(N)]:
                primal = labels[i] * (_score(w, bp, points[i])) <= 0
                dual = labels[i] * (sum(alpha[j] * (labels[j] * gram[j][i]) for j in range(N) if alpha[j]) + bd) <= 0
                if primal != dual:
                    return Evidence(False, "the two tests disagree", {"epoch": epoch, "i": i + 1, "points": points}, exact=True)
                if primal:
                    w = [a + eta * labels[i] * c for a, c in zip(w, points[i])]
                    bp += eta * labels[i]
                    alpha[i] += eta
                    bd += eta * labels[i]
                    mistakes += 1
                    updates += 1
                    w_dual = [sum(alpha[j] * signed[j][k] for j in range(N) if alpha[j]) for k in range(n)]
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


def novikoff(rng):
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
