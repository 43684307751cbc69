"""Backpropagation through a convolutional layer (notes, section 3.2.2): every line as printed.

The reference implementation — `forward`, `backward`, `rot180`, `cross_correlate_valid`,
`convolve_full` — is `derivations.reference.conv`, re-exported here; the numeric claims at the
end check it against finite differences (the code they run: derivations/checks/conv.py).

The notes' indices are 1-based (z_ij, w_pq with i, p = 1, 2, …) and are kept here. Which
operation each printed `*` is:
  3.10 (a^{l-1} * w^l) and 3.15 (a^{l-1} * δ^l): the VALID cross-correlation ⋆ of eq. 3.9,
      (A ⋆ K)_ij = Σ_p Σ_q A_{i+p-1, j+q-1} K_pq    (`cross_correlate_valid`);
  3.14 and 3.15 (δ^{l+1} * rot180(w)): the FULL-mode cross-correlation of δ^{l+1}, zero-padded
      by (r-1, c-1) on each side, with rot180(w^{l+1})    (`convolve_full(δ, rot180(w))`);
      entry ij is Σ_m Σ_n δ^{l+1}_mn w^{l+1}_{i+1-m, j+1-n}: the true full convolution of
      δ^{l+1} with w^{l+1}.
  ⊗ is the entrywise (Hadamard) product, as in eq. 3.8; `δ * rot180(w) ⊗ σ'` is read
  (δ * rot180(w)) ⊗ σ' (the other grouping would multiply an r×c kernel by an H×W map).
Readings of printed indices, stated once:
  - an entry outside a map or kernel is 0: δ^{l+1} outside its 1…H', 1…W' is the zero padding
    3.12's δ_{-1,-1} … δ_{0,1} need, and w_{i+1-m, j+1-n} outside 1…r, 1…c is no weight
    (∂z^{l+1}_mn/∂z^l_ij = 0 there);
  - Σ_m Σ_n runs over every entry of z^{l+1}; Σ_i Σ_j over every entry of z^l;
  - rot180(w) in 3.14/3.15 is rot180(w^{l+1}), the only kernel between z^l and z^{l+1}.
Symbolic claims: σ = sigma and the loss L are undefined SymPy functions, so a proof holds for
every differentiable σ and L at the sizes in each claim's scope (the engine refutes by
instantiating them with concrete polynomials); the layers are built in derivations/symbolic/conv.py.
Numeric claims: the reference implementation against central finite differences of an
independent, vectorized evaluation of eq. 3.9, at 64×64 maps with 5×5 kernels.
"""
from __future__ import annotations

import sympy as sp

from verifier import Numeric, Step

from ._registry import claim
from .checks import conv as checks
from .reference.conv import backward, convolve_full, cross_correlate_valid, forward, rot180
from .symbolic import Loss, conv_any, sigma, symbolic_fields
from .symbolic.conv import (
    ConvLayer,
    ConvLayerToNext,
    argument_derivative,
    entry,
    eq39,
    hadamard,
    sigma_prime,
    size_text,
    symbol_grid,
    xcorr_valid,
)
from .symbolic.conv_any import ConvAnySize

__all__ = ["rot180", "cross_correlate_valid", "convolve_full", "forward", "backward"]

_SECTION = "3.2.2"


def _symbolic_claim(id: str, steps: list, where: dict, equation: str, title: str, scope: str, **kw) -> None:
    """Declare a symbolic claim of this section: the abbreviations its lines use, every other symbol real."""
    claim(id, steps, **symbolic_fields(steps, where, kw.get("corrections")),
          equation=equation, section=_SECTION, title=title, scope=scope, **kw)


# Sizes of the symbolic instances (z^l or a^{l-1} rows × cols, kernel rows × cols).
_SQUARE_2 = (4, 4, 2, 2)
_SQUARE_3 = (5, 5, 3, 3)
_OBLONG = (4, 5, 2, 3)  # non-square map and kernel: a transposed index would not line up

