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
* The greedy is :func:`core.selectors.lazy_greedy.lazy_greedy` over :class:`CoverageQualityObjective`, which
  reads rows of the symmetric similarity matrix (contiguous; column reads were ~5x slower). Dense gains come from
  one numba kernel (single-threaded, cached on disk like NovelSelect's) that fuses subtract, clip and sum and adds
  in numpy's pairwise order, so each gain equals the numpy expression ``np.maximum(S[i] - cover, 0).sum()`` to
  the bit (``tests/test_qdit_kernel.py``) and the picks are unchanged; it reads each row once and allocates
  nothing, where the numpy expression made three passes over float64 temporaries.
* Up to ``dense_limit`` rows (default 5000) the N x N similarity matrix is used as is (float32). Above it a
  symmetrised kNN graph (``knn`` neighbours per row, default 100, self included) stands in for it: pairs
  outside everybody's kNN list count as similarity 0. That keeps memory at O(N k) instead of O(N^2); the
  picks then approximate dense QDIT (coverage is dominated by near neighbours).

Gains are each pick's marginal ``f`` gain (in the scaled units above). Ties go to the lowest index. Must-include
rows (``include``) are committed first, so their coverage counts before the first free pick.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from core.errors import check_budget
from core.features import EMBEDDINGS, QUALITY, Features, Progress
from core.params import Param
from core.selection import Selection
from core.selectors._common import check_matrix, check_vector, embeddings_of, minmax, quality_of, report
from core.vectors import unit_rows
from core.selectors.lazy_greedy import lazy_greedy

NAME = "qdit"
LABEL = "QDIT (quality + facility location)"
SUMMARY = "Greedy trade-off between coverage of the pool (facility location) and quality, weight a on quality."
CITATION = "Bukharin et al. 2023, Data Diversity Matters for Robust Instruction Tuning (QDIT), arXiv 2311.14736"
NEEDS = (EMBEDDINGS, QUALITY)
USES_SEED = False
USES_REFERENCE = False
TAKES_INCLUDE = True  # run() accepts include= (rows that start the selection)
TAKES_QUOTAS = True  # run() accepts strata= and quotas= (per-stratum caps inside the optimiser)
PARAMS = [
    Param("a", 0.7, float, "weight of quality (1 - a goes to facility-location coverage)", low=0.0, high=1.0),
    Param("dense_limit", 5000, int, "largest pool that uses the full N x N similarity matrix", low=1),
    Param("knn", 100, int, "neighbours per row in the sparse similarity graph above dense_limit", low=1),
]


_BLOCK_ENTRIES = 1 << 22  # similarity entries per block when many dense gains are computed with numpy
_KERNEL = None


def _pairwise_plan(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """numpy's pairwise summation of ``n`` values as a flat plan: (leaf starts, leaf lengths, program).

    numpy sums runs of at most 128 values directly and splits longer runs at half rounded down to a multiple of
    8, adding the two halves' sums. The program replays those additions in the same order on a stack: ``op >= 0``
    pushes leaf ``op``'s sum, ``-1`` replaces the top two sums by their sum.
    """
    starts: list[int] = []
    lengths: list[int] = []
    program: list[int] = []

    def split(lo: int, m: int) -> None:
        if m <= 128:
            program.append(len(starts))
            starts.append(lo)
            lengths.append(m)
            return
        half = m // 2
        half -= half % 8
        split(lo, half)
        split(lo + half, m - half)
        program.append(-1)

    split(0, n)
    return (np.asarray(starts, dtype=np.int64), np.asarray(lengths, dtype=np.int64),
            np.asarray(program, dtype=np.int64))


def _dense_kernel():
    """The numba kernel ``gains(S, cover, rows, out, starts, lengths, program)``: ``out[k] = sum_j max(S[rows[k],
    j] - cover[j], 0)``, summed in numpy's pairwise order (:func:`_pairwise_plan`; a leaf keeps 8 running sums
    combined as ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)), then adds its remainder in order, and fewer
    than 8 values are added in order), so the result is bit-identical to the numpy expression. Compiled once,
    cached on disk; numba is a pinned dependency (NovelSelect's kernels).
    """
    global _KERNEL  # noqa: PLW0603 - a compile cache, not state that changes results
    if _KERNEL is not None:
        return _KERNEL
    import numba

    # One self-contained function: numba re-compiled (and re-cached) nested kernels that call each other in every
    # process. No fastmath: the additions must happen in exactly this order.
    @numba.njit(cache=True, nogil=True)
    def gains(S, cover, rows, out, starts, lengths, program):  # pragma: no cover - compiled
        sums = np.empty(starts.shape[0])
        stack = np.empty(starts.shape[0])
        r = np.empty(8)
        for k in range(rows.shape[0]):
            i = rows[k]
            for q in range(starts.shape[0]):  # leaf q: values lo .. lo + n - 1 of the clipped row
                lo, n = starts[q], lengths[q]
                m = n - n % 8 if n >= 8 else 0
                for u in range(8 if m else 0):  # 8 running sums, started at the first 8 values
                    v = np.float64(S[i, lo + u]) - cover[lo + u]
                    r[u] = v if v >= 0.0 else 0.0  # np.maximum(v, 0.0) for the non-NaN values S and cover hold
                for b in range(lo + 8, lo + m, 8):
                    for u in range(8):
                        v = np.float64(S[i, b + u]) - cover[b + u]
                        r[u] += v if v >= 0.0 else 0.0
                res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7])) if m else 0.0
                for j in range(lo + m, lo + n):  # the remainder (or all of a leaf of fewer than 8), in order
                    v = np.float64(S[i, j]) - cover[j]
                    res += v if v >= 0.0 else 0.0
                sums[q] = res
            top = 0
            for op in program:
                if op >= 0:
                    stack[top] = sums[op]
                    top += 1
                else:
                    top -= 1
                    stack[top - 1] = stack[top - 1] + stack[top]
            out[k] = stack[0]

    _KERNEL = gains
    return _KERNEL


