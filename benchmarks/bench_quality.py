"""The heuristic quality proxy on a real pool: how much it is about length, where quality top-k picks land, speed.

Usage: ``python benchmarks/bench_quality.py [--file ../shared/data/pool_mixed.jsonl] [--budget 1000]``

Compares, in the same run, ``core.quality.proxy_quality`` (the current formula, see its module docstring) with
the previous proxy, rebuilt here from the same components: ``1 + 9 (0.7 length_200 + 0.3 relevance)
(1 - 0.6 refusal)(1 - 0.5 copy)``, length saturating at 200 words, no truncation or repetition terms. Reports

- the Spearman correlation of each with the response length (words),
- the share of quality top-k's ``--budget`` picks by the pool's ``source`` (else ``category``) field,
- seconds and microseconds per record of ``proxy_quality`` against a bare tokenisation of the same texts
  (``re.findall`` of words over every instruction and response, the floor of any word-based proxy).

The machine is shared, so the seconds are noisy; the correlations and shares are exact for the file.
"""

from __future__ import annotations

import argparse
import collections
import math
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main(argv=None) -> int:
    from scipy.stats import spearmanr

    from core.data import load_pool
    from core.quality import _WORD, proxy_components, proxy_quality
    from core.selectors import quality_topk

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", default=str(REPO.parent / "shared" / "data" / "pool_mixed.jsonl"))
    ap.add_argument("--budget", type=int, default=1000)
    args = ap.parse_args(argv)

    pool = load_pool(args.file)
    ins, res = pool.instructions, pool.responses
    groups = [r.get("source") or r.get("category") or "(none)" for r in pool.records]

    began = time.perf_counter()
    for i, r in zip(ins, res):
        _WORD.findall(i.lower())
        _WORD.findall(r.lower())
    floor = time.perf_counter() - began
    began = time.perf_counter()
    current = proxy_quality(ins, res)
    seconds = time.perf_counter() - began

    comps = [proxy_components(i, r) for i, r in zip(ins, res)]
    c = {k: np.array([x[k] for x in comps]) for k in comps[0]}
    length_200 = np.minimum(1.0, np.log1p(c["words"]) / math.log1p(200))
    previous = np.where(c["words"] > 0, 1 + 9 * (0.7 * length_200 + 0.3 * c["relevance"])
                        * (1 - 0.6 * c["refusal"]) * (1 - 0.5 * c["copy"]), 1.0)

    n = len(pool)
    print(f"{args.file}: {n:,} records; response length in words (the proxy's tokeniser)")
    print(f"proxy_quality: {seconds:.2f} s ({seconds / n * 1e6:.0f} us/record, ~{seconds / n * 1e6 / 60:.1f} min "
          f"per 1M); bare tokenisation {floor:.2f} s ({seconds / floor:.1f}x)")
    print(f"flagged: truncated {int((c['truncated'] > 0).sum()):,}, repetition > 0 "
          f"{int((c['repetition'] > 0).sum()):,}, refusal {int(c['refusal'].sum()):,}, copy {int(c['copy'].sum()):,}")
    totals = collections.Counter(groups)
    picks = {}
    for name, values in (("previous", previous), ("current", current)):
        rho = spearmanr(values, c["words"]).correlation
        top = quality_topk.select(values, args.budget).indices
        picks[name] = collections.Counter(groups[i] for i in top)
        print(f"{name:>8}: Spearman with length {rho:.3f}")
    print(f"\n| source | pool share | previous top-{args.budget} | current top-{args.budget} |\n|---|---:|---:|---:|")
    for g, k in totals.most_common():
        print(f"| {g} | {k / n:.1%} | {picks['previous'][g] / args.budget:.1%} | "
              f"{picks['current'][g] / args.budget:.1%} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