# --- 3.9 / 3.10: the forward pass ---------------------------------------------------------------
_forward_layer = ConvLayer(*_OBLONG)
_symbolic_claim(
    "3.10:z",
    [
        Step(eq39(_forward_layer.a, _forward_layer.w, _forward_layer.b), latex=r"z_{ij}^{l} = \sum_{p=1}^{r} \sum_{q=1}^{c} a_{i+p-1,j+q-1}^{l-1} w_{pq}^{l} + b^{l}"),
        Step(xcorr_valid(_forward_layer.a, _forward_layer.w) + _forward_layer.b * sp.ones(*_forward_layer.z.shape), latex=r"z^{l} = a^{l-1} * w^{l} + b^{l}"),
    ],
    {},
    equation="3.10",
    title="z^l = a^(l-1) * w^l + b^l is eq. 3.9 with * = valid cross-correlation, b^l added to every entry",
    scope=_forward_layer.scope.split(";")[0],
)
_symbolic_claim(
    "3.10:a",
    [
        Step(sp.ImmutableMatrix(*_forward_layer.z.shape, lambda i, j: sigma(_forward_layer.z[i, j])), latex=r"a_{ij}^{l} = \sigma(z_{ij}^{l})"),
        Step(_forward_layer.z.applyfunc(sigma), latex=r"a^{l} = \sigma(z^{l})"),
    ],
    {},
    equation="3.10",
    title="a^l = σ(z^l) (σ entrywise) is eq. 3.9's a_ij = σ(z_ij)",
    scope=f"z^l {size_text(*_forward_layer.z.shape)}; every σ",
)

# --- 3.11: δ^l_ij = ∂L/∂z^l_ij; "δ^L … in the same manner as Eq. BP1" --------------------------
_zL = symbol_grid("z^L", 3, 4)
_lossL = Loss(*_zL.applyfunc(sigma))
_dLdaL = symbol_grid("dL/da^L", 3, 4)
_dL = symbol_grid("delta^L", 3, 4)
_symbolic_claim(
    "3.11",
    [
        Step(_dL, latex=r"\delta_{ij}^L = \frac{\partial \mathcal{L}}{\partial z_{ij}^L}"),
        Step(hadamard(_dLdaL, _zL.applyfunc(sigma_prime)), latex=r"\frac{\partial \mathcal{L}}{\partial a_{ij}^L} \sigma'(z_{ij}^L)"),
    ],
    {**{_dLdaL[k]: argument_derivative(_lossL, k) for k in range(len(_dLdaL))},
     **{_dL[k]: sp.Derivative(_lossL, _zL[k]) for k in range(len(_dL))}},
    equation="3.11",
    title="δ^L = ∂L/∂z^L is ∂L/∂a^L ⊗ σ'(z^L) (BP1 for a conv output layer), every entry",
    scope="z^L 3×4, a^L = σ(z^L); every differentiable σ and L of the 12 entries of a^L",
)

# --- CONV-BP2: δ^l from δ^{l+1}, at one entry -----------------------------------------------------
# The superscript i+1 printed on δ^{i+1}_mn (lines 3 and 4) is read literally: the error of
# layer i+1. The lines must hold for every layer l and entry (i, j); at an inner entry
# (i, j) = (2, 2) of a 4×4 z^l (2×2 kernel) in layer l = 3 = i + 1, δ^{i+1} = δ^3 = δ^l, a
# defined quantity other than δ^{l+1}.
_next_bp2 = ConvLayerToNext(*_SQUARE_2)
_I, _J = 2, 2
_bp2_layer = _I + 1
_delta_i_plus_1 = symbol_grid("delta^{i+1}", *_next_bp2.zn.shape)
_next_bp2.where.update({_delta_i_plus_1[m, n]: _next_bp2.dl[m, n] for m in range(_delta_i_plus_1.rows) for n in range(_delta_i_plus_1.cols)})  # δ^{i+1} = δ^l
_z_ij = entry(_next_bp2.z, _I, _J)


def _bp2_chain(delta: sp.MatrixBase) -> sp.Expr:
    """Σ_m Σ_n δ_mn ∂z^{l+1}_mn/∂z^l_ij."""
    return sp.Add(*[delta[k] * sp.Derivative(_next_bp2.zn[k], _z_ij) for k in range(len(_next_bp2.zn))])


def _bp2_explicit(delta: sp.MatrixBase) -> sp.Expr:
    """Σ_m Σ_n δ_mn ∂(Σ_{p'=1}^r Σ_{q'=1}^c σ(z^l_{m+p'-1, n+q'-1}) w^{l+1}_{p'q'} + b^{l+1})/∂z^l_ij.

    The notes reuse p, q inside the sum; here it has its own indices p', q'.
    """
    r, c = _next_bp2.w.shape
    terms = []
    for m in range(1, _next_bp2.zn.rows + 1):
        for n in range(1, _next_bp2.zn.cols + 1):
            inner = sp.Add(*[sigma(entry(_next_bp2.z, m + p - 1, n + q - 1)) * entry(_next_bp2.w, p, q)
                             for p in range(1, r + 1) for q in range(1, c + 1)]) + _next_bp2.b
            terms.append(entry(delta, m, n) * sp.Derivative(inner, _z_ij))
    return sp.Add(*terms)


