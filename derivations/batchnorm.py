"""Batch normalization (notes, section 3.3: covariate shift, Algorithm 1, eqs. 3.16–3.24): every
line as printed.

The reference implementation — `forward`, `forward_cache`, `backward`, `backward_intermediates`,
`Cache`, `Intermediates` — is `derivations.reference.batchnorm`, re-exported here; the numeric
claims at the end check it against Algorithm 1 and finite differences (the code they run, and
the searches behind 3.16 and 3.18: derivations/checks/batchnorm.py).

Symbols keep the notes' names; `latex` keeps each printed line for reports; the engine decides
every verdict. Three things are made explicit that the notes leave implicit:
  * E and Var in 3.21 are over the mini-batch: E[f] = (1/m) Σ_{i=1}^m f(x_i) (written with Sum,
    m a size symbol); in 3.24, E is the expectation over random mini-batches (the operator E).
  * the partial derivatives of 3.23 are those of the computational graph (Ioffe & Szegedy 2015):
    ∂L/∂σ² holds x and μ fixed (σ² → x̂ → L), ∂L/∂μ holds x fixed with σ² = σ²(x, μ),
    ∂L/∂x_i is the total derivative of L(x) through Algorithm 1 (checked against sympy.diff);
    the graph is built in derivations/symbolic/batchnorm.py.
  * L = Σ_i g_i y_i with free upstream gradients g_i = ∂L/∂y_i: the backward pass is linear in
    ∂L/∂y, so this L is as general as any loss.
"""
from __future__ import annotations

import sympy as sp
from sympy import Derivative, ImmutableMatrix, Rational, Sum, oo, sqrt

from verifier import E, ForAll, Generic, Numeric, Property, Step, Var

from ._registry import claim
from .checks import batchnorm as checks
from .reference.batchnorm import Cache, Intermediates, backward, backward_intermediates, forward, forward_cache
from .symbolic import REAL
from .symbolic.batchnorm import BackwardGraph

__all__ = ["Cache", "Intermediates", "forward", "forward_cache", "backward", "backward_intermediates"]


# ----- 3.3.1 Dataset shift and covariate shift (3.16–3.18) ------------------------------------
# A discrete joint P(x, y) on 2 values of x and 3 of y. 3.17 is the factorization of a joint into
# conditional × marginal; it is checked on a symbolic (hence every) training joint and on a test
# joint under covariate shift: P_te(x, y) = P_tr(y|x)·q(x) with a new marginal q of x.
_NX, _NY = 2, 3
_a = [[sp.Symbol(f"a{k}{j}", real=True) for j in range(1, _NY + 1)] for k in range(1, _NX + 1)]
_a_cells = [c for row in _a for c in row][:-1]
_tr_joint = [[_a[k][j] if (k, j) != (_NX - 1, _NY - 1) else 1 - sp.Add(*_a_cells) for j in range(_NY)] for k in range(_NX)]
_q1 = sp.Symbol("q1", real=True)
_q = [_q1, 1 - _q1]


def _factorization(tag: str, joint) -> dict:
    """where-abbreviations P(x_k,y_j), P(x_k), P(y_j|x_k) for one joint table, and the two lines of 3.17."""
    P_xy = [[sp.Symbol(f"P_{tag}(x{k + 1},y{j + 1})") for j in range(_NY)] for k in range(_NX)]
    P_x = [sp.Symbol(f"P_{tag}(x{k + 1})") for k in range(_NX)]
    P_y_x = [[sp.Symbol(f"P_{tag}(y{j + 1}|x{k + 1})") for j in range(_NY)] for k in range(_NX)]
    where = {}
    for k in range(_NX):
        where[P_x[k]] = sp.Add(*joint[k])  # marginal: Σ_y P(x, y)
        for j in range(_NY):
            where[P_xy[k][j]] = joint[k][j]
            where[P_y_x[k][j]] = joint[k][j] / sp.Add(*joint[k])  # conditional: P(x, y) / P(x)
    lines = [ImmutableMatrix(P_xy), ImmutableMatrix([[P_y_x[k][j] * P_x[k] for j in range(_NY)] for k in range(_NX)])]
    return {"lines": lines, "where": where, "P_y_x": P_y_x}


_tr = _factorization("tr", _tr_joint)
# Covariate shift: the test joint keeps the training conditional and changes the marginal of x.
_te_joint = [[_tr["where"][_tr["P_y_x"][k][j]] * _q[k] for j in range(_NY)] for k in range(_NX)]
_te = _factorization("te", _te_joint)
_cells_domain = {c: (0, Rational(1, 5)) for c in _a_cells}  # 5 free cells < 1/5 keep the sixth positive


