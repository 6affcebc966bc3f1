"""Per-sample NovelSum novelty of a whole pool, with its two factors, exact or on a seeded sample of rows.

The Novelty page, the map's novelty colouring and exports read these numbers; computing them here keeps the
app's maths in the core. Pools up to ``core.metrics.EXACT_MAX_ROWS`` rows are exact; larger ones get novelty on
``sample`` seeded rows (each still measured against the whole pool), NaN elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Rows evaluated when the pool is larger than core.metrics.EXACT_MAX_ROWS.
NOVELTY_SAMPLE = 5000


@dataclass(frozen=True)
class PoolNovelty:
    """``v`` (novelty v_i), ``rho`` (density factor) per pool row, NaN outside ``rows`` (the rows evaluated)."""

    v: np.ndarray
    rho: np.ndarray
    rows: np.ndarray

    @property
    def distance(self) -> np.ndarray:
        """The distance factor d_i = v_i / rho_i (proximity-weighted mean cosine distance to the pool)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.v / self.rho

    @property
    def exact(self) -> bool:
        return len(self.rows) == len(self.v)


def pool_novelty(embeddings: np.ndarray, *, sample: int = NOVELTY_SAMPLE, seed: int = 0,
                 unit: bool = False) -> PoolNovelty:
    """NovelSum per-sample novelty with the pool itself as the reference (k = 10, beta = 0.5, alpha = 1).

    Every row when the pool has at most EXACT_MAX_ROWS rows; else ``sample`` rows drawn with
    ``numpy.random.default_rng(seed)`` (default 5000 rows, seed 0), whose distance rows use the pool's float32
    unit rows as they are (``unit=True``: ``Features.embeddings_unit``, see
    :func:`core.metrics.proximity_weighted_distance`; otherwise when they are a fixed point of the normalisation)
    instead of a normalised copy of the pool. Raises SiftError when the pool has too few distinct records for the
    density's 10 neighbours.
    """
    from core.metrics import EXACT_MAX_ROWS, density, novelty, proximity_weighted_distance
    from core.metrics.knn_memo import self_density

    X = embeddings
    n = len(X)
    if n <= EXACT_MAX_ROWS:
        rows = np.arange(n)
        rho = np.asarray(self_density(X), dtype=np.float64)  # once per array, shared with metrics and selectors
        v = np.asarray(novelty(X, densities=rho), dtype=np.float64)
    else:
        rows = np.sort(np.random.default_rng(seed).choice(n, size=min(int(sample), n), replace=False))
        rho = np.full(n, np.nan)
        v = np.full(n, np.nan)
        rho[rows] = density(X[rows], X)
        v[rows] = rho[rows] * proximity_weighted_distance(X, rows=rows, unit=unit)
    return PoolNovelty(v=v, rho=np.asarray(rho, dtype=np.float64), rows=rows)
