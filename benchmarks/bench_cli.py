"""Times of the CLI against the import floor, measured in one run (this machine is shared: ratios, not seconds).

    python benchmarks/bench_cli.py [--repeat 3] [--id 1.17]

Prints: the floor `python -c "import sympy, numpy, rich"`, cold `verify all --no-cache`,
warm `verify all` (cache filled by the cold run), one `verify ID` warm and cold, `verify list`
and `verify --help`, each as seconds (best of --repeat) and as a ratio to the floor.
Aims (issue 7): cold ≤ 3×, warm ≤ 1.3×, single claim ≤ 1.5×.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd: list[str], env: dict[str, str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--id", default="1.17")
    args = ap.parse_args()
    env = dict(os.environ, DERIVATION_VERIFIER_CACHE=tempfile.mkdtemp(prefix="dv-bench-"))
    py = sys.executable
    verify = [py, "cli.py"]
    rows = [("floor: import sympy, numpy, rich", timed([py, "-c", "import sympy, numpy, rich"], env, args.repeat))]
    rows.append(("verify all --no-cache (cold)", timed(verify + ["all", "--no-cache"], env, 1)))
    timed(verify + ["all"], env, 1)  # fill the cache
    rows.append(("verify all (warm)", timed(verify + ["all"], env, args.repeat)))
    rows.append((f"verify {args.id} (warm)", timed(verify + [args.id], env, args.repeat)))
    rows.append((f"verify {args.id} --no-cache (cold)", timed(verify + [args.id, "--no-cache"], env, args.repeat)))
    rows.append(("verify list", timed(verify + ["list"], env, args.repeat)))
    rows.append(("verify --help", timed(verify + ["--help"], env, args.repeat)))
    floor = rows[0][1]
    width = max(len(r[0]) for r in rows)
    print(f"{'what':{width}}  {'seconds':>8}  {'× floor':>8}")
    for name, sec in rows:
        print(f"{name:{width}}  {sec:8.2f}  {sec / floor:8.2f}")


if __name__ == "__main__":
    main()
