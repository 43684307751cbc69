"""Times of the CLI against the import floor, measured in one run (this machine is shared: ratios, not seconds).

    python benchmarks/bench_cli.py [--repeat 3] [--id 1.5] [--heavy-id 3.23] [--jobs auto]

Prints: the floor `python -c "import sympy, numpy, rich"`, cold `verify all --no-cache`,
warm `verify all` (cache filled by the cold run), a Chapter 1 id warm and cold, the heaviest ids cold,
`verify list` and `verify --help`, each as seconds (best of --repeat rounds, each round running
every command once, so that each best is taken over the same stretch of time), as a ratio to the floor,
and the aim for that ratio (issue 12): cold all ≤ 10× (longer aim 3×), warm all ≤ 1.3×, cold
Chapter 1 id ≤ 1.5×, cold any id ≤ 3×.

The project's modules are byte-compiled first (`compileall`, into their `__pycache__`), as
`pip install .` does: "cold" means no result cache and a new process, not Python compiling our
source again on every run (which an environment with PYTHONDONTWRITEBYTECODE=1, like this
machine's, would otherwise do: 0.1–0.3 s a run, not the tool's cost). --from-source skips it.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """The wall time of one run, and its CPU seconds (user + system, workers included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--id", default="1.5", help="a Chapter 1 id (aim: cold ≤ 1.5× the floor)")
    # the two heaviest labels of the catalogue cold (each of the 64 labels timed cold, best of two, 2026-12-04)
    ap.add_argument("--heavy-id", nargs="+", default=["3.23", "3.15"], help="other ids (aim: cold ≤ 3× the floor)")
    ap.add_argument("--jobs", default="auto")
    ap.add_argument("--from-source", action="store_true", help="do not byte-compile the project first")
    args = ap.parse_args()
    if not args.from_source:
        subprocess.run([sys.executable, "-m", "compileall", "-q", "verifier", "derivations", "cli.py"], cwd=ROOT,
                       stdout=subprocess.DEVNULL, check=True)
    env = dict(os.environ, DERIVATION_VERIFIER_CACHE=tempfile.mkdtemp(prefix="dv-bench-"))
    py = sys.executable
    verify = [py, "cli.py", "--jobs", args.jobs]
    commands = [  # (what, command, aim as × floor)
        ("floor: import sympy, numpy, rich", [py, "-c", "import sympy, numpy, rich"], None),
        # --no-cache neither reads nor writes the result cache: every repetition is cold
        ("verify all --no-cache (cold)", verify + ["all", "--no-cache"], 10.0),
        ("verify all (warm)", verify + ["all"], 1.3),
        (f"verify {args.id} (warm)", verify + [args.id], None),
        (f"verify {args.id} --no-cache (cold)", verify + [args.id, "--no-cache"], 1.5),
        *[(f"verify {heavy} --no-cache (cold)", verify + [heavy, "--no-cache"], 3.0) for heavy in args.heavy_id],
        ("verify list", verify + ["list"], None),
        ("verify --help", verify + ["--help"], None),
    ]
    timed(verify + ["all"], env)  # fill the cache for the warm rows
    timed(verify + [args.id], env)
    # Round after round, every command once: the best of each is taken over the same stretch of
    # time as the floor's (a shared machine's load moves within a minute; commands timed in blocks,
    # the floor's best against one run of the rest, put that noise on one side of the ratio).
    best = [(float("inf"), 0.0)] * len(commands)
    for _ in range(args.repeat):
        for k, (_, cmd, _) in enumerate(commands):
            wall, cpu = timed(cmd, env)
            if wall < best[k][0]:
                best[k] = (wall, cpu)
    rows = [(name, *best[k], aim) for k, (name, _, aim) in enumerate(commands)]
    floor = rows[0][1]
    print("the project's modules " + ("compiled from source on every run" if args.from_source else "byte-compiled, as installed"))
    # CPU seconds beside the wall time: on a shared machine the wall time of one run moves by a
    # fifth either way; the CPU a command used (its workers included) moves less.
    width = max(len(r[0]) for r in rows)
    print(f"{'what':{width}}  {'seconds':>8}  {'× floor':>8}  {'cpu s':>7}  aim")
    for name, sec, cpu, aim in rows:
        verdict = "" if aim is None else f"≤ {aim:g}×  {'met' if sec / floor <= aim else 'NOT met'}"
        print(f"{name:{width}}  {sec:8.2f}  {sec / floor:8.2f}  {cpu:7.2f}  {verdict}")


if __name__ == "__main__":
    main()