_symbolic_claim(
    "CONV-BP2",
    [
        Step(entry(_next_bp2.dl, _I, _J), latex=r"\delta_{ij}^{l}"),
        Step(entry(_next_bp2.dLdz, _I, _J), latex=r"\frac{\partial \mathcal{L}}{\partial z_{ij}^{l}}"),
        Step(_bp2_chain(_next_bp2.dLdzn),
             latex=r"\sum_{m} \sum_{n} \frac{\partial \mathcal{L}}{\partial z_{mn}^{l+1}} \frac{\partial z_{mn}^{l+1}}{\partial z_{ij}^{l}}"),
        Step(_bp2_chain(_delta_i_plus_1), latex=r"\sum_{m} \sum_{n} \delta_{mn}^{i+1} \frac{\partial z_{mn}^{l+1}}{\partial z_{ij}^{l}}"),
        Step(_bp2_explicit(_delta_i_plus_1),
             latex=r"\sum_{m} \sum_{n} \delta_{mn}^{i+1} \frac{\partial \sum_{p=1}^{r} \sum_{q=1}^{c} \sigma(z_{m+p-1,n+q-1}^{l}) w_{pq}^{l+1} + b^{l+1}}{\partial z_{ij}^{l}}"),
        Step(_next_bp2.bp2(_I, _J), latex=r"\sum_{m} \sum_{n} \delta_{mn}^{l+1} w_{i+1-m,j+1-n}^{l+1} \sigma'(z_{ij}^{l})"),
    ],
    _next_bp2.where,
    equation="CONV-BP2",
    title=f"δ^l_ij from δ^(l+1) through a conv layer, at (i, j) = ({_I}, {_J}) in layer l = {_bp2_layer} (δ^(i+1) read literally)",
    scope=f"entry (i, j) = ({_I}, {_J}) of layer l = {_bp2_layer}, so the printed δ^(i+1) is δ^l; {_next_bp2.scope}",
    corrections={3: _bp2_chain(_next_bp2.dn), 4: _bp2_explicit(_next_bp2.dn)},
)

# --- 3.12: the worked example δ^l_{1,1} for a 3×3 kernel ----------------------------------------
# With 1-based valid indices δ^{l+1} has no entry with an index −1 or 0: those terms are the
# zero padding of δ^{l+1} (full mode), so only δ^{l+1}_{1,1} w^{l+1}_{1,1} is nonzero here.
_next_312 = ConvLayerToNext(*_SQUARE_3)
_ex_idx = [(m, n) for m in (-1, 0, 1) for n in (-1, 0, 1)]
_ex_delta = {mn: sp.Symbol(f"delta^{{l+1}}_{{{mn[0]},{mn[1]}}}") for mn in _ex_idx}
_next_312.where.update({s: entry(_next_312.dn, *mn) for mn, s in _ex_delta.items()})  # 0 unless m, n ≥ 1
_ex_w = {(-1, -1): (3, 3), (-1, 0): (3, 2), (-1, 1): (3, 1),   # the w index printed next to each δ
         (0, -1): (2, 3), (0, 0): (2, 2), (0, 1): (2, 1),
         (1, -1): (1, 3), (1, 0): (1, 2), (1, 1): (1, 1)}
_ex_sum = sp.Add(*[_ex_delta[mn] * entry(_next_312.w, *_ex_w[mn]) for mn in _ex_idx])
_ex_latex = (r"\delta_{-1,-1}^{l+1} w_{3,3}^{l+1} + \delta_{-1,0}^{l+1} w_{3,2}^{l+1} + \delta_{-1,1}^{l+1} w_{3,1}^{l+1} + "
             r"\delta_{0,-1}^{l+1} w_{2,3}^{l+1} + \delta_{0,0}^{l+1} w_{2,2}^{l+1} + \delta_{0,1}^{l+1} w_{2,1}^{l+1} + "
             r"\delta_{1,-1}^{l+1} w_{1,3}^{l+1} + \delta_{1,0}^{l+1} w_{1,2}^{l+1} + \delta_{1,1}^{l+1} w_{1,1}^{l+1}")