claim(
    "3.16",
    [ForAll(checks.printed_premise_implies_shift, {"P_tr": checks.JOINTS_2X2, "P_te": checks.JOINTS_2X2},
            label="P_tr(y|x) = P_te(y|x), P_tr(x) ≠ p_te(y)  ⇒  P_tr(x,y) ≠ P_te(x,y)", show=checks.show_shift)],
    equation="3.16", section="3.3.1",
    title="covariate shift as printed (p_te(y) for P_te(x)) implies the joint shift 3.18",
    scope="the printed premise on 2×2 joints; the corrected premise is claim 3.18",
)
claim(
    "3.17:tr",
    [Step(_tr["lines"][0], latex=r"P_{tr}(x,y)"), Step(_tr["lines"][1], latex=r"P_{tr}(y|x)P_{tr}(x)")],
    equation="3.17", section="3.3.1", title="a joint is conditional × marginal (training data)",
    domain=_cells_domain, where=_tr["where"],
    scope="every joint distribution on 2 × 3 values (symbolic cells)",
)
claim(
    "3.17:te",
    [Step(_te["lines"][0], latex=r"P_{te}(x,y)"), Step(_te["lines"][1], latex=r"P_{te}(y|x)P_{te}(x)")],
    equation="3.17", section="3.3.1", title="a joint is conditional × marginal (test data under covariate shift)",
    domain={**_cells_domain, _q1: (0, 1)}, where=_te["where"],
    scope="test joint P_tr(y|x)·q(x) for every training joint on 2 × 3 values and every marginal q",
)
claim(
    "3.18",
    [Property(checks.covariate_shift_implies_joint_shift, label="P_tr(y|x) = P_te(y|x), P_tr(x) ≠ P_te(x)  ⇒  P_tr(x,y) ≠ P_te(x,y)")],
    equation="3.18", section="3.3.1", title="under covariate shift the joint distributions differ",
    scope="random discrete joints, |x|, |y| = 2…5, exact fractions",
)

# ----- 3.3.3 Batch normalization: 3.19, 3.20 (population statistics) ----------------------------
# x is any random variable with finite moments and Var[x] > 0; E and Var are the population ones.
_x_pop = sp.Symbol("x")
_gamma, _beta = sp.symbols("gamma beta", real=True)
_xhat_pop = sp.Symbol("x̂")
_normalized_pop = {_xhat_pop: (_x_pop - E(_x_pop)) / sqrt(Var(_x_pop))}
claim(
    "3.19:mean",
    [Step(E(_xhat_pop), latex=r"E[\hat{x}^{(k)}]"), 0],
    equation="3.19", section="3.3.3", title="the normalized feature has mean 0 (population E, Var)",
    random={_x_pop: Generic("x")}, where=_normalized_pop, scope="any distribution of x with Var[x] > 0",
)
claim(
    "3.19:variance",
    [Step(Var(_xhat_pop), latex=r"Var[\hat{x}^{(k)}]"), 1],
    equation="3.19", section="3.3.3", title="the normalized feature has variance 1 (population E, Var)",
    random={_x_pop: Generic("x")}, where=_normalized_pop, scope="any distribution of x with Var[x] > 0",
)
claim(
    "3.20:identity",
    [
        Step(sqrt(Var(_x_pop)) * _xhat_pop + E(_x_pop), latex=r"\gamma^{(k)}\hat{x}^{(k)} + \beta^{(k)},\ \gamma^{(k)} = \sqrt{Var[x^{(k)}]},\ \beta^{(k)} = E[x^{(k)}]"),
        _x_pop,
    ],
    equation="3.20", section="3.3.3",
    title="scale and shift can undo the normalization (y = x), so representation is kept",
    random={_x_pop: Generic("x")}, where=_normalized_pop, scope="every outcome of any x with Var[x] > 0",
)

# ----- Algorithm 1 and 3.21: statistics over one mini-batch --------------------------------------
# x[1], …, x[m] are the mini-batch: i.i.d. draws (the notes' assumption), declared random only so
# that they range over the reals; no expectation over them is taken here, so every line must hold
# for every batch. E[·] of 3.21 is the batch average (1/m) Σ_i (a Sum over the size symbol m).
_x = sp.IndexedBase("x")
_i = sp.Symbol("i", integer=True, positive=True)
_m = sp.Symbol("m", integer=True, positive=True)
_eps = sp.Symbol("epsilon", positive=True)
_mu_B, _var_B = sp.Symbol("μ_B"), sp.Symbol("σ_B²")
_xhat_i, _xhat_1 = sp.Symbol("x̂_i"), sp.Symbol("x̂_1")


