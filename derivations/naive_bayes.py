"""Section 2.1 of the notes, naive Bayes (2.1–2.9): every line as printed.

Symbols keep the notes' names. Where a printed line has a free index (θ_k, N_k inside a product
over i), the claim is an instance on concrete small data and `scope` says which. The engine
decides every verdict; the counting and random-table checks are Property functions in
derivations/checks/naive_bayes.py.
"""
from __future__ import annotations

import sympy as sp
from sympy import KroneckerDelta, Matrix, Product, Rational, Sum, log, oo

from verifier import Property, Step

from ._registry import claim
from .checks import naive_bayes as checks
from .symbolic import Subs

i = sp.Symbol("i", integer=True)
k = sp.Symbol("k", integer=True)
lam = sp.Symbol("lambda")


def _mul(*factors):
    return sp.Mul(*factors, evaluate=False)


# 2.1.1 — Bayes' rule (2.1) on a finite joint table: causes θ_1, θ_2 × results x_1, x_2, x_3 with
# joint probabilities q_ab > 0 (any positive table; normalisation cancels). Conditional
# probabilities by their definition, P(A|B) = P(A, B) / P(B).
_q = Matrix(2, 3, lambda a, b: sp.Symbol(f"q_{a + 1}{b + 1}"))
_prior = [sum(_q[a, :]) for a in range(2)]  # P(θ_a)
_evidence = [sum(_q[:, b]) for b in range(3)]  # P(x_b)
claim(
    "2.1",
    [
        Step(Matrix(2, 3, lambda a, b: _q[a, b] / _evidence[b]), latex=r"P(\theta|x) = \frac{P(\theta, x)}{P(x)}"),
        Step(
            Matrix(2, 3, lambda a, b: _mul(_mul(_q[a, b], 1 / _prior[a]), _prior[a], 1 / _evidence[b])),
            latex=r"\frac{P(x|\theta)P(\theta)}{P(x)}",
        ),
    ],
    equation="2.1", section="2.1.1", title="Bayes' rule: P(θ|x) = P(x|θ)P(θ)/P(x)",
    domain={s: (0, oo) for s in _q},
    scope="every entry of a 2 causes × 3 results joint table with symbolic positive probabilities",
)

# 2.1.2 — the naive Bayes posterior (2.2) and its argmax without the denominator (2.3).
# K = 3 classes, J = 2 features; at the observed x, a_jk = P(X^(j) = x^(j) | Y = c_k) and
# π_k = P(Y = c_k). The naive assumption: P(X = x | Y = c_k) = Π_j a_jk.
_pi = sp.symbols("pi_1:4")
_a = Matrix(2, 3, lambda j, c: sp.Symbol(f"a_{j + 1}{c + 1}"))
_nb_joint = [_pi[c] * _a[0, c] * _a[1, c] for c in range(3)]  # P(Y = c_k, X = x) under the naive model
_Z = sp.Add(*_nb_joint)  # P(X = x) = Σ_k P(Y = c_k, X = x)
_nb_domain = {**{s: (0, 1) for s in _pi}, **{s: (0, 1) for s in _a}}  # any positive values: no normalisation needed
claim(
    "2.2",
    [
        Step(Matrix([_nb_joint[c] / sp.Add(*_nb_joint) for c in range(3)]), latex=r"P(Y=c_k|X=x) = \frac{P(Y=c_k, X=x)}{P(X=x)}"),
        Step(
            Matrix([_mul(_pi[c], _a[0, c], _a[1, c], 1 / sp.Add(*[_mul(_pi[m], _a[0, m], _a[1, m]) for m in range(3)])) for c in range(3)]),
            latex=r"\frac{P(Y=c_k)\prod_j P(X^{(j)}=x^{(j)}|Y=c_k)}{\sum_k P(Y=c_k)\prod_j P(X^{(j)}=x^{(j)}|Y=c_k)}",
        ),
    ],
    equation="2.2", section="2.1.2", title="naive Bayes posterior: Bayes' rule with P(X=x|Y=c_k) = Π_j P(X^(j)=x^(j)|Y=c_k)",
    domain=_nb_domain,
    scope="K = 3 classes, J = 2 features, symbolic prior and conditional probabilities at the observed x",
)
claim(
    "2.3:order",
    [
        Step((_nb_joint[1] / _Z - _nb_joint[0] / _Z) * (_nb_joint[1] - _nb_joint[0]), latex=r"(P(c_2|x) - P(c_1|x))\,(f(c_2) - f(c_1))"),
        (_nb_joint[1] - _nb_joint[0]) ** 2 / _Z,
        Step(0, rel=">="),
    ],
    equation="2.3", section="2.1.2",
    title="dropping the shared denominator keeps the order of the classes: the two differences never have opposite signs",
    domain=_nb_domain,
    scope="K = 3, J = 2 as in 2.2; f(c_k) = P(Y=c_k) Π_j P(X^(j)=x^(j)|Y=c_k), the objective of 2.3",
    uses=["2.2"],
)