_symbolic_claim(
    "3.12:example",
    [Step(entry(_next_312.dl, 1, 1), latex=r"\delta_{1,1}^{l}"), Step(_ex_sum, latex=_ex_latex)],
    _next_312.where,
    equation="3.12",
    title="worked example δ^l_(1,1), 3×3 kernel; δ^(l+1) with an index −1 or 0 is zero padding",
    scope=f"entry (1, 1); {_next_312.scope}",
    corrections={1: _ex_sum * sigma_prime(entry(_next_312.z, 1, 1))},
)
# The example's index pairing: δ_mn next to w_{i+1-m, j+1-n} at i = j = 1, for every value of
# the nine δ entries (as if they were not padding): the CONV-BP2 sum over the m, n the kernel reaches.
_symbolic_claim(
    "3.12:indices",
    [
        Step(sp.Add(*[_ex_delta[(m, n)] * entry(_next_312.w, 2 - m, 2 - n) for m, n in _ex_idx]),
             latex=r"\sum_{m=-1}^{1} \sum_{n=-1}^{1} \delta_{mn}^{l+1} w_{1+1-m,1+1-n}^{l+1}"),
        Step(_ex_sum, latex=_ex_latex),
    ],
    {},
    equation="3.12",
    title="the example pairs δ_mn with w_(i+1-m, j+1-n) at i = j = 1 (3×3 kernel)",
    scope="entry (1, 1), 3×3 kernel; every value of the nine δ^(l+1)_mn, m, n = −1, 0, 1",
)

# --- 3.14: the matrix form of CONV-BP2, every entry ---------------------------------------------
_next_314 = ConvLayerToNext(*_SQUARE_3)
_symbolic_claim(
    "3.14:5x5-3x3",
    [
        Step(_next_314.dl, latex=r"\delta^{l} = \left[\frac{\partial \mathcal{L}}{\partial z_{ij}^{l}}\right]_{ij}"),
        Step(_next_314.element_form(), latex=r"\left[\sum_{m} \sum_{n} \delta_{mn}^{l+1} w_{i+1-m,j+1-n}^{l+1} \sigma'(z_{ij}^{l})\right]_{ij}"),
        Step(_next_314.matrix_form(), latex=r"\delta^{l+1} * rot180(\mathbf{w}) \otimes \sigma'(\mathbf{z}^{l})"),
    ],
    _next_314.where,
    equation="3.14",
    title="δ^l = δ^(l+1) * rot180(w^(l+1)) ⊗ σ'(z^l); * = full-mode cross-correlation (δ^(l+1) zero-padded)",
    scope=f"every entry; {_next_314.scope}",
)

# --- CONV-BP3: ∂L/∂w^l_pq, every (p, q) -----------------------------------------------------------
_layer_bp3 = ConvLayer(*_OBLONG)
_kernel_shape = _layer_bp3.w.shape
_symbolic_claim(
    "CONV-BP3",
    [
        Step(_layer_bp3.dLdw, latex=r"\frac{\partial \mathcal{L}}{\partial w_{pq}^{l}}"),
        Step(sp.ImmutableMatrix(*_kernel_shape, lambda p, q: sp.Add(*[_layer_bp3.dLdz[k] * sp.Derivative(_layer_bp3.z[k], _layer_bp3.w[p, q]) for k in range(len(_layer_bp3.z))])),
             latex=r"\sum_{i} \sum_{j} \frac{\partial \mathcal{L}}{\partial z_{ij}^{l}} \frac{\partial z_{ij}^{l}}{\partial w_{pq}^{l}}"),
        Step(sp.ImmutableMatrix(*_kernel_shape, lambda p, q: sp.Add(*[
                 _layer_bp3.dLdz[i, j] * sp.Derivative(_layer_bp3.explicit(i + 1, j + 1), _layer_bp3.w[p, q])
                 for i in range(_layer_bp3.z.rows) for j in range(_layer_bp3.z.cols)])),
             latex=r"\sum_{i} \sum_{j} \frac{\partial \mathcal{L}}{\partial z_{ij}^{l}} \frac{\partial \sum_{p=1}^{r} \sum_{q=1}^{c} a_{i+p-1,j+q-1}^{l-1} w_{pq}^{l} + b^{l}}{\partial w_{pq}^{l}}"),
        Step(sp.ImmutableMatrix(*_kernel_shape, lambda p, q: _layer_bp3.inner(p + 1, q + 1)),
             latex=r"\sum_{i} \sum_{j} \delta_{ij}^{l} a_{i+p-1,j+q-1}^{l-1}"),
    ],
    _layer_bp3.where,
    equation="CONV-BP3",
    title="∂L/∂w^l_pq = Σ_i Σ_j δ^l_ij a^(l-1)_(i+p-1, j+q-1), every (p, q)",
    scope=f"every (p, q); {_layer_bp3.scope}",
)