def _batch_mean(f):
    """E over the mini-batch: (1/m) Σ_{i=1}^m f."""
    return Sum(f, (_i, 1, _m)) / _m


_batch = {
    _mu_B: _batch_mean(_x[_i]),
    _var_B: _batch_mean((_x[_i] - _mu_B) ** 2),
    _xhat_i: (_x[_i] - _mu_B) / sqrt(_var_B + _eps),
    _xhat_1: (_x[1] - _mu_B) / sqrt(_var_B + _eps),
}
_batch_random = {_x: Generic("x")}
claim(
    "alg1:identity",
    [
        Step(sqrt(_var_B + _eps) * _xhat_1 + _mu_B, latex=r"\gamma\hat{x}_i + \beta,\ \gamma = \sqrt{\sigma_B^2+\epsilon},\ \beta = \mu_B"),
        Step(_x[1], latex=r"x_i"),
    ],
    equation="Algorithm 1", section="3.3.3",
    title="BN_{γ,β} with γ = √(σ_B² + ε), β = μ_B returns its input exactly",
    domain={_m: (1, oo), _i: (1, oo), _eps: (0, oo)}, where=_batch, random=_batch_random,
    scope="every mini-batch of every size m (x_1 stands for any x_i)",
)
# 3.21 over one mini-batch. Exact: E[x̂] = 0 and Var[x̂] = σ_B²/(σ_B² + ε). Approximate: "≈ 1"
# holds only in the limit ε → 0, and only when σ_B² > 0 (a constant batch, e.g. m = 1, has x̂ ≡ 0).
# Every size m ≥ 2 at once (sums with a symbolic bound); the ≈ line is refuted at a small m.
_domain_321 = {_m: (2, oo), _i: (1, oo), _eps: (0, oo)}
claim(
    "3.21:mean",
    [
        Step(_batch_mean(_xhat_i), latex=r"E[\hat{x}]"),
        Step(_batch_mean((_x[_i] - _mu_B) / sqrt(_var_B + _eps)), latex=r"E\left[\frac{x_i - \mu_{\mathcal{B}}}{\sqrt{\sigma_{\mathcal{B}}^2 + \epsilon}}\right]"),
        Step(1 / sqrt(_var_B + _eps) * (_batch_mean(_x[_i]) - _batch_mean(_mu_B)), latex=r"\frac{1}{\sqrt{\sigma_{\mathcal{B}}^2 + \epsilon}} (E[x_i] - E[\mu_{\mathcal{B}}])"),
        0,
    ],
    equation="3.21", section="3.3.3",
    title="over a mini-batch (E = batch average) the normalized values have mean exactly 0",
    domain=_domain_321, where=_batch, random=_batch_random,
    scope="every mini-batch of every size m ≥ 2; E[·] = (1/m) Σ_i",
)
claim(
    "3.21:variance",
    [
        Step(_batch_mean((_xhat_i - _batch_mean(_xhat_i)) ** 2), latex=r"Var[\hat{x}]"),
        Step(_batch_mean(_xhat_i**2) - _batch_mean(_xhat_i) ** 2, latex=r"E[\hat{x}^2] - (E[\hat{x}])^2"),
        Step(_batch_mean(((_x[_i] - _mu_B) / sqrt(_var_B + _eps)) ** 2) + 0, latex=r"E\left[\left(\frac{x_i - \mu_{\mathcal{B}}}{\sqrt{\sigma_{\mathcal{B}}^2 + \epsilon}}\right)^2\right] + 0"),
        Step(1 / (_var_B + _eps) * _batch_mean((_x[_i] - _mu_B) ** 2), latex=r"\frac{1}{\sigma_{\mathcal{B}}^2 + \epsilon} E\left[\left(x_i - \mu_{\mathcal{B}}\right)^2\right]"),
        Step(1 / (_var_B + _eps) * _var_B, latex=r"\frac{1}{\sigma_{\mathcal{B}}^2 + \epsilon} \sigma_{\mathcal{B}}^2"),
        Step(1, rel="≈", limit=(_eps, 0), latex=r"\approx 1"),
    ],
    equation="3.21", section="3.3.3",
    title="over a mini-batch the (biased) variance is exactly σ_B²/(σ_B²+ε); ≈ 1 only as ε → 0 (σ_B² > 0)",
    domain=_domain_321, where=_batch, random=_batch_random,
    scope="every mini-batch of every size m ≥ 2; E[·] = (1/m) Σ_i; the ≈ needs σ_B² > 0",
)

