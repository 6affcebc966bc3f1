"""MIG: greedy maximisation of information gain on a label graph (Chen et al., ACL Findings 2025, arXiv 2504.13835).

Faithful to the official ``MIGSampler`` (yichengchen24/xsample, ``mig/sampler.py``, CLI defaults): each sample is
``h_i = e_i P`` with ``e_i = s_i 1[L_i]`` (``s_i / |L_i|`` with ``norm``) and P the column-normalised label graph;
``z = Σ_{i∈S} h_i``; each step picks ``argmax_i h_i · phi'(z)`` (ties: lowest pool index, as ``torch.argmax``),
with ``phi'(x) = b (x + a)^(b-1)`` (``pow``, a = 1e-6, b = 0.8) or ``alpha exp(-alpha x)`` (``exp``, alpha = 1).

Deviations, all result-preserving: H is a sparse CSR matrix in float64 (the official code holds a dense N x K float32
tensor); the default search is a lazy greedy over a heap. phi' falls as z grows and h >= 0, so every stale gain is
an upper bound of the current one and a freshly computed gain at the top of the heap is the true argmax (the heap
key orders (gain desc, index asc) exactly, keeping the lowest-index tie rule). ``lazy=False`` recomputes every
remaining gain each step with the same row kernel, so both modes pick identically, ties included. ``norm`` defaults
to False as in the official CLI (the ``MIGSampler`` class itself defaults to True); the fixtures use the CLI.
Records with no label have gain 0 in the official code (picked only after every positive gain is used up); here
they are skipped (``empty="skip"``, the default, reported in ``info``) or rejected (``empty="error"``). Duplicate
labels in one record count once.
"""

from __future__ import annotations

import heapq
import time
from typing import Optional, Sequence

import numpy as np
import scipy.sparse as sp

from core.errors import BudgetError, SiftError, InputError, check_budget
from core.features import GRAPH, LABELS, QUALITY, Features, Progress
from core.params import Param, resolve_params
from core.selection import Selection

NAME = "mig"
LABEL = "MIG (information gain on a label graph)"
SUMMARY = ("Greedy maximisation of information over a label graph: quality-weighted labels, propagated to similar "
           "labels, with diminishing returns per label (official defaults: phi = x^0.8, threshold 0.9).")
CITATION = ("Chen et al. 2025, MIG: Automatic Data Selection for Instruction Tuning by Maximizing Information Gain "
            "in Semantic Space (ACL Findings 2025), arXiv 2504.13835")
NEEDS = (LABELS, QUALITY, GRAPH)
USES_SEED = False
USES_REFERENCE = False
PARAMS: list[Param] = [
    Param("prop_weight", 1.0, float, "weight of neighbouring labels in the propagation matrix (0 = no propagation)",
          low=0.0, high=10.0),
    Param("phi", "pow", str, "concave information function: pow x^b or exp 1-exp(-alpha x)", choices=("pow", "exp")),
    Param("phi_b", 0.8, float, "exponent b of the pow information function (0 < b <= 1)", low=1e-6, high=1.0),
    Param("phi_a", 1e-6, float, "offset a in the pow gradient b (x + a)^(b-1), avoids 0^(b-1)", low=1e-12,
          high=1.0),
    Param("phi_alpha", 1.0, float, "rate alpha of the exp information function", low=1e-9, high=1e6),
    Param("norm", False, bool, "spread each record's quality over its labels (quality / number of labels)"),
    Param("empty", "skip", str, "records without labels: skip them, or stop with an error",
          choices=("skip", "error")),
]

_CHUNK_ROWS = 65_536  # rows per block when all gains are (re)computed at once
_FIRST_BATCH = 16  # stale heap entries refreshed together at first in a step (then 32, 64, ... 4096)
_TOP = np.uint64(0x7FFFFFFFFFFFFFFF)  # above the bit pattern of every non-negative float64, inf included