class CoverageQualityObjective:
    """``(1 - a) * FL(S) + a * quality(S)`` over a symmetric similarity ``S`` (dense array or scipy sparse).

    FL(S) = sum_x max(0, max_{s in S} sim(x, s)); the gain of row i is ``(1 - a) * sum_x max(S[i, x] - cover_x,
    0) + a * quality_i``, read from row i (S is symmetric). Gains only fall as coverage grows (submodular).
    A dense float32/float64 ``S`` uses the compiled kernel (:func:`_dense_kernel`) unless ``compiled=False``
    (the numpy expression it reproduces bit for bit).
    """

    def __init__(self, S, *, quality: Optional[np.ndarray] = None, a: float = 0.0, compiled: bool = True) -> None:
        self.n = S.shape[0]
        self.sparse = not isinstance(S, np.ndarray)
        self.kernel = None
        if self.sparse:
            S = S.tocsr()
            S.sort_indices()
            self.indptr, self.cols, self.vals = S.indptr, S.indices, S.data.astype(np.float64)
        elif compiled and S.dtype in (np.float32, np.float64) and S.ndim == 2 and S.shape[1] > 0:
            self.kernel = _dense_kernel()
            self.plan = _pairwise_plan(S.shape[1])
        self.S = S
        self.scale = 1.0 - a
        self.qterm = a * (np.zeros(self.n) if quality is None else np.asarray(quality, dtype=np.float64))
        self.cover = np.zeros(self.n, dtype=np.float64)

    def gains(self, rows: np.ndarray) -> np.ndarray:
        """Current gains of ``rows`` (one fixed per-row summation)."""
        rows = np.asarray(rows, dtype=np.int64)
        if self.sparse:
            starts, ends = self.indptr[rows], self.indptr[rows + 1]
            lens = ends - starts
            fl = np.zeros(rows.shape[0], dtype=np.float64)
            total = int(lens.sum())
            if total:
                offs = np.cumsum(lens) - lens
                pos = np.repeat(starts - offs, lens) + np.arange(total, dtype=np.int64)
                part = np.maximum(self.vals[pos] - self.cover[self.cols[pos]], 0.0)
                nz = lens > 0
                fl[nz] = np.add.reduceat(part, offs[nz])
        elif self.kernel is not None:
            fl = np.empty(rows.shape[0], dtype=np.float64)
            self.kernel(self.S, self.cover, rows, fl, *self.plan)
        else:  # float32 rows minus float64 cover is float64 (the values astype-first gave, one copy fewer)
            fl = np.subtract(self.S[rows], self.cover)
            np.maximum(fl, 0.0, out=fl)
            fl = fl.sum(axis=1)
        return self.scale * fl + self.qterm[rows]

    def initial_gains(self, rows: np.ndarray) -> np.ndarray:
        """Gains of many rows (numpy path: in blocks of about 4M similarity entries; the kernel needs none)."""
        rows = np.asarray(rows, dtype=np.int64)
        if self.sparse or self.kernel is not None:
            return self.gains(rows)
        step = max(1, _BLOCK_ENTRIES // max(self.n, 1))
        parts = [self.gains(rows[s:s + step]) for s in range(0, rows.shape[0], step)]
        return np.concatenate(parts) if parts else np.zeros(0)

    def commit(self, row: int) -> None:
        """Coverage becomes max(cover, S[row])."""
        if self.sparse:
            lo, hi = self.indptr[row], self.indptr[row + 1]
            np.maximum.at(self.cover, self.cols[lo:hi], self.vals[lo:hi])
        else:
            np.maximum(self.cover, self.S[row], out=self.cover)


def facility_location(S, budget: int, *, quality: Optional[np.ndarray] = None, a: float = 0.0,
                      include: Sequence[int] = (), strata: Optional[np.ndarray] = None,
                      quotas: Optional[Sequence[int]] = None, lazy: bool = True, progress: Optional[Progress] = None):
    """Greedy on ``(1 - a) * FL(S) + a * quality`` over a symmetric similarity ``S``: (picks, gains) arrays.

    ``S`` is a dense (N, N) array or a symmetric scipy sparse matrix; ``a = 0`` is plain facility location.
    ``include``, ``strata`` and ``quotas`` as in :func:`core.selectors.lazy_greedy.lazy_greedy`.
    """
    return lazy_greedy(CoverageQualityObjective(S, quality=quality, a=a), budget, include=include, strata=strata,
                       quotas=quotas, lazy=lazy, label="QDIT", progress=progress)


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
    return G.maximum(G.T).tocsr()


def select(X: np.ndarray, quality: np.ndarray, budget: int, *, a: float = 0.7, dense_limit: int = 5000,
           knn: int = 100, include: Sequence[int] = (), strata: Optional[np.ndarray] = None,
           quotas: Optional[Sequence[int]] = None, progress: Optional[Progress] = None) -> Selection:
    """QDIT on the rows of ``X`` (normalised here) with ``quality`` (min-max scaled here)."""
    Xn = unit_rows(check_matrix(X, LABEL))
    n = Xn.shape[0]
    qn = minmax(check_vector(quality, n, "quality"))
    budget = check_budget(budget, n)
    report(progress, 0.0, "QDIT: similarities")
    if n <= dense_limit:
        S, mode = Xn @ Xn.T, "dense"
    else:
        S, mode = knn_similarity(Xn, knn), f"sparse kNN (k={knn})"
    picks, gains = facility_location(S, budget, quality=qn, a=a, include=include, strata=strata, quotas=quotas,
                                     progress=progress)
    return Selection(picks, gains, NAME, info={"similarity": mode})


def run(features: Features, budget: int, *, progress: Optional[Progress] = None, a: float = 0.7,
        dense_limit: int = 5000, knn: int = 100, include: Sequence[int] = (), strata: Optional[np.ndarray] = None,
        quotas: Optional[Sequence[int]] = None) -> Selection:
    """Registry entry point."""
    return select(embeddings_of(features, LABEL), quality_of(features, LABEL), budget, a=a,
                  dense_limit=dense_limit, knn=knn, include=include, strata=strata, quotas=quotas,
                  progress=progress)
