"""NovelSum diversity and per-sample novelty (Yang et al., arXiv 2502.17184), faithful to the official code.

Official code: UmeanNever/NovelSum at b5949626 (``novelsum.py``, ``utils.FaissIndex``); the fixture
``novelsum.json`` holds its outputs and is reproduced to ~1e-7. For a set X of n vectors:

1. ``D = 1 - cos(X, X)`` (n x n). The self-distance stays in: ``D[i, i] ~ 0`` takes rank 1 of its row.
2. Density over a reference R (default: X itself): R is cast to float32 and exact duplicates are removed
   (``np.unique(axis=0)``; above 50,000 rows by row hashes, masked, no copy: :func:`distinct_reference`);
   ``m_i`` = mean squared L2 distance from the *raw* x_i to its k+1 nearest rows of R after dropping the first
   hit (normally x_i itself); ``rho_i = (m_i + 1e-9) ** -density_power``.
3. ``v_i = rho_i * sum_r w_r D_i,(r) / sum_r w_r`` with the row sorted ascending and ``w_r = r ** -distance_power``
   (``np.average``). NovelSum = mean_i v_i; v_i is the per-sample novelty. Defaults k=10, beta=0.5, alpha=1.

How this differs from the official code (values are the same, see the fixture tests):

- The n x n matrix is never held: rows are done in blocks (cosine block -> row sort -> weighted sum), so memory
  is O(block x n). ``distance_power == 0`` needs no sort at all: the row mean is ``1 - u_i . sum_j u_j / n``.
- The kNN search is a blocked brute-force search (query blocks against 8,192-row reference blocks with a
  running k+1 best; float32 distances choose the k+1 candidates, whose distances are then recomputed exactly
  in float64) instead of a faiss ``IndexFlatL2``.
- Sorting is done in float32 (as the official torch/numpy code does); sums are accumulated in float64.
- Exact work is O(n * max(n, |R|) * d). Above ``EXACT_MAX_ROWS`` (50,000 rows, i.e. n * max(n, |R|) > 2.5e9 pairs)
  exact evaluation raises unless ``approximate=True``, which evaluates v_i exactly on a seeded random sample of
  ``sample_rows`` rows (each against all n columns) and returns their mean: an unbiased estimate whose standard
  error is reported by :func:`novelsum_estimate`. Rows are sampled rather than columns because the 1/r weights put
  much of each row's weight on its nearest ranks, which a column sample would miss (a biased estimate).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from core.errors import SiftError, InputError
from core.features import Progress
from core.metrics._checks import as_embeddings, as_reference, auto_block, unit_rows

REGULARIZATION = 1e-9
#: Largest exact problem: n * max(n, |reference|) <= EXACT_MAX_ROWS ** 2 (about a minute on 2 cores at the limit).
EXACT_MAX_ROWS = 50_000
#: Rows evaluated by the approximate (row-sampled) estimate.
DEFAULT_SAMPLE_ROWS = 2_000
_CHUNK = 512  # columns per float32 partial dot product; partial sums are added in float64


class ExactLimitError(SiftError):
    """Exact NovelSum/novelty asked for beyond ``EXACT_MAX_ROWS``; retry with ``approximate=True``."""


@dataclass(frozen=True)
class NovelSumResult:
    """A NovelSum value; ``approximate`` is True when only ``rows_used`` of ``n`` rows were evaluated."""

    value: float
    approximate: bool
    stderr: float
    rows_used: int
    n: int


def _check_params(neighbors: int, density_power: float, distance_power: float) -> None:
    if isinstance(neighbors, bool) or int(neighbors) != neighbors or neighbors < 1:
        raise InputError(f"neighbors must be a positive integer, got {neighbors!r}")
    for name, value in (("density_power", density_power), ("distance_power", distance_power)):
        if not np.isfinite(float(value)):
            raise InputError(f"{name} must be a finite number, got {value!r}")


def _stage(progress: Optional[Progress], lo: float, hi: float) -> Optional[Progress]:
    """A progress callback mapping [0, 1] onto [lo, hi] of ``progress``."""
    if progress is None:
        return None
    return lambda fraction, message: progress(lo + (hi - lo) * float(fraction), message)


#: References up to this many rows are deduplicated with ``np.unique`` (sorted rows, as the fixtures were made);
#: larger ones by row hashes, without copying the matrix (see :func:`deduplicate_reference`).
UNIQUE_SORT_MAX_ROWS = 50_000


def deduplicate_reference(reference: np.ndarray) -> np.ndarray:
    """The distinct float32 rows of ``reference``, as the official ``FaissIndex`` stores them.

    Up to ``UNIQUE_SORT_MAX_ROWS`` rows: ``np.unique(axis=0)`` (sorted). Larger: the first occurrence of each
    distinct row in file order, found by hashing each row's bits block by block and comparing rows whose hashes
    agree; when every row is distinct the array itself is returned (``np.unique`` of 1M x 384 holds several copies
    of the matrix). The set of rows is the same, so each m_i is the same set of distances."""
    ref = np.asarray(reference, dtype=np.float32)
    ref = ref.reshape(-1, ref.shape[-1])
    if ref.shape[0] <= UNIQUE_SORT_MAX_ROWS:
        return np.unique(ref, axis=0)
    return ref if (keep := _first_distinct_rows(ref)) is None else ref[keep]


def distinct_reference(reference: np.ndarray) -> tuple[np.ndarray, Optional[np.ndarray], int]:
    """``(R, keep, count)``: the rows of :func:`deduplicate_reference` without copying a large reference.

    Up to ``UNIQUE_SORT_MAX_ROWS`` rows R is ``np.unique`` (sorted) and ``keep`` None; above, R is the float32
    reference itself and ``keep`` the mask of the first occurrence of each distinct row (None when all are
    distinct), so a pool with duplicates is not copied (``ref[keep]`` was a second 1.5 GB matrix at 1M x 384).
    ``count`` is the number of distinct rows."""
    ref = np.asarray(reference, dtype=np.float32)
    ref = ref.reshape(-1, ref.shape[-1])
    if ref.shape[0] <= UNIQUE_SORT_MAX_ROWS:
        R = np.unique(ref, axis=0)
        return R, None, R.shape[0]
    keep = _first_distinct_rows(ref)
    return ref, keep, ref.shape[0] if keep is None else int(np.count_nonzero(keep))


def _first_distinct_rows(ref: np.ndarray, block: int = 16384) -> Optional[np.ndarray]:
    """Mask of the first occurrence of each distinct row of float32 ``ref`` (-0.0 equal to 0.0, as ``np.unique``
    compares), or None when all rows are distinct."""
    weights = np.random.default_rng(0).integers(1, 2**63, size=ref.shape[1], dtype=np.uint64) | np.uint64(1)
    keys = np.empty(ref.shape[0], dtype=np.uint64)
    for lo in range(0, ref.shape[0], block):
        bits = (ref[lo:lo + block] + np.float32(0.0)).view(np.uint32).astype(np.uint64)
        keys[lo:lo + block] = bits @ weights  # wraps modulo 2**64: a hash of the row's bits
    order = np.argsort(keys, kind="stable")
    same = keys[order][1:] == keys[order][:-1]
    if not same.any():
        return None
    keep = np.ones(ref.shape[0], dtype=bool)
    edges = np.flatnonzero(np.diff(np.concatenate(([False], same, [False])).astype(np.int8)))
    for s, e in zip(edges[0::2], edges[1::2] + 1):  # rows whose hashes agree: compare the rows themselves
        members = order[s:e]  # ascending row index (stable sort)
        for j, row in enumerate(members[1:], start=1):
            if any(np.array_equal(ref[row], ref[m]) for m in members[:j] if keep[m]):
                keep[row] = False
    return None if keep.all() else keep


#: Reference rows per block of the kNN search: a query block's float32 distances to them are 16 MiB at most.
_KNN_REF_BLOCK = 8192


def _nearest_candidates(Q: np.ndarray, R: np.ndarray, r_norm: np.ndarray, k1: int,
                        keep: Optional[np.ndarray] = None) -> np.ndarray:
    """Indices (len(Q), k1) of the ``k1`` rows of ``R`` nearest each row of ``Q`` by float32 squared L2.

    The reference is swept in blocks of ``_KNN_REF_BLOCK`` rows with a running k1 best per query row, so no
    query x |R| matrix exists (a 1M-row pool gave 4-row query blocks, each reading all of R). Each block's
    distances are computed as for the whole row (``Q Rᵀ``, times -2, plus the norms); only entries below a row's
    current k1-th distance are merged. The candidates are the k1 smallest of the row, as ``argpartition`` of
    the whole row gives (up to ties at the k1-th distance, which the exact re-ranking then orders). Rows of R
    outside the mask ``keep`` (repeats of an earlier row) are never candidates.
    """
    q = Q.shape[0]
    q_norm = np.einsum("ij,ij->i", Q, Q)
    best_d = np.full((q, k1), np.inf, dtype=np.float32)
    best_i = np.zeros((q, k1), dtype=np.int64)
    for lo in range(0, R.shape[0], _KNN_REF_BLOCK):
        d2 = Q @ R[lo:lo + _KNN_REF_BLOCK].T
        d2 *= -2.0
        d2 += r_norm[None, lo:lo + _KNN_REF_BLOCK]
        d2 += q_norm[:, None]
        if keep is not None and not keep[lo:lo + _KNN_REF_BLOCK].all():
            d2[:, ~keep[lo:lo + _KNN_REF_BLOCK]] = np.inf
        hits = d2 < best_d.max(axis=1)[:, None]
        n_hits = int(np.count_nonzero(hits))
        if n_hits == 0:
            continue
        if n_hits * 8 > d2.size:  # many hits (the first blocks): merge the whole block
            pool_d = np.concatenate([best_d, d2], axis=1)
            pick = np.argpartition(pool_d, k1 - 1, axis=1)[:, :k1]
            best_i = np.where(pick < k1, np.take_along_axis(best_i, np.minimum(pick, k1 - 1), axis=1),
                              lo + pick - k1)
            best_d = np.take_along_axis(pool_d, pick, axis=1)
            continue
        flat = np.flatnonzero(hits)  # row-major, so the hits of a row are consecutive (faster than 2-D nonzero)
        rows, cols = np.divmod(flat, d2.shape[1])
        counts = np.bincount(rows, minlength=q)  # few hits: merge each hit row with its hits only
        hit_rows = np.flatnonzero(counts)
        slot = np.cumsum(counts > 0) - 1  # hit row -> its row in the merge arrays
        first = np.cumsum(counts) - counts
        pos = np.arange(rows.size) - first[rows]
        width = int(counts.max())
        new_d = np.full((hit_rows.size, width), np.inf, dtype=np.float32)
        new_i = np.zeros((hit_rows.size, width), dtype=np.int64)
        new_d[slot[rows], pos] = d2[rows, cols]
        new_i[slot[rows], pos] = lo + cols
        pool_d = np.concatenate([best_d[hit_rows], new_d], axis=1)
        pool_i = np.concatenate([best_i[hit_rows], new_i], axis=1)
        pick = np.argpartition(pool_d, k1 - 1, axis=1)[:, :k1]
        best_d[hit_rows] = np.take_along_axis(pool_d, pick, axis=1)
        best_i[hit_rows] = np.take_along_axis(pool_i, pick, axis=1)
    return best_i


def mean_knn_sq_distance(
    X: np.ndarray,
    reference: Optional[np.ndarray] = None,
    neighbors: int = 10,
    *,
    block_size: Optional[int] = None,
    progress: Optional[Progress] = None,
) -> np.ndarray:
    """``m_i``: mean squared L2 distance from row i to its k nearest distinct reference rows, first hit dropped.

    Searches ``neighbors + 1`` nearest rows of the deduplicated float32 reference (default: X itself) and drops
    the first, as the official code does (when x_i is not in the reference, that drops its true nearest row).
    Returns float64 (n,).
    """
    X = as_embeddings(X)
    _check_params(neighbors, 0.0, 0.0)
    k = int(neighbors)
    R, keep, distinct = distinct_reference(X if reference is None else as_reference(reference, X.shape[1]))
    if distinct < k + 1:
        raise InputError(f"the density reference has {distinct} distinct rows; {k} neighbours need at least "
                         f"{k + 1} (lower 'neighbors' or use a larger reference)")
    r_norm = np.einsum("ij,ij->i", R, R)
    n = X.shape[0]
    step = auto_block(_KNN_REF_BLOCK, block_size, n, budget_bytes=16 << 20)  # query rows x reference rows
    out = np.empty(n, dtype=np.float64)
    for start in range(0, n, step):
        Q = X[start:start + step]
        if k + 1 < distinct:
            idx = _nearest_candidates(Q, R, r_norm, k + 1, keep)
        else:
            every = np.arange(R.shape[0]) if keep is None else np.flatnonzero(keep)
            idx = np.broadcast_to(every, (Q.shape[0], every.shape[0]))
        q64 = Q.astype(np.float64)
        exact = np.empty(idx.shape, dtype=np.float64)
        for j in range(idx.shape[1]):  # the k+1 candidates' distances again, exactly, one column at a time
            diff = q64 - R[idx[:, j]]
            exact[:, j] = np.einsum("ij,ij->i", diff, diff)
        exact.sort(axis=1)
        out[start:start + step] = exact[:, 1:].mean(axis=1)
        if progress:
            progress(min(start + step, n) / n, "density (kNN search)")
    return out


def density(
    X: np.ndarray,
    reference: Optional[np.ndarray] = None,
    neighbors: int = 10,
    density_power: float = 0.5,
    *,
    block_size: Optional[int] = None,
    progress: Optional[Progress] = None,
) -> np.ndarray:
    """``rho_i = (m_i + 1e-9) ** -density_power`` with ``m_i`` from :func:`mean_knn_sq_distance` (float64)."""
    _check_params(neighbors, density_power, 0.0)
    if float(density_power) == 0.0:
        return np.ones(as_embeddings(X).shape[0], dtype=np.float64)
    m = mean_knn_sq_distance(X, reference, neighbors, block_size=block_size, progress=progress)
    return 1.0 / np.power(m + REGULARIZATION, float(density_power))


def unit_rows_or_self(X: np.ndarray, what: str = "embeddings") -> np.ndarray:
    """:func:`core.metrics._checks.unit_rows` of ``X``, or ``X`` itself when that would equal it bit for bit.

    Float32 rows that already are ``core.vectors.unit_rows`` output (the pipeline's given or column vectors,
    normalised in place) are a fixed point of the normalisation, so normalising them again only makes a pool-sized
    float32 copy (1.5 GB at 1M x 384) of the same numbers. The check runs block by block
    (``core.vectors.UNIT_ROWS_BLOCK`` rows of scratch); from the first block that changes, the rows go into a new
    array as before (the blocks checked so far copied as they are, the rest normalised), so the values are
    ``unit_rows(X)``'s in every case, and an all-zero row raises the same error.
    """
    from core.vectors import UNIT_ROWS_BLOCK

    if X.dtype != np.float32 or not X.flags.c_contiguous:
        return unit_rows(X, what)
    out: Optional[np.ndarray] = None
    for lo in range(0, X.shape[0], UNIT_ROWS_BLOCK):
        rows = X[lo:lo + UNIT_ROWS_BLOCK]
        try:
            block = unit_rows(rows, what)
        except InputError:  # an all-zero row: the message names its index in the whole array, as unit_rows(X) does
            unit_rows(X, what)
            raise
        if out is None and not np.array_equal(block.view(np.uint32), rows.view(np.uint32)):
            out = np.empty_like(X)
            out[:lo] = X[:lo]
        if out is not None:
            out[lo:lo + UNIT_ROWS_BLOCK] = block
    return X if out is None else out


def _column_sums(U: np.ndarray, block: int = 32768) -> np.ndarray:
    """``U.astype(np.float64).sum(axis=0)`` without the float64 copy of ``U``: numpy adds the rows one after the
    other along axis 0, so each block's rows are added onto the running total (carried in as the block's first
    row) in the same order, giving the same bits (tested)."""
    total: Optional[np.ndarray] = None
    for lo in range(0, U.shape[0], block):
        rows = np.asarray(U[lo:lo + block], dtype=np.float64)
        total = rows.sum(axis=0) if total is None else np.concatenate([total[None, :], rows]).sum(axis=0)
    return total


def proximity_weighted_distance(
    X: np.ndarray,
    distance_power: float = 1.0,
    *,
    rows: Optional[np.ndarray] = None,
    block_size: Optional[int] = None,
    progress: Optional[Progress] = None,
    unit: bool = False,
) -> np.ndarray:
    """Per row i (of ``rows``, default all): ``sum_r w_r D_i,(r) / sum_r w_r`` over the sorted cosine-distance row.

    ``D`` includes the self-distance; ``w_r = r ** -distance_power``. This is v_i without the density factor.
    The rows are normalised by :func:`unit_rows_or_self` (no copy when they already are a fixed point of the
    normalisation). ``unit=True``: the rows of float32 ``X`` already are ``core.vectors.unit_rows`` output (the
    pipeline normalised its loaded vectors in place, ``Features.embeddings_unit``) and are used as they are, with
    no check and no copy: the values are then those of the vectors before that normalisation (normalising again
    moves the last bit of a few rows).
    """
    X = as_embeddings(X)
    _check_params(1, 0.0, distance_power)
    U = X if unit else unit_rows_or_self(X)
    n = U.shape[0]
    rows = np.arange(n) if rows is None else np.asarray(rows, dtype=np.int64)
    out = np.empty(rows.shape[0], dtype=np.float64)
    if float(distance_power) == 0.0:  # equal weights: the row mean, no sort and no n x n work
        total = _column_sums(U)
        out[:] = 1.0 - (U[rows].astype(np.float64) @ total) / n
        if progress:
            progress(1.0, "distances")
        return out
    weights = np.arange(1, n + 1, dtype=np.float64) ** -float(distance_power)
    w_sum = weights.sum()
    w32 = weights.astype(np.float32)
    step = auto_block(n, block_size, rows.shape[0])
    for start in range(0, rows.shape[0], step):
        block = U[rows[start:start + step]] @ U.T
        np.subtract(1.0, block, out=block)
        block.sort(axis=1)
        acc = np.zeros(block.shape[0], dtype=np.float64)
        for c in range(0, n, _CHUNK):
            acc += block[:, c:c + _CHUNK] @ w32[c:c + _CHUNK]
        out[start:start + step] = acc / w_sum
        if progress:
            progress(min(start + step, rows.shape[0]) / rows.shape[0], "distances (sorted rows)")
    return out


def _check_size(n: int, n_ref: int, approximate: bool) -> bool:
    """True when the exact computation is within EXACT_MAX_ROWS; raises when it is not and no approximation."""
    ok = n * max(n, n_ref) <= EXACT_MAX_ROWS ** 2
    if not ok and not approximate:
        raise ExactLimitError(
            f"exact NovelSum on {n:,} rows (density reference {n_ref:,} rows) is beyond the exact limit of "
            f"{EXACT_MAX_ROWS:,} rows and would take very long; pass approximate=True for a row-sampled estimate "
            f"(or measure a subset)")
    return ok


def _densities(X: np.ndarray, reference: Optional[np.ndarray], neighbors: int, density_power: float,
               densities: Optional[np.ndarray], block_size: Optional[int],
               progress: Optional[Progress]) -> np.ndarray:
    if densities is None:
        return density(X, reference, neighbors, density_power, block_size=block_size, progress=progress)
    rho = np.asarray(densities, dtype=np.float64)
    if rho.shape != (X.shape[0],):
        raise InputError(f"densities has shape {rho.shape}; expected ({X.shape[0]},), one per row")
    if not np.isfinite(rho).all():
        raise InputError("densities contain NaN or infinite values")
    return rho


def novelty(
    X: np.ndarray,
    *,
    reference: Optional[np.ndarray] = None,
    neighbors: int = 10,
    density_power: float = 0.5,
    distance_power: float = 1.0,
    densities: Optional[np.ndarray] = None,
    block_size: Optional[int] = None,
    progress: Optional[Progress] = None,
) -> np.ndarray:
    """Per-sample novelty ``v_i`` (float64, n); NovelSum is its mean. See the module docstring.

    ``reference=None`` uses X itself as the density reference; ``densities`` may pass precomputed rho (e.g. rows
    of the pool's density when X is a subset of the pool), skipping the kNN search.
    """
    X = as_embeddings(X)
    _check_params(neighbors, density_power, distance_power)
    ref = None if reference is None else as_reference(reference, X.shape[1])
    _check_size(X.shape[0], X.shape[0] if ref is None else ref.shape[0], approximate=False)
    rho = _densities(X, ref, neighbors, density_power, densities, block_size, _stage(progress, 0.0, 0.4))
    rows = proximity_weighted_distance(X, distance_power, block_size=block_size, progress=_stage(progress, 0.4, 1.0))
    return rho * rows


def novelsum_estimate(
    X: np.ndarray,
    *,
    reference: Optional[np.ndarray] = None,
    neighbors: int = 10,
    density_power: float = 0.5,
    distance_power: float = 1.0,
    block_size: Optional[int] = None,
    approximate: bool = False,
    sample_rows: int = DEFAULT_SAMPLE_ROWS,
    seed: int = 0,
    densities: Optional[np.ndarray] = None,
    progress: Optional[Progress] = None,
) -> NovelSumResult:
    """NovelSum with its provenance: exact, or (``approximate=True`` and n > ``sample_rows``) the mean of v_i over
    ``sample_rows`` seeded random rows, with its standard error (finite-population corrected)."""
    X = as_embeddings(X)
    _check_params(neighbors, density_power, distance_power)
    ref = None if reference is None else as_reference(reference, X.shape[1])
    n = X.shape[0]
    _check_size(n, n if ref is None else ref.shape[0], approximate)
    if not approximate or n <= int(sample_rows):
        v = novelty(X, reference=ref, neighbors=neighbors, density_power=density_power,
                    distance_power=distance_power, densities=densities, block_size=block_size, progress=progress)
        return NovelSumResult(float(v.mean()), False, 0.0, n, n)
    m = int(sample_rows)
    if m < 2:
        raise InputError(f"sample_rows must be at least 2, got {sample_rows!r}")
    rows = np.sort(np.random.default_rng(seed).choice(n, size=m, replace=False))
    if densities is not None:
        rho = _densities(X, ref, neighbors, density_power, densities, block_size, None)[rows]
    else:  # only the sampled rows query the reference (the reference itself stays whole)
        rho = density(X[rows], X if ref is None else ref, neighbors, density_power, block_size=block_size,
                      progress=_stage(progress, 0.0, 0.4))
    v = rho * proximity_weighted_distance(X, distance_power, rows=rows, block_size=block_size,
                                          progress=_stage(progress, 0.4, 1.0))
    stderr = float(v.std(ddof=1) / np.sqrt(m) * np.sqrt(1.0 - m / n))
    return NovelSumResult(float(v.mean()), True, stderr, m, n)


def novelsum(X: np.ndarray, **options) -> float:
    """NovelSum of the set X (higher = more diverse): mean of :func:`novelty`. Defaults are the official ones.

    ``options`` are :func:`novelsum_estimate`'s keyword parameters (reference, neighbors = 10, density_power = 0.5,
    distance_power = 1.0, block_size, approximate = False, sample_rows, seed = 0, densities, progress);
    ``approximate=True`` allows the row-sampled estimate (``novelsum_estimate`` also reports whether it was used and
    its standard error); without it, sets beyond ``EXACT_MAX_ROWS`` raise.
    """
    return novelsum_estimate(X, **options).value