def d_phi(z: np.ndarray, phi: str = "pow", *, phi_a: float = 1e-6, phi_b: float = 0.8,
          phi_alpha: float = 1.0) -> np.ndarray:
    """phi'(z) as the official sampler uses it: ``b (z + a)^(b-1)`` or ``alpha exp(-alpha z)``."""
    if phi == "pow":
        return phi_b * np.power(z + phi_a, phi_b - 1.0)
    if phi == "exp":
        return phi_alpha * np.exp(-phi_alpha * z)
    raise SiftError(f"phi must be 'pow' or 'exp', got {phi!r}")


def row_gains(h: sp.csr_matrix, rows: np.ndarray, g: np.ndarray) -> np.ndarray:
    """``H[rows] @ g`` with one fixed per-row summation (so lazy and full search agree to the bit)."""
    indptr, indices, data = h.indptr, h.indices, h.data
    rows = np.asarray(rows, dtype=np.int64)
    starts = indptr[rows]
    lens = indptr[rows + 1] - starts
    out = np.zeros(rows.shape[0], dtype=np.float64)
    total = int(lens.sum())
    if total == 0:
        return out
    offs = np.cumsum(lens) - lens
    pos = np.repeat(starts - offs, lens) + np.arange(total, dtype=np.int64)
    vals = data[pos] * g[indices[pos]]
    nz = lens > 0
    out[nz] = np.add.reduceat(vals, offs[nz])
    return out


