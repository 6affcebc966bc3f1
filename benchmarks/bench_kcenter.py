"""k-center kernel: the lazy loop (default) against the plain full-pass loop, same data, same run, same picks.

Usage: ``nice -n 10 python benchmarks/bench_kcenter.py [--rows 200000,1000000] [--budget 1000] [--prune-stats]``

Data: the first ``rows`` rows of the end-to-end benchmark's ``N x 384`` float32 vectors (seeded unit vectors,
``benchmarks/bench_end_to_end.py``; ``--vectors`` names another ``.npy``, e.g. a pool embedded with
all-MiniLM-L6-v2), normalised once with ``core.vectors.unit_rows`` as the pipeline does and passed with
``unit=True`` (no copy). For each size: wall and CPU seconds (``time.process_time``: less sensitive to the other
work on the machine) of ``kcenter.select`` lazy and full pass (seed 42, one thread: the loop runs under
``single_thread``), the number of row-to-centre distances each computed, and whether the picks and gains are
identical (they must be).
``--prune-stats`` also runs the plain loop while recording, per pick, how many rows the triangle-inequality
tests of accelerated farthest-point traversal would skip (Elkan 2003): per centre (``||a - c|| >= 2 radius(a)``)
and per row (``||a - c|| >= 2 ||x - a||``), Euclidean distance between unit rows ``sqrt(2 (1 - cos))``. The load
average is printed before and after: the machine has 2 shared cores, so compare ratios.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.selectors import kcenter  # noqa: E402
from core.vectors import unit_rows  # noqa: E402


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def counted(X: np.ndarray, budget: int) -> tuple[object, int]:
    """Lazy run with a count of the distances it computed (the full passes of the first two centres included)."""
    n = X.shape[0]
    evaluated = [0]
    original = kcenter._Lazy._refresh

    def refresh(self, rows, floor):
        before = self.done[rows].astype(np.int64)
        original(self, rows, floor)
        evaluated[0] += int((self.done[rows] - before).sum())

    kcenter._Lazy._refresh = refresh
    try:
        sel = kcenter.select(X, budget, unit=True)
    finally:
        kcenter._Lazy._refresh = original
    tail = n % kcenter.GROUP
    return sel, evaluated[0] + 2 * n + tail * max(budget - 3, 0)


def prune_stats(X: np.ndarray, budget: int, seed: int = 42) -> dict:
    """Share of rows the per-centre and per-row triangle tests would skip, averaged over picks 2..budget."""
    n = X.shape[0]
    first = int(np.random.RandomState(seed).randint(0, n))
    centres = [first]
    nearest = 1.0 - X @ X[first]
    nearest[first] = -np.inf
    owner = np.zeros(n, dtype=np.int64)
    skip_centre, skip_row = [], []
    for _ in range(1, budget):
        best = int(np.argmax(nearest))
        cos_cc = np.asarray([X[a] @ X[best] for a in centres], dtype=np.float64)
        d_cc = np.sqrt(np.maximum(2.0 * (1.0 - cos_cc), 0.0))  # ||a - c|| for each existing centre a
        d_row = np.sqrt(np.maximum(2.0 * np.where(np.isfinite(nearest), nearest, 0.0), 0.0))  # ||x - a(x)||
        radius = np.zeros(len(centres))
        np.maximum.at(radius, owner, d_row)
        far = d_cc >= 2.0 * radius * (1 + 1e-6)
        skip_centre.append(float(far[owner].mean()))
        skip_row.append(float((d_cc[owner] >= 2.0 * d_row * (1 + 1e-6)).mean()))
        dist = 1.0 - X @ X[best]
        closer = dist < nearest
        owner[closer] = len(centres)
        np.minimum(nearest, dist, out=nearest)
        nearest[best] = -np.inf
        centres.append(best)
    return {"per_centre": float(np.mean(skip_centre)), "per_row": float(np.mean(skip_row)),
            "per_row_last100": float(np.mean(skip_row[-100:]))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", default="/tmp/sift_bench_e2e/vectors_1000000.npy")
    parser.add_argument("--rows", default="200000,1000000", help="comma-separated sizes (first rows of --vectors)")
    parser.add_argument("--budget", type=int, default=1000)
    parser.add_argument("--prune-stats", action="store_true")
    parser.add_argument("--skip-full", action="store_true", help="time only the lazy loop")
    args = parser.parse_args()
    source = np.load(args.vectors, mmap_mode="r")
    print(f"load average before: {load_average()}", flush=True)
    print("| rows | lazy s (CPU s) | full pass s (CPU s) | full / lazy (CPU) | distances lazy | distances full | "
          "same picks and gains |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    for n in (int(r) for r in args.rows.split(",")):
        n = min(n, source.shape[0])
        X = unit_rows(source[:n])
        t, c = time.perf_counter(), time.process_time()
        lazy, evaluated = counted(X, args.budget)
        t_lazy, c_lazy = time.perf_counter() - t, time.process_time() - c
        full_n = n * args.budget
        if args.skip_full:
            t_full = c_full = float("nan")
            same = "-"
        else:
            t, c = time.perf_counter(), time.process_time()
            full = kcenter.select(X, args.budget, unit=True, full_pass=True)
            t_full, c_full = time.perf_counter() - t, time.process_time() - c
            same = str(np.array_equal(lazy.indices, full.indices) and np.array_equal(lazy.gains, full.gains))
        print(f"| {n:,} | {t_lazy:.1f} ({c_lazy:.1f}) | {t_full:.1f} ({c_full:.1f}) | {t_full / t_lazy:.1f}x "
              f"({c_full / c_lazy:.1f}x) | {evaluated:,} | {full_n:,} | {same} |  (load {load_average()})", flush=True)
        if args.prune_stats:
            stats = prune_stats(X, args.budget)
            print(f"  triangle tests at {n:,} rows: skip {stats['per_centre']:.1%} of rows per centre, "
                  f"{stats['per_row']:.1%} per row (last 100 picks {stats['per_row_last100']:.1%})", flush=True)
        del X
    print(f"load average after: {load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
