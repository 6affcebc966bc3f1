"""Small helpers shared by the selector modules: input checks, quality scaling, seeded k-means.

Kept free of heavy imports (scikit-learn is imported inside :func:`kmeans`) so that importing the selector
registry stays cheap.
"""

from __future__ import annotations

from typing import ContextManager, Optional, Sequence, Tuple

import numpy as np

from core.errors import SiftError
from core.features import EMBEDDINGS, QUALITY, Features, Progress


def embeddings_of(features: Features, what: str) -> np.ndarray:
    """The pool's embeddings as a finite float32 (n, d) array, or a clear SiftError."""
    features.require([EMBEDDINGS], what)
    X = np.asarray(features.embeddings)
    if X.ndim != 2 or X.shape[0] != features.n:
        raise SiftError(f"{what}: embeddings must have shape ({features.n}, d), got {X.shape}")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise SiftError(f"{what}: the embeddings are empty")
    row = first_nonfinite_row(X)
    if row >= 0:
        raise SiftError(f"{what}: embedding row {row} has a NaN or infinite value")
    return X.astype(np.float32, copy=False)


def first_nonfinite_row(X: np.ndarray, block: int = 65536) -> int:
    """Index of the first row of ``X`` holding a NaN or infinite value, or -1; checked block by block, so a
    1M x 384 pool needs no pool-sized boolean temporary."""
    for lo in range(0, X.shape[0], block):
        ok = np.isfinite(X[lo:lo + block]).all(axis=1)
        if not ok.all():
            return lo + int(np.argmax(~ok))
    return -1


def check_matrix(X: np.ndarray, what: str) -> np.ndarray:
    """``X`` as a finite, non-empty float32 2-D array, or a clear SiftError."""
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise SiftError(f"{what}: expected a non-empty (n, d) array, got shape {X.shape}")
    row = first_nonfinite_row(X)
    if row >= 0:
        raise SiftError(f"{what}: row {row} has a NaN or infinite value")
    return X.astype(np.float32, copy=False)


def quality_of(features: Features, what: str) -> np.ndarray:
    """The pool's quality scores as a finite float64 vector of length n, or a clear SiftError."""
    features.require([QUALITY], what)
    return check_vector(features.quality, features.n, f"{what}: quality")


def check_vector(values: object, n: int, what: str) -> np.ndarray:
    """``values`` as a finite float64 vector of length ``n``, or a clear SiftError."""
    q = np.asarray(values, dtype=np.float64)
    if q.shape != (n,):
        raise SiftError(f"{what} must have one value per record ({n}), got shape {q.shape}")
    if not np.isfinite(q).all():
        raise SiftError(f"{what} has a NaN or infinite value at row {int(np.argmax(~np.isfinite(q)))}")
    return q


def first_centres(n: int, include: Sequence[int], start: Optional[int], seed: int, what: str) -> list[int]:
    """The starting set of a farthest-point style loop (k-center, NovelSelect): the must-include rows if any,
    else ``[start]`` when ``start`` is a row (None or negative: none given), else one row drawn from the seed,
    ``RandomState(seed).randint(0, n)`` (the official NovelSelect draw: 102 for n = 600, seed 42)."""
    if len(include):
        return [int(i) for i in include]
    if start is None or int(start) < 0:
        return [int(np.random.RandomState(seed).randint(0, n))]
    if int(start) >= n:
        raise SiftError(f"{what} start index {start} is outside the pool (0..{n - 1})")
    return [int(start)]


def minmax(q: np.ndarray) -> np.ndarray:
    """Quality scaled to [0, 1] over the pool (all zeros when every score is equal).

    Used wherever a selector mixes quality with another term or exponentiates it, so that the selector
    behaves the same whatever scale the scores come in (DEITA 1-36, a 1-10 judge, a heuristic proxy).
    """
    q = np.asarray(q, dtype=np.float64)
    span = float(q.max() - q.min()) if q.size else 0.0
    return np.zeros_like(q) if span <= 0 else (q - q.min()) / span


def quality_order(q: np.ndarray) -> np.ndarray:
    """Indices by quality, highest first; equal scores keep pool order (stable)."""
    return np.argsort(-np.asarray(q, dtype=np.float64), kind="stable")


def auto_clusters(n: int, requested: int, cap: Optional[int] = None) -> int:
    """``requested`` clusters if positive, else ``int(sqrt(n / 2))`` (CaR's rule); at least 1, at most n."""
    k = int(requested) if requested and requested > 0 else int(np.sqrt(n / 2.0))
    if cap is not None:
        k = min(k, int(cap))
    return max(1, min(k, n))


def single_thread() -> ContextManager:
    """Run BLAS / OpenMP work on one thread inside the block.

    The selector loops make many small, memory-bound calls (a matrix-vector product per pick, k-means
    iterations on a few thousand rows); thread wake-ups cost more than they save there, and on a machine
    shared with other work, spinning OpenMP threads made k-means 15x and NovelSelect 2x slower in our runs.
    """
    from threadpoolctl import threadpool_limits  # a scikit-learn dependency

    return threadpool_limits(limits=1)


def kmeans(X: np.ndarray, k: int, *, seed: int = 42, progress: Optional[Progress] = None
           ) -> Tuple[np.ndarray, np.ndarray]:
    """Seeded k-means: (labels, centroids) with labels in 0..k-1 (a cluster may end up empty).

    scikit-learn ``KMeans`` (k-means++, one init, the scikit-learn default) when ``n * k`` is small enough to
    be quick, else ``MiniBatchKMeans`` (random init as faiss, which kMQ's official code uses; batch 2048) so
    that 1,000 clusters on 16k rows take seconds rather than minutes. Runs single-threaded (see
    :func:`single_thread`).
    """
    n = X.shape[0]
    k = max(1, min(int(k), n))
    if progress:
        progress(0.0, f"k-means with {k} clusters on {n:,} rows")
    if k == 1:
        return np.zeros(n, dtype=np.int64), X.mean(axis=0, keepdims=True)
    with single_thread():
        if n * k <= 5_000_000:
            from sklearn.cluster import KMeans

            model = KMeans(n_clusters=k, n_init=1, random_state=seed).fit(X)
        else:
            from sklearn.cluster import MiniBatchKMeans

            model = MiniBatchKMeans(n_clusters=k, init="random", n_init=1, batch_size=2048,
                                    random_state=seed).fit(X)
    labels = np.asarray(model.labels_, dtype=np.int64)
    return labels, np.asarray(model.cluster_centers_, dtype=np.float64)


def report(progress: Optional[Progress], fraction: float, message: str) -> None:
    """Call ``progress`` if given."""
    if progress is not None:
        progress(float(min(max(fraction, 0.0), 1.0)), message)