claim(
    "2.3:argmax",
    [Property(checks.argmax_unchanged, label="argmax of 2.3 = argmax of 2.2 on random tables")],
    equation="2.3", section="2.1.2", title="2.2 → 2.3: dropping the shared denominator leaves the argmax unchanged",
    uses=["2.2", "2.3:order"],
)

# 2.1.3 — MLE of the prior and of the likelihood (2.4). The property runs both estimators of 2.4 on
# random labelled data; the proof (2.5–2.9) follows, every line as printed, on concrete data.
claim(
    "2.4:maximum",
    [Property(checks.mle_is_maximum, label="2.4's counting estimates maximize the likelihood")],
    equation="2.4", section="2.1.3",
    title="the counting estimates of 2.4 (prior and likelihood) maximize the naive Bayes likelihood",
    uses=["2.9:K2", "2.4:likelihood"],
)

# 2.5–2.7 on the data y = (1, 2, 1, 3, 1): N = 5 labels over K = 3 classes, so N_1, N_2, N_3 = 3, 1, 1.
# θ = (θ_1, θ_2, θ_3) is a probability vector (θ_3 = 1 − θ_1 − θ_2). The printed lines keep the
# notes' free index k: θ_k and N_k are the k-th parameter and count, for k = 1, 2, 3.
_Y = (1, 2, 1, 3, 1)
_N, _K = len(_Y), 3
theta = sp.symbols("theta_1:4")
theta_k, N_k = sp.symbols("theta_k N_k")
_data = {
    theta[2]: 1 - theta[0] - theta[1],
    theta_k: sp.Add(*[theta[m] * KroneckerDelta(k, m + 1) for m in range(_K)]),
    N_k: sp.Add(*[KroneckerDelta(y, k) for y in _Y]),  # N_k = Σ_i I(y_i = c_k)
}
_simplex = {theta[0]: (0, Rational(1, 2)), theta[1]: (0, Rational(1, 2)), k: range(1, _K + 1)}
_joint = _mul(*[theta[y - 1] for y in _Y])  # P(y_1, …, y_N; θ) = Π_i θ_{y_i} for iid labels
claim(
    "2.5",
    [
        Step(_joint, latex=r"P(y_1, y_2, \dots, y_N; \theta)"),
        Step(_joint, latex=r"\prod_{i=1}^{N} P(y_i)"),
        Step(Product(theta_k**N_k, (i, 1, _N)), latex=r"\prod_{i=1}^{N} \theta_k^{N_k}"),
    ],
    equation="2.5", section="2.1.3", title="joint probability of the labels",
    domain=_simplex, where=_data,
    corrections={2: Step(Product(theta_k**N_k, (k, 1, _K)), latex=r"\prod_{k=1}^{K} \theta_k^{N_k}")},
    scope="the labels y = (1, 2, 1, 3, 1): N = 5, K = 3, θ on the simplex; k is the printed free index",
)
L_ = sp.Symbol("L(θ^k; y)")
claim(
    "2.6",
    [Step(L_, latex=r"L(\theta^k; y_1, y_2, \cdots, y_N)"), Step(_joint, latex=r"P(y_1, y_2, \cdots, y_N; \theta_k)")],
    equation="2.6", section="2.1.3",
    title="the likelihood is the joint probability read as a function of θ (θ^k for θ: notation only)",
    domain={theta[0]: (0, Rational(1, 2)), theta[1]: (0, Rational(1, 2))},
    where={theta[2]: _data[theta[2]], L_: sp.Mul(*[theta[y - 1] for y in _Y])},
    scope="the labels y = (1, 2, 1, 3, 1) of 2.5; L(θ^k; y) is the likelihood of the parameter vector θ",
)
claim(
    "2.7",
    [
        Step(log(_joint), latex=r"\ln L(\theta_k)"),
        Step(Sum(N_k * log(theta_k), (i, 1, _N)), latex=r"\sum_{i=1}^{N} N_k \ln \theta_k"),
    ],
    equation="2.7", section="2.1.3", title="log-likelihood of the prior (subject to Σ_k θ_k = 1)",
    domain=_simplex, where=_data,
    corrections={1: Step(Sum(N_k * log(theta_k), (k, 1, _K)), latex=r"\sum_{k=1}^{K} N_k \ln \theta_k")},
    scope="the labels y = (1, 2, 1, 3, 1) of 2.5, θ on the simplex Σ_k θ_k = 1 (θ_3 = 1 − θ_1 − θ_2)",
)
# 2.8 — the Lagrangian is a function of free θ_1, θ_2, θ_3 > 0 and λ.
_free_theta = {**{t: (0, 1) for t in theta}, lam: (-oo, oo), k: range(1, _K + 1)}
_data_free = {s: v for s, v in _data.items() if s != theta[2]}
_constraint = lam * (Sum(theta_k, (k, 1, _K)) - 1)
claim(
    "2.8",
    [
        Step(log(_joint) + lam * (sp.Add(*theta) - 1), latex=r"\ln L(\theta) + \lambda(\sum_{k=1}^{K} \theta_k - 1)"),
        Step(Sum(N_k * log(theta_k), (i, 1, _N)) + _constraint,
             latex=r"\sum_{i=1}^{N} N_k \ln \theta_k + \lambda(\sum_{k=1}^{K} \theta_k - 1)"),
    ],
    equation="2.8", section="2.1.3", title="the Lagrangian of 2.7",
    domain=_free_theta, where=_data_free,
    corrections={1: Step(Sum(N_k * log(theta_k), (k, 1, _K)) + _constraint,
                         latex=r"\sum_{k=1}^{K} N_k \ln \theta_k + \lambda(\sum_{k=1}^{K} \theta_k - 1)")},
    scope="the labels y = (1, 2, 1, 3, 1) of 2.5; θ_1, θ_2, θ_3 > 0 and λ free",
)


