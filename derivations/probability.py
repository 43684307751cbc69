"""Closed-form mean and variance of common distributions (used to check the notes' moment derivations).

Numbers in -> numbers out: floats (or numpy floats/arrays, dtype kept) give floats; ints and
fractions.Fraction give exact results (int when integral, else Fraction).  SymPy objects in ->
SymPy expressions out (sympy is imported only in that case).
"""

# --- reference implementation (numpy) ---
from __future__ import annotations

import numbers
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = ["DISTRIBUTIONS", "moments"]

#: distribution name -> accepted parameter sets (each a tuple of names; all of one set are required).
DISTRIBUTIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "bernoulli": (("p",),),
    "binomial": (("n", "p"),),
    "poisson": (("lam",),),
    "uniform": (("a", "b"),),
    "normal": (("mu", "sigma2"), ("mu", "sigma")),
    "exponential": (("lam",),),
    "beta": (("alpha", "beta"),),
}


def _accepted() -> str:
    return "; ".join(
        f"{name}(" + " | ".join(", ".join(s) for s in sets) + ")" for name, sets in DISTRIBUTIONS.items()
    )


def _is_sympy(v: Any) -> bool:
    return any(c.__module__.split(".")[0] == "sympy" for c in type(v).__mro__)


def _is_exact(v: Any) -> bool:
    return isinstance(v, (int, Fraction)) and not isinstance(v, bool)


def _check(cond: Any, msg: str) -> None:
    if not bool(np.all(cond)):
        raise ValueError(msg)


def _exact_out(v: Fraction) -> int | Fraction:
    return v.numerator if v.denominator == 1 else v


def moments(name: str, **params: Any) -> tuple[Any, Any]:
    """(E[X], Var[X]) in closed form: bernoulli(p), binomial(n, p), poisson(lam), uniform(a, b),
    normal(mu, sigma2 | sigma), exponential(lam) (rate), beta(alpha, beta)."""
    if not isinstance(name, str) or name.lower() not in DISTRIBUTIONS:
        raise ValueError(f"unknown distribution {name!r}; accepted: {_accepted()}")
    key = name.lower()
    sets = DISTRIBUTIONS[key]
    if not any(set(params) == set(s) for s in sets):
        want = " or ".join("(" + ", ".join(s) + ")" for s in sets)
        raise ValueError(
            f"{key} takes parameters {want}, got ({', '.join(params) or 'none'})"
        )
    values = dict(params)
    symbolic = any(_is_sympy(v) for v in values.values())
    exact = not symbolic and all(_is_exact(v) for v in values.values())
    if symbolic:
        import sympy

        values = {k: sympy.sympify(v) for k, v in values.items()}
    elif exact:
        values = {k: Fraction(v) for k, v in values.items()}
    else:
        for k, v in values.items():
            if not isinstance(v, (numbers.Number, np.ndarray, np.generic)):
                raise ValueError(f"parameter {k}={v!r} must be a number, an array or a SymPy expression")
            if isinstance(v, Fraction):
                values[k] = float(v)  # mixing Fraction with floats: compute in floats
    if not symbolic:
        _check_domain(key, values)

    mean, var = _formulas(key, values)
    if exact:
        return _exact_out(mean), _exact_out(var)
    return mean, var


def _check_domain(key: str, v: dict[str, Any]) -> None:
    if key in ("bernoulli", "binomial"):
        _check((0 <= v["p"]) & (v["p"] <= 1), f"{key}: p must lie in [0, 1], got {v['p']!r}")
    if key == "binomial":
        n = v["n"]
        if isinstance(n, Fraction):
            ok = n >= 0 and n.denominator == 1
        else:
            ok = (np.asarray(n) >= 0) & (np.floor(n) == n)
        _check(ok, f"binomial: n must be a non-negative integer, got {n!r}")
    if key in ("poisson", "exponential"):
        _check(v["lam"] > 0, f"{key}: lam must be > 0, got {v['lam']!r}")
    if key == "uniform":
        _check(v["a"] < v["b"], f"uniform: need a < b, got a={v['a']!r}, b={v['b']!r}")
    if key == "normal":
        if "sigma2" in v:
            _check(v["sigma2"] >= 0, f"normal: sigma2 (the variance) must be >= 0, got {v['sigma2']!r}")
        else:
            _check(v["sigma"] >= 0, f"normal: sigma (the standard deviation) must be >= 0, got {v['sigma']!r}")
    if key == "beta":
        _check((v["alpha"] > 0) & (v["beta"] > 0),
               f"beta: alpha and beta must be > 0, got alpha={v['alpha']!r}, beta={v['beta']!r}")