# The ≈ of 3.21 where it holds: a batch whose variance σ_B² is positive (σ_B² as the positive
# number it is for such a batch; Var[x̂] = σ_B²/(σ_B² + ε) is the exact line above).
_var_pos = sp.Symbol("σ_B²", positive=True)
claim(
    "3.21:limit",
    [
        Step(_var_pos / (_var_pos + _eps), latex=r"\frac{\sigma_{\mathcal{B}}^2}{\sigma_{\mathcal{B}}^2 + \epsilon}"),
        Step(1, rel="≈", limit=(_eps, 0), latex=r"\approx 1"),
    ],
    equation="3.21", section="3.3.3",
    title="Var[x̂] = σ_B²/(σ_B²+ε) tends to 1 as ε → 0 for every batch with σ_B² > 0",
    domain={_var_pos: (0, oo), _eps: (0, oo)}, uses=["3.21:variance"],
    scope="every mini-batch whose variance σ_B² is positive (any size m)",
)

# ----- 3.22: gradients of γ and β ----------------------------------------------------------------
# y_i = γ x̂_i + β where x̂_i comes out of Algorithm 1 before γ and β act: here the x̂_i are the
# given normalized values (independent of γ, β) and g_i = ∂L/∂y_i the upstream gradients.
_g = sp.IndexedBase("g")
_xhat = sp.IndexedBase("x̂")
_dLdy_i, _dydgamma_i, _dydbeta_i = sp.Symbol("∂L/∂y_i"), sp.Symbol("∂y_i/∂γ"), sp.Symbol("∂y_i/∂β")
_dLdgamma, _dLdbeta = sp.Symbol("∂L/∂γ"), sp.Symbol("∂L/∂β")
_y_i = _gamma * _xhat[_i] + _beta
_L_of_gamma_beta = Sum(_g[_i] * _y_i, (_i, 1, _m))  # L = Σ_i g_i y_i
_grad = {
    _dLdy_i: _g[_i],
    _dydgamma_i: Derivative(_y_i, _gamma),
    _dydbeta_i: Derivative(_y_i, _beta),
    _dLdgamma: Derivative(_L_of_gamma_beta, _gamma),
    _dLdbeta: Derivative(_L_of_gamma_beta, _beta),
}
_grad_domain = {_m: (1, oo), _i: (1, oo), _gamma: REAL, _beta: REAL}
_grad_random = {_xhat: Generic("x̂"), _g: Generic("g")}  # any values (no expectation is taken)
claim(
    "3.22:gamma",
    [
        Step(_dLdgamma, latex=r"\frac{\partial \mathcal{L}}{\partial \gamma}"),
        Step(Sum(_dLdy_i * _dydgamma_i, (_i, 1, _m)), latex=r"\sum_{i} \frac{\partial \mathcal{L}}{\partial y_{i}} \frac{\partial y_{i}}{\partial \gamma}"),
        Step(Sum(_dLdy_i * _xhat[_i], (_i, 1, _m)), latex=r"\sum_{i} \frac{\partial \mathcal{L}}{\partial y_{i}} \hat{x}_{i}"),
    ],
    equation="3.22", section="3.3.3", title="∂L/∂γ = Σ_i ∂L/∂y_i x̂_i",
    domain=_grad_domain, where=_grad, random=_grad_random,
    scope="L = Σ_i g_i y_i with free upstream gradients g_i; every m ≥ 1",
)
claim(
    "3.22:beta",
    [
        Step(_dLdbeta, latex=r"\frac{\partial \mathcal{L}}{\partial \beta}"),
        Step(Sum(_dLdy_i * _dydbeta_i, (_i, 1, _m)), latex=r"\sum_{i} \frac{\partial \mathcal{L}}{\partial y_{i}} \frac{\partial y_{i}}{\partial \beta}"),
        Step(Sum(_dLdy_i, (_i, 1, _m)), latex=r"\sum_{i} \frac{\partial \mathcal{L}}{\partial y_{i}}"),
    ],
    equation="3.22", section="3.3.3", title="∂L/∂β = Σ_i ∂L/∂y_i",
    domain=_grad_domain, where=_grad, random=_grad_random,
    scope="L = Σ_i g_i y_i with free upstream gradients g_i; every m ≥ 1",
)