# 2.9 — the corrected Lagrangian Σ_k N_k ln θ_k + λ(Σ_k θ_k − 1) is stationary at θ_k = N_k/N,
# λ = −N (N = Σ_k N_k), for any positive counts; and the log-likelihood is concave (its Hessian
# quadratic form is ≤ 0), so with the linear constraint that stationary point is the maximum.
def _prior_mle(K: int) -> tuple[dict, dict]:
    """The arguments of 2.9's two claims for K classes: the stationary point, and concavity."""
    th = sp.symbols(f"theta_1:{K + 1}")
    counts = sp.symbols(f"N_1:{K + 1}")
    v = sp.symbols(f"v_1:{K + 1}")
    total = sp.Add(*counts)
    lagrangian = sp.Add(*[c * log(t) for c, t in zip(counts, th)]) + lam * (sp.Add(*th) - 1)
    variables = (*th, lam)
    optimum = (*[c / total for c in counts], -total)
    dom = {**{t: (0, 1) for t in th}, **{c: (0, oo) for c in counts}, lam: (-oo, oo)}
    stationary = dict(
        steps=[
            Step(Matrix([Subs(sp.Derivative(lagrangian, x), variables, optimum) for x in variables]),
                 latex=r"\nabla_{\theta,\lambda}\Big[\sum_k N_k \ln\theta_k + \lambda(\sum_k\theta_k - 1)\Big]_{\theta_k = N_k/N,\ \lambda=-N}"),
            sp.zeros(K + 1, 1),
        ],
        equation="2.9", section="2.1.3",
        title=f"θ_k = N_k/N, λ = −N is a stationary point of the (corrected) Lagrangian 2.8, K = {K}",
        domain=dom, uses=["2.8"],
        scope=f"K = {K} classes, any positive counts N_1 … N_{K}, N = Σ_k N_k",
    )
    loglik = sp.Add(*[c * log(t) for c, t in zip(counts, th)])
    concave = dict(
        steps=[
            Step(sp.Add(*[v[a] * v[b] * sp.Derivative(loglik, th[a], th[b]) for a in range(K) for b in range(K)]),
                 latex=r"v^T \nabla^2_\theta \Big[\sum_k N_k \ln\theta_k\Big] v"),
            -sp.Add(*[c * x**2 / t**2 for c, x, t in zip(counts, v, th)]),
            Step(0, rel="<="),
        ],
        equation="2.9", section="2.1.3",
        title=f"the log-likelihood Σ_k N_k ln θ_k is concave, so the stationary point of 2.9 is the maximum, K = {K}",
        domain={**{t: (0, 1) for t in th}, **{c: (0, oo) for c in counts}, **{x: (-oo, oo) for x in v}},
        uses=[f"2.9:K{K}"],
        scope=f"K = {K} classes, any positive counts, any direction v",
    )
    return stationary, concave


for _classes in range(2, 7):
    _stationary, _concave = _prior_mle(_classes)
    claim(f"2.9:K{_classes}", **_stationary)
    claim(f"2.9:concave-K{_classes}", **_concave)

