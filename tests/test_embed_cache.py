"""The on-disk embedding cache recovers from a corrupt entry: it warns, recomputes and rewrites it."""

from __future__ import annotations

import numpy as np
import pytest


def test_corrupt_embedding_cache_is_recomputed(tmp_path):
    from core import embed

    texts = ["one", "two"]
    path = embed.chunk_file(embed.cache_path(texts, embed.DEFAULT_MODEL, tmp_path), 0, 2)  # the one chunk
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not an npy file")
    with pytest.warns(embed.CacheWarning, match="recomputing"):
        X = embed.embed_texts(texts, cache_dir=tmp_path)
    assert X.shape[0] == 2
    assert np.array_equal(np.load(path, allow_pickle=False), X)
    again = embed.embed_texts(texts, cache_dir=tmp_path)  # the rewritten entry is read back as it is
    assert np.array_equal(again, X)
