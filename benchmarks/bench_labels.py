"""Automatic-labelling throughput (records/s) and label quality on ../shared/data/pool_mixed.jsonl.

Times ``core.labels.extract_labels(pool, embeddings, source="auto_tags")`` with the record embeddings given
(loaded from the embedding cache: run ``python -m core embed ../shared/data/pool_mixed.jsonl`` first), best of
``--repeats`` runs after one warm-up run (the warm-up embeds the candidate phrases and intent examples once; later
runs read them from the cache, as a second open of the same pool does). Each tagger runs in its own child process.
``--baseline DIR`` also times the tagger of another checkout in the same run, e.g. the main branch before issue 9:
``git archive <commit> core | tar -x -C /tmp/base`` then ``--baseline /tmp/base``.

Quality figures, on the same labels: labels that look like code (``_``, ``(``, ``=``, a leading ``assert``), the
share of ``math_word_problem`` / ``coding`` / ``multiple_choice_qa`` / ``extractive_qa`` records carrying a creative
or persona intent, the share of labels used once, and labels per record. The load average is printed with the
times: the machine is shared, so seconds are only comparable within one run.

Run: ``python benchmarks/bench_labels.py [--baseline DIR] [--repeats 2] [--limit N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POOL = REPO.parent / "shared" / "data" / "pool_mixed.jsonl"
CREATIVE = ["role play", "historical role play", "fictional character", "expert persona", "song lyrics", "poetry",
            "story writing", "humor", "speech writing", "creative writing"]
FACTUAL = ["math_word_problem", "coding", "multiple_choice_qa", "extractive_qa"]

CHILD = r"""
import json, os, re, sys, time
os.environ["HF_HUB_OFFLINE"] = "1"
sys.path.insert(0, sys.argv[1])
import numpy as np
from core.data import load_pool
from core.embed import embed_texts
from core.labels import extract_labels
pool = load_pool(sys.argv[2])
limit = int(sys.argv[3])
if limit:
    pool = pool.subset(range(min(limit, len(pool))))
emb = embed_texts(pool.texts())
best, result = float("inf"), None
for run in range(1 + int(sys.argv[4])):
    t0 = time.perf_counter()
    result = extract_labels(pool, emb, source="auto_tags")
    if run:
        best = min(best, time.perf_counter() - t0)
creative, factual = set(json.loads(sys.argv[5])), set(json.loads(sys.argv[6]))
cats = [r.get("category") for r in pool.records]
fact = [row for row, c in zip(result.label_sets, cats) if c in factual]
print(json.dumps({
    "records": len(pool), "seconds": best, "records_per_s": len(pool) / best, "load": os.getloadavg()[0],
    "labels": len(result.vocabulary),
    "code_like": sum(1 for t in result.vocabulary if re.search(r"[_(=]", t) or t.startswith("assert")),
    "creative_on_factual": float(np.mean([bool(set(r) & creative) for r in fact])) if fact else None,
    "used_once": sum(1 for c in result.counts.values() if c == 1) / max(1, len(result.counts)),
    "labels_per_record": float(np.mean([len(r) for r in result.label_sets])),
    "empty_records": result.n_empty}))
"""


def run_child(root: Path, limit: int, repeats: int) -> dict:
    """One tagger (the ``core`` package under ``root``) timed in a child process."""
    out = subprocess.run([sys.executable, "-c", CHILD, str(root), str(POOL), str(limit), str(repeats),
                          json.dumps(CREATIVE), json.dumps(FACTUAL)],
                         capture_output=True, text=True, check=True, cwd=root)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=None, metavar="DIR", help="a checkout whose core/ is the baseline")
    parser.add_argument("--repeats", type=int, default=1, help="timed runs after the warm-up (default: 1)")
    parser.add_argument("--limit", type=int, default=0, help="first N records only (default: all)")
    args = parser.parse_args()
    if not POOL.is_file():
        print(f"skipped: {POOL} is not present")
        return 0
    rows = [("sift (this checkout)", run_child(REPO, args.limit, args.repeats))]
    if args.baseline:
        rows.append((f"baseline ({args.baseline})", run_child(Path(args.baseline).resolve(), args.limit,
                                                              args.repeats)))
    print(f"load average at start: {os.getloadavg()[0]:.2f} (2-core machine, shared)")
    print("| tagger | records | seconds | records/s | load | labels | code-like | creative on factual | "
          "used once | labels/record |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['records']:,} | {r['seconds']:.1f} | {r['records_per_s']:.0f} | {r['load']:.1f} | "
              f"{r['labels']:,} | {r['code_like']} | {r['creative_on_factual']:.1%} | {r['used_once']:.1%} | "
              f"{r['labels_per_record']:.2f} |")
    if len(rows) == 2:
        print(f"speed ratio sift / baseline: {rows[0][1]['records_per_s'] / rows[1][1]['records_per_s']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
