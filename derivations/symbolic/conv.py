"""A convolutional layer with symbolic maps and kernels, σ and the loss L undefined (section 3.2.2).

The notes' indices are 1-based (z_ij, w_pq with i, p = 1, 2, …) and are kept here; an entry
outside a map or kernel is 0 (`entry`). "∂L/∂z^{l+1}_mn at the forward values" is the partial
derivative of L in that argument, evaluated there (`Function.fdiff`: exactly the factor
`sympy.diff` produces by the chain rule); σ'(z^l_ij) is Derivative(sigma(z^l_ij), z^l_ij).
Long quantities enter lines through `where` abbreviations (delta^l_ij, delta^{l+1}_mn,
z^{l+1}_mn, dL/dw^l_pq, …) so the reports print the notes' short forms.
"""
from __future__ import annotations

import functools

import sympy as sp

from verifier import dag

from . import Loss, sigma


def sigma_prime(z: sp.Symbol) -> sp.Expr:
    """σ'(z) for a symbol z: dσ(z)/dz, the very factor `sympy.diff` produces."""
    return sp.Derivative(sigma(z), z)


def symbol_grid(name: str, rows: int, cols: int) -> sp.ImmutableMatrix:
    """rows×cols matrix of symbols `name_ij`, i, j 1-based as in the notes."""
    return sp.ImmutableMatrix(rows, cols, lambda i, j: sp.Symbol(f"{name}_{i + 1}{j + 1}", real=True))


def entry(m: sp.MatrixBase, i: int, j: int) -> sp.Expr:
    """m_ij with 1-based indices; 0 outside m (zero padding / no such kernel entry)."""
    if 1 <= i <= m.rows and 1 <= j <= m.cols:
        return m[i - 1, j - 1]
    return sp.S.Zero


def eq39(a: sp.MatrixBase, w: sp.MatrixBase, b: sp.Expr) -> sp.ImmutableMatrix:
    """Element form of eq. 3.9: z_ij = Σ_{p=1}^r Σ_{q=1}^c a_{i+p-1, j+q-1} w_pq + b (1-based)."""
    r, c = w.shape

    def z_ij(i: int, j: int) -> sp.Expr:
        return sp.Add(*[entry(a, i + p - 1, j + q - 1) * entry(w, p, q) for p in range(1, r + 1) for q in range(1, c + 1)]) + b

    return sp.ImmutableMatrix(a.rows - r + 1, a.cols - c + 1, lambda i0, j0: z_ij(i0 + 1, j0 + 1))


# Matrix-form operations on SymPy matrices, by 0-based slicing (another route than eq39).
def xcorr_valid(a: sp.MatrixBase, k: sp.MatrixBase) -> sp.ImmutableMatrix:
    """a ⋆ k, valid mode: Σ_{p,q} k[p, q] · a[p : p+H', q : q+W']."""
    r, c = k.shape
    h, w = a.rows - r + 1, a.cols - c + 1
    a = sp.Matrix(a)
    out = sp.zeros(h, w)
    for p in range(r):
        for q in range(c):
            out += k[p, q] * a[p : p + h, q : q + w]
    return sp.ImmutableMatrix(out)


def xcorr_full(d: sp.MatrixBase, k: sp.MatrixBase) -> sp.ImmutableMatrix:
    """Full-mode ⋆: d zero-padded by (r-1, c-1) on each side, then valid ⋆ k."""
    r, c = k.rows - 1, k.cols - 1
    padded = sp.zeros(d.rows + 2 * r, d.cols + 2 * c)
    padded[r : r + d.rows, c : c + d.cols] = d
    return xcorr_valid(padded, k)


def rotate180(k: sp.MatrixBase) -> sp.ImmutableMatrix:
    """rot180(k)_pq = k_{r+1-p, c+1-q}."""
    r, c = k.shape
    return sp.ImmutableMatrix(r, c, lambda p, q: k[r - 1 - p, c - 1 - q])


def hadamard(x: sp.MatrixBase, y: sp.MatrixBase) -> sp.ImmutableMatrix:
    """x ⊗ y, entrywise."""
    return sp.ImmutableMatrix(x.multiply_elementwise(y))


_POINTS: dict = {}  # the text of each Subs point's subexpressions (the points share every σ(z))


@functools.cache
def argument_derivative(f: sp.Expr, k: int) -> sp.Expr:
    """∂f/∂(argument k, 0-based) of an undefined function application, at its arguments (SymPy's
    f.fdiff(k + 1)). Built once per (f, k): a Subs is costly to build, and layers of the same sizes
    share it; its point is printed through one memo (verifier.dag.fdiff)."""
    return dag.fdiff(f, k + 1, _POINTS)


def size_text(h: int, w: int) -> str:
    return f"{h}×{w}"


