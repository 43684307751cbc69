"""How the symbolic verification of the conv-layer backward pass grows with the map size.

    python benchmarks/bench_conv_sizes.py [--repeats 1] [--sizes 3x3/2x2 4x4/2x2 5x5/3x3 6x6/3x3]

For each size (map rows×cols / kernel rows×cols) two claims are built exactly as the catalogue
builds them (derivations/symbolic/conv.py), with σ and L undefined functions, and verified by the engine:
  δ   δ^l (sympy.diff) = CONV-BP2's element form = (δ^{l+1} * rot180(w)) ⊗ σ'(z^l)   (as 3.14)
  w   ∂L/∂w^l (sympy.diff) = Σ_ij δ^l_ij a^{l-1}_{i+p-1, j+q-1} = a^{l-1} * δ^l     (as CONV-BP3 / 3.15)
Reported: CPU seconds (time.process_time: the machine may be shared, wall time is printed too),
the number of arguments of L, and each time's ratio to the previous size. Every claim must be
`proved`; the script exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import sympy as sp  # noqa: E402

from benchmarks.growth import summary  # noqa: E402
from derivations.symbolic import conv, symbolic_fields  # noqa: E402
from verifier import Claim, verify  # noqa: E402

DEFAULT_SIZES = ("3x3/2x2", "4x4/2x2", "5x5/3x3", "6x6/3x3")


def parse(size: str) -> tuple[int, int, int, int]:
    """'5x5/3x3' -> (5, 5, 3, 3)."""
    m, k = size.split("/")
    h, w = (int(v) for v in m.split("x"))
    r, c = (int(v) for v in k.split("x"))
    return h, w, r, c


def claims(h: int, w: int, r: int, c: int) -> dict[str, Claim]:
    """The δ and w claims at one size (not registered in the catalogue)."""
    nxt = conv.ConvLayerToNext(h, w, r, c)
    d_steps = [nxt.dl, nxt.element_form(), nxt.matrix_form()]
    lay = conv.ConvLayer(h, w, r, c)
    w_steps = [lay.dLdw, sp.ImmutableMatrix(r, c, lambda p, q: lay.inner(p + 1, q + 1)), conv.xcorr_valid(lay.a, lay.d)]
    return {
        "δ": Claim(f"bench:delta:{h}x{w}/{r}x{c}", d_steps, **symbolic_fields(d_steps, nxt.where)),
        "w": Claim(f"bench:w:{h}x{w}/{r}x{c}", w_steps, **symbolic_fields(w_steps, lay.where)),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", nargs="+", default=list(DEFAULT_SIZES))
    p.add_argument("--repeats", type=int, default=1, help="best of N runs per claim (default 1)")
    args = p.parse_args(argv)
    verify(claims(3, 3, 2, 2)["δ"])  # warm-up: first calls of expand, diff, printers
    print(f"{'map/kernel':>10} {'L args':>6} | {'δ cpu s':>8} {'ratio':>6} {'wall':>6} | {'w cpu s':>8} {'ratio':>6} {'wall':>6}")
    prev: dict[str, float] = {}
    ok = True
    areas: list[int] = []
    cpu: dict[str, list[float]] = {}
    for size in args.sizes:
        h, w, r, c = parse(size)
        row = [f"{size:>10}", f"{(h - r + 1) * (w - c + 1):>6}", "|"]
        for name, cl in claims(h, w, r, c).items():
            best_cpu = best_wall = float("inf")
            for _ in range(args.repeats):
                t0, w0 = time.process_time(), time.perf_counter()
                res = verify(cl)
                best_cpu = min(best_cpu, time.process_time() - t0)
                best_wall = min(best_wall, time.perf_counter() - w0)
                ok &= res.verdict == "proved"
            ratio = f"{best_cpu / prev[name]:.1f}×" if name in prev else "-"
            prev[name] = best_cpu
            cpu.setdefault(name, []).append(best_cpu)
            row += [f"{best_cpu:>8.2f}", f"{ratio:>6}", f"{best_wall:>6.2f}", "|"]
        print(" ".join(row[:-1]))
        areas.append(h * w)
    for name, times in cpu.items():
        print(summary(f"{name} against the map's area H·W", "H·W", areas, times))
    if not ok:
        print("some claim was not proved", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
