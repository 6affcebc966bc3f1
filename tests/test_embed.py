"""Embedding: unit float32 rows, input order kept, on-disk cache hit on the second call, precomputed input."""

from __future__ import annotations

import numpy as np
import pytest

from core import embed
from core.errors import SiftError, InputError

TEXTS = [
    "Write a Python function that reverses a linked list.",
    "What is the capital of Australia?",
    "Summarise the following paragraph in one sentence.",
    "Compose a haiku about autumn rain.",
]


def test_embeddings_are_unit_float32_and_meaningful(tmp_path):
    X = embed.embed_texts(TEXTS, cache_dir=tmp_path)
    assert X.shape == (4, 384) and X.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-5)
    # A paraphrase is closer to its original than to an unrelated text.
    para = embed.embed_texts(["Which city is Australia's capital?"], cache_dir=tmp_path)[0]
    assert para @ X[1] > para @ X[0] + 0.3


def test_order_is_kept_despite_length_sorting(tmp_path):
    X = embed.embed_texts(TEXTS, cache_dir=tmp_path, batch_size=1)
    for i, text in enumerate(TEXTS):
        single = embed.embed_texts([text], cache_dir=tmp_path)[0]
        np.testing.assert_allclose(X[i], single, atol=1e-5)


def test_second_call_hits_the_cache(tmp_path, monkeypatch):
    calls = []
    first = embed.embed_texts(TEXTS, cache_dir=tmp_path, progress=lambda f, m: calls.append(f))
    assert calls and calls[-1] == 1.0
    assert embed.cache_path(TEXTS, cache_dir=tmp_path).exists()

    def boom(*args, **kwargs):
        raise AssertionError("the model must not be loaded on a cache hit")

    monkeypatch.setattr(embed, "load_model", boom)
    again = embed.embed_texts(TEXTS, cache_dir=tmp_path)
    np.testing.assert_array_equal(first, again)
    # A different text list is a different cache key, so it would need the model.
    with pytest.raises(AssertionError):
        embed.embed_texts(TEXTS[:3], cache_dir=tmp_path)


def test_cache_key_depends_on_model_and_text_boundaries(tmp_path):
    assert embed.cache_path(["ab", "c"], cache_dir=tmp_path) != embed.cache_path(["a", "bc"], cache_dir=tmp_path)
    assert embed.cache_path(["a"], "m1", tmp_path) != embed.cache_path(["a"], "m2", tmp_path)


def test_bad_inputs(tmp_path):
    with pytest.raises(SiftError, match="empty"):
        embed.embed_texts([], cache_dir=tmp_path)
    with pytest.raises(InputError, match="line 2"):
        embed.embed_texts(["ok", 3], cache_dir=tmp_path)
    with pytest.raises(SiftError, match="could not load embedding model"):
        embed.load_model(str(tmp_path / "no-such-model"))


def test_precomputed_embeddings(tmp_path):
    raw = np.array([[3.0, 4.0], [0.0, 2.0]])
    path = tmp_path / "emb.npy"
    np.save(path, raw)
    X = embed.load_precomputed(path, 2)
    assert X.dtype == np.float32
    np.testing.assert_allclose(X, [[0.6, 0.8], [0.0, 1.0]], atol=1e-7)
    with pytest.raises(InputError, match=r"shape \(3, d\)"):
        embed.load_precomputed(path, 3)
    np.save(path, np.array([[1.0, np.nan], [1.0, 0.0]]))
    with pytest.raises(InputError, match="row 1"):
        embed.load_precomputed(path, 2)
    obj = tmp_path / "obj.npy"
    np.save(obj, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(InputError, match="cannot read"):  # never unpickled
        embed.load_precomputed(obj, 1)