def _formulas(key: str, v: dict[str, Any]) -> tuple[Any, Any]:
    if key == "bernoulli":
        p = v["p"]
        return p, p * (1 - p)
    if key == "binomial":
        n, p = v["n"], v["p"]
        return n * p, n * p * (1 - p)
    if key == "poisson":
        lam = v["lam"]
        return lam, lam
    if key == "uniform":
        a, b = v["a"], v["b"]
        return (a + b) / 2, (b - a) ** 2 / 12
    if key == "normal":
        mu = v["mu"]
        return mu, (v["sigma2"] if "sigma2" in v else v["sigma"] ** 2)
    if key == "exponential":
        lam = v["lam"]
        return 1 / lam, 1 / lam**2
    if key == "beta":
        al, be = v["alpha"], v["beta"]
        s = al + be
        return al / s, al * be / (s**2 * (s + 1))
    raise AssertionError(key)  # pragma: no cover


# --- claims: Chapter 1, probability moments (1.3–1.17), every line as printed ---
# Symbols keep the notes' names. Lines are SymPy expressions; `latex` keeps the printed form
# where SymPy would reorder or collapse it. The engine decides every verdict.
import sympy as sp
from sympy import Eq, Integral, Rational, Sum, exp, factorial, oo, sqrt, pi, binomial

from verifier import E, P, Var, Step
from verifier import Bernoulli as _Bernoulli
from verifier import Beta as _Beta
from verifier import Exponential as _Exponential
from verifier import Finite as _Finite
from verifier import Generic as _Generic
from verifier import Normal as _Normal
from verifier import Poisson as _Poisson
from verifier import Uniform as _Uniform

from ._registry import claim

_U = sp.UnevaluatedExpr  # keeps a printed line's shape (e.g. "Var[X] - Var[X]") for the reports

X = sp.Symbol("X")
x = sp.Symbol("x")
p, lam = sp.symbols("p lambda")
a, b = sp.symbols("a b")
mu, sigma2 = sp.symbols("mu sigma2")
alpha, beta = sp.symbols("alpha beta")
n = sp.Symbol("n", integer=True)
i, k, j = sp.symbols("i k j", integer=True)
Xs = sp.IndexedBase("X")  # X[1], X[2], …: iid copies of X

# 1.1.1 — a discrete X with four values x1…x4 and probabilities p1…p4 (symbolic).
xs = sp.symbols("x1:5")
ps = sp.symbols("p1:4")
_probs = (*ps, 1 - sum(ps))
_discrete = _Finite(dict(zip(xs, _probs)))

claim(
    "1.3",
    [
        Var(X),
        Step(sp.Add(*[(xv - E(X)) ** 2 * pv for xv, pv in zip(xs, _probs)]), latex=r"\sum_{i=1}^{n}(X_i-E(X))^2P(X_i)"),
        E((X - E(X)) ** 2),
        E(X**2 + E(X) ** 2 - 2 * X * E(X)),
        E(X**2) + E(X) ** 2 - 2 * E(X) * E(X),
        E(X**2) - E(X) ** 2,
    ],
    equation="1.3",
    section="1.1.1",
    title="Var(X) = E(X²) − E(X)² for a discrete variable",
    domain={**{xv: (-oo, oo) for xv in xs}, **{pv: (0, Rational(1, 3)) for pv in ps}},
    random={X: _discrete},
    scope="X takes 4 values with symbolic values and probabilities",
)

