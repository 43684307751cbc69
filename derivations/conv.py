"""Backpropagation through a convolutional layer (notes, section 3.2.2).

z = a ⋆ w + b with ⋆ the VALID cross-correlation of eq. 3.9, stride 1:
z_ij = Σ_p Σ_q a_{i+p-1, j+q-1} w_pq + b   (1-based; 0-based: a[i+p, j+q]).
Given delta = ∂L/∂z:  ∂L/∂a = full-mode ⋆ of delta with rot180(w) (eq. 3.14 without
the σ' factor),  ∂L/∂w_pq = Σ_ij delta_ij a_{i+p-1, j+q-1} (CONV-BP3),
∂L/∂b = Σ_ij delta_ij (CONV-BP4).

Two layouts, chosen by ``a.ndim``:
  2-D (single channel, as in the notes): a (H, W), w (kh, kw), b scalar -> z (H-kh+1, W-kw+1);
  4-D (deep-learning layout): a (N, C_in, H, W), w (C_out, C_in, kh, kw), b (C_out,)
  -> z (N, C_out, H-kh+1, W-kw+1), summing over input channels.
"""

# --- reference implementation (numpy) ---
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = [
    "rot180",
    "cross_correlate_valid",
    "convolve_full",
    "forward",
    "backward",
]

# Largest im2col buffer built at once (bytes); bigger batches are processed in chunks.
_IM2COL_BUDGET = 16 << 20


def _float_dtype(*arrays) -> np.dtype:
    dt = np.result_type(*arrays)
    return dt if np.issubdtype(dt, np.floating) else np.dtype(np.float64)


def _as_float(*arrays):
    dt = _float_dtype(*arrays)
    return [np.asarray(x).astype(dt, copy=False) for x in arrays]


def rot180(k: np.ndarray) -> np.ndarray:
    """rot180(k)_pq = k_{r+1-p, c+1-q}: the kernel flipped along its last two axes (a copy)."""
    k = np.asarray(k)
    if k.ndim < 2:
        raise ValueError(f"rot180 needs an array with at least 2 dimensions, got shape {k.shape}")
    return np.flip(k, axis=(-2, -1)).copy()


def _check_2d(name: str, x: np.ndarray) -> None:
    if x.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array, got shape {x.shape}")


def cross_correlate_valid(a: np.ndarray, k: np.ndarray) -> np.ndarray:
    """(a ⋆ k)_ij = Σ_p Σ_q a_{i+p-1, j+q-1} k_pq, valid mode: shape (H-r+1, W-c+1) (eq. 3.9 without b)."""
    a, k = _as_float(a, k)
    _check_2d("a", a)
    _check_2d("k", k)
    if k.shape[0] > a.shape[0] or k.shape[1] > a.shape[1]:
        raise ValueError(f"kernel of shape {k.shape} is larger than the input of shape {a.shape}")
    return np.tensordot(sliding_window_view(a, k.shape), k, axes=2)


