"""Cost of the equal-budget comparison (``core.compare.compare_at_k`` with the random baseline) on a real pool, and
what it concludes about the runs.

Usage: ``python benchmarks/bench_compare.py [--file ../shared/data/pool_mixed.jsonl] [--sample 3000] [--budget 300]``

Takes a seeded random sample of ``--sample`` records (seed 0), embeds it (instruction view, the default model),
finds its duplicate groups (``core.dedup`` defaults), runs NovelSelect, k-center, random, QDIT, DEITA and top
quality (seed 0) under ``--budget`` and compares them on the embedding and lexical metrics with 10 random draws
per metric. Prints each stage's wall time, every metric's ranks, each run's duplicate share and the
disagreements found (on pool_mixed: NovelSum ranks NovelSelect first while most measures rank it in their bottom
half, and a third of its picks duplicate one another). The 1-minute load average is printed: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core import selectors  # noqa: E402
from core.compare import compare_at_k  # noqa: E402
from core.data import load_pool  # noqa: E402
from core.dedup import pool_duplicates  # noqa: E402
from core.pipeline import build_features  # noqa: E402

METHODS = ("novelselect", "kcenter", "random", "qdit", "deita", "quality_topk")
METRICS = ("novelsum", "distsum_cosine", "knn_distance", "vendi", "log_determinant", "radius", "cluster_inertia",
           "facility_location", "partition_entropy", "ttr", "mtld")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", default=str(REPO.parent / "shared" / "data" / "pool_mixed.jsonl"))
    ap.add_argument("--sample", type=int, default=3000)
    ap.add_argument("--budget", type=int, default=300)
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    began = time.perf_counter()
    pool = load_pool(args.file)
    picked = np.sort(np.random.default_rng(0).choice(len(pool), min(args.sample, len(pool)), replace=False))
    sub = pool.subset(picked)
    features = build_features(sub, labels="none")
    embedded = time.perf_counter()
    dups = pool_duplicates(sub)
    runs = {m: selectors.run(m, features, args.budget, seed=0) for m in METHODS}
    selected = time.perf_counter()
    comparison = compare_at_k(features, runs, dups=dups, metrics=METRICS)
    compared = time.perf_counter()
    print(f"{len(sub):,} records: embed {embedded - began:.1f} s, dedup + {len(METHODS)} selectors "
          f"{selected - embedded:.1f} s, compare ({len(comparison.rows)} metrics x ({len(runs)} runs + 10 random "
          f"draws)) {compared - selected:.1f} s")
    print(f"{'metric':<20}" + "".join(f"{m:>14}" for m in METHODS) + f"{'random mean':>14}")
    for row in comparison.rows:
        print(f"{row.metric:<20}" + "".join(f"{row.values[m]:>10.4g} ({row.ranks[m]})" for m in METHODS)
              + f"{row.baseline.mean:>14.4g}")
    print("duplicate share:", {m: round(s, 3) for m, s in comparison.duplicate_shares.items()})
    for d in comparison.disagreements:
        print("disagreement:", d.text)
    sources = Counter(sub.records[i].get("source") for i in runs["novelselect"].indices)
    print("NovelSelect's sources:", sources.most_common(5))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
