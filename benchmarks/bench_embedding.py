"""Embedding backends, measured in one run: raw sentence-transformers against the project's paths.

(a) Speed and agreement on the same texts (``--n`` seeded records of the shared pool, or the sample): raw
    ``SentenceTransformer.encode`` (the baseline), the project's default (``core.embed.embed_texts``, backend
    auto, cache off), ONNX Runtime fp32 and ONNX Runtime int8 (``core.embed_backends``), each at 1 and 2 threads (torch's
    ``set_num_threads`` and ONNX Runtime's intra-op pool alike). The methods are timed in rotation, ``--repeats``
    rounds, the median round reported beside the median CPU seconds (the machine is shared: the load average is printed beside every figure). Ratios
    are against the raw encode at the same thread count, cosines against the raw encode's vectors (1 thread).
(b) ``--picks``: what int8 changes where it matters. The whole pool (``--pool``, default the shared
    ``pool_mixed.jsonl``) is embedded with ONNX fp32 and ONNX int8 (arrays cached in ``--work``, default
    /tmp/sift_bench_embedding, so a re-run does not embed again), then MIG, NovelSelect and k-center pick
    ``--budget`` records (default 1,000) from each, and the Jaccard overlap of the two pick sets is reported, beside
    two baselines (fp32 rounded through float16; another seed). The
    labels MIG uses are the automatic labels built from the same pool vectors (as ``build_features`` does when it
    embeds the pool itself); the label vocabulary and the label graph use the torch model in both runs, as the
    CLI's ``--backend`` does (it applies to the pool's vectors only).

Run: ``nice python benchmarks/bench_embedding.py`` (a) and ``nice python benchmarks/bench_embedding.py --picks``
(b; minutes per backend on 2 shared cores). Model exports go to the sift cache (``$SIFT_CACHE_DIR``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

SHARED_POOL = ROOT.parent / "shared" / "data" / "pool_mixed.jsonl"
SAMPLE = ROOT / "sample_data" / "instructions.jsonl"


def loadavg() -> str:
    return " ".join(open("/proc/loadavg").read().split()[:3])


def pool_texts(path: Path) -> list:
    from core.data import load_pool

    return load_pool(path).texts()


def speed(texts: list, threads: list, repeats: int, batch_size: int) -> None:
    """Part (a): texts/s and cosine to the raw encode for every method and thread count."""
    import torch
    from sentence_transformers import SentenceTransformer

    from core.embed import default_cache_dir, embed_texts, resolve_model
    from core.embed_backends import load_encoder

    path = resolve_model()
    raw = SentenceTransformer(path, device="cpu")
    cache = str(default_cache_dir())
    encoders = {t: {b: load_encoder(path, b, threads=t, cache_dir=cache) for b in ("onnx", "onnx-int8")}
                for t in threads}
    methods = {
        "raw SentenceTransformer.encode": lambda t: raw.encode(texts, batch_size=batch_size, convert_to_numpy=True,
                                                               normalize_embeddings=True, show_progress_bar=False),
        "project default (embed_texts, backend auto)": lambda t: embed_texts(texts, batch_size=batch_size,
                                                                           use_cache=False),
        "ONNX Runtime fp32": lambda t: encoders[t]["onnx"].encode(texts, batch_size=batch_size),
        "ONNX Runtime int8": lambda t: encoders[t]["onnx-int8"].encode(texts, batch_size=batch_size),
    }
    print(f"{len(texts):,} texts, mean {np.mean([len(x) for x in texts]):.0f} chars, batch {batch_size}, "
          f"{repeats} rounds (median shown); cores {os.cpu_count()}; load average at start {loadavg()}")
    reference = None
    rows = []
    for t in threads:
        torch.set_num_threads(t)
        wall: dict = {name: [] for name in methods}
        cpu: dict = {name: [] for name in methods}
        vectors: dict = {}
        start_load = loadavg()
        for _ in range(repeats):
            for name, run in methods.items():
                began, began_cpu = time.perf_counter(), time.process_time()
                X = np.asarray(run(t), dtype=np.float32)
                cpu[name].append(time.process_time() - began_cpu)
                wall[name].append(time.perf_counter() - began)
                vectors[name] = X
        if reference is None:
            reference = vectors["raw SentenceTransformer.encode"]
        base = np.median(wall["raw SentenceTransformer.encode"])
        base_cpu = np.median(cpu["raw SentenceTransformer.encode"])
        for name in methods:
            cos = (vectors[name] * reference).sum(axis=1)
            seconds, cpu_seconds = float(np.median(wall[name])), float(np.median(cpu[name]))
            rows.append((t, name, len(texts) / seconds, base / seconds, base_cpu / cpu_seconds, cos.min(),
                         cos.mean(), f"{start_load} -> {loadavg()}"))
    # CPU seconds (this process's) beside the wall time: on a shared machine the wall time of a run depends on what
    # the other jobs do in that moment; at 1 thread the CPU seconds are the work the method needs.
    print("\n| threads | method | texts/s (wall) | vs raw encode (wall) | vs raw encode (CPU s) | min cos | mean cos |"
          " load average (1/5/15 min) |")
    print("|---:|---|---:|---:|---:|---:|---:|---|")
    for t, name, rate, ratio, ratio_cpu, lo, mean, load in rows:
        print(f"| {t} | {name} | {rate:.1f} | {ratio:.2f}x | {ratio_cpu:.2f}x | {lo:.6f} | {mean:.6f} | {load} |")
    one = {name: rate for t, name, rate, *_ in rows if t == threads[0]}
    print(f"\nthreads: texts/s relative to {threads[0]} thread(s), same method")
    for t, name, rate, *_ in rows:
        if t != threads[0]:
            print(f"  {t} threads, {name}: {rate / one[name]:.2f}x")


def embed_pool_with(backend: str, texts: list, work: Path, batch_size: int) -> np.ndarray:
    """The pool's vectors under ``backend``, cached in ``work`` by backend and text hash (computed once)."""
    from core.embed import default_cache_dir, resolve_model, texts_hash
    from core.embed_backends import load_encoder

    path = work / f"{backend}-{texts_hash(texts)[:16]}.npy"
    if path.exists():
        print(f"{backend}: cached {path}")
        return np.load(path, allow_pickle=False)
    encoder = load_encoder(resolve_model(), backend, cache_dir=str(default_cache_dir()))
    began, load = time.perf_counter(), loadavg()
    order = np.argsort([-len(x) for x in texts], kind="stable")
    X = np.empty((len(texts), encoder.get_sentence_embedding_dimension()), dtype=np.float32)
    step = 512
    for lo in range(0, len(texts), step):  # longest first, as embed_texts does; progress for the impatient
        idx = order[lo:lo + step]
        X[idx] = encoder.encode([texts[i] for i in idx], batch_size=batch_size, normalize_embeddings=True)
        print(f"  {backend}: {min(lo + step, len(texts)):,} / {len(texts):,}", flush=True)
    seconds = time.perf_counter() - began
    print(f"{backend}: {len(texts):,} texts in {seconds:.0f} s ({len(texts) / seconds:.1f} texts/s), load average "
          f"{load} -> {loadavg()}, {encoder.threads} thread(s)")
    work.mkdir(parents=True, exist_ok=True)
    np.save(path, X, allow_pickle=False)
    return X


