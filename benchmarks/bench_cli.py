"""Times of the CLI against the import floor, measured in one run (this machine is shared: ratios, not seconds).

    python benchmarks/bench_cli.py [--repeat 3] [--id 1.5] [--heavy-id 3.23] [--jobs auto]

Prints: the floor `python -c "import sympy, numpy, rich"`, cold `verify all --no-cache`,
warm `verify all` (cache filled by the cold run), a Chapter 1 id and a heavy id warm and cold,
`verify list` and `verify --help`, each as seconds (best of --repeat), as a ratio to the floor,
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


def timed(cmd: list[str], env: dict[str, str], repeat: int) -> tuple[float, float]:
    """The best wall time of `repeat` runs, and the CPU seconds (user + system, workers included) of that run."""
    best, cpu = float("inf"), 0.0
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if wall < best:
            best, cpu = wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return best, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--id", default="1.5", help="a Chapter 1 id (aim: cold ≤ 1.5× the floor)")
    ap.add_argument("--heavy-id", default="3.23", help="any other id (aim: cold ≤ 3× the floor)")
    ap.add_argument("--jobs", default="auto")
    ap.add_argument("--from-source", action="store_true", help="do not byte-compile the project first")
    args = ap.parse_args()
    if not args.from_source:
        subprocess.run([sys.executable, "-m", "compileall", "-q", "verifier", "derivations", "cli.py"], cwd=ROOT,
                       stdout=subprocess.DEVNULL, check=True)
    env = dict(os.environ, DERIVATION_VERIFIER_CACHE=tempfile.mkdtemp(prefix="dv-bench-"))
    py = sys.executable
    verify = [py, "cli.py", "--jobs", args.jobs]
    def row(name: str, cmd: list[str], repeat: int, aim: float | None) -> tuple:
        return (name, *timed(cmd, env, repeat), aim)

    rows = [row("floor: import sympy, numpy, rich", [py, "-c", "import sympy, numpy, rich"], args.repeat, None)]
    rows.append(row("verify all --no-cache (cold)", verify + ["all", "--no-cache"], 1, 10.0))
    timed(verify + ["all"], env, 1)  # fill the cache
    rows.append(row("verify all (warm)", verify + ["all"], args.repeat, 1.3))
    rows.append(row(f"verify {args.id} (warm)", verify + [args.id], args.repeat, None))
    rows.append(row(f"verify {args.id} --no-cache (cold)", verify + [args.id, "--no-cache"], args.repeat, 1.5))
    rows.append(row(f"verify {args.heavy_id} --no-cache (cold)", verify + [args.heavy_id, "--no-cache"], 1, 3.0))
    rows.append(row("verify list", verify + ["list"], args.repeat, None))
    rows.append(row("verify --help", verify + ["--help"], args.repeat, None))
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