class ConvLayerToNext:
    """Layer l → l+1 (CONV-BP2, 3.12, 3.14): z^l (h×w symbols), a^l = σ(z^l),
    z^{l+1} = a^l ⋆ w^{l+1} + b^{l+1} (eq. 3.9), loss L(entries of z^{l+1}).

    Abbreviations (`where`): delta^l_ij = dL/dz^l_ij = ∂L/∂z^l_ij (a Derivative the engine evaluates);
    delta^{l+1}_mn = dL/dz^{l+1}_mn = ∂L/∂z^{l+1}_mn at the forward values; z^{l+1}_mn = eq. 3.9.
    """

    def __init__(self, h: int, w: int, r: int, c: int) -> None:
        self.z = symbol_grid("z^l", h, w)
        self.w = symbol_grid("w^{l+1}", r, c)
        self.b = sp.Symbol("b^{l+1}")
        znext = eq39(self.z.applyfunc(sigma), self.w, self.b)
        self.loss = Loss(*znext)
        hn, wn = znext.shape
        self.zn = symbol_grid("z^{l+1}", hn, wn)
        self.dn = symbol_grid("delta^{l+1}", hn, wn)
        self.dLdzn = symbol_grid("dL/dz^{l+1}", hn, wn)  # δ^{l+1} as CONV-BP2's first line spells it
        self.dl = symbol_grid("delta^l", h, w)
        self.dLdz = symbol_grid("dL/dz^l", h, w)  # δ^l as CONV-BP2's first line spells it
        self.where = {
            **{self.dl[k]: sp.Derivative(self.loss, self.z[k]) for k in range(h * w)},
            **{self.dLdz[k]: sp.Derivative(self.loss, self.z[k]) for k in range(h * w)},
            **{self.dn[k]: argument_derivative(self.loss, k) for k in range(hn * wn)},
            **{self.dLdzn[k]: argument_derivative(self.loss, k) for k in range(hn * wn)},
            **{self.zn[k]: znext[k] for k in range(hn * wn)},
        }
        self.scope = f"z^l {size_text(h, w)}, kernel w^(l+1) {size_text(r, c)}, z^(l+1) {size_text(hn, wn)}; every differentiable σ and L"

    def bp2(self, i: int, j: int) -> sp.Expr:
        """CONV-BP2's result at (i, j): Σ_m Σ_n δ^{l+1}_mn w^{l+1}_{i+1-m, j+1-n} σ'(z^l_ij)."""
        return sp.Add(*[entry(self.dn, m, n) * entry(self.w, i + 1 - m, j + 1 - n) * sigma_prime(entry(self.z, i, j))
                        for m in range(1, self.dn.rows + 1) for n in range(1, self.dn.cols + 1)])

    def element_form(self) -> sp.ImmutableMatrix:
        """CONV-BP2's result at every (i, j)."""
        return sp.ImmutableMatrix(*self.z.shape, lambda i, j: self.bp2(i + 1, j + 1))

    def matrix_form(self) -> sp.ImmutableMatrix:
        """(δ^{l+1} * rot180(w^{l+1})) ⊗ σ'(z^l), * = full-mode cross-correlation."""
        return hadamard(xcorr_full(self.dn, rotate180(self.w)), self.z.applyfunc(sigma_prime))


class ConvLayer:
    """Layer l itself (CONV-BP3, CONV-BP4, 3.15): z^l = a^{l-1} ⋆ w^l + b^l (eq. 3.9), loss L(entries of z^l).

    Abbreviations (`where`): delta^l_ij = dL/dz^l_ij = ∂L/∂z^l_ij at the forward values;
    z^l_ij = eq. 3.9; dL/dw^l_pq, dL/db^l = the Derivatives of L the engine evaluates.
    """

    def __init__(self, h: int, w: int, r: int, c: int) -> None:
        self.a = symbol_grid("a^{l-1}", h, w)
        self.w = symbol_grid("w^l", r, c)
        self.b = sp.Symbol("b^l")
        z = eq39(self.a, self.w, self.b)
        self.loss = Loss(*z)
        hz, wz = z.shape
        self.z = symbol_grid("z^l", hz, wz)
        self.d = symbol_grid("delta^l", hz, wz)
        self.dLdz = symbol_grid("dL/dz^l", hz, wz)  # δ^l as the first lines of CONV-BP3/BP4 spell it
        self.where = {
            **{self.d[k]: argument_derivative(self.loss, k) for k in range(hz * wz)},
            **{self.dLdz[k]: argument_derivative(self.loss, k) for k in range(hz * wz)},
            **{self.z[k]: z[k] for k in range(hz * wz)},
        }
        self.dLdw = symbol_grid("dL/dw^l", r, c)
        self.dLdb = sp.Symbol("dL/db^l")
        self.where.update({self.dLdw[k]: sp.Derivative(self.loss, self.w[k]) for k in range(r * c)})
        self.where[self.dLdb] = sp.Derivative(self.loss, self.b)
        self.scope = f"a^(l-1) {size_text(h, w)}, kernel w^l {size_text(r, c)}, z^l {size_text(hz, wz)}; every differentiable L"

    def inner(self, p: int, q: int) -> sp.Expr:
        """Σ_i Σ_j δ^l_ij a^{l-1}_{i+p-1, j+q-1} (CONV-BP3's result)."""
        return sp.Add(*[entry(self.d, i, j) * entry(self.a, i + p - 1, j + q - 1)
                        for i in range(1, self.d.rows + 1) for j in range(1, self.d.cols + 1)])

    def explicit(self, i: int, j: int) -> sp.Expr:
        """Σ_{p'=1}^r Σ_{q'=1}^c a^{l-1}_{i+p'-1, j+q'-1} w^l_{p'q'} + b^l: eq. 3.9 written out.

        The notes reuse p, q as the summation indices while differentiating by w_pq; the sum
        has its own indices p', q' here (the reading that makes the line meaningful).
        """
        r, c = self.w.shape
        return sp.Add(*[entry(self.a, i + p - 1, j + q - 1) * entry(self.w, p, q) for p in range(1, r + 1) for q in range(1, c + 1)]) + self.b