# ----- 3.23: the backward pass, every line as printed ----------------------------------------------
# One claim per block of 3.23, each for every batch size m = 2…8 (the engine fixes m to each value
# and proves every line exactly). i = 1 stands for any i: Algorithm 1 and L = Σ_j g_j y_j are
# symmetric under relabelling the batch, so the line for x_1, g_1 is the line for every x_i, g_i.
# Each block's first line is the graph derivative computed by sympy.diff; the quantities the other
# blocks supply (∂L/∂x̂_i = ∂L/∂y_i γ, ∂L/∂σ², ∂L/∂μ) enter as the closed forms those blocks
# establish, so the last block's first line, sympy.diff of L(x) itself, checks the whole chain.
# Exact arithmetic with ε := s² − σ_B², s > 1 free (derivatives hold ε fixed): see BackwardGraph.
def _dxhat(g: BackwardGraph) -> dict:
    """∂L/∂x̂_i = ∂L/∂y_i ∂y_i/∂x̂_i = ∂L/∂σ_B² γ (printed; ∂L/∂y_i γ is meant)."""
    return dict(
        steps=[
            Step(g.dLdxh[1], latex=r"\frac{\partial \mathcal{L}}{\partial \hat{x}_{i}}"),
            Step(g.dLdy[1] * g.dydxh[1], latex=r"\frac{\partial \mathcal{L}}{\partial y_{i}} \frac{\partial y_{i}}{\partial \hat{x}_{i}}"),
            Step(g.dLdvar * g.gamma, latex=r"\frac{\partial \mathcal{L}}{\partial \sigma_{B}^{2}} \gamma"),
        ],
        corrections={2: Step(g.dLdy[1] * g.gamma, latex=r"\frac{\partial \mathcal{L}}{\partial y_{i}} \gamma")},
        where=g.block_where(g.dLdxh[1]), title="∂L/∂x̂_i = ∂L/∂y_i ∂y_i/∂x̂_i = ∂L/∂y_i γ", uses=[],
    )


def _dvar(g: BackwardGraph) -> dict:
    """∂L/∂σ_B² = Σ_i ∂L/∂x̂_i ∂x̂_i/∂σ_B² = … = −½ Σ_i ∂L/∂x̂_i (x_i − μ_B)(σ_B² + ε)^{-3/2}."""
    i, x, mu, var, eps, sum_i = g.i, g.x, g.mu, g.var, g.eps, g.sum_i
    return dict(
        steps=[
            Step(g.dLdvar, latex=r"\frac{\partial \mathcal{L}}{\partial \sigma_{B}^{2}}"),
            Step(sum_i(g.dLdxh[i] * g.dxhdvar[i]), latex=r"\sum_{i} \frac{\partial \mathcal{L}}{\partial \hat{x}_{i}} \frac{\partial \hat{x}_{i}}{\partial \sigma_{B}^{2}}"),
            Step(sum_i(g.dLdxh[i] * (x[i] - mu) * g.half * (var + eps) ** Rational(-3, 2)),
                 latex=r"\sum_{i} \frac{\partial \mathcal{L}}{\partial \hat{x}_{i}} (x_{i} - \mu_{B}) (-\frac{1}{2}) (\sigma_{B}^{2} + \epsilon)^{-\frac{3}{2}}"),
            Step(g.half * sum_i(g.dLdxh[i] * (x[i] - mu) * (var + eps) ** Rational(-3, 2)),
                 latex=r"-\frac{1}{2} \sum_{i} \frac{\partial \mathcal{L}}{\partial \hat{x}_{i}} (x_{i} - \mu_{B}) (\sigma_{B}^{2} + \epsilon)^{-\frac{3}{2}}"),
        ],
        where=g.block_where(g.dLdvar), title="∂L/∂σ_B² = −½ Σ_i ∂L/∂x̂_i (x_i − μ_B)(σ_B² + ε)^{-3/2}",
        uses=["3.23:dxhat"],
    )