# "Moreover, the derivation of likelihood is similar": 2.4's second line, derived. One feature with
# values a_1, a_2, a_3 and K = 2 classes; N_kl = Σ_i I(x_i = a_l, y_i = c_k), N_k = Σ_l N_kl.
# First the log-likelihood of labelled data splits into the prior part and one part per class, …
_XY = ((1, 1), (2, 1), (1, 2), (3, 2), (1, 1), (2, 2))  # (x_i, y_i), i = 1 … 6
phi = Matrix(2, 3, lambda c, l: sp.Symbol(f"phi_{c + 1}{l + 1}"))  # φ_kl = P(X = a_l | Y = c_k)
_th2 = sp.symbols("theta_1:3")
claim(
    "2.4:log-likelihood",
    [
        Step(log(_mul(*[_th2[y - 1] * phi[y - 1, x - 1] for x, y in _XY])), latex=r"\ln \prod_{i=1}^{N} P(y_i) P(x_i | y_i)"),
        sp.Add(*[sum(1 for _, y in _XY if y == c) * log(_th2[c - 1]) for c in (1, 2)])
        + sp.Add(*[sum(1 for xy in _XY if xy == (l, c)) * log(phi[c - 1, l - 1]) for c in (1, 2) for l in (1, 2, 3)]),
    ],
    equation="2.4", section="2.1.3",
    title="the naive Bayes log-likelihood splits: Σ_k N_k ln θ_k + Σ_k Σ_l N_kl ln φ_kl",
    domain={**{t: (0, 1) for t in _th2}, **{s: (0, 1) for s in phi}},
    scope="the data (x_i, y_i) = (1,1), (2,1), (1,2), (3,2), (1,1), (2,2): one feature with 3 values, K = 2",
)
# … and the Lagrangian with one multiplier per constraint Σ_l φ_kl = 1 is stationary at the counts.
_Nkl = Matrix(2, 3, lambda c, l: sp.Symbol(f"N_{c + 1}{l + 1}"))
_mu = sp.symbols("mu_1:3")
_Nc = [sp.Add(*_Nkl[c, :]) for c in range(2)]
_Ntot = _Nc[0] + _Nc[1]
_lag = (
    sp.Add(*[_Nc[c] * log(_th2[c]) for c in range(2)])
    + sp.Add(*[_Nkl[c, l] * log(phi[c, l]) for c in range(2) for l in range(3)])
    + lam * (_th2[0] + _th2[1] - 1)
    + sp.Add(*[_mu[c] * (sp.Add(*phi[c, :]) - 1) for c in range(2)])
)
_vars = (*_th2, *phi, lam, *_mu)
_opt = (*[_Nc[c] / _Ntot for c in range(2)], *[_Nkl[c, l] / _Nc[c] for c in range(2) for l in range(3)], -_Ntot, *[-_Nc[c] for c in range(2)])
claim(
    "2.4:likelihood",
    [
        Step(Matrix([Subs(sp.Derivative(_lag, x), _vars, _opt) for x in _vars]),
             latex=r"\nabla \mathcal{L}\,\Big|_{\theta_k = N_k/N,\ \varphi_{kl} = N_{kl}/N_k,\ \lambda = -N,\ \mu_k = -N_k}"),
        sp.zeros(len(_vars), 1),
    ],
    equation="2.4", section="2.1.3",
    title="likelihood MLE (the notes' \"similar\"): P(X=a_l|Y=c_k) = Σ_i I(x_i=a_l, y_i=c_k) / Σ_i I(y_i=c_k) is stationary",
    domain={**{t: (0, 1) for t in _th2}, **{s: (0, 1) for s in phi}, **{s: (0, oo) for s in _Nkl}, lam: (-oo, oo), **{m: (-oo, oo) for m in _mu}},
    uses=["2.4:log-likelihood"],
    scope="K = 2 classes, one feature with 3 values, any positive counts N_kl; multipliers λ (prior) and μ_k (Σ_l φ_kl = 1)",
)
_dir = Matrix(2, 3, lambda c, l: sp.Symbol(f"v_{c + 1}{l + 1}"))  # a direction v
_lik_part = sp.Add(*[_Nkl[c, l] * log(phi[c, l]) for c in range(2) for l in range(3)])
claim(
    "2.4:likelihood-concave",
    [
        Step(sp.Add(*[_dir[a] * _dir[b] * sp.Derivative(_lik_part, phi[a], phi[b]) for a in range(6) for b in range(6)]),
             latex=r"v^T \nabla^2_\varphi \Big[\sum_{k,l} N_{kl} \ln\varphi_{kl}\Big] v"),
        -sp.Add(*[_Nkl[a] * _dir[a] ** 2 / phi[a] ** 2 for a in range(6)]),
        Step(0, rel="<="),
    ],
    equation="2.4", section="2.1.3",
    title="the likelihood part Σ_k Σ_l N_kl ln φ_kl is concave: the stationary point of 2.4:likelihood is the maximum",
    domain={**{s: (0, 1) for s in phi}, **{s: (0, oo) for s in _Nkl}, **{s: (-oo, oo) for s in _dir}},
    uses=["2.4:likelihood"],
    scope="K = 2 classes, one feature with 3 values, any positive counts, any direction v",
)
