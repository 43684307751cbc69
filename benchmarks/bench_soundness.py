"""The soundness table (tests/soundness_cases.py) against the engine: truth × verdict, and every wrong verdict.

    python benchmarks/bench_soundness.py [--seed N] [--jobs N] [--timeout S] [--class CLS ...] [--id ID ...]

Prints the confusion matrix (rows: true / false claims; columns: proved, checked, refuted,
inconclusive, error), the same per class, then each wrong verdict — a false claim `proved` or
`checked`, a true claim `refuted`, any `error` (a crash, or a claim that could not be built) —
with its case id, class, verdict and the result's method and detail; then the malformed claims
that were not refused with a ClaimError, the slowest cases and the total time.
Exit code 0 when nothing is wrong, 1 otherwise.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests"))

import soundness_cases as table  # noqa: E402

VERDICTS = ("proved", "checked", "refuted", "inconclusive", "error")


def wrong(truth: bool, verdict: str) -> bool:
    """True when this verdict is unsound for a claim of this truth (or a crash)."""
    if verdict == "error":
        return True
    return verdict == "refuted" if truth else verdict in ("proved", "checked")


def _one_line(text: str, width: int = 220) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def reason(result) -> str:
    """One line saying why the engine gave its verdict: the deciding line(s), method and detail."""
    if result.verdict == "error" and result.message:
        return result.message.splitlines()[0]
    steps = list(result.steps)
    if result.verdict == "refuted":
        decisive = [s for s in steps if s.verdict == "refuted"][:1]
    elif result.verdict in ("inconclusive", "error"):
        decisive = [s for s in steps if s.verdict == result.verdict][:1]
    else:
        decisive = steps
    parts = [f"line {s.index} {s.verdict} [{s.method}] {s.detail}" for s in decisive]
    return "; ".join(parts) or f"[{result.method}] {result.message}"


def run_case(index: int, seed: int, timeout: float | None) -> dict:
    """Build and verify case `index` of the table; never raises (a failure is an `error` row)."""
    from verifier.engine import verify  # verdicts only

    case = table.CASES[index]
    start = time.perf_counter()
    try:
        claim = case.build()
    except Exception as exc:  # a claim that cannot be built is a crash of the table or the API
        return {"index": index, "verdict": "error", "method": "build", "seconds": time.perf_counter() - start,
                "reason": f"building the claim raised {type(exc).__name__}: {exc}"}
    try:
        result = verify(claim, seed=seed, timeout=timeout)
    except BaseException as exc:  # verify must never raise; if it does, that is a crash
        return {"index": index, "verdict": "error", "method": "raised", "seconds": time.perf_counter() - start,
                "reason": f"verify raised {type(exc).__name__}: {exc} | {traceback.format_exc(limit=3)}"}
    return {"index": index, "verdict": result.verdict, "method": result.method,
            "seconds": time.perf_counter() - start, "reason": _one_line(reason(result))}


def run(indices: list[int], seed: int, timeout: float | None, jobs: int, progress: bool = True) -> list[dict]:
    """Every selected case, in `jobs` forked worker processes (results do not depend on jobs)."""
    out: list[dict] = []
    total = len(indices)

    def note(row: dict) -> None:
        out.append(row)
        if progress:
            case = table.CASES[row["index"]]
            flag = "WRONG" if wrong(case.truth, row["verdict"]) else "ok"
            print(f"[{len(out):>3}/{total}] {flag:5} {row['verdict']:12} {row['seconds']:6.1f}s  {case.id}", file=sys.stderr, flush=True)

    import multiprocessing

    if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
        from concurrent.futures import ProcessPoolExecutor, as_completed

        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            futures = {pool.submit(run_case, i, seed, timeout): i for i in indices}
            for fut in as_completed(futures):
                try:
                    note(fut.result())
                except Exception as exc:  # a worker that died (e.g. killed by the OS)
                    note({"index": futures[fut], "verdict": "error", "method": "worker", "seconds": 0.0,
                          "reason": f"worker died: {type(exc).__name__}: {exc}"})
    else:
        for i in indices:
            note(run_case(i, seed, timeout))
    return sorted(out, key=lambda r: r["index"])


def matrix(rows: list[dict], title: str = "") -> str:
    """truth × verdict counts as text."""
    counts = {(tr, v): 0 for tr in (True, False) for v in VERDICTS}
    for r in rows:
        counts[(table.CASES[r["index"]].truth, r["verdict"])] += 1
    head = f"{title:<14}" + "".join(f"{v:>14}" for v in VERDICTS) + f"{'total':>8}"
    lines = [head, "─" * len(head)]
    for tr in (True, False):
        cells = [counts[(tr, v)] for v in VERDICTS]
        lines.append(f"{'true' if tr else 'false':<14}" + "".join(f"{c:>14}" for c in cells) + f"{sum(cells):>8}")
    return "\n".join(lines)


def check_refusals() -> list[str]:
    """The malformed claims that were built without a ClaimError (one line each)."""
    from verifier import ClaimError

    problems = []
    for ref in table.MUST_BE_REFUSED:
        try:
            ref.build()
        except ClaimError:
            continue
        except Exception as exc:
            problems.append(f"{ref.id}: raised {type(exc).__name__} (not ClaimError): {_one_line(exc, 120)} — {ref.why}")
            continue
        problems.append(f"{ref.id}: accepted — {ref.why}")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=None, help="seed passed to verify (default: the engine's)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: one per core)")
    ap.add_argument("--timeout", type=float, default=None, help="seconds per line (default: the engine's)")
    ap.add_argument("--class", dest="classes", action="append", choices=table.CLASSES, help="only this class (repeatable)")
    ap.add_argument("--id", dest="ids", action="append", help="only this case id (repeatable)")
    ap.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = ap.parse_args()

    from verifier.engine import DEFAULT_SEED, DEFAULT_TIMEOUT

    seed = DEFAULT_SEED if args.seed is None else args.seed
    timeout = DEFAULT_TIMEOUT if args.timeout is None else args.timeout
    indices = [i for i, c in enumerate(table.CASES)
               if (not args.classes or c.cls in args.classes) and (not args.ids or c.id in args.ids)]
    if not indices:
        print("no case selected", file=sys.stderr)
        return 2
    start = time.perf_counter()
    rows = run(indices, seed, timeout, max(1, args.jobs), progress=not args.quiet)
    elapsed = time.perf_counter() - start

    n_true = sum(table.CASES[r["index"]].truth for r in rows)
    print(f"soundness table: {len(rows)} cases ({n_true} true, {len(rows) - n_true} false), seed {seed}, timeout {timeout:g} s per line, {args.jobs} job(s)\n")
    print(matrix(rows, "truth\\verdict"))
    print()
    print("per class (wrong = false proved/checked, true refuted, error)")
    print(f"{'class':<15}{'cases':>6}{'true':>6}{'false':>6}{'wrong':>7}  false→proved  false→checked  true→refuted  error  inconclusive")
    for cls in table.CLASSES:
        sel = [r for r in rows if table.CASES[r["index"]].cls == cls]
        if not sel:
            continue
        tr = [r for r in sel if table.CASES[r["index"]].truth]
        fa = [r for r in sel if not table.CASES[r["index"]].truth]
        bad = sum(wrong(table.CASES[r["index"]].truth, r["verdict"]) for r in sel)
        print(f"{cls:<15}{len(sel):>6}{len(tr):>6}{len(fa):>6}{bad:>7}"
              f"{sum(r['verdict'] == 'proved' for r in fa):>14}{sum(r['verdict'] == 'checked' for r in fa):>15}"
              f"{sum(r['verdict'] == 'refuted' for r in tr):>14}{sum(r['verdict'] == 'error' for r in sel):>7}"
              f"{sum(r['verdict'] == 'inconclusive' for r in sel):>14}")
    print()
    bad_rows = [r for r in rows if wrong(table.CASES[r["index"]].truth, r["verdict"])]
    print(f"wrong verdicts: {len(bad_rows)}")
    for r in bad_rows:
        case = table.CASES[r["index"]]
        kind = "error" if r["verdict"] == "error" else f"{'true' if case.truth else 'false'} claim {r['verdict']}"
        note = f"  ({case.note})" if case.note else ""
        print(f"  {case.id}  [{case.cls}]  {kind}{note}\n      {r['reason']}")
    print()
    refusals = check_refusals() if not (args.classes or args.ids) else []
    if not (args.classes or args.ids):
        print(f"malformed claims not refused with ClaimError: {len(refusals)} of {len(table.MUST_BE_REFUSED)}")
        for line in refusals:
            print(f"  {line}")
        print()
    slow = sorted(rows, key=lambda r: -r["seconds"])[:8]
    print("slowest cases: " + ", ".join(f"{table.CASES[r['index']].id} {r['seconds']:.1f}s" for r in slow))
    print(f"total time: {elapsed:.1f} s wall, {sum(r['seconds'] for r in rows):.1f} s summed over cases")
    return 1 if bad_rows or refusals else 0


if __name__ == "__main__":
    sys.exit(main())
