"""Values along a selection order: the budget curve (any budget is a prefix of one ordered run).

``information_curve`` gives MIG's information E(S_k) = Σ_l phi(z_l) (arXiv 2504.13835, phi(x) = x^0.8 with no
offset, as the fixtures' E(S)) for every prefix S_k of any pick order, incrementally: adding record i changes z
only on the labels of its propagated row h_i, so each step costs O(nnz(h_i)). ``metric_curve`` evaluates any
registered metric (or a callable) at chosen prefix sizes; ``mig_information`` is E(S) as a registry metric.
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence, Union

import numpy as np

from core.errors import SiftError
from core.features import GRAPH, LABELS, QUALITY, Features
from core.label_graph import phi_values

Metric = Union[str, Callable[[Features, np.ndarray], float]]


def _check_order(order, n: int) -> np.ndarray:
    idx = np.asarray(order, dtype=np.int64).reshape(-1)
    if idx.size == 0:
        raise SiftError("the pick order is empty")
    if idx.min() < 0 or idx.max() >= n:
        raise SiftError(f"the pick order has indices outside the pool (0..{n - 1})")
    if np.unique(idx).size != idx.size:
        raise SiftError("the pick order repeats a record")
    return idx


def information_curve(label_sets: Sequence[Sequence[str]], quality, graph, order, *, prop_weight: float = 1.0,
                      phi: str = "pow", phi_b: float = 0.8, phi_alpha: float = 1.0,
                      norm: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """``(E, gains)``: E[k-1] = E(S_k) for the first k records of ``order``; gains[k-1] = E(S_k) - E(S_{k-1}).

    Only the rows in ``order`` are propagated. Records with no labels add nothing.
    """
    idx = _check_order(order, len(label_sets))
    q = np.asarray(quality, dtype=np.float64).reshape(-1)
    if q.shape[0] != len(label_sets):
        raise SiftError(f"need one quality value per record: {len(label_sets)} records, {q.shape[0]} values")
    h = graph.propagate([label_sets[i] for i in idx], q[idx], prop_weight=prop_weight, norm=norm)
    indptr, indices, data = h.indptr, h.indices, h.data
    z = np.zeros(h.shape[1], dtype=np.float64)
    gains = np.empty(idx.size, dtype=np.float64)
    for t in range(idx.size):
        lo, hi = indptr[t], indptr[t + 1]
        cols = indices[lo:hi]
        before = phi_values(z[cols], phi, phi_b, phi_alpha)
        z[cols] += data[lo:hi]
        gains[t] = float(np.sum(phi_values(z[cols], phi, phi_b, phi_alpha) - before))
    return np.cumsum(gains), gains


def information(label_sets: Sequence[Sequence[str]], quality, graph, subset=None, **kwargs) -> float:
    """E(S) of rows ``subset`` (all rows if None), computed from scratch: Σ_l phi(Σ_{i∈S} h_il)."""
    return float(np.sum(graph.label_information(label_sets, quality, subset, **kwargs)))


def mig_information(features: Features, subset) -> float:
    """Metric: MIG's information E(S) of ``subset`` (pool indices) with the official defaults (pow 0.8, alpha 1)."""
    features.require((LABELS, QUALITY, GRAPH), "MIG information")
    idx = np.asarray(subset, dtype=np.int64).reshape(-1)
    if idx.size == 0:
        raise SiftError("MIG information needs a non-empty subset")
    return information(features.label_sets, features.quality, features.graph, idx)


def metric_curve(metric: Metric, features: Features, order, ks: Optional[Sequence[int]] = None) -> np.ndarray:
    """``metric`` on the prefixes ``order[:k]`` for each k in ``ks`` (default: 10 sizes spread up to len(order)).

    ``metric`` is a registry name (``core.metrics.compute(name, features, subset)``) or a callable
    ``(features, subset) -> float``. Returns float64 values aligned with ``ks``.
    """
    idx = _check_order(order, features.n)
    if ks is None:
        ks = np.unique(np.linspace(1, idx.size, num=min(10, idx.size)).round().astype(np.int64))
    ks = [int(k) for k in ks]
    if any(k < 1 or k > idx.size for k in ks):
        raise SiftError(f"prefix sizes must be between 1 and {idx.size}")
    if isinstance(metric, str):
        from core import metrics

        def evaluate(subset: np.ndarray) -> float:
            return metrics.compute(metric, features, subset)
    elif callable(metric):
        def evaluate(subset: np.ndarray) -> float:
            return metric(features, subset)
    else:
        raise SiftError(f"metric must be a registry name or a callable, got {type(metric).__name__}")
    return np.array([float(evaluate(idx[:k])) for k in ks], dtype=np.float64)