def _dmu(g: BackwardGraph) -> dict:
    """∂L/∂μ_B = ∂L/∂x̂_i ∂x̂_i/∂μ_B + ∂L/∂σ_B² ∂σ_B²/∂μ_B (printed without Σ_i) = … ."""
    i, x, m, mu, var, eps, sum_i = g.i, g.x, g.m, g.mu, g.var, g.eps, g.sum_i
    return dict(
        steps=[
            Step(g.dLdmu, latex=r"\frac{\partial \mathcal{L}}{\partial \mu_{B}}"),
            Step(g.dLdxh[1] * g.dxhdmu[1] + g.dLdvar * g.dvardmu,
                 latex=r"\frac{\partial \mathcal{L}}{\partial \hat{x}_{i}} \frac{\partial \hat{x}_{i}}{\partial \mu_{B}} + \frac{\partial \mathcal{L}}{\partial \sigma_{B}^{2}} \frac{\partial \sigma_{B}^{2}}{\partial \mu_{B}}"),
            Step(sum_i(g.dLdxh[i] * (-1) * (var + eps) ** g.half) + g.dLdvar / m * sum_i(-2 * (x[i] - mu)),
                 latex=r"\sum_{i} \frac{\partial \mathcal{L}}{\partial \hat{x}_{i}} (-1) (\sigma_{B}^{2} + \epsilon)^{-\frac{1}{2}} + \frac{\partial \mathcal{L}}{\partial \sigma_{B}^{2}} \frac{1}{m} \sum_{i} (-2) (x_{i} - \mu_{B})"),
            Step(-sum_i(g.dLdxh[i] / g.root) - g.dLdvar * 2 / m * sum_i(x[i] - mu),
                 latex=r"-\sum_{i} \frac{\partial \mathcal{L}}{\partial \hat{x}_{i}} \frac{1}{\sqrt{\sigma_{B}^{2} + \epsilon}} - \frac{\partial \mathcal{L}}{\partial \sigma_{B}^{2}} \frac{2}{m} \sum_{i} (x_{i} - \mu_{B})"),
        ],
        corrections={1: Step(sum_i(g.dLdxh[i] * g.dxhdmu[i]) + g.dLdvar * g.dvardmu,
                             latex=r"\sum_{i} \frac{\partial \mathcal{L}}{\partial \hat{x}_{i}} \frac{\partial \hat{x}_{i}}{\partial \mu_{B}} + \frac{\partial \mathcal{L}}{\partial \sigma_{B}^{2}} \frac{\partial \sigma_{B}^{2}}{\partial \mu_{B}}")},
        where=g.block_where(g.dLdmu), title="∂L/∂μ_B = −Σ_i ∂L/∂x̂_i /√(σ_B² + ε) − ∂L/∂σ_B² (2/m) Σ_i (x_i − μ_B)",
        uses=["3.23:dxhat", "3.23:dvar"],
    )


def _dx(g: BackwardGraph) -> dict:
    """∂L/∂x_i by the chain rule (printed 2/(2m) where 2/m is meant), against sympy.diff of L(x)."""
    x, m, mu = g.x, g.m, g.mu
    unevaluated = sp.UnevaluatedExpr  # keeps the printed 2/(2m) from cancelling
    corrected = g.dLdxh[1] / g.root + 2 / m * g.dLdvar * (x[1] - mu) + 1 / m * g.dLdmu
    corrected_latex = (r"\frac{\partial \mathcal{L}}{\partial \hat{x}_{i}} \frac{1}{\sqrt{\sigma_{B}^{2} + \epsilon}} + \frac{2}{m} "
                       r"\frac{\partial \mathcal{L}}{\partial \sigma_{B}^{2}} (x_{i} - \mu_{B}) + \frac{1}{m} \frac{\partial \mathcal{L}}{\partial \mu_{B}}")
    return dict(
        steps=[
            Step(g.dLdx1, latex=r"\frac{\partial \mathcal{L}}{\partial x_{i}}"),
            Step(g.dLdxh[1] * g.dxhdx[1] + g.dLdvar * g.dvardx[1] + g.dLdmu * g.dmudx[1],
                 latex=r"\frac{\partial \mathcal{L}}{\partial \hat{x}_{i}} \frac{\partial \hat{x}_{i}}{\partial x_{i}} + \frac{\partial \mathcal{L}}{\partial \sigma_{B}^{2}} \frac{\partial \sigma_{B}^{2}}{\partial x_{i}} + \frac{\partial \mathcal{L}}{\partial \mu_{B}} \frac{\partial \mu_{B}}{\partial x_{i}}"),
            Step(g.dLdxh[1] / g.root + unevaluated(2) / unevaluated(2 * m) * g.dLdvar * (x[1] - mu) + 1 / m * g.dLdmu,
                 latex=r"\frac{\partial \mathcal{L}}{\partial \hat{x}_{i}} \frac{1}{\sqrt{\sigma_{B}^{2} + \epsilon}} + \frac{2}{2m} \frac{\partial \mathcal{L}}{\partial \sigma_{B}^{2}} (x_{i} - \mu_{B}) + \frac{1}{m} \frac{\partial \mathcal{L}}{\partial \mu_{B}}"),
            Step(corrected, latex=corrected_latex),
        ],
        corrections={2: Step(corrected, latex=corrected_latex)},
        where=g.block_where(g.dLdx1), title="∂L/∂x_i by the chain rule, against sympy.diff of L(x)",
        uses=["3.23:dxhat", "3.23:dvar", "3.23:dmu"],
    )


