"""kMQ, k-means-quality sampling (Yu et al. 2024, "Diversify and Conquer: Diversity-Centric Data Selection
with Iterative Refinement", arXiv 2409.11378; official code for-ai/iterative-data-selection).

The static kMQ of the paper (the iterative refinement needs training runs and is out of scope): k-means on
the embeddings, an equal share of the budget per cluster, and inside each cluster sampling without replacement
with probability proportional to ``exp(quality)`` (the official ``KMenasRandomDeita``: softmax of the scores,
``np.random.choice(..., replace=False, p=p)`` after ``np.random.seed(seed)``).

Deviations, each so that a curator gets exactly the budget they asked for:

* Clusters: default ``min(1024, budget)`` (the official config uses K = 1024 on pools of ~100k+; more clusters
  than the budget would leave clusters with a zero share).
* Equal shares: the official code takes ``min(budget // K, cluster size)`` per cluster and so returns fewer
  rows than asked. Here shares are filled like water: small clusters give all their rows and what they could
  not give is shared equally among the others; the last few rows of an uneven division go to clusters drawn
  at random (seeded).
* Quality scaling: the official scores are 1-10 integers from an LLM judge; here quality is min-max scaled to
  [0, ``scale``] with ``scale = 9`` (the same spread) before ``exp``, so any quality scale behaves alike.

Pick order is round-robin over clusters (the j-th draw of every cluster in round j, clusters by id), so any
prefix is close to equal per cluster too. Gains are the raw quality scores; ``info["cluster"]`` each pick's
cluster and ``info["quota"]`` every cluster's share.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from core.errors import check_budget
from core.features import EMBEDDINGS, QUALITY, Features, Progress
from core.params import Param
from core.selection import Selection
from core.selectors._common import check_matrix, check_vector, embeddings_of, kmeans, minmax, quality_of, report

NAME = "kmq"
LABEL = "kMQ (k-means + quality sampling)"
SUMMARY = "Equal budget per k-means cluster, sampled inside each cluster with probability proportional to exp(quality)."
CITATION = "Yu et al. 2024, Diversify and Conquer: Diversity-Centric Data Selection with Iterative Refinement, arXiv 2409.11378"
NEEDS = (EMBEDDINGS, QUALITY)
USES_SEED = True
USES_REFERENCE = False
TAKES_INCLUDE = False
TAKES_QUOTAS = False
PARAMS = [
    Param("n_clusters", 0, int, "k-means clusters; 0 = min(1024, budget)", low=0),
    Param("scale", 9.0, float, "quality is min-max scaled to [0, scale] before exp (9 = a 1-10 judge's spread)",
          low=0.0, high=100.0),
]


def equal_quotas(sizes: np.ndarray, budget: int, rng: np.random.RandomState) -> np.ndarray:
    """Equal shares of ``budget`` over clusters of ``sizes`` (water-filling; remainder to random clusters)."""
    sizes = np.asarray(sizes, dtype=np.int64)
    quota = np.zeros_like(sizes)
    left = int(budget)
    while left > 0:
        open_ = np.flatnonzero(quota < sizes)
        if open_.size == 0:
            break
        share = left // open_.size
        if share == 0:
            lucky = rng.choice(open_, size=left, replace=False)
            quota[lucky] += 1
            break
        give = np.minimum(sizes[open_] - quota[open_], share)
        quota[open_] += give
        left -= int(give.sum())
    return quota


def select(X: np.ndarray, quality: np.ndarray, budget: int, *, n_clusters: int = 0, scale: float = 9.0,
           seed: int = 42, labels: Optional[np.ndarray] = None, progress: Optional[Progress] = None) -> Selection:
    """kMQ on rows ``X`` with ``quality``; ``labels`` may pass a precomputed clustering."""
    X = check_matrix(X, LABEL)
    n = X.shape[0]
    q = check_vector(quality, n, "quality")
    budget = check_budget(budget, n)
    k = int(n_clusters) if n_clusters and n_clusters > 0 else min(1024, budget)
    k = max(1, min(k, n))
    if labels is None:
        labels, _ = kmeans(X, k, seed=seed, progress=progress)
    labels = np.asarray(labels, dtype=np.int64)
    rng = np.random.RandomState(seed)
    ids = np.unique(labels)
    members = [np.flatnonzero(labels == c) for c in ids]
    quota = equal_quotas(np.array([m.size for m in members]), budget, rng)
    logits = minmax(q) * float(scale)
    draws = []
    for m, take in zip(members, quota):
        if take == 0:
            draws.append(np.empty(0, dtype=np.int64))
            continue
        p = np.exp(logits[m] - logits[m].max())
        draws.append(rng.choice(m, size=int(take), replace=False, p=p / p.sum()))
    picks = [int(d[j]) for j in range(int(quota.max(initial=0))) for d in draws if j < d.size]
    picks_arr = np.array(picks, dtype=np.int64)
    report(progress, 1.0, f"kMQ: {budget:,} picked from {len(ids):,} clusters")
    return Selection(picks_arr, q[picks_arr], NAME,
                     info={"n_clusters": int(len(ids)), "cluster": labels[picks_arr].tolist(),
                           "quota": {int(c): int(t) for c, t in zip(ids, quota)}})


def run(features: Features, budget: int, *, progress: Optional[Progress] = None, n_clusters: int = 0,
        scale: float = 9.0, seed: int = 42) -> Selection:
    """Registry entry point."""
    return select(embeddings_of(features, LABEL), quality_of(features, LABEL), budget, n_clusters=n_clusters,
                  scale=scale, seed=seed, progress=progress)