def convolve_full(d: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Full-mode ⋆ (the notes' '*', a cross-correlation): d zero-padded by (r-1, c-1) on each side, then ⋆ k.

    Shape (H+r-1, W+c-1); equals scipy.signal.correlate2d(d, k, 'full').  Eq. 3.14's
    δ * rot180(w) is ``convolve_full(delta, rot180(w))`` (= the true full convolution of delta with w).
    """
    d, k = _as_float(d, k)
    _check_2d("d", d)
    _check_2d("k", k)
    r, c = k.shape
    dp = np.pad(d, ((r - 1, r - 1), (c - 1, c - 1)))
    return np.tensordot(sliding_window_view(dp, k.shape), k, axes=2)


def _scalar_bias(b, dtype) -> np.ndarray:
    b = np.asarray(b)
    if b.ndim != 0 and b.shape != (1,):
        raise ValueError(f"b must be a scalar for the single-channel layout, got shape {b.shape}")
    return b.reshape(()).astype(dtype, copy=False)


def _check_batched(a: np.ndarray, w: np.ndarray) -> None:
    if a.ndim != 4:
        raise ValueError(f"a must have shape (N, C_in, H, W), got {a.shape}")
    if w.ndim != 4:
        raise ValueError(f"w must have shape (C_out, C_in, kh, kw) when a is 4-D, got {w.shape}")
    if w.shape[1] != a.shape[1]:
        raise ValueError(
            f"w has {w.shape[1]} input channels (shape {w.shape}) but a has {a.shape[1]} (shape {a.shape})"
        )
    if w.shape[2] > a.shape[2] or w.shape[3] > a.shape[3]:
        raise ValueError(f"kernel {w.shape[2:]} is larger than the input {a.shape[2:]}")


def _correlate_batched(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """z[n,o] = Σ_c x[n,c] ⋆ w[o,c] (valid): im2col per chunk of the batch + one matmul."""
    n, c, hx, wx = x.shape
    o, _, kh, kw = w.shape
    ho, wo = hx - kh + 1, wx - kw + 1
    k, p = c * kh * kw, ho * wo
    w2 = np.ascontiguousarray(w).reshape(o, k)
    z = np.empty((n, o, p), dtype=x.dtype)
    chunk = max(1, min(n, _IM2COL_BUDGET // max(1, k * p * x.itemsize)))
    cols = np.empty((chunk, c, kh, kw, ho, wo), dtype=x.dtype)
    windows = sliding_window_view(x, (kh, kw), axis=(2, 3)).transpose(0, 1, 4, 5, 2, 3)
    for s in range(0, n, chunk):  # loop over chunks of the batch, not over entries
        e = min(n, s + chunk)
        m = e - s
        np.copyto(cols[:m], windows[s:e])
        np.matmul(w2, cols[:m].reshape(m, k, p), out=z[s:e])
    return z.reshape(n, o, ho, wo)


def _dw_batched(a: np.ndarray, delta: np.ndarray, kh: int, kw: int) -> np.ndarray:
    """dw[o,c,p,q] = Σ_n Σ_ij delta[n,o,i,j] a[n,c,i+p,j+q] (CONV-BP3), no im2col copy.

    Flattening rows of width W turns the shift (p, q) into the flat offset p·W + q, so each
    (p, q) is one batched matmul of delta (zero-padded to width W) with a strided view of a.
    """
    n, c, h, w_ = a.shape
    o, ho, wo = delta.shape[1], delta.shape[2], delta.shape[3]
    length = ho * w_
    dfull = np.zeros((n, o, ho, w_), dtype=a.dtype)
    dfull[..., :wo] = delta
    dfull = dfull.reshape(n, o, length)
    aflat = np.zeros((n, c, h * w_ + kw - 1), dtype=a.dtype)
    aflat[:, :, : h * w_] = a.reshape(n, c, h * w_)
    dw = np.empty((o, c, kh, kw), dtype=a.dtype)
    for p in range(kh):  # loop over kernel offsets only
        for q in range(kw):
            off = p * w_ + q
            view = aflat[:, :, off : off + length].transpose(0, 2, 1)  # (n, length, c)
            dw[:, :, p, q] = np.matmul(dfull, view).sum(axis=0)
    return dw


def forward(a: np.ndarray, w: np.ndarray, b) -> np.ndarray:
    """z = a ⋆ w + b (eq. 3.9/3.10): valid cross-correlation, stride 1; 2-D or (N, C, H, W) layout."""
    a = np.asarray(a)
    if a.ndim == 2:
        a, w = _as_float(a, w)
        _check_2d("w (single-channel layout)", w)
        return cross_correlate_valid(a, w) + _scalar_bias(b, a.dtype)
    if a.ndim != 4:
        raise ValueError(
            f"a must be 2-D (H, W) or 4-D (N, C_in, H, W), got {a.ndim}-D of shape {a.shape}"
        )
    a, w, b = _as_float(a, w, b)
    _check_batched(a, w)
    if b.shape != (w.shape[0],):
        raise ValueError(f"b must have shape ({w.shape[0]},) (one bias per output channel), got {b.shape}")
    z = _correlate_batched(a, w)
    z += b[:, None, None]
    return z


def backward(a: np.ndarray, w: np.ndarray, delta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(∂L/∂a, ∂L/∂w, ∂L/∂b) from delta = ∂L/∂z: (convolve_full(delta, rot180(w)), a ⋆ delta, Σ delta)."""
    a = np.asarray(a)
    if a.ndim == 2:
        a, w, delta = _as_float(a, w, delta)
        _check_2d("w (single-channel layout)", w)
        want = (a.shape[0] - w.shape[0] + 1, a.shape[1] - w.shape[1] + 1)
        if w.shape[0] > a.shape[0] or w.shape[1] > a.shape[1]:
            raise ValueError(f"kernel of shape {w.shape} is larger than the input of shape {a.shape}")
        if delta.shape != want:
            raise ValueError(f"delta must have the shape of z, {want}, got {delta.shape}")
        da = convolve_full(delta, rot180(w))  # eq. 3.14 (before ⊙ σ')
        dw = cross_correlate_valid(a, delta)  # CONV-BP3
        db = delta.sum()  # CONV-BP4
        return da, dw, db
    if a.ndim != 4:
        raise ValueError(
            f"a must be 2-D (H, W) or 4-D (N, C_in, H, W), got {a.ndim}-D of shape {a.shape}"
        )
    a, w, delta = _as_float(a, w, delta)
    _check_batched(a, w)
    o, _, kh, kw = w.shape
    want = (a.shape[0], o, a.shape[2] - kh + 1, a.shape[3] - kw + 1)
    if delta.shape != want:
        raise ValueError(f"delta must have the shape of z, {want}, got {delta.shape}")
    dpad = np.pad(delta, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
    w_rot = np.flip(w, axis=(2, 3)).transpose(1, 0, 2, 3)  # (C_in, C_out, kh, kw)
    da = _correlate_batched(dpad, w_rot)  # Σ_o full(delta[n,o]) ⋆ rot180(w[o,c])
    dw = _dw_batched(a, delta, kh, kw)
    db = delta.sum(axis=(0, 2, 3))
    return da, dw, db


# --- claims: section 3.2.2 (every line as printed) ---
# The notes' indices are 1-based (z_ij, w_pq with i, p = 1, 2, …) and are kept here. Which
# operation each printed `*` is:
#   3.10 (a^{l-1} * w^l) and 3.15 (a^{l-1} * δ^l): the VALID cross-correlation ⋆ of eq. 3.9,
#       (A ⋆ K)_ij = Σ_p Σ_q A_{i+p-1, j+q-1} K_pq    (`cross_correlate_valid`);
#   3.14 and 3.15 (δ^{l+1} * rot180(w)): the FULL-mode cross-correlation of δ^{l+1}, zero-padded
#       by (r-1, c-1) on each side, with rot180(w^{l+1})    (`convolve_full(δ, rot180(w))`);
#       entry ij is Σ_m Σ_n δ^{l+1}_mn w^{l+1}_{i+1-m, j+1-n}: the true full convolution of
#       δ^{l+1} with w^{l+1}.
#   ⊗ is the entrywise (Hadamard) product, as in eq. 3.8; `δ * rot180(w) ⊗ σ'` is read
#   (δ * rot180(w)) ⊗ σ' (the other grouping would multiply an r×c kernel by an H×W map).
# Readings of printed indices, stated once:
#   - an entry outside a map or kernel is 0: δ^{l+1} outside its 1…H', 1…W' is the zero padding
#     3.12's δ_{-1,-1} … δ_{0,1} need, and w_{i+1-m, j+1-n} outside 1…r, 1…c is no weight
#     (∂z^{l+1}_mn/∂z^l_ij = 0 there);
#   - Σ_m Σ_n runs over every entry of z^{l+1}; Σ_i Σ_j over every entry of z^l;
#   - rot180(w) in 3.14/3.15 is rot180(w^{l+1}), the only kernel between z^l and z^{l+1}.
# Symbolic tier: σ = sigma and the loss L are undefined SymPy functions, so a proof holds for
# every differentiable σ and L at the sizes in each claim's scope (the engine refutes by
# instantiating them with concrete polynomials). "∂L/∂z^{l+1}_mn at the forward values" is the
# partial derivative of L in that argument, evaluated there (`Function.fdiff`: exactly the
# factor `sympy.diff` produces by the chain rule); σ'(z^l_ij) is Derivative(sigma(z^l_ij), z^l_ij).
# Long quantities enter lines through `where` abbreviations (delta^l_ij, delta^{l+1}_mn,
# z^{l+1}_mn, dL/dw^l_pq, …) so the reports print the notes' short forms.
# Numeric tier: the reference implementation above against central finite differences of an
# independent, vectorized evaluation of eq. 3.9 (`_eq39_np`), at 64×64 maps with 5×5 kernels.
import sympy as sp

from verifier import Numeric, Step

from ._registry import claim as _claim

_sigma = sp.Function("sigma")
_Loss = sp.Function("L")
_SECTION = "3.2.2"


def _sprime(z: sp.Symbol) -> sp.Expr:
    """σ'(z) for a symbol z: dσ(z)/dz, the very factor `sympy.diff` produces."""
    return sp.Derivative(_sigma(z), z)


def _syms(name: str, rows: int, cols: int) -> sp.ImmutableMatrix:
    """rows×cols matrix of symbols `name_ij`, i, j 1-based as in the notes."""
    return sp.ImmutableMatrix(rows, cols, lambda i, j: sp.Symbol(f"{name}_{i + 1}{j + 1}"))


def _at(m: sp.MatrixBase, i: int, j: int) -> sp.Expr:
    """m_ij with 1-based indices; 0 outside m (zero padding / no such kernel entry)."""
    if 1 <= i <= m.rows and 1 <= j <= m.cols:
        return m[i - 1, j - 1]
    return sp.S.Zero


def _eq39(a: sp.MatrixBase, w: sp.MatrixBase, b: sp.Expr) -> sp.ImmutableMatrix:
    """Element form of eq. 3.9: z_ij = Σ_{p=1}^r Σ_{q=1}^c a_{i+p-1, j+q-1} w_pq + b (1-based)."""
    r, c = w.shape

    def entry(i: int, j: int) -> sp.Expr:
        return sp.Add(*[_at(a, i + p - 1, j + q - 1) * _at(w, p, q) for p in range(1, r + 1) for q in range(1, c + 1)]) + b

    return sp.ImmutableMatrix(a.rows - r + 1, a.cols - c + 1, lambda i0, j0: entry(i0 + 1, j0 + 1))


# Matrix-form operations on SymPy matrices, by 0-based slicing (another route than _eq39).
def _xcorr_valid(a: sp.MatrixBase, k: sp.MatrixBase) -> sp.ImmutableMatrix:
    """a ⋆ k, valid mode: Σ_{p,q} k[p, q] · a[p : p+H', q : q+W']."""
    r, c = k.shape
    h, w = a.rows - r + 1, a.cols - c + 1
    a = sp.Matrix(a)
    out = sp.zeros(h, w)
    for p in range(r):
        for q in range(c):
            out += k[p, q] * a[p : p + h, q : q + w]
    return sp.ImmutableMatrix(out)


def _full(d: sp.MatrixBase, k: sp.MatrixBase) -> sp.ImmutableMatrix:
    """Full-mode ⋆: d zero-padded by (r-1, c-1) on each side, then valid ⋆ k."""
    r, c = k.rows - 1, k.cols - 1
    padded = sp.zeros(d.rows + 2 * r, d.cols + 2 * c)
    padded[r : r + d.rows, c : c + d.cols] = d
    return _xcorr_valid(padded, k)


def _rot180(k: sp.MatrixBase) -> sp.ImmutableMatrix:
    """rot180(k)_pq = k_{r+1-p, c+1-q}."""
    r, c = k.shape
    return sp.ImmutableMatrix(r, c, lambda p, q: k[r - 1 - p, c - 1 - q])


def _hadamard(x: sp.MatrixBase, y: sp.MatrixBase) -> sp.ImmutableMatrix:
    """x ⊗ y, entrywise."""
    return sp.ImmutableMatrix(x.multiply_elementwise(y))


def _partial(f: sp.Expr, k: int) -> sp.Expr:
    """∂f/∂(argument k, 0-based) of an undefined function application, at its arguments."""
    return f.fdiff(k + 1)


def _x(h: int, w: int) -> str:
    return f"{h}×{w}"


class _Next:
    """Layer l → l+1 (CONV-BP2, 3.12, 3.14): z^l (h×w symbols), a^l = σ(z^l),
    z^{l+1} = a^l ⋆ w^{l+1} + b^{l+1} (eq. 3.9), loss L(entries of z^{l+1}).

    Abbreviations (`where`): delta^l_ij = dL/dz^l_ij = ∂L/∂z^l_ij (a Derivative the engine evaluates);
    delta^{l+1}_mn = dL/dz^{l+1}_mn = ∂L/∂z^{l+1}_mn at the forward values; z^{l+1}_mn = eq. 3.9.
    """

    def __init__(self, h: int, w: int, r: int, c: int) -> None:
        self.z = _syms("z^l", h, w)
        self.w = _syms("w^{l+1}", r, c)
        self.b = sp.Symbol("b^{l+1}")
        znext = _eq39(self.z.applyfunc(_sigma), self.w, self.b)
        self.loss = _Loss(*znext)
        hn, wn = znext.shape
        self.zn = _syms("z^{l+1}", hn, wn)
        self.dn = _syms("delta^{l+1}", hn, wn)
        self.dLdzn = _syms("dL/dz^{l+1}", hn, wn)  # δ^{l+1} as CONV-BP2's first line spells it
        self.dl = _syms("delta^l", h, w)
        self.dLdz = _syms("dL/dz^l", h, w)  # δ^l as CONV-BP2's first line spells it
        self.where = {
            **{self.dl[k]: sp.Derivative(self.loss, self.z[k]) for k in range(h * w)},
            **{self.dLdz[k]: sp.Derivative(self.loss, self.z[k]) for k in range(h * w)},
            **{self.dn[k]: _partial(self.loss, k) for k in range(hn * wn)},
            **{self.dLdzn[k]: _partial(self.loss, k) for k in range(hn * wn)},
            **{self.zn[k]: znext[k] for k in range(hn * wn)},
        }
        self.scope = f"z^l {_x(h, w)}, kernel w^(l+1) {_x(r, c)}, z^(l+1) {_x(hn, wn)}; every differentiable σ and L"

    def bp2(self, i: int, j: int) -> sp.Expr:
        """CONV-BP2's result at (i, j): Σ_m Σ_n δ^{l+1}_mn w^{l+1}_{i+1-m, j+1-n} σ'(z^l_ij)."""
        return sp.Add(*[_at(self.dn, m, n) * _at(self.w, i + 1 - m, j + 1 - n) * _sprime(_at(self.z, i, j))
                        for m in range(1, self.dn.rows + 1) for n in range(1, self.dn.cols + 1)])

    def element_form(self) -> sp.ImmutableMatrix:
        """CONV-BP2's result at every (i, j)."""
        return sp.ImmutableMatrix(*self.z.shape, lambda i, j: self.bp2(i + 1, j + 1))

    def matrix_form(self) -> sp.ImmutableMatrix:
        """(δ^{l+1} * rot180(w^{l+1})) ⊗ σ'(z^l), * = full-mode cross-correlation."""
        return _hadamard(_full(self.dn, _rot180(self.w)), self.z.applyfunc(_sprime))


class _Layer:
    """Layer l itself (CONV-BP3, CONV-BP4, 3.15): z^l = a^{l-1} ⋆ w^l + b^l (eq. 3.9), loss L(entries of z^l).

    Abbreviations (`where`): delta^l_ij = dL/dz^l_ij = ∂L/∂z^l_ij at the forward values;
    z^l_ij = eq. 3.9; dL/dw^l_pq, dL/db^l = the Derivatives of L the engine evaluates.
    """

    def __init__(self, h: int, w: int, r: int, c: int) -> None:
        self.a = _syms("a^{l-1}", h, w)
        self.w = _syms("w^l", r, c)
        self.b = sp.Symbol("b^l")
        z = _eq39(self.a, self.w, self.b)
        self.loss = _Loss(*z)
        hz, wz = z.shape
        self.z = _syms("z^l", hz, wz)
        self.d = _syms("delta^l", hz, wz)
        self.dLdz = _syms("dL/dz^l", hz, wz)  # δ^l as the first lines of CONV-BP3/BP4 spell it
        self.where = {
            **{self.d[k]: _partial(self.loss, k) for k in range(hz * wz)},
            **{self.dLdz[k]: _partial(self.loss, k) for k in range(hz * wz)},
            **{self.z[k]: z[k] for k in range(hz * wz)},
        }
        self.dLdw = _syms("dL/dw^l", r, c)
        self.dLdb = sp.Symbol("dL/db^l")
        self.where.update({self.dLdw[k]: sp.Derivative(self.loss, self.w[k]) for k in range(r * c)})
        self.where[self.dLdb] = sp.Derivative(self.loss, self.b)
        self.scope = f"a^(l-1) {_x(h, w)}, kernel w^l {_x(r, c)}, z^l {_x(hz, wz)}; every differentiable L"

    def inner(self, p: int, q: int) -> sp.Expr:
        """Σ_i Σ_j δ^l_ij a^{l-1}_{i+p-1, j+q-1} (CONV-BP3's result)."""
        return sp.Add(*[_at(self.d, i, j) * _at(self.a, i + p - 1, j + q - 1)
                        for i in range(1, self.d.rows + 1) for j in range(1, self.d.cols + 1)])

    def explicit(self, i: int, j: int) -> sp.Expr:
        """Σ_{p'=1}^r Σ_{q'=1}^c a^{l-1}_{i+p'-1, j+q'-1} w^l_{p'q'} + b^l: eq. 3.9 written out.

        The notes reuse p, q as the summation indices while differentiating by w_pq; the sum
        has its own indices p', q' here (the reading that makes the line meaningful).
        """
        r, c = self.w.shape
        return sp.Add(*[_at(self.a, i + p - 1, j + q - 1) * _at(self.w, p, q) for p in range(1, r + 1) for q in range(1, c + 1)]) + self.b


def _sym_fields(steps: list, where: dict, corrections: dict | None = None) -> dict:
    """domain (every free symbol real) and the abbreviations the lines use, directly or through
    another abbreviation: the Claim arguments a symbolic claim of this section needs."""
    exprs = [s.expr if isinstance(s, Step) else s for s in [*steps, *(corrections or {}).values()]]
    # Free symbols once per expression (has() per abbreviation walked every tree again: slow imports).
    mentioned = set().union(*(e.free_symbols for e in exprs))
    refers = {k: v.free_symbols if isinstance(v, sp.Basic) else set() for k, v in where.items()}
    todo = [k for k in where if k in mentioned]
    used: dict = {}
    while todo:
        k = todo.pop()
        if k not in used:
            used[k] = where[k]
            todo.extend(r for r in refers[k] if r in where and r not in used)
    free = set().union(*(e.free_symbols for e in [*exprs, *used.values()])) - set(where)
    return {"domain": {s: (-sp.oo, sp.oo) for s in free if isinstance(s, sp.Symbol)}, "where": used}


def _sym_claim(id: str, steps: list, where: dict, equation: str, title: str, scope: str, **kw) -> None:
    """Declare a symbolic claim of this section."""
    _claim(id, steps, **_sym_fields(steps, where, kw.get("corrections")),
           equation=equation, section=_SECTION, title=title, scope=scope, **kw)


# Sizes of the symbolic instances (z^l or a^{l-1} rows × cols, kernel rows × cols).
_SQUARE_2 = (4, 4, 2, 2)
_SQUARE_3 = (5, 5, 3, 3)
_OBLONG = (4, 5, 2, 3)  # non-square map and kernel: a transposed index would not line up

# --- 3.9 / 3.10: the forward pass ---------------------------------------------------------------
_fw = _Layer(*_OBLONG)
_sym_claim(
    "3.10:z",
    [
        Step(_eq39(_fw.a, _fw.w, _fw.b), latex=r"z_{ij}^{l} = \sum_{p=1}^{r} \sum_{q=1}^{c} a_{i+p-1,j+q-1}^{l-1} w_{pq}^{l} + b^{l}"),
        Step(_xcorr_valid(_fw.a, _fw.w) + _fw.b * sp.ones(*_fw.z.shape), latex=r"z^{l} = a^{l-1} * w^{l} + b^{l}"),
    ],
    {},
    equation="3.10",
    title="z^l = a^(l-1) * w^l + b^l is eq. 3.9 with * = valid cross-correlation, b^l added to every entry",
    scope=_fw.scope.split(";")[0],
)
_sym_claim(
    "3.10:a",
    [
        Step(sp.ImmutableMatrix(*_fw.z.shape, lambda i, j: _sigma(_fw.z[i, j])), latex=r"a_{ij}^{l} = \sigma(z_{ij}^{l})"),
        Step(_fw.z.applyfunc(_sigma), latex=r"a^{l} = \sigma(z^{l})"),
    ],
    {},
    equation="3.10",
    title="a^l = σ(z^l) (σ entrywise) is eq. 3.9's a_ij = σ(z_ij)",
    scope=f"z^l {_x(*_fw.z.shape)}; every σ",
)

# --- 3.11: δ^l_ij = ∂L/∂z^l_ij; "δ^L … in the same manner as Eq. BP1" --------------------------
_zL = _syms("z^L", 3, 4)
_lossL = _Loss(*_zL.applyfunc(_sigma))
_dLdaL = _syms("dL/da^L", 3, 4)
_dL = _syms("delta^L", 3, 4)
_sym_claim(
    "3.11",
    [
        Step(_dL, latex=r"\delta_{ij}^L = \frac{\partial \mathcal{L}}{\partial z_{ij}^L}"),
        Step(_hadamard(_dLdaL, _zL.applyfunc(_sprime)), latex=r"\frac{\partial \mathcal{L}}{\partial a_{ij}^L} \sigma'(z_{ij}^L)"),
    ],
    {**{_dLdaL[k]: _partial(_lossL, k) for k in range(len(_dLdaL))},
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
_bp2 = _Next(*_SQUARE_2)
_I, _J = 2, 2
_bp2_l = _I + 1
_dip1 = _syms("delta^{i+1}", *_bp2.zn.shape)
_bp2.where.update({_dip1[m, n]: _bp2.dl[m, n] for m in range(_dip1.rows) for n in range(_dip1.cols)})  # δ^{i+1} = δ^l
_zij = _at(_bp2.z, _I, _J)


def _bp2_chain(delta: sp.MatrixBase) -> sp.Expr:
    """Σ_m Σ_n δ_mn ∂z^{l+1}_mn/∂z^l_ij."""
    return sp.Add(*[delta[k] * sp.Derivative(_bp2.zn[k], _zij) for k in range(len(_bp2.zn))])


def _bp2_explicit(delta: sp.MatrixBase) -> sp.Expr:
    """Σ_m Σ_n δ_mn ∂(Σ_{p'=1}^r Σ_{q'=1}^c σ(z^l_{m+p'-1, n+q'-1}) w^{l+1}_{p'q'} + b^{l+1})/∂z^l_ij.

    The notes reuse p, q inside the sum; here it has its own indices p', q'.
    """
    r, c = _bp2.w.shape
    terms = []
    for m in range(1, _bp2.zn.rows + 1):
        for n in range(1, _bp2.zn.cols + 1):
            inner = sp.Add(*[_sigma(_at(_bp2.z, m + p - 1, n + q - 1)) * _at(_bp2.w, p, q)
                             for p in range(1, r + 1) for q in range(1, c + 1)]) + _bp2.b
            terms.append(_at(delta, m, n) * sp.Derivative(inner, _zij))
    return sp.Add(*terms)


_sym_claim(
    "CONV-BP2",
    [
        Step(_at(_bp2.dl, _I, _J), latex=r"\delta_{ij}^{l}"),
        Step(_at(_bp2.dLdz, _I, _J), latex=r"\frac{\partial \mathcal{L}}{\partial z_{ij}^{l}}"),
        Step(_bp2_chain(_bp2.dLdzn),
             latex=r"\sum_{m} \sum_{n} \frac{\partial \mathcal{L}}{\partial z_{mn}^{l+1}} \frac{\partial z_{mn}^{l+1}}{\partial z_{ij}^{l}}"),
        Step(_bp2_chain(_dip1), latex=r"\sum_{m} \sum_{n} \delta_{mn}^{i+1} \frac{\partial z_{mn}^{l+1}}{\partial z_{ij}^{l}}"),
        Step(_bp2_explicit(_dip1),
             latex=r"\sum_{m} \sum_{n} \delta_{mn}^{i+1} \frac{\partial \sum_{p=1}^{r} \sum_{q=1}^{c} \sigma(z_{m+p-1,n+q-1}^{l}) w_{pq}^{l+1} + b^{l+1}}{\partial z_{ij}^{l}}"),
        Step(_bp2.bp2(_I, _J), latex=r"\sum_{m} \sum_{n} \delta_{mn}^{l+1} w_{i+1-m,j+1-n}^{l+1} \sigma'(z_{ij}^{l})"),
    ],
    _bp2.where,
    equation="CONV-BP2",
    title=f"δ^l_ij from δ^(l+1) through a conv layer, at (i, j) = ({_I}, {_J}) in layer l = {_bp2_l} (δ^(i+1) read literally)",
    scope=f"entry (i, j) = ({_I}, {_J}) of layer l = {_bp2_l}, so the printed δ^(i+1) is δ^l; {_bp2.scope}",
    corrections={3: _bp2_chain(_bp2.dn), 4: _bp2_explicit(_bp2.dn)},
)

# --- 3.12: the worked example δ^l_{1,1} for a 3×3 kernel ----------------------------------------
# With 1-based valid indices δ^{l+1} has no entry with an index −1 or 0: those terms are the
# zero padding of δ^{l+1} (full mode), so only δ^{l+1}_{1,1} w^{l+1}_{1,1} is nonzero here.
_ex = _Next(*_SQUARE_3)
_ex_idx = [(m, n) for m in (-1, 0, 1) for n in (-1, 0, 1)]
_ex_delta = {mn: sp.Symbol(f"delta^{{l+1}}_{{{mn[0]},{mn[1]}}}") for mn in _ex_idx}
_ex.where.update({s: _at(_ex.dn, *mn) for mn, s in _ex_delta.items()})  # 0 unless m, n ≥ 1
_ex_w = {(-1, -1): (3, 3), (-1, 0): (3, 2), (-1, 1): (3, 1),   # the w index printed next to each δ
         (0, -1): (2, 3), (0, 0): (2, 2), (0, 1): (2, 1),
         (1, -1): (1, 3), (1, 0): (1, 2), (1, 1): (1, 1)}
_ex_sum = sp.Add(*[_ex_delta[mn] * _at(_ex.w, *_ex_w[mn]) for mn in _ex_idx])
_ex_latex = (r"\delta_{-1,-1}^{l+1} w_{3,3}^{l+1} + \delta_{-1,0}^{l+1} w_{3,2}^{l+1} + \delta_{-1,1}^{l+1} w_{3,1}^{l+1} + "
             r"\delta_{0,-1}^{l+1} w_{2,3}^{l+1} + \delta_{0,0}^{l+1} w_{2,2}^{l+1} + \delta_{0,1}^{l+1} w_{2,1}^{l+1} + "
             r"\delta_{1,-1}^{l+1} w_{1,3}^{l+1} + \delta_{1,0}^{l+1} w_{1,2}^{l+1} + \delta_{1,1}^{l+1} w_{1,1}^{l+1}")
_sym_claim(
    "3.12:example",
    [Step(_at(_ex.dl, 1, 1), latex=r"\delta_{1,1}^{l}"), Step(_ex_sum, latex=_ex_latex)],
    _ex.where,
    equation="3.12",
    title="worked example δ^l_(1,1), 3×3 kernel; δ^(l+1) with an index −1 or 0 is zero padding",
    scope=f"entry (1, 1); {_ex.scope}",
    corrections={1: _ex_sum * _sprime(_at(_ex.z, 1, 1))},
)
# The example's index pairing: δ_mn next to w_{i+1-m, j+1-n} at i = j = 1, for every value of
# the nine δ entries (as if they were not padding): the CONV-BP2 sum over the m, n the kernel reaches.
_sym_claim(
    "3.12:indices",
    [
        Step(sp.Add(*[_ex_delta[(m, n)] * _at(_ex.w, 2 - m, 2 - n) for m, n in _ex_idx]),
             latex=r"\sum_{m=-1}^{1} \sum_{n=-1}^{1} \delta_{mn}^{l+1} w_{1+1-m,1+1-n}^{l+1}"),
        Step(_ex_sum, latex=_ex_latex),
    ],
    {},
    equation="3.12",
    title="the example pairs δ_mn with w_(i+1-m, j+1-n) at i = j = 1 (3×3 kernel)",
    scope="entry (1, 1), 3×3 kernel; every value of the nine δ^(l+1)_mn, m, n = −1, 0, 1",
)

# --- 3.14: the matrix form of CONV-BP2, every entry ---------------------------------------------
_d314 = _Next(*_SQUARE_3)
_sym_claim(
    "3.14:5x5-3x3",
    [
        Step(_d314.dl, latex=r"\delta^{l} = \left[\frac{\partial \mathcal{L}}{\partial z_{ij}^{l}}\right]_{ij}"),
        Step(_d314.element_form(), latex=r"\left[\sum_{m} \sum_{n} \delta_{mn}^{l+1} w_{i+1-m,j+1-n}^{l+1} \sigma'(z_{ij}^{l})\right]_{ij}"),
        Step(_d314.matrix_form(), latex=r"\delta^{l+1} * rot180(\mathbf{w}) \otimes \sigma'(\mathbf{z}^{l})"),
    ],
    _d314.where,
    equation="3.14",
    title="δ^l = δ^(l+1) * rot180(w^(l+1)) ⊗ σ'(z^l); * = full-mode cross-correlation (δ^(l+1) zero-padded)",
    scope=f"every entry; {_d314.scope}",
)

# --- CONV-BP3: ∂L/∂w^l_pq, every (p, q) -----------------------------------------------------------
_bp3 = _Layer(*_OBLONG)
_kshape = _bp3.w.shape
_sym_claim(
    "CONV-BP3",
    [
        Step(_bp3.dLdw, latex=r"\frac{\partial \mathcal{L}}{\partial w_{pq}^{l}}"),
        Step(sp.ImmutableMatrix(*_kshape, lambda p, q: sp.Add(*[_bp3.dLdz[k] * sp.Derivative(_bp3.z[k], _bp3.w[p, q]) for k in range(len(_bp3.z))])),
             latex=r"\sum_{i} \sum_{j} \frac{\partial \mathcal{L}}{\partial z_{ij}^{l}} \frac{\partial z_{ij}^{l}}{\partial w_{pq}^{l}}"),
        Step(sp.ImmutableMatrix(*_kshape, lambda p, q: sp.Add(*[
                 _bp3.dLdz[i, j] * sp.Derivative(_bp3.explicit(i + 1, j + 1), _bp3.w[p, q])
                 for i in range(_bp3.z.rows) for j in range(_bp3.z.cols)])),
             latex=r"\sum_{i} \sum_{j} \frac{\partial \mathcal{L}}{\partial z_{ij}^{l}} \frac{\partial \sum_{p=1}^{r} \sum_{q=1}^{c} a_{i+p-1,j+q-1}^{l-1} w_{pq}^{l} + b^{l}}{\partial w_{pq}^{l}}"),
        Step(sp.ImmutableMatrix(*_kshape, lambda p, q: _bp3.inner(p + 1, q + 1)),
             latex=r"\sum_{i} \sum_{j} \delta_{ij}^{l} a_{i+p-1,j+q-1}^{l-1}"),
    ],
    _bp3.where,
    equation="CONV-BP3",
    title="∂L/∂w^l_pq = Σ_i Σ_j δ^l_ij a^(l-1)_(i+p-1, j+q-1), every (p, q)",
    scope=f"every (p, q); {_bp3.scope}",
)

# --- CONV-BP4: ∂L/∂b^l ----------------------------------------------------------------------------
_bp4 = _Layer(*_OBLONG)
_ij = [(i, j) for i in range(_bp4.z.rows) for j in range(_bp4.z.cols)]
_sym_claim(
    "CONV-BP4",
    [
        Step(_bp4.dLdb, latex=r"\frac{\partial \mathcal{L}}{\partial b^{l}}"),
        Step(sp.Add(*[_bp4.dLdz[i, j] * sp.Derivative(_bp4.z[i, j], _bp4.b) for i, j in _ij]),
             latex=r"\sum_{i} \sum_{j} \frac{\partial \mathcal{L}}{\partial z_{ij}^{l}} \frac{\partial z_{ij}^{l}}{\partial b^{l}}"),
        Step(sp.Add(*[_bp4.dLdz[i, j] * sp.Derivative(_bp4.explicit(i + 1, j + 1), _bp4.b) for i, j in _ij]),
             latex=r"\sum_{i} \sum_{j} \frac{\partial \mathcal{L}}{\partial z_{ij}^{l}} \frac{\partial \sum_{p=1}^{r} \sum_{q=1}^{c} a_{i+p-1,j+q-1}^{l-1} w_{pq}^{l} + b^{l}}{\partial b^{l}}"),
        Step(sp.Add(*[_bp4.d[i, j] for i, j in _ij]), latex=r"\sum_{i} \sum_{j} \delta_{ij}^{l}"),
    ],
    _bp4.where,
    equation="CONV-BP4",
    title="∂L/∂b^l = Σ_i Σ_j δ^l_ij",
    scope=_bp4.scope,
)

# --- CONV-BP (summary, element form) and 3.15 (summary, matrix form) ------------------------------
_sum_d = _Next(*_SQUARE_2)
_sym_claim(
    "CONV-BP:delta",
    [Step(_sum_d.dl, latex=r"\delta^{l}_{ij}"),
     Step(_sum_d.element_form(), latex=r"\sum_{m} \sum_{n} \delta_{mn}^{l+1} w_{i+1-m,j+1-n}^{l+1} \sigma'(z_{ij}^{l})")],
    _sum_d.where,
    equation="CONV-BP",
    title="summary, element form: δ^l_ij = Σ_m Σ_n δ^(l+1)_mn w^(l+1)_(i+1-m, j+1-n) σ'(z^l_ij), every (i, j)",
    scope=f"every entry; {_sum_d.scope}",
)
_sum_wb = _Layer(*_SQUARE_3)
_sym_claim(
    "CONV-BP:w",
    [Step(_sum_wb.dLdw, latex=r"\frac{\partial \mathcal{L}}{\partial w_{pq}^{l}}"),
     Step(sp.ImmutableMatrix(*_sum_wb.w.shape, lambda p, q: _sum_wb.inner(p + 1, q + 1)),
          latex=r"\sum_{i} \sum_{j} \delta_{ij}^{l} a_{i+p-1,j+q-1}^{l-1}")],
    _sum_wb.where,
    equation="CONV-BP",
    title="summary, element form: ∂L/∂w^l_pq = Σ_i Σ_j δ^l_ij a^(l-1)_(i+p-1, j+q-1), every (p, q)",
    scope=f"every (p, q); {_sum_wb.scope}",
)
_sym_claim(
    "CONV-BP:b",
    [Step(_sum_wb.dLdb, latex=r"\frac{\partial \mathcal{L}}{\partial b^{l}}"),
     Step(sp.Add(*_sum_wb.d), latex=r"\sum_{i} \sum_{j} \delta_{ij}^{l}")],
    _sum_wb.where,
    equation="CONV-BP",
    title="summary, element form: ∂L/∂b^l = Σ_i Σ_j δ^l_ij",
    scope=_sum_wb.scope,
)

_m_d = _Next(*_OBLONG)
_sym_claim(
    "3.15:delta",
    [Step(_m_d.dl, latex=r"\delta^{l}"),
     Step(_m_d.matrix_form(), latex=r"\delta^{l+1} * \operatorname{rot} 180(\boldsymbol{w}) \otimes \sigma'(\boldsymbol{z}^{l})")],
    _m_d.where,
    equation="3.15",
    title="summary, matrix form: δ^l = δ^(l+1) * rot180(w^(l+1)) ⊗ σ'(z^l); * = full-mode cross-correlation",
    scope=f"every entry; {_m_d.scope}",
)
_m_wb = _Layer(*_SQUARE_2)
_sym_claim(
    "3.15:w",
    [Step(_m_wb.dLdw, latex=r"\frac{\partial \mathcal{L}}{\partial \boldsymbol{w}^{l}}"),
     Step(_xcorr_valid(_m_wb.a, _m_wb.d), latex=r"\boldsymbol{a}^{l-1} * \delta^{l}")],
    _m_wb.where,
    equation="3.15",
    title="summary, matrix form: ∂L/∂w^l = a^(l-1) * δ^l; * = valid cross-correlation (kernel-sized result)",
    scope=f"every (p, q); {_m_wb.scope}",
)
_i, _j = sp.symbols("i j", integer=True)
_sym_claim(
    "3.15:b",
    [Step(_m_wb.dLdb, latex=r"\frac{\partial \mathcal{L}}{\partial \boldsymbol{b}^{l}}"),
     Step(sp.Sum(_m_wb.b, (_i, 1, _m_wb.z.rows), (_j, 1, _m_wb.z.cols)), latex=r"\sum_{i,j} \boldsymbol{b}^{l}")],
    _m_wb.where,
    equation="3.15",
    title="summary, matrix form: ∂L/∂b^l = Σ_(i,j) b^l (as printed; CONV-BP4 says Σ δ^l)",
    scope=_m_wb.scope,
    corrections={1: sp.Add(*_m_wb.d)},
)


# --- numeric tier: the reference implementation at realistic sizes ---------------------------------
# Independent evaluation of eq. 3.9 for whole maps at once (loops over the r·c kernel offsets
# only, never over entries); leading axes of a, w and b broadcast, so one call evaluates a batch
# of perturbed inputs or kernels for the finite differences.
def _eq39_np(a: np.ndarray, w: np.ndarray, b) -> np.ndarray:
    """z = Σ_{p,q} w[..., p, q] · a[..., p : p+H', q : q+W'] + b  (eq. 3.9, 0-based; single channel)."""
    r, c = w.shape[-2:]
    h, wd = a.shape[-2] - r + 1, a.shape[-1] - c + 1
    z = np.asarray(b, dtype=float)[..., None, None]
    for p in range(r):
        for q in range(c):
            z = z + w[..., p, q, None, None] * a[..., p : p + h, q : q + wd]
    return z


def _eq39_channels_np(a: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """z[..., n, o] = Σ_c Σ_{p,q} w[..., o, c, p, q] a[..., n, c, p : p+H', q : q+W'] + b[..., o]."""
    r, c = w.shape[-2:]
    h, wd = a.shape[-2] - r + 1, a.shape[-1] - c + 1
    z = 0.0
    for p in range(r):
        for q in range(c):
            window = np.moveaxis(a[..., p : p + h, q : q + wd], -3, -1)  # (..., N, H', W', C_in)
            z = z + window @ np.swapaxes(w[..., p, q], -1, -2)[..., None, None, :, :]
    return np.moveaxis(z, -1, -3) + np.asarray(b)[..., None, :, None, None]


def _logcosh(z: np.ndarray) -> np.ndarray:
    """log cosh z (stable): the loss per entry; its derivative is tanh z."""
    return np.logaddexp(z, -z) - np.log(2.0)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


_H = 3e-5  # central-difference step (see the tolerances below)
_CHUNK = 8  # perturbed copies evaluated per call (bounds memory; the loop is over chunks, not entries)


def _central(f, x: np.ndarray, dirs: np.ndarray) -> np.ndarray:
    """(f(x + h·d) − f(x − h·d)) / 2h for every direction d in `dirs` (leading axis), vectorized."""
    out = np.empty(len(dirs))
    for s in range(0, len(dirs), _CHUNK):
        d = dirs[s : s + _CHUNK]
        vals = f(np.concatenate([x + _H * d, x - _H * d]))
        out[s : s + _CHUNK] = (vals[: len(d)] - vals[len(d) :]) / (2 * _H)
    return out


def _probes(rng: np.random.Generator, shape: tuple, k: int, s: int) -> tuple[np.ndarray, tuple]:
    """k random unit directions and s random entries (as unit vectors), and those entries' indices."""
    dirs = rng.normal(size=(k, *shape))
    dirs /= np.sqrt((dirs**2).reshape(k, -1).sum(axis=1)).reshape(k, *([1] * len(shape)))
    flat = rng.choice(int(np.prod(shape)), size=s, replace=False)
    idx = np.unravel_index(flat, shape)
    units = np.zeros((s, *shape))
    units[(np.arange(s), *idx)] = 1.0
    return np.concatenate([dirs, units]), idx


def _project(g: np.ndarray, probes: np.ndarray) -> np.ndarray:
    """⟨g, d⟩ for every probe direction d: what the central differences estimate."""
    return probes.reshape(len(probes), -1) @ g.reshape(-1)


# Tolerances. Evaluating L (≤ 57,600 log-cosh terms of size O(1), L ≲ 3e4) loses ≈ 5e-12, so a
# difference quotient with 2h = 6e-5 carries ≲ 1e-7 of round-off. Truncation is h²/6·|L'''| along
# the probe: O(1)·1.5e-10 for unit directions in a or w; for b, which moves every z entry at once,
# |L'''| = |Σ tanh''(z)| ≤ 0.77·57,600, a worst case of 7e-6. Measured over five seeds: worst
# absolute error 4.4e-7 (about 1e-9 relative on ∂L/∂w, ∂L/∂b of size 1e2–1e3). atol = 1e-5
# covers even that worst case; rtol = 1e-6. A wrong formula (σ' dropped, kernel not flipped,
# w transposed) is off by O(1) relative, far beyond 1000× tolerance: refuted.
_RTOL, _ATOL = 1e-6, 1e-5


def _single_inputs(rng: np.random.Generator) -> dict:
    a = rng.normal(size=(64, 64))
    w = rng.normal(size=(5, 5)) / 5.0
    return {"a": a, "w": w, "b": rng.normal(), "probes": _probes(rng, a.shape, 16, 48)[0]}


def _batched_inputs(rng: np.random.Generator) -> dict:
    a = rng.normal(size=(2, 8, 64, 64))
    w = rng.normal(size=(8, 8, 5, 5)) / np.sqrt(8 * 25)
    return {"a": a, "w": w, "b": rng.normal(size=8),
            "probes_a": _probes(rng, a.shape, 4, 12)[0], "probes_w": _probes(rng, w.shape, 4, 12)[0]}


def _forward_eq39(a, w, b, **_):
    return _eq39_np(a, w, b)


def _forward_reference(a, w, b, **_):
    return forward(a, w, b)


def _forward_eq39_channels(a, w, b, **_):
    return _eq39_channels_np(a, w, b)


_claim(
    "3.9:64x64-5x5",
    [Numeric(_forward_eq39, label="eq. 3.9 entrywise (all 60×60 entries, vectorized)"),
     Numeric(_forward_reference, label="forward(a, w, b)")],
    inputs=lambda rng: {k: v for k, v in _single_inputs(rng).items() if k != "probes"},
    rtol=1e-12, atol=1e-12,  # the same 25 products summed in another order: ≤ 25 ulp of Σ|a w|
    equation="3.9", section=_SECTION,
    title="the reference forward() is eq. 3.9 (valid cross-correlation + b), 64×64 input, 5×5 kernel",
    scope="a 64×64, w 5×5, b scalar; one seeded draw (a second on failure)",
)
_claim(
    "3.9:batched",
    [Numeric(_forward_eq39_channels, label="eq. 3.9 per channel pair, summed over input channels"),
     Numeric(_forward_reference, label="forward(a, w, b), (N, C, H, W) layout")],
    inputs=lambda rng: {k: v for k, v in _batched_inputs(rng).items() if not k.startswith("probes")},
    rtol=1e-12, atol=1e-12,  # 200 products per entry summed in another order
    equation="3.9", section=_SECTION,
    title="the reference forward() in the batched layout is eq. 3.9 summed over input channels",
    scope="a 2×8×64×64 (N=2, 8 input channels), w 8×8×5×5 (8 output channels), b 8; one seeded draw",
)


# 3.14 at 64×64: z^l → a^l = σ(z^l) (sigmoid) → z^{l+1} = a^l ⋆ w + b → L = Σ log cosh z^{l+1},
# so δ^{l+1} = tanh z^{l+1}; central differences of L in z^l against eq. 3.14.
def _l314(z, w, b):
    return _logcosh(_eq39_np(_sigmoid(z), w, b)).sum(axis=(-2, -1))


def _fd_314(a, w, b, probes):
    return _central(lambda z: _l314(z, w, b), a, probes)


def _formula_314(a, w, b, probes):
    s = _sigmoid(a)
    delta_next = np.tanh(forward(s, w, b))
    delta = convolve_full(delta_next, rot180(w)) * (s * (1.0 - s))  # (δ^{l+1} * rot180(w)) ⊗ σ'(z^l)
    return _project(delta, probes)


_claim(
    "3.14:64x64-5x5",
    [Numeric(_fd_314, label="central differences of L in z^l (16 random unit directions, then 48 random entries)"),
     Numeric(_formula_314, label="eq. 3.14: convolve_full(δ^(l+1), rot180(w)) ⊗ σ'(z^l), projected on the same probes")],
    inputs=_single_inputs, rtol=_RTOL, atol=_ATOL,
    equation="3.14", section=_SECTION,
    title="δ^l = δ^(l+1) * rot180(w) ⊗ σ'(z^l) against finite differences, 64×64 map, 5×5 kernel, σ = sigmoid",
    scope="z^l 64×64, w 5×5, σ = sigmoid, L = Σ log cosh z^(l+1); 64 probes (entry k ≥ 16 is entry k−16 of the sample)",
)


# 3.15 / CONV-BP3 / CONV-BP4 through the reference backward(): L(a, w, b) = Σ log cosh z, δ = tanh z.
def _fd_315(a, w, b, probes):
    lw = lambda ws: _logcosh(_eq39_np(a, ws, b)).sum(axis=(-2, -1))  # noqa: E731
    lb = lambda bs: _logcosh(_eq39_np(a, w, bs)).sum(axis=(-2, -1))  # noqa: E731
    la = lambda xs: _logcosh(_eq39_np(xs, w, b)).sum(axis=(-2, -1))  # noqa: E731
    units_w = np.eye(w.size).reshape(w.size, *w.shape)  # every entry of the 5×5 kernel
    dw = _central(lw, w, units_w).reshape(w.shape)
    db = _central(lb, np.asarray(b, dtype=float), np.ones((1,)))[0]
    return dw, db, _central(la, a, probes)


def _backward_315(a, w, b, probes):
    da, dw, db = backward(a, w, np.tanh(forward(a, w, b)))
    return dw, db, _project(da, probes)


_claim(
    "3.15:64x64-5x5",
    [Numeric(_fd_315, label="central differences: every w_pq, b, and ∂L/∂a on 64 probes (16 directions, 48 entries)"),
     Numeric(_backward_315, label="backward(a, w, δ): a * δ, Σ δ, convolve_full(δ, rot180(w)) on the same probes")],
    inputs=_single_inputs, rtol=_RTOL, atol=_ATOL,
    equation="3.15", section=_SECTION,
    title="the reference backward() (3.15 / CONV-BP3 / CONV-BP4, 3.14 without σ') against finite differences, 64×64, 5×5",
    scope="a 64×64, w 5×5, b scalar, L = Σ log cosh z; all 25 + 1 entries of ∂L/∂w, ∂L/∂b; ∂L/∂a on 64 probes",
)


def _fd_315_batched(a, w, b, probes_a, probes_w):
    loss = lambda x, ws, bs: _logcosh(_eq39_channels_np(x, ws, bs)).sum(axis=(-4, -3, -2, -1))  # noqa: E731
    db = _central(lambda bs: loss(a, w, bs), b, np.eye(b.size))
    dw = _central(lambda ws: loss(a, ws, b), w, probes_w)
    da = _central(lambda xs: loss(xs, w, b), a, probes_a)
    return db, dw, da


def _backward_315_batched(a, w, b, probes_a, probes_w):
    da, dw, db = backward(a, w, np.tanh(forward(a, w, b)))
    return db, _project(dw, probes_w), _project(da, probes_a)


_claim(
    "3.15:batched",
    [Numeric(_fd_315_batched, label="central differences: every b_o; ∂L/∂w and ∂L/∂a on 16 probes each (4 directions, 12 entries)"),
     Numeric(_backward_315_batched, label="backward(a, w, δ) in the (N, C, H, W) layout, on the same probes")],
    inputs=_batched_inputs, rtol=_RTOL, atol=_ATOL,
    equation="3.15", section=_SECTION,
    title="the reference backward() with batch and channels against finite differences, 2×8×64×64, 8→8 channels, 5×5",
    scope="a 2×8×64×64, w 8×8×5×5, b 8, L = Σ log cosh z; all 8 entries of ∂L/∂b; ∂L/∂w, ∂L/∂a on 16 probes each",
)