def greedy(h: sp.csr_matrix, budget: int, *, candidates: Optional[np.ndarray] = None, phi: str = "pow",
           phi_a: float = 1e-6, phi_b: float = 0.8, phi_alpha: float = 1.0, lazy: bool = True,
           progress: Optional[Progress] = None) -> tuple[np.ndarray, np.ndarray]:
    """Greedy MIG picks over a propagated matrix ``h`` (N x K CSR, non-negative).

    Returns ``(indices in pick order, first-order gain of each pick)``. ``candidates`` (sorted pool indices)
    restricts the search; by default every row is a candidate.
    """
    h = sp.csr_matrix(h)
    h.sort_indices()
    n, k = h.shape
    cand = np.arange(n, dtype=np.int64) if candidates is None else np.asarray(candidates, dtype=np.int64)
    budget = check_budget(budget, cand.shape[0])
    kw = dict(phi=phi, phi_a=phi_a, phi_b=phi_b, phi_alpha=phi_alpha)
    z = np.zeros(k, dtype=np.float64)
    g = d_phi(z, **kw)
    picks = np.empty(budget, dtype=np.int64)
    gains = np.empty(budget, dtype=np.float64)
    report_every = max(1, budget // 100)
    indptr, indices, data = h.indptr, h.indices, h.data

    def all_gains(rows: np.ndarray) -> np.ndarray:
        return np.concatenate([row_gains(h, rows[s:s + _CHUNK_ROWS], g)
                               for s in range(0, rows.shape[0], _CHUNK_ROWS)]) if rows.size else np.zeros(0)

    if lazy:
        # Heap keys are Python ints ordering (gain desc, index asc) exactly: the bit pattern of a non-negative
        # float64 grows with its value, so (TOP - bits(gain)) << shift | index is smallest for the best candidate.
        shift = max(1, int(n).bit_length())
        low = (1 << shift) - 1

        def keys(values: np.ndarray, rows: np.ndarray) -> list[int]:
            bits = np.abs(np.asarray(values, dtype=np.float64)).view(np.uint64)  # abs turns -0.0 into 0.0
            inverted = (_TOP - bits).tolist()
            return [(a << shift) | r for a, r in zip(inverted, rows.tolist())]

        value = np.zeros(n, dtype=np.float64)
        value[cand] = all_gains(cand)
        heap = keys(value[cand], cand)
        heapq.heapify(heap)
        stamp = [0] * n  # step at which each heap value was computed
        heappop, heappush = heapq.heappop, heapq.heappush
    else:
        remaining = cand.copy()

    for t in range(budget):
        if lazy:
            batch = _FIRST_BATCH
            while stamp[heap[0] & low] != t:
                stale: list[int] = []
                while heap and len(stale) < batch and stamp[heap[0] & low] != t:
                    stale.append(heappop(heap) & low)
                rows = np.asarray(stale, dtype=np.int64)
                fresh = row_gains(h, rows, g)
                value[rows] = fresh
                for row, key in zip(stale, keys(fresh, rows)):
                    stamp[row] = t
                    heappush(heap, key)
                batch = min(batch * 2, 4096)
            pick = heappop(heap) & low
            gain = float(value[pick])
        else:
            values = all_gains(remaining)
            j = int(np.argmax(values))  # first maximum: lowest remaining pool index
            pick, gain = int(remaining[j]), float(values[j])
            remaining = np.delete(remaining, j)
        picks[t], gains[t] = pick, gain
        lo, hi = indptr[pick], indptr[pick + 1]
        cols = indices[lo:hi]
        z[cols] += data[lo:hi]
        g[cols] = d_phi(z[cols], **kw)
        if progress is not None and ((t + 1) % report_every == 0 or t + 1 == budget):
            progress((t + 1) / budget, f"MIG: picked {t + 1:,} / {budget:,}")
    return picks, gains


def select(label_sets: Sequence[Sequence[str]], quality, graph, budget: int, *, prop_weight: float = 1.0,
           phi: str = "pow", phi_b: float = 0.8, phi_a: float = 1e-6, phi_alpha: float = 1.0, norm: bool = False,
           empty: str = "skip", lazy: bool = True, progress: Optional[Progress] = None) -> Selection:
    """Run MIG on a pool: ``label_sets[i]`` (labels of record i, all in ``graph``), ``quality[i] >= 0``.

    Returns a Selection whose ``indices`` are pool indices in pick order and ``gains`` the first-order gains
    ``h_i · phi'(z)`` at pick time. ``info`` holds the number of skipped label-less records.
    """
    started = time.perf_counter()
    n = len(label_sets)
    if n == 0:
        raise SiftError("MIG needs a non-empty pool")
    if phi not in ("pow", "exp"):
        raise SiftError(f"phi must be 'pow' or 'exp', got {phi!r}")
    if empty not in ("skip", "error"):
        raise SiftError(f"empty must be 'skip' or 'error', got {empty!r}")
    check_budget(budget, n)
    has_labels = np.fromiter((len(labels) > 0 for labels in label_sets), dtype=bool, count=n)
    missing = np.flatnonzero(~has_labels)
    if missing.size and empty == "error":
        raise InputError(f"record {missing[0]} has no labels ({missing.size} records in all); drop them, give "
                         "them tags, or run MIG with empty='skip'", field="labels")
    candidates = np.flatnonzero(has_labels)
    if budget > candidates.size:
        raise BudgetError(f"budget {budget} is larger than the {candidates.size} records that have labels "
                          f"({missing.size} records have none and are skipped)")
    h = graph.propagate(label_sets, quality, prop_weight=prop_weight, norm=norm)
    picks, gains = greedy(h, budget, candidates=candidates, phi=phi, phi_a=phi_a, phi_b=phi_b,
                          phi_alpha=phi_alpha, lazy=lazy, progress=progress)
    params = dict(prop_weight=prop_weight, phi=phi, phi_b=phi_b, phi_a=phi_a, phi_alpha=phi_alpha, norm=norm,
                  empty=empty)
    return Selection(picks, gains, "mig", params, time.perf_counter() - started,
                     info={"skipped_empty": int(missing.size), "gain": "first-order gain h_i · phi'(z)",
                           "n_labels": len(graph), "graph_threshold": graph.threshold,
                           "graph_threshold_rule": getattr(graph, "threshold_rule", None)})


def run(features: Features, budget: int, *, progress: Optional[Progress] = None, **params) -> Selection:
    """Registry adapter: MIG on ``features`` (labels, quality, graph); deterministic, so no seed."""
    features.require(NEEDS, "MIG")
    resolved = resolve_params(PARAMS, params, "MIG")
    return select(features.label_sets, features.quality, features.graph, budget, progress=progress, **resolved)
