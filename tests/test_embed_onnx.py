"""The ONNX Runtime backend agrees with the torch model on the 455-record sample; exports are made once and reused.

Skipped when onnxruntime is not installed. The model is exported once per session (fixture) into the session's
cache folder (``SIFT_CACHE_DIR``, a temporary folder set by conftest), which the CLI test reuses; the torch
reference vectors come from the same on-disk cache that other tests share.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")

from core.data import load_pool  # noqa: E402
from core.cli import main  # noqa: E402
from core.embed import cache_path, default_cache_dir, embed_texts, resolve_model  # noqa: E402
from core.embed_backends import check_backend, export_dir, load_encoder, onnx_threads, resolve_device  # noqa: E402
from core.errors import SiftError  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "instructions.jsonl"


@pytest.fixture(scope="session")
def sample_texts() -> list:
    return load_pool(SAMPLE).texts()


@pytest.fixture(scope="session")
def torch_vectors(sample_texts) -> np.ndarray:
    return embed_texts(sample_texts, backend="torch")


@pytest.fixture(scope="session")
def onnx_cache() -> Path:
    return default_cache_dir()


@pytest.fixture(scope="session")
def fp32(onnx_cache):
    return load_encoder(resolve_model(), "onnx", cache_dir=str(onnx_cache), threads=1)


def test_onnx_fp32_agrees_with_torch_on_the_sample(sample_texts, torch_vectors, fp32):
    X = embed_texts(sample_texts, backend="onnx")  # the project's path, in the session cache beside torch's
    onnx_folder, torch_folder = cache_path(sample_texts, backend="onnx"), cache_path(sample_texts, backend="torch")
    assert onnx_folder.is_dir() and torch_folder.is_dir() and onnx_folder != torch_folder  # a key per backend
    assert X.shape == torch_vectors.shape == (455, 384) and X.dtype == np.float32
    cos = (X * torch_vectors).sum(axis=1)
    assert cos.min() >= 0.999, cos.min()  # fp32: the same arithmetic up to rounding
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-5)


def test_onnx_int8_stays_close_to_torch_on_the_sample(sample_texts, torch_vectors, onnx_cache, fp32):
    q8 = load_encoder(resolve_model(), "onnx-int8", cache_dir=str(onnx_cache), threads=1)
    X = q8.encode(sample_texts, batch_size=64)
    assert q8.onnx_path.name == "model-int8.onnx" and q8.onnx_path.parent == fp32.onnx_path.parent
    cos = (X * torch_vectors).sum(axis=1)
    # Per-channel int8 weights: measured min 0.98 / mean 0.993 on pool texts; per-tensor scales fall to 0.89.
    assert cos.min() >= 0.95 and cos.mean() >= 0.99, (cos.min(), cos.mean())
    assert cos.mean() < 0.99999  # int8 really is another vector set (so it needs its own cache key)


def test_export_is_made_once_and_reused(onnx_cache, fp32):
    folder = export_dir(resolve_model(), onnx_cache)
    model = folder / "model.onnx"
    stamp = model.stat().st_mtime_ns
    load_encoder.cache_clear()
    again = load_encoder(resolve_model(), "onnx", cache_dir=str(onnx_cache), threads=1)
    assert again.onnx_path == model and model.stat().st_mtime_ns == stamp
    assert not [p for p in folder.iterdir() if p.name.startswith(".export-")]  # no temporary folder left


def test_default_backend_is_onnx_for_the_bundled_model_only(sample_texts, tmp_path):
    from core.defaults import DEFAULT_BACKEND
    from core.embed import resolve_backend

    assert DEFAULT_BACKEND == "auto" and resolve_backend() == "onnx"
    assert resolve_backend("auto", "sentence-transformers/all-MiniLM-L6-v2") == "onnx"
    assert resolve_backend("auto", str(tmp_path / "another-model")) == "torch"  # any other model: torch as before
    assert resolve_backend("torch") == "torch" and resolve_backend("onnx-int8") == "onnx-int8"
    assert cache_path(sample_texts) == cache_path(sample_texts, backend="onnx")  # auto shares onnx's cache key
    with pytest.raises(SiftError, match="resolved"):
        load_encoder(resolve_model(), "auto", cache_dir=str(tmp_path))


def test_bundled_bert_export_is_fused_for_the_cpu(fp32):
    import onnx

    graph = onnx.load(str(fp32.onnx_path), load_external_data=False).graph
    ops = [n.op_type for n in graph.node]
    # ONNX Runtime's BERT fusions found every layer's attention (the eager-attention trace), so the fp32 default
    # runs fused kernels; test_onnx_fp32_agrees_with_torch_on_the_sample checks it still computes torch's vectors.
    assert ops.count("Attention") == 6 and "SkipLayerNormalization" in ops and "Softmax" not in ops


def test_token_budget_batches_cover_every_text_once_longest_first(fp32, sample_texts):
    texts = sample_texts[:120]
    counts = fp32.token_counts(texts)
    assert counts.max() <= fp32.st_model.max_seq_length  # truncation stays the model's
    batches = fp32.batches(texts, batch_size=8)
    flat = np.concatenate(batches)
    assert sorted(flat.tolist()) == list(range(len(texts)))
    assert (np.diff(counts[flat]) <= 0).all()  # longest first, in tokens
    for idx in batches:
        width = counts[idx].max()
        assert len(idx) == 1 or len(idx) * width <= 8 * fp32.tokens_per_row
        assert len(idx) <= 8 * fp32.max_rows_factor
    assert len({len(b) for b in batches}) > 1  # short texts really share bigger batches


def test_vectors_do_not_depend_on_the_batching(fp32, sample_texts):
    texts = sample_texts[:40]
    X = fp32.encode(texts, batch_size=16)
    before = fp32.tokens_per_row, fp32.max_rows_factor
    try:
        fp32.tokens_per_row, fp32.max_rows_factor = 10 ** 9, 1  # fixed batches of 16, as raw encode forms them
        fixed = fp32.encode(texts, batch_size=16)
        single = np.vstack([fp32.encode([t]) for t in texts[:5]])
    finally:
        fp32.tokens_per_row, fp32.max_rows_factor = before
    np.testing.assert_allclose(X, fixed, atol=1e-5)
    np.testing.assert_allclose(X[:5], single, atol=1e-5)


def test_rows_come_back_in_input_order(fp32):
    texts = ["short", "a much longer text that sorts first because it is long", "mid length text"]
    X = fp32.encode(texts, batch_size=2)
    for i, text in enumerate(texts):
        np.testing.assert_allclose(X[i], fp32.encode([text])[0], atol=1e-5)


def test_device_auto_follows_torch(monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == "cuda"
    assert resolve_device("cpu") == "cpu"


def test_bad_backend_and_threads_are_clear_errors(monkeypatch):
    with pytest.raises(SiftError, match="unknown embedding backend 'tensorrt'"):
        check_backend("tensorrt")
    with pytest.raises(SiftError, match="positive integer"):
        onnx_threads(0)
    monkeypatch.setenv("SIFT_ONNX_THREADS", "two")
    with pytest.raises(SiftError, match="SIFT_ONNX_THREADS"):
        onnx_threads()
    monkeypatch.setenv("SIFT_ONNX_THREADS", "2")
    assert onnx_threads() == 2


def test_embed_command_takes_the_backend(tmp_path, capsys, fp32, monkeypatch):
    import json

    import core.embed as embed

    pool = tmp_path / "pool.jsonl"
    rows = [{"instruction": f"Explain topic number {i} briefly.", "input": "", "output": "ok"} for i in range(5)]
    pool.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "emb.npy"
    assert main(["embed", str(pool), "--backend", "onnx-int8", "--device", "auto", "-o", str(out)]) == 0
    first = capsys.readouterr().out
    assert "(onnx-int8)" in first and "computed" in first
    X = np.load(out, allow_pickle=False)
    torch_X = embed_texts([r["instruction"] for r in rows], cache_dir=tmp_path)
    assert X.shape == (5, 384) and (X * torch_X).sum(axis=1).min() >= 0.95

    def boom(*args, **kwargs):
        raise AssertionError("the cache should have answered")

    monkeypatch.setattr(embed, "load_model", boom)  # the int8 vectors are cached under their own key
    assert main(["embed", str(pool), "--backend", "onnx-int8"]) == 0
    assert "cache hit" in capsys.readouterr().out
    with pytest.raises(SystemExit) as refused:  # argparse refuses an unknown backend (usage error, exit 2)
        main(["embed", str(pool), "--backend", "tensorrt"])
    assert refused.value.code == 2 and "invalid choice: 'tensorrt'" in capsys.readouterr().err


def test_build_features_runs_the_backend_and_records_it(fp32):
    from core.pipeline import build_features

    pool = load_pool(SAMPLE)
    small = [pool.texts()[i] for i in range(6)]
    features = build_features(pool, labels="none", backend="onnx")
    assert features.extra["embedding_backend"] == "onnx" and features.extra["embedding_origin"] == "model"
    reference = fp32.encode(small)
    np.testing.assert_allclose(features.embeddings[:6], reference, atol=1e-5)
    given = build_features(pool, labels="none", embeddings=features.embeddings, backend="onnx-int8")
    assert given.extra["embedding_backend"] is None  # given vectors: no model ran, no backend to name


def test_auto_runs_torch_on_a_gpu(monkeypatch):
    """``auto`` picks the ONNX CPU export only on the CPU: with a GPU (device cuda, or auto when one is visible)
    the bundled model runs on torch, as any other model does, and the cache key follows the backend that runs."""
    import core.embed_backends as backends
    from core.embed import cache_path, resolve_backend

    assert resolve_backend("auto", device="cuda") == "torch"
    assert resolve_backend("auto", device="cpu") == "onnx"
    monkeypatch.setattr(backends, "gpu_visible", lambda: True)
    assert resolve_backend("auto", device="auto") == "torch"
    assert cache_path(["a"], backend="auto", device="auto") == cache_path(["a"], backend="torch")
    monkeypatch.setattr(backends, "gpu_visible", lambda: False)
    assert resolve_backend("auto", device="auto") == "onnx"
    assert cache_path(["a"], backend="auto", device="auto") == cache_path(["a"], backend="onnx")


def test_gpu_check_imports_torch_only_where_a_driver_exists(tmp_path):
    """Without a GPU driver file (and torch not imported yet) the check answers False without importing torch;
    with one present it asks torch (which sees no GPU on this machine's CPU wheel)."""
    import subprocess
    import sys

    driver = tmp_path / "nvidia0"
    code = ("import sys; from core.embed_backends import gpu_visible; "
            f"a = gpu_visible(({str(tmp_path / 'absent')!r},)); t1 = 'torch' in sys.modules; "
            f"open({str(driver)!r}, 'w').close(); b = gpu_visible(({str(driver)!r},)); t2 = 'torch' in sys.modules; "
            "print(a, t1, t2)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(Path(__file__).resolve().parents[1])).stdout.split()
    assert out[:2] == ["False", "False"]
    assert out[2] == "True"  # asked torch once a driver file existed