def _backward_pass(sizes: range) -> dict[str, dict]:
    """The four blocks of eq. 3.23 as claim arguments, batch size m ranging over `sizes` (the
    catalogue's are declared below; benchmarks/bench_batchnorm_sizes.py builds other sizes)."""
    graph = BackwardGraph(sizes)
    return {name: {**block(graph), **graph.common} for name, block in (("dxhat", _dxhat), ("dvar", _dvar), ("dmu", _dmu), ("dx", _dx))}


_graph_3_23 = BackwardGraph((2, oo))
claim("3.23:dxhat", **_dxhat(_graph_3_23), **_graph_3_23.common)
claim("3.23:dvar", **_dvar(_graph_3_23), **_graph_3_23.common)
claim("3.23:dmu", **_dmu(_graph_3_23), **_graph_3_23.common)
claim("3.23:dx", **_dx(_graph_3_23), **_graph_3_23.common)

# ----- 3.24: inference statistics from mini-batch estimates ---------------------------------------
# X[1], …, X[m] is one random mini-batch of i.i.d. copies of X (any distribution with finite
# moments); here E is the expectation over mini-batches, as in 1.17. The notes write n for the
# batch size, which is m in Algorithm 1: as printed, n is a different symbol.
_X_batch = sp.IndexedBase("X")
_X_pop = sp.Symbol("X")  # the population variable (X[1], …, X[m] are i.i.d. copies of it)
_n = sp.Symbol("n", integer=True, positive=True)
_mu_inf, _var_inf = sp.Symbol("μ"), sp.Symbol("σ²")
_muB_X, _varB_X = sp.Symbol("μ_B"), sp.Symbol("σ_B²")
_minibatch = {
    _mu_inf: E(_X_pop),  # the population mean and variance used at inference
    _var_inf: Var(_X_pop),
    _muB_X: Sum(_X_batch[_i], (_i, 1, _m)) / _m,
    _varB_X: Sum((_X_batch[_i] - _muB_X) ** 2, (_i, 1, _m)) / _m,
}
_iid = {_X_pop: (_gen_X := Generic("X")), _X_batch: _gen_X}
_population = {_mu_inf: E(_X_pop), _var_inf: Var(_X_pop)}
claim(
    "3.24:mean",
    [Step(_mu_inf, latex=r"\mu"), Step(E(_muB_X), latex=r"E(\mu_{\mathcal{B}})")],
    equation="3.24", section="3.3.3", title="μ = E(μ_B): the mini-batch mean is unbiased",
    domain={_m: (1, oo), _i: (1, oo)}, random=_iid, where=_minibatch, uses=["1.17:mean"],
    scope="mini-batches of every size m; E over random mini-batches",
)
claim(
    "3.24:variance",
    [
        Step(_var_inf, latex=r"\sigma^2"),
        Step(_n / (_n - 1) * E(_varB_X), latex=r"\frac{n}{n-1} E(\sigma_{\mathcal{B}}^2)"),
    ],
    equation="3.24", section="3.3.3",
    title="σ² = m/(m−1) E(σ_B²): the corrected mini-batch variance is unbiased (the notes write n for m)",
    domain={_m: (2, oo), _n: (2, oo), _i: (1, oo)}, random=_iid, where=_minibatch, uses=["1.17:variance"],
    corrections={1: Step(_m / (_m - 1) * E(_varB_X), latex=r"\frac{m}{m-1} E(\sigma_{\mathcal{B}}^2)")},
    scope="mini-batches of every size m ≥ 2; E over random mini-batches",
)
_eps_inf = sp.Symbol("epsilon", positive=True)
_bn_inf = _gamma * (_X_pop - _mu_inf) / sqrt(_var_inf + _eps_inf) + _beta
_bn_latex = r"BN(X) = \gamma \frac{X - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta"
claim(
    "3.24:bn",
    [
        Step(_bn_inf, latex=_bn_latex),
        Step(_gamma / sqrt(_var_inf + _eps_inf) * _X_pop + (_beta - _gamma * _mu_inf / sqrt(_var_inf + _eps_inf)),
              latex=r"\frac{\gamma}{\sqrt{\sigma^2+\epsilon}} X + \left(\beta - \frac{\gamma \mu}{\sqrt{\sigma^2+\epsilon}}\right)"),
    ],
    equation="3.24", section="3.3.3",
    title="at inference BN is a fixed affine map of X (μ, σ² no longer depend on the batch)",
    domain={_gamma: REAL, _beta: REAL, _eps_inf: (0, oo)}, random={_X_pop: Generic("X")}, where=_population,
    scope="every outcome of any X with finite moments",
)
claim(
    "3.24:bn-moments",
    [
        Step(Var(_bn_inf), latex=r"Var[BN(X)]"),
        Step(_gamma**2 * _var_inf / (_var_inf + _eps_inf), latex=r"\gamma^2 \frac{\sigma^2}{\sigma^2+\epsilon}"),
        Step(_gamma**2, rel="≈", limit=(_eps_inf, 0), latex=r"\approx \gamma^2"),
    ],
    equation="3.24", section="3.3.3",
    title="at inference Var[BN(X)] = γ²σ²/(σ²+ε), ≈ γ² only as ε → 0 (derived; cf. 3.21)",
    domain={_gamma: REAL, _beta: REAL, _eps_inf: (0, oo)}, random={_X_pop: Generic("X")}, where=_population,
    scope="any X with finite moments and Var[X] > 0",
)

