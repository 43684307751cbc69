"""Instructions the catalogue takes, counted by valgrind's callgrind: the same count whatever else
the machine is doing, so two trees can be compared on this shared machine in one run.

    python benchmarks/bench_instructions.py [--against REV] [TOPIC_OR_ID ...]

One process builds the named topics (every topic by default) and verifies their claims (or the
claims an id names) serially, each topic's claims sharing one run's memo as in a worker of
`verify all`, and callgrind counts its instructions.
A second process only builds the same topics, so that the claims' own part is the difference.
Each tree is byte-compiled first, as an installed copy is. Both run with PYTHONHASHSEED=0 (set and dict orders, hence SymPy's paths, are then the same from
run to run) and one BLAS thread (OpenBLAS's waiting threads spin, and callgrind counts the spin:
once 47% of a run). With --against, the same is counted for REV in a temporary git worktree and
the ratios are printed. The whole catalogue is about ten minutes per tree: callgrind runs Python
some fifty times slower.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_DRIVER = """
import inspect
import sys
from derivations._registry import TOPICS
from derivations import catalog
from verifier import engine
verify = sys.argv[1] == "verify"
# The claims of a topic share one run's memo, as in a worker of `verify all` (a revision without it: none).
sharing = "shared" in inspect.signature(engine.verify).parameters
for key in sys.argv[2:] or TOPICS:
    claims = catalog.topic_claims(key) if key in TOPICS else catalog.select(key)
    run = {"shared": {}} if sharing else {}
    if verify:
        for claim in claims:
            engine.verify(claim, seed=20190709, timeout=1e6, **run)  # no clock: the count is the work
"""


def count(tree: str, mode: str, keys: list[str]) -> int:
    """Instructions of one driver run on `tree` ("verify", or "build" only)."""
    with tempfile.TemporaryDirectory(prefix="dv-callgrind-") as tmp:
        driver = os.path.join(tmp, "driver.py")
        with open(driver, "w") as f:
            f.write(_DRIVER)
        env = dict(os.environ, PYTHONHASHSEED="0", PYTHONPATH=tree, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
                   MKL_NUM_THREADS="1", VECLIB_MAXIMUM_THREADS="1")
        out = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out", sys.executable, driver, mode, *keys],
                             cwd=tree, env=env, capture_output=True, text=True)
        found = re.search(r"Collected : (\d+)", out.stderr)
        if out.returncode != 0 or not found:
            sys.exit(f"callgrind failed on {tree} ({mode}):\n{out.stderr[-2000:]}")
        return int(found.group(1))


def measure(tree: str, keys: list[str]) -> tuple[int, int]:
    """(instructions of building and verifying, of building only) on `tree`, byte-compiled first as
    an installed copy is (else a tree without __pycache__ would count the compiling of its source)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "verifier", "derivations"], cwd=tree, check=True,
                   stdout=subprocess.DEVNULL)
    return count(tree, "verify", keys), count(tree, "build", keys)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("keys", nargs="*", help="topic modules (probability, backprop, …) or claim ids; default: every topic")
    ap.add_argument("--against", metavar="REV", help="also count REV (a git revision of this repository) and print the ratios")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed: this benchmark counts instructions with callgrind")
    rows = [("this tree", ROOT)]
    worktree = None
    if args.against:
        worktree = tempfile.mkdtemp(prefix="dv-against-")
        subprocess.run(["git", "worktree", "add", "--detach", worktree, args.against], cwd=ROOT, check=True, capture_output=True)
        rows.insert(0, (args.against, worktree))
    try:
        counts = [(name, *measure(tree, args.keys)) for name, tree in rows]
    finally:
        if worktree:
            subprocess.run(["git", "worktree", "remove", "--force", worktree], cwd=ROOT, capture_output=True)
    print(f"what: {' '.join(args.keys) or 'every topic'}, built and verified serially (PYTHONHASHSEED=0, one BLAS thread)")
    print(f"{'tree':24} {'whole run':>16} {'build + imports':>16} {'claims':>16}")
    for name, whole, build in counts:
        print(f"{name:24} {whole:>16,} {build:>16,} {whole - build:>16,}")
    if len(counts) == 2:
        (_, w0, b0), (_, w1, b1) = counts
        print(f"{'ratio (this / ' + args.against + ')':24} {w1 / w0:>16.3f} {b1 / b0:>16.3f} {(w1 - b1) / (w0 - b0):>16.3f}")


if __name__ == "__main__":
    main()