# 1.1.2 — Bernoulli (1.5)
_bern = _Bernoulli(p)
q = 1 - p
claim(
    "1.5:mean",
    [E(X), P(Eq(X, 1)) * 1 + P(Eq(X, 0)) * 0, p],
    equation="1.5", section="1.1.2", title="Bernoulli mean",
    domain={p: (0, 1)}, random={X: _bern},
)
claim(
    "1.5:second-moment",
    [E(X**2), P(Eq(X, 1)) * 1**2 + P(Eq(X, 0)) * 0**2, P(Eq(X, 1)), p],
    equation="1.5", section="1.1.2", title="Bernoulli second moment",
    domain={p: (0, 1)}, random={X: _bern},
)
claim(
    "1.5:variance",
    [Var(X), E(X**2) - E(X) ** 2, p - p**2, p * (1 - p), Step(p * q, latex="pq")],
    equation="1.5", section="1.1.2", title="Bernoulli variance",
    domain={p: (0, 1)}, random={X: _bern},
)

# 1.7 — binomial as a sum of n iid Bernoulli(p) variables X_1 … X_n.
_sum_X = Sum(Xs[i], (i, 1, n))
claim(
    "1.7:mean",
    [
        E(_sum_X),
        Sum(E(Xs[i]), (i, 1, n)),
        Sum(p, (i, 1, n)),
        n * p,
    ],
    equation="1.7", section="1.1.2", title="binomial mean via Bernoulli trials",
    domain={p: (0, 1), n: (1, oo)}, random={Xs: _bern},
)
claim(
    "1.7:variance",
    [
        Var(_sum_X),
        Sum(Var(Xs[i]), (i, 1, n)),
        n * Var(Xs[1]),
        n * p * (1 - p),
    ],
    equation="1.7", section="1.1.2", title="binomial variance via Bernoulli trials",
    domain={p: (0, 1), n: (1, oo)}, random={Xs: _bern},
)

# 1.7 — the notes' todo: the same moments directly from the pmf (1.6).
_pmf = binomial(n, k) * p**k * (1 - p) ** (n - k)
claim(
    "1.7:mean-from-pmf",
    [
        Sum(k * _pmf, (k, 0, n)),
        Sum(n * p * binomial(n - 1, k - 1) * p ** (k - 1) * (1 - p) ** (n - k), (k, 1, n)),
        n * p * Sum(binomial(n - 1, j) * p**j * (1 - p) ** (n - 1 - j), (j, 0, n - 1)),
        n * p * (p + 1 - p) ** (n - 1),
        n * p,
    ],
    equation="1.7", section="1.1.2", title="binomial mean directly from the pmf",
    domain={p: (0, 1), n: (1, oo)},
)
claim(
    "1.7:variance-from-pmf",
    [
        Sum(k**2 * _pmf, (k, 0, n)) - (n * p) ** 2,
        Sum(k * (k - 1) * _pmf, (k, 0, n)) + Sum(k * _pmf, (k, 0, n)) - (n * p) ** 2,
        n * (n - 1) * p**2 + n * p - n**2 * p**2,
        n * p * (1 - p),
    ],
    equation="1.7", section="1.1.2", title="binomial variance directly from the pmf",
    domain={p: (0, 1), n: (1, oo)},
)

# 1.9 — Poisson, with the series step the notes lean on.
_pois = _Poisson(lam)
claim(
    "1.9:mean",
    [
        E(X),
        Sum(i * P(Eq(X, i)), (i, 0, oo)),
        Sum(i * exp(-lam) * lam**i / factorial(i), (i, 1, oo)),
        lam * exp(-lam) * Sum(lam ** (i - 1) / factorial(i - 1), (i, 1, oo)),
        lam * exp(-lam) * Sum(lam**i / factorial(i), (i, 0, oo)),
        lam * exp(-lam) * exp(lam),
        lam,
    ],
    equation="1.9", section="1.1.2", title="Poisson mean",
    domain={lam: (0, oo)}, random={X: _pois},
)
claim(
    "1.9:second-moment",
    [E(X**2), lam + lam**2],
    equation="1.9", section="1.1.2", title="Poisson second moment",
    domain={lam: (0, oo)}, random={X: _pois},
)
claim(
    "1.9:variance",
    [Var(X), lam + lam**2 - lam**2, lam],
    equation="1.9", section="1.1.2", title="Poisson variance",
    domain={lam: (0, oo)}, random={X: _pois},
)
claim(
    "1.9:taylor",
    [exp(x), Sum(x**i / factorial(i), (i, 0, oo))],
    equation="1.9", section="1.1.2", title="Taylor series of e^x at 0 (the note under 1.9)",
    domain={x: (-oo, oo)},
)

