"""The random baseline at equal budget: what a metric gives on random subsets of the same size.

A run's metric value means little alone; next to the mean and spread over seeded random draws of the same size it
reads as "x above random". Draw ``s`` of size k is the first k rows of ``numpy.random.default_rng(s).permutation``
of the candidates, exactly what the ``random`` selector picks with seed ``s`` (so a draw of size k is a prefix
of the draw of size k' > k, and one permutation per seed serves every k of a curve).

Defaults: :data:`DEFAULT_DRAWS` = 10 draws with seeds 0..9 (``seeds=`` overrides). Every value is cached in
``features.extra["metrics_cache"]`` keyed by metric, its parameters, the candidate set, the seed and k, so
the Compare table, the Selection page and the curves never recompute a draw.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Callable, Optional, Sequence, Union

import numpy as np

from core.errors import InputError, SiftError
from core.features import Features
from core.metrics.registry import REGISTRY as METRICS
from core.metrics.registry import compute
from core.metrics.registry import get as metric_spec

#: Random draws per baseline (seeds 0..DEFAULT_DRAWS-1).
DEFAULT_DRAWS = 10

Metric = Union[str, Callable[[Features, np.ndarray], float]]


@dataclass(frozen=True)
class Baseline:
    """Mean and spread of ``metric`` over random draws of ``k`` candidates, one value per seed."""

    metric: str
    k: int
    seeds: tuple
    values: tuple
    candidates: int

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))

    @property
    def std(self) -> float:
        """Sample standard deviation of the draws (0 with one draw)."""
        return float(np.std(self.values, ddof=1)) if len(self.values) > 1 else 0.0

    @property
    def stderr(self) -> float:
        """Standard error of :attr:`mean`."""
        return self.std / math.sqrt(len(self.values))

    @property
    def low(self) -> float:
        return float(np.min(self.values))

    @property
    def high(self) -> float:
        return float(np.max(self.values))

    def describe(self) -> str:
        """E.g. "random at k=100: 0.589 ± 0.004 (sd over 10 seeded draws)"."""
        return (f"random at k={self.k:,}: {self.mean:.4g} ± {self.std:.2g} "
                f"(sd over {len(self.values)} seeded draws of {self.candidates:,} candidates)")


def default_seeds(draws: int = DEFAULT_DRAWS) -> tuple:
    """Seeds 0..draws-1."""
    if int(draws) < 1:
        raise SiftError(f"a random baseline needs at least one draw, got {draws}")
    return tuple(range(int(draws)))


def _candidates(features: Features, candidates: Optional[Sequence[int]]) -> np.ndarray:
    if candidates is None:
        return np.arange(features.n, dtype=np.int64)
    idx = np.asarray(candidates, dtype=np.int64).reshape(-1)
    if idx.size == 0:
        raise InputError("the random baseline has no candidates")
    if idx.min() < 0 or idx.max() >= features.n or np.unique(idx).size != idx.size:
        raise InputError(f"baseline candidates must be distinct row indices in 0..{features.n - 1}")
    return idx


def draw(features: Features, k: int, seed: int, candidates: Optional[Sequence[int]] = None) -> np.ndarray:
    """The ``k`` rows of random draw ``seed``: the random selector's pick with that seed (among ``candidates``)."""
    pool = _candidates(features, candidates)
    if not 1 <= int(k) <= pool.size:
        raise SiftError(f"a random draw of {k} needs 1..{pool.size} candidates")
    return pool[np.random.default_rng(int(seed)).permutation(pool.size)[:int(k)]]


def _draw_prefix(features: Features, pool: np.ndarray, digest: str, seed: int, length: int) -> np.ndarray:
    """The first ``length`` rows of draw ``seed`` among ``pool`` (``pool[default_rng(seed).permutation]``), kept in
    ``features.extra["baseline_draws"]`` so the metrics of one baseline share one permutation per seed (a 1M-row
    permutation per seed and per metric was the pool-sized part of a compare's baseline)."""
    memo = features.extra.setdefault("baseline_draws", {})
    key = (digest, int(pool.size), int(seed))
    prefix = memo.get(key)
    if prefix is None or prefix.size < length:
        prefix = pool[np.random.default_rng(int(seed)).permutation(pool.size)[:int(length)]]
        memo[key] = prefix
    return prefix


def candidates_digest(pool: np.ndarray) -> str:
    """Digest of a candidate set (part of every cached baseline value's key)."""
    return hashlib.blake2b(np.ascontiguousarray(pool).tobytes(), digest_size=12).hexdigest()


def draws(features: Features, k: int, *, seeds: Optional[Sequence[int]] = None,
          candidates: Optional[Sequence[int]] = None) -> list[np.ndarray]:
    """The ``k`` rows of every baseline draw (default seeds 0..9), as :func:`baseline_curve` measures them."""
    seeds = tuple(int(s) for s in (default_seeds() if seeds is None else seeds))
    pool = _candidates(features, candidates)
    if not 1 <= int(k) <= pool.size:
        raise SiftError(f"a random draw of {k} needs 1..{pool.size} candidates")
    digest = candidates_digest(pool)
    return [_draw_prefix(features, pool, digest, s, int(k))[:int(k)] for s in seeds]


