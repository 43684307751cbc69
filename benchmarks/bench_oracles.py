"""Time the numpy oracles at realistic sizes and, when PyTorch is importable, compare with
torch.autograd on the CPU: timing ratio ours/torch, and max |ours − torch| over every output
(absolute, and relative to the largest |torch| entry of that output).

    python benchmarks/bench_oracles.py [--repeats 15] [--dtype float64 float32] [--torch-threads N]

Each case times forward + backward, as autograd does:
  batchnorm  x (1024, 256), training mode            ours: forward_cache + backward(cache=...)
  conv       a (8, 8, 64, 64), w (8, 8, 5, 5)          ours: forward + backward
  dense      784 -> 300 -> 100 -> 10, sigmoid, batch 256, L = ½ Σ ‖a^L − y‖²   ours: gradients
Reported time is the best of --repeats runs (time.perf_counter) after one warm-up run.
PyTorch is not a project dependency; without it only the numpy timings are printed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Callable

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from derivations import backprop, batchnorm, conv  # noqa: E402

try:
    import torch
except Exception:  # pragma: no cover - depends on the machine
    torch = None


def best_of(fn: Callable[[], object], repeats: int) -> float:
    """Best wall time of fn() in seconds over `repeats` runs, after one warm-up run."""
    fn()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def max_diffs(ours, theirs) -> tuple[float, float]:
    """(max |ours − torch|, the same relative to max |torch|) over all outputs."""
    worst_abs = worst_rel = 0.0
    for o, t in zip(ours, theirs):
        t = t.detach().double().numpy()
        d = float(np.max(np.abs(np.asarray(o, np.float64) - t)))
        worst_abs = max(worst_abs, d)
        worst_rel = max(worst_rel, d / max(float(np.max(np.abs(t))), np.finfo(np.float64).tiny))
    return worst_abs, worst_rel


def case_batchnorm(rng, dtype, repeats):
    m, d, eps = 1024, 256, 1e-5
    x = (3 + 2 * rng.standard_normal((m, d))).astype(dtype)
    gamma = (1 + 0.5 * rng.standard_normal(d)).astype(dtype)
    beta = rng.standard_normal(d).astype(dtype)
    dy = rng.standard_normal((m, d)).astype(dtype)

    def ours():
        _, cache = batchnorm.forward_cache(x, gamma, beta, eps)
        return batchnorm.backward(x, gamma, dy, eps, cache=cache)

    row = {"ours": best_of(ours, repeats)}
    if torch is not None:
        xt, gt, bt = (torch.tensor(v, requires_grad=True) for v in (x, gamma, beta))
        dyt = torch.tensor(dy)

        def theirs():
            xt.grad = gt.grad = bt.grad = None
            y = torch.nn.functional.batch_norm(xt, None, None, gt, bt, training=True, eps=eps)
            y.backward(dyt)
            return xt.grad, gt.grad, bt.grad

        row["torch"] = best_of(theirs, repeats)
        row["diff"] = max_diffs(ours(), theirs())
    return row


def case_conv(rng, dtype, repeats):
    n, c_in, c_out, h, w_, k = 8, 8, 8, 64, 64, 5
    a = rng.standard_normal((n, c_in, h, w_)).astype(dtype)
    w = (rng.standard_normal((c_out, c_in, k, k)) / 10).astype(dtype)
    b = rng.standard_normal(c_out).astype(dtype)
    delta = rng.standard_normal((n, c_out, h - k + 1, w_ - k + 1)).astype(dtype)

    def ours():
        z = conv.forward(a, w, b)
        return (z,) + conv.backward(a, w, delta)

    row = {"ours": best_of(ours, repeats)}
    if torch is not None:
        at, wt, bt = (torch.tensor(v, requires_grad=True) for v in (a, w, b))
        dt = torch.tensor(delta)

        def theirs():
            at.grad = wt.grad = bt.grad = None
            z = torch.nn.functional.conv2d(at, wt, bt)
            z.backward(dt)
            return z, at.grad, wt.grad, bt.grad

        row["torch"] = best_of(theirs, repeats)
        row["diff"] = max_diffs(ours(), theirs())
    return row


def case_dense(rng, dtype, repeats):
    sizes, batch = [784, 300, 100, 10], 256
    ws = [(rng.standard_normal((sizes[i + 1], sizes[i])) / np.sqrt(sizes[i])).astype(dtype)
          for i in range(len(sizes) - 1)]
    bs = [(0.1 * rng.standard_normal(sizes[i + 1])).astype(dtype) for i in range(len(sizes) - 1)]
    x = rng.standard_normal((batch, sizes[0])).astype(dtype)
    y = rng.random((batch, sizes[-1])).astype(dtype)

    def ours():
        dws, dbs = backprop.gradients(ws, bs, x, y, activation="sigmoid")
        return dws + dbs

    row = {"ours": best_of(ours, repeats)}
    if torch is not None:
        wts = [torch.tensor(v, requires_grad=True) for v in ws]
        bts = [torch.tensor(v, requires_grad=True) for v in bs]
        xt, yt = torch.tensor(x), torch.tensor(y)

        def theirs():
            for p in wts + bts:
                p.grad = None
            a = xt
            for wt, bt in zip(wts, bts):
                a = torch.sigmoid(a @ wt.T + bt)
            loss = 0.5 * ((a - yt) ** 2).sum()
            loss.backward()
            return [p.grad for p in wts + bts]

        row["torch"] = best_of(theirs, repeats)
        row["diff"] = max_diffs(ours(), theirs())
    return row


CASES = {
    "batchnorm 1024x256": case_batchnorm,
    "conv 8x(8->8)x64x64 k5": case_conv,
    "dense 784-300-100-10 b256": case_dense,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--dtype", nargs="+", default=["float64", "float32"], choices=["float64", "float32"])
    ap.add_argument("--torch-threads", type=int, default=None,
                    help="torch.set_num_threads(N) before timing (default: torch's own choice)")
    args = ap.parse_args(argv)
    if torch is not None and args.torch_threads:
        torch.set_num_threads(args.torch_threads)

    # Allocate and free one 30 MB block first: glibc then serves the multi-MB temporaries from
    # its heap instead of fresh page-faulting mmaps, i.e. the steady state of any long-running
    # numpy (or torch) process.  Both sides of each comparison run after it.
    np.ones(30 << 20, dtype=np.uint8)

    print(f"numpy {np.__version__}, python {sys.version.split()[0]}, {os.cpu_count()} cpu(s)")
    if torch is None:
        print("torch is absent: numpy timings only (pip install torch to compare with torch.autograd)")
    else:
        print(f"torch {torch.__version__} (CPU autograd, {torch.get_num_threads()} thread(s))")
    header = f"{'oracle':<27} {'dtype':<8} {'ours ms':>9}"
    if torch is not None:
        header += f" {'torch ms':>9} {'ours/torch':>10} {'max|diff|':>10} {'rel':>9}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for dtype in args.dtype:
        for name, case in CASES.items():
            rng = np.random.default_rng(0)
            row = case(rng, np.dtype(dtype), args.repeats)
            line = f"{name:<27} {dtype:<8} {row['ours'] * 1e3:>9.2f}"
            if "torch" in row:
                ratio = row["ours"] / row["torch"]
                worst = max(worst, ratio)
                line += (f" {row['torch'] * 1e3:>9.2f} {ratio:>10.2f}"
                         f" {row['diff'][0]:>10.2e} {row['diff'][1]:>9.1e}")
            print(line, flush=True)
    if torch is not None:
        print(f"worst ratio ours/torch: {worst:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
