r"""Maximum-likelihood estimates: "P(Y = c_k) = Σ_i I(y_i = c_k) / N" read as what it states.

In a passage about estimation (2.4, 2.9), P(Y = c_k) on the left of a line is not a probability of
the model but its estimate from data y_1 … y_N: the line says the right side is the maximum of the
likelihood over the parameters θ_k = P(Y = c_k), k = 1 … K, a probability vector. The context says
so (`[scope.mle]`: the parameter, the likelihood in it, the data's name). This module checks it on
data sets drawn with a seed (K = 2, 3 classes, N ≤ 6 labels, each class numbered: c_k = k), in
exact arithmetic, each one completely:

- the right side, evaluated for every k, is a point of the simplex (θ_k ≥ 0, Σ θ_k = 1) where the
  log-likelihood ℓ is finite;
- ℓ is concave for θ > 0 (its Hessian diagonal with entries ≤ 0, shown by SymPy) — else nothing is
  decided;
- the Karush–Kuhn–Tucker conditions hold there: ∂ℓ/∂θ_k is one value λ wherever θ_k > 0 and at
  most λ wherever θ_k = 0. For a concave ℓ on the simplex that is exactly "a maximum".

Every data set passing is `checked` (evidence for every N and data, a proof for none); one failing
is an exact counterexample: that data set, the estimate, and the condition it breaks.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import AppliedUndef

DATASETS = 24  # data sets per line (a count, never a clock)


@dataclass(frozen=True)
class Model:
    """What a passage estimates: the parameter at class k, the likelihood, and the names it uses."""

    parameter: sp.Expr  # P(Y = c_k) as the claim reads it (an application with c(k) inside)
    likelihood: sp.Expr  # e.g. Π_{i=1}^{N} P(Y = y_i)
    classes: str  # the name of the class values (c: c_k = k)
    data: str  # the name of the data (y: y_1 … y_N)
    index: sp.Symbol  # k
    count: sp.Symbol  # N
    size: sp.Symbol | None  # K, when the lines name it


def _class_of(arg: sp.Basic, model: Model) -> sp.Basic | None:
    """The class an event Y = v names: v as the claim reads it (c(k), y(i), a number)."""
    if isinstance(arg, AppliedUndef) and type(arg).__name__ == "event" and len(arg.args) == 2:
        return arg.args[1]
    return None


def _parameter_value(app: sp.Basic, model: Model) -> sp.Basic | None:
    """For an application of the parameter's function, the class it is taken at."""
    if not (isinstance(app, AppliedUndef) and type(app) == type(model.parameter) and len(app.args) == len(model.parameter.args)):
        return None
    return _class_of(app.args[0], model)


def _concrete(e: sp.Expr, model: Model, k: int | None, labels: list[int], K: int) -> sp.Expr:
    """`e` on one data set: N, K, k and the data replaced, sums written out, c_m = m."""
    N = len(labels)
    rules = {model.count: sp.Integer(N)}
    if model.size is not None:
        rules[model.size] = sp.Integer(K)
    if k is not None:
        rules[model.index] = sp.Integer(k)
    e = e.xreplace(rules).doit()
    e = e.replace(lambda a: isinstance(a, AppliedUndef) and type(a).__name__ == model.classes and len(a.args) == 1, lambda a: a.args[0])
    e = e.replace(lambda a: isinstance(a, AppliedUndef) and type(a).__name__ == model.data and len(a.args) == 1 and a.args[0].is_Integer,
                  lambda a: sp.Integer(labels[int(a.args[0]) - 1]) if 1 <= int(a.args[0]) <= N else a)
    return e.doit()


def check(rhs: sp.Expr, model: Model, seed: int) -> tuple[str, str, str]:
    """(verdict, detail, counterexample) for "the estimate of the parameter at k is `rhs`"."""
    rng = random.Random(seed)
    for trial in range(DATASETS):
        K = 2 + trial % 2
        N = 1 + rng.randrange(6)
        labels = [1 + rng.randrange(K) for _ in range(N)]
        theta = sp.symbols(f"theta_1:{K + 1}", positive=True)
        estimate = []
        for k in range(1, K + 1):
            v = _concrete(rhs, model, k, labels, K)
            if not v.is_Rational:
                return "inconclusive", f"the right side is not a number on the data y = {tuple(labels)}, k = {k}: {v}", ""
            estimate.append(v)
        lik = _concrete(model.likelihood, model, None, labels, K)
        def at_class(a: sp.Basic) -> sp.Basic:  # the parameter at class m is θ_m
            m = _parameter_value(a, model)
            return theta[int(m) - 1] if m.is_Integer and 1 <= int(m) <= K else a

        lik = lik.replace(lambda a: _parameter_value(a, model) is not None, at_class)
        if lik.free_symbols - set(theta) or lik.has(AppliedUndef):
            return "inconclusive", f"the likelihood is not a function of the parameters on the data y = {tuple(labels)}: {lik}", ""
        ell = sp.expand_log(sp.log(lik), force=True)
        where = f"y = {tuple(labels)} (N = {N}, K = {K}), estimate θ̂ = {tuple(estimate)}"
        if any(v < 0 for v in estimate) or sum(estimate) != 1:
            return "refuted", f"the estimate is not a probability vector at {where}", where
        hessian = sp.hessian(ell, theta)
        if any(hessian[a, b] != 0 for a in range(K) for b in range(K) if a != b) or \
                any(hessian[a, a].is_nonpositive is not True for a in range(K)):
            return "inconclusive", f"the log-likelihood is not shown concave at y = {tuple(labels)}", ""
        at = dict(zip(theta, estimate))
        if any(estimate[m - 1] == 0 for m in labels):
            return "refuted", f"the likelihood is 0 at the estimate (a label's class gets probability 0): {where}", where
        grads = [sp.diff(ell, t) for t in theta]
        inside = [g.xreplace(at) for g, v in zip(grads, estimate) if v > 0]
        lam = inside[0]
        if any(g != lam for g in inside):
            return "refuted", f"∂ℓ/∂θ_k differ where θ̂_k > 0 ({tuple(inside)}): not a maximum at {where}", where
        edge = [g.xreplace(at) for g, v in zip(grads, estimate) if v == 0]
        if any(not g.is_Rational or g > lam for g in edge):
            return "refuted", f"moving weight to a class with θ̂_k = 0 increases ℓ: not a maximum at {where}", where
    return ("checked", f"on {DATASETS} data sets (K = 2, 3 classes, N ≤ 6 labels, seed {seed}), exact: each estimate is a point of"
            " the simplex where the log-likelihood, concave, meets the Karush–Kuhn–Tucker conditions — its maximum", "")
