"""Embedding backends, measured in one run: raw sentence-transformers against the project's paths.

(a) Speed and agreement on the same texts (``--n`` seeded records of the shared pool, or the sample): raw
    ``SentenceTransformer.encode`` (the baseline), the project's default (``core.embed.embed_texts``, backend
    auto, cache off), ONNX Runtime fp32 and ONNX Runtime int8 (``core.embed_backends``), plus any ``--variants``
    (int8 recipes of ``build_variant``), each at the ``--threads`` counts (torch's ``set_num_threads`` and ONNX
    Runtime's intra-op pool alike). The methods are timed in rotation, ``--repeats`` rounds, the median round
    reported beside the median CPU seconds (the machine is shared: the load average is printed beside every
    figure). Ratios are against the raw encode at the same thread count, cosines against the raw encode's vectors.
(b) ``--picks``: what int8 changes where it matters. The whole pool (``--pool``, default the shared
    ``pool_mixed.jsonl``) is embedded with ONNX fp32 and each int8 graph (``--variants``, default the
    ``onnx-int8`` backend; arrays cached in ``--work``, default /tmp/sift_bench_embedding, so a re-run does not
    embed again), then MIG, NovelSelect and k-center pick ``--budget`` records (default 1,000) from each, and the
    Jaccard overlap with the fp32 picks is reported beside baselines (fp32 rounded through float16; Gaussian noise
    of a given mean cosine, ``--noise``; another seed) and beside each selector's own objective of the picked set
    evaluated on the fp32 vectors. The labels MIG uses are the automatic labels built from the same pool vectors
    (as ``build_features`` does when it embeds the pool itself); the label vocabulary and the label graph use the
    torch model in every run, as the CLI's ``--backend`` does (it applies to the pool's vectors only).
(c) ``--screen RECIPE ...``: the cheap first look: cosine to fp32 and CPU seconds relative to fp32 of int8 recipes
    on ``--n`` texts (one layer or MatMul kind at a time, weight-only ``MatMulNBits``, options), before the pool.

Run: ``nice python benchmarks/bench_embedding.py`` (a), ``nice python benchmarks/bench_embedding.py --picks``
(b; minutes per backend on 2 shared cores), ``... --screen current dyn:up nbits:8:32:4 --n 200 --threads 1`` (c).
Model exports go to the sift cache (``$SIFT_CACHE_DIR``); the recipes' graphs to ``--work``/variants.
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


def speed(texts: list, threads: list, repeats: int, batch_size: int, recipes: tuple = (),
          work: Path = Path("/tmp/sift_bench_embedding")) -> None:
    """Part (a): texts/s and cosine to the raw encode for every method and thread count (``recipes``: extra int8
    graphs built by ``build_variant``, timed in the same rotation)."""
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
    for recipe in recipes:
        for t in threads:
            encoders[t][recipe] = variant_encoder(recipe, work, t)
        methods[f"ONNX Runtime {recipe}"] = (lambda r: lambda t: encoders[t][r].encode(texts, batch_size=batch_size))(
            recipe)
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


#: The MatMul kinds of a BERT layer in the fused export, by the tail of the node name.
KINDS = {"attn": "attention/output/dense/MatMul", "up": "intermediate/dense/MatMul", "down": "/output/dense/MatMul"}


def _matmuls(fp32: Path, kinds: str = "attn+up+down", layers: str = "") -> list:
    """Names of the fp32 graph's MatMul nodes of the given kinds (``+``-joined) in the given layers ("0-5", "1,3")."""
    import onnx

    wanted = set()
    for part in filter(None, layers.split(",")):
        lo, _, hi = part.partition("-")
        wanted.update(range(int(lo), int(hi or lo) + 1))
    names = []
    for node in onnx.load(str(fp32)).graph.node:
        if node.op_type != "MatMul":
            continue
        kind = [k for k in kinds.split("+") if node.name.endswith(KINDS[k])
                and not (k == "down" and "attention/" in node.name)]
        layer = int(node.name.split("layer.")[1].split("/")[0]) if "layer." in node.name else -1
        if kind and (not wanted or layer in wanted):
            names.append(node.name)
    return names


