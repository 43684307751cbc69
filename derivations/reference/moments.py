"""Closed-form mean and variance of common distributions (used to check the notes' moment derivations).

Numbers in -> numbers out: floats (or numpy floats/arrays, dtype kept) give floats; ints and
fractions.Fraction give exact results (int when integral, else Fraction).  SymPy objects in ->
SymPy expressions out (sympy is imported only in that case).
"""
from __future__ import annotations

import numbers
from fractions import Fraction
from typing import Any

# numpy is imported where numbers are checked, not here: the topic module that re-exports
# `moments` is imported to build its claims, and `verify 1.5` never calls it (numpy costs ~0.1 s).

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
    import numpy as np

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
        import numpy as np

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
            import numpy as np

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
