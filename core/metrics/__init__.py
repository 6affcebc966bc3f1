"""Diversity metrics and per-sample novelty, behind one registry (issue #3).

- :mod:`core.metrics.novelsum_metric`: NovelSum (arXiv 2502.17184), faithful to the official code;
  per-sample novelty and the density factor.
- :mod:`core.metrics.classic`: the NovelSum study's embedding baselines (DistSum, kNN distance, Vendi,
  cluster inertia, radius, log-determinant, facility location, partition entropy).
- :mod:`core.metrics.lexical` (TTR, MTLD) and :mod:`core.metrics.tags` (tag coverage).
- :mod:`core.metrics.registry`: ``REGISTRY``, ``compute``, ``compute_all`` over a :class:`core.features.Features`.

Every measure is oriented so that higher is better; each spec says what "better" means (``aspect``,
``direction``, a one-line ``meaning``), and :func:`glossary` lists them for the UI and the CLI.
"""

from core.metrics.classic import (cluster_inertia, distsum_cosine, distsum_l2, facility_location, fit_partition,
                                  knn_distance, log_determinant, partition_entropy, radius, vendi_score)
from core.metrics.lexical import mtld, tokenize, type_token_ratio
from core.metrics.novelsum_metric import (DEFAULT_SAMPLE_ROWS, EXACT_MAX_ROWS, ExactLimitError, NovelSumResult,
                                          density, mean_knn_sq_distance, novelsum, novelsum_estimate, novelty,
                                          proximity_weighted_distance)
from core.metrics.registry import (ASPECTS, REGISTRY, MetricResult, MetricSpec, compute, compute_all,
                                   compute_result, glossary, novelty_of)
from core.metrics.tags import tag_coverage

__all__ = [
    "REGISTRY", "ASPECTS", "glossary", "MetricSpec", "MetricResult", "compute", "compute_all",
    "compute_result",
    "novelty_of", "novelsum", "novelsum_estimate", "novelty", "density", "mean_knn_sq_distance",
    "proximity_weighted_distance", "NovelSumResult", "ExactLimitError", "EXACT_MAX_ROWS", "DEFAULT_SAMPLE_ROWS",
    "distsum_cosine", "distsum_l2", "knn_distance", "vendi_score", "cluster_inertia", "radius", "log_determinant",
    "facility_location", "partition_entropy", "fit_partition", "type_token_ratio", "mtld", "tokenize",
    "tag_coverage",
]
