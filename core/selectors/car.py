"""CaR-style cluster-and-rank (Ge et al. 2024, "Clustering and Ranking: Diversity-preserved Instruction
Selection through Expert-aligned Quality Estimation", arXiv 2402.18191; official code IronBeliever/CaR).

As in the official ``Clustering/cluster.py``: embeddings reduced by PCA keeping 95% of the variance, then
k-means with ``k = int(sqrt(N / 2))`` clusters (seeded). The paper's subset is the top ``n1`` records by
quality overall united with the top ``n2`` of every cluster (``n2 = 1`` in the paper), deduplicated.

Budget rule: here ``n1`` is whatever the budget leaves after the cluster representatives, so the union has
exactly ``budget`` rows. The pick order is the representatives by quality (best first), then the remaining
records by quality. Every prefix of that order is exactly this rule at the smaller budget (below the number of
representatives, the best representatives). Quality is the pool's own (ranking only, so no scaling is needed;
the paper's IQS scorer is not bundled). Gains are the raw quality scores; ``info["cluster"]`` gives each
pick's cluster.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from core.errors import check_budget
from core.features import EMBEDDINGS, QUALITY, Features, Progress
from core.params import Param
from core.selection import Selection
from core.selectors._common import (auto_clusters, check_matrix, check_vector, embeddings_of, kmeans, quality_of,
                                    quality_order, report)

NAME = "car"
LABEL = "CaR (cluster and rank)"
SUMMARY = "The best n2 records of every k-means cluster, then the best records overall, by quality."
CITATION = "Ge et al. 2024, Clustering and Ranking: Diversity-preserved Instruction Selection, arXiv 2402.18191"
NEEDS = (EMBEDDINGS, QUALITY)
USES_SEED = True
USES_REFERENCE = False
TAKES_INCLUDE = False
TAKES_QUOTAS = False
PARAMS = [
    Param("n_clusters", 0, int, "k-means clusters; 0 = int(sqrt(N / 2)) as in the official code", low=0),
    Param("per_cluster", 1, int, "n2: best records taken from every cluster", low=1),
    Param("pca_variance", 0.95, float, "PCA keeps this share of variance before k-means; 0 = no PCA", low=0.0, high=1.0),
]


def select(X: np.ndarray, quality: np.ndarray, budget: int, *, n_clusters: int = 0, per_cluster: int = 1,
           pca_variance: float = 0.95, seed: int = 42, progress: Optional[Progress] = None) -> Selection:
    """CaR on rows ``X`` with ``quality``: representatives of every cluster first, then the best overall."""
    X = check_matrix(X, LABEL)
    n = X.shape[0]
    q = check_vector(quality, n, "quality")
    budget = check_budget(budget, n)
    k = auto_clusters(n, n_clusters)
    Z = X
    if 0 < pca_variance < 1 and min(X.shape) > 1:
        from sklearn.decomposition import PCA

        report(progress, 0.0, "CaR: PCA")
        Z = PCA(n_components=pca_variance, random_state=seed).fit_transform(X.astype(np.float64))
    labels, _ = kmeans(Z, k, seed=seed, progress=progress)
    order = quality_order(q)
    taken = np.zeros(int(labels.max()) + 1, dtype=np.int64)
    is_rep = np.zeros(n, dtype=bool)
    for i in order:
        if taken[labels[i]] < per_cluster:
            taken[labels[i]] += 1
            is_rep[i] = True
    reps = order[is_rep[order]]
    rest = order[~is_rep[order]]
    picks = np.concatenate([reps, rest])[:budget]
    report(progress, 1.0, f"CaR: {len(reps):,} cluster representatives, {max(budget - len(reps), 0):,} by quality")
    return Selection(picks, q[picks], NAME,
                     info={"n_clusters": k, "representatives": int(len(reps)), "cluster": labels[picks].tolist()})


def run(features: Features, budget: int, *, progress: Optional[Progress] = None, n_clusters: int = 0,
        per_cluster: int = 1, pca_variance: float = 0.95, seed: int = 42) -> Selection:
    """Registry entry point."""
    return select(embeddings_of(features, LABEL), quality_of(features, LABEL), budget, n_clusters=n_clusters,
                  per_cluster=per_cluster, pca_variance=pca_variance, seed=seed, progress=progress)
