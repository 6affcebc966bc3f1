"""Speed of ``core.dedup.find_duplicates`` on a real pool, per stage, and the MinHash LSH recall against brute force.

Usage: ``python benchmarks/bench_dedup.py [--file ../shared/data/pool_mixed.jsonl] [--sample 2000]``

Prints records/s of each relation alone (exact, near, template) and of all three (the ``--dedup`` default), the
group counts and sizes at the defaults, the 1-minute load average before and after (the machine is shared),
and a baseline in the same run: the exact all-pairs Jaccard of word shingles on the first ``--sample`` records,
to check that the LSH finds the pairs above the threshold (recall) and how much slower brute force is.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.data import load_pool  # noqa: E402
from core.dedup import NEAR_THRESHOLD, SHINGLE, _shingles, find_duplicates, near_groups, normalize  # noqa: E402


def brute_force_pairs(norm: list, threshold: float, shingle: int) -> set:
    """Every pair (i, j), i < j, whose exact shingle Jaccard is >= threshold (O(n^2))."""
    sets = [_shingles(t, shingle) if t else set() for t in norm]
    pairs = set()
    for i in range(len(sets)):
        a = sets[i]
        if not a:
            continue
        for j in range(i + 1, len(sets)):
            b = sets[j]
            if b and len(a & b) >= threshold * len(a | b):
                pairs.add((i, j))
    return pairs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", default=str(REPO.parent / "shared" / "data" / "pool_mixed.jsonl"))
    ap.add_argument("--sample", type=int, default=2000, help="records for the brute-force baseline")
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} (cores: {os.cpu_count()})")
    pool = load_pool(args.file)
    texts = pool.texts()
    n = len(texts)
    print(f"{args.file}: {n:,} records (instruction view)")
    for kinds in (("exact",), ("near",), ("template",), ("exact", "near", "template")):
        began = time.perf_counter()
        d = find_duplicates(texts, kinds=kinds)
        sec = time.perf_counter() - began
        sizes = sorted(d.sizes.tolist(), reverse=True)
        print(f"{'+'.join(kinds):<22} {sec:6.2f} s  {n / sec:9,.0f} records/s  groups {d.n_groups:,}  "
              f"records in groups {int(d.sizes.sum()):,}  dropped {d.dropped:,}  largest {sizes[:5]}")
    print("kinds of the merged groups:", dict(Counter(d.kinds)))
    print("largest groups at the defaults:")
    for g in d.largest(5):
        print(f"  {g['size']:>4} {g['kind']:<8} {(g['template'] or texts[g['representative']])[:90]!r}")

    m = min(args.sample, n)
    norm = [normalize(t) for t in texts[:m]]
    began = time.perf_counter()
    truth = brute_force_pairs(norm, NEAR_THRESHOLD, SHINGLE)
    brute = time.perf_counter() - began
    began = time.perf_counter()
    lab = near_groups(norm)
    lsh = time.perf_counter() - began
    found = sum(1 for i, j in truth if lab[i] >= 0 and lab[i] == lab[j])
    grouped_truth = {i for p in truth for i in p}
    extra = sum(1 for i in range(m) if lab[i] >= 0 and i not in grouped_truth)
    print(f"baseline on the first {m:,} records: brute-force Jaccard {brute:.2f} s, MinHash LSH {lsh:.2f} s "
          f"({brute / lsh:.1f}x); pairs >= {NEAR_THRESHOLD}: {len(truth):,}, grouped together by LSH {found:,} "
          f"(recall {found / max(len(truth), 1):.3f}); records grouped by LSH with no true pair: {extra:,}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
