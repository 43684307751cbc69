"""Verdicts that do not depend on the seed or the machine's load, and the headroom that makes it so.

Runs the whole catalogue cold (no cache) once per seed, optionally with busy-loop processes
beside it, and prints:
- the slowest lines and the worst headroom: the per-line time limit over the slowest line's time
  (the issue asks for at least 10×: a line that needs a tenth of its limit still settles when
  the machine is three times slower);
- whether every run gave the same verdicts, per-line marks and errata (step, kind) as the first.

    python benchmarks/bench_stability.py --seeds 20190709 1 2 3 --load 2 --jobs 2

Exit status 1 when two runs differ. Ratios come from one run; nothing here is a test.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


def run(seed: int, jobs: int, timeout: float):
    """(signature of every claim's result, slowest lines, seconds) for one cold run of the catalogue."""
    from derivations import catalog
    from verifier.runner import run_claims

    claims = list(catalog.values())
    start = time.perf_counter()
    results = run_claims(claims, seed=seed, timeout=timeout, cache=None, jobs=jobs)
    seconds = time.perf_counter() - start
    signature = {}
    lines = []
    for claim, r in zip(claims, results):
        marks = "".join(s.verdict[0] for s in r.steps)
        errata = tuple((e.step, e.kind) for e in r.errata)
        signature[claim.id] = (r.verdict, marks, errata)
        lines += [(s.seconds, claim.id, s.index, s.verdict) for s in r.steps]
    lines.sort(reverse=True)
    return signature, lines[:8], seconds


def main() -> int:
    """Run the comparison and print it."""
    from verifier.engine import DEFAULT_SEED, DEFAULT_TIMEOUT

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", type=int, nargs="+", default=[DEFAULT_SEED, 1, 2, 3])
    p.add_argument("--load", type=int, default=0, help="busy-loop processes running beside the last run")
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    args = p.parse_args()

    runs = [(f"seed {s}", s, 0) for s in args.seeds]
    if args.load:
        runs.append((f"seed {args.seeds[0]}, {args.load} busy loops", args.seeds[0], args.load))
    first = None
    differ = 0
    for name, seed, load in runs:
        hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(load)]
        try:
            signature, slowest, seconds = run(seed, args.jobs, args.timeout)
        finally:
            for h in hogs:
                h.kill()
        worst = slowest[0][0] if slowest else 0.0
        print(f"{name}: {len(signature)} claims in {seconds:.1f} s; slowest line {worst:.2f} s "
              f"→ headroom {args.timeout / max(worst, 1e-9):.1f}× of the {args.timeout:g} s limit")
        for sec, cid, index, verdict in slowest[:5]:
            print(f"    {sec:6.2f} s  {cid} line {index} ({verdict})")
        if first is None:
            first = signature
            continue
        changed = [cid for cid in first if first[cid] != signature.get(cid)]
        differ += len(changed)
        print(f"    identical to the first run: {'yes' if not changed else 'NO'}")
        for cid in changed:
            print(f"    {cid}: {first[cid]} → {signature.get(cid)}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
