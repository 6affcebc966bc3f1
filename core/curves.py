"""Values along a selection order: the budget curve (any budget is a prefix of one ordered run).

``metric_curve`` evaluates any registered metric (or a callable) at chosen prefix sizes of a pick order. MIG's
information along an order, E(S_k) for every prefix (``information_curve``), and E(S) of a set
(``information``) are MIG's mathematics and live in :mod:`core.information`; they and the ``mig_information``
metric (:mod:`core.metrics.registry`) are re-exported here for the callers of the budget curves.
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence, Union

import numpy as np

from core import metrics
from core.errors import SiftError
from core.features import Features
from core.information import check_order, information, information_curve
from core.metrics.registry import mig_information

__all__ = ["Metric", "information", "information_curve", "metric_curve", "mig_information"]

Metric = Union[str, Callable[[Features, np.ndarray], float]]


def metric_curve(metric: Metric, features: Features, order, ks: Optional[Sequence[int]] = None) -> np.ndarray:
    """``metric`` on the prefixes ``order[:k]`` for each k in ``ks`` (default: 10 sizes spread up to len(order)).

    ``metric`` is a registry name (``core.metrics.compute(name, features, subset)``) or a callable
    ``(features, subset) -> float``. Returns float64 values aligned with ``ks``.
    """
    idx = check_order(order, features.n)
    if ks is None:
        ks = np.unique(np.linspace(1, idx.size, num=min(10, idx.size)).round().astype(np.int64))
    ks = [int(k) for k in ks]
    if any(k < 1 or k > idx.size for k in ks):
        raise SiftError(f"prefix sizes must be between 1 and {idx.size}")
    if isinstance(metric, str):
        def evaluate(subset: np.ndarray) -> float:
            return metrics.compute(metric, features, subset)
    elif callable(metric):
        def evaluate(subset: np.ndarray) -> float:
            return metric(features, subset)
    else:
        raise SiftError(f"metric must be a registry name or a callable, got {type(metric).__name__}")
    return np.array([float(evaluate(idx[:k])) for k in ks], dtype=np.float64)
