"""QDIT: quality-diversity instruction tuning (Bukharin et al. 2023, "Data Diversity Matters for Robust
Instruction Tuning", arXiv 2311.14736).

Greedy maximisation of ``f(S) = (1 - a) * d(S) + a * q(S)`` with ``a = 0.7`` (the paper's recommended
trade-off), where ``d(S) = sum_x max_{s in S} sim(x, s)`` is facility location over cosine similarity and
``q(S)`` the summed quality. Both terms are monotone submodular, so lazy greedy (Minoux 1978) gives the
same picks as re-evaluating every gain each step.

Choices and deviations, all documented in ``Selection.info``:

* Scaling: ``d`` is the paper's unnormalised sum over the pool and quality is min-max scaled to [0, 1]. An
  earlier version divided ``d`` by N; the summed facility-location gains are then at most 1 in total, quality
  dominates from the first pick, and QDIT became top-k quality at the default ``a`` (Jaccard 1.0 on the
  16,555-record mixed pool). Unnormalised, early picks buy coverage and quality takes over as coverage gains
  shrink, which is the trade-off the paper describes.
* Facility location starts from 0 coverage, so negative cosine similarities never count (as apricot does).
* Up to ``dense_limit`` rows (default 5000) the N x N similarity matrix is used as is (float32). Above it a
  symmetrised kNN graph (``knn`` neighbours per row, default 100, self included) stands in for it: pairs
  outside everybody's kNN list count as similarity 0. That keeps memory at O(N k) instead of O(N^2); the
  picks then approximate dense QDIT (coverage is dominated by near neighbours).

Gains are each pick's marginal ``f`` gain (in the scaled units above). Ties go to the lowest index.
"""

from __future__ import annotations

import heapq
import time
from typing import Optional

import numpy as np

from core.errors import check_budget
from core.features import EMBEDDINGS, QUALITY, Features, Progress
from core.params import Param
from core.selection import Selection
from core.selectors._common import check_matrix, check_vector, embeddings_of, minmax, quality_of, report, unit_rows

NAME = "qdit"
LABEL = "QDIT (quality + facility location)"
SUMMARY = "Greedy trade-off between coverage of the pool (facility location) and quality, weight a on quality."
CITATION = "Bukharin et al. 2023, Data Diversity Matters for Robust Instruction Tuning (QDIT), arXiv 2311.14736"
NEEDS = (EMBEDDINGS, QUALITY)
USES_SEED = False
USES_REFERENCE = False
PARAMS = [
    Param("a", 0.7, float, "weight of quality (1 - a goes to facility-location coverage)", low=0.0, high=1.0),
    Param("dense_limit", 5000, int, "largest pool that uses the full N x N similarity matrix", low=1),
    Param("knn", 100, int, "neighbours per row in the sparse similarity graph above dense_limit", low=1),
]


def facility_location(S, budget: int, *, quality: Optional[np.ndarray] = None, a: float = 0.0,
                      progress: Optional[Progress] = None):
    """Lazy greedy on ``(1 - a) * FL(S) + a * quality`` over similarity ``S``.

    ``S`` is a dense (N, N) array or a symmetric scipy sparse matrix; returns (picks, gains) arrays.
    ``a = 0`` is plain facility location.
    """
    n = S.shape[0]
    sparse = not isinstance(S, np.ndarray)
    if sparse:
        S = S.tocsc()
        indptr, rows, vals = S.indptr, S.indices, S.data.astype(np.float64)
    scale = 1.0 - a
    qterm = a * (np.zeros(n) if quality is None else np.asarray(quality, dtype=np.float64))
    cover = np.zeros(n, dtype=np.float64)

    def gain(i: int) -> float:
        if sparse:
            lo, hi = indptr[i], indptr[i + 1]
            fl = np.maximum(vals[lo:hi] - cover[rows[lo:hi]], 0.0).sum()
        else:
            fl = np.maximum(S[:, i].astype(np.float64) - cover, 0.0).sum()
        return float(scale * fl + qterm[i])

    if sparse:
        first = np.asarray(S.maximum(0).sum(axis=0), dtype=np.float64).ravel()
    else:
        first = np.maximum(S, 0).sum(axis=0, dtype=np.float64)
    heap = [(-(scale * first[i] + qterm[i]), i) for i in range(n)]
    heapq.heapify(heap)
    picks, gains = [], []
    while len(picks) < budget:
        _, i = heapq.heappop(heap)
        g = gain(i)
        if heap and -heap[0][0] > g or (heap and -heap[0][0] == g and heap[0][1] < i):
            heapq.heappush(heap, (-g, i))  # stale bound: re-queue with the fresh gain
            continue
        picks.append(i)
        gains.append(g)
        if sparse:
            lo, hi = indptr[i], indptr[i + 1]
            np.maximum.at(cover, rows[lo:hi], vals[lo:hi])
        else:
            np.maximum(cover, S[:, i], out=cover)
        if progress is not None and len(picks) % 25 == 0:
            report(progress, len(picks) / budget, f"QDIT: {len(picks):,} / {budget:,} picked")
    return np.array(picks, dtype=np.int64), np.array(gains)


def knn_similarity(Xn: np.ndarray, k: int, *, block_elems: int = 1 << 24):
    """Symmetric sparse cosine-similarity graph: each row's ``k`` most similar rows (self included), max-merged."""
    from scipy import sparse

    n = Xn.shape[0]
    k = min(k, n)
    step = max(1, block_elems // n)
    rows, cols, vals = [], [], []
    for lo in range(0, n, step):
        sims = Xn[lo:lo + step] @ Xn.T
        idx = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        rows.append(np.repeat(np.arange(lo, lo + sims.shape[0]), k))
        cols.append(idx.ravel())
        vals.append(np.take_along_axis(sims, idx, axis=1).ravel())
    G = sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))
    G.sum_duplicates()
    return G.maximum(G.T).tocsc()


def select(X: np.ndarray, quality: np.ndarray, budget: int, *, a: float = 0.7, dense_limit: int = 5000,
           knn: int = 100, progress: Optional[Progress] = None) -> Selection:
    """QDIT on the rows of ``X`` (normalised here) with ``quality`` (min-max scaled here)."""
    began = time.perf_counter()
    Xn = unit_rows(check_matrix(X, LABEL))
    n = Xn.shape[0]
    qn = minmax(check_vector(quality, n, "quality"))
    budget = check_budget(budget, n)
    report(progress, 0.0, "QDIT: similarities")
    if n <= dense_limit:
        S, mode = Xn @ Xn.T, "dense"
    else:
        S, mode = knn_similarity(Xn, knn), f"sparse kNN (k={knn})"
    picks, gains = facility_location(S, budget, quality=qn, a=a, progress=progress)
    report(progress, 1.0, f"QDIT: {budget:,} picked")
    return Selection(picks, gains, NAME, {"a": a, "dense_limit": dense_limit, "knn": knn},
                     time.perf_counter() - began, info={"similarity": mode})


def run(features: Features, budget: int, *, progress: Optional[Progress] = None, a: float = 0.7,
        dense_limit: int = 5000, knn: int = 100) -> Selection:
    """Registry entry point."""
    return select(embeddings_of(features, LABEL), quality_of(features, LABEL), budget, a=a,
                  dense_limit=dense_limit, knn=knn, progress=progress)
