"""Chapter 1 of the notes, probability moments (1.3–1.17): every line as printed.

The closed forms of the moments of common distributions, ``moments(name, **params)``, are the
reference implementation in `derivations.reference.moments`, re-exported here.
"""
from __future__ import annotations

from .reference.moments import DISTRIBUTIONS, moments

__all__ = ["DISTRIBUTIONS", "moments"]

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

_unevaluated = sp.UnevaluatedExpr  # keeps a printed line's shape (e.g. "Var[X] - Var[X]") for the reports

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

# 1.7 — the notes' todo: the same moments directly from the pmf (1.6), for every n ≥ 1 (sums to a
# symbolic n, by the binomial theorem).
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
    domain={p: (0, 1), n: (1, oo)}, scope="every n ≥ 1, every p in (0, 1)",
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
    domain={p: (0, 1), n: (1, oo)}, scope="every n ≥ 1, every p in (0, 1)",
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
        _unevaluated((b + a) * (b - a)) / (2 * (b - a)),
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
        _unevaluated((b - a) * (b**2 + a**2 + a * b)) / (3 * (b - a)),
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
        _unevaluated(4 * a**2 + 4 * b**2 + 4 * a * b) / 12 - _unevaluated(3 * a**2 + 3 * b**2 + 6 * a * b) / 12,
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
_beta_function = sp.beta  # B(α, β)
claim(
    "beta:mean",
    [E(X), _beta_function(alpha + 1, beta) / _beta_function(alpha, beta), alpha / (alpha + beta)],
    section="1.1.3", title="Beta(α, β) mean (the notes' todo)",
    domain={alpha: (0, oo), beta: (0, oo)}, random={X: _beta},
)
claim(
    "beta:variance",
    [
        Var(X),
        _beta_function(alpha + 2, beta) / _beta_function(alpha, beta) - (alpha / (alpha + beta)) ** 2,
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
