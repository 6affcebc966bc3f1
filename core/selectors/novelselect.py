"""NovelSelect: greedy selection that maximises NovelSum (Yang et al. 2025, arXiv 2502.17184).

Faithful to the official ``novelselect`` (UmeanNever/NovelSum, commit b5949626) run in float32, which is what
``fixtures/novelselect_seed42.json`` records:

* embeddings are L2-normalised in float64 and cast to float32; the density uses the embeddings as given;
* density: reference = the pool (float32 rows, exact duplicates removed); for every row the k+1 nearest
  reference rows by squared L2, the first dropped, the mean ``m`` of the other k; ``rho = (m + 1e-9) ** -beta``
  (computed by :func:`core.metrics.density`, shared with the NovelSum metric; it matches the fixture's
  ``density_map_float32`` to 3e-7);
* first centre: ``RandomState(seed).randint(0, N)`` (the same draw as the official ``np.random.seed(seed);
  np.random.randint(0, N)``: 102 for N=600, seed 42) unless ``start`` is given;
* each step, for every row i and every selected j: ``u_ij = (1 - cos(x_i, x_j)) * (rho_i + rho_j)`` (the
  densities are *added*); row sorted ascending; ``score_i = (1/|S|) sum_r r**-alpha u_i(r)``; selected rows get
  ``-inf``; the first maximum is picked.

Deviation (speed only, same picks): the official loop recomputes and sorts the full (N, |S|) matrix every step,
O(N |S| log |S|). Here each row keeps its sorted u values in a preallocated (N, budget) float32 block and its
weighted sum ``A_i`` in float64. A new value u inserted at rank p shifts the later ranks by one, so
``A_i += w_p u + sum_{r >= p} (w_{r+1} - w_r) u_(r)``: one binary search plus a pass over the values above the
new one, done in a numba kernel (``_insert_numpy``, a vectorised numpy version, checks it in the tests). Values
are rounded to float32 once, before they are stored and summed, so the running sums are sums of the stored values
(to float64 rounding).
Ties among equal values do not change a weighted sum, so the order of equal values never matters. The loop runs
single-threaded (one memory-bound matrix-vector product per pick; threads cost more than they save).
Memory: the (N, budget) float32 block, e.g. 80 MB for 20,000 rows and 1,000 picks.
:func:`select_reference` is the direct, official-style loop, kept for tests and the benchmark.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from core.errors import SiftError, check_budget
from core.features import EMBEDDINGS, Features, Progress
from core.params import Param
from core.selection import Selection
from core.selectors._common import check_matrix, embeddings_of, first_centres, report, single_thread
from core.vectors import unit_rows

NAME = "novelselect"
LABEL = "NovelSelect"
SUMMARY = "Greedy maximisation of NovelSum: picks the sample whose density-weighted distances to the chosen set are largest."
CITATION = ("Yang et al. 2025, Measuring Data Diversity for Instruction Tuning: A Systematic Analysis and A "
            "Reliable Metric, arXiv 2502.17184 (official code UmeanNever/NovelSum)")
NEEDS = (EMBEDDINGS,)
USES_SEED = True
USES_REFERENCE = False
TAKES_INCLUDE = True  # run() accepts include= (rows that start the selection)
TAKES_QUOTAS = False
PARAMS = [
    Param("neighbors", 10, int, "k nearest neighbours for the density", low=1, high=1000),
    Param("density_power", 0.5, float, "beta: density = (mean squared kNN distance + 1e-9) ** -beta", low=0.0, high=10.0),
    Param("distance_power", 1.0, float, "alpha: rank r of a sorted row gets weight r ** -alpha", low=0.0, high=10.0),
    Param("start", -1, int, "index of the first pick; -1 draws it from the seed as the official code does", low=-1),
]


def rank_weights(n: int, distance_power: float) -> np.ndarray:
    """Weights ``r ** -distance_power`` for ranks r = 1..n (float64)."""
    return np.arange(1, n + 1, dtype=np.float64) ** (-float(distance_power))


def select(X: np.ndarray, budget: int, *, neighbors: int = 10, density_power: float = 0.5,
           distance_power: float = 1.0, start: Optional[int] = None, seed: int = 42,
           density: Optional[np.ndarray] = None, include: Sequence[int] = (),
           progress: Optional[Progress] = None) -> Selection:
    """NovelSelect ``budget`` rows of ``X`` (n, d); exact official picks, O(N |S|) per step.

    ``density`` may pass precomputed ``rho`` (e.g. the fixture's); otherwise the pool's own NovelSum density
    (:func:`core.metrics.density`, reference = the pool). ``include`` rows form the starting set (in order),
    instead of one first pick (``start`` or drawn from ``seed``, ``_common.first_centres``).
    Gains are each pick's score at the time it was picked (0 for the first, which has no score).
    """
    X = check_matrix(X, "NovelSelect")
    n = X.shape[0]
    budget = check_budget(budget, n)
    centres = first_centres(n, include, start, seed, "NovelSelect")
    report(progress, 0.0, "NovelSelect: density")
    rho = _density_or_given(X, density, neighbors, density_power)
    Xn = unit_rows(X)
    rho32 = rho.astype(np.float32)
    w = rank_weights(budget + 1, distance_power)
    dw = np.diff(w)  # dw[r] = w[r+1] - w[r] (0-based ranks)
    U = np.empty((n, budget), dtype=np.float32)
    A = np.zeros(n, dtype=np.float64)
    active = np.ones(n, dtype=np.bool_)
    insert = _kernel()
    picks = [centres[0]]
    gains = [0.0]
    active[centres[0]] = False
    with single_thread():
        for s in range(budget - 1):
            c = picks[-1]
            u = ((np.float32(1.0) - Xn @ Xn[c]) * (rho32 + rho32[c])).astype(np.float32)
            insert(U, s, u, w, dw, A, active)
            score = A / (s + 1)
            score[~active] = -np.inf
            best = centres[s + 1] if s + 1 < len(centres) else int(np.argmax(score))
            picks.append(best)
            gains.append(float(score[best]))
            active[best] = False
            if progress is not None and (s % 10 == 0 or s == budget - 2):
                report(progress, (s + 2) / budget, f"NovelSelect: {s + 2:,} / {budget:,} picked")
    return Selection(np.array(picks), np.array(gains), NAME,
                     info={"start": picks[0], "first_gain": "0 (the first pick has no score)"})


def select_reference(X: np.ndarray, budget: int, *, neighbors: int = 10, density_power: float = 0.5,
                     distance_power: float = 1.0, start: Optional[int] = None, seed: int = 42,
                     density: Optional[np.ndarray] = None) -> np.ndarray:
    """The official loop written directly (recompute and sort the (N, |S|) matrix each step); slow, for checks.

    Uses the same float32 u values as :func:`select`; sums in float64.
    """
    X = check_matrix(X, "NovelSelect")
    n = X.shape[0]
    budget = check_budget(budget, n)
    picks = first_centres(n, (), start, seed, "NovelSelect")
    rho32 = _density_or_given(X, density, neighbors, density_power).astype(np.float32)
    Xn = unit_rows(X)
    w = rank_weights(budget, distance_power)
    for s in range(1, budget):
        sel = np.array(picks)
        u = ((np.float32(1.0) - Xn @ Xn[sel].T) * (rho32[:, None] + rho32[None, sel])).astype(np.float32)
        u.sort(axis=1)
        score = (u.astype(np.float64) @ w[:s]) / s
        score[sel] = -np.inf
        picks.append(int(np.argmax(score)))
    return np.array(picks, dtype=np.int64)


def run(features: Features, budget: int, *, progress: Optional[Progress] = None, neighbors: int = 10,
        density_power: float = 0.5, distance_power: float = 1.0, start: int = -1, seed: int = 42,
        include: Sequence[int] = ()) -> Selection:
    """Registry entry point: NovelSelect on ``features.embeddings``."""
    X = embeddings_of(features, LABEL)
    return select(X, budget, neighbors=neighbors, density_power=density_power, distance_power=distance_power,
                  start=start, seed=seed, include=include, progress=progress)


def _density_or_given(X: np.ndarray, density: Optional[np.ndarray], neighbors: int, power: float) -> np.ndarray:
    if density is None:  # the metrics' NovelSum density: matches the fixture's density_map_float32 (3e-7)
        from core.metrics.novelsum_metric import density as novelsum_density

        return novelsum_density(X, None, neighbors, power)
    rho = np.asarray(density, dtype=np.float64)
    if rho.shape != (X.shape[0],) or not np.isfinite(rho).all():
        raise SiftError(f"density must be {X.shape[0]} finite values, got shape {rho.shape}")
    return rho


def _insert_numpy(U, s, u, w, dw, A, active):  # noqa: ANN001 - same signature as the numba kernel
    """The insertion kernel vectorised in numpy (rows of ``U[:, :s]`` sorted ascending): a second, independent
    implementation the tests check the numba kernel against."""
    rows = np.flatnonzero(active)
    old = U[rows, :s]
    v = u[rows]
    above = old >= v[:, None]  # ranks >= p, where p = number of values below v
    p = s - above.sum(axis=1)
    tail = np.where(above, old.astype(np.float64) * dw[None, :s], 0.0).sum(axis=1)
    A[rows] += w[p] * v.astype(np.float64) + tail
    rank = np.arange(s + 1)[None, :]
    shifted = np.empty((rows.size, s + 1), dtype=U.dtype)
    shifted[:, :s] = old
    right = np.empty_like(shifted)
    right[:, 1:] = old
    right[:, 0] = 0
    new = np.where(rank < p[:, None], shifted, np.where(rank == p[:, None], v[:, None], right))
    U[rows, : s + 1] = new


_KERNEL = None


def _kernel():
    """The numba insertion kernel, compiled once (cached on disk). numba is a pinned dependency: a missing numba
    is a broken install and fails here, loudly."""
    global _KERNEL  # noqa: PLW0603 - a compile cache, not state that changes results
    if _KERNEL is not None:
        return _KERNEL
    import numba

    # Serial on purpose: on a shared 2-core machine OpenMP threads spin and run slower than one thread.
    # reassoc lets LLVM keep several partial sums for the tail (float64 sums of float32 values: the order
    # changes a sum by ~1e-16 relative, far below any score gap that decides a pick).
    @numba.njit(cache=True, nogil=True, fastmath={"reassoc", "contract"})
    def _insert_numba(U, s, u, w, dw, A, active):  # pragma: no cover - compiled
        for i in range(U.shape[0]):
            if not active[i]:
                continue
            v = u[i]
            lo = 0
            hi = s
            while lo < hi:
                mid = (lo + hi) >> 1
                if U[i, mid] < v:
                    lo = mid + 1
                else:
                    hi = mid
            tail = 0.0
            for r in range(s - 1, lo - 1, -1):
                x = U[i, r]
                tail += dw[r] * x
                U[i, r + 1] = x
            U[i, lo] = v
            A[i] += w[lo] * v + tail

    _KERNEL = _insert_numba
    return _KERNEL