def _metric_fn(metric: Metric, params: dict) -> tuple[str, Callable[[Features, np.ndarray], float], bool]:
    """(name, evaluate, cacheable) for a registry name or a callable ``(features, subset) -> float``."""
    if isinstance(metric, str):
        metric_spec(metric)  # an unknown name raises a SiftError listing the known ones
        return metric, lambda f, s: compute(metric, f, s, **params), True
    if callable(metric):
        return getattr(metric, "__name__", "metric"), metric, False
    raise SiftError(f"metric must be a registry name or a callable, got {type(metric).__name__}")


def _key(name: str, params: dict, pool_digest: str, seed: int, k: int) -> tuple:
    return ("random_baseline", name, tuple(sorted((str(a), repr(b)) for a, b in params.items())), pool_digest,
            int(seed), int(k))


def baseline_curve(features: Features, metric: Metric, ks: Sequence[int], *, seeds: Optional[Sequence[int]] = None,
                   candidates: Optional[Sequence[int]] = None, params: Optional[dict] = None) -> list[Baseline]:
    """One :class:`Baseline` per k in ``ks`` (each k between 1 and the number of candidates), cached per value."""
    params = dict(params or {})
    seeds = tuple(int(s) for s in (default_seeds() if seeds is None else seeds))
    if not seeds:
        raise SiftError("a random baseline needs at least one seed")
    pool = _candidates(features, candidates)
    ks = [int(k) for k in ks]
    if any(not 1 <= k <= pool.size for k in ks):
        raise SiftError(f"baseline sizes must be between 1 and {pool.size} (the candidates)")
    name, evaluate, cacheable = _metric_fn(metric, params)
    cache = features.extra.setdefault("metrics_cache", {})
    digest = candidates_digest(pool)
    values = {k: [] for k in ks}
    for seed in seeds:
        order = None
        for k in ks:
            key = _key(name, params, digest, seed, k) if cacheable else None
            if key is None or key not in cache:
                if order is None:  # drawn only when a value is not cached yet
                    order = _draw_prefix(features, pool, digest, seed, max(ks))
                value = float(evaluate(features, order[:k]))
                if key is None:
                    values[k].append(value)
                    continue
                cache[key] = value
            values[k].append(cache[key])
    return [Baseline(name, k, seeds, tuple(values[k]), int(pool.size)) for k in ks]


def random_baseline(features: Features, metric: Metric, k: int, *, seeds: Optional[Sequence[int]] = None,
                    candidates: Optional[Sequence[int]] = None, params: Optional[dict] = None) -> Baseline:
    """Mean and spread of ``metric`` over random draws of ``k`` rows (default seeds 0..9), cached.

    ``metric`` is a registry name (``params`` are its parameters) or a callable ``(features, subset) -> float``
    (not cached). ``candidates`` restricts the draws (e.g. the records kept by dedup), as the run being compared.
    """
    return baseline_curve(features, metric, [k], seeds=seeds, candidates=candidates, params=params)[0]


@dataclass(frozen=True)
class VersusRandom:
    """A run's value against the random baseline, signed so that positive is better than random."""

    value: float
    baseline: Baseline
    higher_is_better: bool = True

    @property
    def delta(self) -> float:
        """value - random mean, sign flipped for lower-is-better metrics (positive = better than random)."""
        d = self.value - self.baseline.mean
        return d if self.higher_is_better else -d

    @property
    def z(self) -> Optional[float]:
        """delta in random standard deviations (None when the draws do not vary)."""
        sd = self.baseline.std
        return self.delta / sd if sd > 0 else None

    @property
    def ratio(self) -> Optional[float]:
        """value / random mean (None when the mean is 0)."""
        return self.value / self.baseline.mean if self.baseline.mean != 0 else None

    def describe(self) -> str:
        """E.g. "0.031 above random (2.4 sd)", "0.012 below random (0.5 sd)", "as random"."""
        if self.delta == 0:
            return "as random"
        word = "above" if self.delta > 0 else "below"
        sd = "" if self.z is None else f" ({abs(self.z):.1f} sd)"
        return f"{abs(self.delta):.3g} {word} random{sd}"


def versus_random(value: float, baseline: Baseline, higher_is_better: Optional[bool] = None) -> VersusRandom:
    """``value`` read against ``baseline``; the direction defaults to the registry's for a registry metric."""
    if higher_is_better is None:
        spec = METRICS.get(baseline.metric)
        higher_is_better = True if spec is None else spec.higher_is_better
    return VersusRandom(float(value), baseline, bool(higher_is_better))
