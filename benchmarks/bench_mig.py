"""Benchmark of the MIG selector (arXiv 2504.13835) and of automatic tagging.

(a) N = 100K records, 2K picks: our lazy sparse greedy vs the project's rewrite of the official formulation (dense
    N x K float32 H in torch, gains = H @ phi'(z) every step, masked argmax; not the released code); identical
    picks asserted. ``--released DIR`` also runs the released sampler (a checkout of yichengchen24/xsample 7ad6af1,
    imported unmodified) on the first 2K-10K records and extrapolates it to 100K (``released_sampler``).
(b) N = 1M records, 50K picks: time and peak RSS, run in a child process so its peak is its own.
(c) automatic tags: records/s after the pool is embedded, with and without embedding the candidate phrases.

Synthetic pools have realistic tag statistics: K = 4,531 labels (the size of the official whitelist), Zipf(1.0)
label frequencies, 1-6 distinct labels per record, quality ~ U[1, 36], and a sparse label graph with ~10
neighbours per label (weights in [0.9, 1], diagonal 1) built with LabelGraph.from_weights.

Run: ``python benchmarks/bench_mig.py`` (all parts) or ``--only a|b|c``; ``--dense-picks`` limits the dense
baseline's picks (its per-pick cost is constant, so the full-run time is then extrapolated and said so).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from core.label_graph import LabelGraph  # noqa: E402
from core.selectors.mig import select  # noqa: E402

K = 4531


def timed_select(*args, **kwargs):
    """``select(...)`` and its wall time (the registry times runs; the selector itself does not)."""
    started = time.perf_counter()
    sel = select(*args, **kwargs)
    return sel, time.perf_counter() - started


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM; unlike ru_maxrss it does not inherit a parent's peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def synthetic_pool(n: int, seed: int = 0, k: int = K, neighbours: int = 10):
    """``(label_sets, quality, graph)`` with Zipf label frequencies and a sparse random label graph."""
    rng = np.random.default_rng(seed)
    labels = [f"tag{j:04d}" for j in range(k)]
    rank_to_label = rng.permutation(k)
    cdf = np.cumsum(1.0 / np.arange(1, k + 1))
    cdf /= cdf[-1]
    draws = rank_to_label[np.minimum(np.searchsorted(cdf, rng.random((n, 6))), k - 1)]
    counts = rng.integers(1, 7, size=n)
    label_sets = [[labels[j] for j in dict.fromkeys(row[:c].tolist())] for row, c in zip(draws, counts)]
    quality = rng.uniform(1.0, 36.0, size=n)
    rows = np.repeat(np.arange(k), neighbours // 2)
    cols = rng.integers(0, k, size=rows.size)
    keep = rows != cols
    w = sp.coo_matrix((rng.uniform(0.9, 1.0, keep.sum()), (rows[keep], cols[keep])), shape=(k, k)).tocsr()
    w = w.maximum(w.T) + sp.identity(k, format="csr")
    return label_sets, quality, LabelGraph.from_weights(labels, w)


def dense_official(h: sp.csr_matrix, budget: int, phi_a: float = 1e-6, phi_b: float = 0.8):
    """The official sampler's loop: dense float32 H (torch, CPU), all gains recomputed every pick."""
    import torch

    dense = torch.from_numpy(h.astype(np.float32).toarray())
    x = torch.zeros(dense.shape[1], dtype=torch.float32)
    mask = torch.ones(dense.shape[0], dtype=torch.bool)
    picks = []
    started = time.perf_counter()
    for _ in range(budget):
        g = phi_b * (x + phi_a) ** (phi_b - 1)
        gains = dense @ g
        gains[~mask] = -torch.inf
        i = int(torch.argmax(gains))
        picks.append(i)
        mask[i] = False
        x += dense[i]
    return np.array(picks), time.perf_counter() - started


def part_a(dense_picks: int) -> dict:
    n, budget = 100_000, 2_000
    label_sets, quality, graph = synthetic_pool(n, seed=1)
    started = time.perf_counter()
    h = graph.propagate(label_sets, quality)
    build = time.perf_counter() - started
    times = []
    for _ in range(3):
        sel, seconds = timed_select(label_sets, quality, graph, budget)
        times.append(seconds)
    ours = min(times)
    full, full_seconds = timed_select(label_sets, quality, graph, 50, lazy=False)  # our non-lazy mode, for the record
    assert full.indices.tolist() == sel.indices[:50].tolist()
    m = min(dense_picks, budget)
    picks, dense_seconds = dense_official(h, m)
    same = int(np.sum(picks == sel.indices[:m]))
    first_diff = int(np.argmax(picks != sel.indices[:m]))
    assert same == m, f"dense official-style picks differ from ours at position {first_diff}"
    per_pick = dense_seconds / m
    return {"n": n, "budget": budget, "nnz_h": int(h.nnz), "h_build_s": build, "ours_s": ours,
            "ours_runs_s": times, "ours_full_50_picks_s": full_seconds, "dense_picks_run": m,
            "dense_s": dense_seconds, "dense_s_per_pick": per_pick, "dense_s_for_budget": per_pick * budget,
            "extrapolated": m < budget, "ratio": per_pick * budget / ours, "identical_picks": same}


