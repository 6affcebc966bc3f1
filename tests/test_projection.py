"""core.projection: UMAP/PCA map coordinates and k-means clusters."""

import numpy as np
import pytest

from core import projection
from core.errors import SiftError


def _blobs(n_per: int = 40, centers: int = 3, d: int = 16, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    means = rng.normal(size=(centers, d)) * 5
    X = np.concatenate([means[c] + rng.normal(scale=0.3, size=(n_per, d)) for c in range(centers)])
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    return X.astype(np.float32), np.repeat(np.arange(centers), n_per)


def test_umap_shape_and_determinism():
    X, _ = _blobs()
    a = projection.project(X, seed=3)
    b = projection.project(X, seed=3)
    assert a.shape == (120, 2) and a.dtype == np.float32
    assert np.isfinite(a).all()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, projection.project(X, seed=4))  # the seed is used: another seed, another layout


def test_umap_separates_blobs():
    X, y = _blobs()
    Y = projection.project(X, method="umap", seed=0)
    centroids = np.stack([Y[y == c].mean(axis=0) for c in range(3)])
    spread = max(np.linalg.norm(Y[y == c] - centroids[c], axis=1).mean() for c in range(3))
    gaps = [np.linalg.norm(centroids[i] - centroids[j]) for i in range(3) for j in range(i + 1, 3)]
    assert min(gaps) > 2 * spread


def test_small_n_falls_back_to_pca():
    X, _ = _blobs(n_per=5)  # 15 rows < MIN_UMAP_N
    Y = projection.project(X)
    np.testing.assert_allclose(Y, projection.pca(X), rtol=1e-5, atol=1e-6)
    # PCA coordinates are centred and ordered by variance
    np.testing.assert_allclose(Y.mean(axis=0), 0, atol=1e-5)
    assert Y[:, 0].var() >= Y[:, 1].var()


def test_pca_when_asked_and_degenerate_inputs():
    X, _ = _blobs()
    assert projection.project(X, method="pca").shape == (120, 2)
    assert projection.project(np.zeros((0, 8))).shape == (0, 2)
    np.testing.assert_array_equal(projection.project(np.ones((1, 8))), np.zeros((1, 2)))
    assert projection.pca(np.eye(3, 1)).shape == (3, 2)  # rank 1 -> second column zero-padded


def test_bad_method_and_shape():
    with pytest.raises(SiftError):
        projection.project(np.zeros((10, 4)), method="tsne")
    with pytest.raises(SiftError):
        projection.project(np.zeros(10))


def test_large_pool_fits_on_sample_and_transforms_rest(monkeypatch):
    monkeypatch.setattr(projection, "SAMPLE_FIT_N", 100)
    monkeypatch.setattr(projection, "FIT_SAMPLE", 60)
    X, y = _blobs(n_per=50)
    messages = []
    Y = projection.project(X, seed=1, progress=lambda f, m: messages.append(m))
    assert Y.shape == (150, 2) and np.isfinite(Y).all()
    assert any("sample of 60" in m for m in messages)
    # transformed rows land next to their own blob
    centroids = np.stack([Y[y == c].mean(axis=0) for c in range(3)])
    nearest = np.argmin(np.linalg.norm(Y[:, None, :] - centroids[None], axis=2), axis=1)
    assert (nearest == y).mean() > 0.95


def test_clusters_recover_blobs_and_are_seeded():
    X, y = _blobs(n_per=30)
    c = projection.clusters(X, k=3, seed=0)
    assert c.dtype == np.int64 and set(c) == {0, 1, 2}
    # each true blob maps to exactly one cluster
    assert all(len(set(c[y == b])) == 1 for b in range(3))
    np.testing.assert_array_equal(c, projection.clusters(X, k=3, seed=0))


def test_clusters_numbered_by_size_and_k_capped():
    X, _ = _blobs(n_per=10)
    X = np.concatenate([X, X[:10] + 1e-3])  # blob 0 now twice as big
    c = projection.clusters(X, k=3, seed=0)
    counts = np.bincount(c)
    assert list(counts) == sorted(counts, reverse=True)
    assert len(set(projection.clusters(X[:2], k=8))) <= 2
    with pytest.raises(SiftError):
        projection.clusters(X, k=0)


def test_clusters_of_large_pool_fit_on_sample(monkeypatch):
    monkeypatch.setattr(projection, "CLUSTER_FIT_N", 40)
    X, y = _blobs(n_per=30)
    c = projection.clusters(X, k=3, seed=0)
    assert len(c) == 90 and all(len(set(c[y == b])) == 1 for b in range(3))