# --- CONV-BP4: ∂L/∂b^l ----------------------------------------------------------------------------
_layer_bp4 = ConvLayer(*_OBLONG)
_entries_bp4 = [(i, j) for i in range(_layer_bp4.z.rows) for j in range(_layer_bp4.z.cols)]
_symbolic_claim(
    "CONV-BP4",
    [
        Step(_layer_bp4.dLdb, latex=r"\frac{\partial \mathcal{L}}{\partial b^{l}}"),
        Step(sp.Add(*[_layer_bp4.dLdz[i, j] * sp.Derivative(_layer_bp4.z[i, j], _layer_bp4.b) for i, j in _entries_bp4]),
             latex=r"\sum_{i} \sum_{j} \frac{\partial \mathcal{L}}{\partial z_{ij}^{l}} \frac{\partial z_{ij}^{l}}{\partial b^{l}}"),
        Step(sp.Add(*[_layer_bp4.dLdz[i, j] * sp.Derivative(_layer_bp4.explicit(i + 1, j + 1), _layer_bp4.b) for i, j in _entries_bp4]),
             latex=r"\sum_{i} \sum_{j} \frac{\partial \mathcal{L}}{\partial z_{ij}^{l}} \frac{\partial \sum_{p=1}^{r} \sum_{q=1}^{c} a_{i+p-1,j+q-1}^{l-1} w_{pq}^{l} + b^{l}}{\partial b^{l}}"),
        Step(sp.Add(*[_layer_bp4.d[i, j] for i, j in _entries_bp4]), latex=r"\sum_{i} \sum_{j} \delta_{ij}^{l}"),
    ],
    _layer_bp4.where,
    equation="CONV-BP4",
    title="∂L/∂b^l = Σ_i Σ_j δ^l_ij",
    scope=_layer_bp4.scope,
)

# --- CONV-BP (summary, element form) and 3.15 (summary, matrix form) ------------------------------
_element_next = ConvLayerToNext(*_SQUARE_2)
_symbolic_claim(
    "CONV-BP:delta",
    [Step(_element_next.dl, latex=r"\delta^{l}_{ij}"),
     Step(_element_next.element_form(), latex=r"\sum_{m} \sum_{n} \delta_{mn}^{l+1} w_{i+1-m,j+1-n}^{l+1} \sigma'(z_{ij}^{l})")],
    _element_next.where,
    equation="CONV-BP",
    title="summary, element form: δ^l_ij = Σ_m Σ_n δ^(l+1)_mn w^(l+1)_(i+1-m, j+1-n) σ'(z^l_ij), every (i, j)",
    scope=f"every entry; {_element_next.scope}",
)
_element_layer = ConvLayer(*_SQUARE_3)
_symbolic_claim(
    "CONV-BP:w",
    [Step(_element_layer.dLdw, latex=r"\frac{\partial \mathcal{L}}{\partial w_{pq}^{l}}"),
     Step(sp.ImmutableMatrix(*_element_layer.w.shape, lambda p, q: _element_layer.inner(p + 1, q + 1)),
          latex=r"\sum_{i} \sum_{j} \delta_{ij}^{l} a_{i+p-1,j+q-1}^{l-1}")],
    _element_layer.where,
    equation="CONV-BP",
    title="summary, element form: ∂L/∂w^l_pq = Σ_i Σ_j δ^l_ij a^(l-1)_(i+p-1, j+q-1), every (p, q)",
    scope=f"every (p, q); {_element_layer.scope}",
)
_symbolic_claim(
    "CONV-BP:b",
    [Step(_element_layer.dLdb, latex=r"\frac{\partial \mathcal{L}}{\partial b^{l}}"),
     Step(sp.Add(*_element_layer.d), latex=r"\sum_{i} \sum_{j} \delta_{ij}^{l}")],
    _element_layer.where,
    equation="CONV-BP",
    title="summary, element form: ∂L/∂b^l = Σ_i Σ_j δ^l_ij",
    scope=_element_layer.scope,
)