def build_variant(recipe: str, fp32: Path, out: Path) -> None:
    """Write the int8 graph ``recipe`` names (of the fused fp32 export ``fp32``) to ``out``. Recipes:

    - ``current``: what ``--backend onnx-int8`` builds (``core.embed_backends._quantize``);
    - ``dyn:KINDS[:LAYERS][:OPTS]``: dynamic int8 (``quantize_dynamic``) of the MatMuls of those kinds (``attn``,
      ``up``, ``down``; ``+``-joined) in those layers; OPTS ``+``-joined from ``tensor`` (per-tensor scales),
      ``reduce`` (reduce_range), ``u8w`` (unsigned weights), ``asym`` (asymmetric activations off: ActivationSymmetric
      true), ``constb`` (MatMulConstBOnly);
    - ``nbits:BITS:BLOCK:ACC[:KINDS[:LAYERS]][:sym]``: weight-only blockwise quantisation to ``MatMulNBits``
      (``MatMulNBitsQuantizer``, needs onnx-ir); ACC is the node's accuracy_level (0: fp32 compute, 4: int8 compute
      with activations quantised per block).
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    parts = recipe.split(":")
    if recipe == "current":
        from core.embed_backends import _quantize

        _quantize(fp32, out)
    elif parts[0] == "dyn":
        kinds = parts[1] if len(parts) > 1 else "attn+up+down"
        layers = parts[2] if len(parts) > 2 else ""
        opts = set(parts[3].split("+")) if len(parts) > 3 else set()
        extra = {"DefaultTensorType": onnx.TensorProto.FLOAT}
        if "asym" in opts:
            extra["ActivationSymmetric"] = True
        if "constb" in opts:
            extra["MatMulConstBOnly"] = True
        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QUInt8 if "u8w" in opts else QuantType.QInt8,
                         per_channel="tensor" not in opts, reduce_range="reduce" in opts,
                         op_types_to_quantize=["MatMul"], nodes_to_quantize=_matmuls(fp32, kinds, layers),
                         extra_options=extra)
    elif parts[0] == "nbits":
        try:
            from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
        except ImportError as exc:  # onnxruntime's quantizer imports onnx_ir, which the app does not need
            raise SystemExit(f"nbits recipes need onnx-ir (pip install onnx-ir==1.1.0): {exc}") from exc

        bits, block, acc = int(parts[1]), int(parts[2]), int(parts[3])
        kinds = parts[4] if len(parts) > 4 else "attn+up+down"
        layers = parts[5] if len(parts) > 5 else ""
        keep = set(_matmuls(fp32, kinds, layers))
        skip = [n for n in _matmuls(fp32) if n not in keep]
        q = MatMulNBitsQuantizer(str(fp32), bits=bits, block_size=block, is_symmetric="sym" in parts,
                                 accuracy_level=acc, nodes_to_exclude=skip)
        q.process()
        q.model.save_model_to_file(str(out), False)
    else:
        raise SystemExit(f"unknown recipe {recipe!r}")


def variant_encoder(recipe: str, work: Path, threads: int):
    """An OnnxEncoder for ``recipe`` (``onnx`` is the fp32 export itself), its graph built once into ``work``."""
    import hashlib

    from core.embed import default_cache_dir, resolve_model
    from core.embed_backends import OnnxEncoder, export_onnx
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(resolve_model(), device="cpu")
    fp32 = export_onnx(st, resolve_model(), str(default_cache_dir()))
    if recipe == "onnx":
        return OnnxEncoder(st, fp32, threads=threads)
    out = work / "variants" / f"{hashlib.sha256((str(fp32) + recipe).encode()).hexdigest()[:12]}.onnx"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".tmp.onnx")
        build_variant(recipe, fp32, tmp)
        os.replace(tmp, out)
    return OnnxEncoder(st, out, threads=threads)


def screen(texts: list, recipes: list, work: Path, threads: int, repeats: int, batch_size: int) -> None:
    """``--screen``: cosine to the fp32 export and CPU seconds relative to it, for each recipe on the same texts."""
    fp32 = variant_encoder("onnx", work, threads)
    encoders = {r: variant_encoder(r, work, threads) for r in recipes}
    print(f"{len(texts):,} texts, {threads} thread(s), median of {repeats}; load average at start {loadavg()}")
    cpu: dict = {r: [] for r in ["onnx", *recipes]}
    vectors: dict = {}
    for _ in range(repeats):
        for r, enc in [("onnx", fp32), *encoders.items()]:
            began = time.process_time()
            vectors[r] = enc.encode(texts, batch_size=batch_size, normalize_embeddings=True)
            cpu[r].append(time.process_time() - began)
    base = float(np.median(cpu["onnx"]))
    print("\n| recipe | CPU s | fp32 CPU s / this | min cos to fp32 | mean cos | 1st pct |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in ["onnx", *recipes]:
        cos = (vectors[r] * vectors["onnx"]).sum(axis=1)
        sec = float(np.median(cpu[r]))
        print(f"| {r} | {sec:.1f} | {base / sec:.2f}x | {cos.min():.6f} | {cos.mean():.6f} | "
              f"{np.quantile(cos, 0.01):.6f} |", flush=True)
    print(f"load average at the end {loadavg()}")


def embed_pool_with(backend: str, texts: list, work: Path, batch_size: int, threads: int = 0) -> np.ndarray:
    """The pool's vectors under ``backend`` (``onnx``, ``onnx-int8`` or a ``build_variant`` recipe), cached in
    ``work`` by backend and text hash (computed once). ``threads`` 0: the backend's own choice."""
    import hashlib

    from core.embed import default_cache_dir, resolve_model, texts_hash
    from core.embed_backends import load_encoder

    key = backend if backend in ("onnx", "onnx-int8") else "v-" + hashlib.sha256(backend.encode()).hexdigest()[:10]
    path = work / f"{key}-{texts_hash(texts)[:16]}.npy"
    if path.exists():
        print(f"{backend}: cached {path}")
        return np.load(path, allow_pickle=False)
    if backend in ("onnx", "onnx-int8"):
        encoder = load_encoder(resolve_model(), backend, cache_dir=str(default_cache_dir()), threads=threads or None)
    else:
        encoder = variant_encoder(backend, work, threads or None)
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