# ----- the numpy reference implementation, verified against Algorithm 1 and finite differences ------
# Mini-batches from m = 2 to m = 4096 with 256 features (derivations/checks/batchnorm.py).
_numeric_scope = "m = 2, 3, 8, 64, 1024, 4096 with 256 features, ε = 1e-5 and 1e-2, seeded normal data"
claim(
    "alg1:numpy",
    [
        Numeric(checks.alg1_literal, label="Algorithm 1 line by line (μ_B, σ_B², x̂_i, y_i)"),
        Numeric(checks.alg1_forward_cache, label="forward_cache: Cache.mean, .var, .xhat and y"),
        Numeric(checks.alg1_forward, label="forward(x, γ, β, ε) (and x̂ = centred · inv_std)"),
    ],
    equation="Algorithm 1", section="3.3.3", title="the numpy forward pass is Algorithm 1 (biased σ_B²)",
    inputs=checks.bn_cases, rtol=1e-10, atol=1e-10, scope=_numeric_scope,
)
claim(
    "3.22:numpy",
    [
        Numeric(checks.grad_params_fd, label="central differences of L in γ and β"),
        Numeric(checks.grad_params_backward, label="backward(): ∂L/∂γ, ∂L/∂β"),
        Numeric(checks.grad_params_formula, label="eq. 3.22: Σ_i ∂L/∂y_i x̂_i, Σ_i ∂L/∂y_i"),
    ],
    equation="3.22", section="3.3.3", title="numpy ∂L/∂γ, ∂L/∂β against finite differences and eq. 3.22",
    inputs=checks.bn_cases, rtol=1e-7, atol=1e-8, scope=_numeric_scope,
)
claim(
    "3.23:numpy",
    [
        Numeric(checks.graph_fd, label="central differences of L in x̂ (along v), σ², μ and x (along v)"),
        Numeric(checks.graph_intermediates, label="backward_intermediates(): ∂L/∂x̂·v, ∂L/∂σ², ∂L/∂μ, ∂L/∂x·v"),
    ],
    equation="3.23", section="3.3.3", title="numpy lines of 3.23 (corrected) against finite differences of the graph",
    # Central differences are good to ~1e-6 relative on the small entries of ∂L/∂x·v (seen at
    # 2.3e-6 for some seeds): a tolerance of 1e-5 keeps every seed decided; a wrong line is off by O(1).
    inputs=checks.bn_cases, rtol=1e-5, atol=1e-6, scope=_numeric_scope,
)
claim(
    "3.23:numpy-dx",
    [
        Numeric(checks.dx_intermediates, label="∂L/∂x from the lines of 3.23 (backward_intermediates)"),
        Numeric(checks.dx_backward, label="backward(): γ/√(σ²+ε) (dy − Σdy/m − x̂ Σ dy x̂/m)"),
        Numeric(checks.dx_backward_cached, label="backward(..., cache=forward_cache(...))"),
    ],
    equation="3.23", section="3.3.3", title="numpy ∂L/∂x: the chain of 3.23 equals the compact backward formula",
    inputs=checks.bn_cases, rtol=1e-9, atol=1e-9, scope=_numeric_scope,
)
