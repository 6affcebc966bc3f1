"""2-D map coordinates of embeddings (UMAP, PCA fallback) and k-means clusters for colouring.

UMAP (McInnes et al. 2018, umap-learn) runs with n_neighbors=15, min_dist=0.1, cosine metric and a fixed
``random_state``, so a seed gives the same map every time. Tiny pools (fewer than ``MIN_UMAP_N`` rows) use
PCA, which needs no neighbourhood graph. Pools of ``SAMPLE_FIT_N`` rows or more fit UMAP on a seeded random
sample of ``FIT_SAMPLE`` rows and place every other row with ``UMAP.transform`` (the fitted model embeds new
points into the same map), which keeps a 100K-row pool to a couple of minutes on a CPU instead of many.
"""

from __future__ import annotations

import warnings
from typing import Optional

import numpy as np

from core.errors import SiftError
from core.features import Progress

MIN_UMAP_N = 30
SAMPLE_FIT_N = 50_000
FIT_SAMPLE = 20_000
CLUSTER_FIT_N = 20_000
METHODS = ("auto", "umap", "pca")


def _as_matrix(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 2:
        raise SiftError(f"embeddings must be a 2-D array, got shape {X.shape}")
    return X


def pca(X: np.ndarray, *, dims: int = 2, seed: int = 0) -> np.ndarray:
    """The first ``dims`` principal components of ``X`` (float32; zero-padded when rank is smaller)."""
    from sklearn.decomposition import PCA

    X = _as_matrix(X)
    n, d = X.shape
    out = np.zeros((n, dims), dtype=np.float32)
    k = min(dims, n, d)
    if n < 2 or k < 1:
        return out
    out[:, :k] = PCA(n_components=k, random_state=seed).fit_transform(X).astype(np.float32)
    return out


def _umap(n: int, *, seed: int, n_neighbors: int, min_dist: float, metric: str):
    import umap

    return umap.UMAP(n_neighbors=min(n_neighbors, n - 1), min_dist=min_dist, metric=metric, n_components=2,
                     random_state=seed, n_jobs=1)


def project(X: np.ndarray, *, method: str = "auto", seed: int = 0, n_neighbors: int = 15, min_dist: float = 0.1,
            metric: str = "cosine", progress: Optional[Progress] = None) -> np.ndarray:
    """(n, 2) float32 map coordinates of the rows of ``X``.

    ``method``: "umap", "pca", or "auto" (UMAP unless the pool has fewer than ``MIN_UMAP_N`` rows).
    """
    if method not in METHODS:
        raise SiftError(f"projection method must be one of {', '.join(METHODS)}, got {method!r}")
    X = _as_matrix(X)
    n = X.shape[0]
    if method == "pca" or (method == "auto" and n < MIN_UMAP_N) or n < 4:
        return pca(X, seed=seed)
    report = progress or (lambda fraction, message: None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba / umap chatter about threads and spectral init
        if n < SAMPLE_FIT_N:
            report(0.0, f"UMAP of {n} points")
            Y = _umap(n, seed=seed, n_neighbors=n_neighbors, min_dist=min_dist, metric=metric).fit_transform(X)
        else:
            rng = np.random.default_rng(seed)
            fit = np.sort(rng.choice(n, size=FIT_SAMPLE, replace=False))
            rest = np.setdiff1d(np.arange(n), fit)
            report(0.0, f"UMAP fit on a sample of {FIT_SAMPLE} of {n} points")
            model = _umap(FIT_SAMPLE, seed=seed, n_neighbors=n_neighbors, min_dist=min_dist, metric=metric)
            Y = np.empty((n, 2), dtype=np.float32)
            Y[fit] = model.fit_transform(X[fit])
            report(0.5, f"placing the other {len(rest)} points")
            Y[rest] = model.transform(X[rest])
    report(1.0, "map ready")
    return np.asarray(Y, dtype=np.float32)


def clusters(X: np.ndarray, *, k: int = 8, seed: int = 0) -> np.ndarray:
    """k-means cluster id per row (int64), seeded; ids are renumbered by cluster size, largest first.

    Above ``CLUSTER_FIT_N`` rows the centres are fitted on a seeded sample and every row gets its nearest centre.
    """
    from sklearn.cluster import KMeans

    X = _as_matrix(X)
    n = X.shape[0]
    if k < 1:
        raise SiftError(f"number of clusters must be at least 1, got {k}")
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    k = min(k, n)
    model = KMeans(n_clusters=k, random_state=seed, n_init=3)
    if n > CLUSTER_FIT_N:  # fit the centres on a seeded sample, then assign every row to its nearest centre
        fit = np.random.default_rng(seed).choice(n, size=CLUSTER_FIT_N, replace=False)
        raw = model.fit(X[np.sort(fit)]).predict(X)
    else:
        raw = model.fit_predict(X)
    counts = np.bincount(raw, minlength=k)
    order = sorted(range(k), key=lambda c: (-counts[c], c))
    remap = np.empty(k, dtype=np.int64)
    remap[order] = np.arange(k)
    return remap[raw]
