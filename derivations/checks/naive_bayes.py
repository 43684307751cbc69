"""The code behind the property lines of section 2.1 (the claims are declared in
derivations/naive_bayes.py): random naive Bayes models and labelled data sets, decided exactly
in rational arithmetic.
"""
from __future__ import annotations

import itertools

from verifier import Evidence

from . import Fraction  # exact rationals (see derivations/checks/__init__.py)


def _random_distribution(rng, size):
    """A random probability vector with exact rational entries (all > 0)."""
    weights = [int(w) for w in rng.integers(1, 50, size)]
    total = sum(weights)
    return [Fraction(w, total) for w in weights]


def _argmax_set(values):
    best = max(values)
    return {c for c, v in enumerate(values) if v == best}


def argmax_unchanged(rng):
    """2.2 → 2.3 on random naive Bayes models, exactly: the posterior from the full joint table and
    the numerator of 2.3 have the same maximizing classes for every feature vector."""
    models = tables = 0
    for K in range(2, 7):
        for J in range(1, 5):
            for _ in range(3):
                values = [int(v) for v in rng.integers(2, 4, J)]  # feature j takes values 0 … values[j]-1
                prior = _random_distribution(rng, K)
                cond = [[_random_distribution(rng, values[j]) for j in range(J)] for _ in range(K)]
                if rng.random() < 0.3:  # ties: make two classes identical
                    cond[1] = cond[0]
                    prior[1] = prior[0] = (prior[0] + prior[1]) / 2
                models += 1
                for x in itertools.product(*[range(v) for v in values]):
                    numerators = []
                    for c in range(K):
                        f = prior[c]
                        for j in range(J):
                            f *= cond[c][j][x[j]]
                        numerators.append(f)
                    # P(X = x) by marginalizing the full joint table over Y.
                    evidence = sum(numerators)
                    posterior = [f / evidence for f in numerators]
                    tables += 1
                    if _argmax_set(posterior) != _argmax_set(numerators):
                        return Evidence(False, "argmax differs", {"K": K, "J": J, "x": x, "prior": prior}, exact=True)
    return Evidence(
        True,
        f"{models} random naive Bayes models (K = 2…6 classes, J = 1…4 features with 2–3 values, some with tied classes), "
        f"every one of their {tables} feature vectors: argmax_k of 2.3's numerator = argmax_k of the posterior 2.2 "
        "(computed from the full joint table), as sets of maximizers, in exact rational arithmetic",
    )


def _likelihood(prior, cond, data):
    """Π_i P(y_i) Π_j P(x_i^(j) | y_i), exactly."""
    out = Fraction(1)
    for x, y in data:
        out *= prior[y]
        for j, v in enumerate(x):
            out *= cond[y][j][v]
    return out


def mle_is_maximum(rng):
    """2.4's estimates (counts) against random feasible parameters and small moves from the estimate."""
    sets = rivals = 0
    for K in range(2, 7):
        for J in range(1, 4):
            for _ in range(3):
                values = [int(v) for v in rng.integers(2, 5, J)]
                n = int(rng.integers(K, 4 * K + 6))
                data = [(tuple(int(rng.integers(0, v)) for v in values), int(rng.integers(0, K))) for _ in range(n)]
                data += [(tuple(int(rng.integers(0, v)) for v in values), c) for c in range(K)]  # every class occurs
                N = len(data)
                counts = [sum(1 for _, y in data if y == c) for c in range(K)]
                prior = [Fraction(counts[c], N) for c in range(K)]  # Σ_i I(y_i = c_k) / N
                cond = [[[Fraction(sum(1 for x, y in data if y == c and x[j] == a), counts[c]) for a in range(values[j])]
                         for j in range(J)] for c in range(K)]  # Σ_i I(x_i^(j) = a_jl, y_i = c_k) / Σ_i I(y_i = c_k)
                best = _likelihood(prior, cond, data)
                sets += 1
                for trial in range(12):
                    if trial % 2:
                        p2 = _random_distribution(rng, K)
                        c2 = [[_random_distribution(rng, v) for v in values] for _ in range(K)]
                    else:  # a small move inside the simplices: mix the estimate with a random point
                        t = Fraction(1, int(rng.integers(5, 100)))
                        r = _random_distribution(rng, K)
                        p2 = [(1 - t) * a + t * b for a, b in zip(prior, r)]
                        c2 = [[[(1 - t) * a + t * b for a, b in zip(cond[c][j], _random_distribution(rng, values[j]))]
                               for j in range(J)] for c in range(K)]
                    rivals += 1
                    if _likelihood(p2, c2, data) > best:
                        return Evidence(False, "a rival beats the counting estimate",
                                        {"K": K, "J": J, "data": data, "prior": p2}, exact=True)
    return Evidence(
        True,
        f"{sets} random labelled data sets (K = 2…6 classes, J = 1…3 features with 2–4 values, N = 2K…5K+5 samples, every class present): "
        f"the estimates of 2.4 have a likelihood ≥ each of {rivals} rivals (random parameters and small moves from the "
        "estimate inside the simplices), compared exactly in rational arithmetic",
    )