_matrix_next = ConvLayerToNext(*_OBLONG)
_symbolic_claim(
    "3.15:delta",
    [Step(_matrix_next.dl, latex=r"\delta^{l}"),
     Step(_matrix_next.matrix_form(), latex=r"\delta^{l+1} * \operatorname{rot} 180(\boldsymbol{w}) \otimes \sigma'(\boldsymbol{z}^{l})")],
    _matrix_next.where,
    equation="3.15",
    title="summary, matrix form: δ^l = δ^(l+1) * rot180(w^(l+1)) ⊗ σ'(z^l); * = full-mode cross-correlation",
    scope=f"every entry; {_matrix_next.scope}",
)
_matrix_layer = ConvLayer(*_SQUARE_2)
_symbolic_claim(
    "3.15:w",
    [Step(_matrix_layer.dLdw, latex=r"\frac{\partial \mathcal{L}}{\partial \boldsymbol{w}^{l}}"),
     Step(xcorr_valid(_matrix_layer.a, _matrix_layer.d), latex=r"\boldsymbol{a}^{l-1} * \delta^{l}")],
    _matrix_layer.where,
    equation="3.15",
    title="summary, matrix form: ∂L/∂w^l = a^(l-1) * δ^l; * = valid cross-correlation (kernel-sized result)",
    scope=f"every (p, q); {_matrix_layer.scope}",
)
_i, _j = sp.symbols("i j", integer=True)
_symbolic_claim(
    "3.15:b",
    [Step(_matrix_layer.dLdb, latex=r"\frac{\partial \mathcal{L}}{\partial \boldsymbol{b}^{l}}"),
     Step(sp.Sum(_matrix_layer.b, (_i, 1, _matrix_layer.z.rows), (_j, 1, _matrix_layer.z.cols)), latex=r"\sum_{i,j} \boldsymbol{b}^{l}")],
    _matrix_layer.where,
    equation="3.15",
    title="summary, matrix form: ∂L/∂b^l = Σ_(i,j) b^l (as printed; CONV-BP4 says Σ δ^l)",
    scope=_matrix_layer.scope,
    corrections={1: sp.Add(*_matrix_layer.d)},
)

# --- CONV-BP3, CONV-BP4 and their summaries at symbolic sizes (index notation) ---------------------
# Any output size H' × W' and kernel k_h × k_w (k_h = p + r_p ≥ p, k_w = q + r_q ≥ q for the free
# kernel index (p, q)); L through its upstream gradients δ^l_ij (derivations/symbolic/conv_any.py).
# δ^l from δ^{l+1} (CONV-BP2, 3.14, 3.15:delta) stays at its concrete sizes: see that module.
_any = ConvAnySize()
_ANY_SCOPE = ("any output size H' × W' ≥ 1 × 1 and kernel k_h × k_w, every (p, q) ≤ (k_h, k_w); a^(l-1) is "
              "(H'+k_h−1) × (W'+k_w−1); L through its upstream gradients δ^l_ij (every differentiable L)")
claim("CONV-BP3:any", **conv_any.conv_bp3(_any), equation="CONV-BP3", section=_SECTION,
      title="∂L/∂w^l_pq = Σ_i Σ_j δ^l_ij a^(l-1)_(i+p-1, j+q-1) at any map and kernel size", scope=_ANY_SCOPE)
claim("CONV-BP4:any", **conv_any.conv_bp4(_any), equation="CONV-BP4", section=_SECTION,
      title="∂L/∂b^l = Σ_i Σ_j δ^l_ij at any map and kernel size", scope=_ANY_SCOPE)
claim("CONV-BP:w:any", **conv_any.summary_w(_any, matrix=False), equation="CONV-BP", section=_SECTION,
      title="summary, element form: ∂L/∂w^l_pq at any size", scope=_ANY_SCOPE)
claim("CONV-BP:b:any", **conv_any.summary_b(_any, printed_sum_of_b=False), equation="CONV-BP", section=_SECTION,
      title="summary, element form: ∂L/∂b^l = Σ_i Σ_j δ^l_ij at any size", scope=_ANY_SCOPE)
