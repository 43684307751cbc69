"""The notes' todos in sections 3.3–3.4, each made a claim: the question under 3.20 ("Why is
multi-layer linear network equivalent to … a single layer linear network"), "PCA whitening and
ZCA Whitening" (3.3.2), and 3.4's "if the mapping from input to output is identity, it would be
easier to push the residual to zero".
"""
from __future__ import annotations

import sympy as sp
from sympy import Derivative, ImmutableMatrix, oo

from verifier import Property, Step

from ._registry import claim
from .checks import todos as checks
from .symbolic import REAL, Subs, sigma

# "Why is multi-layer linear network equivalent to ... a single layer linear network": the affine
# layers compose to one affine layer, W2(W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2), for symbolic
# weights (every entry a free real) at two shapes.
def _mat(name: str, rows: int, cols: int) -> sp.Matrix:
    return sp.Matrix(rows, cols, lambda r, c: sp.Symbol(f"{name}_{r + 1}{c + 1}" if cols > 1 else f"{name}_{r + 1}", real=True))


def _entries(*ms) -> dict:
    return {e: REAL for mat in ms for e in mat}


def _linear_stack(dims):
    Ws = [_mat(f"w{k + 1}", dims[k + 1], dims[k]) for k in range(len(dims) - 1)]
    bs = [_mat(f"b{k + 1}", dims[k + 1], 1) for k in range(len(dims) - 1)]
    xv = _mat("x", dims[0], 1)
    layered = xv
    for W, b in zip(Ws, bs):
        layered = W * layered + b  # z^l = W^l z^{l-1} + b^l, no nonlinearity
    W_one, b_one = Ws[0], bs[0]
    for W, b in zip(Ws[1:], bs[1:]):
        W_one, b_one = W * W_one, W * b_one + b
    return layered, W_one * xv + b_one, _entries(xv, *Ws, *bs)


for _dims in ((3, 4, 2), (2, 3, 3, 2)):
    _layered, _one, _dom = _linear_stack(_dims)
    _layers = len(_dims) - 1
    claim(
        f"linear-stack:{'-'.join(map(str, _dims))}",
        [
            Step(ImmutableMatrix(_layered), latex=r"W_{%d}(\cdots W_{2}(W_{1}x + b_{1}) + b_{2} \cdots) + b_{%d}" % (_layers, _layers)),
            Step(ImmutableMatrix(_one), latex=r"(W_{%d} \cdots W_{1})\,x + b, \quad b = W_{%d}(\cdots(W_{2}b_{1} + b_{2})\cdots) + b_{%d}" % (_layers, _layers, _layers)),
        ],
        section="3.3.3", title=f"{_layers} stacked linear layers are one linear layer (the notes' todo under 3.20)",
        domain=_dom, scope=f"layer widths {' → '.join(map(str, _dims))}, every weight and bias",
    )

