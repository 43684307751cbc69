"""`--emit claims.py`: the parsed chains as a claims module in the public `Claim` API, to refine by hand."""
from __future__ import annotations

from pathlib import Path

import sympy as sp

from .chains import NotesPlan


def emit(plan: NotesPlan, target: Path) -> None:
    """Write one `Claim(...)` per planned claim; expressions as `sympy.srepr` (constructor calls)."""
    lines = [
        f'"""Claims read from {plan.file} by `verify notes --emit` (edit freely: symbols, domains, corrections)."""',
        "from sympy import *  # noqa: F401,F403  (srepr names SymPy constructors)",
        "from sympy import Function, Symbol, Integer, Rational",
        "from verifier import Claim, Step, E, Var, P, Generic, Bernoulli, Binomial, Poisson, Uniform, Normal, Exponential, Beta",
        "",
    ]
    for k, c in enumerate(plan.claims):
        steps = ", ".join(f"Step({sp.srepr(s.expr)}, rel={s.rel!r}, latex={s.latex!r}{_limit(s)})" for s in c.steps)
        domain = ", ".join(f"{sp.srepr(sym)}: ({sp.srepr(iv.lo)}, {sp.srepr(iv.hi)})" for sym, iv in c.domain.items())
        lines.append(f"# {c.source}" + (f" ({c.equation})" if c.equation else ""))
        # one object per distribution: X and its iid copies X[i] share theirs (two Generic('X') would clash)
        shared: dict[int, str] = {}
        for v, d in c.random.items():
            if id(d) not in shared:
                shared[id(d)] = f"_dist_{k}_{len(shared)}"
                lines.append(f"{shared[id(d)]} = {_dist(d)}")
        random = ", ".join(f"{sp.srepr(v)}: {shared[id(d)]}" for v, d in c.random.items())
        where = ", ".join(f"{sp.srepr(a)}: {sp.srepr(b)}" for a, b in c.where.items())
        lines.append(f"claim_{k} = Claim({c.id!r}, [{steps}], domain={{{domain}}}, random={{{random}}}, where={{{where}}},"
                     f" equation={c.equation!r}, section={c.section!r}, title={c.title!r}, source={c.source!r})")
        lines.append("")
    target.write_text("\n".join(lines), encoding="utf-8")


def _dist(d: object) -> str:
    """A distribution as the constructor call that rebuilds it."""
    kind = type(d).__name__
    if kind == "Generic":
        return f"Generic({getattr(d, 'name', 'X')!r})"
    return f"{kind}({', '.join(sp.srepr(p) for p in getattr(d, 'params', ()))})"


def _limit(step: object) -> str:
    """The limit of an approximate line (and its little-o remainders) as keyword arguments."""
    out = ""
    if getattr(step, "limit", None) is not None:
        out += f", limit=({', '.join(sp.srepr(x) if isinstance(x, sp.Basic) else repr(x) for x in step.limit)},)"
    if getattr(step, "small", ()):
        out += f", small=({', '.join(f'Function({f.__name__!r})' for f in step.small)},)"
    return out