# 1.11 — uniform on (a, b). The box a < 1 < b keeps a < b; every line is a rational function
# (or an integral of one), so an identity on this open box is an identity everywhere.
_unif = _Uniform(a, b)
_ab = {a: (-10, 1), b: (1, 10)}
claim(
    "1.11:mean",
    [
        E(X),
        Integral(x / (b - a), (x, a, b)),
        Step(b**2 / (2 * (b - a)) - a**2 / (2 * (b - a)), latex=r"\frac{x^2}{2(b-a)}\Big|_a^b"),
        (b**2 - a**2) / (2 * (b - a)),
        _U((b + a) * (b - a)) / (2 * (b - a)),
        (b + a) / 2,
    ],
    equation="1.11", section="1.1.3", title="uniform mean",
    domain=_ab, random={X: _unif},
)
claim(
    "1.11:second-moment",
    [
        E(X**2),
        Integral(x**2 / (b - a), (x, a, b)),
        Step(b**3 / (3 * (b - a)) - a**3 / (3 * (b - a)), latex=r"\frac{x^3}{3(b-a)}\Big|_a^b"),
        (b**3 - a**3) / (3 * (b - a)),
        _U((b - a) * (b**2 + a**2 + a * b)) / (3 * (b - a)),
        (a**2 + b**2 + a * b) / 3,
    ],
    equation="1.11", section="1.1.3", title="uniform second moment",
    domain=_ab, random={X: _unif},
)
claim(
    "1.11:variance",
    [
        Var(X),
        E(X**2) - E(X) ** 2,
        (a**2 + b**2 + a * b) / 3 - ((b + a) / 2) ** 2,
        _U(4 * a**2 + 4 * b**2 + 4 * a * b) / 12 - _U(3 * a**2 + 3 * b**2 + 6 * a * b) / 12,
        (a - b) ** 2 / 12,
    ],
    equation="1.11", section="1.1.3", title="uniform variance",
    domain=_ab, random={X: _unif},
)

# 1.12 — normal: the notes skip the integrals; here they are.
_pdf_normal = 1 / sqrt(2 * pi * sigma2) * exp(-((x - mu) ** 2) / (2 * sigma2))
_norm = _Normal(mu, sigma2)
_ms = {mu: (-oo, oo), sigma2: (0, oo)}
claim(
    "1.12:density",
    [Integral(_pdf_normal, (x, -oo, oo)), 1],
    equation="1.12", section="1.1.3", title="the normal density integrates to 1",
    domain=_ms,
)
claim(
    "1.12:mean",
    [E(X), Integral(x * _pdf_normal, (x, -oo, oo)), mu],
    equation="1.12", section="1.1.3", title="normal mean (derived; the notes skip it)",
    domain=_ms, random={X: _norm},
)
claim(
    "1.12:variance",
    [Var(X), Integral((x - mu) ** 2 * _pdf_normal, (x, -oo, oo)), sigma2],
    equation="1.12", section="1.1.3", title="normal variance (derived; the notes skip it)",
    domain=_ms, random={X: _norm},
)