# "PCA whitening and ZCA Whitening": for a covariance Σ = U Λ Uᵀ (U orthogonal, Λ > 0 diagonal),
# W_PCA = Λ^{-1/2} Uᵀ and W_ZCA = U Λ^{-1/2} Uᵀ = Σ^{-1/2} both give W Σ Wᵀ = I. Exact for every
# 2 × 2 covariance: U = (I − A)(I + A)^{-1} with A = [[0, t], [−t, 0]] is every rotation but the
# half-turn (the Cayley map), Λ = diag(λ1², λ2²); all entries are rational functions of t, λ.
_cayley_t = sp.Symbol("t", real=True)
_lam = sp.symbols("lambda1:3", positive=True)
_skew = sp.Matrix([[0, _cayley_t], [-_cayley_t, 0]])
_identity2 = sp.eye(2)
_rotation = (_identity2 - _skew) * (_identity2 + _skew).adjugate() / (_identity2 + _skew).det()
_Lambda = sp.diag(*[lk**2 for lk in _lam])
_Lambda_inv_sqrt = sp.diag(*[1 / lk for lk in _lam])  # Λ^{-1/2}
_Sigma = _rotation * _Lambda * _rotation.T
_W_pca = _Lambda_inv_sqrt * _rotation.T
_W_zca = _rotation * _Lambda_inv_sqrt * _rotation.T
_white_domain = {_cayley_t: REAL, **{lk: (0, oo) for lk in _lam}}
_white_scope = "every 2 × 2 covariance U diag(λ1², λ2²) Uᵀ (U a rotation other than the half-turn)"
claim(
    "whitening:pca",
    [
        Step(ImmutableMatrix(_W_pca * _Sigma * _W_pca.T), latex=r"W_{PCA}\,\Sigma\,W_{PCA}^{T},\ W_{PCA} = \Lambda^{-1/2}U^{T}"),
        Step(ImmutableMatrix(_Lambda_inv_sqrt * (_rotation.T * _rotation) * _Lambda * (_rotation.T * _rotation) * _Lambda_inv_sqrt), latex=r"\Lambda^{-1/2}(U^{T}U)\Lambda(U^{T}U)\Lambda^{-1/2}"),
        Step(ImmutableMatrix(_Lambda_inv_sqrt * _Lambda * _Lambda_inv_sqrt), latex=r"\Lambda^{-1/2}\Lambda\Lambda^{-1/2}"),
        Step(ImmutableMatrix(_identity2), latex=r"I"),
    ],
    section="3.3.2", title="PCA whitening gives identity covariance (the notes' todo)",
    domain=_white_domain, scope=_white_scope,
)
claim(
    "whitening:zca",
    [
        Step(ImmutableMatrix(_W_zca * _Sigma * _W_zca.T), latex=r"W_{ZCA}\,\Sigma\,W_{ZCA}^{T},\ W_{ZCA} = U\Lambda^{-1/2}U^{T}"),
        Step(ImmutableMatrix(_rotation * _Lambda_inv_sqrt * (_rotation.T * _rotation) * _Lambda * (_rotation.T * _rotation) * _Lambda_inv_sqrt * _rotation.T), latex=r"U\Lambda^{-1/2}(U^{T}U)\Lambda(U^{T}U)\Lambda^{-1/2}U^{T}"),
        Step(ImmutableMatrix(_rotation * _rotation.T), latex=r"U U^{T}"),
        Step(ImmutableMatrix(_identity2), latex=r"I"),
    ],
    section="3.3.2", title="ZCA whitening W = Σ^{-1/2} gives identity covariance (the notes' todo)",
    domain=_white_domain, scope=_white_scope,
)
claim(
    "whitening:zca-sqrt",
    [
        Step(ImmutableMatrix(_W_zca * _W_zca * _Sigma), latex=r"W_{ZCA}^{2}\,\Sigma"),
        Step(ImmutableMatrix(_identity2), latex=r"I"),
    ],
    section="3.3.2", title="W_ZCA is the symmetric inverse square root of Σ: W_ZCA² = Σ^{-1}",
    domain=_white_domain, scope=_white_scope,
)
claim(
    "whitening:data",
    [Property(checks.whitening_on_data, label="cov(W (x − x̄)) = I for W_PCA and W_ZCA on sampled data")],
    section="3.3.2", title="PCA and ZCA whitening decorrelate sampled data (numeric)",
    scope="sample covariances of seeded correlated normal data",
)

# 3.4: "if the mapping from input to output is identity, it would be easier to push the residual to
# zero": a residual block H(x) = x + F(x), F(x) = W2 σ(W1 x + b1) + b2 with any activation σ,
# is exactly the identity (value and Jacobian) once F's last layer is driven to zero.
_x_in, _W1, _b1, _W2, _b2 = _mat("x", 2, 1), _mat("u", 3, 2), _mat("c", 3, 1), _mat("v", 2, 3), _mat("d", 2, 1)
_F = _W2 * (_W1 * _x_in + _b1).applyfunc(sigma) + _b2
_H = _x_in + _F
_zero_last = (tuple(_W2) + tuple(_b2), (0,) * (len(_W2) + len(_b2)))
_res_domain = _entries(_x_in, _W1, _b1, _W2, _b2)
claim(
    "residual:identity",
    [
        Step(ImmutableMatrix([Subs(h, *_zero_last) for h in _H]), latex=r"\mathcal{H}(x) = x + \mathcal{F}(x)\ \text{at}\ W_2 = 0,\ b_2 = 0"),
        Step(ImmutableMatrix(_x_in), latex=r"x"),
    ],
    section="3.4", title="a residual block is the identity when F is pushed to zero (W2 = 0, b2 = 0)",
    domain=_res_domain, scope="x ∈ R², 3 hidden units, any activation σ and any W1, b1",
)
claim(
    "residual:jacobian",
    [
        Step(ImmutableMatrix(2, 2, lambda r, c: Subs(Derivative(_H[r], _x_in[c]), *_zero_last)), latex=r"\frac{\partial \mathcal{H}}{\partial x}\ \text{at}\ W_2 = 0,\ b_2 = 0"),
        Step(ImmutableMatrix(sp.eye(2)), latex=r"I"),
    ],
    section="3.4", title="… and its Jacobian is I there: gradients pass through unchanged",
    domain=_res_domain, scope="x ∈ R², 3 hidden units, any activation σ and any W1, b1",
)
