"""Property-based soundness, long run: the confusion matrix (truth × verdict) of generated claims.

    python benchmarks/bench_hypothesis_soundness.py [--examples 500] [--seed 1] [--timeout 20] [--jobs 2]

Claims come from `tests/soundness_gen.py` (Hypothesis strategies; truth known by construction and
double-checked there at 80 digits, never by the engine): half true identities (random expressions
over 1–3 real symbols with declared domains, rewritten by valid rules; E/Var rules for iid copies
and independent variables), half false ones (a line perturbed: coefficient, dropped term, sign,
sin↔cos, exponent, a tiny term 10⁻¹²…10⁻³⁰, a term vanishing at every nice point, moment slips).
The generation is seeded (`--seed`): the same examples on every run.

Prints the confusion matrix, the same per kind of claim (family and perturbation), and every wrong
verdict (a true claim `refuted` or `error`; a false claim `proved`, `checked` or `error`; a crash of
`verify` itself; a `hang`: no verdict after --hard-limit seconds, the worker is killed and replaced)
with the claim, the verdict and the result's detail. `--show-inconclusive` lists the undecided ones too.
Exit status 1 when some verdict is wrong.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]

VERDICTS = ("proved", "checked", "refuted", "inconclusive", "error", "crash", "hang")


def generate(examples: int, seed: int, max_depth: int) -> list:
    """`examples` distinct cases (or a few fewer), half true and half false, drawn under a fixed
    Hypothesis seed (Hypothesis repeats itself at times: a claim already drawn is not kept twice)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    import soundness_gen as gen

    out: list = []
    seen: set[str] = set()
    for strategy, count in ((gen.true_cases(max_depth), examples // 2), (gen.false_cases(max_depth), examples - examples // 2)):
        goal = len(out) + count

        @hseed(seed)
        @settings(max_examples=2 * count, deadline=None, database=None, phases=(Phase.generate,),
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def collect(case):
            text = case.text()
            if text not in seen and len(out) < goal:
                seen.add(text)
                out.append(case)

        collect()
    return out


def run_one(args: tuple) -> tuple[int, str, str, float]:
    """(index, verdict, detail, seconds) of one case; never raises."""
    index, case, verify_seed, timeout, log = args
    start = time.perf_counter()
    if log:
        with open(log, "a") as fh:
            fh.write(f"{time.strftime('%H:%M:%S')} start #{index} [{case.kind}] {os.getpid()}\n")
    try:
        from verifier.engine import verify  # verdicts only

        result = verify(case.claim(f"hyp-{index}"), seed=verify_seed, timeout=timeout)
        detail = result.message or "; ".join(f"line {l.index}: {l.verdict} [{l.method}] {l.detail}" for l in result.steps)
        if log:
            with open(log, "a") as fh:
                fh.write(f"{time.strftime('%H:%M:%S')} end #{index} {result.verdict} {time.perf_counter() - start:.1f} s\n")
        return index, result.verdict, detail, time.perf_counter() - start
    except BaseException as exc:  # noqa: BLE001 - a crash of verify itself is a finding, not the end of the run
        return index, "crash", f"{type(exc).__name__}: {exc}", time.perf_counter() - start


def _worker(tasks, results) -> None:
    """A worker process: verify the cases it is sent until it gets None."""
    while True:
        item = tasks.get()
        if item is None:
            return
        results.put(run_one(item))


def verify_all(work: list[tuple], jobs: int, hard_limit: float) -> list[tuple[int, str, str, float]]:
    """run_one over `work` in `jobs` fresh ("spawn") worker processes, in any order; a case with no
    answer after `hard_limit` seconds is recorded as a `hang` and its worker replaced.

    Spawned, not forked: a forked worker would inherit the gc callback Hypothesis installs, and a
    SIGALRM time limit raised while that callback runs is swallowed (the line then overruns)."""
    import queue

    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    pending = list(reversed(work))
    done: dict[int, tuple] = {}
    def start_slot() -> dict:
        tasks = ctx.Queue()
        proc = ctx.Process(target=_worker, args=(tasks, results), daemon=True)
        proc.start()
        return {"proc": proc, "tasks": tasks, "task": None, "since": 0.0}

    slots = [start_slot() for _ in range(max(jobs, 1))]
    t0 = time.perf_counter()
    while len(done) < len(work):
        for slot in slots:
            if slot["task"] is None and pending:
                slot["task"] = pending.pop()
                slot["since"] = time.perf_counter()
                slot["tasks"].put(slot["task"])
        try:
            res = results.get(timeout=1.0)
        except queue.Empty:
            res = None
        if res is not None and res[0] not in done:
            done[res[0]] = res
            for slot in slots:
                if slot["task"] is not None and slot["task"][0] == res[0]:
                    slot["task"] = None
            if len(done) % 50 == 0 or len(done) == len(work):
                print(f"  {len(done)}/{len(work)} verified, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
        now = time.perf_counter()
        for k, slot in enumerate(slots):
            task = slot["task"]
            if task is not None and now - slot["since"] > hard_limit and task[0] not in done:
                slot["proc"].kill()  # our own worker, by its handle
                slot["proc"].join()
                done[task[0]] = (task[0], "hang", f"no verdict after {hard_limit:g} s (worker killed)", now - slot["since"])
                print(f"  #{task[0]} hangs: worker killed after {hard_limit:g} s", file=sys.stderr, flush=True)
                slots[k] = start_slot()
    for slot in slots:
        slot["tasks"].put(None)
    for slot in slots:
        slot["proc"].join(timeout=5)
        if slot["proc"].is_alive():
            slot["proc"].kill()
    return [done[k] for k in sorted(done)]


def matrix(rows: list[tuple[str, Counter]], title: str) -> str:
    width = max([len(title)] + [len(name) for name, _ in rows])
    head = f"{title:{width}}  " + "  ".join(f"{v:>12}" for v in VERDICTS) + f"  {'total':>6}"
    lines = [head, "─" * len(head)]
    for name, c in rows:
        lines.append(f"{name:{width}}  " + "  ".join(f"{c.get(v, 0):>12}" for v in VERDICTS) + f"  {sum(c.values()):>6}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=500, help="how many claims to generate (default 500)")
    ap.add_argument("--seed", type=int, default=1, help="Hypothesis seed of the generation (default 1)")
    ap.add_argument("--verify-seed", type=int, default=20190709, help="seed passed to verify (default 20190709)")
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per line (default 20, the engine's)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("--max-depth", type=int, default=3, help="depth of the random expressions (default 3)")
    ap.add_argument("--show-inconclusive", action="store_true", help="also list the inconclusive claims")
    ap.add_argument("--hard-limit", type=float, default=0.0,
                    help="seconds after which a claim counts as a hang and its worker is killed (default max(120, 10×timeout))")
    ap.add_argument("--log", default="", help="append 'start #k' / 'end #k' lines to this file (find a hang)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    cases = generate(args.examples, args.seed, args.max_depth)
    t_gen = time.perf_counter() - t0
    print(f"generated {len(cases)} distinct claims in {t_gen:.1f} s (hypothesis seed {args.seed}); verifying with "
          f"seed {args.verify_seed}, timeout {args.timeout:g} s, {args.jobs} job(s)…", flush=True)
    work = [(k, c, args.verify_seed, args.timeout, args.log) for k, c in enumerate(cases)]
    t1 = time.perf_counter()
    results = verify_all(work, args.jobs, args.hard_limit or max(120.0, 10 * args.timeout))
    t_verify = time.perf_counter() - t1

    by_truth: dict[str, Counter] = defaultdict(Counter)
    by_kind: dict[str, Counter] = defaultdict(Counter)
    wrong, undecided = [], []
    for (k, verdict, detail, seconds), case in zip(results, cases):
        by_truth["true" if case.truth else "false"][verdict] += 1
        by_kind[case.kind][verdict] += 1
        if verdict == "inconclusive":
            undecided.append((k, case, verdict, detail, seconds))
        elif not case.acceptable(verdict):
            wrong.append((k, case, verdict, detail, seconds))

    print()
    print(matrix([(t, by_truth[t]) for t in ("true", "false") if t in by_truth], "truth \\ verdict"))
    print()
    print(matrix(sorted(by_kind.items()), "kind \\ verdict"))
    true_n, false_n = sum(by_truth["true"].values()), sum(by_truth["false"].values())
    bad = Counter()
    for _, case, verdict, _, _ in wrong:
        bad[("true" if case.truth else "false", verdict)] += 1
    print()
    print(f"wrong verdicts: {len(wrong)} of {len(results)} — "
          f"true refuted {bad[('true', 'refuted')]}/{true_n}, "
          f"false proved {bad[('false', 'proved')]}/{false_n}, false checked {bad[('false', 'checked')]}/{false_n}, "
          f"error {bad[('true', 'error')] + bad[('false', 'error')]}, crash {bad[('true', 'crash')] + bad[('false', 'crash')]}, "
          f"hang {bad[('true', 'hang')] + bad[('false', 'hang')]}")
    slowest = sorted(results, key=lambda r: -r[3])[:5]
    print(f"verification {t_verify:.1f} s wall; slowest claims: "
          + ", ".join(f"#{k} {sec:.1f} s ({verdict})" for k, verdict, _, sec in slowest))

    def show(items, heading):
        if not items:
            return
        print()
        print(heading)
        for k, case, verdict, detail, seconds in items:
            print(f"\n#{k} [{case.kind}] {verdict.upper()} in {seconds:.1f} s")
            print("  " + case.text().replace("\n", "\n  "))
            print(f"    detail: {detail}")

    show(wrong, "── wrong verdicts " + "─" * 60)
    if args.show_inconclusive:
        show(undecided, "── inconclusive " + "─" * 62)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