# 1.14 — exponential, with the integrals the notes skip.
_pdf_exp = lam * exp(-lam * x)
_expo = _Exponential(lam)
claim(
    "1.14:mean",
    [E(X), Integral(x * _pdf_exp, (x, 0, oo)), 1 / lam],
    equation="1.14", section="1.1.3", title="exponential mean",
    domain={lam: (0, oo)}, random={X: _expo},
)
claim(
    "1.14:variance",
    [Var(X), E(X**2) - E(X) ** 2, Integral(x**2 * _pdf_exp, (x, 0, oo)) - (1 / lam) ** 2, 2 / lam**2 - 1 / lam**2, 1 / lam**2],
    equation="1.14", section="1.1.3", title="exponential variance",
    domain={lam: (0, oo)}, random={X: _expo},
)

# The notes' todo: the Beta distribution's mean and variance.
_beta = _Beta(alpha, beta)
_B = sp.beta
claim(
    "beta:mean",
    [E(X), _B(alpha + 1, beta) / _B(alpha, beta), alpha / (alpha + beta)],
    section="1.1.3", title="Beta(α, β) mean (the notes' todo)",
    domain={alpha: (0, oo), beta: (0, oo)}, random={X: _beta},
)
claim(
    "beta:variance",
    [
        Var(X),
        _B(alpha + 2, beta) / _B(alpha, beta) - (alpha / (alpha + beta)) ** 2,
        alpha * (alpha + 1) / ((alpha + beta) * (alpha + beta + 1)) - alpha**2 / (alpha + beta) ** 2,
        alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1)),
    ],
    section="1.1.3", title="Beta(α, β) variance (the notes' todo)",
    domain={alpha: (0, oo), beta: (0, oo)}, random={X: _beta},
)

# 1.17 — sample mean and sample variance are unbiased; every line as printed. X is any
# distribution with finite moments; X[1] … X[n] are iid copies of it.
_gen = _Generic("X")
Xbar, S2 = sp.symbols("X̄ S²")  # abbreviations, written out by the engine (where=…)
_defs = {Xbar: Sum(Xs[i], (i, 1, n)) / n, S2: Sum((Xs[i] - Xbar) ** 2, (i, 1, n)) / (n - 1)}
_sample = {n: (2, oo)}
_iid = {X: _gen, Xs: _gen}
_Add = lambda *terms: sp.Add(*terms, evaluate=False)  # noqa: E731  (keeps n X̄² − 2n X̄² as printed)
claim(
    "1.17:mean",
    [
        E(Xbar),
        E(1 / n * Sum(Xs[i], (i, 1, n))),
        1 / n * Sum(E(Xs[i]), (i, 1, n)),
        Step(sp.Mul(1 / n, n * E(X), evaluate=False), latex=r"\frac{1}{n} n E(X)"),
        E(X),
    ],
    equation="1.17", section="1.1.4", title="the sample mean is unbiased",
    domain=_sample, random=_iid, where=_defs,
)
claim(
    "1.17:variance",
    [
        E(S2),
        E(1 / (n - 1) * Sum((Xs[i] - Xbar) ** 2, (i, 1, n))),
        1 / (n - 1) * E(Sum(Xs[i] ** 2 + Xbar**2 - 2 * Xs[i] * Xbar, (i, 1, n))),
        1 / (n - 1) * _Add(E(Sum(Xs[i] ** 2, (i, 1, n))), n * Xbar**2, -2 * n * Xbar**2),
        1 / (n - 1) * (n * E(X**2) - n * E(Xbar**2)),
        n / (n - 1) * (Var(X) + E(X) ** 2 - Var(Xbar) - E(Xbar) ** 2),
        n / (n - 1) * (Var(X) - Var(Xbar)),
        n / (n - 1) * _Add(Var(X), -Var(X)),
        Var(X),
        Var(X),
    ],
    equation="1.17", section="1.1.4", title="the sample variance is unbiased",
    domain=_sample, random=_iid, where=_defs,
    corrections={
        3: 1 / (n - 1) * _Add(E(Sum(Xs[i] ** 2, (i, 1, n))), n * E(Xbar**2), -2 * n * E(Xbar**2)),
        7: n / (n - 1) * (Var(X) - Var(X) / n),
    },
)
