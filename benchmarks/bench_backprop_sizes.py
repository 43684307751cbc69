"""How symbolic verification of one backpropagation claim grows with the network's width.

    python benchmarks/bench_backprop_sizes.py [--claim BP3] [--sizes 2-2-2 3-4-2 4-6-3 6-8-4] [--timeout 120]

For each size the claim is built exactly as the catalogue builds it (derivations/backprop.py:
weights, biases and inputs symbolic, σ and L undefined) and verified by the engine. Printed per
size: entries per line, build and verify time (s), verdict, and the ratio to the previous size.
Claims: BP3 (∂L/∂w^l = δ^l_j a^{l-1}_k, every layer and entry), BP4 (∂L/∂b^l = δ^l),
FC-BP:2 (δ^l = Σ_k δ^{l+1}_k w^{l+1}_kj σ'(z^l_j), every hidden layer), BP1 (output layer).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from benchmarks.growth import summary  # noqa: E402
from derivations import backprop as bp  # noqa: E402
from derivations import symbolic  # noqa: E402
from derivations.symbolic import dense  # noqa: E402
from verifier import Claim, verify  # noqa: E402

BUILDERS = {
    "BP1": lambda sz: bp._bp1(sz),
    "BP3": lambda sz: bp._per_layer(sz, bp._bp3_block),
    "BP4": lambda sz: bp._per_layer(sz, bp._bp4_block),
    "FC-BP:2": lambda sz: bp._hidden_eq(sz, matrix=False),
}


def run(name: str, sizes: tuple[int, ...], timeout: float) -> tuple[int, float, float, str]:
    dense._NETS.clear()  # build from scratch: no derivative objects shared with earlier sizes
    t0 = time.perf_counter()
    args = dense.claim_arguments(lambda: BUILDERS[name](sizes))
    steps = args["steps"]
    c = Claim(f"bench:{name}:{dense.tag(sizes)}", **args)
    t1 = time.perf_counter()
    r = verify(c, timeout=timeout)
    t2 = time.perf_counter()
    return len(steps[0].expr), t1 - t0, t2 - t1, r.verdict


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--claim", choices=sorted(BUILDERS), default="BP3")
    p.add_argument("--sizes", nargs="+", default=["2-2-2", "3-4-2", "4-6-3", "6-8-4"])
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per line (engine timeout)")
    args = p.parse_args(argv)
    verify(Claim("warm-up", [symbolic.sigma(dense._t), symbolic.sigma(dense._t)], domain={dense._t: (-1, 1)}))  # first-call costs
    print(f"claim {args.claim}: symbolic verification time against network width")
    print(f"{'network':>10} {'entries':>8} {'build s':>8} {'verify s':>9} {'ratio':>6}  verdict")
    prev = None
    weights, times = [], []
    for tag in args.sizes:
        sizes = tuple(int(n) for n in tag.split("-"))
        entries, build, secs, verdict = run(args.claim, sizes, args.timeout)
        ratio = f"{secs / prev:6.1f}" if prev else "     -"
        print(f"{dense.arrow(sizes):>10} {entries:>8} {build:8.2f} {secs:9.2f} {ratio}  {verdict}", flush=True)
        prev = secs
        weights.append(sum(a * b for a, b in zip(sizes, sizes[1:])))
        times.append(secs)
    print(summary(f"{args.claim} against the number of weights", "weights", weights, times))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