claim("3.15:w:any", **conv_any.summary_w(_any, matrix=True), equation="3.15", section=_SECTION,
      title="summary, matrix form: ∂L/∂w^l = a^(l-1) * δ^l (valid), entry (p, q), any size", scope=_ANY_SCOPE)
claim("3.15:b:any", **conv_any.summary_b(_any, printed_sum_of_b=True), equation="3.15", section=_SECTION,
      title="summary, matrix form: ∂L/∂b^l = Σ_(i,j) b^l (as printed; CONV-BP4 says Σ δ^l), any size", scope=_ANY_SCOPE)

# --- numeric claims: the reference implementation at realistic sizes ------------------------------
claim(
    "3.9:64x64-5x5",
    [Numeric(checks.forward_eq39, label="eq. 3.9 entrywise (all 60×60 entries, vectorized)"),
     Numeric(checks.forward_reference, label="forward(a, w, b)")],
    inputs=checks.forward_inputs,
    rtol=1e-12, atol=1e-12,  # the same 25 products summed in another order: ≤ 25 ulp of Σ|a w|
    equation="3.9", section=_SECTION,
    title="the reference forward() is eq. 3.9 (valid cross-correlation + b), 64×64 input, 5×5 kernel",
    scope="a 64×64, w 5×5, b scalar; one seeded draw (a second on failure)",
)
claim(
    "3.9:batched",
    [Numeric(checks.forward_eq39_channels, label="eq. 3.9 per channel pair, summed over input channels"),
     Numeric(checks.forward_reference, label="forward(a, w, b), (N, C, H, W) layout")],
    inputs=checks.batched_forward_inputs,
    rtol=1e-12, atol=1e-12,  # 200 products per entry summed in another order
    equation="3.9", section=_SECTION,
    title="the reference forward() in the batched layout is eq. 3.9 summed over input channels",
    scope="a 2×8×64×64 (N=2, 8 input channels), w 8×8×5×5 (8 output channels), b 8; one seeded draw",
)
claim(
    "3.14:64x64-5x5",
    [Numeric(checks.fd_314, label="central differences of L in z^l (16 random unit directions, then 48 random entries)"),
     Numeric(checks.formula_314, label="eq. 3.14: convolve_full(δ^(l+1), rot180(w)) ⊗ σ'(z^l), projected on the same probes")],
    inputs=checks.single_inputs, rtol=checks.RTOL, atol=checks.ATOL,
    equation="3.14", section=_SECTION,
    title="δ^l = δ^(l+1) * rot180(w) ⊗ σ'(z^l) against finite differences, 64×64 map, 5×5 kernel, σ = sigmoid",
    scope="z^l 64×64, w 5×5, σ = sigmoid, L = Σ log cosh z^(l+1); 64 probes (entry k ≥ 16 is entry k−16 of the sample)",
)
claim(
    "3.15:64x64-5x5",
    [Numeric(checks.fd_315, label="central differences: every w_pq, b, and ∂L/∂a on 64 probes (16 directions, 48 entries)"),
     Numeric(checks.backward_315, label="backward(a, w, δ): a * δ, Σ δ, convolve_full(δ, rot180(w)) on the same probes")],
    inputs=checks.single_inputs, rtol=checks.RTOL, atol=checks.ATOL,
    equation="3.15", section=_SECTION,
    title="the reference backward() (3.15 / CONV-BP3 / CONV-BP4, 3.14 without σ') against finite differences, 64×64, 5×5",
    scope="a 64×64, w 5×5, b scalar, L = Σ log cosh z; all 25 + 1 entries of ∂L/∂w, ∂L/∂b; ∂L/∂a on 64 probes",
)
claim(
    "3.15:batched",
    [Numeric(checks.fd_315_batched, label="central differences: every b_o; ∂L/∂w and ∂L/∂a on 16 probes each (4 directions, 12 entries)"),
     Numeric(checks.backward_315_batched, label="backward(a, w, δ) in the (N, C, H, W) layout, on the same probes")],
    inputs=checks.batched_inputs, rtol=checks.RTOL, atol=checks.ATOL,
    equation="3.15", section=_SECTION,
    title="the reference backward() with batch and channels against finite differences, 2×8×64×64, 8→8 channels, 5×5",
    scope="a 2×8×64×64, w 8×8×5×5, b 8, L = Σ log cosh z; all 8 entries of ∂L/∂b; ∂L/∂w, ∂L/∂a on 16 probes each",
)
