"""The kNN density of an embedding array against itself, computed once per array in this process.

NovelSum's density term ``m_i`` (:func:`core.metrics.novelsum_metric.mean_knn_sq_distance` with the array as its
own reference) is the costly pool-side part of the NovelSum metric, the NovelSelect selector and the pool's
novelty (Novelty page, map colouring, exports). They all ask :func:`self_knn_m` (or :func:`self_density`), so a
compare, a selection and an export on one pool search the neighbours once.

The memo (:class:`core.array_memo.ArrayMemo`) is keyed by the array's memory (data address, shape, strides, dtype)
and ``neighbors``, and holds a weak reference to the array owning that memory: an entry is used only while that very
array is alive, so freed memory reused by another array never matches. An array changed in place after its density was computed is not detected
(arrays here are read, never written). At most :data:`MAX_ENTRIES` arrays are remembered (the oldest goes first);
the stored ``m`` is read-only.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from core.array_memo import ArrayMemo
from core.features import Progress
from core.metrics.novelsum_metric import REGULARIZATION, _check_params, as_embeddings, mean_knn_sq_distance

#: Arrays whose density is remembered at once (each entry is one float64 per row: 8 MB for 1M rows).
MAX_ENTRIES = 4

_MEMO = ArrayMemo(MAX_ENTRIES)
#: How many searches ran (tests and benchmarks read it to check reuse).
COMPUTED = {"count": 0}


def _owner(X: np.ndarray) -> np.ndarray:
    """The ndarray at the root of ``X``'s base chain (the one owning or mapping the memory)."""
    root = X
    while isinstance(root.base, np.ndarray):
        root = root.base
    return root


def _key(X: np.ndarray, neighbors: int) -> tuple:
    return (X.__array_interface__["data"][0], X.shape, X.strides, X.dtype.str, int(neighbors))


def self_knn_m(X: np.ndarray, neighbors: int = 10, *, progress: Optional[Progress] = None) -> np.ndarray:
    """``mean_knn_sq_distance(X, None, neighbors)`` (float64, read-only), from the memo when ``X`` was seen."""
    if not isinstance(X, np.ndarray):
        return mean_knn_sq_distance(X, None, int(neighbors), progress=progress)
    key, owner = _key(X, neighbors), _owner(X)
    hit = _MEMO.get(key, owner)
    if hit is not None:
        return hit
    m = mean_knn_sq_distance(X, None, int(neighbors), progress=progress)
    m.setflags(write=False)
    COMPUTED["count"] += 1
    _MEMO.put(key, owner, m)
    return m


def self_density(X: np.ndarray, neighbors: int = 10, density_power: float = 0.5, *,
                 progress: Optional[Progress] = None) -> np.ndarray:
    """``density(X, None, neighbors, density_power)``: rho_i = (m_i + 1e-9)^-beta with ``m`` from the memo."""
    _check_params(neighbors, density_power, 0.0)
    if float(density_power) == 0.0:
        return np.ones(as_embeddings(X).shape[0], dtype=np.float64)
    m = self_knn_m(X, neighbors, progress=progress)
    return 1.0 / np.power(m + REGULARIZATION, float(density_power))


def rows_knn_m(X: np.ndarray, rows: np.ndarray, neighbors: int = 10, *,
               progress: Optional[Progress] = None) -> np.ndarray:
    """``mean_knn_sq_distance(X[rows], X, neighbors)``: the density term of some rows against the whole array, each
    row searched once per array (float64, one value per entry of ``rows``).

    For pools too large for :func:`self_knn_m` (a subset's NovelSum against a 1M-row pool): the rows not yet known
    are searched together in one sweep of the pool, so a compare's runs and random draws share one deduplication
    and one pass over the pool instead of one each. A row's value does not depend on which rows are searched
    with it (each row's nearest neighbours are its own).
    """
    rows = np.asarray(rows, dtype=np.int64).reshape(-1)
    if not isinstance(X, np.ndarray):
        return mean_knn_sq_distance(X[rows], X, int(neighbors), progress=progress)
    key, owner = ("rows",) + _key(X, neighbors), _owner(X)
    known = _MEMO.get(key, owner)
    if known is None:
        known = np.full(X.shape[0], np.nan, dtype=np.float64)
    todo = np.unique(rows[np.isnan(known[rows])])
    if todo.size:
        known[todo] = mean_knn_sq_distance(X[todo], X, int(neighbors), progress=progress)
        COMPUTED["count"] += 1
        _MEMO.put(key, owner, known)
    return known[rows]


def clear() -> None:
    """Forget every remembered density."""
    _MEMO.clear()