def picks(pool_path: Path, work: Path, budget: int, batch_size: int) -> None:
    """Part (b): Jaccard overlap of MIG, NovelSelect and k-center picks on int8 against fp32 vectors.

    Two baselines from the same run say how much any change moves these picks: fp32 vectors rounded through
    float16 and re-normalised (a perturbation far smaller than int8's), and another seed on the fp32 vectors
    (NovelSelect and k-center start from a seeded record; MIG has no seed).
    """
    from dataclasses import replace

    from core.data import load_pool
    from core.labels import extract_labels
    from core.pipeline import build_features, build_graph
    from core.selectors.registry import run

    pool = load_pool(pool_path)
    texts = pool.texts()
    arrays = {b: embed_pool_with(b, texts, work, batch_size) for b in ("onnx", "onnx-int8")}
    f16 = arrays["onnx"].astype(np.float16).astype(np.float32)
    arrays["fp32 via float16"] = f16 / np.linalg.norm(f16, axis=1, keepdims=True)
    for name in ("onnx-int8", "fp32 via float16"):
        cos = (arrays["onnx"] * arrays[name]).sum(axis=1)
        print(f"{name} vs fp32 cosine over {len(texts):,} records of {pool_path.name}: min {cos.min():.6f}, "
              f"mean {cos.mean():.6f}, 1st percentile {np.quantile(cos, 0.01):.6f}")
    methods = ("mig", "novelselect", "kcenter")
    chosen: dict = {}
    for variant, X in arrays.items():
        features = build_features(pool, embeddings=X, labels="none")
        labels = extract_labels(pool, X, source="auto")  # automatic labels from these pool vectors
        with_labels = replace(features, label_sets=labels.label_sets, graph=build_graph(labels))
        for method in methods:
            sel = run(method, with_labels if method == "mig" else features, budget)
            chosen[(variant, method)] = set(int(i) for i in sel.indices[:budget])
            if variant == "onnx" and method != "mig":
                other = run(method, features, budget, seed=43)
                chosen[("seed 43", method)] = set(int(i) for i in other.indices[:budget])
        print(f"  {variant}: picks done, load average {loadavg()}", flush=True)

    def jaccard(a: str, method: str) -> str:
        if (a, method) not in chosen:
            return "-"
        x, y = chosen[(a, method)], chosen[("onnx", method)]
        return f"{len(x & y) / len(x | y):.3f} ({len(x & y):,} shared)"

    print(f"\n| selector (budget {budget:,}) | Jaccard int8 vs fp32 | fp32 rounded via float16 vs fp32 | "
          "seed 43 vs seed 42, fp32 |")
    print("|---|---:|---:|---:|")
    for method in methods:
        print(f"| {method} | {jaccard('onnx-int8', method)} | {jaccard('fp32 via float16', method)} | "
              f"{jaccard('seed 43', method)} |")
    print(f"load average at the end {loadavg()}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=400, help="texts for the speed part (seeded sample of the pool)")
    ap.add_argument("--threads", default="1,2", help="thread counts to compare, comma separated")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pool", type=Path, default=SHARED_POOL if SHARED_POOL.exists() else SAMPLE)
    ap.add_argument("--picks", action="store_true", help="part (b): pick overlap int8 vs fp32 on the whole pool")
    ap.add_argument("--budget", type=int, default=1000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/sift_bench_embedding"))
    args = ap.parse_args()
    if args.picks:
        picks(args.pool, args.work, args.budget, args.batch_size)
        return
    texts = pool_texts(args.pool)
    rng = np.random.default_rng(args.seed)
    idx = rng.choice(len(texts), size=min(args.n, len(texts)), replace=False)
    speed([texts[i] for i in idx], [int(t) for t in args.threads.split(",")], args.repeats, args.batch_size)


if __name__ == "__main__":
    main()