def with_noise(X: np.ndarray, cosine: float, seed: int = 0) -> np.ndarray:
    """``X`` plus isotropic Gaussian noise sized so that the mean cosine to ``X`` is about ``cosine``, re-normalised
    (a perturbation with no structure, to see how large a change each selector's picks survive)."""
    eps = np.sqrt(max(1.0 / cosine ** 2 - 1.0, 0.0))  # |x| = 1, |noise| = eps: cos = 1 / sqrt(1 + eps^2)
    noise = np.random.default_rng(seed).standard_normal(X.shape).astype(np.float32) * (eps / np.sqrt(X.shape[1]))
    Y = X + noise
    return Y / np.linalg.norm(Y, axis=1, keepdims=True)


def covering_radius(X: np.ndarray, picks: list) -> float:
    """k-center's objective on ``X``: the largest distance from a pool row to its nearest pick (lower is better)."""
    P = X[np.asarray(picks)]
    best = np.empty(X.shape[0], dtype=np.float32)
    for lo in range(0, X.shape[0], 4096):
        best[lo:lo + 4096] = (X[lo:lo + 4096] @ P.T).max(axis=1)
    return float(np.sqrt(max(0.0, 2.0 - 2.0 * float(best.min()))))


def picks(pool_path: Path, work: Path, budget: int, batch_size: int, recipes: list, noise: list,
          threads: int = 0) -> None:
    """Part (b): Jaccard overlap of MIG, NovelSelect and k-center picks on int8 against fp32 vectors.

    Baselines from the same run say how much any change moves these picks: fp32 vectors rounded through float16 and
    re-normalised (a perturbation far smaller than int8's), Gaussian noise of a given mean cosine (``--noise``),
    and another seed on the fp32 vectors (NovelSelect and k-center start from a seeded record; MIG has no seed).
    Beside each Jaccard, the selector's own objective of the picked set evaluated on the fp32 vectors and fp32
    labels (MIG: E(S), higher is better; NovelSelect: NovelSum with the pool's density, higher; k-center: covering
    radius of the pool, lower), so a different pick set can be told apart from a worse one.
    """
    from dataclasses import replace

    from core.data import load_pool
    from core.information import information
    from core.labels import extract_labels
    from core.metrics import novelsum
    from core.pipeline import build_features, build_graph
    from core.selectors.registry import run

    pool = load_pool(pool_path)
    texts = pool.texts()
    arrays = {b: embed_pool_with(b, texts, work, batch_size, threads) for b in ["onnx", *recipes]}
    f16 = arrays["onnx"].astype(np.float16).astype(np.float32)
    arrays["fp32 via float16"] = f16 / np.linalg.norm(f16, axis=1, keepdims=True)
    for c in noise:
        arrays[f"noise, mean cos {c}"] = with_noise(arrays["onnx"], c)
    for name in arrays:
        cos = (arrays["onnx"] * arrays[name]).sum(axis=1)
        print(f"{name} vs fp32 cosine over {len(texts):,} records of {pool_path.name}: min {cos.min():.6f}, "
              f"mean {cos.mean():.6f}, 1st percentile {np.quantile(cos, 0.01):.6f}", flush=True)
    methods = ("mig", "novelselect", "kcenter")
    chosen: dict = {}
    ref: dict = {}
    for variant, X in arrays.items():
        began = time.perf_counter()
        features = build_features(pool, embeddings=X, labels="none")
        labels = extract_labels(pool, X, source="auto")  # automatic labels from these pool vectors
        with_labels = replace(features, label_sets=labels.label_sets, graph=build_graph(labels))
        if variant == "onnx":
            ref = {"X": X, "mig": with_labels}
        for method in methods:
            sel = run(method, with_labels if method == "mig" else features, budget)
            chosen[(variant, method)] = [int(i) for i in sel.indices[:budget]]
            if variant == "onnx" and method != "mig":
                other = run(method, features, budget, seed=43)
                chosen[("seed 43", method)] = [int(i) for i in other.indices[:budget]]
        print(f"  {variant}: picks done in {time.perf_counter() - began:.0f} s, load average {loadavg()}", flush=True)

    def objective(method: str, rows: list) -> float:
        if method == "kcenter":
            return covering_radius(ref["X"], rows)
        if method == "novelselect":
            return novelsum(ref["X"][np.asarray(rows)], reference=ref["X"])
        f = ref["mig"]
        return information(f.label_sets, f.quality, f.graph, np.asarray(rows))

    def cell(a: str, method: str) -> str:
        if (a, method) not in chosen:
            return "-"
        x, y = set(chosen[(a, method)]), set(chosen[("onnx", method)])
        return f"{len(x & y) / len(x | y):.3f} ({len(x & y):,}; {objective(method, chosen[(a, method)]):.4f})"

    names = [n for n in arrays if n != "onnx"] + ["seed 43"]
    print(f"\nJaccard vs the fp32 picks at budget {budget:,} (shared picks; the selector's objective of the set on "
          "fp32 vectors/labels: MIG E(S) and NovelSum higher, k-center covering radius lower is better)")
    print("| selector | fp32 objective | " + " | ".join(names) + " |")
    print("|---|---:|" + "---:|" * len(names))
    for method in methods:
        print(f"| {method} | {objective(method, chosen[('onnx', method)]):.4f} | "
              + " | ".join(cell(n, method) for n in names) + " |")
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
    ap.add_argument("--variants", nargs="+", metavar="RECIPE",
                    help="int8 graphs beside fp32 (onnx-int8 or build_variant recipes; 'none': no int8 in --picks)")
    ap.add_argument("--noise", default="", help="--picks: mean cosines of Gaussian-noise baselines, e.g. 0.9999,0.999")
    ap.add_argument("--pick-threads", action="store_true", help="--picks: embed at the first --threads count")
    ap.add_argument("--screen", nargs="+", metavar="RECIPE",
                    help="cosine to fp32 and CPU time of int8 recipes (build_variant) on --n texts, 1st --threads")
    args = ap.parse_args()
    if args.screen:
        texts = pool_texts(args.pool)
        idx = np.random.default_rng(args.seed).choice(len(texts), size=min(args.n, len(texts)), replace=False)
        screen([texts[i] for i in idx], args.screen, args.work, int(args.threads.split(",")[0]), args.repeats,
               args.batch_size)
        return
    if args.picks:
        recipes = [v for v in (args.variants or ["onnx-int8"]) if v != "none"]
        threads = int(args.threads.split(",")[0]) if args.pick_threads else 0
        noise = [float(c) for c in args.noise.split(",") if c]
        picks(args.pool, args.work, args.budget, args.batch_size, recipes, noise, threads)
        return
    texts = pool_texts(args.pool)
    rng = np.random.default_rng(args.seed)
    idx = rng.choice(len(texts), size=min(args.n, len(texts)), replace=False)
    speed([texts[i] for i in idx], [int(t) for t in args.threads.split(",")], args.repeats, args.batch_size,
          tuple(v for v in (args.variants or ()) if v not in ("none", "onnx-int8")), args.work)


if __name__ == "__main__":
    main()
