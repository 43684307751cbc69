"""How symbolic verification of eq. 3.23 (the batch-norm backward pass) grows with the batch size m.

    python benchmarks/bench_batchnorm_sizes.py [--sizes 2 3 4 5 6 7 8 12 16] [--timeout 60] [--blocks dx]

For each m the four blocks of 3.23 (dxhat, dvar, dmu, dx) are built exactly as the catalogue builds
them (derivations/batchnorm.py: `_backward_pass`, with the size domain fixed to this one m) and
verified by the engine, errata (witness, correction, suggested fix) included. Printed per m: the
time (wall and CPU) of each block, their total, the ratio of the total to that of the previous m
and to m = 2, and the verdicts. The catalogue claims cover m = 2…8 in one claim per block; the
engine spends the sum of these per-m times on them, plus a short symbolic attempt per line.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from benchmarks.growth import summary  # noqa: E402
from derivations.batchnorm import _backward_pass  # noqa: E402
from verifier import Claim, verify  # noqa: E402

BLOCKS = ("dxhat", "dvar", "dmu", "dx")


def run(m: int, blocks: tuple[str, ...], timeout: float) -> dict[str, tuple[float, float, float, str]]:
    """{block: (wall seconds, CPU seconds, wall seconds of the line checks alone, verdict)} for batch size m."""
    out = {}
    for name, kw in _backward_pass(range(m, m + 1)).items():
        if name not in blocks:
            continue
        steps = kw.pop("steps")
        c = Claim(f"bench:3.23:{name}:m{m}", steps, **kw)
        w0, c0 = time.perf_counter(), time.process_time()
        r = verify(c, timeout=timeout)
        out[name] = (time.perf_counter() - w0, time.process_time() - c0, sum(st.seconds for st in r.steps), r.verdict)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[2, 3, 4, 5, 6, 7, 8])
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per line (engine default: 20)")
    p.add_argument("--blocks", nargs="+", default=list(BLOCKS), choices=BLOCKS)
    args = p.parse_args(argv)
    blocks = tuple(args.blocks)
    run(2, ("dxhat",), args.timeout)  # warm-up: first calls of SymPy routines
    head = ("  m  " + "".join(f"{b + ' CPU':>12s}" for b in blocks)
            + "   total CPU  ×prev  ×(m=2)   wall  lines wall  ×prev  ×(m=2)  verdicts")
    print(head)
    print("-" * len(head))
    first = prev = first_l = prev_l = None
    totals = []
    for m in args.sizes:
        res = run(m, blocks, args.timeout)
        wall = sum(v[0] for v in res.values())
        cpu = sum(v[1] for v in res.values())
        lines = sum(v[2] for v in res.values())
        first, first_l = first or cpu, first_l or lines
        rp = f"{cpu / prev:5.2f}" if prev else "    -"
        rl = f"{lines / prev_l:5.2f}" if prev_l else "    -"
        cells = "".join(f"{res[b][1]:11.2f}s" for b in blocks)
        verdicts = " ".join(f"{b}={res[b][3]}" for b in blocks)
        print(f"{m:3d}  {cells}  {cpu:9.2f}s  {rp}  {cpu / first:6.2f}  {wall:5.1f}s  {lines:9.2f}s  {rl}  {lines / first_l:6.2f}  {verdicts}")
        prev, prev_l = cpu, lines
        totals.append(cpu)
    print("CPU: seconds of the verifying process, errata included (witness, correction, suggested fix);"
          " lines wall: the line checks alone (wall clock, as the engine reports them)")
    print(summary("3.23 (" + "+".join(blocks) + ")", "m", args.sizes, totals))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
