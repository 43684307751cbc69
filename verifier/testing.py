"""Assertions and finite differences for testing gradient code against the reference oracles.

Only numpy is imported here (the pytest plugin imports this module).
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

__all__ = [
    "GradientMismatch",
    "assert_gradients_close",
    "numeric_gradient",
    "directional_derivative",
    "gradcheck",
]

_CRITERION = "(criterion: |actual - expected| <= atol + rtol * |expected|, as numpy.isclose)"


class GradientMismatch(AssertionError):
    """A gradient differs from its reference; the fields locate the worst entry.

    kind is "values" (entries out of tolerance), "shape" or "length" (sequences of different
    lengths).  For "shape"/"length" the entry fields are None.
    """

    def __init__(
        self,
        message: str,
        *,
        kind: str = "values",
        name: str | None = None,
        index: tuple[int, ...] | None = None,
        expected: float | None = None,
        actual: float | None = None,
        abs_err: float | None = None,
        rel_err: float | None = None,
        n_bad: int | None = None,
        n_total: int | None = None,
        rtol: float | None = None,
        atol: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.name = name
        self.index = index
        self.expected = expected
        self.actual = actual
        self.abs_err = abs_err
        self.rel_err = rel_err
        self.n_bad = n_bad
        self.n_total = n_total
        self.rtol = rtol
        self.atol = atol

    def __reduce__(self):
        return (_rebuild_mismatch, (str(self), dict(self.__dict__)))


def _rebuild_mismatch(message: str, fields: dict) -> GradientMismatch:
    err = GradientMismatch(message)
    err.__dict__.update(fields)
    return err


def _fmt_pair(e: float, a: float) -> tuple[str, str]:
    """Shortest %g forms (≥ 3 significant digits) that tell expected and actual apart."""
    for digits in (3, 6, 9, 12, 17):
        se, sa = f"{e:.{digits}g}", f"{a:.{digits}g}"
        if se != sa:
            return se, sa
    return se, sa


def _fmt_index(name: str, index: tuple[int, ...]) -> str:
    return f"{name}[{', '.join(str(i) for i in index)}]" if index else name


def _is_sequence(x: Any) -> bool:
    return isinstance(x, (tuple, list))


def _check_one(name: str, actual: Any, expected: Any, rtol: float, atol: float) -> None:
    a = np.asarray(actual)
    e = np.asarray(expected)
    if a.shape != e.shape:
        raise GradientMismatch(
            f"gradient {name!r} has shape {a.shape} but the reference has shape {e.shape}",
            kind="shape",
            name=name,
            n_total=int(e.size),
            rtol=rtol,
            atol=atol,
        )
    if a.dtype.kind not in "biuf" or e.dtype.kind not in "biuf":
        raise TypeError(
            f"gradient {name!r}: expected real numeric arrays, got dtypes {a.dtype} and {e.dtype}"
        )
    a = a.astype(np.float64, copy=False)
    e = e.astype(np.float64, copy=False)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(a - e)
        tol = atol + rtol * np.abs(e)
        ok = diff <= tol
        # equal infinities and NaN where the reference is NaN count as agreeing
        ok |= (a == e) | (np.isnan(a) & np.isnan(e))
    if ok.all():
        return
    bad = ~ok
    n_bad = int(np.count_nonzero(bad))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        excess = np.where(bad, diff / np.where(tol > 0, tol, np.finfo(np.float64).tiny), -np.inf)
    excess = np.where(bad & np.isnan(excess), np.inf, excess)  # NaN/inf entries are the worst
    flat = int(np.argmax(excess))
    index = tuple(int(i) for i in np.unravel_index(flat, e.shape)) if e.ndim else ()
    ev, av = float(e.flat[flat]), float(a.flat[flat])
    abs_err = float(diff.flat[flat])
    with np.errstate(divide="ignore", invalid="ignore"):
        rel_err = abs_err / abs(ev) if ev != 0 else (0.0 if abs_err == 0 else float("inf"))
    se, sa = _fmt_pair(ev, av)
    msg = (
        f"gradient {name!r} differs from the reference at {n_bad} of {e.size} entries "
        f"(rtol={rtol!r}, atol={atol!r})\n"
        f"  worst entry {_fmt_index(name, index)}: expected {se}, got {sa}\n"
        f"  absolute error {abs_err:.3g}, relative error {rel_err:.3g}\n"
        f"  {_CRITERION}"
    )
    raise GradientMismatch(
        msg,
        name=name,
        index=index,
        expected=ev,
        actual=av,
        abs_err=abs_err,
        rel_err=rel_err,
        n_bad=n_bad,
        n_total=int(e.size),
        rtol=rtol,
        atol=atol,
    )


def assert_gradients_close(
    actual: Any,
    expected: Any,
    *,
    rtol: float,
    atol: float,
    names: str | Sequence[str] | None = None,
) -> None:
    """Assert |actual − expected| ≤ atol + rtol·|expected| entrywise, for one array or a tuple/list of arrays.

    Raises GradientMismatch (an AssertionError) on the first failing array, naming it, its
    worst entry (largest |actual − expected| / (atol + rtol |expected|)), both values, the
    errors and how many entries are off.  A NaN in actual counts as off unless expected is NaN there.
    """
    for label, tol in (("rtol", rtol), ("atol", atol)):
        if not np.isscalar(tol) or not np.isfinite(tol) or tol < 0:
            raise ValueError(f"{label} must be a finite non-negative number, got {tol!r}")
    seq_a, seq_e = _is_sequence(actual), _is_sequence(expected)
    if seq_a != seq_e:
        what = lambda s, x: f"a sequence of {len(x)} arrays" if s else "a single array"  # noqa: E731
        raise GradientMismatch(
            f"the gradients are {what(seq_a, actual)} but the reference is {what(seq_e, expected)}",
            kind="length",
        )
    if not seq_a:
        if names is None:
            name = "array"
        elif isinstance(names, str):
            name = names
        elif len(names) == 1:
            name = names[0]
        else:
            raise ValueError(f"names has {len(names)} entries for a single array")
        _check_one(name, actual, expected, rtol, atol)
        return
    if len(actual) != len(expected):
        raise GradientMismatch(
            f"got {len(actual)} gradients but the reference has {len(expected)}",
            kind="length",
            n_total=len(expected),
        )
    if names is None:
        names = [f"array {i}" for i in range(len(expected))]
    elif isinstance(names, str) or len(names) != len(expected):
        raise ValueError(f"names must give one name per array ({len(expected)}), got {names!r}")
    for name, a, e in zip(names, actual, expected):
        _check_one(str(name), a, e, rtol, atol)


def numeric_gradient(
    f: Callable[[np.ndarray], Any],
    x: np.ndarray,
    eps: float = 1e-6,
    *,
    indices: Any = None,
    batched: bool = False,
    chunk: int = 64,
) -> np.ndarray:
    """∂f/∂x by central differences (f(x + ε e_k) − f(x − ε e_k)) / 2ε for a scalar function f.

    Computed in float64 on a copy of x.  Cost: 2 evaluations of f per entry (per entry of
    ``indices`` if given: flat indices or an index tuple, result 1-D in that order; otherwise
    the full gradient, shaped like x).  With ``batched=True``, f must accept a stack of inputs
    of shape (k, *x.shape) and return k values; then 2·⌈entries/chunk⌉ calls are made.  For a
    cheap check of a whole gradient prefer :func:`directional_derivative` (2 calls per direction).
    """
    x0 = np.array(x, dtype=np.float64)  # a copy: perturbations never touch the caller's x
    if indices is None:
        flat_idx = np.arange(x0.size)
    elif isinstance(indices, tuple):
        flat_idx = np.ravel_multi_index(indices, x0.shape).ravel()
    else:
        flat_idx = np.asarray(indices, dtype=np.intp).ravel()
    out = np.empty(flat_idx.size, dtype=np.float64)
    if batched:
        for s in range(0, flat_idx.size, chunk):
            idx = flat_idx[s : s + chunk]
            k = idx.size
            stack = np.broadcast_to(x0.ravel(), (k, x0.size)).copy()
            rows = np.arange(k)
            stack[rows, idx] += eps
            fp = np.asarray(f(stack.reshape((k,) + x0.shape)), dtype=np.float64).reshape(k)
            stack[rows, idx] -= 2 * eps
            fm = np.asarray(f(stack.reshape((k,) + x0.shape)), dtype=np.float64).reshape(k)
            out[s : s + k] = (fp - fm) / (2 * eps)
    else:
        xf = x0.reshape(-1)  # a view of x0
        for j, i in enumerate(flat_idx):  # unavoidable for an arbitrary scalar f
            orig = xf[i]
            xf[i] = orig + eps
            fp = float(f(x0))
            xf[i] = orig - eps
            fm = float(f(x0))
            xf[i] = orig
            out[j] = (fp - fm) / (2 * eps)
    return out.reshape(x0.shape) if indices is None else out


def directional_derivative(
    f: Callable[[np.ndarray], Any], x: np.ndarray, v: np.ndarray, eps: float = 1e-6
) -> float:
    """⟨∇f(x), v⟩ ≈ (f(x + εv) − f(x − εv)) / 2ε, in float64 (2 evaluations of f)."""
    x0 = np.asarray(x, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    if v.shape != x0.shape:
        raise ValueError(f"direction v has shape {v.shape}, x has {x0.shape}")
    return (float(f(x0 + eps * v)) - float(f(x0 - eps * v))) / (2 * eps)


def gradcheck(
    f: Callable[..., Any],
    inputs: Any,
    analytic: Any,
    *,
    rtol: float,
    atol: float,
    eps: float = 1e-6,
    n_directions: int | None = None,
    seed: int = 0,
    names: str | Sequence[str] | None = None,
) -> None:
    """Assert analytic ≈ ∇f by central differences; f(*inputs) for a tuple/list of inputs, else f(inputs).

    Each gradient is checked entrywise (2 calls of f per entry) or, with n_directions, as
    ⟨analytic, v⟩ for random directions v (2·n_directions calls per input).
    """
    multi = _is_sequence(inputs)
    xs = [np.asarray(x) for x in inputs] if multi else [np.asarray(inputs)]
    gs = list(analytic) if multi else [analytic]
    if len(gs) != len(xs):
        raise GradientMismatch(
            f"got {len(gs)} analytic gradients for {len(xs)} inputs", kind="length", n_total=len(xs)
        )
    if names is None:
        labels = [f"input {i}" for i in range(len(xs))] if multi else ["gradient"]
    else:
        labels = [names] if isinstance(names, str) else list(names)
        if len(labels) != len(xs):
            raise ValueError(f"names must give one name per input ({len(xs)}), got {names!r}")
    rng = np.random.default_rng(seed)
    for k, (x, g, label) in enumerate(zip(xs, gs, labels)):
        g = np.asarray(g)
        if g.shape != x.shape:
            raise GradientMismatch(
                f"gradient {label!r} has shape {g.shape} but its input has shape {x.shape}",
                kind="shape",
                name=label,
            )

        def fk(t, k=k):
            return f(*xs[:k], t, *xs[k + 1 :]) if multi else f(t)

        if n_directions is None:
            assert_gradients_close(g, numeric_gradient(fk, x, eps), rtol=rtol, atol=atol, names=label)
            continue
        vs = rng.standard_normal((n_directions,) + x.shape)
        num = np.array([directional_derivative(fk, x, v, eps) for v in vs])
        ana = np.array([np.vdot(g.astype(np.float64), v) for v in vs])
        assert_gradients_close(ana, num, rtol=rtol, atol=atol, names=f"<{label}, v>")
