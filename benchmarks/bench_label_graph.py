"""Label-graph threshold figures and timings: auto vs fixed T on the InsTag vocabulary and the sample's labels.

``python benchmarks/bench_label_graph.py`` prints, for each label set and T in (auto, 0.9, 0.7, 0.6): T, edges,
mean degree and share of labels with a neighbour (core.label_graph.graph_stats), plus the seconds of
``auto_threshold`` and of the page's force-directed layout (ui.figures.spring_positions) for 150/500/800
shown labels. Needs ../shared for the InsTag vocabulary (skipped otherwise). Seconds are noisy on a shared CPU.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.embed import embed_texts  # noqa: E402
from core.label_graph import LabelGraph, auto_threshold, graph_stats  # noqa: E402


def label_sets() -> dict[str, list[str]]:
    from core.data import load_pool
    from core.labels import extract_labels, load_whitelist

    out = {}
    instag = REPO.parent / "shared" / "data" / "instag_valid_tags.json"
    if instag.is_file():
        out["InsTag vocabulary"] = sorted(load_whitelist(instag))
    pool = load_pool(REPO / "sample_data" / "instructions.jsonl")
    out["sample labels"] = sorted(extract_labels(pool, None, source="auto").vocabulary)
    return out


def main() -> None:
    from ui.figures import spring_positions

    print("| labels | T | rule | edges | mean degree | share with a neighbour |")
    print("|---|---:|---|---:|---:|---:|")
    timings = []
    for name, vocab in label_sets().items():
        emb = embed_texts(vocab, batch_size=32)
        t0 = time.perf_counter()
        auto_threshold(emb)
        timings.append((f"auto_threshold, {name} ({len(vocab):,})", time.perf_counter() - t0))
        for t in ("auto", 0.9, 0.7, 0.6):
            s = graph_stats(LabelGraph.from_embeddings(vocab, emb, t))
            print(f"| {name} ({s['labels']:,}) | {s['threshold']:.3f} | {'auto' if t == 'auto' else 'fixed'} | "
                  f"{s['edges']:,} | {s['mean_degree']:.2f} | {s['share_with_neighbour']:.1%} |")
        graph = LabelGraph.from_embeddings(vocab, emb, "auto")
        for n in (150, 500, 800):
            if n <= len(vocab):
                t0 = time.perf_counter()
                spring_positions(graph, np.arange(n), seed=0)
                timings.append((f"layout of {n} labels, {name}", time.perf_counter() - t0))
    print()
    for what, sec in timings:
        print(f"{what}: {sec:.2f} s")


if __name__ == "__main__":
    main()
