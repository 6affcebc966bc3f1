"""Classic embedding diversity measures: the baselines of the NovelSum study (arXiv 2502.17184, Sec. 3).

Every function has the call shape ``f(X, *, reference=None, **params) -> float`` with X an (n, d) array of
embeddings; higher always means more diverse. Measures that do not use a reference accept and ignore it so the
registry can call them all alike. Cosine measures normalise rows first. Nothing builds an n x n matrix: Gram
tricks (d x d) or row blocks keep memory at O(block x n) or O(d^2).

- DistSum (cosine / L2): mean pairwise distance; the NovelSum official code reports the cosine one as
  ``cos_distance`` = mean of all n^2 entries, diagonal included, which is the default here.
- mean kNN distance: mean distance of each point to its k nearest other points (k = 10).
- Vendi score (Friedman & Dieng 2023, arXiv 2210.02410): exp of the Shannon entropy of the eigenvalues of K/n.
- cluster inertia (Du & Black 2019, as used in arXiv 2502.17184): k-means sum of squared distances (k = 10).
- radius (Lai et al. 2020, arXiv 2003.08529, as used in arXiv 2502.17184): geometric mean over dimensions of the
  per-dimension standard deviation. The NovelSum repository has no code for it; this follows the paper's formula.
- log-determinant (DPP volume; Wang et al. 2024, arXiv 2402.02318): log det(K + eps I), eps = 1.
- facility location: mean over the reference of the maximum cosine similarity to the set.
- partition entropy (official NovelSum ``entropy.py``): k-means (k = 100, 20 iterations, seed 42) on the
  reference, entropy (bits) of the set's cluster shares.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from core.errors import InputError
from core.metrics._checks import as_embeddings, as_reference, auto_block, unit_rows


#: At most this many reference rows are normalised at a time by facility location (whatever the set's size).
REFERENCE_BLOCK_ROWS = 8192


def _gram_eigenvalues(U: np.ndarray) -> np.ndarray:
    """Non-negative eigenvalues of ``U U^T / n`` via the smaller of the n x n and d x d Gram matrices (float64)."""
    u = U.astype(np.float64)
    n = u.shape[0]
    gram = (u.T @ u) if u.shape[1] < n else (u @ u.T)
    return np.clip(np.linalg.eigvalsh(gram / n), 0.0, None)


def distsum_cosine(X: np.ndarray, *, reference: Optional[np.ndarray] = None, include_self: bool = True) -> float:
    """Mean pairwise cosine distance ``1 - cos``; O(n d) from ``sum_ij cos_ij = ||sum_i u_i||^2``.

    ``include_self=True`` averages all n^2 pairs (as the official ``cos_distance``); False averages i != j.
    ``reference`` is unused.
    """
    U = unit_rows(as_embeddings(X, min_rows=1 if include_self else 2))
    n = U.shape[0]
    total = U.astype(np.float64).sum(axis=0)
    sim_sum = float(total @ total)
    if include_self:
        return 1.0 - sim_sum / (n * n)
    return 1.0 - (sim_sum - n) / (n * (n - 1))


def distsum_l2(X: np.ndarray, *, reference: Optional[np.ndarray] = None, include_self: bool = True,
               block_size: Optional[int] = None) -> float:
    """Mean pairwise Euclidean distance ``||x_i - x_j||`` over the raw embeddings, in row blocks.

    ``include_self`` as in :func:`distsum_cosine` (the zero self-distances count in the n^2 average).
    ``reference`` is unused.
    """
    X = as_embeddings(X, min_rows=1 if include_self else 2)
    n = X.shape[0]
    x64 = X.astype(np.float64)
    sq = np.einsum("ij,ij->i", x64, x64)
    step = auto_block(n, block_size, n, budget_bytes=16 << 20)
    total = 0.0
    for start in range(0, n, step):
        d2 = sq[start:start + step, None] + sq[None, :] - 2.0 * (x64[start:start + step] @ x64.T)
        np.maximum(d2, 0.0, out=d2)
        rows = np.arange(start, min(start + step, n))
        d2[rows - start, rows] = 0.0
        total += float(np.sqrt(d2).sum())
    return total / (n * n if include_self else n * (n - 1))


def knn_distance(X: np.ndarray, *, reference: Optional[np.ndarray] = None, k: int = 10, metric: str = "cosine",
                 block_size: Optional[int] = None) -> float:
    """Mean over points of the mean distance to their ``k`` nearest other points (self excluded).

    ``metric``: "cosine" (1 - cos, default) or "l2". k is capped at n - 1. ``reference`` is unused.
    """
    if metric not in ("cosine", "l2"):
        raise InputError(f"metric must be 'cosine' or 'l2', got {metric!r}")
    if isinstance(k, bool) or int(k) != k or k < 1:
        raise InputError(f"k must be a positive integer, got {k!r}")
    X = as_embeddings(X, min_rows=2)
    n = X.shape[0]
    k = min(int(k), n - 1)
    Y = unit_rows(X) if metric == "cosine" else X.astype(np.float64)  # float64: no sqrt(rounding) for duplicates
    sq = np.einsum("ij,ij->i", Y, Y)
    step = auto_block(n, block_size, n)
    total = 0.0
    for start in range(0, n, step):
        block = Y[start:start + step] @ Y.T
        if metric == "cosine":
            dist = 1.0 - block
        else:
            dist = np.maximum(sq[start:start + step, None] + sq[None, :] - 2.0 * block, 0.0)
        rows = np.arange(start, min(start + step, n))
        dist[rows - start, rows] = np.inf
        near = np.partition(dist, k - 1, axis=1)[:, :k].astype(np.float64)
        if metric == "l2":
            near = np.sqrt(near)
        total += float(near.mean(axis=1).sum())
    return total / n


def vendi_score(X: np.ndarray, *, reference: Optional[np.ndarray] = None) -> float:
    """Vendi score ``exp(-sum_i l_i log l_i)``, l = eigenvalues of K/n with K the cosine-similarity matrix.

    Friedman & Dieng 2023 (arXiv 2210.02410), order q = 1. The effective number of distinct points: 1 for
    identical points, n for mutually orthogonal ones. ``reference`` is unused.
    """
    lam = _gram_eigenvalues(unit_rows(as_embeddings(X)))
    lam = lam[lam > 0]
    return float(np.exp(-np.sum(lam * np.log(lam))))


def log_determinant(X: np.ndarray, *, reference: Optional[np.ndarray] = None, eps: float = 1.0) -> float:
    """``log det(K + eps I)`` with K the n x n cosine-similarity matrix (the log-volume a DPP rewards).

    Computed from the eigenvalues of the smaller Gram matrix: ``sum log(n l_i + eps) + (n - r) log eps``.
    The default eps = 1 keeps the value finite and comparable when n > d (K then has rank <= d); a small eps
    gives the plain DPP log-volume, dominated by ``(n - d) log eps``. ``reference`` is unused.
    """
    if not np.isfinite(eps) or eps <= 0:
        raise InputError(f"eps must be a positive number, got {eps!r}")
    U = unit_rows(as_embeddings(X))
    n = U.shape[0]
    lam = _gram_eigenvalues(U) * n
    return float(np.sum(np.log(lam + eps)) + (n - lam.shape[0]) * np.log(eps))


def radius(X: np.ndarray, *, reference: Optional[np.ndarray] = None) -> float:
    """Geometric mean over dimensions of the standard deviation: ``(prod_j sigma_j) ** (1/d)``.

    Lai et al. 2020 (arXiv 2003.08529), one of the NovelSum study's baselines; sigma_j is the population
    standard deviation of dimension j over the set (0 if any dimension is constant). ``reference`` is unused.
    """
    X = as_embeddings(X, min_rows=2)
    sigma = X.astype(np.float64).std(axis=0)
    if (sigma == 0).any():
        return 0.0
    return float(np.exp(np.mean(np.log(sigma))))


def cluster_inertia(X: np.ndarray, *, reference: Optional[np.ndarray] = None, n_clusters: int = 10,
                    seed: int = 0) -> float:
    """k-means inertia: sum of squared L2 distances of the points to their cluster centre (k = 10, seeded).

    Du & Black 2019, as compared in arXiv 2502.17184. k is capped at the number of distinct points. This is a
    sum (it grows with n): compare sets of equal size, as the paper does. ``reference`` is unused.
    """
    from sklearn.cluster import KMeans

    X = as_embeddings(X)
    k = min(_positive_int(n_clusters, "n_clusters"), np.unique(X, axis=0).shape[0])
    model = KMeans(n_clusters=k, n_init=1, random_state=seed).fit(X)
    return float(model.inertia_)


def facility_location(X: np.ndarray, *, reference: Optional[np.ndarray] = None,
                      block_size: Optional[int] = None) -> float:
    """Coverage of the reference by the set: ``mean_{r in R} max_{x in X} cos(r, x)`` (in [-1, 1]).

    ``reference=None`` uses the set itself, which always covers itself (value 1); pass the pool (the registry
    does so for subsets) to measure how well the set represents it.
    """
    U = unit_rows(as_embeddings(X))
    if reference is None:  # every point is its own nearest neighbour (similarity 1)
        return 1.0
    R = as_reference(reference, U.shape[1])
    step = auto_block(U.shape[0], block_size, R.shape[0])
    if block_size is None:  # a small set gave one block of the whole reference, i.e. a unit copy of the pool
        step = min(step, REFERENCE_BLOCK_ROWS)
    total = 0.0
    for start in range(0, R.shape[0], step):  # normalised block by block: no unit copy of a pool-sized reference
        try:
            block = unit_rows(R[start:start + step], "reference")
        except InputError:
            unit_rows(R, "reference")  # the same message, with the row's index in the whole reference
            raise
        total += float((block @ U.T).max(axis=1).astype(np.float64).sum())
    return total / R.shape[0]


def fit_partition(reference: np.ndarray, n_clusters: int = 100, *, seed: int = 42, max_iter: int = 20) -> np.ndarray:
    """k-means centres of the reference, as the official ``entropy.py`` trains its faiss k-means.

    faiss ``Kmeans(d, k, niter=20, seed=42)`` with its defaults: random initial centres, at most 256 training
    points per centre (a seeded sample). scikit-learn's KMeans (init="random", one run) stands in for faiss, so
    the centres are not bit-identical to the official run. k is capped at the number of distinct rows.
    """
    from sklearn.cluster import KMeans

    from core.metrics.novelsum_metric import distinct_reference

    R = as_embeddings(reference, "reference")
    # distinct rows counted without np.unique's copies of a pool-sized matrix above 50,000 rows, nor a copy of
    # its distinct rows when it has repeats (same count)
    k = min(_positive_int(n_clusters, "n_clusters"), distinct_reference(R)[2])
    rng = np.random.default_rng(seed)
    train = R if R.shape[0] <= 256 * k else R[np.sort(rng.choice(R.shape[0], 256 * k, replace=False))]
    model = KMeans(n_clusters=k, init="random", n_init=1, max_iter=int(max_iter), random_state=seed).fit(train)
    return model.cluster_centers_.astype(np.float32)


def partition_entropy(X: np.ndarray, *, reference: Optional[np.ndarray] = None, n_clusters: int = 100,
                      seed: int = 42, max_iter: int = 20, centroids: Optional[np.ndarray] = None) -> float:
    """Shannon entropy (bits) of the set's shares over k-means clusters of the reference.

    Official NovelSum ``entropy.py``: clusters of the reference (default: the set itself), each point of X goes
    to its nearest centre (L2), ``H = -sum_c p_c log2 p_c``. At most log2(k). ``centroids`` may pass centres
    from :func:`fit_partition` to skip the clustering.
    """
    X = as_embeddings(X)
    if centroids is None:
        ref = X if reference is None else as_reference(reference, X.shape[1])
        centroids = fit_partition(ref, n_clusters, seed=seed, max_iter=max_iter)
    C = as_reference(centroids, X.shape[1], "centroids")
    c_norm = np.einsum("ij,ij->i", C, C)
    labels = np.empty(X.shape[0], dtype=np.int64)
    step = auto_block(C.shape[0], None, X.shape[0])
    for start in range(0, X.shape[0], step):
        labels[start:start + step] = np.argmin(c_norm[None, :] - 2.0 * (X[start:start + step] @ C.T), axis=1)
    counts = np.bincount(labels)
    p = counts[counts > 0] / X.shape[0]
    return float(-np.sum(p * np.log2(p)) + 0.0)


def _positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise InputError(f"{name} must be a positive integer, got {value!r}")
    return int(value)
