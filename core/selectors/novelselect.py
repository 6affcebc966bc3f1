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
O(N |S| log |S|) per pick. Here each row keeps its u values in a preallocated (N, budget) float32 block: a sorted
prefix plus the values that arrived since the row was last scored, appended unsorted. A row's score is computed
exactly (sort the new values, merge them into the prefix, ``A_i = sum_r w_r u_(r)`` afresh in float64) only when
it could win. Why that is safe: the weights ``r ** -alpha`` never increase with the rank, so by the rearrangement
inequality the sorted sum is the smallest over all orders of the same values; putting a new value v last (rank
|S|+1) is one such order, so inserting v raises ``A_i`` by at most ``w_{|S|+1} v``. Each row keeps that upper
bound; a step scores exactly the row with the largest bound, then every row whose bound reaches the best exact
score so far (with a 1e-9 relative margin for rounding), and picks the first maximum of the exact scores. Rows
never scored at a step provably score lower, so the pick is the official argmax, ties to the lowest index. A row's
exact A depends only on its values (a fresh sum, not on when it was last scored), so the picks do not depend on
the schedule. Per pick this costs one matrix-vector product plus exact scores for the few rows near the top
(``info["scored_rows"]`` counts them); the earlier incremental insertion paid O(N |S|) every pick.
The kernels are numba, single-threaded (memory-bound; threads cost more than they save on shared cores).
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
    """NovelSelect ``budget`` rows of ``X`` (n, d); exact official picks, rows scored only when they could win.

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
    w = rank_weights(budget, distance_power)
    U = np.empty((n, budget), dtype=np.float32)
    A = np.zeros(n, dtype=np.float64)  # exact weighted sum of each row's sorted prefix U[i, :L[i]]
    bound = np.zeros(n, dtype=np.float64)  # upper bound of each row's current A (equal to A when L[i] = |S|)
    L = np.zeros(n, dtype=np.int64)
    active = np.ones(n, dtype=np.bool_)
    push, best_row = _kernels()
    picks = [centres[0]]
    gains = [0.0]
    scored = 0
    active[centres[0]] = False
    with single_thread():
        for s in range(budget - 1):
            c = picks[-1]
            u = ((np.float32(1.0) - Xn @ Xn[c]) * (rho32 + rho32[c])).astype(np.float32)
            push(U, s, u, w, bound, active)
            forced = centres[s + 1] if s + 1 < len(centres) else -1
            best, score, count = best_row(U, s + 1, w, A, bound, L, active, forced, _MARGIN)
            scored += count
            picks.append(best)
            gains.append(score)
            active[best] = False
            if progress is not None and (s % 10 == 0 or s == budget - 2):
                report(progress, (s + 2) / budget, f"NovelSelect: {s + 2:,} / {budget:,} picked")
    return Selection(np.array(picks), np.array(gains), NAME,
                     info={"start": picks[0], "first_gain": "0 (the first pick has no score)",
                           "scored_rows": scored})


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
        from core.metrics.knn_memo import self_density  # computed once per array, shared with the metrics

        return self_density(X, neighbors, power)
    rho = np.asarray(density, dtype=np.float64)
    if rho.shape != (X.shape[0],) or not np.isfinite(rho).all():
        raise SiftError(f"density must be {X.shape[0]} finite values, got shape {rho.shape}")
    return rho


_MARGIN = 1e-9  # relative slack on the bound test, far above float64 rounding of sums of <= 10^6 terms
_KERNELS = None


def _kernels():
    """The numba kernels (push, best_row), compiled once (cached on disk). numba is a pinned dependency: a
    missing numba is a broken install and fails here, loudly."""
    global _KERNELS  # noqa: PLW0603 - a compile cache, not state that changes results
    if _KERNELS is not None:
        return _KERNELS
    import numba

    opts = {"cache": True, "nogil": True}

    @numba.njit(**opts)
    def push(U, s, u, w, bound, active):  # pragma: no cover - compiled
        """Append the step's value to every active row (column s) and raise its bound by w[s] * u."""
        ws = w[s]
        for i in range(U.shape[0]):
            if active[i]:
                U[i, s] = u[i]
                bound[i] += ws * np.float64(u[i])

    # reassoc lets LLVM keep several partial sums (float64 sums of float32 values; a fixed order for a given
    # length, so a row's A is a function of its values alone).
    @numba.njit(fastmath={"reassoc", "contract"}, **opts)
    def exact(U, i, t, w, A, bound, L):  # pragma: no cover - compiled
        """Merge row i's new values U[i, L[i]:t] into its sorted prefix; A[i] = bound[i] = sum_r w_r u_(r)."""
        lo = L[i]
        if lo < t:
            new = np.sort(U[i, lo:t])
            a = lo - 1
            b = t - lo - 1
            k = t - 1
            while b >= 0:
                if a >= 0 and U[i, a] > new[b]:
                    U[i, k] = U[i, a]
                    a -= 1
                else:
                    U[i, k] = new[b]
                    b -= 1
                k -= 1
            total = 0.0
            for r in range(t):
                total += w[r] * np.float64(U[i, r])
            A[i] = total
            bound[i] = total
            L[i] = t
        return A[i]

    @numba.njit(**opts)
    def best_row(U, t, w, A, bound, L, active, forced, margin):  # pragma: no cover - compiled
        """(row, score, rows scored): the first maximum of A / t over active rows (or ``forced`` and its score)."""
        if forced >= 0:
            return forced, exact(U, forced, t, w, A, bound, L) / t, 1
        top = -1
        for i in range(U.shape[0]):
            if active[i] and (top < 0 or bound[i] > bound[top]):
                top = i
        best = top
        best_a = exact(U, top, t, w, A, bound, L)
        best_score = best_a / t
        count = 1
        for i in range(U.shape[0]):
            if not active[i] or i == top:
                continue
            if bound[i] < best_a - margin * (abs(best_a) + abs(bound[i])):
                continue  # its exact A is at most bound[i]: it cannot reach the best
            if L[i] < t:
                count += 1
            a = exact(U, i, t, w, A, bound, L)
            score = a / t
            if score > best_score or (score == best_score and i < best):
                best, best_a, best_score = i, a, score
        return best, best_score, count

    _KERNELS = (push, best_row)
    return _KERNELS