def part_b(budget: int = 50_000) -> dict:
    n = 1_000_000
    started = time.perf_counter()
    label_sets, quality, graph = synthetic_pool(n, seed=2)
    gen = time.perf_counter() - started
    rss_before = peak_rss_mb()
    sel, seconds = timed_select(label_sets, quality, graph, budget)
    return {"n": n, "budget": budget, "generate_s": gen, "select_s": seconds,
            "peak_rss_mb_after_generate": rss_before, "peak_rss_mb": peak_rss_mb(),
            "first_gain": float(sel.gains[0]), "last_gain": float(sel.gains[-1])}


def part_c() -> dict:
    from core.data import load_pool
    from core.embed import embed_texts, load_model
    from core.labels import extract_labels

    load_model()  # loading the model is not part of tagging

    out = {}
    shared = REPO.parent / "shared" / "data" / "pool_mixed.jsonl"
    pools = [("sample_data", load_pool(REPO / "sample_data" / "instructions.jsonl"))]
    if shared.exists():
        pools.append(("pool_mixed[:2000]", load_pool(shared).subset(range(2000))))
    for name, pool in pools:
        emb = embed_texts(pool.texts())  # the pool's own embeddings: the default cache, not timed
        with tempfile.TemporaryDirectory() as cache:  # a fresh cache: the first run embeds the candidates
            t0, c0 = time.perf_counter(), time.process_time()
            first = extract_labels(pool, emb, source="auto_tags", cache_dir=cache)
            t1, c1 = time.perf_counter(), time.process_time()
            extract_labels(pool, emb, source="auto_tags", cache_dir=cache)
            t2, c2 = time.perf_counter(), time.process_time()
        out[name] = {"records": len(pool), "candidates": first.report["candidates"],
                     "with_candidate_embedding_s": t1 - t0, "records_per_s_with": len(pool) / (t1 - t0),
                     "cpu_s_with": c1 - c0, "cached_candidates_s": t2 - t1,
                     "records_per_s_cached": len(pool) / (t2 - t1), "cpu_s_cached": c2 - c1,
                     "mean_tags": float(np.mean([len(r) for r in first.label_sets]))}
    return out


def released_sampler(src: str, sizes: list[int], picks: int, ours_s: float, n: int = 100_000,
                     budget: int = 2_000) -> list[dict]:
    """The released MIG sampler (yichengchen24/xsample 7ad6af1, ``mig.sampler.MIGSampler.sample``, imported from a
    checkout at ``src``, not copied) on the first ``sizes`` records of part (a)'s pool, ``picks`` picks each; its
    picks are asserted equal to ours. Two import shims, no code change: ``mig.data.Dataset`` becomes
    ``typing.List`` (``list[DataPoint][DataPoint]`` in its annotations fails on Python 3.11, the fixtures' fix) and
    an empty ``jsonlines`` module (only its file loader/dumper use it). Each pick copies the masked dense
    (N x K) float32 matrix and multiplies it, so its cost grows with N; the 100K figure is the largest run's
    per-record rate times 100K (setup likewise), a lower bound when the measured rate grows faster than N."""
    import types
    import typing

    import torch

    sys.path.insert(0, src)
    sys.modules.setdefault("jsonlines", types.ModuleType("jsonlines"))
    import mig.data  # noqa: E402 - the released package, from src

    mig.data.Dataset = typing.List
    from mig.data import DataPoint
    from mig.label import LabelGraph as ReleasedGraph, SimLabelGraph
    from mig.sampler import MIGSampler

    label_sets, quality, graph = synthetic_pool(n, seed=1)
    g = SimLabelGraph.__new__(SimLabelGraph)  # its graph without loading an embedding model: our weights
    ReleasedGraph.__init__(g)
    g._labels = list(graph.labels)
    g._label_to_index = {label: i for i, label in enumerate(g._labels)}
    g._W = torch.from_numpy(graph.weights.toarray().astype(np.float32))
    rows = []
    for m in sizes:
        pool = [DataPoint(labels=list(labels), score=float(q), raw={"i": i})
                for i, (labels, q) in enumerate(zip(label_sets[:m], quality[:m]))]
        sampler = MIGSampler(g, phi_type="pow", phi_a=1e-6, phi_b=0.8, prop_weight=1.0, norm=False)
        started = time.perf_counter()
        it = sampler.sample(pool, picks)
        got = [next(it).raw["i"]]
        first = time.perf_counter()
        got += [dp.raw["i"] for dp in it]
        per_pick = (time.perf_counter() - first) / (picks - 1)
        ours = select(label_sets[:m], quality[:m], graph, picks).indices.tolist()
        assert got == ours, f"released sampler's picks differ from ours at N={m}"
        rows.append({"n": m, "picks": picks, "setup_s": first - started, "per_pick_s": per_pick,
                     "load": " ".join(Path("/proc/loadavg").read_text().split()[:3])})
    big = rows[-1]
    scale = n / big["n"]
    total = big["setup_s"] * scale + big["per_pick_s"] * scale * budget
    rows.append({"n": n, "budget": budget, "extrapolated_s": total, "ours_s": ours_s, "ratio": total / ours_s})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("a", "b", "c"))
    parser.add_argument("--dense-picks", type=int, default=2000)
    parser.add_argument("--released", metavar="DIR", help="(a) also run the released sampler from a checkout of "
                        "yichengchen24/xsample (commit 7ad6af1) on the first --released-n records")
    parser.add_argument("--released-n", default="2000,5000,10000")
    parser.add_argument("--released-picks", type=int, default=40)
    parser.add_argument("--b-budget", type=int, default=50_000, help="picks in part (b)")
    parser.add_argument("--json", action="store_true", help="print one JSON object (used for the child process)")
    args = parser.parse_args()
    results = {}
    if args.only in (None, "a"):
        results["a"] = part_a(args.dense_picks)
        a = results["a"]
        print(f"(a) N={a['n']:,} K={K} budget={a['budget']:,}: ours {a['ours_s']:.2f} s "
              f"(H build {a['h_build_s']:.2f} s of it), dense official-style {a['dense_s_for_budget']:.1f} s"
              f"{' (extrapolated from ' + str(a['dense_picks_run']) + ' picks)' if a['extrapolated'] else ''}; "
              f"ratio {a['ratio']:.0f}x; identical picks: {a['identical_picks']}", flush=True)
        if args.released:
            rows = released_sampler(args.released, [int(m) for m in args.released_n.split(",")],
                                    args.released_picks, a["ours_s"])
            for r in rows[:-1]:
                print(f"(a) released sampler, first {r['n']:,} records, {r['picks']} picks (same as ours): setup "
                      f"{r['setup_s']:.1f} s, {r['per_pick_s']:.3f} s per pick; load {r['load']}", flush=True)
            r = rows[-1]
            print(f"(a) released sampler extrapolated to N={r['n']:,}, {r['budget']:,} picks (linear in N from the "
                  f"largest run): {r['extrapolated_s']:,.0f} s = {r['ratio']:,.0f}x ours", flush=True)
            a["released"] = rows
    if args.only == "b":
        results["b"] = part_b(args.b_budget)
    elif args.only is None:
        child = subprocess.run([sys.executable, __file__, "--only", "b", "--json"], capture_output=True, text=True,
                               check=True)
        results["b"] = json.loads(child.stdout.strip().splitlines()[-1])["b"]
    if "b" in results and not args.json:
        b = results["b"]
        print(f"(b) N={b['n']:,} budget={b['budget']:,}: select {b['select_s']:.1f} s, peak RSS "
              f"{b['peak_rss_mb'] / 1024:.2f} GB "
              f"(after generating the pool: {b['peak_rss_mb_after_generate'] / 1024:.2f} GB)",
              flush=True)
    if args.only in (None, "c"):
        results["c"] = part_c()
        for name, c in results["c"].items():
            print(f"(c) {name}: {c['records']} records, {c['candidates']} candidate phrases; "
                  f"{c['records_per_s_with']:.0f} records/s incl. candidate embedding "
                  f"(CPU {c['cpu_s_with']:.1f} s), {c['records_per_s_cached']:.0f} records/s with cached candidates "
                  f"(CPU {c['cpu_s_cached']:.2f} s); {c['mean_tags']:.2f} tags/record")
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
